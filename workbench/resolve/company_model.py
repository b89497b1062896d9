"""How likely two company nodes (a spelling at a domain) are one company: a fitted logistic model.

The evidence of a pair is a short vector of features (name similarity, word differences, how
their domains relate, initials, one name inside the other, how often each was written); the
coefficients live in company_model.yaml, fitted on labelled development data by
benchmarks/fit_company_model.py. The score is the probability × 100, so the rules' merge_at
and review_at thresholds read as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
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
    rows: Sequence[Sequence[float]] | np.ndarray, coefficients: tuple[float, ...], intercept: float
) -> list[float]:
    """Probability × 100 of each feature vector under a logistic model."""
    if not len(rows):
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

    def scores(self, rows: Sequence[Sequence[float]] | np.ndarray) -> list[float]:
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


@dataclass(frozen=True)
class NodeTable:
    """What the pair features read of each node (one spelling at one domain or town): its
    normalised name, domains, rows, at how many domains the name was written (`spread`), the
    towns written beside it and at its domains, and the legal forms written with it."""

    keys: Sequence[str]
    views: Sequence[DomainView]
    rows: Sequence[int]
    spread: Sequence[int]
    towns: Sequence[Mapping[str, int]]
    domain_towns: Sequence[Mapping[str, int]]
    forms: Sequence[Mapping[str, int]]

    @cached_property
    def arrays(self) -> _TableArrays:
        """Per-node arrays, worked out once however many batches of pairs are scored."""
        form_sets: dict[frozenset[str], int] = {}
        form_of = [form_sets.setdefault(frozenset(f.keys()), len(form_sets)) for f in self.forms]
        sets = list(form_sets)
        return _TableArrays(
            np.array([bool(v.domains) for v in self.views], dtype=bool),
            np.array([bool(t) for t in self.towns], dtype=bool),
            np.asarray(self.rows, dtype=np.int64),
            np.asarray(self.spread, dtype=np.int64),
            np.asarray(form_of, dtype=np.int64),
            np.array([[not x.isdisjoint(y) for y in sets] for x in sets], dtype=bool),
            np.array([[bool(x and y) and x.isdisjoint(y) for y in sets] for x in sets], dtype=bool),
        )


@dataclass(frozen=True)
class _TableArrays:
    has_domains: np.ndarray
    has_towns: np.ndarray
    rows: np.ndarray
    spread: np.ndarray
    form_of: np.ndarray  # index of each node's set of legal forms
    forms_agree: np.ndarray  # by pair of form sets: a form in common
    forms_differ: np.ndarray  # by pair of form sets: both written, none in common


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
    websites b, mail b), rows, at how many domains each name was seen, towns beside each, towns
    at each one's domains and legal forms (see `feature_matrix`)."""
    web_a, mail_a, web_b, mail_b = domains
    table = NodeTable(
        (a, b),
        (domain_view(web_a, mail_a), domain_view(web_b, mail_b)),
        rows,
        spread,
        towns,
        domain_towns,
        forms,
    )
    pair = np.array([0]), np.array([1])
    matrix = feature_matrix(table, *pair, np.array([base]), np.array([checks], dtype=np.float64))
    return tuple(matrix[0].tolist())


@lru_cache(maxsize=500_000)
def _name_relation(a: str, b: str) -> tuple[bool, bool, bool, bool]:
    """(initials, one name's words inside the other's, only generic words added, each has
    words the other lacks and one side's are generic: "Holdings" / "Auto Repair")."""
    set_a, _ = _name_parts(a)
    set_b, _ = _name_parts(b)
    short_a, short_b = short_form(a), short_form(b)
    initials = bool(short_a and short_a in initials_forms(b)) or bool(
        short_b and short_b in initials_forms(a)
    )
    contained = a != b and (set_a <= set_b or set_b <= set_a)
    only_a, only_b = set_a - set_b, set_b - set_a
    return (
        initials,
        contained,
        contained and (set_a ^ set_b) <= GENERIC_WORDS,
        bool(only_a) and bool(only_b) and (only_a <= GENERIC_WORDS or only_b <= GENERIC_WORDS),
    )


