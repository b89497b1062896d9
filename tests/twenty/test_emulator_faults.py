"""Injected faults, Twenty's own throttling, and the 2.x behaviours."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from emulator_helpers import client_for, gql

from workbench.twenty.emulator import FaultPlan, RateLimit

PEOPLE = "query { people(first: 1) { totalCount } }"


def test_429_burst_carries_retry_after(tmp_path: Path) -> None:
    with client_for(tmp_path / "w.sqlite", faults=FaultPlan(rate_429=1.0, retry_after=0.25)) as c:
        answers = [c.get("/rest/companies") for _ in range(5)]
        assert {a.status_code for a in answers} == {429}
        assert answers[0].headers["Retry-After"] == "0.25"
        assert c.get("/healthz").status_code == 200  # only the API is throttled


def test_5xx_rate_is_seeded_and_partial(tmp_path: Path) -> None:
    with client_for(tmp_path / "w.sqlite", faults=FaultPlan(rate_5xx=0.5, seed=7)) as c:
        codes = [c.get("/rest/companies").status_code for _ in range(40)]
    assert codes.count(503) and codes.count(200) and set(codes) == {200, 503}


def test_dropped_connection_after_commit_really_committed(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite"
    with client_for(db, faults=FaultPlan(drop_after_commit=1.0)) as c:
        with pytest.raises(httpx.RemoteProtocolError):
            c.post("/rest/companies", json={"name": "Sent once"})
        seen = c.get(
            "/rest/companies", params={"filter": 'name[eq]:"Sent once"'}
        ).json()  # GETs are never dropped
    assert seen["totalCount"] == 1


def test_graphql_throttling_is_per_root_field_and_rest_is_not_throttled(tmp_path: Path) -> None:
    with client_for(tmp_path / "w.sqlite", rate_limit=RateLimit(ttl=60, limit=2)) as c:
        bodies = [gql(c, PEOPLE).json() for _ in range(3)]
        assert "errors" not in bodies[1]
        assert bodies[2] == {
            "errors": [
                {
                    "message": "Too many requests.",
                    "extensions": {
                        "code": "INTERNAL_SERVER_ERROR",
                        "userFriendlyMessage": "An error occurred.",
                    },
                }
            ],
            "data": {"people": None},
        }
        assert "errors" not in gql(c, "query { companies(first: 1) { totalCount } }").json()
        assert all(c.get("/rest/people").status_code == 200 for _ in range(5))
    with client_for(tmp_path / "f.sqlite", faults=FaultPlan(graphql_throttle_after=1)) as c:
        assert "errors" not in gql(c, PEOPLE).json()
        assert gql(c, PEOPLE).json()["errors"][0]["message"] == "Too many requests."


def test_version_2_answers_429_caps_batches_and_upserts_over_rest(tmp_path: Path) -> None:
    with client_for(
        tmp_path / "w.sqlite", version="2.x", rate_limit=RateLimit(ttl=60, limit=2)
    ) as c:
        assert c.get("/client-config").json()["appVersion"] == "2.0.0"
        assert [gql(c, PEOPLE).status_code for _ in range(3)] == [200, 200, 429]
    with client_for(tmp_path / "v.sqlite", version="2.x") as c:
        capped = c.post("/rest/batch/companies", json=[{"name": str(i)} for i in range(61)])
        assert capped.status_code == 400 and "60" in capped.json()["messages"][0]
        assert (
            c.post("/rest/batch/companies", json=[{"name": str(i)} for i in range(60)]).status_code
            == 201
        )
        first = c.post(
            "/rest/people", json={"emails": {"primaryEmail": "u@x.com"}, "city": "A"}
        ).json()["data"]["createPerson"]
        again = c.post(
            "/rest/people",
            params={"upsert": "true"},
            json={"emails": {"primaryEmail": "u@x.com"}, "city": "B"},
        )
        assert (
            again.status_code == 201 and again.json()["data"]["createPerson"]["id"] == first["id"]
        )
        assert (
            c.get("/rest/companies", params={"filter": "name[startsWith]:5"}).json()["totalCount"]
            == 11
        )
    with client_for(tmp_path / "o.sqlite") as c:
        assert c.get("/client-config").json()["appVersion"] == "1.7.0"
        c.post("/rest/people", json={"emails": {"primaryEmail": "u@x.com"}})
        assert (
            c.post(
                "/rest/people",
                params={"upsert": "true"},
                json={"emails": {"primaryEmail": "u@x.com"}},
            ).status_code
            == 400
        )
        assert (
            c.post("/rest/batch/companies", json=[{"name": str(i)} for i in range(61)]).status_code
            == 201
        )


def test_tokens_are_checked_like_the_real_server(tmp_path: Path) -> None:
    with client_for(tmp_path / "w.sqlite", api_key="my-key") as c:
        assert c.get("/rest/people", headers={"Authorization": "Bearer my-key"}).status_code == 200
        assert c.get("/rest/people", headers={"Authorization": ""}).status_code == 403
        assert (
            c.get("/rest/people", headers={"Authorization": "Bearer nope"}).json()["error"]
            == "UNAUTHENTICATED"
        )
        assert c.get("/rest/open-api/core", headers={"Authorization": ""}).status_code == 403
        doc = c.get("/rest/open-api/core").json()
        assert doc["openapi"] == "3.1.1" and "/people" in doc["paths"]
        assert (
            c.post("/rest/batch/people", content=b"x" * (10 * 1024 * 1024 + 1)).status_code == 500
        )
