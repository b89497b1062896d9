"""Company dedupe: one cluster per real company across every way its name was written.

Rows with the same normalised name are one node; blocking proposes node pairs, rapidfuzz scores
them, and a domain is a second key (the same real domain merges, different real domains keep
apart). Clusters grow without chaining: a node joins a cluster only when it is at least
review-close to every member, so A~B and B~C never pull A and C together on their own.
Pairs in the grey band between `review_at` and `merge_at` go to a review queue with evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from workbench.errors import ResolveError
from workbench.resolve.blocking import (
    DEFAULT_RULES,
    CompanyRules,
    _word_checks,
    base_scores,
    candidate_pairs,
    name_scores,
)
from workbench.resolve.company_model import CompanyModel, default_company_model, pair_features
from workbench.resolve.decisions import Decisions, pair_id
from workbench.resolve.groups import DuplicateGroups, column_values
from workbench.resolve.normalise import (
    clean_spelling,
    domain_from_email,
    domain_from_url,
    normalise_company_name,
    normalise_person_name,
)

CHECKS = ("words_replaced", "words_extra", "words_suspicious", "words_ending", "numbers_differ")
# Below this name score, two names at one domain are said to differ (a reason, not a rule).
NAMES_DIFFER = 60.0

REVIEW_SCHEMA: dict[str, pl.DataType] = {
    "pair": pl.Utf8,
    "a": pl.Utf8,
    "b": pl.Utf8,
    "a_name": pl.Utf8,
    "b_name": pl.Utf8,
    "score": pl.Float64,
    "token_sort": pl.Float64,
    "squashed": pl.Float64,
    "jaro_winkler": pl.Float64,
    "a_domains": pl.Utf8,
    "b_domains": pl.Utf8,
    "a_rows": pl.Int64,
    "b_rows": pl.Int64,
    "why": pl.Utf8,
}


@dataclass(frozen=True)
class PairMetrics:
    """Pairwise precision and recall of a clustering against true entities."""

    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.4f} recall {self.recall:.4f} "
            f"({self.correct_pairs} of {self.predicted_pairs} predicted pairs right, "
            f"{self.true_pairs} true pairs)"
        )


@dataclass
class CompanyClusters:
    """Per input row: its normalised name, domain, cluster and canonical name; plus review pairs.

    `rows` has one row per input row in input order (`row` is the 0-based position); rows
    without a usable name have a null cluster, unless their domain is one cluster's. `clusters` has one row per cluster.
    """

    rows: pl.DataFrame
    clusters: pl.DataFrame
    review: pl.DataFrame
    rules: CompanyRules

    def cluster_of_key(self) -> dict[str, int]:
        """Normalised name → cluster, for looking names up later (associations)."""
        frame = (
            self.rows.drop_nulls("cluster")
            .filter(pl.col("normalised") != "")
            .unique("normalised", keep="first")
        )
        return dict(zip(frame["normalised"], frame["cluster"], strict=True))

    def metrics(self, truth: Sequence[str | None]) -> PairMetrics:
        """Pairwise precision/recall against a true entity id per input row."""
        return pairwise_metrics(self.rows["cluster"].to_list(), list(truth))


def pairwise_metrics(predicted: Sequence[object], truth: Sequence[object]) -> PairMetrics:
    """Precision/recall over row pairs; rows without a prediction or truth are left out."""
    if len(predicted) != len(truth):
        raise ResolveError(f"{len(predicted)} predictions but {len(truth)} truth values")
    frame = pl.DataFrame(
        {
            "p": [None if p is None else str(p) for p in predicted],
            "t": [None if t is None or t == "" else str(t) for t in truth],
        }
    ).drop_nulls()

    def pairs(counts: pl.Series) -> int:
        return int((counts * (counts - 1) // 2).sum())

    predicted_pairs = pairs(frame.group_by("p").len()["len"])
    true_pairs = pairs(frame.group_by("t").len()["len"])
    correct = pairs(frame.group_by("p", "t").len()["len"])
    return PairMetrics(
        precision=correct / predicted_pairs if predicted_pairs else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
        correct_pairs=correct,
    )


@dataclass
class _Nodes:
    """Distinct normalised names with their row counts and the domains seen with them."""

    keys: list[str]
    rows: list[int]
    first_row: list[int]
    websites: list[set[str]]
    mail: list[set[str]]
    cities: list[Counter[str]]
    _spread: Counter[str] | None = None
    _all: list[set[str]] | None = None

    @property
    def all_domains(self) -> list[set[str]]:
        """Websites and mail domains of each node together."""
        if self._all is None:
            self._all = [w | m for w, m in zip(self.websites, self.mail, strict=True)]
        return self._all

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
    keys, spread, cities = nodes.keys, nodes.spread, nodes.cities
    evidence = []
    for i, j, base in pairs:
        a, b = keys[i], keys[j]
        scores = _word_checks(a, b) if a <= b else _word_checks(b, a)
        features = pair_features(
            a,
            b,
            base,  # type: ignore[arg-type]
            scores,
            (nodes.websites[i], nodes.mail[i], nodes.websites[j], nodes.mail[j]),
            (nodes.rows[i], nodes.rows[j]),
            (spread[keys[i]], spread[keys[j]]),
            (cities[i], cities[j]),
        )
        evidence.append((scores, features))
    probabilities = model.scores([features for _, features in evidence])
    out = []
    for (i, j, base), (scores, _), probability in zip(pairs, evidence, probabilities, strict=True):
        out.append(_judge(i, j, base, scores, round(probability, 1), nodes, decisions, model))  # type: ignore[arg-type]
    return out


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
    replaced, extra, suspicious, ending, numbers = checks
    mine, theirs = nodes.all_domains[i], nodes.all_domains[j]
    shared = mine & theirs
    # Kept from the rules: unless a domain joins them, a differing number ("Studio 54" /
    # "Studio 45"), one word with another ending ("Consulting" / "Consultings") or an extra
    # word ("Riverbend Media Group") is for a person to decide.
    if not shared and (numbers or ending or extra):
        score = min(score, model.merge_at - 0.1)
    if score < model.review_at and not shared:
        return score, {"score": base}, "different domains" if mine and theirs else "different names"
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


def _candidates(nodes: _Nodes, rules: CompanyRules) -> list[tuple[int, int, float]]:
    """Node pairs worth scoring, with their name score: blocked together, and either close
    names or a domain in common."""
    domains = nodes.domains
    pairs = candidate_pairs(nodes.keys, domains, rules)
    base = base_scores([nodes.keys[i] for i in pairs[:, 0]], [nodes.keys[j] for j in pairs[:, 1]])
    has_domain = np.array([bool(d) for d in domains] or [False])
    maybe = (base >= rules.review_at) | (has_domain[pairs[:, 0]] & has_domain[pairs[:, 1]])
    return [
        (i, j, score)
        for (i, j), score in zip(pairs[maybe].tolist(), base[maybe].tolist(), strict=True)
        if score >= rules.review_at or not set(domains[i]).isdisjoint(domains[j])
    ]


def _cluster(
    nodes: _Nodes, rules: CompanyRules, decisions: Decisions, model: CompanyModel
) -> tuple[list[int], list[tuple[int, int, float, dict[str, float], str]]]:
    """Cluster label per node, and every scored pair at or above review_at."""
    n = len(nodes.keys)
    worth = _candidates(nodes, rules)
    index = {key: i for i, key in enumerate(nodes.keys)}
    extra = [
        (min(index[a], index[b]), max(index[a], index[b]), None)
        for a, b in decisions.pairs()
        if a in index and b in index and a != b
    ]
    todo = list({(i, j): (i, j, score) for i, j, score in [*extra, *worth]}.values())
    scored = dict(
        zip(
            [(i, j) for i, j, _ in todo],
            _score_pairs(todo, nodes, decisions, model),  # type: ignore[arg-type]
            strict=True,
        )
    )
    components = DuplicateGroups(n)
    for (i, j), (score, _, _) in scored.items():
        if score >= model.merge_at:
            components.union(i, j)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(components.find(i), []).append(i)
    label = list(range(n))
    for group in members.values():
        if len(group) > 1:
            _split_component(group, nodes, rules, decisions, scored, label, model)
    # Reviewed: the grey band, and any two names at one domain that ended apart.
    close = [
        (i, j, *value)
        for (i, j), value in scored.items()
        if value[0] >= model.review_at or value[2].startswith("same ")
    ]
    return label, close


def _split_component(
    group: list[int],
    nodes: _Nodes,
    rules: CompanyRules,
    decisions: Decisions,
    scored: dict[tuple[int, int], tuple[float, dict[str, float], str]],
    label: list[int],
    model: CompanyModel,
) -> None:
    """Greedy average linkage: biggest names seed clusters; a node joins the closest cluster
    whose every member is at least review-close and whose average is merge-close."""

    def score(i: int, j: int) -> float:
        key = (min(i, j), max(i, j))
        if key not in scored:
            scored[key] = _pair_evidence(key[0], key[1], nodes, rules, decisions, model=model)
        return scored[key][0]

    clusters: list[list[int]] = []
    for node in sorted(group, key=lambda i: (-nodes.rows[i], nodes.first_row[i])):
        best, best_average = None, 0.0
        for position, cluster in enumerate(clusters):
            values = [score(node, member) for member in cluster]
            if min(values) < model.join_floor:
                continue
            weights = [nodes.rows[member] for member in cluster]
            average = sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
            if average >= model.merge_at and average > best_average:
                best, best_average = position, average
        if best is None:
            clusters.append([node])
        else:
            clusters[best].append(node)
    for cluster in clusters:
        head = min(cluster)
        for node in cluster:
            label[node] = head


def _canonical(spellings: Counter[str]) -> str:
    """Most frequent clean spelling; ties go to mixed case, then the longer, then alphabetical."""

    def rank(item: tuple[str, int]) -> tuple[int, int, int, str]:
        text, count = item
        mixed = int(text != text.upper() and text != text.lower())
        return (-count, -mixed, -len(text), text)

    return sorted(spellings.items(), key=rank)[0][0]


def _build_nodes(
    names: list[str | None],
    websites: list[str | None],
    emails: list[str | None],
    cities: list[str | None],
) -> tuple[
    list[str],
    list[str | None],
    list[int | None],
    _Nodes,
    list[Counter[str]],
    list[Counter[str]],
]:
    """Normalised name and domain per row, the node of each row, and the nodes."""
    places = [normalise_person_name(city) or None if city else None for city in cities]
    keys = [normalise_company_name(name) for name in names]
    site_domains = [domain_from_url(site) for site in websites]
    row_domains = [
        site or domain_from_email(email) for site, email in zip(site_domains, emails, strict=True)
    ]
    # A node is one spelling at one domain (or, without a domain, in one town): two companies
    # written alike ("Orion Industries" in Boston and in Dublin) stay two nodes.
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
            nodes.cities.append(Counter())
            nodes.keys.append(key)
            nodes.rows.append(0)
            nodes.first_row.append(row)
            nodes.websites.append(set())
            nodes.mail.append(set())
            spellings.append(Counter())
            domain_counts.append(Counter())
        i = row_node[row] = node_of[node_key]
        nodes.rows[i] += 1
        if places[row]:
            nodes.cities[i][places[row]] += 1
        spellings[i][clean_spelling(names[row])] += 1
        if row_domains[row]:
            domain_counts[i][row_domains[row]] += 1
            (nodes.websites if site_domains[row] else nodes.mail)[i].add(row_domains[row])
    return keys, row_domains, row_node, nodes, spellings, domain_counts


def training_pairs(
    frame: pl.DataFrame,
    name_col: str,
    domain_col: str | None = None,
    email_col: str | None = None,
    city_col: str | None = None,
    *,
    rules: CompanyRules = DEFAULT_RULES,
) -> tuple[list[tuple[float, ...]], list[tuple[int, int]], list[int | None]]:
    """For fitting the company model: the features of every candidate node pair, the pairs,
    and the node of every row (None without a name)."""
    _, _, row_node, nodes, _, _ = _build_nodes(
        column_values(frame, name_col, "company name"),
        column_values(frame, domain_col, "website/domain"),
        column_values(frame, email_col, "email"),
        column_values(frame, city_col, "city"),
    )
    pairs = _candidates(nodes, rules)
    features = [
        pair_features(
            nodes.keys[i],
            nodes.keys[j],
            base,
            _word_checks(*sorted((nodes.keys[i], nodes.keys[j]))),
            (nodes.websites[i], nodes.mail[i], nodes.websites[j], nodes.mail[j]),
            (nodes.rows[i], nodes.rows[j]),
            (nodes.spread[nodes.keys[i]], nodes.spread[nodes.keys[j]]),
            (nodes.cities[i], nodes.cities[j]),
        )
        for i, j, base in pairs
    ]
    return features, [(i, j) for i, j, _ in pairs], row_node


def dedupe_companies(
    frame: pl.DataFrame,
    name_col: str,
    domain_col: str | None = None,
    email_col: str | None = None,
    *,
    city_col: str | None = None,
    rules: CompanyRules = DEFAULT_RULES,
    decisions: Decisions | Mapping[str, str] | None = None,
    model: CompanyModel | None = None,
) -> CompanyClusters:
    """Cluster the company names of `frame` (one mention per row) into real companies.

    `city_col` (the contact's or company's town), when given, is further evidence: two
    companies of one name in different towns stay apart unless a domain joins them.
    `domain_col` holds websites, `email_col` contact emails (free-mail domains never count);
    `decisions` are the analyst's earlier merge / keep-apart answers, applied before clustering.
    """
    decided = decisions if isinstance(decisions, Decisions) else Decisions(dict(decisions or {}))
    names = column_values(frame, name_col, "company name")
    websites = column_values(frame, domain_col, "website/domain")
    emails = column_values(frame, email_col, "email")
    keys, row_domains, row_node, nodes, spellings, domain_counts = _build_nodes(
        names, websites, emails, column_values(frame, city_col, "city")
    )
    model = model or default_company_model()
    label, close = _cluster(nodes, rules, decided, model)

    # Clusters numbered 1… in order of first appearance.
    cluster_number: dict[int, int] = {}
    for i in sorted(range(len(nodes.keys)), key=lambda i: nodes.first_row[i]):
        cluster_number.setdefault(label[i], len(cluster_number) + 1)
    node_cluster = [cluster_number[label[i]] for i in range(len(nodes.keys))]
    cluster_spellings: dict[int, Counter[str]] = {}
    cluster_domains: dict[int, Counter[str]] = {}
    cluster_rows: Counter[int] = Counter()
    for i, cluster in enumerate(node_cluster):
        cluster_spellings.setdefault(cluster, Counter()).update(spellings[i])
        cluster_domains.setdefault(cluster, Counter()).update(domain_counts[i])
        cluster_rows[cluster] += nodes.rows[i]
    canonical = {c: _canonical(s) for c, s in cluster_spellings.items()}

    row_cluster = [None if node is None else node_cluster[node] for node in row_node]
    _place_nameless(row_cluster, names, row_domains, cluster_domains)
    rows = pl.DataFrame(
        {
            "row": list(range(frame.height)),
            "name": names,
            "normalised": keys,
            "domain": row_domains,
            "cluster": row_cluster,
            "canonical_name": [canonical[c] if c else None for c in row_cluster],
        },
        schema={
            "row": pl.Int64,
            "name": pl.Utf8,
            "normalised": pl.Utf8,
            "domain": pl.Utf8,
            "cluster": pl.Int64,
            "canonical_name": pl.Utf8,
        },
    )
    ordered = sorted(cluster_spellings)
    clusters = pl.DataFrame(
        {
            "cluster": ordered,
            "canonical_name": [canonical[c] for c in ordered],
            "rows": [cluster_rows[c] for c in ordered],
            "spellings": [sorted(cluster_spellings[c]) for c in ordered],
            "domain": [
                cluster_domains[c].most_common(1)[0][0] if cluster_domains[c] else None
                for c in ordered
            ],
        },
        schema={
            "cluster": pl.Int64,
            "canonical_name": pl.Utf8,
            "rows": pl.Int64,
            "spellings": pl.List(pl.Utf8),
            "domain": pl.Utf8,
        },
    )
    review = _review_pairs(close, nodes, node_cluster, spellings, model)
    return CompanyClusters(rows=rows, clusters=clusters, review=review, rules=rules)


def _place_nameless(
    row_cluster: list[int | None],
    names: list[str | None],
    row_domains: list[str | None],
    cluster_domains: dict[int, Counter[str]],
) -> None:
    """A row whose company cell is blank but whose website or work email is at a domain one
    cluster (and only one) holds belongs to that company. A placeholder ("N/A") stays apart:
    it says there is no company."""
    holders: dict[str, list[int]] = {}
    for cluster, domains in cluster_domains.items():
        for domain in domains:
            holders.setdefault(domain, []).append(cluster)
    for row, cluster in enumerate(row_cluster):
        blank = names[row] is None or not str(names[row]).strip()
        domain = row_domains[row]
        if cluster is None and blank and domain and len(holders.get(domain, ())) == 1:
            row_cluster[row] = holders[domain][0]


def _review_pairs(
    close: list[tuple[int, int, float, dict[str, float], str]],
    nodes: _Nodes,
    node_cluster: list[int],
    spellings: list[Counter[str]],
    model: CompanyModel,
) -> pl.DataFrame:
    """Grey-band pairs that ended in different clusters: an analyst should look at them."""
    records = []
    shown: set[tuple[int, int]] = set()  # one question per pair of clusters
    asked: set[str] = set()
    for i, j, score, checks, why in sorted(close, key=lambda item: -item[2]):
        if node_cluster[i] == node_cluster[j] or why.startswith("analyst"):
            continue
        if (score < model.review_at and not why.startswith("same ")) or (
            score >= model.merge_at and why == "similar names"
        ):
            continue
        clusters = (min(node_cluster[i], node_cluster[j]), max(node_cluster[i], node_cluster[j]))
        if clusters in shown or pair_id(nodes.keys[i], nodes.keys[j]) in asked:
            continue
        shown.add(clusters)
        asked.add(pair_id(nodes.keys[i], nodes.keys[j]))
        scores = name_scores(nodes.keys[i], nodes.keys[j], checks["score"])
        records.append(
            {
                "pair": pair_id(nodes.keys[i], nodes.keys[j]),
                "a": nodes.keys[i],
                "b": nodes.keys[j],
                "a_name": _canonical(spellings[i]),
                "b_name": _canonical(spellings[j]),
                "score": float(score),
                "token_sort": scores["token_sort"],
                "squashed": scores["squashed"],
                "jaro_winkler": scores["jaro_winkler"],
                "a_domains": ", ".join(sorted(nodes.websites[i] | nodes.mail[i])),
                "b_domains": ", ".join(sorted(nodes.websites[j] | nodes.mail[j])),
                "a_rows": nodes.rows[i],
                "b_rows": nodes.rows[j],
                "why": why if score < model.merge_at else f"{why}; not close to every member",
            }
        )
    return pl.DataFrame(records, schema=REVIEW_SCHEMA)