def feature_matrix(
    table: NodeTable,
    left: np.ndarray,
    right: np.ndarray,
    base: np.ndarray,
    checks: np.ndarray,
) -> np.ndarray:
    """The FEATURES of node pairs (left[k], right[k]), one row each, from their combined name
    score `base` and `_word_checks` rows (replaced, extra, suspicious, ending, numbers).

    Row counts are evidence of how deliberate a name or town is: one row in another town is
    often the contact's own, many are an office; a typo is seldom written twice, so two names
    each written several times are two names in use (a parent and its subsidiary at one
    domain). Two domains whose rows sit in different towns are two offices, and seldom one
    company's website and its mail host. Two legal forms (Inc / Ltd) are two countries'
    companies written alike. Worked out column by column: only pairs with a domain on either
    side, or towns on both, are looked at one by one; legal forms go through a table of the
    distinct sets of forms."""
    n_pairs = len(left)
    if not n_pairs:
        return np.empty((0, len(FEATURES)))
    keys, views = table.keys, table.views
    left_keys = [keys[i] for i in left.tolist()]
    right_keys = [keys[j] for j in right.tolist()]
    relation = np.array(
        [_name_relation(a, b) for a, b in zip(left_keys, right_keys, strict=True)], dtype=bool
    ).reshape(n_pairs, 4)
    initials, contained, extra_generic, generic_replaced = relation.T
    identical = np.array([a == b for a, b in zip(left_keys, right_keys, strict=True)], dtype=bool)
    name = base / 100.0

    arrays = table.arrays
    has = arrays.has_domains
    same_website, shared, same_label = (np.zeros(n_pairs, dtype=bool) for _ in range(3))
    name_is_domain, apart = np.zeros(n_pairs, dtype=bool), np.zeros(n_pairs, dtype=bool)
    alike = np.zeros(n_pairs)
    both = has[left] & has[right]
    for k in np.flatnonzero(has[left] | has[right]).tolist():
        va, vb = views[int(left[k])], views[int(right[k])]
        a, b = left_keys[k], right_keys[k]
        squashed_a, squashed_b = _name_parts(a)[1], _name_parts(b)[1]
        name_is_domain[k] = (
            squashed_a in va.flat or squashed_a in vb.flat or squashed_b in va.flat
        ) or squashed_b in vb.flat
        if not name_is_domain[k] and a != b:
            name_is_domain[k] = (
                squashed_a in va.bare_labels
                or squashed_a in vb.bare_labels
                or squashed_b in va.bare_labels
            ) or squashed_b in vb.bare_labels
        if not both[k]:
            continue
        same_website[k] = not va.websites.isdisjoint(vb.websites)
        shared[k] = not va.domains.isdisjoint(vb.domains)
        if not shared[k]:
            same_label[k] = not va.labels.isdisjoint(vb.labels)
            alike[k] = max(_label_similarity(x, y) for x in va.bare_labels for y in vb.bare_labels)
            i, j = int(left[k]), int(right[k])
            there = table.domain_towns[i], table.domain_towns[j]
            apart[k] = town_overlap(*there) == 0.0 and min(sum(t.values()) for t in there) >= 2
    differ = both & ~shared
    one_without = has[left] != has[right]

    town = np.full(n_pairs, -1.0)
    towned = arrays.has_towns
    for k in np.flatnonzero(towned[left] & towned[right]).tolist():
        town[k] = town_overlap(table.towns[int(left[k])], table.towns[int(right[k])])

    pair_forms = arrays.form_of[left], arrays.form_of[right]
    fewest = np.minimum(arrays.rows[left], arrays.rows[right])
    spread = arrays.spread
    towns_differ = town == 0.0
    columns = [
        name,
        checks[:, 0],  # words replaced
        checks[:, 1],  # words extra
        checks[:, 2],  # words suspicious
        checks[:, 4],  # numbers differ
        identical,
        same_website,
        shared & ~same_website,
        differ,
        differ & same_label,
        one_without,
        initials,
        contained,
        name_is_domain,
        identical & differ,
        name * differ,
        name * one_without,
        alike,
        np.maximum(spread[left], spread[right]) >= 2,
        np.maximum(town, 0.0),
        towns_differ,
        name * towns_differ,
        extra_generic,
        towns_differ & (fewest == 1),
        generic_replaced,
        town >= 0.0,
        (checks[:, 0] > 0) & (fewest >= 2),
        contained & (fewest >= 2),
        differ & apart,
        arrays.forms_differ[pair_forms],
        arrays.forms_agree[pair_forms],
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])


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
