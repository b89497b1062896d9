"""Capability detection: cheap on a documented release, probing (and cleaning up) elsewhere."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fake_twenty import API_KEY, FakeTwenty, answer, make_client, passes

from workbench.errors import ConfigError, TwentyAPIError
from workbench.twenty import ServerCapabilities, TwentyClient


def test_release_1_7_is_taken_from_the_facts_without_writing() -> None:
    fake = FakeTwenty(version="1.7.0")
    client = make_client(fake)
    caps = client.capabilities()
    assert fake.paths() == ["/client-config"]
    assert (caps.version, caps.source) == ("1.7.0", "documented")
    assert caps.rest_upsert is False and caps.rest_batch_cap is None
    assert caps.rest_delete_is_hard is True and caps.throttles_with_429 is False
    assert client.capabilities() is caps and len(fake.requests) == 1  # once per client


def test_an_unknown_release_is_probed_and_nothing_is_left_behind() -> None:
    fake = FakeTwenty(version="2.1.0", rest_upsert=True, batch_cap=60, soft_rest_delete=True)
    caps = make_client(fake).capabilities()
    assert caps.source == "probed" and caps.version == "2.1.0"
    assert caps.rest_upsert is True
    assert caps.rest_batch_cap == 60
    assert caps.rest_delete_is_hard is False
    assert fake.records.get("companies", {}) == {}  # the soft-deleted probe was destroyed too
    assert len(caps.notes) >= 4


def test_a_server_without_version_that_behaves_like_1_7_is_recognised_by_probing() -> None:
    fake = FakeTwenty(version=None)
    caps = make_client(fake).capabilities()
    assert caps.version is None and caps.source == "probed"
    assert caps.rest_upsert is False and caps.rest_batch_cap is None and caps.rest_delete_is_hard
    assert fake.records.get("companies", {}) == {}
    methods = [r.method for r in fake.requests]
    assert methods.count("DELETE") == 1


def test_a_probe_failure_still_removes_the_probe_record() -> None:
    fake = FakeTwenty(version="9.0.0")
    fake.fail += [
        passes,  # client-config
        passes,  # create the probe company
        answer(
            400,
            {
                "statusCode": 400,
                "error": "BadRequestException",
                "messages": ["Record already exists"],
            },
        ),
        answer(
            400, {"statusCode": 400, "error": "BadRequestException", "messages": ["weird"]}
        ),  # DELETE fails
    ]
    with pytest.raises(TwentyAPIError, match="weird"):
        make_client(fake).capabilities()
    assert fake.records.get("companies", {}) == {}
    assert [r.method for r in fake.requests].count("DELETE") == 2


def test_capabilities_round_trip_through_server_json(tmp_path: Path) -> None:
    caps = make_client(FakeTwenty()).capabilities()
    path = caps.write(tmp_path / "server.json")
    data = json.loads(path.read_text())
    assert data["version"] == "1.7.0" and data["base_url"] == "http://twenty.test"
    assert ServerCapabilities.read(path) == caps
    assert API_KEY not in path.read_text()


def test_a_client_given_capabilities_does_not_detect_again() -> None:
    fake = FakeTwenty()
    known = ServerCapabilities(version="1.7.0", rest_batch_cap=20)
    client = make_client(fake, capabilities=known)
    client.create_many("people", [{"city": str(i)} for i in range(45)])
    assert "/client-config" not in fake.paths()
    assert [len(json.loads(r.content)) for r in fake.requests] == [20, 20, 5]


def test_a_429_teaches_that_the_server_throttles_with_429() -> None:
    fake = FakeTwenty()
    client = make_client(fake)
    assert client.capabilities().throttles_with_429 is False
    fake.fail.append(answer(429, {"messages": ["slow"]}, {"Retry-After": "1"}))
    client.count("people")
    assert client.capabilities().throttles_with_429 is True


def test_the_key_never_shows_in_repr_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeTwenty()
    client = make_client(fake)
    fake.fail.append(answer(503))
    fake.fail.append(
        answer(400, {"statusCode": 400, "error": "BadRequestException", "messages": ["bad"]})
    )
    shown = [repr(client), str(client)]
    try:
        client.count("people")
    except Exception as exc:  # noqa: BLE001 - we only look at what it says
        shown.append(str(exc))
    shown += [r.getMessage() for r in caplog.records]
    shown.append(client.capabilities().to_json())
    shown.append(json.dumps(client.stats.to_dict()))
    assert fake.requests[0].headers["authorization"] == f"Bearer {API_KEY}"  # it was sent
    assert all(API_KEY not in text for text in shown)
    assert any("bad" in text for text in shown)
    assert not hasattr(client, "api_key")


def test_missing_url_or_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="TWENTY_API_KEY"):
        TwentyClient("http://twenty.test", "")
    with pytest.raises(ConfigError, match="TWENTY_API_URL"):
        TwentyClient("", "k")
