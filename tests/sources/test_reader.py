"""The CSV reader on a corpus of dirty files, through both engines, which must agree."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.errors import ExportReadError
from workbench.sources.reader import read_csv_export, read_csv_exports, scan_csv_export

ENGINES = ["python", "polars"]

# name -> (bytes, expected: columns, rows as dicts without provenance, lines, quarantined lines)
CORPUS: dict[str, bytes] = {
    "plain": b"id,name,zip\n1,Ann,02134\n2,Bob,10001\n",
    "bom": "\ufeffid,name\n1,Zoë\n".encode(),
    "cp1252": "id,name,city\n1,Ren\xe9e,M\xfcnchen\n2,Fran\xe7ois,Caf\xe9 \x80\n".encode("latin-1"),
    "semicolon": b"id;name;amount\n1;Ann;1,50\n2;Bob;2,75\n",
    "tab": b"id\tname\tnote\n1\tAnn\thas, commas\n2\tBob\tx\n",
    "title": "Contacts export – 2024-05-01\n\nid,name,email\n1,Ann,a@x.com\n2,Bob,b@x.com\n".encode(),
    "title_padded": b"Contacts export 2024-05-01,,\nid,name,email\n1,Ann,a@x.com\n",
    "duplicate_headers": b"id,Name,Name,Name\n1,a,b,c\n",
    "trailing_empty": b"id,name,,\n1,Ann,,\n2,Bob,,\n",
    "trailing_named_by_values": b"id,name,\n1,Ann,extra\n2,Bob,\n",
    "embedded_newlines": b'id,note,name\n1,"line one\nline two\nline three",Ann\n2,"say ""hi""",Bob\n3,plain,Cy\n',
    "crlf": b'id,note\r\n1,"a\r\nb"\r\n2,c\r\n',
    "ragged": b"id,name,email\n1,Ann,a@x.com\n2,Bob\n3,Cy,c@x.com,EXTRA\n4,Di,d@x.com,,\n5,Ed,e@x.com\n",
    "blank_lines": b"id,name\n1,Ann\n\n2,Bob\n\n",
    "numbers_as_text": b"id,zip,phone,big\n00042,02134,4.15555E+09,12345678901234567890\n",
    "truncated_last": b'id,note\n1,ok\n2,"cut off',
    "nul_row": b"id,name\n1,Ann\n2,B\x00b\n3,Cy\n",
    "stray_quote": b"id,height\n1,5'10\"\n2,6'1\"\n",
}


def write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CORPUS[name])
    return path


def rows(table) -> list[dict]:
    return table.frame.drop("_file", "_line").to_dicts()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_cell_is_text_and_leading_zeros_survive(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "numbers_as_text"), engine=engine)
    assert all(table.frame.schema[c] == pl.Utf8 for c in table.columns)
    assert rows(table) == [
        {"id": "00042", "zip": "02134", "phone": "4.15555E+09", "big": "12345678901234567890"}
    ]
    assert table.frame.get_column("_line").to_list() == [2]


@pytest.mark.parametrize("engine", ENGINES)
def test_encodings(tmp_path: Path, engine: str) -> None:
    bom = read_csv_export(write(tmp_path, "bom"), engine=engine)
    assert bom.columns == ["id", "name"] and rows(bom) == [{"id": "1", "name": "Zoë"}]
    assert bom.encoding == "utf-8-sig"
    legacy = read_csv_export(write(tmp_path, "cp1252"), engine=engine)
    assert legacy.encoding == "cp1252"
    assert rows(legacy)[0] == {"id": "1", "name": "Renée", "city": "München"}
    assert rows(legacy)[1]["city"] == "Café €"
    assert any("cp1252" in n for n in legacy.notes)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("name", "delimiter"), [("semicolon", ";"), ("tab", "\t"), ("plain", ",")])
def test_delimiters(tmp_path: Path, engine: str, name: str, delimiter: str) -> None:
    table = read_csv_export(write(tmp_path, name), engine=engine)
    assert table.delimiter == delimiter
    assert len(table.columns) == 3 and table.frame.height == 2
    if name == "semicolon":
        assert rows(table)[0]["amount"] == "1,50"
    if name == "tab":
        assert rows(table)[0]["note"] == "has, commas"


