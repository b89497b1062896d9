"""The Smart CRM Online default map on its sample: complete, balanced, links as the truth says."""

from __future__ import annotations

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

from workbench.mapping import load_default_map

SOURCE = "smartcrm"


@pytest.fixture(scope="module")
def sample():
    return staged_sample(SOURCE)


def _rows(export, table: str, key: str) -> dict[str, dict]:
    return {r[key]: r for r in export.tables[table].frame.to_dicts()}


def test_map_loads_confirmed_by_default_map():
    spec = load_default_map(SOURCE)
    assert spec.confirmation is not None
    assert spec.confirmation.confirmed_by == "default map"


def test_every_object_balances(sample):
    export, _, staged = sample
    assert_map_covers_sample_tables(SOURCE)
    counts = {r["map_object"]: r for r in assert_balanced(SOURCE).iter_rows(named=True)}
    assert counts["companies"]["staged"] == 200
    assert counts["deals"]["staged"] == 520  # unresolvable links are resolve's to queue
    assert counts["activities"]["staged"] == 1500
    assert counts["notes"]["staged"] == 700
    inventories = staged.queue.filter(pl.col("reason").str.starts_with("inventory:"))
    assert inventories.group_by("map_object").len().sort("map_object").rows() == [
        ("owners", 11),
        ("pipeline_stages", 9),
    ]


def test_quarantine_and_queue(sample):
    export, spec, staged = sample
    assert_reasons_name_the_problem(SOURCE)
    for row in staged.quarantine.iter_rows(named=True):
        assert row["reason"].startswith(row["column"] + ":") and row["line"] >= 2, row
    na = set(spec.defaults.na_values)
    no_email = {
        sid for sid, r in _rows(export, "contacts", "Contact ID").items()
        if r["Email"] is None or r["Email"].strip() in na
    }  # fmt: skip
    queued = staged.queue.filter(pl.col("map_object") == "contacts")
    assert set(queued["source_id"]) == no_email and len(no_email) == 76
    assert set(queued["reason"]) == {"no email (reconciliation queue)"}


def test_every_record_keeps_its_source_id():
    assert_every_object_key_kept(SOURCE)


def test_columns_go_where_the_truth_says(sample):
    export, spec, _ = sample
    assert assert_truth_targets(export, spec, SOURCE) >= 70


def test_stages_follow_the_rename_table_in_pipeline_order(sample):
    export, spec, staged = sample
    renames = dict(truth(SOURCE, "stage_renames.csv").iter_rows())
    source = _rows(export, "deals", "Deal ID")
    listed = {r["Stage Name"]: r["Probability (%)"] for r in export.tables["pipeline_stages"].frame.to_dicts()}  # fmt: skip
    deals = records(staged, "deals")
    for sid, deal in deals.items():
        stage = source[sid]["Stage"]
        assert deal["payload"]["stage"] == renames[stage], sid
        given = listed.get(stage)
        assert deal["payload"].get("probability") == (float(given) if given else None), sid
    ordered = [e.option_value for e in spec.value_maps["pipeline"].values]
    in_file = [renames[r["Stage Name"]] for r in export.tables["pipeline_stages"].frame.to_dicts()]
    assert ordered[: len(in_file)] == in_file and set(ordered) == set(renames.values())
    added = {f.name: f for f in spec.required_schema().fields if f.object == "opportunity"}
    new_options = {o.value for o in added["stage"].options}
    assert new_options == set(renames.values()) - {"MEETING", "PROPOSAL"}


def test_deal_payloads_and_links(sample):
    export, _, staged = sample
    deals = records(staged, "deals")
    first = deals["DL-2001"]
    assert first["payload"]["amount"] == {"amountMicros": 200_500_000_000, "currencyCode": "EUR"}
    assert first["payload"]["createdAt"] == "2018-05-10T19:10:00.000Z"
    assert first["payload"]["owner"] == "sam.fischer@demo-agency.com"
    assert first["refs"]["companyId"] == {
        "map_object": "companies", "by": "source_id", "value": "CMP-1039", "alt": None
    }  # fmt: skip
    source = _rows(export, "deals", "Deal ID")
    links = truth(SOURCE, "associations.csv").filter(pl.col("file") == "Deals.csv")
    for row in links.iter_rows(named=True):
        refs = deals[row["row_id"]]["refs"]
        written = source[row["row_id"]]
        if row["status"] == "by_company_id":
            assert refs["companyId"]["value"] == row["company"]
        if written["Contact Name"]:
            ref = refs["pointOfContactId"]
            assert ref["map_object"] == "contacts" and ref["by"] == "name"
            assert ref["value"] == written["Contact Name"].strip()
        if row["status"] == "by_contact_name":
            assert "pointOfContactId" in refs


