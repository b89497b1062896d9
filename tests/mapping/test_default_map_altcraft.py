"""The Altcraft default map: confirmed, stages the whole sample, payloads in Twenty's shapes."""

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

SOURCE = "altcraft"


def test_map_loads_confirmed_and_declares_its_objects():
    spec = load_default_map(SOURCE)
    assert spec.confirmation.confirmed_by == "default map"
    req = spec.required_schema()
    assert {o.name_plural for o in req.objects} >= {"behaviorEvents", "products", "orders"}
    rels = {(r.object, r.name, r.target) for r in req.relations}
    assert {
        ("behaviorEvent", "person", "person"),
        ("order", "person", "person"),
        ("order", "product", "product"),
    } <= rels
    fields = {(f.object, f.name): f for f in req.fields}
    subs = fields[("person", "channelSubscriptions")]
    assert subs.type == FieldType.MULTI_SELECT
    assert [o.value for o in subs.options] == ["EMAIL", "SMS", "PUSH"]
    assert fields[("person", "segmentMembership")].type == FieldType.ARRAY
    assert fields[("person", "controlGroup")].type == FieldType.TEXT
    assert fields[("person", "altcraftProfileId")].type == FieldType.TEXT
    for name in ("sendCount", "openCount", "clickCount"):
        assert fields[("opportunity", name)].type == FieldType.NUMBER
    assert not any("api_key" in (f.source_name or "") for f in req.fields)


def test_sample_balances_for_every_object():
    accounting = assert_balanced(SOURCE)
    assert set(accounting["map_object"]) >= {"profiles", "events", "orders", "channels"}
    assert_map_covers_sample_tables(SOURCE)


def test_quarantine_and_queue_say_why():
    assert_reasons_name_the_problem(SOURCE)
    _, _, staged = staged_sample(SOURCE)
    queue = staged.queue
    no_email = queue.filter(pl.col("reason").str.contains("no email"))
    assert no_email.height > 100 and set(no_email["map_object"]) == {"profiles"}
    inventories = set(queue.filter(pl.col("reason").str.starts_with("inventory"))["map_object"])
    assert inventories == {"dynamic_segments", "message_templates", "channels", "forms"}
    bad = staged.quarantine.filter(pl.col("map_object") == "profiles")
    assert bad.height > 0 and bad["reason"].str.contains("not an email address").all()
    assert_every_object_key_kept(SOURCE)


def test_credentials_are_never_copied():
    export, _, staged = staged_sample(SOURCE)
    secrets = ["example-api-key", "example-token", "example-password"]
    everything = json.dumps(
        [f.drop("flags").rows() for f in staged.records.values()]
        + [staged.queue.rows(), staged.quarantine.rows()]
    )
    assert not any(s in everything for s in secrets)
    assert export.tables["channels"].frame.height == 6


def test_profile_payloads_match_the_export():
    export, _, staged = staged_sample(SOURCE)
    people = payloads(staged, "profiles")
    row = raw_row(export, "profiles", "profile_id", "700000")
    karen = people["700000"]
    assert karen["emails"]["primaryEmail"] == row["email"].strip().lower()
    assert karen["phones"]["primaryPhoneCallingCode"] == "+1"  # (206) 555-8860, no country code
    assert karen["channelSubscriptions"] == ["PUSH"]  # email bounced, sms empty, push subscribed
    assert karen["emailStatus"] == "BOUNCED"
    assert karen["controlGroup"] == "CG-Welcome"
    assert karen["createdAt"] == "2019-01-02T17:37:16.000Z"
    assert karen["altcraftProfileId"] == "700000"
    assert refs(staged, "profiles")["700000"]["companyId"] == {
        "map_object": "companies",
        "by": "source_id",
        "value": "c217",
        "alt": None,
    }
    two = [p for p in people.values() if p.get("phones", {}).get("additionalPhones")]
    assert two, "a cell with two phones keeps the second as an additional phone"
    assert two[0]["phones"]["additionalPhones"][0]["callingCode"] == "+7"
    segs = [
        p["segmentMembership"] for p in people.values() if len(p.get("segmentMembership", [])) > 1
    ]
    assert segs and all(isinstance(s, list) for s in segs)


def test_events_orders_products_and_campaigns():
    _, _, staged = staged_sample(SOURCE)
    event = payloads(staged, "events")["ev100000"]
    assert event["eventType"] == "CART_ADD" and event["eventDate"].startswith("2022-04-07T15:30")
    assert json.loads(event["eventProperties"]) == {"sku": "SKU-056", "value": 101}
    assert refs(staged, "events")["ev100000"]["personId"]["map_object"] == "profiles"
    order = payloads(staged, "orders")["ord-200000"]
    assert order["totalAmount"] == {"amountMicros": 219_990_000, "currencyCode": "EUR"}
    assert order["status"] == "CANCELLED"
    order_refs = refs(staged, "orders")["ord-200000"]
    assert order_refs["personId"]["value"] == "701103"
    assert order_refs["productId"] == {
        "map_object": "products",
        "by": "source_id",
        "value": "p48",
        "alt": None,
    }
    product = payloads(staged, "products")["p1"]
    assert product["price"] == {"amountMicros": 82_500_000, "currencyCode": "EUR"}
    campaign = payloads(staged, "campaigns")["cmp1"]
    assert campaign["stage"] == "CAMPAIGN_SENT" and campaign["channel"] == "SMS"
    assert (campaign["sendCount"], campaign["openCount"], campaign["clickCount"]) == (
        5747,
        781,
        295,
    )
