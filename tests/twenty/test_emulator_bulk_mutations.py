"""Many-record delete/destroy on the emulator, checked against Twenty 1.7's resolvers.

graphql-query-{delete,destroy}-many-resolver.service.ts: a `filter` is required, neither caps
how many records it affects, deleteMany checks `id.in` values are UUIDs, destroyMany leaves that
to Postgres and also removes soft-deleted rows.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from emulator_helpers import client_for, gql

DESTROY = "mutation($ids: [UUID!]) { destroyPeople(filter: {id: {in: $ids}}) { id } }"
DELETE = "mutation($ids: [UUID!]) { deletePeople(filter: {id: {in: $ids}}) { id deletedAt } }"


@pytest.fixture
def client(tmp_path: Path) -> httpx.Client:
    with client_for(tmp_path / "w.sqlite") as c:
        yield c


def people(client: httpx.Client, n: int) -> list[str]:
    body = [
        {"name": {"firstName": f"P{i}"}, "emails": {"primaryEmail": f"p{i}@x.io"}} for i in range(n)
    ]
    created = client.post("/rest/batch/people", json=body).json()["data"]["createPeople"]
    return [p["id"] for p in created]


def test_destroy_many_has_no_cap_and_takes_soft_deleted_rows(client: httpx.Client) -> None:
    ids = people(client, 250)
    gql(client, DELETE, {"ids": ids[:10]})
    body = gql(client, DESTROY, {"ids": ids}).json()
    assert "errors" not in body
    assert len(body["data"]["destroyPeople"]) == 250
    left = gql(client, "query { people(filter: {deletedAt: {is: NOT_NULL}}) { totalCount } }")
    assert left.json()["data"]["people"]["totalCount"] == 0
    assert client.get("/rest/people").json()["totalCount"] == 0


def test_destroy_answers_only_the_ids_that_existed(client: httpx.Client) -> None:
    ids = people(client, 3)
    gql(client, DESTROY, {"ids": ids[:1]})
    body = gql(client, DESTROY, {"ids": ids}).json()
    assert sorted(p["id"] for p in body["data"]["destroyPeople"]) == sorted(ids[1:])


def test_many_mutations_require_a_filter(client: httpx.Client) -> None:
    """The argument is not NonNull in the schema (no null default), so the resolver refuses."""
    ids = people(client, 1)
    body = gql(client, "mutation { destroyPeople { id } }").json()
    assert body["errors"][0]["message"] == "Filter is required"
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert [p["id"] for p in client.get("/rest/people").json()["data"]["people"]] == ids


def test_malformed_ids_delete_checks_destroy_leaves_to_postgres(client: httpx.Client) -> None:
    people(client, 1)
    soft = gql(client, DELETE, {"ids": ["not-a-uuid"]}).json()
    assert soft["errors"][0]["message"] == 'Value "not-a-uuid" is not a valid UUID'
    assert soft["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    hard = gql(client, DESTROY, {"ids": ["not-a-uuid"]}).json()
    assert hard["errors"][0]["message"] == 'invalid input syntax for type uuid: "not-a-uuid"'
    assert hard["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert client.get("/rest/people").json()["totalCount"] == 1


def test_rest_has_no_bulk_delete_on_1_7(client: httpx.Client) -> None:
    ids = people(client, 2)
    answer = client.delete("/rest/people", params={"filter": f"id[in]:[{ids[0]}]"})
    assert answer.status_code == 400
    assert answer.json()["messages"] == ["Record ID not found"]
    assert client.get("/rest/people").json()["totalCount"] == 2
