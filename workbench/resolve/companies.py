"""Company dedupe: one cluster per real company across every way its name was written.

Rows with the same normalised name at the same domain (without a domain, in the same town, where
the export's towns follow the company) are one node; blocking proposes node pairs and the fitted
company model scores them (company_pairs.py, company_model.py). Node pairs scoring at least
`merge_at` form components, which are split by a greedy average linkage weighted by row counts
and then merged again where two clusters average `merge_at` over all their row pairs, so A~B and
B~C do not pull A and C together on their own. A spelling written once and left alone (in
another town) joins the one bigger cluster its town-known pairs lean to. Then a second model
judges pairs of clusters as wholes (company_rejoin.py: best, mean and worst pair score, rivals,
domains, towns, legal forms) and joins those it calls one company. Pairs
in the grey band between `review_at` and `merge_at`, and names sharing a domain that ended
apart, go to a review queue with evidence. A row with no company but a domain that one cluster
holds (most of) joins that cluster.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from workbench.errors import ResolveError
from workbench.resolve.blocking import (
    DEFAULT_RULES,
    CompanyRules,
    name_scores,
)
from workbench.resolve.company_linkage import attach_strays, split_component
from workbench.resolve.company_model import CompanyModel, default_company_model
from workbench.resolve.company_pairs import (
    _build_nodes,
    _candidates,
    _Nodes,
    _score_pairs,
)
from workbench.resolve.company_rejoin import RejoinModel, rejoin_clusters
from workbench.resolve.decisions import Decisions, pair_id
from workbench.resolve.groups import DuplicateGroups, column_values

# A blank company joins the cluster holding at least this share of the named rows at its domain.
NAMELESS_SHARE = 0.75

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


def link_nodes(
    nodes: _Nodes, rules: CompanyRules, decisions: Decisions, model: CompanyModel
) -> tuple[list[int], dict[tuple[int, int], tuple[float, dict[str, float], str]]]:
    """Head node of each node's cluster after pair scoring, linkage and strays, and every
    scored node pair (score, evidence, reason)."""
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
            split_component(group, nodes, rules, decisions, scored, label, model)
    attach_strays(nodes, scored, label, model)
    return label, scored


def _cluster(
    nodes: _Nodes,
    rules: CompanyRules,
    decisions: Decisions,
    model: CompanyModel,
    rejoin: RejoinModel | None = None,
) -> tuple[list[int], list[tuple[int, int, float, dict[str, float], str]]]:
    """Cluster label per node, and every scored pair at or above review_at."""
    label, scored = link_nodes(nodes, rules, decisions, model)
    rejoin_clusters(nodes, scored, label, rejoin)
    # Reviewed: the grey band, and any two names at one domain that ended apart.
    close = [
        (i, j, *value)
        for (i, j), value in scored.items()
        if value[0] >= model.review_at or value[2].startswith("same ")
    ]
    return label, close


def _canonical(spellings: Counter[str]) -> str:
    """Most frequent clean spelling; ties go to mixed case, then the longer, then alphabetical."""

    def rank(item: tuple[str, int]) -> tuple[int, int, int, str]:
        text, count = item
        mixed = int(text != text.upper() and text != text.lower())
        return (-count, -mixed, -len(text), text)

    return sorted(spellings.items(), key=rank)[0][0]


def dedupe_companies(
    frame: pl.DataFrame,
    name_col: str,
    domain_col: str | None = None,
    email_col: str | None = None,
    city_col: str | None = None,
    *,
    rules: CompanyRules = DEFAULT_RULES,
    decisions: Decisions | Mapping[str, str] | None = None,
    model: CompanyModel | None = None,
    rejoin: RejoinModel | None = None,
) -> CompanyClusters:
    """Cluster the company names of `frame` (one mention per row) into real companies.
    `domain_col` holds websites, `email_col` contact emails (free-mail domains never count);
    `city_col` the town written beside the mention (the contact's or the company's): two
    spellings seen in one town lean together, in different towns apart.
    `decisions` are the analyst's earlier merge / keep-apart answers, applied before clustering.
    """
    decided = decisions if isinstance(decisions, Decisions) else Decisions(dict(decisions or {}))
    names = column_values(frame, name_col, "company name")
    websites = column_values(frame, domain_col, "website/domain")
    emails = column_values(frame, email_col, "email")
    cities = column_values(frame, city_col, "city")
    model = model or default_company_model()
    keys, row_domains, row_node, nodes, spellings, domain_counts = _build_nodes(
        names, websites, emails, cities, model.town_floor
    )
    label, close = _cluster(nodes, rules, decided, model, rejoin)

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
    """A row whose company cell is blank but whose website or work email is at a domain that
    one cluster holds (or holds at least `NAMELESS_SHARE` of the named rows of) belongs to that
    company; a domain no cluster holds is looked up by its name under any TLD. A placeholder ("N/A") stays apart: it says there is no company."""
    holders: dict[str, Counter[int]] = {}
    for cluster, domains in cluster_domains.items():
        for domain, count in domains.items():
            holders.setdefault(domain, Counter())[cluster] += count
    by_label: dict[str, Counter[int]] = {}  # acme.de, acme.fr …: one company's other TLDs
    for domain, clusters in holders.items():
        by_label.setdefault(domain.split(".")[0], Counter()).update(clusters)
    for row, cluster in enumerate(row_cluster):
        blank = names[row] is None or not str(names[row]).strip()
        domain = row_domains[row]
        if cluster is None and blank and domain:
            found = holders.get(domain) or by_label.get(domain.split(".")[0])
            if not found:
                continue
            (best, count), total = found.most_common(1)[0], found.total()
            if count >= NAMELESS_SHARE * total:
                row_cluster[row] = best


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