def test_contact_payloads_and_company_links(sample):
    export, _, staged = sample
    people = records(staged, "contacts")
    olivia = people["CON-10001"]["payload"]
    assert olivia["emails"] == {"primaryEmail": "oliviam@gmail.com"}
    assert olivia["phones"] == {
        "primaryPhoneNumber": "912580907",
        "primaryPhoneCountryCode": "ES",
        "primaryPhoneCallingCode": "+34",
    }
    assert olivia["linkedinLink"] == {"primaryLinkUrl": "https://linkedin.com/in/olivia-mitchell"}
    assert olivia["decisionMaker"] is False and olivia["preferredLanguage"] == "FRENCH"
    source = _rows(export, "contacts", "Contact ID")
    budgets = {sid: p["payload"].get("budget") for sid, p in people.items()}
    short = [sid for sid in budgets if source[sid]["Budget"] == "25k"]
    assert short and all(budgets[s]["amountMicros"] == 25_000_000_000 for s in short)
    mixed = [s for s, r in source.items() if s in people and r["Email"] != r["Email"].lower()]
    assert mixed
    for sid in mixed:
        assert people[sid]["payload"]["emails"]["primaryEmail"] == source[sid]["Email"].lower()
    links = truth(SOURCE, "associations.csv").filter(pl.col("file") == "Contacts.csv")
    for row in links.iter_rows(named=True):
        if row["row_id"] not in people:
            continue
        ref = people[row["row_id"]]["refs"]["companyId"]
        assert ref["map_object"] == "companies"
        if row["status"] == "by_id":
            assert ref == {"map_object": "companies", "by": "source_id",
                           "value": row["company"], "alt": None}  # fmt: skip
        elif row["status"] == "by_name":
            assert ref["by"] == "name"
            assert ref["value"] == source[row["row_id"]]["Company Name"].strip()
    tags = [set(p["payload"].get("tags", [])) for p in people.values()]
    options = {"CHURN_RISK", "ENTERPRISE", "NEWSLETTER", "PARTNER", "SMB", "TRADE_SHOW_2023"}
    assert all(t <= options for t in tags)
    partner = [s for s, r in source.items() if s in people and "partner" in (r["Tags"] or "")]
    assert partner and all("PARTNER" in people[s]["payload"]["tags"] for s in partner)


def test_companies_have_owner_refs(sample):
    _, _, staged = sample
    companies = records(staged, "companies")
    ref = companies["CMP-1001"]["refs"]["accountOwnerId"]
    assert ref == {"map_object": "workspaceMembers", "by": "email",
                   "value": "casey.nguyen@demo-agency.com", "alt": None}  # fmt: skip
    lumen = companies["CMP-1003"]["payload"]
    assert lumen["annualRecurringRevenue"] == {"amountMicros": 32_000_000_000_000, "currencyCode": "USD"}  # fmt: skip
    assert lumen["tags"] == ["SMB", "ENTERPRISE"] and lumen["accountTier"] == "SILVER"


def test_activities_are_typed_tasks_with_one_target(sample):
    export, _, staged = sample
    tasks = records(staged, "activities")
    source = _rows(export, "activities", "Activity ID")
    for sid, task in tasks.items():
        row, payload = source[sid], task["payload"]
        targets = {k: v for k, v in task["refs"].items() if k.startswith("taskTargets.")}
        key = (
            "taskTargets.personId"
            if row["Related To"] == "Contact"
            else "taskTargets.opportunityId"
        )
        assert list(targets) == [key], sid
        assert targets[key]["value"] == row["Related ID"]
        assert targets[key]["map_object"] == ("contacts" if "person" in key else "deals")
        assert payload["activityType"] == row["Type"].upper() and payload["status"] == "DONE"
        assert task["refs"]["assigneeId"]["by"] == "email"
        if row["Type"] == "Meeting":
            assert payload["startsAt"] and payload["endsAt"] and payload["location"]
            assert payload["bodyV2"]["markdown"].endswith("Attendees: " + row["Attendees"])
        if row["Type"] == "Call":
            assert payload["direction"] in ("INBOUND", "OUTBOUND")
            assert payload["durationMinutes"] == int(row["Duration (min)"])
            assert payload["disposition"] == row["Disposition"].upper().replace(" ", "_")
        if row["Type"] == "Email":
            assert payload["direction"] in ("SENT", "RECEIVED") and payload["title"]
    call = tasks["ACT-50002"]["payload"]
    assert call["createdAt"] == call["dueAt"] == "2016-07-21T18:52:00.000Z"


def test_notes_link_to_contact_or_deal_with_their_author(sample):
    export, _, staged = sample
    notes = records(staged, "notes")
    source = _rows(export, "notes", "Note ID")
    for sid, note in notes.items():
        row = source[sid]
        kind = "personId" if row["Related To"] == "Contact" else "opportunityId"
        assert list(note["refs"]) == [f"noteTargets.{kind}"]
        assert note["payload"]["author"] == row["Author Email"].strip().lower()
        assert "\n" not in note["payload"]["title"]
    assert notes["NT-7001"]["refs"]["noteTargets.opportunityId"]["value"] == "DL-2401"
    assert notes["NT-7002"]["payload"]["createdAt"] == "2019-10-30T00:00:00.000Z"
