"""Values Twenty refuses a whole record for are mended (or dropped, flagged) before a batch is
sent, so batches do not split over them; the load reports splits and requests per record."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
from emulated import BATCH

from workbench.load import Ledger, reconcile, run_load
from workbench.load.payload_check import UniqueValues, mend_payload
from workbench.records import OUTCOME_SCHEMA, PLAN_SCHEMA, LoadPlan, Phase, dumps
from workbench.twenty.payload_rules import check_phones

KARTRA_PHONE = {  # what a real Twenty refused 105 times in the Kartra sample
    "primaryPhoneNumber": "7700900557",
    "primaryPhoneCallingCode": "+44",
    "primaryPhoneCountryCode": "US",
}


def test_disagreeing_codes_are_re_derived_from_the_calling_code() -> None:
    body, flags = mend_payload({"name": {"firstName": "A"}, "phones": KARTRA_PHONE})
    assert body["phones"] == {
        "primaryPhoneNumber": "7700900557",
        "primaryPhoneCountryCode": "GB",
        "primaryPhoneCallingCode": "+44",
    }
    assert "disagreed" in flags[0]
    check_phones(body["phones"])


def test_a_phone_twenty_cannot_read_is_dropped_with_a_flag() -> None:
    phones = {"primaryPhoneNumber": "call me", "primaryPhoneCountryCode": "US"}
    body, flags = mend_payload({"phones": phones, "city": "X"})
    assert body == {"city": "X"} and "cannot read" in flags[0]


def test_bad_additional_phones_and_urls_are_left_out() -> None:
    body, flags = mend_payload(
        {
            "phones": {
                "primaryPhoneNumber": "2025550100",
                "primaryPhoneCountryCode": "US",
                "primaryPhoneCallingCode": "+1",
                "additionalPhones": [
                    {"number": "12", "countryCode": "ZZ"},
                    {"number": "4165550123", "countryCode": "US", "callingCode": "+1"},
                ],
            },
            "linkedinLink": {
                "primaryLinkUrl": "not a url",
                "secondaryLinks": [{"url": "https://ok.example.com", "label": ""}],
            },
        }
    )
    assert body["phones"]["additionalPhones"] == [
        {"countryCode": "CA", "callingCode": "+1", "number": "4165550123"}
    ]
    assert body["linkedinLink"]["primaryLinkUrl"] is None
    assert len(flags) == 3


def test_acceptable_bodies_are_left_alone() -> None:
    body = {"phones": {"primaryPhoneNumber": "2025550100", "primaryPhoneCountryCode": "US"}}
    assert mend_payload(body) == (body, [])


def test_a_taken_email_moves_to_the_additional_emails() -> None:
    unique = UniqueValues("people", {"a@x.io": "contacts:1"})
    flags: list[str] = []
    body = unique.claim("contacts:2", {"emails": {"primaryEmail": "A@x.io"}}, flags)
    assert body["emails"] == {"primaryEmail": "", "additionalEmails": ["A@x.io"]}
    assert "contacts:1" in flags[0]
    assert unique.claim("contacts:1", {"emails": {"primaryEmail": "a@x.io"}}, []) == {
        "emails": {"primaryEmail": "a@x.io"}
    }


def _plan(people: list[dict[str, Any]]) -> LoadPlan:
    rows = [
        {
            "record_key": f"contacts:{i}",
            "source_keys": [f"contacts:{i}"],
            "payload": dumps({"srcId": str(i), **p}),
            "refs": "{}",
            "_file": "contacts.csv",
            "_line": i + 2,
        }
        for i, p in enumerate(people)
    ]
    phase = Phase("people", "people", pl.DataFrame(rows, schema=PLAN_SCHEMA), ["contacts"], "srcId")
    return LoadPlan(phases=[phase], outcomes=pl.DataFrame(schema=OUTCOME_SCHEMA))


def test_refusable_values_cost_no_split_batch(client, ledger: Ledger, run_dir) -> None:
    """Before: every bad phone split its batch down to one record and lost the person."""
    people = [
        {
            "name": {"firstName": f"P{i}"},
            "emails": {"primaryEmail": "shared@x.io" if i in (3, 9) else f"p{i}@x.io"},
            "phones": KARTRA_PHONE if i % 4 == 0 else {},
        }
        for i in range(3 * BATCH)
    ]
    report = run_load(_plan(people), client, ledger, mode="full")
    assert report.ok, report
    assert report.phases[0].counts["created"] == 3 * BATCH
    assert (report.split_batches, report.batches) == (0, 3)
    assert report.requests_per_record is not None and report.requests_per_record < 0.5
    row = ledger.row("contacts:4")
    assert json.loads(row["body"])["phones"]["primaryPhoneCountryCode"] == "GB"
    assert any("disagreed" in f for f in json.loads(row["flags"]))
    summary = reconcile(_plan(people), client, ledger).batches
    assert summary["split_batches"] == 0 and summary["create_requests"] == 3


def test_splits_are_counted_where_twenty_still_refuses(client, ledger: Ledger) -> None:
    """A field the workspace lacks cannot be known before sending: that batch splits, counted."""
    people = [{"name": {"firstName": f"P{i}"}} for i in range(BATCH)]
    people[3]["nickname"] = "x"
    report = run_load(_plan(people), client, ledger, mode="full")
    assert report.phases[0].counts == {**report.phases[0].counts, "created": BATCH - 1}
    assert report.split_batches == 4  # 10 → 5 → 3 → 2 → the refused record alone
    assert "4 split batches" in str(report)
    frame = report.to_frame()
    assert frame.get_column("split batches").to_list() == [4]
    assert ledger.batch_stats()["people"]["refused"] == 1


def test_choice_values_without_an_option_are_dropped() -> None:
    choices = {"stage": ["NEW", "MEETING"], "tags": ["VIP", "LEAD"]}
    body, flags = mend_payload({"name": "D", "stage": "WON", "tags": ["VIP", "Hot"]}, choices)
    assert body == {"name": "D", "tags": ["VIP"]}
    assert flags == [
        "stage: 'WON' dropped: no such option",
        "tags: ['Hot'] dropped: no such option",
    ]


def test_an_unknown_stage_costs_no_split_batch(client, ledger: Ledger) -> None:
    rows = [
        {
            "record_key": f"deals:{i}",
            "source_keys": [f"deals:{i}"],
            "payload": dumps(
                {"srcId": f"D{i}", "name": f"Deal {i}", "stage": "WON" if i == 2 else "NEW"}
            ),
            "refs": "{}",
            "_file": "deals.csv",
            "_line": i + 2,
        }
        for i in range(BATCH)
    ]
    frame = pl.DataFrame(rows, schema=PLAN_SCHEMA)
    plan = LoadPlan(
        phases=[Phase("opportunities", "opportunities", frame, ["deals"], "srcId")],
        outcomes=pl.DataFrame(schema=OUTCOME_SCHEMA),
    )
    report = run_load(plan, client, ledger, mode="full")
    assert report.ok and report.split_batches == 0, report
    assert report.phases[0].counts["created"] == BATCH
    row = ledger.row("deals:2")
    assert "stage" not in json.loads(row["body"]) and "no such option" in row["flags"]
