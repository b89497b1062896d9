"""Every answer FACTS.md records maps to the right workbench error, retried only when it can help."""

from __future__ import annotations

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

from workbench.errors import (
    AmbiguousWriteError,
    RateLimitedError,
    TransientError,
    TwentyAPIError,
    TwentyAuthError,
)


@pytest.mark.parametrize(
    "status, body",
    [
        (401, {"statusCode": 401, "messages": ["No payload"], "error": "UNAUTHENTICATED"}),
        (
            403,
            {
                "statusCode": 403,
                "messages": ["Missing authentication token"],
                "error": "FORBIDDEN_EXCEPTION",
            },
        ),
        (400, {"messages": ["Unknown token error."], "error": "INVALID_INPUT"}),
    ],
)
def test_refused_keys_are_auth_errors_and_not_retried(status: int, body: dict) -> None:
    fake = FakeTwenty()
    fake.fail.append(answer(status, body))
    client = make_client(fake)
    with pytest.raises(TwentyAuthError, match="refused"):
        client.count("people")
    assert len(fake.requests) == 1


def test_graphql_unauthenticated_is_an_auth_error() -> None:
    fake = FakeTwenty()
    body = {
        "errors": [
            {
                "message": "No payload",
                "extensions": {"code": "UNAUTHENTICATED", "subCode": "UNAUTHENTICATED"},
            }
        ]
    }
    fake.fail.append(answer(200, body))
    with pytest.raises(TwentyAuthError):
        make_client(fake).soft_delete("people", ["0b6c1f0e-0000-4000-8000-000000000001"])


def test_429_waits_as_long_as_retry_after_says() -> None:
    fake, clock = FakeTwenty(), FakeClock()
    fake.fail.append(
        answer(429, {"statusCode": 429, "messages": ["slow down"]}, {"Retry-After": "7"})
    )
    client = make_client(fake, clock)
    assert client.count("people") == 0
    assert clock.sleeps == [7.0]
    assert (client.stats.throttled, client.stats.retries, client.stats.requests) == (1, 1, 2)


def test_graphql_too_many_requests_is_throttling_and_retried() -> None:
    fake, clock = FakeTwenty(), FakeClock()
    throttled = {
        "errors": [
            {"message": "Too many requests.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
        ],
        "data": {"deletePeople": None},
    }
    fake.fail += [answer(200, throttled), answer(200, throttled)]
    client = make_client(fake, clock)
    assert client.soft_delete("people", ["0b6c1f0e-0000-4000-8000-000000000001"]) == []
    assert client.stats.throttled == 2 and len(clock.sleeps) == 2
    assert (
        0.25 <= clock.sleeps[0] <= 0.75 and 0.5 <= clock.sleeps[1] <= 1.5
    )  # backoff 0.5 × 2^n ± 50 %


def test_rate_limited_error_carries_retry_after_when_retries_run_out() -> None:
    fake = FakeTwenty()
    fake.fail += [answer(429, {"messages": ["no"]}, {"Retry-After": "2"})] * 3
    with pytest.raises(RateLimitedError) as info:
        make_client(fake, max_retries=2).count("people")
    assert info.value.retry_after == 2.0 and len(fake.requests) == 3


@pytest.mark.parametrize(
    "message",
    [
        'insert or update on table "person" violates foreign key constraint "FK_ee066ddacfce46c9a7cb90edd1a"',
        'invalid input syntax for type uuid: "not-a-uuid"',
        'invalid input syntax for type numeric: "abc"',
    ],
)
def test_500_with_database_text_is_terminal(message: str) -> None:
    fake = FakeTwenty()
    fake.fail.append(
        answer(
            500, {"statusCode": 500, "error": "InternalServerErrorException", "messages": [message]}
        )
    )
    with pytest.raises(TwentyAPIError) as info:
        make_client(fake).create("people", {"companyId": "not-a-uuid"})
    assert not isinstance(info.value, TransientError)
    assert info.value.status == 500 and info.value.messages == [message]
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "status, body", [(500, b""), (502, b"<html>Bad Gateway</html>"), (503, None), (504, None)]
)
def test_server_trouble_is_retried(status: int, body: bytes | None) -> None:
    fake, clock = FakeTwenty(), FakeClock()
    fake.fail.append(answer(status, body))
    client = make_client(fake, clock)
    assert client.count("people") == 0
    assert len(fake.requests) == 2 and len(clock.sleeps) == 1


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.ReadError]
)
def test_reads_are_retried_after_transport_failures(exc: type[httpx.HTTPError]) -> None:
    fake = FakeTwenty()
    fake.fail.append(raise_(exc))
    assert make_client(fake).count("people") == 0
    assert len(fake.requests) == 2


