"""The run names its request budget, and how to raise it, before the budget makes it wait."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from workbench.cli import main
from workbench.load.ledger import Ledger
from workbench.settings import Settings
from workbench.steps.load import destination
from workbench.steps.runfolder import RunFolder
from workbench.twenty.budget import budget_notice, is_loopback
from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.client import TwentyClient


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"data": {"people": []}, "totalCount": 0, "pageInfo": {}})


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://localhost:3000", True),
        ("http://127.0.0.1:3000/", True),
        ("http://[::1]:3000", True),
        ("https://crm.example.com", False),
        ("http://10.0.0.5:3000", False),
    ],
)
def test_loopback_hosts(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_no_budget_set_says_so_and_how_to_raise_it(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("TWENTY_API_URL", "https://crm.example.com")
    monkeypatch.setenv("TWENTY_API_KEY", "secret-key")
    settings = Settings.from_env(env_file=None)
    assert not settings.requests_per_minute_set
    with TwentyClient.from_settings(settings, transport=httpx.MockTransport(ok)):
        pass
    out = capsys.readouterr().out
    assert "Request budget: 100 requests per minute" in out
    assert "TWENTY_REQUESTS_PER_MINUTE is not set" in out
    assert "TWENTY_REQUESTS_PER_MINUTE=200" in out
    assert "secret-key" not in out


def test_a_chosen_budget_on_a_remote_server_is_not_repeated(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TWENTY_API_URL", "https://crm.example.com")
    monkeypatch.setenv("TWENTY_API_KEY", "k")
    monkeypatch.setenv("TWENTY_REQUESTS_PER_MINUTE", "250")
    settings = Settings.from_env(env_file=None)
    assert settings.requests_per_minute == 250 and settings.requests_per_minute_set
    with TwentyClient.from_settings(settings, transport=httpx.MockTransport(ok)):
        pass
    assert "Request budget" not in capsys.readouterr().out
    assert budget_notice(None, 100, chosen=False, uses_emulator=True) is None


def test_04_load_on_a_loopback_server_names_its_budget(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("TWENTY_API_URL", "http://127.0.0.1:3000")
    monkeypatch.setenv("TWENTY_API_KEY", "k")
    monkeypatch.setenv("TWENTY_REQUESTS_PER_MINUTE", "120")
    folder = RunFolder(tmp_path / "run")
    ServerCapabilities(version="1.7.0", source="documented").write(folder.server_json)
    client = destination(folder, settings=Settings.from_env(env_file=None))
    client.close()
    out = capsys.readouterr().out
    assert "Request budget: 120 requests per minute (set by TWENTY_REQUESTS_PER_MINUTE)" in out
    assert "on this machine" in out and "TWENTY_REQUESTS_PER_MINUTE=600" in out


def test_cli_rollback_prints_the_budget_first(monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("TWENTY_API_URL", "http://localhost:3000")
    monkeypatch.setenv("TWENTY_API_KEY", "k")
    monkeypatch.chdir(tmp_path)
    Ledger(RunFolder(tmp_path / "run").ledger).close()  # an empty ledger: nothing to send
    assert main(["rollback", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert out.index("Request budget: 100") < out.index("rollback of 0 run(s)")


def test_the_client_says_it_waits_before_it_waits(caplog) -> None:
    now = {"t": 0.0}
    events: list[str] = []

    def sleep(seconds: float) -> None:
        events.append("sleep")
        now["t"] += seconds

    client = TwentyClient(
        "https://crm.example.com",
        "k",
        transport=httpx.MockTransport(ok),
        requests_per_minute=2,
        clock=lambda: now["t"],
        sleep=sleep,
        progress=False,
    )
    handler = logging.Handler()
    handler.emit = lambda record: events.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("workbench.twenty").addHandler(handler)
    try:
        for _ in range(5):
            client.count("people")
    finally:
        logging.getLogger("workbench.twenty").removeHandler(handler)
        client.close()
    told = [e for e in events if e.startswith("waiting")]
    assert len(told) == 1 and "TWENTY_REQUESTS_PER_MINUTE" in told[0]
    assert events.index(told[0]) < events.index("sleep")
