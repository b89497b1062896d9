"""Generic folder discovery (no schema), unreadable files, charts and the complexity table."""

from __future__ import annotations

import json
from pathlib import Path

import workbench.discovery as discovery
from workbench.discovery import discover_folder, to_png
from workbench.discovery.complexity import grade_complexity


def test_folder_discovery_profiles_every_csv_and_reports_broken_ones(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "Contacts export\nid,email,phone,signed up,tags\n"
        '1,a@x.com,(415) 555-1234,2021-01-05,"VIP, vip "\n'
        "2,a@x.com,12345,2022-03-01,V.I.P.\n"
        "3,,4.15555E+09,2023-07-09,cold\n"
        "4,bad@,415-555-9876,2024-02-02\n"
    )
    (tmp_path / "broken.csv").write_bytes(b"")
    d = discover_folder(tmp_path)
    assert d.errors == [{"file": "broken.csv", "line": 1, "column": None,
                         "message": "the file is empty, expected a header row and records"}]  # fmt: skip
    people = d.objects["people"]
    assert people.rows == 3 and people.quarantine.height == 1  # row 4 lacks the tags field
    assert people.flag_count("duplicate_email") == 2
    assert people.flag_count("no_email") == 1
    assert people.flag_count("invalid_phone") == 1
    assert people.flag_count("excel_mangled_number") == 1
    assert people.date_range == {"column": "signed up", "oldest": "2021-01-05 00:00:00",
                                 "newest": "2023-07-09 00:00:00"}  # fmt: skip
    doc = json.loads(json.dumps(d.to_json()))
    entry = doc["files"][0]
    assert entry["file"] == "people.csv" and entry["rows"] == 3
    assert entry["quarantined"][0]["line"] == 6
    assert "too few fields" in entry["quarantined"][0]["reason"]


def test_charts_render_to_png(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "id,created,tags\n"
        + "".join(f'{i},2021-0{1 + i % 9}-01,"a, b{i % 3}"\n' for i in range(30))
    )
    d = discover_folder(tmp_path)
    for figure in (d.completeness_chart("c"), d.tag_chart("c", "tags"), d.records_chart("c")):
        assert figure is not None
        assert to_png(figure).startswith(b"\x89PNG")


def test_complexity_grades_follow_the_tables() -> None:
    small = grade_complexity(source="altcraft", mapped_1to1=7, total_objects=12, columns=100,
                             custom_columns=3, records=20_000, migrating_objects=8)  # fmt: skip
    grades = {g.dimension: g.grade for g in small.dimensions}
    assert grades == {"object compatibility": "B", "field mapping clarity": "C",
                      "timeline complexity": "B", "API constraints": "B", "data volume": "A"}  # fmt: skip
    assert (
        small.overall == "B" and small.compatibility == "7 of 12" and small.compatibility_pct == 58
    )
    assert small.timeline_weeks == (4, 7)  # 3–5 default + 1–2 for more than 10,000 records
    big = grade_complexity(source="kartra", mapped_1to1=2, total_objects=10, columns=40,
                           custom_columns=30, records=3_000_000, migrating_objects=14, map_confirmed=True)  # fmt: skip
    grades = {g.dimension: g.grade for g in big.dimensions}
    assert grades["object compatibility"] == "D" and grades["data volume"] == "D"
    assert grades["field mapping clarity"] == "D" and big.overall == "D"
    assert all(g.inputs for g in big.dimensions)


def test_public_api() -> None:
    assert set(discovery.__all__) == {"Discovery", "ObjectDiscovery", "discover", "discover_folder",
                                      "discover_table", "to_png"}  # fmt: skip


def test_nul_damage_is_repaired_and_counted_per_column(tmp_path: Path) -> None:
    from tests.sources.test_reader import legacy_contacts

    (tmp_path / "contacts.csv").write_bytes(legacy_contacts())
    doc = json.loads(json.dumps(discover_folder(tmp_path).to_json()))
    contacts = doc["objects"]["contacts"]
    assert contacts["rows"] == 15 and contacts["quarantined"] == []
    assert contacts["repairs"] == {"nul_removed": {"first_name": 1, "last_name": 1}}
    assert contacts["flags"]["nul_removed|first_name"]["rows"] == 1
    assert contacts["flags"]["nul_removed|first_name"]["examples"] == ["contacts.csv:6 Eric"]
    assert contacts["flag_rows"]["nul_removed"] == 2
