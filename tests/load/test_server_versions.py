"""The same load, reconciliation and rollback against both server behaviours the client knows:
Twenty 1.7 as recorded (no REST upsert, no batch cap, GraphQL throttling) and a newer release
(REST upsert, a 60-record batch cap, 429 with Retry-After)."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import build_plan, prepare_workspace, snapshot

from workbench.load import Ledger, reconcile, rollback, run_load
from workbench.twenty.client import TwentyClient
from workbench.twenty.emulator import FaultPlan, emulator_transport


def _client(db: Path, version: str, faults: FaultPlan | None = None) -> TwentyClient:
    transport = emulator_transport(db, version=version, faults=faults)
    return TwentyClient(
        "http://twenty-emulator", "emulator", transport=transport,
        requests_per_minute=100_000, batch_size=100, backoff=0.001, progress=False,
    )  # fmt: skip


@pytest.mark.parametrize("version", ["1.7", "2.x"])
def test_load_reconcile_rollback_on_each_server_version(
    tmp_path: Path, version: str, clean_snapshot
) -> None:
    db = tmp_path / "emulator.sqlite"
    faults = FaultPlan(rate_429=0.2, retry_after=0.001, seed=3) if version == "2.x" else None
    with _client(db, version, faults) as client, Ledger(tmp_path) as ledger:
        prepare_workspace(client)
        caps = client.capabilities()
        assert caps.version and caps.version.startswith(version[0])
        if version == "2.x":
            assert caps.rest_batch_cap == 60  # learned from the server, larger batches are split
        report = run_load(build_plan(), client, ledger, mode="full")
        assert report.ok, report
        assert snapshot(client) == clean_snapshot
        result = reconcile(build_plan(), client, ledger)
        assert result.ok, result.problems
        before = client.count("people")
        undone = rollback(ledger, client)
        assert undone.ok and undone.deleted > 0
        assert client.count("people") < before
        again = run_load(build_plan(), client, ledger, mode="full")
        assert again.ok and snapshot(client) == clean_snapshot
