"""Company nodes and the evidence between two of them, for company dedupe (companies.py).

A node is one normalised spelling at one domain (without a domain, in one town, where towns
follow the company). Candidate node pairs come from the blocking rules, initials and names
inside one another; each is scored by the fitted company model (company_model.py), whose
features include the word differences (a differing number, a word that differs where typos
rarely fall, an extra word), and then judged: the analyst's answer wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from workbench.resolve.blocking import (
    DEFAULT_RULES,
    CompanyRules,
    _word_checks,
    base_scores,
    candidate_pairs,
)
from workbench.resolve.company_model import (
    CompanyModel,
    DomainView,
    NodeTable,
    default_company_model,
    domain_view,
    feature_matrix,
    initials_forms,
    short_form,
    town_overlap,
)
from workbench.resolve.decisions import Decisions, pair_id
from workbench.resolve.groups import column_values
from workbench.resolve.normalise import (
    clean_spelling,
    domain_from_email,
    domain_from_url,
    domain_in_name,
    name_and_form,
    normalise_place,
)

CHECKS = ("words_replaced", "words_extra", "words_suspicious", "words_ending", "numbers_differ")
# Below this name score, two names at one domain are said to differ (a reason, not a rule).
NAMES_DIFFER = 60.0
# From this share of their rows in common towns, two spellings are said to be in one town.
SAME_TOWN = 0.5


@dataclass
class _Nodes:
    """Distinct normalised names with their row counts and the domains seen with them."""

    keys: list[str]
    rows: list[int]
    first_row: list[int]
    websites: list[set[str]]
    mail: list[set[str]]
    cities: list[Counter[str]]
    domain_towns: list[Counter[str]] = field(default_factory=list)
    forms: list[Counter[str]] = field(default_factory=list)  # legal forms written, by count
    _spread: Counter[str] | None = None
    _all: list[set[str]] | None = None
    _views: list[DomainView] | None = None
    _table: NodeTable | None = None

    @property
    def all_domains(self) -> list[set[str]]:
        """Websites and mail domains of each node together."""
        if self._all is None:
            self._all = [w | m for w, m in zip(self.websites, self.mail, strict=True)]
        return self._all

    @property
    def views(self) -> list[DomainView]:
        """Each node's domains as the pair features read them."""
        if self._views is None:
            self._views = [domain_view(w, m) for w, m in zip(self.websites, self.mail, strict=True)]
        return self._views

    @property
    def table(self) -> NodeTable:
        """The nodes as the pair features read them."""
        if self._table is None:
            spread = self.spread
            self._table = NodeTable(
                self.keys,
                self.views,
                self.rows,
                [spread[key] for key in self.keys],
                self.cities,
                self.domain_towns,
                self.forms,
            )
        return self._table

    @property
    def spread(self) -> Counter[str]:
        """At how many domains (nodes with a domain) each normalised name was written."""
        if self._spread is None:
            self._spread = Counter(
                key for key, w, m in zip(self.keys, self.websites, self.mail, strict=True) if w or m
            )
        return self._spread

    @property
    def domains(self) -> list[list[str]]:
        return [sorted(w | m) for w, m in zip(self.websites, self.mail, strict=True)]


def _pair_evidence(
    i: int,
    j: int,
    nodes: _Nodes,
    rules: CompanyRules,
    decisions: Decisions,
    base: float | None = None,
    model: CompanyModel | None = None,
) -> tuple[float, dict[str, float], str]:
    """Score of two nodes (the company model's probability × 100) unless an analyst decided,
    with the evidence and a reason a person can read."""
    return _score_pairs([(i, j, base)], nodes, decisions, model or default_company_model())[0]


def _score_pairs(
    pairs: list[tuple[int, int, float | None]],
    nodes: _Nodes,
    decisions: Decisions,
    model: CompanyModel,
) -> list[tuple[float, dict[str, float], str]]:
    """`_pair_evidence` of many pairs at once: the model scores them in one matrix product."""
    missing = [k for k, (_, _, base) in enumerate(pairs) if base is None]
    if missing:
        computed = base_scores(
            [nodes.keys[pairs[k][0]] for k in missing], [nodes.keys[pairs[k][1]] for k in missing]
        )
        pairs = list(pairs)
        for k, value in zip(missing, computed.tolist(), strict=True):
            pairs[k] = (pairs[k][0], pairs[k][1], value)
    checks = _pair_checks(nodes, pairs)  # type: ignore[arg-type]
    probabilities = model.scores(_pair_matrix(nodes, pairs, checks))  # type: ignore[arg-type]
    out = []
    for (i, j, base), scores, probability in zip(pairs, checks, probabilities, strict=True):
        out.append(_judge(i, j, base, scores, round(probability, 1), nodes, decisions, model))  # type: ignore[arg-type]
    return out


def _pair_checks(nodes: _Nodes, pairs: Sequence[tuple[int, int, float]]) -> list[tuple[float, ...]]:
    """`_word_checks` of each node pair's names (cached per name pair, in sorted order)."""
    keys = nodes.keys
    return [
        _word_checks(keys[i], keys[j]) if keys[i] <= keys[j] else _word_checks(keys[j], keys[i])
        for i, j, _ in pairs
    ]


