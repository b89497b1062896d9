"""How likely two company nodes (a spelling at a domain) are one company: a fitted logistic model.

The evidence of a pair is a short vector of features (name similarity, word differences, how
their domains relate, initials, one name inside the other, how often each was written); the
coefficients live in company_model.yaml, fitted on labelled development data by
benchmarks/fit_company_model.py. The score is the probability × 100, so the rules' merge_at
and review_at thresholds read as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rapidfuzz import fuzz

from workbench.errors import ConfigError

MODEL_FILE = Path(__file__).with_name("company_model.yaml")
FEATURES = (
    "name",
    "words_replaced",
    "words_extra",
    "words_suspicious",
    "numbers_differ",
    "identical",
    "same_website",
    "same_domain",
    "domains_differ",
    "same_domain_label",
    "one_without_domain",
    "initials",
    "contained",
    "name_is_domain",
    "identical_domains_differ",
    "name_domains_differ",
    "name_without_domain",
    "domain_labels_alike",
    "name_at_many_domains",
    "same_town",
    "towns_differ",
    "name_towns_differ",
    "extra_generic",
    "towns_differ_stray",
    "generic_replaced",
    "towns_known",
    "replaced_solid",
    "extra_solid",
    "domain_towns_apart",
    "legal_forms_differ",
    "legal_forms_agree",
)
# Words a mention adds to a company's name without naming another company.
GENERIC_WORDS = frozenset(
    "group holding holdings enterprises enterprise worldwide global international company "
    "companies corporation sales".split()
)


def logistic_scores(
    rows: list[tuple[float, ...]], coefficients: tuple[float, ...], intercept: float
) -> list[float]:
    """Probability × 100 of each feature vector under a logistic model."""
    if not rows:
        return []
    z = np.asarray(rows, dtype=np.float64) @ np.asarray(coefficients) + intercept
    return (100.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))).tolist()


def coefficient_problems(
    data: Mapping[str, Any], features: tuple[str, ...], numbers: tuple[str, ...]
) -> list[str]:
    """Everything wrong with a fitted model's data at once: a feature without a coefficient,
    an unknown feature, or a value that is not a number."""
    given = data.get("coefficients") or {}
    problems = [f"no coefficient for {f!r}" for f in features if f not in given]
    problems += [f"unknown feature {f!r}" for f in given if f not in features]
    problems += [
        f"{f} must be a number, got {v!r}"
        for f, v in given.items()
        if not isinstance(v, int | float)
    ]
    problems += [
        f"{key} must be a number, got {data.get(key)!r}"
        for key in numbers
        if not isinstance(data.get(key), int | float)
    ]
    return problems


@dataclass(frozen=True)
class CompanyModel:
    """Coefficients, and the thresholds on its score: merge from `merge_at`, review from
    `review_at`; a node joins a cluster only when no member scores below `join_floor`. Towns
    are evidence only in an export whose rows at one domain share a town at least
    `town_floor` of the time (company_pairs.town_agreement). A cluster of at most
    `stray_rows` rows left alone joins the one cluster it averages `attach_at` with."""

    intercept: float
    coefficients: tuple[float, ...]
    merge_at: float = 60.0
    review_at: float = 35.0
    join_floor: float = 1.0
    town_floor: float = 0.5
    attach_at: float = 100.0
    stray_rows: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "company model") -> CompanyModel:
        """Every feature needs a number; unknown names are refused (all problems at once)."""
        problems = coefficient_problems(
            data,
            FEATURES,
            ("intercept", "merge_at", "review_at", "join_floor", "town_floor", "attach_at",
             "stray_rows"),
        )  # fmt: skip
        given = data.get("coefficients") or {}
        if not problems and not 0 <= data["review_at"] <= data["merge_at"] <= 100:
            problems.append("thresholds must read 0 ≤ review_at ≤ merge_at ≤ 100")
        if problems:
            raise ConfigError(f"{where}: " + "; ".join(problems))
        return cls(
            float(data["intercept"]),
            tuple(float(given[f]) for f in FEATURES),
            float(data["merge_at"]),
            float(data["review_at"]),
            float(data["join_floor"]),
            float(data["town_floor"]),
            float(data["attach_at"]),
            int(data["stray_rows"]),
        )

    def scores(self, rows: list[tuple[float, ...]]) -> list[float]:
        """`score` of many feature vectors at once."""
        return logistic_scores(rows, self.coefficients, self.intercept)

    def score(self, features: tuple[float, ...]) -> float:
        """Probability × 100 that the pair is one company."""
        z = self.intercept + sum(c * x for c, x in zip(self.coefficients, features, strict=True))
        return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@cache
def default_company_model() -> CompanyModel:
    with MODEL_FILE.open(encoding="utf-8") as handle:
        return CompanyModel.from_dict(yaml.safe_load(handle), where=MODEL_FILE.name)


def _label(domain: str) -> str:
    return domain.split(".")[0]


_FILLER = frozenset({"and", "of", "the"})


@lru_cache(maxsize=200_000)
def initials_forms(key: str) -> tuple[str, ...]:
    """The initials a name of two or more words may be written as: every word's first letter
    ("ibm"), and without the last word ("International Business Machines Group" → "ibm")."""
    words = [w for w in key.split() if w not in _FILLER]
    if len(words) < 2 or any(len(w) == 1 for w in words):
        return ()
    initials = "".join(w[0] for w in words)
    return tuple(dict.fromkeys(f for f in (initials, initials[:-1]) if len(f) >= 2))


@lru_cache(maxsize=200_000)
def short_form(key: str) -> str:
    """What a name written as initials abbreviates: its leading single letters ("f p p d
    group" → "fppd"), else a first word of two to four letters ("csr worldwide" → "csr")."""
    words = key.split()
    letters = ""
    for word in words:
        if len(word) != 1:
            break
        letters += word
    if len(letters) >= 2:
        return letters
    if words and 2 <= len(words[0]) <= 4:
        return words[0]
    return ""


@lru_cache(maxsize=200_000)
def _name_parts(key: str) -> tuple[frozenset[str], str]:
    """Word set and squashed form of a name."""
    return frozenset(key.split()), key.replace(" ", "")


@dataclass(frozen=True, slots=True)
class DomainView:
    """One node's domains as the pair features read them, worked out once per node rather
    than once per pair: websites, every domain, each run together without dots and hyphens
    (acme-tools.co.uk → acmetoolscouk), and the first labels with and without hyphens."""

    websites: Set[str]
    domains: frozenset[str]
    flat: frozenset[str]
    labels: frozenset[str]
    bare_labels: frozenset[str]


def domain_view(websites: Set[str], mail: Set[str]) -> DomainView:
    domains = frozenset(websites | mail)
    return DomainView(
        websites,
        domains,
        frozenset(d.replace(".", "").replace("-", "") for d in domains),
        frozenset(_label(d) for d in domains),
        frozenset(_label(d).replace("-", "") for d in domains),
    )


def pair_features(
    a: str,
    b: str,
    base: float,
    checks: tuple[float, ...],
    domains: tuple[Set[str], Set[str], Set[str], Set[str]],
    rows: tuple[int, int],
    spread: tuple[int, int] = (1, 1),
    towns: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {}),
    domain_towns: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {}),
    forms: tuple[Mapping[str, int], Mapping[str, int]] = ({}, {}),
) -> tuple[float, ...]:
    """The feature vector of two nodes: names `a`, `b` (normalised), their combined name score
    `base`, `_word_checks` (replaced, extra, suspicious, ending, numbers), (websites a, mail a,
    websites b, mail b), and at how many domains each name was seen (a name at several is
    several companies' or a slip's), and the towns written beside each (counts per town).
    See `view_pair_features`, which takes each node's domains already worked out."""
    web_a, mail_a, web_b, mail_b = domains
    views = (domain_view(web_a, mail_a), domain_view(web_b, mail_b))
    return view_pair_features(a, b, base, checks, views, rows, spread, towns, domain_towns, forms)


