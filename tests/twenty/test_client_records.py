"""Records over REST and GraphQL: batches, safe retries, pagination, lookups, upsert, files."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fake_twenty import (
    FakeClock,
    FakeTwenty,
    answer,
    drop_after_commit,
    make_client,
    passes,
    raise_,
)

from workbench.errors import AmbiguousWriteError, TwentyAPIError, TwentyError


def people(n: int, start: int = 0) -> list[dict]:
    return [
        {"smContactId": f"SM-{i:05d}", "name": {"firstName": f"P{i}"}}
        for i in range(start, start + n)
    ]


def batch_sizes(fake: FakeTwenty) -> list[int]:
    return [
        len(json.loads(r.content)) for r in fake.requests if r.url.path.startswith("/rest/batch/")
    ]


def test_create_many_sends_batches_and_returns_records_in_order() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    created = client.create_many("people", people(150))
    assert batch_sizes(fake) == [60, 60, 30]
    assert [r["smContactId"] for r in created] == [f"SM-{i:05d}" for i in range(150)]
    assert client.stats.records_sent == 150
    assert client.stats.records_per_request == pytest.approx(150 / len(fake.requests))


def test_a_batch_whose_answer_was_lost_is_not_sent_again() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.capabilities()
    fake.fail += [passes, drop_after_commit(fake)]  # first batch fine, second committed then lost
    created = client.create_many("people", people(120), key_field="smContactId")
    assert len(fake.records["people"]) == 120  # no duplicate
    assert batch_sizes(fake) == [60, 60]  # nothing resent: the lookup found all 60
    assert [r["smContactId"] for r in created] == [f"SM-{i:05d}" for i in range(120)]
    assert all(r["id"] in fake.records["people"] for r in created)


def test_only_records_not_found_are_resent() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.capabilities()
    batch = people(10)
    # Another writer (or an earlier, lost attempt) already created 4 of them.
    for record in batch[:4]:
        fake.route(httpx.Request("POST", "http://twenty.test/rest/people", json=record))
    fake.fail.append(answer(502))
    created = client.create_many("people", batch, key_field="smContactId")
    assert batch_sizes(fake) == [10, 6]
    assert len(fake.records["people"]) == 10
    assert [r["smContactId"] for r in created] == [r["smContactId"] for r in batch]


def test_without_a_key_a_lost_batch_answer_is_reported_not_guessed() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.capabilities()
    fake.fail.append(drop_after_commit(fake))
    with pytest.raises(AmbiguousWriteError):
        client.create_many("people", [{"city": "Paris"}])
    assert batch_sizes(fake) == [1]


def test_records_with_ids_are_their_own_key() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.capabilities()
    rows = [{"id": f"00000000-0000-4000-8000-{i:012d}", "city": "X"} for i in range(3)]
    fake.fail.append(drop_after_commit(fake))
    assert [r["id"] for r in client.create_many("companies", rows)] == [r["id"] for r in rows]
    assert batch_sizes(fake) == [3] and len(fake.records["companies"]) == 3


def test_duplicate_or_missing_keys_are_refused_before_sending() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    with pytest.raises(TwentyError, match="share the key"):
        client.create_many("people", people(2) + people(1), key_field="smContactId")
    with pytest.raises(TwentyError, match="no value in key field"):
        client.create_many("people", [{"city": "x"}], key_field="smContactId")
    assert fake.requests == []


def test_a_server_batch_cap_is_learned_and_batches_split() -> None:
    fake = FakeTwenty(batch_cap=25)
    client = make_client(fake, batch_size=60)
    client.capabilities()
    created = client.create_many("people", people(70), key_field="smContactId")
    assert len(created) == 70 and len(fake.records["people"]) == 70
    assert batch_sizes(fake) == [60, 25, 25, 10, 10]
    assert client.capabilities().rest_batch_cap == 25
    fake.requests.clear()
    client.create_many("people", people(30, start=100))
    assert batch_sizes(fake) == [25, 5]


def test_big_records_are_split_by_body_size() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.capabilities()
    big = [{"smContactId": str(i), "jobTitle": "x" * 2_000_000} for i in range(10)]
    client.create_many("people", big)
    sizes = [len(r.content) for r in fake.requests if r.url.path.startswith("/rest/batch/")]
    assert len(sizes) >= 3 and max(sizes) < 10_000_000


def test_find_walks_every_page_and_count_reads_the_first() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.create_many("companies", [{"name": f"C{i}"} for i in range(450)])
    fake.requests.clear()
    names = [r["name"] for r in client.find("companies")]
    assert sorted(names) == sorted(f"C{i}" for i in range(450)) and len(names) == 450
    assert len(fake.requests) == 3
    assert [r.url.params.get("limit") for r in fake.requests] == ["200"] * 3
    assert all("order_by" not in r.url.params for r in fake.requests)
    assert client.count("companies") == 450


def test_find_stops_when_the_server_repeats_a_cursor() -> None:
    page = {
        "data": {"companies": [{"id": "a"}]},
        "pageInfo": {"hasNextPage": True, "endCursor": "c1"},
        "totalCount": 9,
    }
    fake = FakeTwenty()
    fake.fail += [answer(200, page)] * 3
    with pytest.raises(TwentyAPIError, match="twice"):
        list(make_client(fake).find("companies"))


def test_find_by_values_chunks_and_compares_emails_lower_cased() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    rows = [{"emails": {"primaryEmail": f"user{i}@example.com"}} for i in range(120)]
    client.create_many("people", rows)
    fake.requests.clear()
    wanted = [f"USER{i}@Example.com" for i in range(0, 120, 2)] + ["nobody@example.com"]
    found = client.find_by_values("people", "emails.primaryEmail", wanted)
    assert set(found) == set(wanted[:-1])
    assert found["USER4@Example.com"]["emails"]["primaryEmail"] == "user4@example.com"
    assert len(fake.requests) == 2  # 61 values in chunks of 50
    assert "user0@example.com" in fake.requests[0].url.params["filter"]


def test_soft_delete_restore_destroy_go_through_graphql_in_chunks() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    ids = [r["id"] for r in client.create_many("people", people(250))]
    fake.requests.clear()
    assert len(client.soft_delete("people", ids)) == 250
    assert client.count("people") == 0
    assert len(client.restore("people", ids[:10])) == 10
    assert client.count("people") == 10
    assert len(client.destroy("people", ids)) == 250
    assert fake.records["people"] == {}
    queries = [json.loads(r.content)["query"] for r in fake.requests if r.url.path == "/graphql"]
    assert sum("deletePeople(filter: {id: {in: $ids}})" in q for q in queries) == 2  # 200 + 50
    assert sum("destroyPeople" in q for q in queries) == 2


def test_upsert_uses_graphql_on_1_7_and_matches_by_email() -> None:
    fake = FakeTwenty(version="1.7.0")
    client = make_client(fake)
    first = client.upsert_many(
        "people", [{"emails": {"primaryEmail": "ada@example.com"}, "city": "London"}]
    )
    again = client.upsert_many(
        "people", [{"emails": {"primaryEmail": "ada@example.com"}, "city": "Paris"}]
    )
    assert first[0]["id"] == again[0]["id"] and len(fake.records["people"]) == 1
    query = json.loads(fake.requests[-1].content)["query"]
    assert "createPeople(data: $data, upsert: true)" in query and "[PersonCreateInput!]!" in query
    assert not any(r.url.path.startswith("/rest/batch") for r in fake.requests)


def test_upsert_uses_rest_where_the_server_supports_it() -> None:
    fake = FakeTwenty(version="2.1.0", rest_upsert=True)
    client = make_client(fake)
    rows = [{"id": f"00000000-0000-4000-8000-{i:012d}", "city": "X"} for i in range(3)]
    client.upsert_many("companies", rows)
    client.upsert_many("companies", [{**r, "city": "Y"} for r in rows])
    upserts = [
        r
        for r in fake.requests
        if r.url.path == "/rest/batch/companies" and r.url.params.get("upsert")
    ]
    assert len(upserts) == 2 and {r["city"] for r in fake.records["companies"].values()} == {"Y"}


def test_upload_file_sends_a_graphql_multipart_request(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = {"data": {"uploadFile": {"path": "attachment/abc.pdf", "token": "t"}}}
        return httpx.Response(200, json=body)

    fake = FakeTwenty()
    fake.fail.append(lambda request: handler(request))
    file = tmp_path / "contract.pdf"
    file.write_bytes(b"%PDF-1.4 tiny")
    assert make_client(fake).upload_file(file) == "attachment/abc.pdf"
    content = seen[0].content.decode("latin-1")
    assert seen[0].headers["content-type"].startswith("multipart/form-data")
    assert 'name="operations"' in content and '"fileFolder": "Attachment"' in content
    assert 'name="map"' in content and '{"0": ["variables.file"]}' in content
    assert 'name="0"; filename="contract.pdf"' in content and "%PDF-1.4 tiny" in content
    assert (
        content.index('name="operations"') < content.index('name="map"') < content.index('name="0"')
    )


def test_workspace_members_lists_every_member() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    client.create_many("workspaceMembers", [{"userEmail": f"m{i}@x.io"} for i in range(3)])
    assert {m["userEmail"] for m in client.workspace_members()} == {"m0@x.io", "m1@x.io", "m2@x.io"}


def test_connection_refused_everywhere_ends_in_a_transient_error() -> None:
    fake = FakeTwenty()
    fake.fail += [raise_(httpx.ConnectError)] * 3
    clock = FakeClock()
    with pytest.raises(TwentyError, match="ConnectError"):
        make_client(fake, clock, max_retries=2).count("people")
    assert len(clock.sleeps) == 2
