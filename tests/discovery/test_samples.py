"""Discovery finds what the sample generator planted (data/samples/<source>/truth/discovery.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from workbench.discovery import Discovery, discover
from workbench.sources.base import get_source
from workbench.sources.schema import load_source_schema

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
CONTACT_SOURCES = ["kartra", "allclients", "salesmate", "smartcrm", "altcraft"]


@cache
def run(source: str) -> tuple[Discovery, dict]:
    truth_file = SAMPLES / source / "truth" / "discovery.json"
    if not truth_file.is_file():
        pytest.skip(f"no {source} sample yet")
    export = get_source(source).read_export(SAMPLES / source)
    return discover(export, load_source_schema(source)), json.loads(truth_file.read_text())


PERSON_OBJECT = {"altcraft": "profiles"}  # Altcraft calls its contacts profiles


def contacts(d: Discovery, source: str = ""):
    return d.objects[PERSON_OBJECT.get(source, "contacts")]


@pytest.mark.parametrize("source", CONTACT_SOURCES)
def test_record_counts(source: str) -> None:
    d, truth = run(source)
    for name, expected in truth["objects"].items():
        if name in d.objects and not expected.get("inventory"):
            assert d.objects[name].rows == expected["rows"], name


@pytest.mark.parametrize("source", CONTACT_SOURCES)
def test_contact_quality_flags(source: str) -> None:
    d, truth = run(source)
    person = PERSON_OBJECT.get(source, "contacts")
    want, got = truth[person], contacts(d, source)
    assert got.flag_count("no_email") == want["no_email"]
    assert got.flag_count("to_queue") == want["no_email"]
    assert got.flag_count("invalid_email") == want["invalid_email"]
    assert got.flag_count("duplicate_email") == want["duplicate_email_rows"]
    assert got.flag_count("invalid_phone") == want["invalid_phone"]
    excel = got.flags.filter(
        (got.flags["flag"] == "excel_mangled_number")
        & got.flags["column"].str.contains("(?i)phone")
    )
    assert excel.height == want["excel_mangled_phone"]
    if "ambiguous_dates" in want:
        assert got.flag_count("ambiguous_date") == want["ambiguous_dates"]


@pytest.mark.parametrize("source", CONTACT_SOURCES)
def test_custom_fields(source: str) -> None:
    d, truth = run(source)
    for name, columns in truth.get("custom_columns", {}).items():
        if name in d.objects:
            assert [c.column for c in d.objects[name].custom_fields] == columns, name


def test_kartra_tags_lists_and_behaviour_audit() -> None:
    d, truth = run("kartra")
    c = contacts(d)
    tags = next(t for t in c.taxonomies if t.column == "tags")
    assert tags.values == truth["tags"]["values"]
    assert tags.rows_with_tags == truth["tags"]["contacts_with_tags"]
    assert sorted(map(sorted, tags.near_duplicates)) == sorted(
        map(sorted, truth["tags"]["near_duplicates"])
    )
    lists = next(t for t in c.taxonomies if t.column == "lists")
    assert lists.values == truth["lists"]["values"]
    assert d.behaviour is not None
    for behaviour, expected in truth["behavioural_tags"].items():
        assert d.behaviour[behaviour]["captured"] == bool(expected)
        assert sorted(d.behaviour[behaviour]["tags"]) == sorted(expected)
    assert c.flag_count("marker:blacklisted") == truth["contacts"]["blacklisted"]
    assert c.flag_count("marker:tags") == truth["contacts"]["bounced_tagged"]


def test_kartra_complexity_matches_the_service_description() -> None:
    d, _ = run("kartra")
    assert d.complexity is not None
    assert d.complexity.compatibility == "7 of 10" and d.complexity.compatibility_pct == 70
    grades = {g.dimension: g.grade for g in d.complexity.dimensions}
    assert grades["object compatibility"] == "B" and grades["field mapping clarity"] == "C"
    assert d.complexity.overall == "B"
    assert d.complexity.timeline_weeks == (3, 5)


def test_discovery_json_is_complete_and_serialisable() -> None:
    d, _ = run("kartra")
    doc = json.loads(json.dumps(d.to_json()))
    assert {f["file"] for f in doc["files"]} >= {"contacts_export_1.csv", "contacts_export_2.csv"}
    contacts_doc = doc["objects"]["contacts"]
    columns = {c["column"]: c for c in contacts_doc["columns"]}
    assert columns["email"]["kind"] == "email" and 0 < columns["email"]["completeness"] < 1
    assert columns["date_joined"]["kind"] == "datetime"
    assert {c["column"]: c["twenty_type"] for c in contacts_doc["custom_fields"]}[
        "Industry"
    ] == "SELECT"
    assert contacts_doc["date_range"]["oldest"] < contacts_doc["date_range"]["newest"]
    assert doc["complexity"]["overall"] == "B"