def test_a_create_without_answer_is_ambiguous_and_not_resent() -> None:
    fake = FakeTwenty()
    fake.fail.append(drop_after_commit(fake))
    with pytest.raises(AmbiguousWriteError, match="may or may not"):
        make_client(fake).create("people", {"city": "Paris"})
    assert len(fake.paths("POST")) == 1
    assert len(fake.records["people"]) == 1  # it was committed: resending would duplicate it


def test_a_create_never_sent_is_retried() -> None:
    fake = FakeTwenty()
    fake.fail.append(raise_(httpx.ConnectError))
    make_client(fake).create("people", {"city": "Paris"})
    assert len(fake.records["people"]) == 1 and len(fake.paths("POST")) == 2


def test_an_update_without_answer_is_resent_because_it_is_idempotent() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    person = client.create("people", {"city": "Paris"})
    fake.fail.append(drop_after_commit(fake))
    assert client.update("people", person["id"], {"city": "Lyon"})["city"] == "Lyon"
    assert len(fake.paths("PATCH")) == 2


def test_a_delete_without_answer_is_settled_by_reading_back() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    person = client.create("people", {"city": "Paris"})
    fake.fail.append(drop_after_commit(fake))
    assert client.delete("people", person["id"]) == {"id": person["id"]}
    assert fake.records["people"] == {} and len(fake.paths("DELETE")) == 1


def test_retries_give_up_after_max_retries_with_growing_waits() -> None:
    fake, clock = FakeTwenty(), FakeClock()
    fake.fail += [answer(503)] * 10
    with pytest.raises(TransientError, match="503"):
        make_client(fake, clock, max_retries=4, backoff=1.0).count("people")
    assert len(fake.requests) == 5
    for attempt, slept in enumerate(clock.sleeps):
        assert 0.5 * 2**attempt <= slept <= 1.5 * 2**attempt


def test_both_rest_error_shapes_are_parsed() -> None:
    fake = FakeTwenty()
    fake.fail.append(
        answer(
            400,
            {
                "statusCode": 400,
                "message": "Expected ',' or '}' after property value",
                "error": "Bad Request",
            },
        )
    )
    fake.fail.append(
        answer(
            400,
            {
                "statusCode": 400,
                "error": "BadRequestException",
                "messages": ["object 'notAnObject' not found. eg: companies"],
            },
        )
    )
    client = make_client(fake)
    with pytest.raises(TwentyAPIError) as first:
        client.create("people", {"city": "x"})
    with pytest.raises(TwentyAPIError) as second:
        client.count("notAnObject")
    assert first.value.messages == ["Expected ',' or '}' after property value"]
    assert first.value.error == "Bad Request" and first.value.status == 400
    assert second.value.messages == ["object 'notAnObject' not found. eg: companies"]
    assert "notAnObject" in str(second.value) and "GET /rest/notAnObject" in str(second.value)


def test_get_answers_none_for_a_missing_record_but_raises_for_a_bad_id() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    assert client.get("people", "00000000-0000-4000-8000-000000000000") is None
    fake.fail.append(
        answer(
            400,
            {
                "statusCode": 400,
                "error": "BadRequestException",
                "messages": ["'x' is not a valid UUID"],
            },
        )
    )
    with pytest.raises(TwentyAPIError, match="not a valid UUID"):
        client.get("people", "x")


def test_update_of_a_missing_record_is_a_terminal_error() -> None:
    fake = FakeTwenty()
    with pytest.raises(TwentyAPIError) as info:
        make_client(fake).update("people", "00000000-0000-4000-8000-000000000000", {"city": "X"})
    assert info.value.error == "EntityNotFoundError" and len(fake.requests) == 1


def test_graphql_user_errors_carry_code_and_message() -> None:
    fake = FakeTwenty()
    body = {
        "errors": [
            {
                "message": "Maximum number of records to upsert is 200.",
                "extensions": {"subCode": "UPSERT_MAX_RECORDS_EXCEEDED", "code": "BAD_USER_INPUT"},
            }
        ],
        "data": {"createPeople": None},
    }
    fake.fail += [passes, answer(200, body)]  # client-config passes, the upsert is refused
    with pytest.raises(TwentyAPIError) as info:
        make_client(fake).upsert_many("people", [{"emails": {"primaryEmail": "a@b.c"}}])
    assert info.value.error == "UPSERT_MAX_RECORDS_EXCEEDED"
    assert info.value.messages == ["Maximum number of records to upsert is 200."]
