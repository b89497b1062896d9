"""The committed Salesmate sample: reproducible, readable, and matching its ground truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl

from workbench.samples import DEFAULT_SEED
from workbench.samples import salesmate as sample
from workbench.sources.base import get_source
from workbench.sources.schema import load_source_schema

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
ROOT = SAMPLES / "salesmate"
TRUTH = ROOT / "truth"


def files_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def truth_rows(name: str) -> list[dict[str, str]]:
    with (TRUTH / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_regeneration_is_byte_identical(tmp_path: Path) -> None:
    sample.generate(tmp_path, DEFAULT_SEED)
    fresh, committed = files_under(tmp_path / "salesmate"), files_under(ROOT)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in committed if fresh[name] != committed[name]]
    assert changed == []


def test_tables_have_the_planted_row_counts_and_only_text() -> None:
    export = get_source("salesmate").read_export(ROOT)
    planted = json.loads((TRUTH / "discovery.json").read_text(encoding="utf-8"))["objects"]
    counts = {name: table.frame.height for name, table in export.tables.items()}
    print("salesmate rows:", counts)
    assert counts == {name: info["rows"] for name, info in planted.items()}
    for table in export.tables.values():
        assert table.quarantine.height == 0
        assert all(
            dtype == pl.Utf8 for name, dtype in table.frame.schema.items() if name != "_line"
        )
    assert export.inventory_data["smart_flows"][0]["steps"]
    assert export.assets["attachments"].is_dir()


def test_file_and_line_point_at_the_truth_rows() -> None:
    contacts = get_source("salesmate").read_export(ROOT).tables["contacts"].frame
    where = {(f, n): i for f, n, i in contacts.select("_file", "_line", "id").iter_rows()}
    people = truth_rows("people.csv")
    assert len(people) == contacts.height
    assert all(where[(row["file"], int(row["line"]))] == row["row_id"] for row in people)
    for page in sorted((ROOT / "contacts").glob("page-*.json")):
        data = json.loads(page.read_text(encoding="utf-8"))["Data"]
        assert len(data["data"]) <= 250 and data["totalRows"] == contacts.height


def test_custom_columns_are_what_the_schema_does_not_list() -> None:
    export = get_source("salesmate").read_export(ROOT)
    schema = load_source_schema("salesmate")
    planted = json.loads((TRUTH / "discovery.json").read_text(encoding="utf-8"))["custom_columns"]
    found = {}
    for name, table in export.tables.items():
        extra = [c for c in table.columns if c not in schema.objects[name].columns]
        if extra:
            found[name] = extra
    assert found == planted


def test_columns_truth_names_a_target_for_every_raw_column() -> None:
    export = get_source("salesmate").read_export(ROOT)
    described: dict[str, set[str]] = {}
    for row in truth_rows("columns.csv"):
        assert row["object"] and row["field"], row
        described.setdefault(row["file"], set()).add(row["column"])
    for table in export.tables.values():
        for file in table.frame["_file"].unique().to_list():
            assert set(table.columns) <= described[file], file


def test_company_mentions_and_associations_point_at_real_rows() -> None:
    export = get_source("salesmate").read_export(ROOT)
    company_ids = set(export.tables["companies"].frame["id"].to_list())
    contact_ids = set(export.tables["contacts"].frame["id"].to_list())
    mentions = truth_rows("company_mentions.csv")
    assert {m["row_id"] for m in mentions} == company_ids
    assert len({m["company_id"] for m in mentions}) < len(mentions)  # duplicates planted
    links = truth_rows("associations.csv")
    for link in links:
        if link["status"] == "unresolvable":
            assert link["contact"] not in contact_ids and not link["company"]
        else:
            assert not link["contact"] or link["contact"] in contact_ids
            assert not link["company"] or link["company"] in company_ids
    assert sum(link["status"] == "unresolvable" for link in links) == 6


def test_most_users_are_workspace_members() -> None:
    members = {
        m["email"].lower() for m in json.loads((SAMPLES / "workspace_members.json").read_text())
    }
    users = get_source("salesmate").read_export(ROOT).tables["users"].frame["email"].to_list()
    outside = sorted(u for u in users if u.lower() not in members)
    planted = json.loads((TRUTH / "discovery.json").read_text(encoding="utf-8"))["owners"]
    print("salesmate users not in the workspace:", outside)
    assert outside == planted["not_in_workspace"]
    assert len(users) - len(outside) > len(outside)


def test_attachment_files_match_their_records() -> None:
    frame = get_source("salesmate").read_export(ROOT).tables["attachments"].frame
    for path, size in frame.select("path", "fileSize").iter_rows():
        assert (ROOT / path).stat().st_size == int(size)


def test_readme_documents_the_salesmate_sample() -> None:
    from workbench.samples.salesmate_truth import readme_section

    discovery = json.loads((TRUTH / "discovery.json").read_text(encoding="utf-8"))
    assert readme_section(discovery) in (SAMPLES / "README.md").read_text(encoding="utf-8")
