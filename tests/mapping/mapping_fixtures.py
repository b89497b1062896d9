"""Small in-memory exports and paths shared by the mapping tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.sources.base import SourceExport
from workbench.sources.reader import ExportTable

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


def make_table(name: str, rows: list[dict[str, str | None]]) -> ExportTable:
    frame = pl.DataFrame(rows, schema={k: pl.Utf8 for k in rows[0]}).with_columns(
        pl.lit(f"{name}.csv").alias("_file"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("_line"),
    )
    return ExportTable(object=name, files=[Path(f"{name}.csv")], frame=frame)


@pytest.fixture
def tiny_export() -> SourceExport:
    contacts = make_table(
        "contacts",
        [
            {
                "id": "1",
                "first": "Ann",
                "last": "Lee",
                "email": " Ann@Example.COM ",
                "phone": "(415) 555-2671",
                "joined": "2021-03-04 10:00:00",
                "company": "Acme Inc",
                "status": "accepted",
                "tags": "VIP, vip;Hot",
            },
            {
                "id": "2",
                "first": "Bob",
                "last": "Ray",
                "email": "N/A",
                "phone": "N/A",
                "joined": "3/4/2021",
                "company": "N/A",
                "status": "N/A",
                "tags": "N/A",
            },
            {
                "id": "3",
                "first": "Cy",
                "last": "Z",
                "email": "cy@",
                "phone": "12345",
                "joined": "2021-03-05",
                "company": "Acme",
                "status": "accepted",
                "tags": "",
            },
            {
                "id": "4",
                "first": "Di",
                "last": "Q",
                "email": "di@example.org",
                "phone": "4.15555E+09",
                "joined": "garbage",
                "company": "Beta",
                "status": "weird",
                "tags": "",
            },
            {
                "id": "1",
                "first": "Ann",
                "last": "Lee",
                "email": "ann2@example.com",
                "phone": "",
                "joined": "2021-03-04",
                "company": "",
                "status": "accepted",
                "tags": "",
            },
            {
                "id": "",
                "first": "No",
                "last": "Id",
                "email": "noid@example.com",
                "phone": "",
                "joined": "",
                "company": "",
                "status": "",
                "tags": "",
            },
        ],
    )
    deals = make_table(
        "deals",
        [
            {
                "deal_id": "D1",
                "title": "Big",
                "value": "$1,200.50",
                "stage": "Won",
                "contact_id": "1",
                "contact_email": "",
            },
            {
                "deal_id": "D2",
                "title": "",
                "value": "1.234,56 €",
                "stage": "Lost",
                "contact_id": "",
                "contact_email": "di@example.org",
            },
        ],
    )
    return SourceExport(
        source="kartra", root=Path("."), tables={"contacts": contacts, "deals": deals}
    )


TINY_MAP = """\
source: kartra
defaults: {timezone: US/Eastern}
custom_fields:
  people:
    tinyId: {type: TEXT}
    gdpr: {type: SELECT, value_map: gdpr}
    tags: {type: ARRAY}
    phoneText: {type: TEXT}
  opportunities:
    tinyDealId: {type: TEXT}
value_maps:
  gdpr:
    unknown: quarantine
    values:
      - {source: accepted, label: Accepted}
  stages:
    values:
      - {source: Won, label: Closed won, probability: 100}
      - {source: Lost, label: Closed lost, probability: 0}
objects:
  contacts:
    table: contacts
    target: people
    source_key: id
    source_key_field: tinyId
    created_at: {column: joined}
    queue:
      - {when_empty: [email], reason: no email}
    fields:
      - {columns: [first, last], target: name, transform: name}
      - {column: email, target: emails.primaryEmail, transform: email}
      - {column: phone, target: phones, transform: phone, on_invalid: keep, keep_as: phoneText}
      - {column: status, target: gdpr, transform: select, options: {map: gdpr}}
      - {column: tags, target: tags, transform: split}
    relations:
      companyId: {to: companies, by: name, column: company}
  companies:
    derive_from: {table: contacts, column: company}
    target: companies
    source_key_field: tinyCompanyKey
    fields:
      - {column: company, target: name}
  deals:
    table: deals
    target: opportunities
    source_key: deal_id
    source_key_field: tinyDealId
    fields:
      - {columns: [title, deal_id], target: name, transform: template, options: {template: "{title}", fallback: Deal}}
      - {column: value, target: amount, transform: currency}
      - {column: stage, target: stage, transform: select, options: {map: stages}}
    relations:
      pointOfContactId: {to: contacts, by: source_id, column: contact_id, fallback: {by: email, column: contact_email}}
"""


@pytest.fixture
def tiny_map_text() -> str:
    return TINY_MAP
