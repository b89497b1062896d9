"""The AllClients default map on the AllClients sample: complete, balanced, in Twenty's shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
import pytest
from default_map_checks import (
    assert_balanced,
    assert_every_object_key_kept,
    assert_map_covers_sample_tables,
    assert_reasons_name_the_problem,
    staged_sample,
)
from map_truth_checks import assert_truth_targets, records, truth
from mapping_fixtures import SAMPLES

from workbench.mapping import load_default_map
from workbench.mapping.spec import MapSpec
from workbench.mapping.stage import _derive
from workbench.records import Staged
from workbench.sources.base import SourceExport

SOURCE = "allclients"


@dataclass
class Run:
    export: SourceExport
    spec: MapSpec
    staged: Staged

    def records(self, name: str) -> dict[str, dict]:
        return records(self.staged, name)

    def source_rows(self, table: str) -> list[dict]:
        return self.export.tables[table].frame.to_dicts()


@pytest.fixture(scope="module")
def run() -> Run:
    return Run(*staged_sample(SOURCE))


def test_map_loads_confirmed_by_default_map():
    spec = load_default_map(SOURCE)
    assert spec.confirmation is not None
    assert spec.confirmation.confirmed_by == "default map"


def test_every_object_balances(run: Run):
    assert_map_covers_sample_tables(SOURCE)
    accounting = assert_balanced(SOURCE)
    counts = {r["map_object"]: r for r in accounting.iter_rows(named=True)}
    assert counts["contacts"]["source_rows"] == 1163
    assert (
        counts["notes"]["staged"] == 1400
    )  # notes are never dropped: unmatched ones resolve later
    assert counts["tasks"]["staged"] == 620
    assert counts["attachments"]["staged"] == 14
    inventories = run.staged.queue.filter(pl.col("reason").str.starts_with("inventory:"))
    assert inventories.group_by("map_object").len().sort("map_object").rows() == [
        ("campaigns", 12),
        ("email_templates", 6),
        ("users", 11),
        ("workflows", 7),
    ]


def test_quarantine_reasons_name_the_problem(run: Run):
    assert_reasons_name_the_problem(SOURCE)
    for row in run.staged.quarantine.iter_rows(named=True):
        assert row["reason"].startswith(row["column"] + ":") and row["line"] >= 2, row
    emails = run.staged.quarantine.filter(pl.col("column") == "email")
    assert emails.height > 0
    assert all("is not an email address" in r for r in emails["reason"])


def test_every_record_keeps_its_source_id(run: Run):
    assert_every_object_key_kept(SOURCE)


def test_columns_go_where_the_truth_says(run: Run):
    assert assert_truth_targets(run.export, run.spec, SOURCE) >= 60


def test_contacts_without_email_wait_in_the_queue(run: Run):
    na = set(run.spec.defaults.na_values)
    empty = {
        r["id"]
        for r in run.source_rows("contacts")
        if r["email"] is None or r["email"].strip() in na
    }
    queued = run.staged.queue.filter(pl.col("map_object") == "contacts")
    assert set(queued["source_id"]) == empty and len(empty) == 60
    assert set(queued["reason"]) == {"no email (reconciliation queue)"}


def test_contact_payloads(run: Run):
    people = run.records("contacts")
    source = {r["id"]: r for r in run.source_rows("contacts")}
    upper = [i for i, r in source.items() if r["email"] and r["email"] != r["email"].lower()]
    assert upper
    for sid in upper:
        if sid in people:
            assert people[sid]["payload"]["emails"]["primaryEmail"] == source[sid]["email"].lower()
    michael = people["30003"]["payload"]
    assert michael["phones"] == {
        "primaryPhoneNumber": "3012347411",
        "primaryPhoneCountryCode": "DE",
        "primaryPhoneCallingCode": "+49",
    }
    assert michael["createdAt"] == "2013-06-08T18:48:46.000Z"
    assert michael["clientTier"] == "GOLD" and michael["emailStatus"] == "ACTIVE"
    assert michael["annualPremium"] == {"amountMicros": 7_795_500_000, "currencyCode": "USD"}
    assert michael["tags"] == ["Prospect", "VIP", "Client"]
    assert michael["owner"] == "riley.okafor@demo-agency.com"  # written Riley.Okafor@Demo-…
    assert michael["birthdayAsWritten"] == "05/14" and "birthday" not in michael
    assert people["30006"]["payload"]["birthday"] == "1994-11-17"
    assert people["30012"]["payload"]["annualPremium"]["amountMicros"] == 3_817_000_000
    assert people["30006"]["payload"]["referralSource"] == "REFERRAL"
    assert people["30009"]["payload"]["referralSource"] == "REFERRAL"  # written "referral"
    grouped = [p["payload"]["groups"] for p in people.values() if "groups" in p["payload"]]
    assert grouped and all(
        set(g) <= {"BOOK_CLUB", "GOLF_OUTING_2023", "REFERRAL_PARTNERS", "VIP_CLIENTS"}
        for g in grouped
    )


def test_companies_derived_from_the_company_column(run: Run):
    companies = run.records("companies")
    contacts = run.export.tables["contacts"].frame
    assert len(companies) == _derive(contacts, "company").height
    assert companies["quantum software"]["payload"]["name"] == "Quantum Software"
    people = run.records("contacts")
    for person in people.values():
        ref = person["refs"].get("companyId")
        if ref is None:
            continue
        assert ref["map_object"] == "companies" and ref["by"] == "name"
        assert re.sub(r"\s+", " ", ref["value"].strip()).lower() in companies
    mentions = truth(SOURCE, "company_mentions.csv")
    linked = {r["row_id"] for r in mentions.iter_rows(named=True)}
    with_ref = {sid for sid, p in people.items() if "companyId" in p["refs"]}
    assert with_ref <= linked


def test_notes_are_keyed_by_file_line_and_join_by_email_then_name(run: Run):
    notes = run.records("notes")
    expected = truth(SOURCE, "notes.csv")
    assert set(notes) == set(expected["row_id"])
    source = {f"{r['_file']}:{r['_line']}": r for r in run.source_rows("notes")}
    na = set(run.spec.defaults.na_values)
    for sid, note in notes.items():
        row = source[sid]
        ref = note["refs"]["noteTargets.personId"]
        assert ref["map_object"] == "contacts" and ref["by"] == "email_then_name"
        email = (row["email"] or "").strip()
        assert ref["value"] == ("" if email in na else email)
        assert ref["alt"] == f"{row['firstname']} {row['lastname']}"
    system = {sid: n for sid, n in notes.items() if source[sid]["note"].startswith("[[System]]")}
    assert len(system) == 177
    for note in system.values():
        assert note["payload"]["bodyV2"]["markdown"].startswith("[[System]]")
        assert note["payload"]["title"].startswith("System: ")
    multi = [n for n in notes.values() if "\n" in n["payload"]["bodyV2"]["markdown"]]
    assert len(multi) == 123 and all("\n" not in n["payload"]["title"] for n in multi)
    assert notes["Notes.csv:2"]["payload"]["author"] == "alex.morgan@demo-agency.com"
    assert notes["Notes.csv:2"]["payload"]["createdAt"] == "2019-02-01T17:29:29.000Z"


def test_tasks_target_the_contact_and_the_assignee(run: Run):
    tasks = run.records("tasks")
    links = truth(SOURCE, "associations.csv").filter(pl.col("file") == "Tasks.csv")
    by_email = 0
    for row in links.iter_rows(named=True):
        task = tasks[row["row_id"]]
        ref = task["refs"]["taskTargets.personId"]
        if row["status"] == "by_id":
            assert ref == {"map_object": "contacts", "by": "source_id", "value": row["contact"],
                           "alt": None}  # fmt: skip
        elif row["status"] == "by_email":
            by_email += 1
            assert ref["by"] == "email" and "@" in ref["value"]
        assignee = task["refs"]["assigneeId"]
        assert assignee["map_object"] == "workspaceMembers" and assignee["by"] == "email"
        assert assignee["value"].lower() == row["other"]
    assert by_email == 41
    first = tasks["T5001"]["payload"]
    assert first["status"] == "DONE" and first["allclientsStatus"] == "COMPLETED"
    assert first["completedAt"] == "2024-02-05T12:31:22.000Z"
    assert first["dueAt"] == "2024-02-05T00:00:00.000Z" and first["priority"] == "NORMAL"
    assert tasks["T5000"]["payload"]["status"] == "TODO"  # Overdue is still to do


def test_attachments_carry_the_file_for_the_loader(run: Run):
    files = run.records("attachments")
    root = SAMPLES / SOURCE
    present = [f for f in files.values() if (root / f["payload"]["_file_path"]).is_file()]
    assert len(present) == 13  # one indexed file is missing from the folder
    assert any("not in the folder" in n for n in run.export.notes)
    assert any("not in the index" in n for n in run.export.notes)
    first = files["F800"]
    assert first["payload"]["_file_path"] == "attachments/headshot_32285.png"
    assert first["payload"]["name"] == "headshot_32285.png"
    assert first["payload"]["createdAt"] == "2021-03-14T10:27:34.000Z"
    assert first["refs"]["personId"] == {
        "map_object": "contacts",
        "by": "source_id",
        "value": "32285",
        "alt": None,
    }