def _pair_matrix(
    nodes: _Nodes, pairs: Sequence[tuple[int, int, float]], checks: list[tuple[float, ...]]
) -> np.ndarray:
    """The company model's feature rows of node pairs (i, j, name score)."""
    left = np.fromiter((i for i, _, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((j for _, j, _ in pairs), dtype=np.int64, count=len(pairs))
    base = np.fromiter((b for _, _, b in pairs), dtype=np.float64, count=len(pairs))
    matrix = np.asarray(checks, dtype=np.float64).reshape(len(pairs), len(CHECKS))
    return feature_matrix(nodes.table, left, right, base, matrix)


def _judge(
    i: int,
    j: int,
    base: float,
    checks: tuple[float, ...],
    score: float,
    nodes: _Nodes,
    decisions: Decisions,
    model: CompanyModel,
) -> tuple[float, dict[str, float], str]:
    """The model's score after the analyst's answer and the kept rules, with the reason."""
    decided = decisions.get(pair_id(nodes.keys[i], nodes.keys[j])) if len(decisions) else None
    if decided is not None:
        scores = dict(zip(CHECKS, checks, strict=True), score=base)
        return (
            (100.0, scores, "analyst: merge")
            if decided == "merge"
            else (0.0, scores, "analyst: keep apart")
        )
    _, extra, suspicious, _, numbers = checks
    mine, theirs = nodes.all_domains[i], nodes.all_domains[j]
    shared = mine & theirs
    # Kept from the rules: unless a domain or a town joins them, a differing number ("Studio
    # 54" / "Studio 45"), a word that differs where typos rarely fall ("Nielsen" / "Nelson",
    # "Southern" / "Northern", "Consulting" / "Consultings") or an extra word ("Riverbend
    # Media Group") is for a person to decide.
    if score < model.review_at and not shared:
        return score, {"score": base}, "different domains" if mine and theirs else "different names"
    if (
        not shared
        and score >= model.merge_at
        and (numbers or suspicious or extra)
        and town_overlap(nodes.cities[i], nodes.cities[j]) < SAME_TOWN
    ):
        score = model.merge_at - 0.1
    if nodes.websites[i] & nodes.websites[j]:
        why = f"same website {min(nodes.websites[i] & nodes.websites[j])}"
    elif shared:
        why = f"same email domain {min(shared)}"
        why += ", names differ" if base < NAMES_DIFFER else ""
    elif mine and theirs:
        why = "different domains"
    elif score >= model.merge_at:
        why = "similar names"
    elif extra:
        why = "one name has an extra word"
    elif suspicious:
        why = "a word differs at its start or in a short word"
    else:
        why = "names close, not close enough"
    return score, dict(zip(CHECKS, checks, strict=True), score=base), why


# An initials form shared by more full names than this says nothing ("AB", "MS").
MAX_INITIALS_BLOCK = 20


def _initials_pairs(keys: list[str]) -> set[tuple[int, int]]:
    """Pairs of a name written as initials ("ibm", "f p p d group", "csr worldwide") and a full
    name of two or more words whose initials those are."""
    full: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        for form in initials_forms(key):
            full.setdefault(form, []).append(index)
    pairs: set[tuple[int, int]] = set()
    for index, key in enumerate(keys):
        short = short_form(key)
        holders = full.get(short, []) if short else []
        if len(holders) <= MAX_INITIALS_BLOCK:
            pairs.update((min(index, h), max(index, h)) for h in holders if h != index)
    return pairs


def _candidates(
    nodes: _Nodes, rules: CompanyRules, slack: float = 0.0
) -> list[tuple[int, int, float]]:
    """Node pairs worth scoring, with their name score: blocked together, and either names
    within `slack` of the review threshold, one name's words inside the other's, a name run
    together, initials, or a domain in common."""
    n = len(nodes.keys)
    pairs = candidate_pairs(nodes.keys, nodes.domains, rules)
    extra = np.array(sorted(_initials_pairs(nodes.keys)), dtype=np.int64).reshape(-1, 2)
    extra = extra[~np.isin(extra[:, 0] * n + extra[:, 1], pairs[:, 0] * n + pairs[:, 1])]
    pairs = np.concatenate([pairs, extra])
    base = base_scores([nodes.keys[i] for i in pairs[:, 0]], [nodes.keys[j] for j in pairs[:, 1]])
    keep = base >= rules.review_at - slack
    keep[len(pairs) - len(extra) :] = True
    words = [frozenset(key.split()) for key in nodes.keys]
    squashed = [key.replace(" ", "") for key in nodes.keys]
    domains = nodes.all_domains
    left, right = pairs[:, 0].tolist(), pairs[:, 1].tolist()
    for k in np.flatnonzero(~keep).tolist():
        i, j = left[k], right[k]
        keep[k] = (
            words[i] <= words[j]
            or words[j] <= words[i]
            or squashed[i] == squashed[j]
            or not domains[i].isdisjoint(domains[j])
        )
    return list(zip(*pairs[keep].T.tolist(), base[keep].tolist(), strict=True))


def _build_nodes(
    names: list[str | None],
    websites: list[str | None],
    emails: list[str | None],
    cities: list[str | None] | None = None,
    town_floor: float = 0.5,
) -> tuple[
    list[str],
    list[str | None],
    list[int | None],
    _Nodes,
    list[Counter[str]],
    list[Counter[str]],
]:
    """Normalised name, domain and town per row, the node of each row, and the nodes.

    Towns count only when, in this export, rows at one company domain mostly share their town
    (`town_agreement` at least `town_floor`); where the contact's town is unrelated to the
    employer's office they are left out."""
    keys, forms = [], []
    for name in names:
        key, form = name_and_form(name)
        keys.append(key)
        forms.append(form)
    site_domains = [domain_from_url(site) for site in websites]
    # The website, else the work email's domain, else the name itself when typed as a domain.
    mail_domains = [domain_from_email(email) for email in emails]
    row_domains = [
        site or mail or domain_in_name(name)
        for site, mail, name in zip(site_domains, mail_domains, names, strict=True)
    ]
    places = [normalise_place(city) for city in cities or [None] * len(keys)]
    if town_agreement(places, row_domains) < town_floor:
        places = [None] * len(keys)  # towns here say nothing of the company: not evidence
    # A node is one spelling at one domain: two companies written alike ("Orion Industries"
    # at orion.com and at orionindustries.ie) stay two nodes.
    node_of: dict[tuple[str, str | None, str | None], int] = {}
    row_node: list[int | None] = [None] * len(keys)
    nodes = _Nodes([], [], [], [], [], [])
    spellings: list[Counter[str]] = []
    domain_counts: list[Counter[str]] = []
    for row, key in enumerate(keys):
        if not key:
            continue
        node_key = (key, row_domains[row], None if row_domains[row] else places[row])
        if node_key not in node_of:
            node_of[node_key] = len(nodes.keys)
            nodes.keys.append(key)
            nodes.rows.append(0)
            nodes.first_row.append(row)
            nodes.websites.append(set())
            nodes.mail.append(set())
            nodes.cities.append(Counter())
            spellings.append(Counter())
            domain_counts.append(Counter())
            nodes.forms.append(Counter())
        i = row_node[row] = node_of[node_key]
        nodes.rows[i] += 1
        spellings[i][clean_spelling(names[row])] += 1
        if forms[row]:
            nodes.forms[i][forms[row]] += 1
        if places[row]:
            nodes.cities[i][places[row]] += 1
        if row_domains[row]:
            domain_counts[i][row_domains[row]] += 1
            (nodes.websites if site_domains[row] else nodes.mail)[i].add(row_domains[row])
        if site_domains[row] and mail_domains[row] and mail_domains[row] != site_domains[row]:
            nodes.mail[i].add(mail_domains[row])  # the company's other domain (old brand, TLD)
    # The towns of every row at a domain, whatever its spelling: where that company sits.
    towns_at: dict[str, Counter[str]] = {}
    for place, domain in zip(places, row_domains, strict=True):
        if place and domain:
            towns_at.setdefault(domain, Counter())[place] += 1
    for domains in nodes.all_domains:
        total: Counter[str] = Counter()
        for domain in domains:
            total.update(towns_at.get(domain, {}))
        nodes.domain_towns.append(total)
    return keys, row_domains, row_node, nodes, spellings, domain_counts


def town_agreement(places: list[str | None], domains: list[str | None]) -> float:
    """How often two rows at one company domain were written in one town (0–1): the mean over
    domains with two or more towned rows of the share of their row pairs in one town. 0 when
    no domain has two such rows."""
    by_domain: dict[str, Counter[str]] = {}
    for place, domain in zip(places, domains, strict=True):
        if place and domain:
            by_domain.setdefault(domain, Counter())[place] += 1
    shares = []
    for towns in by_domain.values():
        n = sum(towns.values())
        if n >= 2:
            shares.append(sum(c * (c - 1) for c in towns.values()) / (n * (n - 1)))
    return sum(shares) / len(shares) if shares else 0.0


def training_pairs(
    frame: pl.DataFrame,
    name_col: str,
    domain_col: str | None = None,
    email_col: str | None = None,
    city_col: str | None = None,
    *,
    rules: CompanyRules = DEFAULT_RULES,
    slack: float = 10.0,
    town_floor: float = 0.5,
) -> tuple[np.ndarray, list[tuple[int, int]], list[int | None]]:
    """For fitting the company model: the features of every candidate node pair, the pairs,
    and the node of every row (None without a name). The net is cast `slack` points wider
    than dedupe's, so the model also learns from pairs just below the name floor."""
    _, _, row_node, nodes, _, _ = _build_nodes(
        column_values(frame, name_col, "company name"),
        column_values(frame, domain_col, "website/domain"),
        column_values(frame, email_col, "email"),
        column_values(frame, city_col, "city"),
        town_floor,
    )
    pairs = _candidates(nodes, rules, slack)
    features = _pair_matrix(nodes, pairs, _pair_checks(nodes, pairs))
    return features, [(i, j) for i, j, _ in pairs], row_node