def view_pair_features(
    a: str,
    b: str,
    base: float,
    checks: tuple[float, ...],
    views: tuple[DomainView, DomainView],
    rows: tuple[int, int],
    spread: tuple[int, int],
    towns: tuple[Mapping[str, int], Mapping[str, int]],
    domain_towns: tuple[Mapping[str, int], Mapping[str, int]],
    forms: tuple[Mapping[str, int], Mapping[str, int]],
) -> tuple[float, ...]:
    """`pair_features` with each node's `DomainView`. Row counts are evidence of how
    deliberate a name or town is: one row in another town is often the contact's own, many
    are an office; a typo is seldom written twice, so two names each written several times
    are two names in use (a parent and its subsidiary at one domain). `domain_towns` are the
    towns of every row at each node's domains: two domains whose rows sit in different towns
    are two offices, and seldom one company's website and its mail host. `forms` are the
    legal forms written with each (Inc / Ltd: two countries' companies written alike)."""
    view_a, view_b = views
    mine, theirs = view_a.domains, view_b.domains
    same_website = not view_a.websites.isdisjoint(view_b.websites)
    shared = not mine.isdisjoint(theirs)
    same_domain = shared and not same_website
    differ = bool(mine) and bool(theirs) and not shared
    same_label = differ and not view_a.labels.isdisjoint(view_b.labels)
    set_a, squashed_a = _name_parts(a)
    set_b, squashed_b = _name_parts(b)
    short_a, short_b = short_form(a), short_form(b)
    initials = bool(short_a and short_a in initials_forms(b)) or bool(
        short_b and short_b in initials_forms(a)
    )
    contained = a != b and (set_a <= set_b or set_b <= set_a)
    only_a, only_b = set_a - set_b, set_b - set_a  # "Holdings" / "Auto Repair": a sister company
    name_is_domain = False
    if mine or theirs:
        flat_a, flat_b = view_a.flat, view_b.flat
        name_is_domain = (
            squashed_a in flat_a or squashed_a in flat_b or squashed_b in flat_a
        ) or squashed_b in flat_b
        if not name_is_domain and a != b:
            bare_a, bare_b = view_a.bare_labels, view_b.bare_labels
            name_is_domain = (
                squashed_a in bare_a or squashed_a in bare_b or squashed_b in bare_a
            ) or squashed_b in bare_b
    one_without = bool(mine) != bool(theirs)
    alike = 0.0
    if differ:
        alike = max(_label_similarity(x, y) for x in view_a.bare_labels for y in view_b.bare_labels)
    identical = a == b
    name = base / 100.0
    town = town_overlap(*towns)
    return (
        name,
        checks[0],  # words replaced
        checks[1],  # words extra
        checks[2],  # words suspicious
        checks[4],  # numbers differ
        float(identical),
        float(same_website),
        float(same_domain),
        float(differ),
        float(same_label),
        float(one_without),
        float(initials),
        float(contained),
        float(name_is_domain),
        float(identical and differ),
        name * differ,
        name * one_without,
        alike,
        float(max(spread) >= 2),
        max(town, 0.0),
        float(town == 0.0),
        name * (town == 0.0),
        float(contained and (set_a ^ set_b) <= GENERIC_WORDS),
        float(town == 0.0 and min(rows) == 1),
        float(
            bool(only_a) and bool(only_b) and (only_a <= GENERIC_WORDS or only_b <= GENERIC_WORDS)
        ),
        float(town >= 0.0),
        float(checks[0] > 0 and min(rows) >= 2),
        float(contained and min(rows) >= 2),
        float(
            differ
            and town_overlap(*domain_towns) == 0.0
            and min(sum(t.values()) for t in domain_towns) >= 2
        ),
        float(bool(forms[0]) and bool(forms[1]) and forms[0].keys().isdisjoint(forms[1])),
        float(not forms[0].keys().isdisjoint(forms[1])),
    )


def town_overlap(mine: Mapping[str, int], theirs: Mapping[str, int]) -> float:
    """How much two nodes' towns agree: the overlap of their shares per town (0–1), -1 when
    either has none. A contact's town is mostly the office's, so one company's spellings share
    their towns and two companies written alike seldom do."""
    if not mine or not theirs:
        return -1.0
    total_a, total_b = sum(mine.values()), sum(theirs.values())
    return sum(min(n / total_a, theirs[t] / total_b) for t, n in mine.items() if t in theirs)


def _label_similarity(x: str, y: str) -> float:
    """1 when one domain label starts the other (acme / acmegroup), else their ratio (0–1)."""
    if x.startswith(y) or y.startswith(x):
        return 1.0
    return fuzz.ratio(x, y) / 100.0
