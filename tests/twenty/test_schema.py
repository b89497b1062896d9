"""Schema sync: plan against the live model, apply objects → fields → relations, idempotently."""

from __future__ import annotations

import json

import pytest
from fake_twenty import FakeTwenty, drop_after_commit, make_client

from workbench.errors import TwentyError
from workbench.twenty import (
    FieldInfo,
    FieldSpec,
    FieldType,
    ObjectInfo,
    ObjectSpec,
    RelationSpec,
    SchemaRequirements,
    SelectOption,
    apply_schema,
    plan_schema,
)


def person(*extra: FieldInfo) -> ObjectInfo:
    fields = [
        FieldInfo(id=f"f-{n}", name=n, type=t)
        for n, t in [("id", "UUID"), ("name", "FULL_NAME"), ("city", "TEXT")]
    ]
    return ObjectInfo(
        id="o-person", name_singular="person", name_plural="people", fields=fields + list(extra)
    )


def requirements() -> SchemaRequirements:
    return SchemaRequirements(
        objects=[
            ObjectSpec("behaviorEvent", "behaviorEvents", "Behavior Event", "Behavior Events")
        ],
        fields=[
            FieldSpec(
                "person", "smContactId", "SM Contact Id", FieldType.TEXT, source_name="Contact ID"
            ),
            FieldSpec("person", "gdpr_status__c", "GDPR Status", FieldType.TEXT),
            FieldSpec(
                "person",
                "lifecycleStage",
                "Lifecycle Stage",
                FieldType.SELECT,
                options=[
                    SelectOption("Lead", "LEAD"),
                    SelectOption("Customer", "CUSTOMER"),
                    SelectOption("Churned", "churned"),
                ],
            ),
            FieldSpec("behaviorEvent", "eventType", "Event Type", FieldType.TEXT),
        ],
        relations=[RelationSpec("behaviorEvent", "person", "Person", "person", "Behavior Events")],
    )


def test_plan_shows_exists_create_options_and_translations() -> None:
    stage = FieldInfo(
        id="f-stage",
        name="lifecycleStage",
        type="SELECT",
        options=[{"id": "x", "value": "LEAD", "label": "Lead", "position": 0}],
    )
    plan = plan_schema(
        requirements(), [person(FieldInfo(id="f-sm", name="smContactId", type="TEXT"), stage)]
    )
    by_name = {item.name: item for item in plan.items}
    assert by_name["behaviorEvent"].action == "create"
    assert (
        by_name["smContactId"].action == "exists"
        and by_name["smContactId"].source_name == "Contact ID"
    )
    assert (
        by_name["gdprStatus"].action == "create"
        and by_name["gdprStatus"].source_name == "gdpr_status__c"
    )
    stage_item = by_name["lifecycleStage"]
    assert stage_item.action == "add options"
    assert [o.value for o in stage_item.new_options] == ["CUSTOMER", "CHURNED"]
    assert "'churned' → CHURNED" in stage_item.detail
    assert (
        by_name["eventType"].action == "create" and by_name["eventType"].object == "behaviorEvent"
    )
    assert by_name["person"].kind == "relation" and by_name["person"].action == "create"
    frame = plan.to_frame()
    assert frame.columns == [
        "kind",
        "object",
        "name",
        "source_name",
        "type",
        "action",
        "detail",
        "outcome",
    ]
    assert frame.height == 6
    summary = plan.summary()
    assert "1 object: 1 create" in summary
    assert "4 fields: 1 exists, 2 create, 1 add options" in summary
    assert "2 names translated" in summary


def test_plan_reports_every_conflict() -> None:
    reqs = SchemaRequirements(
        fields=[
            FieldSpec("person", "city", "City", FieldType.NUMBER),
            FieldSpec("deal", "amountX", "Amount", FieldType.NUMBER),
            FieldSpec("person", "tags", "Tags", FieldType.MULTI_SELECT),
        ],
        relations=[RelationSpec("person", "employer", "Employer", "nowhere", "People")],
    )
    plan = plan_schema(reqs, [person()])
    assert [i.action for i in plan.items] == ["conflict"] * 4
    assert "exists as TEXT" in plan.items[0].detail
    assert "'deal' does not exist" in plan.items[1].detail
    assert "at least one option" in plan.items[2].detail
    assert "'nowhere'" in plan.items[3].detail
    assert plan.summary().count("conflict:") == 4


def test_apply_refuses_conflicts_before_any_change() -> None:
    fake = FakeTwenty()
    reqs = requirements()
    reqs.fields.append(FieldSpec("person", "city", "City", FieldType.NUMBER))
    client = make_client(fake)
    plan = plan_schema(reqs, client.list_objects())
    with pytest.raises(TwentyError, match="1 conflict"):
        apply_schema(client, plan)
    assert not [r for r in fake.requests if r.url.path == "/metadata"]


def mutations(fake: FakeTwenty) -> list[str]:
    out = []
    for request in fake.requests:
        if request.url.path == "/metadata":
            query = json.loads(request.content)["query"]
            out.append(query.split("(")[0].split()[-1])
    return out


def test_apply_creates_in_order_and_a_second_run_creates_nothing() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    plan = plan_schema(requirements(), client.list_objects())
    applied = apply_schema(client, plan)
    assert mutations(fake) == [
        "CreateOneObject",
        "CreateOneField",
        "CreateOneField",
        "CreateOneField",
        "CreateOneField",
        "CreateOneField",
    ]
    assert {i.outcome for i in applied.items} == {"created"}
    relation = json.loads(fake.requests[-1].content)["variables"]["input"]["field"]
    assert (
        relation["type"] == "RELATION"
        and relation["relationCreationPayload"]["type"] == "MANY_TO_ONE"
    )
    event = client.object_info("behaviorEvents")
    assert {"eventType", "person", "personId"} <= {f.name for f in event.fields}
    assert (
        relation["relationCreationPayload"]["targetObjectMetadataId"]
        == client.object_info("person").id
    )

    fake.requests.clear()
    again = apply_schema(client, plan)
    assert mutations(fake) == []
    assert {i.outcome for i in again.items} == {"exists"}

    more = requirements()
    more.fields[2].options.append(SelectOption("Partner", "PARTNER"))
    third = apply_schema(client, plan_schema(more, client.list_objects(refresh=True)))
    assert mutations(fake) == ["UpdateOneField"]
    update = json.loads(fake.requests[-1].content)["variables"]["input"]
    values = [o["value"] for o in update["update"]["options"]]
    assert values == ["LEAD", "CUSTOMER", "CHURNED", "PARTNER"]
    assert all(
        o.get("id") for o in update["update"]["options"][:3]
    )  # existing options keep their ids
    assert [o["position"] for o in update["update"]["options"]] == [0, 1, 2, 3]
    assert [i.outcome for i in third.items if i.name == "lifecycleStage"] == ["options added"]


def test_a_field_created_but_unanswered_is_found_not_recreated() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    person_id = client.object_info("person").id
    fake.fail.append(drop_after_commit(fake))
    field = client.create_field(
        FieldSpec("person", "smContactId", "SM Contact Id", FieldType.TEXT), person_id
    )
    stored = [f for o in fake.objects for f in o["fields"] if f["name"] == "smContactId"]
    assert len(stored) == 1 and field.id == stored[0]["id"]
    assert mutations(fake) == ["CreateOneField"]
