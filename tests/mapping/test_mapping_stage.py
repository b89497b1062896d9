"""Staging: Twenty shapes, refs, quarantine and queue; every row ends in exactly one place."""

from __future__ import annotations

import json
import time

import polars as pl
import pytest
from mapping_fixtures import MAPPINGS, SAMPLES, make_table

from workbench.errors import MapValidationError
from workbench.mapping import StageParams, load_confirmed_map, row_accounting, spec_from_text, stage
from workbench.records import STAGED_SCHEMA
from workbench.sources.base import get_source

SOURCES = [
    s
    for s in ("kartra", "allclients", "smartcrm", "altcraft", "salesmate")
    if (MAPPINGS / s / "map.yaml").exists() and (SAMPLES / s).exists()
]


def test_tiny_export(tiny_export, tiny_map_text):
    spec = spec_from_text(tiny_map_text)
    staged = stage(tiny_export, spec)
    people = {r["source_id"]: r for r in staged.records["contacts"].iter_rows(named=True)}
    assert set(people) == {"1"}
    ann = json.loads(people["1"]["payload"])
    assert ann["emails"] == {"primaryEmail": "ann@example.com"}
    assert ann["name"] == {"firstName": "Ann", "lastName": "Lee"}
    assert ann["tinyId"] == "1" and ann["createdAt"] == "2021-03-04T15:00:00.000Z"
    assert ann["tags"] == ["VIP", "Hot"] and ann["gdpr"] == "ACCEPTED"
    assert json.loads(people["1"]["refs"]) == {
        "companyId": {"map_object": "companies", "by": "name", "value": "Acme Inc", "alt": None}
    }
    reasons = {
        (r["source_id"], r["reason"].split(":")[0]) for r in staged.quarantine.iter_rows(named=True)
    }
    assert ("3", "email") in reasons  # cy@ is not an email
    q = {r["source_id"]: r for r in staged.quarantine.iter_rows(named=True)}
    assert "gdpr" not in q["3"]["reason"]
    assert "joined" in q["4"]["reason"] and "status" in q["4"]["reason"]  # both failures named
    assert "duplicate source id" in q["1"]["reason"] and q["1"]["line"] == 6
    assert q[""]["reason"] == "no source id"
    assert staged.queue.filter(pl.col("map_object") == "contacts")["reason"].to_list() == [
        "no email"
    ]
    assert staged.records["contacts"].schema == STAGED_SCHEMA


def test_tiny_keep_as_text_and_relation_fallback(tiny_export, tiny_map_text):
    spec = spec_from_text(
        tiny_map_text.replace(
            "      - {column: status, target: gdpr, transform: select, options: {map: gdpr}}\n", ""
        ).replace("    created_at: {column: joined}\n", "")
    )
    staged = stage(tiny_export, spec)
    di = json.loads(staged.records["contacts"].filter(pl.col("source_id") == "4")["payload"][0])
    assert di["phoneText"] == "4.15555E+09" and "phones" not in di
    deals = {r["source_id"]: r for r in staged.records["deals"].iter_rows(named=True)}
    assert json.loads(deals["D2"]["refs"])["pointOfContactId"] == {
        "map_object": "contacts",
        "by": "email",
        "value": "di@example.org",
        "alt": None,
    }
    d1 = json.loads(deals["D1"]["payload"])
    assert (
        d1["amount"] == {"amountMicros": 1_200_500_000, "currencyCode": "USD"}
        and d1["stage"] == "CLOSED_WON"
    )
    assert json.loads(deals["D2"]["payload"])["name"] == "Deal"
    companies = staged.records["companies"]
    assert sorted(companies["source_id"].to_list()) == ["acme", "acme inc", "beta"]


def test_missing_columns_reported_at_once_with_map_lines(tiny_export, tiny_map_text):
    spec = spec_from_text(
        tiny_map_text.replace("column: phone,", "column: telephone,").replace(
            "column: value,", "column: amount_usd,"
        ),
        "tiny.yaml",
    )
    with pytest.raises(MapValidationError) as info:
        stage(tiny_export, spec)
    assert len(info.value.problems) == 2
    assert all(p.line for p in info.value.problems) and "telephone" in str(info.value)


def test_headers_match_loosely(tiny_export, tiny_map_text):
    renamed = tiny_export.tables["contacts"].frame.rename({"first": "First", "email": "E-Mail"})
    tiny_export.tables["contacts"].frame = renamed
    staged = stage(tiny_export, spec_from_text(tiny_map_text))
    assert staged.records["contacts"].height == 1  # the same row as with the original headers


@pytest.mark.parametrize("source", SOURCES)
def test_default_map_stages_its_sample(source):
    spec = load_confirmed_map(MAPPINGS / source / "map.yaml")
    export = get_source(source).read_export(SAMPLES / source)
    started = time.perf_counter()
    staged = stage(export, spec)
    took = time.perf_counter() - started
    counts = row_accounting(export, spec, staged)
    print(f"\n{source}: staged in {took:.2f}s\n{counts}")
    assert counts["balanced"].all(), counts
    assert staged.quarantine.filter(pl.col("reason").str.len_chars() == 0).height == 0
    assert staged.queue.filter(pl.col("reason").str.len_chars() == 0).height == 0
    for name, frame in staged.records.items():
        obj = spec.objects[name]
        for payload in frame["payload"].head(50).to_list():
            assert json.loads(payload)[obj.source_key_field]


def test_large_table_is_fast():
    rows = [
        {
            "id": str(i),
            "email": f"user{i}@example.com",
            "phone": f"+1 415 555 {i % 10000:04d}",
            "joined": f"2021-{i % 12 + 1:02d}-{i % 28 + 1:02d} 10:00:00",
        }
        for i in range(20_000)
    ]
    export = type("E", (), {})()
    from workbench.sources.base import SourceExport

    export = SourceExport("kartra", SAMPLES, {"contacts": make_table("contacts", rows)})
    spec = spec_from_text("""source: kartra
objects:
  contacts:
    table: contacts
    target: people
    source_key: id
    source_key_field: kartraId
    created_at: {column: joined}
    fields:
      - {column: email, target: emails.primaryEmail, transform: email}
      - {column: phone, target: phones, transform: phone}
""")
    started = time.perf_counter()
    staged = stage(export, spec, params=StageParams(timezone="US/Eastern"))
    took = time.perf_counter() - started
    print(f"\n20k rows staged in {took:.2f}s")
    assert staged.records["contacts"].height == 20_000
    assert took < 10
