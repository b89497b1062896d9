"""A second look at company clusters as wholes (companies.py, after company_linkage.py).

Pair scores judge two spellings; the linkage judges clusters by their average pair. Some
evidence only shows at the level of a cluster: a spelling written three times without a
domain, in another town than its company's, next to a cluster whose every spelling is close
to it; or a cluster whose initials and dropped-word forms pull its average with a sibling
down. Each pair of clusters holding a scored node pair is described by a few cluster-level
features (best, mean and worst pair score, how much of the row pairs were scored at all,
domains and towns shared, sizes) and a second logistic model, fitted on development data by
benchmarks/fit_company_model.py (`company_rejoin.yaml`), says whether they are one company.
Clusters whose probability reaches `rejoin_at` join, best pair first, each at most once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from workbench.errors import ConfigError
from workbench.resolve.blocking import _word_checks
from workbench.resolve.company_model import (
    coefficient_problems,
    logistic_scores,
    town_overlap,
)
from workbench.resolve.company_pairs import SAME_TOWN, _Nodes

REJOIN_FILE = Path(__file__).with_name("company_rejoin.yaml")
REJOIN_FEATURES = (
    "best",
    "mean",
    "worst",
    "scored_share",
    "identical",
    "shared_domain",
    "domains_differ",
    "same_town",
    "towns_differ",
    "small_rows",
    "large_rows",
    "small_has_domain",
    "best_mean_gap",
    "small_rival",
    "large_rival",
    "legal_forms_differ",
)
Scored = Mapping[tuple[int, int], tuple[float, dict[str, float], str]]


@dataclass(frozen=True)
class RejoinModel:
    """Logistic coefficients over REJOIN_FEATURES and the probability × 100 to join from."""

    intercept: float
    coefficients: tuple[float, ...]
    rejoin_at: float = 101.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "rejoin model") -> RejoinModel:
        """Every feature needs a number; unknown names are refused (all problems at once)."""
        problems = coefficient_problems(data, REJOIN_FEATURES, ("intercept", "rejoin_at"))
        given = data.get("coefficients") or {}
        if problems:
            raise ConfigError(f"{where}: " + "; ".join(problems))
        return cls(
            float(data["intercept"]),
            tuple(float(given[f]) for f in REJOIN_FEATURES),
            float(data["rejoin_at"]),
        )

    def scores(self, rows: list[tuple[float, ...]]) -> list[float]:
        """Probability × 100 that each described pair of clusters is one company."""
        return logistic_scores(rows, self.coefficients, self.intercept)


@cache
def default_rejoin_model() -> RejoinModel:
    with REJOIN_FILE.open(encoding="utf-8") as handle:
        return RejoinModel.from_dict(yaml.safe_load(handle), where=REJOIN_FILE.name)


# Two clusters whose closest spellings score below this (pair model × 100) are not looked at.
LINK_FLOOR = 30.0


@dataclass(frozen=True)
class ScoredArrays:
    """The scored node pairs as arrays, built once for every pass: nodes, score, row-pair
    weight, and whether an analyst kept the pair apart."""

    pairs: list[tuple[int, int]]
    first: np.ndarray
    second: np.ndarray
    score: np.ndarray
    weight: np.ndarray
    apart: np.ndarray

    @classmethod
    def of(cls, nodes: _Nodes, scored: Scored) -> ScoredArrays:
        pairs = list(scored)
        values = list(scored.values())
        rows = np.asarray(nodes.rows, dtype=np.float64)
        first = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
        second = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
        return cls(
            pairs,
            first,
            second,
            np.fromiter((v[0] for v in values), dtype=np.float64, count=len(values)),
            rows[first] * rows[second] if pairs else np.zeros(0),
            np.fromiter(
                (v[2] == "analyst: keep apart" for v in values), dtype=bool, count=len(values)
            ),
        )


def _links(
    nodes: _Nodes, scored: Scored, label: list[int], arrays: ScoredArrays, floor: float
) -> dict[tuple[int, int], tuple[float, float, float, float, bool]]:
    """Per pair of clusters linked by scored node pairs whose best pair scores `floor` or
    more: best, worst, weighted sum of scores, weight of the scored row pairs, and whether
    they may join (no pair kept apart by an analyst, best pair not held by the kept rules)."""
    if not arrays.pairs:
        return {}
    heads = np.asarray(label, dtype=np.int64)
    a, b = heads[arrays.first], heads[arrays.second]
    cross = np.flatnonzero(a != b)
    if not len(cross):
        return {}
    lo, hi = np.minimum(a[cross], b[cross]), np.maximum(a[cross], b[cross])
    key = lo * len(label) + hi
    score = arrays.score[cross]
    # Sorted by cluster pair, best score first (the first such pair on ties).
    order = np.lexsort((np.arange(len(cross)), -score, key))
    key, score = key[order], score[order]
    weight = arrays.weight[cross][order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    best = score[starts]
    worst = np.minimum.reduceat(score, starts)
    total = np.add.reduceat(score * weight, starts)
    scored_weight = np.add.reduceat(weight, starts)
    apart = np.maximum.reduceat(arrays.apart[cross][order], starts)
    best_pair = cross[order[starts]]
    links = {}
    for k, start in enumerate(starts.tolist()):
        if best[k] < floor:
            continue
        i, j = arrays.pairs[best_pair[k]]
        links[(int(lo[order[start]]), int(hi[order[start]]))] = (
            float(best[k]),
            float(worst[k]),
            float(total[k]),
            float(scored_weight[k]),
            not apart[k] and not _held(i, j, nodes),
        )
    return links


def cluster_pair_features(
    nodes: _Nodes,
    scored: Scored,
    label: list[int],
    arrays: ScoredArrays | None = None,
    floor: float = LINK_FLOOR,
) -> tuple[list[tuple[int, int]], list[tuple[float, ...]]]:
    """Every pair of clusters (by head node) linked by a scored node pair, with its features.
    A pair an analyst kept apart is left out: it never joins; so is a pair whose best link
    the kept rules hold for a person (a differing number, a word that differs where typos
    rarely fall, an extra word, with no domain or town in common). Pairs whose best link
    scores below `floor` are not described (the model is fitted with none left out)."""
    links = _links(nodes, scored, label, arrays or ScoredArrays.of(nodes, scored), floor)
    linked = {head for pair in links for head in pair}
    rows: Counter[int] = Counter()
    domains: dict[int, set[str]] = {}
    towns: dict[int, Counter[str]] = {}
    keys: dict[int, set[str]] = {}
    forms: dict[int, set[str]] = {}
    for i, head in enumerate(label):
        if head not in linked:
            continue
        forms.setdefault(head, set()).update(nodes.forms[i] if nodes.forms else ())
        rows[head] += nodes.rows[i]
        domains.setdefault(head, set()).update(nodes.all_domains[i])
        towns.setdefault(head, Counter()).update(nodes.cities[i])
        keys.setdefault(head, set()).add(nodes.keys[i])
    # Each cluster's two best links: a spelling as close to another cluster is ambiguous.
    top: dict[int, list[float]] = {}
    for (a, b), link in links.items():
        for head in (a, b):
            best_two = top.setdefault(head, [0.0, 0.0])
            if link[0] > best_two[0]:
                best_two[:] = [link[0], best_two[0]]
            elif link[0] > best_two[1]:
                best_two[1] = link[0]

    def rival(head: int, best: float) -> float:
        """The best link of `head` to any other cluster than the one scoring `best`."""
        first, second = top[head]
        return second if best >= first else first

    pairs, features = [], []
    for (a, b), (best, worst, total, weight, joinable) in links.items():
        if not joinable:
            continue
        small, large = (a, b) if rows[a] <= rows[b] else (b, a)
        every = rows[a] * rows[b]
        mean = total / every
        town = town_overlap(towns[a], towns[b])
        differ = bool(domains[a]) and bool(domains[b]) and not domains[a] & domains[b]
        pairs.append((a, b))
        features.append(
            (
                best / 100.0,
                mean / 100.0,
                worst / 100.0,
                weight / every,
                float(bool(keys[a] & keys[b])),
                float(bool(domains[a] & domains[b])),
                float(differ),
                max(town, 0.0),
                float(town == 0.0),
                math.log1p(rows[small]),
                math.log1p(rows[large]),
                float(bool(domains[small])),
                (best - mean) / 100.0,
                rival(small, best) / 100.0,
                rival(large, best) / 100.0,
                float(bool(forms[a]) and bool(forms[b]) and not forms[a] & forms[b]),
            )
        )
    return pairs, features


def _held(i: int, j: int, nodes: _Nodes) -> bool:
    """Whether the kept rules send this node pair to a person rather than merge it: a
    differing number, a word that differs where typos rarely fall or an extra word, with no
    domain or town in common."""
    a, b = sorted((nodes.keys[i], nodes.keys[j]))
    _, extra, suspicious, _, numbers = _word_checks(a, b)
    return (
        bool(extra or suspicious or numbers)
        and not nodes.all_domains[i] & nodes.all_domains[j]
        and town_overlap(nodes.cities[i], nodes.cities[j]) < SAME_TOWN
    )


# Passes of the rejoin: each joins a cluster at most once; a later pass sees the joins.
REJOIN_PASSES = 2


def rejoin_clusters(
    nodes: _Nodes, scored: Scored, label: list[int], model: RejoinModel | None = None
) -> None:
    """Join pairs of clusters the rejoin model calls one company, most likely first, in up to
    REJOIN_PASSES passes; within a pass a cluster joins at most once, so no chain of likely
    pairs builds a company, and a cluster two others would take (a name shared by two
    companies) stays for review."""
    model = model or default_rejoin_model()
    if model.rejoin_at > 100.0:
        return
    arrays = ScoredArrays.of(nodes, scored)
    for _ in range(REJOIN_PASSES):
        if not _rejoin_pass(nodes, scored, label, model, arrays):
            return


def _rejoin_pass(
    nodes: _Nodes,
    scored: Scored,
    label: list[int],
    model: RejoinModel,
    arrays: ScoredArrays | None = None,
) -> int:
    """One pass of rejoin_clusters; how many clusters joined another."""
    pairs, features = cluster_pair_features(nodes, scored, label, arrays)
    probabilities = model.scores(features)
    rows: Counter[int] = Counter()
    for i, head in enumerate(label):
        rows[head] += nodes.rows[i]
    claims: Counter[int] = Counter()  # how many clusters would take each smaller one
    for (a, b), probability in zip(pairs, probabilities, strict=True):
        if probability >= model.rejoin_at:
            claims[a if (rows[a], b) <= (rows[b], a) else b] += 1
    moves: dict[int, int] = {}
    used: set[int] = set()
    for (a, b), probability in sorted(
        zip(pairs, probabilities, strict=True), key=lambda item: -item[1]
    ):
        if probability < model.rejoin_at:
            break
        small = a if (rows[a], b) <= (rows[b], a) else b
        if a in used or b in used or claims[small] > 1:
            continue
        used.update((a, b))
        moves[max(a, b)] = min(a, b)
    for i, head in enumerate(label):
        label[i] = moves.get(head, head)
    return len(moves)
