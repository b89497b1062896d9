"""Kartra: batches reassembled exactly, every other file read, inventories kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from workbench.errors import ExportReadError
from workbench.samples.truth import SAMPLES_DIR, read_discovery, read_truth
from workbench.sources import kartra
from workbench.sources.base import get_source

ROOT = SAMPLES_DIR / "kartra"


@pytest.fixture(scope="module")
def export():
    return kartra.read_export(ROOT)


def test_registry_finds_the_module() -> None:
    assert get_source("Kartra") is kartra
    assert kartra.NAME == "kartra" and kartra.LABEL == "Kartra"


def test_objects_and_row_counts(export) -> None:
    discovery = read_discovery("kartra")
    expected = {o: i["rows"] for o, i in discovery["objects"].items() if not o == "sequences"}
    assert {o: t.frame.height for o, t in export.tables.items()} == expected
    assert len(export.inventory_data["sequences"]) == discovery["objects"]["sequences"]["rows"]
    for table in export.tables.values():
        assert table.frame.select(pl.exclude("_line")).dtypes == [pl.Utf8] * (table.frame.width - 1)


def test_reassembly_removes_exactly_the_planted_overlaps(export) -> None:
    overlaps = read_truth("kartra", "batch_overlaps.csv")
    contacts = export.tables["contacts"].frame
    assert contacts["id"].n_unique() == contacts.height
    in_files = read_discovery("kartra")["objects"]["contacts"]["rows_in_files"]
    assert in_files - contacts.height == len(overlaps)
    kept = {(f, line) for f, line in contacts.select("_file", "_line").iter_rows()}
    for item in overlaps:
        assert (item["later_file"], int(item["later_line"])) in kept, item
        assert (item["earlier_file"], int(item["earlier_line"])) not in kept, item
    changed = sum(1 for o in overlaps if o["changed"] == "yes")
    note = export.notes[0]
    assert f"{len(overlaps)} row(s) exported in two batches removed" in note
    assert f"{changed} edited between exports" in note


def test_contacts_ordered_oldest_to_newest_with_creation_date_kept(export) -> None:
    dates = export.tables["contacts"].frame["date_joined"].to_list()
    assert dates == sorted(dates)
    raw = read_truth("kartra", "people.csv")
    assert len(raw) == read_discovery("kartra")["objects"]["contacts"]["rows_in_files"]


def test_na_values_stay_text(export) -> None:
    assert (export.tables["contacts"].frame["middle_name"] == "N/A").sum() > 0


def test_later_batch_values_win_for_edited_rows(export) -> None:
    from workbench.samples.truth import rows_by_line

    contacts = export.tables["contacts"].frame
    for item in [o for o in read_truth("kartra", "batch_overlaps.csv") if o["changed"] == "yes"][
        :5
    ]:
        later = rows_by_line(ROOT / item["later_file"])[int(item["later_line"])]
        score = contacts.filter(pl.col("id") == item["row_id"])["score"].item()
        assert score == later["score"]


def test_single_batch_and_missing_files(tmp_path: Path) -> None:
    shutil.copy(ROOT / "contacts_export_2.csv", tmp_path / "Contacts_Export_2.csv")
    export = kartra.read_export(tmp_path)
    assert list(export.tables) == ["contacts"]
    assert "1 export batch(es)" in export.notes[0]
    assert any(n.startswith("transactions: no file") for n in export.notes)


def test_no_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ExportReadError):
        kartra.read_export(tmp_path / "missing")


def test_broken_sequences_json_names_the_line(tmp_path: Path) -> None:
    shutil.copy(ROOT / "contacts_export_1.csv", tmp_path)
    (tmp_path / "sequences.json").write_text('[\n{"name": "x",\n}\n]\n', encoding="utf-8")
    with pytest.raises(ExportReadError) as err:
        kartra.read_export(tmp_path)
    assert err.value.file == "sequences.json" and err.value.line == 3
