"""The cluster-pair pass: clusters the rejoin model calls one company join, once each."""

from __future__ import annotations

from collections import Counter

import pytest

from workbench.errors import ConfigError
from workbench.resolve.company_pairs import _Nodes
from workbench.resolve.company_rejoin import (
    REJOIN_FEATURES,
    RejoinModel,
    _rejoin_pass,
    cluster_pair_features,
    rejoin_clusters,
)


def _nodes(keys: list[str], rows: list[int], towns: list[str]) -> _Nodes:
    n = len(keys)
    return _Nodes(
        keys=keys,
        rows=rows,
        first_row=list(range(n)),
        websites=[set() for _ in keys],
        mail=[set() for _ in keys],
        cities=[Counter({town: count}) for town, count in zip(towns, rows, strict=True)],
        domain_towns=[Counter() for _ in keys],
    )


def _best_only(rejoin_at: float) -> RejoinModel:
    """A model that reads the best pair score alone: probability 50 at a best pair of 60."""
    coefficients = tuple(20.0 if f == "best" else 0.0 for f in REJOIN_FEATURES)
    return RejoinModel(-12.0, coefficients, rejoin_at)


def test_two_clusters_with_a_strong_pair_join() -> None:
    nodes = _nodes(["maier handel", "maier handel", "maier handle"], [8, 3, 1], ["basel"] * 3)
    scored = {(0, 1): (95.0, {}, "similar names"), (0, 2): (20.0, {}, "different names")}
    label = [0, 1, 2]
    rejoin_clusters(nodes, scored, label, _best_only(90.0))
    assert label == [0, 0, 2]


def test_a_cluster_joins_at_most_once_per_pass() -> None:
    nodes = _nodes(["a corp", "a corp", "a corp"], [5, 1, 1], ["x", "y", "z"])
    scored = {(0, 1): (99.0, {}, "similar names"), (1, 2): (98.0, {}, "similar names")}
    label = [0, 1, 2]
    assert _rejoin_pass(nodes, scored, label, _best_only(90.0)) == 1
    assert label == [0, 0, 2]  # 1 went to 0; 1 and 2 would have chained
    # The next pass judges the joined cluster afresh: a model that reads the mean refuses.
    mean_only = RejoinModel(
        -12.0, tuple(20.0 if f == "mean" else 0.0 for f in REJOIN_FEATURES), 90.0
    )
    assert _rejoin_pass(nodes, scored, label, mean_only) == 0
    rejoin_clusters(nodes, scored, label, _best_only(90.0))
    assert label == [0, 0, 0]


def test_an_analysts_keep_apart_is_never_rejoined() -> None:
    nodes = _nodes(["acme", "acme"], [4, 2], ["x", "x"])
    scored = {(0, 1): (0.0, {}, "analyst: keep apart")}
    label = [0, 1]
    rejoin_clusters(nodes, scored, label, _best_only(0.0))
    assert label == [0, 1]
    assert cluster_pair_features(nodes, scored, label) == ([], [])


def test_features_weigh_the_row_pairs_never_scored() -> None:
    nodes = _nodes(["a", "b", "c"], [2, 3, 1], ["x", "x", "y"])
    label = [0, 0, 2]
    scored = {(0, 2): (80.0, {}, "similar names")}
    pairs, features = cluster_pair_features(nodes, scored, label)
    assert pairs == [(0, 2)]
    named = dict(zip(REJOIN_FEATURES, features[0], strict=True))
    assert named["best"] == pytest.approx(0.8)
    assert named["mean"] == pytest.approx(0.8 * 2 / 5)  # 2 of 5 row pairs scored
    assert named["scored_share"] == pytest.approx(2 / 5)
    assert named["towns_differ"] == 1.0 and named["same_town"] == 0.0  # x and y


def test_the_written_model_joins_a_spelling_written_once_in_another_town() -> None:
    """Eight rows in Basel, one in Bern, no domain: a pair score below merge_at on its own."""
    nodes = _nodes(["maier handel", "maier handel"], [8, 1], ["basel", "bern"])
    scored = {(0, 1): (60.0, {}, "names close, not close enough")}
    label = [0, 1]
    rejoin_clusters(nodes, scored, label)
    assert label == [0, 0]
    far = {(0, 1): (10.0, {}, "different names")}
    label = [0, 1]
    rejoin_clusters(nodes, far, label)
    assert label == [0, 1]


def test_a_model_file_missing_a_feature_is_refused_with_every_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        RejoinModel.from_dict({"intercept": 0.0, "coefficients": {"best": 1.0, "nope": 2.0}})
    message = str(caught.value)
    assert "no coefficient for 'mean'" in message
    assert "unknown feature 'nope'" in message
    assert "rejoin_at must be a number" in message


def test_a_spelling_two_companies_would_take_joins_neither() -> None:
    """Granite Laboratories in Tulsa and in Raleigh; one row in Austin is either's."""
    nodes = _nodes(["granite laboratories"] * 3, [8, 8, 1], ["tulsa", "raleigh", "austin"])
    scored = {
        (0, 1): (40.0, {}, "names close, not close enough"),
        (0, 2): (60.0, {}, "names close, not close enough"),
        (1, 2): (60.0, {}, "names close, not close enough"),
    }
    label = [0, 1, 2]
    rejoin_clusters(nodes, scored, label)
    assert label == [0, 1, 2]
    pairs, features = cluster_pair_features(nodes, scored, label)
    rivals = {
        pair: dict(zip(REJOIN_FEATURES, f, strict=True))
        for pair, f in zip(pairs, features, strict=True)
    }
    assert rivals[(0, 2)]["small_rival"] == pytest.approx(0.6)  # Raleigh is as close
