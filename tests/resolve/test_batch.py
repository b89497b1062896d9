import csv

import pytest

from workbench.sources.headers import HeaderError
from workbench.resolve.batch import dedupe_companies_file, join_notes_file


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_dedupe_companies_file_writes_one_line_per_row(tmp_path) -> None:
    source = _write(
        tmp_path / "Contacts.csv",
        [
            ["id", "Company", "email"],
            ["1", "Acme Inc.", "a@acme.com"],
            ["2", "ACME", "b@acme.com"],
            ["3", "", "c@x.com"],
            ["4", "Globex", "d@globex.com"],
        ],
    )
    out = tmp_path / "clusters.csv"
    summary = dedupe_companies_file(source, out, name_column="company")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["row"] for r in rows] == ["1", "2", "3", "4"]
    assert (
        rows[0]["cluster"] == rows[1]["cluster"] != rows[3]["cluster"] and rows[2]["cluster"] == ""
    )
    assert rows[1]["canonical_name"] == "Acme Inc." or rows[1]["canonical_name"] == "ACME"
    assert "2 companies" in summary


def test_join_notes_file_writes_one_line_per_note(tmp_path) -> None:
    contacts = _write(
        tmp_path / "Contacts.csv",
        [
            ["id", "firstname", "lastname", "email"],
            ["10", "Ann", "Lee", "ann@acme.com"],
            ["11", "Bob", "Ray", "bob@x.com"],
        ],
    )
    notes = _write(
        tmp_path / "Notes.csv",
        [
            ["email", "firstname", "lastname", "note"],
            ["ANN@acme.com", "", "", "hi"],
            ["new@x.com", "Bob", "Ray", "yo"],
            ["", "Zed", "Q", "?"],
        ],
    )
    out = tmp_path / "joined.csv"
    summary = join_notes_file(contacts, notes, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["note_row"], r["contact_row"], r["contact_key"], r["status"]) for r in rows] == [
        ("1", "1", "10", "joined"),
        ("2", "2", "11", "joined"),
        ("3", "", "", "unmatched"),
    ]
    assert all(r["reason"] for r in rows)
    assert summary.startswith("3 notes: 2 joined")


def test_missing_column_names_the_file_and_column(tmp_path) -> None:
    source = _write(tmp_path / "Contacts.csv", [["id", "Organisation"], ["1", "Acme"]])
    with pytest.raises(HeaderError) as caught:
        dedupe_companies_file(source, tmp_path / "out.csv", name_column="Company")
    assert caught.value.file == "Contacts.csv" and caught.value.column == "Company"
    assert "Organisation" in str(caught.value)
    with pytest.raises(HeaderError, match="email"):
        dedupe_companies_file(
            source, tmp_path / "out.csv", name_column="Organisation", email_column="Mail"
        )
