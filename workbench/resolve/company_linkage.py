"""How company nodes become clusters (companies.py): greedy average linkage inside a component,
a merging pass by average linkage, and strays that lean on one bigger cluster."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from workbench.resolve.blocking import CompanyRules
from workbench.resolve.company_model import CompanyModel
from workbench.resolve.company_pairs import _Nodes, _pair_evidence
from workbench.resolve.decisions import Decisions


def split_component(
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
    merge_clusters(clusters, score, nodes, model)
    for cluster in clusters:
        head = min(cluster)
        for node in cluster:
            label[node] = head


# Above this many clusters in one component the merging pass is skipped (it is quadratic).
MAX_MERGE_PASS = 60


def merge_clusters(
    clusters: list[list[int]],
    score: Callable[[int, int], float],
    nodes: _Nodes,
    model: CompanyModel,
) -> None:
    """Average linkage after the greedy pass, which depends on the order names came in: while
    two clusters average at least merge_at over all their row pairs (no pair below join_floor),
    the closest two become one."""
    if len(clusters) > MAX_MERGE_PASS:
        return
    while len(clusters) > 1:
        best, pair = model.merge_at, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                total = weight = 0.0
                lowest = 100.0
                for i in clusters[x]:
                    for j in clusters[y]:
                        value = score(i, j)
                        w = nodes.rows[i] * nodes.rows[j]
                        total, weight, lowest = total + value * w, weight + w, min(lowest, value)
                if lowest >= model.join_floor and total / weight >= best:
                    best, pair = total / weight, (x, y)
        if pair is None:
            return
        x, y = pair
        clusters[x].extend(clusters.pop(y))


def attach_strays(
    nodes: _Nodes,
    scored: dict[tuple[int, int], tuple[float, dict[str, float], str]],
    label: list[int],
    model: CompanyModel,
) -> None:
    """A cluster of at most `model.stray_rows` rows left alone (a spelling written once, in
    another town or without a domain) joins the one cluster it leans to: the mean score of its
    row pairs with that cluster (pairs never scored count 0) reaches `attach_at`, no other cluster comes within
    half of it, and no pair with it is an analyst's "keep apart". Only pairs whose towns are
    both known count: without towns a grey-band spelling is for review."""
    rows: Counter[int] = Counter()
    for i, head in enumerate(label):
        rows[head] += nodes.rows[i]
    leaning: dict[int, dict[int, list[float]]] = {}
    vetoed: set[tuple[int, int]] = set()
    for (i, j), (score, _, why) in scored.items():
        a, b = label[i], label[j]
        if a == b or not (nodes.cities[i] and nodes.cities[j]):
            continue  # only where the towns of both are known and say where a stray belongs
        for stray, node, other, member in ((a, i, b, j), (b, j, a, i)):
            if rows[stray] > model.stray_rows or rows[other] <= rows[stray]:
                continue  # a stray leans on a cluster bigger than itself
            if why == "analyst: keep apart":
                vetoed.add((stray, other))
            sums = leaning.setdefault(stray, {}).setdefault(other, [0.0])
            sums[0] += score * nodes.rows[node] * nodes.rows[member]
    moves: dict[int, int] = {}
    for stray, others in leaning.items():
        # Average linkage over every row pair: a member never scored with the stray counts 0.
        means = sorted(
            ((total / (rows[stray] * rows[other]), other) for other, (total,) in others.items()),
            reverse=True,
        )
        best, target = means[0]
        runner_up = means[1][0] if len(means) > 1 else 0.0
        if best >= model.attach_at and runner_up < best / 2 and (stray, target) not in vetoed:
            moves[stray] = target
    for i, head in enumerate(label):
        if head in moves:
            label[i] = moves[head]
