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
from workbench.resolve.company_model import town_overlap
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
        given = data.get("coefficients") or {}
        problems = [f"no coefficient for {f!r}" for f in REJOIN_FEATURES if f not in given]
        problems += [f"unknown feature {f!r}" for f in given if f not in REJOIN_FEATURES]
        problems += [
            f"{key} must be a number, got {data.get(key)!r}"
            for key in ("intercept", "rejoin_at")
            if not isinstance(data.get(key), int | float)
        ]
        if problems:
            raise ConfigError(f"{where}: " + "; ".join(problems))
        return cls(
            float(data["intercept"]),
            tuple(float(given[f]) for f in REJOIN_FEATURES),
            float(data["rejoin_at"]),
        )

    def scores(self, rows: list[tuple[float, ...]]) -> list[float]:
        """Probability × 100 that each described pair of clusters is one company."""
        if not rows:
            return []
        z = np.asarray(rows, dtype=np.float64) @ np.asarray(self.coefficients) + self.intercept
        return (100.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))).tolist()


@cache
def default_rejoin_model() -> RejoinModel:
    with REJOIN_FILE.open(encoding="utf-8") as handle:
        return RejoinModel.from_dict(yaml.safe_load(handle), where=REJOIN_FILE.name)


def cluster_pair_features(
    nodes: _Nodes, scored: Scored, label: list[int]
) -> tuple[list[tuple[int, int]], list[tuple[float, ...]]]:
    """Every pair of clusters (by head node) linked by a scored node pair, with its features.
    A pair an analyst kept apart is left out: it never joins; so is a pair whose best link
    the kept rules hold for a person (a differing number, a word that differs where typos
    rarely fall, an extra word, with no domain or town in common)."""
    rows: Counter[int] = Counter()
    domains: dict[int, set[str]] = {}
    towns: dict[int, Counter[str]] = {}
    keys: dict[int, set[str]] = {}
    forms: dict[int, set[str]] = {}
    for i, head in enumerate(label):
        forms.setdefault(head, set()).update(nodes.forms[i] if nodes.forms else ())
        rows[head] += nodes.rows[i]
        domains.setdefault(head, set()).update(nodes.all_domains[i])
        towns.setdefault(head, Counter()).update(nodes.cities[i])
        keys.setdefault(head, set()).add(nodes.keys[i])
    links: dict[tuple[int, int], list[float]] = {}  # best, worst, weighted sum, scored weight
    vetoed: set[tuple[int, int]] = set()
    held: dict[tuple[int, int], bool] = {}
    for (i, j), (score, checks, why) in scored.items():
        a, b = label[i], label[j]
        if a == b:
            continue
        pair = (min(a, b), max(a, b))
        if why == "analyst: keep apart":
            vetoed.add(pair)
        w = nodes.rows[i] * nodes.rows[j]
        link = links.setdefault(pair, [0.0, 100.0, 0.0, 0.0])
        if pair not in held or score > link[0]:
            held[pair] = _held(i, j, checks, nodes)
        link[0], link[1] = max(link[0], score), min(link[1], score)
        link[2] += score * w
        link[3] += w
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
    for (a, b), (best, worst, total, weight) in links.items():
        if (a, b) in vetoed or held[(a, b)]:
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


def _held(i: int, j: int, checks: Mapping[str, float], nodes: _Nodes) -> bool:
    """Whether the kept rules send this node pair to a person rather than merge it."""
    flagged = any(checks.get(k, 0.0) for k in ("numbers_differ", "words_suspicious", "words_extra"))
    return (
        flagged
        and not nodes.all_domains[i] & nodes.all_domains[j]
        and town_overlap(nodes.cities[i], nodes.cities[j]) < SAME_TOWN
    )


# Passes of the rejoin: each joins a cluster at most once; a later pass sees the joins.
REJOIN_PASSES = 3


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
    for _ in range(REJOIN_PASSES):
        if not _rejoin_pass(nodes, scored, label, model):
            return


def _rejoin_pass(nodes: _Nodes, scored: Scored, label: list[int], model: RejoinModel) -> int:
    """One pass of rejoin_clusters; how many clusters joined another."""
    pairs, features = cluster_pair_features(nodes, scored, label)
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
