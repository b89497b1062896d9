"""Records on the emulator: composites, uniqueness, soft delete and restore, filters, paging."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from emulator_helpers import client_for, gql, walk


@pytest.fixture
def client(tmp_path: Path) -> httpx.Client:
    with client_for(tmp_path / "w.sqlite") as c:
        yield c


def test_composites_are_stored_as_twenty_reads_them_back(client: httpx.Client) -> None:
    body = {
        "name": "Acme",
        "domainName": {"primaryLinkUrl": "HTTPS://Acme.Example.com/", "secondaryLinks": []},
        "annualRecurringRevenue": {"amountMicros": 1_500_000, "currencyCode": "USD"},
        "address": {"addressLat": 39.78, "addressLng": -89.65},
        "employees": "many",
        "createdAt": "2001-02-03T04:05:06.000Z",
    }
    company = client.post("/rest/companies", json=body).json()["data"]["createCompany"]
    assert company["domainName"] == {
        "primaryLinkLabel": None,
        "primaryLinkUrl": "https://acme.example.com",
        "secondaryLinks": None,
    }
    assert company["annualRecurringRevenue"]["amountMicros"] == "1500000"
    assert (company["address"]["addressLat"], company["address"]["addressLng"]) == (
        "39.78",
        "-89.65",
    )
    assert company["employees"] is None
    assert company["createdAt"] == "2001-02-03T04:05:06.000Z"
    assert company["createdBy"]["source"] == "API"
    note = client.post(
        "/rest/notes", json={"title": "t", "bodyV2": {"markdown": "# Hi\n\n- **one**"}}
    ).json()["data"]["createNote"]
    assert (
        '"type":"heading"' in note["bodyV2"]["blocknote"]
        and '"bold":true' in note["bodyV2"]["blocknote"]
    )
    person = client.post(
        "/rest/people",
        json={
            "emails": {"primaryEmail": "Ada@X.COM", "additionalEmails": []},
            "companyId": company["id"],
        },
    )
    assert person.json()["data"]["createPerson"]["emails"] == {
        "primaryEmail": "ada@x.com",
        "additionalEmails": None,
    }
    one = client.get(
        f"/rest/people/{person.json()['data']['createPerson']['id']}", params={"depth": 1}
    ).json()["data"]["person"]
    assert one["company"]["id"] == company["id"] and one["noteTargets"] == []


def test_unique_email_batch_is_all_or_nothing_and_soft_deleted_do_not_block(
    client: httpx.Client,
) -> None:
    first = client.post(
        "/rest/people", json={"emails": {"primaryEmail": "dup@example.com"}}
    ).json()["data"]["createPerson"]
    again = client.post("/rest/people", json={"emails": {"primaryEmail": "DUP@example.com"}})
    assert again.status_code == 400 and again.json()["error"] == "UserInputError"
    batch = client.post(
        "/rest/batch/people",
        json=[{"emails": {"primaryEmail": "b@x.com"}}, {"emails": {"primaryEmail": "B@x.com"}}],
    )
    assert batch.status_code == 400
    assert (
        client.get("/rest/people", params={"filter": "emails.primaryEmail[eq]:b@x.com"}).json()[
            "totalCount"
        ]
        == 0
    )
    assert (
        client.post(
            "/rest/batch/companies", json=[{"name": "no domain"}, {"name": "no domain either"}]
        ).status_code
        == 201
    )
    deleted = gql(
        client,
        "mutation($id: UUID!) { deletePerson(id: $id) { id deletedAt } }",
        {"id": first["id"]},
    ).json()
    assert deleted["data"]["deletePerson"]["deletedAt"] is not None
    assert client.get(f"/rest/people/{first['id']}").status_code == 400
    assert (
        client.post(
            "/rest/people", json={"emails": {"primaryEmail": "dup@example.com"}}
        ).status_code
        == 201
    )
    restored = gql(
        client, "mutation($id: UUID!) { restorePerson(id: $id) { id } }", {"id": first["id"]}
    ).json()
    assert (
        restored["data"]["restorePerson"] is None
        and "duplicate key" in restored["errors"][0]["message"]
    )
    found = gql(
        client,
        "query { people(filter: {deletedAt: {is: NOT_NULL}}) { totalCount edges { node { id } } } }",
    ).json()
    assert [e["node"]["id"] for e in found["data"]["people"]["edges"]] == [first["id"]]


def test_graphql_upsert_matches_soft_deleted_and_keeps_them_deleted(client: httpx.Client) -> None:
    created = gql(
        client,
        "mutation($d: PersonCreateInput!) { createPerson(data: $d, upsert: true) { id } }",
        {"d": {"emails": {"primaryEmail": "s@x.com"}, "city": "A"}},
    ).json()
    pid = created["data"]["createPerson"]["id"]
    gql(client, "mutation($id: UUID!) { deletePerson(id: $id) { id } }", {"id": pid})
    up = gql(
        client,
        "mutation($d: [PersonCreateInput!]!) { createPeople(data: $d, upsert: true) { id city deletedAt } }",
        {
            "d": [
                {"emails": {"primaryEmail": "S@X.com"}, "city": "B"},
                {"emails": {"primaryEmail": "new@x.com"}},
            ]
        },
    ).json()["data"]["createPeople"]
    assert up[0]["id"] == pid and up[0]["city"] == "B" and up[0]["deletedAt"] is not None
    assert up[1]["id"] != pid
    too_many = gql(
        client,
        "mutation($d: [CompanyCreateInput!]!) { createCompanies(data: $d) { id } }",
        {"d": [{"name": str(i)} for i in range(201)]},
    ).json()
    assert too_many["errors"][0]["extensions"]["subCode"] == "UPSERT_MAX_RECORDS_EXCEEDED"


def test_rest_delete_is_hard_and_nulls_references(client: httpx.Client) -> None:
    company = client.post("/rest/companies", json={"name": "C"}).json()["data"]["createCompany"]
    person = client.post("/rest/people", json={"companyId": company["id"]}).json()["data"][
        "createPerson"
    ]
    assert client.delete(f"/rest/companies/{company['id']}").json() == {
        "data": {"deleteCompany": {"id": company["id"]}}
    }
    again = client.delete(f"/rest/companies/{company['id']}")
    assert again.status_code == 400 and again.json()["error"] == "EntityNotFoundError"
    assert client.get(f"/rest/people/{person['id']}").json()["data"]["person"]["companyId"] is None
    bad_fk = client.post("/rest/people", json={"companyId": company["id"]})
    assert bad_fk.status_code == 500 and "foreign key" in bad_fk.json()["messages"][0]


def test_filters_cover_the_recorded_syntax(client: httpx.Client) -> None:
    rows = [
        {"name": "Alpha (one)", "employees": 5, "idealCustomerProfile": True},
        {"name": "Beta", "employees": 50},
        {"name": "Gamma", "employees": 500, "domainName": {"primaryLinkUrl": "https://gamma.io"}},
    ]
    made = client.post("/rest/batch/companies", json=rows).json()["data"]["createCompanies"]

    def names(flt: str) -> list[str]:
        answer = client.get("/rest/companies", params={"filter": flt, "order_by": "name"})
        assert answer.status_code == 200, answer.text
        return [r["name"] for r in answer.json()["data"]["companies"]]

    assert names("name[eq]:Alpha (one)") == ["Alpha (one)"]
    assert names('or(name[eq]:"Beta",employees[gte]:500)') == ["Beta", "Gamma"]
    assert names("not(employees[lt]:50)") == ["Beta", "Gamma"]
    assert names("employees[gt]:1,idealCustomerProfile[eq]:true") == ["Alpha (one)"]
    assert names(f'id[in]:["{made[1]["id"]}","{made[2]["id"]}"]') == ["Beta", "Gamma"]
    assert names('domainName.primaryLinkUrl[is]:NOT_NULL,domainName.primaryLinkUrl[neq]:""') == [
        "Gamma"
    ]
    assert names('name[ilike]:"%ALPHA%"') == ["Alpha (one)"] and names('name[like]:"%ALPHA%"') == []
    assert names("name[startsWith]:Al") == []  # recorded on 1.7
    bad = client.get("/rest/companies", params={"filter": "name[badop]:x"})
    assert bad.status_code == 400 and "comparator badop" in bad.json()["messages"][0]
    assert client.get("/rest/companies", params={"filter": "nope[eq]:1"}).status_code == 400


def test_default_order_walks_every_row_once_and_createdat_order_loops(client: httpx.Client) -> None:
    for batch in range(3):
        client.post("/rest/batch/companies", json=[{"name": f"B{batch}-{i}"} for i in range(70)])
    ids, pages = walk(client, "companies", limit=60)
    assert len(ids) == 210 and len(set(ids)) == 210 and pages == 4
    first = client.get("/rest/companies", params={"limit": 60}).json()
    second = client.get(
        "/rest/companies", params={"limit": 60, "starting_after": first["pageInfo"]["endCursor"]}
    ).json()
    assert first["totalCount"] == 210 and second["totalCount"] == 150
    back = client.get(
        "/rest/companies", params={"limit": 60, "ending_before": second["pageInfo"]["startCursor"]}
    ).json()
    assert [r["id"] for r in back["data"]["companies"]] == [
        r["id"] for r in first["data"]["companies"]
    ]
    looped, _ = walk(client, "companies", max_pages=8, limit=60, order_by="createdAt")
    assert len(looped) > len(set(looped))  # rows sharing a batch timestamp repeat, as recorded
    assert (
        client.get("/rest/companies", params={"limit": 1000}).json()["data"]["companies"].__len__()
        == 200
    )
    assert client.get("/rest/companies", params={"limit": "-1"}).status_code == 400
