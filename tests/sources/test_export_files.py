"""File matching: every source finds its objects saved as .txt or .tsv, in any encoding Excel
writes, and every file it leaves is listed with the reason."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from workbench.errors import ExportReadError
from workbench.sources.base import get_source
from workbench.sources.export_files import text_patterns
from workbench.sources.schema import load_source_schema
from workbench.sources.sniff import sniff_layout
from workbench.sources.unread import display_lines, list_unread

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
CSV_SOURCES = ("kartra", "allclients", "smartcrm", "altcraft")


def test_csv_patterns_also_match_txt_and_tsv() -> None:
    assert text_patterns(["contacts*.csv", "sequences*.json"]) == [
        "contacts*.csv", "contacts*.txt", "contacts*.tsv", "sequences*.json"
    ]  # fmt: skip


def _as_excel_text(source: Path, target: Path, number: int) -> None:
    """The CSV saved as Excel would: Unicode Text (.txt), UTF-16 .tsv, or tab-separated .txt."""
    layout = sniff_layout(source)
    text = source.read_text(encoding=layout.encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    kind = number % 3
    if kind == 0:
        target.with_suffix(".txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    elif kind == 1:
        target.with_suffix(".tsv").write_bytes(text.encode("utf-16-be"))
    else:
        target.with_suffix(".txt").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("source", CSV_SOURCES)
def test_every_source_reads_its_exports_saved_as_text(tmp_path: Path, source: str) -> None:
    sample = SAMPLES / source
    shutil.copytree(sample, tmp_path / source, ignore=shutil.ignore_patterns("*.csv", "truth"))
    for number, path in enumerate(sorted(sample.glob("*.csv"))):
        _as_excel_text(path, tmp_path / source / path.name, number)
    module = get_source(source)
    original, saved = module.read_export(sample), module.read_export(tmp_path / source)
    assert saved.tables.keys() == original.tables.keys()
    for name, table in original.tables.items():
        again = saved.tables[name]
        assert again.frame.drop("_file").equals(table.frame.drop("_file")), name
        assert again.quarantine.height == table.quarantine.height, name
    assert list_unread(saved, load_source_schema(source)) == []


def test_files_left_unread_are_listed_with_reasons(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "allclients" / "Contacts.csv", tmp_path)
    (tmp_path / "Contacts.xlsx").write_bytes(b"PK\x03\x04" + bytes(60))
    (tmp_path / "Notes.csv").write_bytes(b"")
    (tmp_path / "readme.md").write_text("hello", encoding="utf-8")
    (tmp_path / "old").mkdir()
    for n in range(3):
        (tmp_path / "old" / f"contacts_{n}.csv").write_text("id,name\n1,a\n", encoding="utf-8")
    (tmp_path / "old" / "notes.json").write_text("[]", encoding="utf-8")
    export = get_source("allclients").read_export(tmp_path)
    unread = {
        u.file: (u.line, u.reason) for u in list_unread(export, load_source_schema("allclients"))
    }
    assert unread.keys() == {"Contacts.xlsx", "Notes.csv", "readme.md", "old/contacts_0.csv",
                             "old/contacts_1.csv", "old/contacts_2.csv", "old/notes.json"}  # fmt: skip
    assert unread["Notes.csv"] == (1, "the file is empty, expected a header row and records")
    assert "Excel .xlsx workbook" in unread["Contacts.xlsx"][1]
    assert unread["readme.md"] == (None, "a .md file, not a CSV, TXT or TSV export")
    assert "subfolder old/" in unread["old/contacts_0.csv"][1]
    lines = display_lines(list_unread(export, load_source_schema("allclients")))
    assert any(line.startswith("old/ (4 files): in the subfolder old/") for line in lines)


def test_a_required_object_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    (tmp_path / "Contacts.csv").write_text("id,firstname,email\n", encoding="utf-8")
    shutil.copy(SAMPLES / "allclients" / "Notes.csv", tmp_path)
    with pytest.raises(ExportReadError) as info:
        get_source("allclients").read_export(tmp_path)
    assert "no contacts export could be read" in str(info.value)
    assert "Contacts.csv, line 1: the file has a header but no records" in str(info.value)
