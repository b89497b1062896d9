"""Round trips against the built-in emulator, through its transport (no port, no monkeypatching)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_twenty import FakeClock

from workbench.errors import RateLimitedError, TwentyAPIError
from workbench.settings import Settings
from workbench.twenty import (
    FieldSpec,
    FieldType,
    ObjectSpec,
    RelationSpec,
    SchemaRequirements,
    SelectOption,
    TwentyClient,
    apply_schema,
    plan_schema,
)
from workbench.twenty.emulator import FaultPlan, RateLimit, emulator_transport


@pytest.fixture
def connect(tmp_path: Path) -> Iterator:
    transports = []

    def make(name: str = "emulator", *, real_time: bool = False, **kwargs) -> TwentyClient:
        """A client on a fresh emulated workspace; it sleeps on a fake clock unless `real_time`."""
        client_kwargs = {k: kwargs.pop(k) for k in ("batch_size", "max_retries") if k in kwargs}
        transport = emulator_transport(tmp_path / f"{name}.sqlite", **kwargs)
        transports.append(transport)
        if not real_time:
            clock = FakeClock()
            client_kwargs.update(sleep=clock.sleep, clock=clock)
        return TwentyClient(
            "http://twenty-emulator",
            "emulator",
            transport=transport,
            progress=False,
            requests_per_minute=100_000,
            **client_kwargs,
        )

    yield make
    for transport in transports:
        transport.close()


def people(n: int, start: int = 0) -> list[dict]:
    return [
        {
            "name": {"firstName": f"P{i}", "lastName": "Test"},
            "emails": {"primaryEmail": f"p{i}@example.com"},
        }
        for i in range(start, start + n)
    ]


def test_records_round_trip_on_1_7(connect, tmp_path: Path) -> None:
    client = connect()
    caps = client.capabilities()
    assert (caps.version, caps.source, caps.rest_upsert) == ("1.7.0", "documented", False)
    created = client.create_many("people", people(130), key_field="emails.primaryEmail")
    assert len({r["id"] for r in created}) == 130
    assert client.count("people") == 130
    walked = [r["id"] for r in client.find("people", page_size=50)]
    assert sorted(walked) == sorted(r["id"] for r in created)
    found = client.find_by_values(
        "people", "emails.primaryEmail", ["P7@Example.com", "nobody@example.com"]
    )
    assert list(found) == ["P7@Example.com"] and found["P7@Example.com"]["id"] == created[7]["id"]
    one = client.get("people", created[0]["id"])
    assert one["emails"]["primaryEmail"] == "p0@example.com"
    assert client.update("people", created[0]["id"], {"jobTitle": "CTO"})["jobTitle"] == "CTO"
    client.delete("people", created[0]["id"])
    assert client.get("people", created[0]["id"]) is None
    ids = [r["id"] for r in created[1:6]]
    client.soft_delete("people", ids)
    assert client.count("people") == 124
    client.restore("people", ids)
    assert client.count("people") == 129
    client.destroy("people", ids[:2])
    assert client.count("people") == 127
    again = client.upsert_many(
        "people", [{"emails": {"primaryEmail": "P9@example.com"}, "jobTitle": "CEO"}]
    )
    assert again[0]["id"] == created[9]["id"] and client.count("people") == 127
    attachment = tmp_path / "contract.pdf"
    attachment.write_bytes(b"%PDF-1.4 small")
    full_path = client.upload_file(attachment)
    assert full_path.startswith("attachment/") and full_path.endswith(".pdf")
    record = client.create(
        "attachments", {"name": "contract.pdf", "fullPath": full_path, "personId": created[9]["id"]}
    )
    assert record["fullPath"] == full_path


def test_a_newer_server_is_probed_and_its_cap_and_upsert_are_used(connect) -> None:
    client = connect("modern", version="2.x", batch_size=100)
    caps = client.capabilities()
    assert caps.version.startswith("2.") and caps.source == "probed"
    assert caps.rest_upsert is True and caps.rest_batch_cap == 60
    assert client.count("companies") == 0  # the probes left nothing behind
    created = client.create_many("companies", [{"name": f"C{i}"} for i in range(130)])
    assert len(created) == 130 and client.count("companies") == 130
    rows = [{"id": r["id"], "name": r["name"] + " (upserted)"} for r in created[:3]]
    client.upsert_many("companies", rows)
    assert client.get("companies", created[0]["id"])["name"] == "C0 (upserted)"
    assert (
        client.stats.by_kind.get("POST graphql", 0) <= 2
    )  # probes only: the upsert went over REST


def test_faults_never_duplicate_a_keyed_load(connect, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="workbench.twenty")
    plan = FaultPlan(rate_429=0.1, rate_5xx=0.1, drop_after_commit=0.2, seed=7)
    client = connect("faulty", faults=plan, batch_size=20, max_retries=12)
    client.capabilities()
    created = client.create_many("people", people(400), key_field="emails.primaryEmail")
    assert len(created) == 400 and len({r["id"] for r in created}) == 400
    assert client.count("people") == 400
    emails = [r["emails"]["primaryEmail"] for r in created]
    assert emails == [f"p{i}@example.com" for i in range(400)]
    assert client.stats.retries > 0 and client.stats.throttled > 0
    settled = [
        r.getMessage()
        for r in caplog.records
        if r.getMessage().startswith("after AmbiguousWriteError")
    ]
    assert settled, "the fault plan should have dropped at least one committed batch"


def test_graphql_throttling_is_retried_then_reported(connect) -> None:
    client = connect("throttled", faults=FaultPlan(graphql_throttle_after=2), max_retries=3)
    ids = [r["id"] for r in client.create_many("people", people(3))]
    client.soft_delete("people", ids[:1])
    client.soft_delete("people", ids[1:2])
    with pytest.raises(RateLimitedError):
        client.soft_delete("people", ids[2:])
    assert client.stats.throttled == 4


def test_a_server_rate_limit_with_retry_after_is_honoured(connect) -> None:
    # The emulator's limiter runs on the real clock, so this client really waits (< 1 s).
    client = connect(
        "limited", version="2.x", rate_limit=RateLimit(ttl=0.3, limit=3), real_time=True
    )
    for _ in range(5):
        assert client.count("people") == 0
    assert client.stats.throttled >= 1 and client.capabilities().throttles_with_429 is True


def schema_requirements(extra_option: bool = False) -> SchemaRequirements:
    options = [SelectOption("Lead", "LEAD"), SelectOption("Customer", "CUSTOMER")]
    if extra_option:
        options.append(SelectOption("Partner", "PARTNER"))
    return SchemaRequirements(
        objects=[
            ObjectSpec("behaviorEvent", "behaviorEvents", "Behavior Event", "Behavior Events")
        ],
        fields=[
            FieldSpec("person", "sm_contact_id__c", "SM Contact Id", FieldType.TEXT),
            FieldSpec(
                "person", "lifecycleStage", "Lifecycle Stage", FieldType.SELECT, options=options
            ),
            FieldSpec(
                "person",
                "tags",
                "Tags",
                FieldType.MULTI_SELECT,
                options=[SelectOption("Webinar", "WEBINAR")],
            ),
            FieldSpec("person", "leadScore", "Lead Score", FieldType.NUMBER),
            FieldSpec("behaviorEvent", "eventType", "Event Type", FieldType.TEXT),
        ],
        relations=[RelationSpec("behaviorEvent", "person", "Person", "person", "Behavior Events")],
    )


def test_schema_sync_applied_twice_against_the_emulator(connect) -> None:
    client = connect("schema")
    plan = plan_schema(schema_requirements(), client.list_objects())
    assert [i.action for i in plan.items].count("create") == 7
    applied = apply_schema(client, plan)
    assert [i.outcome for i in applied.items] == ["created"] * 7
    person = client.create_many(
        "people",
        [
            {
                "smContactId": "SM-1",
                "lifecycleStage": "CUSTOMER",
                "tags": ["WEBINAR"],
                "leadScore": 87.5,
            }
        ],
        key_field="smContactId",
    )[0]
    event = client.create(
        "behaviorEvents", {"name": "Opened email", "eventType": "open", "personId": person["id"]}
    )
    assert event["personId"] == person["id"]
    assert (
        client.find_by_values("people", "smContactId", ["SM-1"])["SM-1"]["lifecycleStage"]
        == "CUSTOMER"
    )

    before = client.stats.by_kind.get("POST metadata", 0)
    second = apply_schema(
        client, plan_schema(schema_requirements(), client.list_objects(refresh=True))
    )
    assert {i.outcome for i in second.items} == {"exists"}
    assert client.stats.by_kind.get("POST metadata", 0) == before  # not one metadata write

    third = apply_schema(
        client,
        plan_schema(schema_requirements(extra_option=True), client.list_objects(refresh=True)),
    )
    assert [i.outcome for i in third.items if i.outcome != "exists"] == ["options added"]
    field = client.object_info("person", refresh=True).field("lifecycleStage")
    assert field.option_values == ["LEAD", "CUSTOMER", "PARTNER"]
    assert (
        client.update("people", person["id"], {"lifecycleStage": "PARTNER"})["lifecycleStage"]
        == "PARTNER"
    )


def test_schema_errors_from_the_server_are_api_errors(connect) -> None:
    client = connect("schema-errors")
    person_id = client.object_info("person").id
    with pytest.raises(TwentyAPIError) as info:
        client.create_field(FieldSpec("person", "city", "City", FieldType.TEXT), person_id)
    assert info.value.error in ("INVALID_FIELD_INPUT", "BAD_USER_INPUT") and "not available" in str(
        info.value
    )


def test_from_settings_uses_the_emulator_in_the_run_folder(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "runs" / "demo"
    with TwentyClient.from_settings(Settings(), run_dir=run_dir, progress=False) as client:
        assert client.capabilities().version == "1.7.0"
        members = client.workspace_members()
    assert (run_dir / "emulator.sqlite").is_file()
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "built-in Twenty emulator" in out
    samples = json.loads(
        (Path(__file__).resolve().parents[2] / "data/samples/workspace_members.json").read_text()
    )
    assert {m["userEmail"] for m in members} == {m["email"] for m in samples}


def test_from_settings_with_url_and_key_does_not_touch_the_emulator(tmp_path: Path) -> None:
    settings = Settings(
        api_url="https://crm.example.com", api_key="real-key-never-used", requests_per_minute=42
    )
    client = TwentyClient.from_settings(settings, run_dir=tmp_path)
    assert client.base_url == "https://crm.example.com" and client.budget.requests_per_minute == 42
    assert not (tmp_path / "emulator.sqlite").exists()
    assert "real-key-never-used" not in repr(client)
    client.close()