@pytest.mark.parametrize("engine", ENGINES)
def test_title_lines_above_the_header(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "title"), engine=engine)
    assert table.columns == ["id", "name", "email"]
    assert table.frame.get_column("_line").to_list() == [4, 5]
    assert any("title line" in n and "Contacts export" in n for n in table.notes)
    padded = read_csv_export(write(tmp_path, "title_padded"), engine=engine)
    assert padded.columns == ["id", "name", "email"]
    assert padded.frame.get_column("_line").to_list() == [3]


@pytest.mark.parametrize("engine", ENGINES)
def test_duplicate_and_missing_header_names(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "duplicate_headers"), engine=engine)
    assert table.columns == ["id", "Name", "Name (2)", "Name (3)"]
    assert rows(table) == [{"id": "1", "Name": "a", "Name (2)": "b", "Name (3)": "c"}]
    assert sum("duplicate header" in n for n in table.notes) == 2
    empty_tail = read_csv_export(write(tmp_path, "trailing_empty"), engine=engine)
    assert empty_tail.columns == ["id", "name"]
    assert any("dropped" in n for n in empty_tail.notes)
    kept = read_csv_export(write(tmp_path, "trailing_named_by_values"), engine=engine)
    assert kept.columns == ["id", "name", "Column 3"]
    assert rows(kept)[0]["Column 3"] == "extra"


@pytest.mark.parametrize("engine", ENGINES)
def test_line_numbers_count_embedded_newlines(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "embedded_newlines"), engine=engine)
    assert table.frame.get_column("_line").to_list() == [2, 5, 6]
    assert rows(table)[0]["note"] == "line one\nline two\nline three"
    assert rows(table)[1]["note"] == 'say "hi"'
    crlf = read_csv_export(write(tmp_path, "crlf"), engine=engine)
    assert crlf.frame.get_column("_line").to_list() == [2, 4]
    blank = read_csv_export(write(tmp_path, "blank_lines"), engine=engine)
    assert blank.frame.get_column("_line").to_list() == [2, 4]


