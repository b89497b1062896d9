"""Reading Salesmate pages: broken answers name file, line and column; bad records are kept aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.errors import ExportReadError
from workbench.sources.salesmate import page_answer, read_export, write_pages


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    write_pages(tmp_path / "contacts", [{"id": 1, "firstName": "Ana"}])
    page = tmp_path / "contacts" / "page-0001.json"
    page.write_text(page.read_text(encoding="utf-8").replace('"Ana"', "Ana"), encoding="utf-8")
    with pytest.raises(ExportReadError) as err:
        read_export(tmp_path)
    assert err.value.file == "contacts/page-0001.json" and err.value.line == 7
    assert "not valid JSON" in str(err.value)


def test_an_answer_of_the_wrong_shape_says_what_was_expected(tmp_path: Path) -> None:
    (tmp_path / "deals").mkdir()
    (tmp_path / "deals" / "page-0001.json").write_text(
        json.dumps({"Status": "success", "Data": []})
    )
    with pytest.raises(ExportReadError) as err:
        read_export(tmp_path)
    assert err.value.column == "Data.data" and "totalRows" in err.value.message


def test_repeated_and_malformed_records_are_quarantined_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "contacts").mkdir()
    pages = [
        [{"id": 1, "email": "a@x.com"}, {"id": 2, "email": None}],
        [{"id": 2, "email": "dup@x.com"}, "not a record", {"email": "no-id@x.com"}, {"id": 3}],
    ]
    for n, records in enumerate(pages, start=1):
        path = tmp_path / "contacts" / f"page-{n:04d}.json"
        path.write_text(json.dumps(page_answer(records, 4, 2)), encoding="utf-8")
    table = read_export(tmp_path).tables["contacts"]
    assert table.frame["id"].to_list() == ["1", "2", "3"]
    assert table.frame["_line"].to_list() == [1, 2, 4]
    quarantine = table.quarantine.sort("line")
    assert quarantine["line"].to_list() == [1, 2, 3]
    assert quarantine["file"].unique().to_list() == ["contacts/page-0002.json"]
    assert "already read in contacts/page-0001.json" in quarantine["reason"][0]
    assert any("3 records read" in note for note in table.notes)


def test_cells_keep_the_api_text(tmp_path: Path) -> None:
    record = {
        "id": 7,
        "dealValue": 1200.5,
        "isActive": False,
        "tags": None,
        "steps": [{"b": 1, "a": 2}],
    }
    write_pages(tmp_path / "deals", [record])
    row = read_export(tmp_path).tables["deals"].frame.row(0, named=True)
    assert row == {
        "id": "7",
        "dealValue": "1200.5",
        "isActive": "false",
        "tags": None,
        "steps": '[{"a":2,"b":1}]',
        "_file": "deals/page-0001.json",
        "_line": 1,
    }


def test_a_missing_folder_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportReadError):
        read_export(tmp_path / "nope")
