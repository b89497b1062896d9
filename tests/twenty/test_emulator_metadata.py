"""Metadata on the emulator: custom fields of every type, relations, objects, options; and the
workspace being shared by separate apps (kernels) on one SQLite file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from emulator_helpers import client_for, gql

OBJECTS = "query { objects(paging: {first: 200}) { edges { node { id nameSingular namePlural isCustom } } } }"
CREATE_FIELD = "mutation($input: CreateOneFieldMetadataInput!) { createOneField(input: $input) { id name type isNullable options settings } }"


def object_ids(c) -> dict[str, str]:
    edges = gql(c, OBJECTS, path="/metadata").json()["data"]["objects"]["edges"]
    return {e["node"]["nameSingular"]: e["node"]["id"] for e in edges}


def test_fields_of_every_type_are_usable_at_once_and_naming_rules_hold(tmp_path: Path) -> None:
    with client_for(tmp_path / "w.sqlite") as c:
        ids = object_ids(c)
        assert len(ids) == 34 and "person" in ids
        specs = {
            "TEXT": {},
            "NUMBER": {"settings": {"decimals": 2, "type": "number"}},
            "BOOLEAN": {"defaultValue": False},
            "DATE_TIME": {},
            "DATE": {},
            "SELECT": {
                "options": [{"label": "A", "value": "A_ONE", "color": "blue", "position": 0}]
            },
            "MULTI_SELECT": {
                "options": [{"label": "W", "value": "WEBINAR", "color": "red", "position": 0}]
            },
            "RICH_TEXT_V2": {},
            "LINKS": {},
            "PHONES": {},
            "EMAILS": {},
            "CURRENCY": {},
            "RATING": {},
            "ARRAY": {},
            "RAW_JSON": {},
        }
        for n, (type_, extra) in enumerate(specs.items()):
            field = {
                "objectMetadataId": ids["person"],
                "type": type_,
                "name": f"custom{n}",
                "label": f"Custom {n}",
                "isNullable": True,
                **extra,
            }
            answer = gql(c, CREATE_FIELD, {"input": {"field": field}}, path="/metadata").json()
            assert answer["data"]["createOneField"]["type"] == type_, answer
        values = {
            "custom0": "x",
            "custom1": 1.5,
            "custom2": True,
            "custom3": "2024-01-02T03:04:05.000Z",
            "custom4": "1990-07-14",
            "custom5": "A_ONE",
            "custom6": ["WEBINAR"],
            "custom7": {"markdown": "hi"},
            "custom8": {"primaryLinkUrl": "https://x.io/"},
            "custom11": {"amountMicros": 5, "currencyCode": "EUR"},
            "custom12": "RATING_3",
            "custom13": ["a"],
            "custom14": {"k": 1},
        }
        person = c.post("/rest/people", json=values).json()["data"]["createPerson"]
        assert (
            person["custom4"] == "1990-07-14T00:00:00.000Z"
            and person["custom11"]["amountMicros"] == "5"
        )
        assert (
            c.get("/rest/people", params={"filter": "custom6[containsAny]:[WEBINAR]"}).json()[
                "totalCount"
            ]
            == 1
        )
        assert c.post("/rest/people", json={"custom5": "NOPE"}).status_code == 400
        for name, message in [
            ("sm_id__c", "sm_id__c should be in camelCase"),
            ("type", 'The name "type" is not available'),
            ("createdAt", 'Name "createdAt" is not available'),
        ]:
            field = {"objectMetadataId": ids["person"], "type": "TEXT", "name": name, "label": name}
            answer = gql(c, CREATE_FIELD, {"input": {"field": field}}, path="/metadata")
            assert answer.status_code == 200 and answer.json()["errors"][0]["message"].startswith(
                message
            )
        bad_type = gql(
            c,
            CREATE_FIELD,
            {
                "input": {
                    "field": {
                        "objectMetadataId": ids["person"],
                        "type": "NOPE",
                        "name": "z",
                        "label": "z",
                    }
                }
            },
            path="/metadata",
        )
        assert bad_type.status_code == 400


def test_custom_object_relation_and_option_update_across_two_apps(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    with client_for(db) as a, client_for(db) as b:
        ids = object_ids(a)
        made = gql(
            a,
            "mutation($i: CreateOneObjectInput!) { createOneObject(input: $i) { id } }",
            {
                "i": {
                    "object": {
                        "nameSingular": "behaviorEvent",
                        "namePlural": "behaviorEvents",
                        "labelSingular": "Behavior Event",
                        "labelPlural": "Behavior Events",
                    }
                }
            },
            path="/metadata",
        ).json()
        event_id = made["data"]["createOneObject"]["id"]
        relation = {
            "objectMetadataId": event_id,
            "type": "RELATION",
            "name": "person",
            "label": "Person",
            "relationCreationPayload": {
                "type": "MANY_TO_ONE",
                "targetObjectMetadataId": ids["person"],
                "targetFieldLabel": "Behavior Events",
            },
        }
        field = gql(a, CREATE_FIELD, {"input": {"field": relation}}, path="/metadata").json()[
            "data"
        ]["createOneField"]
        assert field["settings"]["joinColumnName"] == "personId"
        person = b.post("/rest/people", json={}).json()["data"][
            "createPerson"
        ]  # the other app sees the new model
        assert (
            b.post(
                "/rest/batch/behaviorEvents", json=[{"name": "e", "personId": person["id"]}]
            ).status_code
            == 201
        )
        embedded = b.get(f"/rest/people/{person['id']}", params={"depth": 1}).json()["data"][
            "person"
        ]
        assert len(embedded["behaviorEvents"]) == 1
        attachment = b.post(
            "/rest/attachments", json={"name": "f", "fullPath": "attachment/x.pdf", "type": "Other"}
        ).json()
        assert "behaviorEventId" in attachment["data"]["createAttachment"]
        stage = next(
            f
            for f in a.get("/rest/metadata/objects").json()["data"]["objects"]
            if f["nameSingular"] == "opportunity"
        )
        stage_field = next(f for f in stage["fields"] if f["name"] == "stage")
        options = stage_field["options"] + [
            {"label": "Won", "value": "WON", "color": "green", "position": 9}
        ]
        gql(
            a,
            "mutation($i: UpdateOneFieldMetadataInput!) { updateOneField(input: $i) { id } }",
            {"i": {"id": stage_field["id"], "update": {"options": options}}},
            path="/metadata",
        )
        assert b.post("/rest/opportunities", json={"stage": "WON"}).status_code == 201
        assert a.get("/rest/metadata/objects?limit=2").status_code == 400


def test_upload_stores_bytes_and_transport_works_inside_a_running_loop(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    with client_for(db) as c:
        operations = '{"query": "mutation($file: Upload!, $fileFolder: FileFolder) { uploadFile(file: $file, fileFolder: $fileFolder) { path token } }", "variables": {"file": null, "fileFolder": "Attachment"}}'
        answer = c.post(
            "/graphql",
            data={"operations": operations, "map": '{"0": ["variables.file"]}'},
            files={"0": ("a.pdf", b"%PDF bytes", "application/pdf")},
        )
        path = answer.json()["data"]["uploadFile"]["path"]
        assert path.startswith("attachment/") and path.endswith(".pdf")
        assert c._transport.app.emulator.store.read_file(path) == b"%PDF bytes"

        async def notebook_cell() -> int:  # a Jupyter kernel runs cells while its loop is running
            return c.get("/rest/companies").status_code

        assert asyncio.run(notebook_cell()) == 200
