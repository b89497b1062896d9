import csv

import pytest

from workbench.resolve.batch import dedupe_companies_file, join_notes_file
from workbench.sources.headers import HeaderError


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


AC_CONTACTS = [
    "Contact ID", "First Name", "Last Name", "Other First Name", "Other Last Name", "Company",
    "Email", "Other Email", "Phone 1", "Phone 1 Note", "Phone 2", "Phone 2 Note", "Address",
    "City", "State", "Postal Code", "Birthday", "Category", "Source", "Flag", "Add Date",
]  # fmt: skip
AC_NOTES = ["Note ID", "Email", "First Name", "Last Name", "Note Date", "Added By", "Note"]


def _contact(cid, first, last, company, email):
    row = dict.fromkeys(AC_CONTACTS, "")
    row.update({"Contact ID": cid, "First Name": first, "Last Name": last})
    row.update({"Company": company, "Email": email, "Add Date": "2/15/2014 1:15:05 PM"})
    return list(row.values())


def test_cli_join_notes_and_dedupe_run_on_the_web_ui_export_with_no_options(
    tmp_path, capsys
) -> None:
    from workbench.cli import main

    contacts = _write(
        tmp_path / "Contacts.csv",
        [
            AC_CONTACTS,
            _contact("101", "Ann", "Lee", "Acme Inc.", "ann@acme.com"),
            _contact("102", "Bob", "Ray", "ACME", "bob@acme.com"),
            _contact("103", "Cy", "Fox", "Globex LLC", "cy@globex.com"),
        ],
    )
    notes = _write(
        tmp_path / "Notes.csv",
        [
            AC_NOTES,
            ["1", "ann@acme.com", "Ann", "Lee", "2/15/2014", "me@x.com", "Called"],
            ["2", "", "Bob", "Ray", "2/16/2014", "me@x.com", "Left a message"],
            ["3", "zed@q.com", "Zed", "Q", "2/16/2014", "me@x.com", "?"],
        ],
    )
    joined = tmp_path / "joined.csv"
    args = ["join", "notes", "--contacts", str(contacts), "--notes", str(notes)]
    assert main([*args, "--out", str(joined)]) == 0
    rows = list(csv.DictReader(joined.open(encoding="utf-8")))
    assert [(r["contact_key"], r["status"]) for r in rows] == [
        ("101", "joined"),
        ("102", "joined"),
        ("", "unmatched"),
    ]
    clusters = tmp_path / "clusters.csv"
    assert main(["dedupe", "companies", "--input", str(contacts), "--out", str(clusters)]) == 0
    rows = list(csv.DictReader(clusters.open(encoding="utf-8")))
    assert rows[0]["cluster"] == rows[1]["cluster"] != rows[2]["cluster"]
    assert "3 rows, 3 with a company name, 2 companies" in capsys.readouterr().out


def test_cli_names_every_missing_column_of_both_files_at_once(tmp_path, capsys) -> None:
    from workbench.cli import main

    contacts = _write(
        tmp_path / "Contacts.csv", [AC_CONTACTS, _contact("1", "Ann", "Lee", "", "a@b.c")]
    )
    notes = _write(
        tmp_path / "Notes.csv",
        [
            [h.replace("First", "Given") for h in AC_NOTES],
            ["1", "a@b.c", "Ann", "Lee", "", "", "x"],
        ],
    )
    args = ["join", "notes", "--contacts", str(contacts), "--notes", str(notes)]
    assert main([*args, "--out", str(tmp_path / "j.csv"), "--last-name-column", "Surname"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Notes.csv, line 1, column 'firstname, Surname'")
    assert "no first name column 'firstname' (closest: 'Given Name'" in err
    assert "Contacts.csv: no last name column 'Surname'" in err
    assert "Traceback" not in err