@pytest.mark.parametrize("engine", ENGINES)
def test_ragged_rows_are_quarantined_with_reason(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "ragged"), engine=engine, object_name="contacts")
    assert table.frame.get_column("id").to_list() == ["1", "4", "5"]
    assert table.frame.get_column("_line").to_list() == [2, 5, 6]
    q = table.quarantine.sort("line")
    assert q.get_column("line").to_list() == [3, 4]
    assert q.get_column("reason").to_list() == [
        "too few fields: expected 3, found 2",
        "too many fields: expected 3, found 4",
    ]
    assert q.get_column("value").to_list() == ["2,Bob", "3,Cy,c@x.com,EXTRA"]
    assert q.get_column("map_object").to_list() == ["contacts", "contacts"]


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_last_line_is_quarantined(tmp_path: Path, engine: str) -> None:
    table = read_csv_export(write(tmp_path, "truncated_last"), engine=engine)
    assert rows(table) == [{"id": "1", "note": "ok"}]
    assert table.quarantine.select("line", "reason").rows() == [
        (3, "the file ends inside a quoted field (truncated last line)")
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_nul_bytes_inside_a_value_are_removed_and_reported(tmp_path: Path, engine: str) -> None:
    nul = read_csv_export(write(tmp_path, "nul_row"), engine=engine)
    assert rows(nul) == [{"id": "1", "name": "Ann"}, {"id": "2", "name": "Bb"},
                         {"id": "3", "name": "Cy"}]  # fmt: skip
    assert nul.quarantine.height == 0
    assert nul.repairs.select("repair", "column", "value", "_file", "_line").rows() == [
        ("nul_removed", "name", "Bb", "nul_row.csv", 3)
    ]
    assert "NUL bytes removed from 1 value(s) (name: 1)" in nul.notes


def legacy_contacts() -> bytes:
    """15 contacts from a legacy exporter: NULs inside two names, 64 NULs of block padding."""
    lines = ["id,first_name,last_name,email"]
    names = ["Ann", "Bob", "Cy", "Dee", "Eric", "Fay", "Gus", "Hal", "Ida", "Jo", "Kim", "Lu",
             "Mo", "Ned", "Ola"]  # fmt: skip
    for i, name in enumerate(names, start=1):
        lines.append(f"{i},{name},Smith,{name.lower()}@example.com")
    text = "\r\n".join(lines) + "\r\n"
    text = text.replace(",Eric,", ",Er\x00ic,").replace("Ned,Smith", "Ned,Sm\x00ith")
    return text.encode() + b"\x00" * 64


@pytest.mark.parametrize("engine", ENGINES)
def test_legacy_export_with_nuls_keeps_every_row(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(legacy_contacts())
    table = read_csv_export(path, engine=engine)
    assert table.frame.height == 15
    assert table.quarantine.height == 0
    assert table.frame.get_column("first_name")[4] == "Eric"
    assert table.frame.get_column("last_name")[13] == "Smith"
    assert table.frame.get_column("_line").to_list() == list(range(2, 17))
    assert sorted(table.repairs.select("column", "_line").rows()) == [
        ("first_name", 6), ("last_name", 15)
    ]  # fmt: skip
    assert "64 NUL byte(s) of padding after the last line ignored" in table.notes


@pytest.mark.parametrize("engine", ENGINES)
def test_nul_padding_without_a_final_line_break(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "padded.csv"
    path.write_bytes(b"id,name\n1,Ann\n2,Bob" + b"\x00" * 30)
    table = read_csv_export(path, engine=engine)
    assert rows(table) == [{"id": "1", "name": "Ann"}, {"id": "2", "name": "Bob"}]
    assert table.repairs.height == 0 and table.quarantine.height == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_row_of_binary_data_is_still_quarantined(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"id,name\n1,Ann\n2,\x00\x00\x00\x00\x00\x00\x01\x00\n3,Cy\n")
    table = read_csv_export(path, engine=engine)
    assert table.frame.get_column("id").to_list() == ["1", "3"]
    assert table.quarantine.get_column("line").to_list() == [3]
    assert "NUL" in table.quarantine.get_column("reason")[0]


WIDE = {
    "utf-16 LE with BOM": ("utf-16-le", b"\xff\xfe"),
    "utf-16 BE with BOM": ("utf-16-be", b"\xfe\xff"),
    "utf-16 LE": ("utf-16-le", b""),
    "utf-16 BE": ("utf-16-be", b""),
    "utf-32 LE with BOM": ("utf-32-le", b"\xff\xfe\x00\x00"),
    "utf-32 BE": ("utf-32-be", b""),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(WIDE))
def test_unicode_text_as_excel_saves_it(tmp_path: Path, engine: str, name: str) -> None:
    codec, bom = WIDE[name]
    text = 'id\tname\tcity\r\n1\tZoë\tМосква\r\n2\t"Ann\r\nMarie"\tKöln\r\n3\tBob\t東京\r\n'
    path = tmp_path / "Contacts.txt"
    path.write_bytes(bom + text.encode(codec))
    table = read_csv_export(path, engine=engine)
    assert rows(table) == [
        {"id": "1", "name": "Zoë", "city": "Москва"},
        {"id": "2", "name": "Ann\r\nMarie", "city": "Köln"},
        {"id": "3", "name": "Bob", "city": "東京"},
    ]
    assert table.frame.get_column("_line").to_list() == [2, 3, 5]
    assert table.delimiter == "\t"
    assert any(n.startswith("encoding: UTF-") for n in table.notes), table.notes


def test_utf16_cut_short_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "Contacts.txt"
    path.write_bytes(b"\xff\xfe" + "id\tname\n1\tAnn\n2\tBo".encode("utf-16-le") + b"b")
    with pytest.raises(ExportReadError) as info:
        read_csv_export(path)
    assert info.value.file == "Contacts.txt" and info.value.line == 3
    assert "UTF-16" in str(info.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_unreadable_files_raise_with_file_and_line(tmp_path: Path, engine: str) -> None:
    cases = {
        "empty.csv": (b"", 1, "empty"),
        "blank.csv": (b"\n\n  \n", 1, "empty"),
        "header_only.csv": (b"id,name,email\n", 1, "no records"),
        "open_quote.csv": (b'id,note\n1,"never closed\n2,x\n3,y\n', 2, "never closed"),
        "workbook.csv": (b"PK\x03\x04" + bytes(range(256)) * 10, 1, "Excel"),
        "binary.csv": (bytes(range(256)) * 40, 1, "binary"),
    }
    for name, (data, line, words) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ExportReadError) as info:
            read_csv_export(path, engine=engine)
        assert info.value.file == name
        assert info.value.line == line, name
        assert words in str(info.value), name


def test_stray_quotes_fall_back_to_the_python_engine(tmp_path: Path) -> None:
    table = read_csv_export(write(tmp_path, "stray_quote"))
    assert rows(table) == [{"id": "1", "height": "5'10\""}, {"id": "2", "height": "6'1\""}]
    assert "read with the python engine" in table.notes


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_both_engines_give_the_same_table(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name)
    python = read_csv_export(path, engine="python")
    auto = read_csv_export(path, engine="auto")
    assert python.frame.equals(auto.frame), name
    assert python.quarantine.equals(auto.quarantine), name
    assert python.encoding == auto.encoding and python.delimiter == auto.delimiter


def test_very_wide_file(tmp_path: Path) -> None:
    header = ",".join(["id"] + [f"custom_{i}" for i in range(400)])
    body = "\n".join(",".join([str(r)] + [f"v{r}_{i}" for i in range(400)]) for r in range(50))
    path = tmp_path / "wide.csv"
    path.write_text(header + "\n" + body + "\n")
    for engine in ENGINES:
        table = read_csv_export(path, engine=engine)
        assert len(table.columns) == 401 and table.frame.height == 50
        assert table.frame.get_column("custom_399")[49] == "v49_399"


def test_batches_are_concatenated_and_broken_ones_collected(tmp_path: Path) -> None:
    (tmp_path / "b1.csv").write_text("id,name\n1,Ann\n2,Bob\n")
    (tmp_path / "b2.csv").write_text("id,name,extra\n3,Cy,x\n")
    (tmp_path / "b3.csv").write_text("")
    paths = [tmp_path / "b1.csv", tmp_path / "b2.csv", tmp_path / "b3.csv"]
    with pytest.raises(ExportReadError):
        read_csv_exports(paths, "contacts")
    table = read_csv_exports(paths, "contacts", on_error="collect")
    assert table.frame.select("id", "_file", "_line").rows() == [
        ("1", "b1.csv", 2),
        ("2", "b1.csv", 3),
        ("3", "b2.csv", 2),
    ]
    assert [e.file for e in table.errors] == ["b3.csv"]
    assert any("columns differ" in n for n in table.notes)


def test_lazy_scan_matches_the_eager_read(tmp_path: Path) -> None:
    path = write(tmp_path, "title")
    lazy, layout = scan_csv_export(path)
    assert layout.names == ["id", "name", "email"]
    eager = read_csv_export(path)
    assert lazy.collect().equals(eager.frame.drop("_file", "_line"))


def test_long_nul_padding_after_the_last_line_is_counted_whole(tmp_path: Path) -> None:
    path = tmp_path / "blocks.csv"
    path.write_bytes(b"id,name\r\n1,Ann\r\n2,Bob\r\n" + b"\x00" * 10_000)
    table = read_csv_export(path)
    assert rows(table) == [{"id": "1", "name": "Ann"}, {"id": "2", "name": "Bob"}]
    assert "10000 NUL byte(s) of padding after the last line ignored" in table.notes
    assert "blank line(s) skipped" not in " ".join(table.notes)


def test_nul_in_a_header_name_and_in_an_empty_trailing_column(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    clean = b"".join(b"%d,Cy,\n" % n for n in range(3, 9))
    path.write_bytes(b"id,na\x00me,\n1,Ann,\x00\n2,B\x00ob,\n" + clean)
    table = read_csv_export(path)
    assert table.columns == ["id", "name"]
    assert rows(table)[:2] == [{"id": "1", "name": "Ann"}, {"id": "2", "name": "Bob"}]
    assert table.repairs.select("column", "_line").rows() == [("name", 3)]
