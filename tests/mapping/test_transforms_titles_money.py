"""first_line, labelled_text and money; conditional refs, row keys and constants in staging."""

from __future__ import annotations

import json

import pytest
from mapping_fixtures import make_table

from workbench.mapping import run_transform, spec_from_text, stage
from workbench.sources.base import SourceExport

SYSTEM = {"markers": {"[[System]]": "System"}}


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("[[System]] Unsubscribed via email link", SYSTEM, "System: Unsubscribed via email link"),
        ("[[System]]", SYSTEM, "System"),
        ("\n  Sent quote for renewal.\r\nFollow up next week.", {}, "Sent quote for renewal."),
        (
            "[[System]] kept as written without markers",
            {},
            "[[System]] kept as written without markers",
        ),
        ("x" * 150, {}, "x" * 99 + "…"),
        ("   \n ", {}, None),
    ],
)
def test_first_line(text, options, expected):
    value, flags, error = run_transform("first_line", text, options)
    assert (value, error) == (expected, None) and flags == []


def test_labelled_text_skips_empty_cells():
    labels = {"labels": {"Attendees": "Attendees"}}
    both = run_transform(
        "labelled_text", {"Description": "Hi\r\nthere", "Attendees": "A; B"}, labels
    )
    assert both[0] == "Hi\nthere\n\nAttendees: A; B"
    only = run_transform("labelled_text", {"Description": None, "Attendees": "A; B"}, labels)
    assert only[0] == "Attendees: A; B"
    assert (
        run_transform("labelled_text", {"Description": " ", "Attendees": None}, labels)[0] is None
    )


@pytest.mark.parametrize(
    ("cell", "micros", "code", "flagged"),
    [
        ("25k", 25_000_000_000, "USD", True),
        ("$1.2M", 1_200_000_000_000, "USD", True),
        ("3 bn EUR", 3_000_000_000_000_000, "EUR", True),
        ("10,000", 10_000_000_000, "USD", False),
        ("50000.00", 50_000_000_000, "USD", False),
    ],
)
def test_money_reads_short_amounts(cell, micros, code, flagged):
    value, flags, error = run_transform("money", cell)
    assert error is None and value == {"amountMicros": micros, "currencyCode": code}
    assert bool(flags) == flagged


def test_money_with_currency_column_and_bad_input():
    value, _, _ = run_transform("money", {"amount": "25k", "currency": "GBP"})
    assert value == {"amountMicros": 25_000_000_000, "currencyCode": "GBP"}
    _, _, error = run_transform("money", "lots")
    assert error and "not a number" in error


MAP = """
source: tiny
objects:
  people:
    table: people
    target: people
    source_key: id
    source_key_field: tinyId
  deals:
    table: deals
    target: opportunities
    source_key: id
    source_key_field: tinyDealId
  notes:
    table: notes
    target: notes
    source_key: _row
    source_key_field: tinyNoteRow
    fields:
      - {const: Imported note, target: title}
    relations:
      noteTargets.personId: {to: people, column: rel_id, when: {rel_to: [contact]}}
      noteTargets.opportunityId: {to: deals, column: rel_id, when: {rel_to: [Deal]}}
"""


def test_refs_by_related_to_row_keys_and_constants():
    notes = make_table(
        "notes",
        [
            {"rel_to": "Contact", "rel_id": "C1"},
            {"rel_to": "Deal", "rel_id": "D1"},
            {"rel_to": "Ticket", "rel_id": "T1"},
        ],
    )
    people = make_table("people", [{"id": "C1"}])
    deals = make_table("deals", [{"id": "D1"}])
    export = SourceExport(
        source="tiny",
        root=notes.files[0].parent,
        tables={"notes": notes, "people": people, "deals": deals},
    )
    staged = stage(export, spec_from_text(MAP))
    rows = {r["source_id"]: r for r in staged.records["notes"].iter_rows(named=True)}
    assert set(rows) == {"notes.csv:2", "notes.csv:3", "notes.csv:4"}
    refs = {sid: json.loads(r["refs"]) for sid, r in rows.items()}
    assert list(refs["notes.csv:2"]) == ["noteTargets.personId"]
    assert list(refs["notes.csv:3"]) == ["noteTargets.opportunityId"]
    assert refs["notes.csv:4"] == {}
    for sid, row in rows.items():
        payload = json.loads(row["payload"])
        assert payload == {"title": "Imported note", "tinyNoteRow": sid}
