"""Pairwise, per-kind and look-alike scores on hand-made clusterings."""

from __future__ import annotations

import random

import polars as pl
import pytest

from benchmarks.matching.metrics import (
    cluster_counts,
    cluster_scores,
    kind_scores,
    lookalike_merges,
    pair_scores,
    pairs_from_labels,
    report,
)

# a, b, c are company X; d is Y (a look-alike of X); e has no company.
ROWS = pl.DataFrame(
    {
        "contact_id": ["a", "b", "c", "d", "e"],
        "true_company_id": ["X", "X", "X", "Y", ""],
        "error_kinds": ["typo_keyboard", "", "typo_keyboard;freemail", "", "placeholder_company"],
        "predicted": ["1", "1", "2", "2", "2"],
    }
)
UNIVERSE = pl.DataFrame(
    {"company_id": ["X", "Y", "Z"], "lookalike_group": ["G1", "G1", None]},
    schema={"company_id": pl.Utf8, "lookalike_group": pl.Utf8},
)


def test_pairwise_scores_count_shared_labels() -> None:
    s = cluster_scores(ROWS, "predicted")
    # true pairs ab ac bc; predicted ab cd ce de; only ab is right
    assert (s.true_positives, s.predicted_pairs, s.true_pairs) == (1, 4, 3)
    assert s.precision == pytest.approx(0.25)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))


def test_set_version_agrees_on_the_hand_made_case() -> None:
    ids = ROWS["contact_id"].to_list()
    pred = pairs_from_labels(dict(zip(ids, ROWS["predicted"].to_list(), strict=True)))
    true = pairs_from_labels(dict(zip(ids, ROWS["true_company_id"].to_list(), strict=True)))
    assert true == {("a", "b"), ("a", "c"), ("b", "c")}
    assert pair_scores(pred, true) == cluster_scores(ROWS, "predicted")
    # order inside a pair and self-pairs do not count
    assert pair_scores({("b", "a"), ("c", "c")}, {("a", "b")}).precision == 1.0


def test_per_kind_recall_and_precision() -> None:
    by_kind = {r["kind"]: r for r in kind_scores(ROWS, "predicted").iter_rows(named=True)}
    typo = by_kind["typo_keyboard"]
    assert (typo["true_pairs"], typo["found"], typo["predicted_pairs"]) == (3, 1, 3)
    assert typo["recall"] == pytest.approx(1 / 3) and typo["precision"] == pytest.approx(1 / 3)
    free = by_kind["freemail"]
    assert (free["true_pairs"], free["found"], free["predicted_pairs"]) == (2, 0, 2)
    assert free["recall"] == 0.0 and free["precision"] == 0.0
    placeholder = by_kind["placeholder_company"]
    assert (placeholder["true_pairs"], placeholder["predicted_pairs"]) == (0, 2)
    assert placeholder["precision"] == 0.0 and placeholder["recall"] == 1.0


def test_lookalike_merges_count_different_companies_of_one_group() -> None:
    merged = lookalike_merges(ROWS, UNIVERSE, "predicted")
    assert merged.row_pairs == 1  # c (X) with d (Y)
    assert merged.company_pairs == frozenset({("X", "Y")})
    assert merged.lookalike_company_pairs == 1
    apart = ROWS.with_columns(pl.Series("predicted", ["1", "1", "1", None, ""]))
    merged = lookalike_merges(apart, UNIVERSE, "predicted")
    assert merged.row_pairs == 0 and not merged.company_pairs
    assert merged.lookalike_company_pairs == 1  # Y is mentioned, though left unclustered


def test_cluster_counts_and_extremes() -> None:
    assert cluster_counts(ROWS, "predicted") == {
        "predicted_clusters": 2,
        "true_companies": 2,
        "rows_unassigned": 0,
        "rows_without_company": 1,
    }
    singletons = ROWS.with_columns(pl.Series("predicted", ["1", "2", "3", "4", None]))
    s = cluster_scores(singletons, "predicted")
    assert (s.precision, s.recall) == (1.0, 0.0)
    lumped = ROWS.with_columns(pl.lit("all").alias("predicted"))
    s = cluster_scores(lumped, "predicted")
    assert (s.true_positives, s.predicted_pairs, s.recall) == (3, 10, 1.0)
    assert "look-alikes merged: 1 of 1" in report(lumped, UNIVERSE, "predicted")


def test_polars_counts_match_listed_pairs_on_random_clusterings() -> None:
    rng = random.Random(7)
    for _ in range(25):
        n = rng.randint(2, 40)
        ids = [f"r{i}" for i in range(n)]
        true = [rng.choice(["A", "B", "C", "D", ""]) for _ in ids]
        pred = [rng.choice(["1", "2", "3", "", None]) for _ in ids]
        frame = pl.DataFrame(
            {"true_company_id": true, "predicted": pred},
            schema={"true_company_id": pl.Utf8, "predicted": pl.Utf8},
        )
        expected = pair_scores(
            pairs_from_labels(dict(zip(ids, pred, strict=True))),
            pairs_from_labels(dict(zip(ids, true, strict=True))),
        )
        assert cluster_scores(frame, "predicted") == expected
