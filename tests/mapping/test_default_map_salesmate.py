"""The Salesmate default map: confirmed, stages the whole sample, payloads in Twenty's shapes."""

from __future__ import annotations

import json

import polars as pl
from default_map_checks import (
    assert_balanced,
    assert_every_object_key_kept,
    assert_map_covers_sample_tables,
    assert_reasons_name_the_problem,
    payloads,
    raw_row,
    refs,
    staged_sample,
)

from workbench.mapping import load_default_map
from workbench.twenty.model import FieldType

SOURCE = "salesmate"


def test_map_loads_confirmed_and_declares_stages_with_probability():
    spec = load_default_map(SOURCE)
    assert spec.confirmation.confirmed_by == "default map"
    req = spec.required_schema()
    fields = {(f.object, f.name): f for f in req.fields}
    stage = fields[("opportunity", "stage")]
    assert [o.value for o in stage.options][:2] == ["LEAD_IN", "CONTACT_MADE"]
    assert len(stage.options) == 8
    assert [o.value for o in fields[("opportunity", "pipeline")].options] == [
        "SALES_PIPELINE",
        "RENEWALS",
    ]
    probabilities = {e.option_value: e.probability for e in spec.value_maps["deal_stage"].values}
    assert probabilities["VERBAL_YES"] == 90 and probabilities["LEAD_IN"] == 10
    assert fields[("person", "tags")].type == FieldType.ARRAY
    assert fields[("person", "interests")].type == FieldType.MULTI_SELECT
    assert {"lostReason", "wonReason"} <= {n for o, n in fields if o == "opportunity"}
    # Users are looked up, never created, and get no custom field on workspaceMember.
    assert not any(f.object == "workspaceMember" for f in req.fields)
    assert spec.objects["users"].target == "workspaceMembers"


def test_sample_balances_for_every_object():
    accounting = assert_balanced(SOURCE)
    assert set(accounting["map_object"]) >= {"contacts", "deals", "emails", "attachments"}
    assert_map_covers_sample_tables(SOURCE)


def test_quarantine_and_queue_say_why():
    assert_reasons_name_the_problem(SOURCE)
    _, _, staged = staged_sample(SOURCE)
    no_email = staged.queue.filter(pl.col("reason").str.contains("no email"))
    assert no_email.height == 67 and set(no_email["map_object"]) == {"contacts"}
    inventories = set(
        staged.queue.filter(pl.col("reason").str.starts_with("inventory"))["map_object"]
    )
    assert inventories == {"smart_flows", "pipeline_stages", "fields"}
    assert_every_object_key_kept(SOURCE)


def test_contacts_and_companies():
    export, _, staged = staged_sample(SOURCE)
    person = payloads(staged, "contacts")["1"]
    assert person["emails"]["primaryEmail"] == "mbrown@tridenttravel.com"
    assert person["phones"]["primaryPhoneCallingCode"] == "+49"  # phone 0049…, mobile 0049…
    assert person["phones"]["additionalPhones"][0]["countryCode"] == "DE"
    assert person["preferredLanguage"] == "English" and person["birthday"] == "1972-09-10"
    assert refs(staged, "contacts")["1"]["companyId"]["value"] == "166"
    upper = [
        r["id"]
        for r in export.tables["contacts"].frame.to_dicts()
        if r["email"] and r["email"] != r["email"].lower() and "@" in r["email"]
    ]
    staged_people = payloads(staged, "contacts")
    sid = next(i for i in upper if i in staged_people)
    assert (
        staged_people[sid]["emails"]["primaryEmail"]
        == raw_row(export, "contacts", "id", sid)["email"].strip().lower()
    )
    company = payloads(staged, "companies")["101"]
    assert company["domainName"] == {"primaryLinkUrl": "https://highlanddesignstudiooftoronto.com"}
    assert refs(staged, "companies")["101"]["accountOwnerId"] == {
        "map_object": "users",
        "by": "source_id",
        "value": "3",
        "alt": None,
    }
    users = payloads(staged, "users")
    assert users["3"]["userEmail"] == "casey.nguyen@demo-agency.com"


def test_deals_tasks_emails_threads_attachments():
    _, _, staged = staged_sample(SOURCE)
    deal = payloads(staged, "deals")["5001"]
    assert deal["amount"] == {"amountMicros": 16_371_370_000, "currencyCode": "USD"}
    assert deal["stage"] == "PROPOSAL_MADE" and deal["stageProbability"] == 60
    assert deal["pipeline"] == "SALES_PIPELINE" and deal["dealStatus"] == "OPEN"
    deal_refs = refs(staged, "deals")["5001"]
    assert deal_refs["pointOfContactId"]["map_object"] == "contacts"
    assert deal_refs["pointOfContactId"]["value"] == "747"
    assert deal_refs["companyId"]["value"] == "282"
    task = payloads(staged, "tasks")["20001"]
    assert task["status"] == "DONE" and task["taskType"] == "FOLLOW_UP"
    assert refs(staged, "tasks")["20001"]["taskTargets.opportunityId"]["value"] == "5263"
    email = payloads(staged, "emails")["40001"]
    assert email["taskType"] == "EMAIL" and email["fromEmail"] == "casey.nguyen@demo-agency.com"
    assert refs(staged, "emails")["40001"]["taskTargets.personId"]["value"] == "1343"
    note = payloads(staged, "inbox_threads")["7001"]
    assert "Billing" in note["title"] and "Please call me." in note["bodyV2"]["markdown"]
    assert refs(staged, "inbox_threads")["7001"]["noteTargets.personId"]["value"] == "575"
    attachments = staged.records["attachments"]
    for payload, ref in zip(attachments["payload"], attachments["refs"], strict=True):
        assert json.loads(payload)["_file_path"].startswith("attachments/files/")
        assert len(json.loads(ref)) == 1  # linked to exactly the module's record
    first = refs(staged, "attachments")["9001"]
    assert first == {
        "companyId": {"map_object": "companies", "by": "source_id", "value": "281", "alt": None}
    }
