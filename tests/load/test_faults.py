"""Under 429s, 5xx answers and connections dropped after commit, the load ends as a clean one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from emulated import connect
from synthetic import build_plan, prepare_workspace, snapshot

from workbench.load import Ledger, reconcile, run_load
from workbench.twenty.client import TwentyClient
from workbench.twenty.emulator import FaultPlan, emulator_transport


class Dropped(httpx.BaseTransport):
    """Counts the answers the faulty emulator swallowed after committing a write."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.dropped = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return self.inner.handle_request(request)
        except httpx.RemoteProtocolError:
            self.dropped += 1
            raise

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize("seed", [11, 12])
def test_faulty_destination_ends_identical_to_a_clean_load(
    run_dir: Path, clean_snapshot, seed: int
) -> None:
    run_dir.mkdir(parents=True)
    db = run_dir / "emulator.sqlite"
    with connect(db) as plain:
        prepare_workspace(plain)
    faults = FaultPlan(rate_429=0.2, retry_after=0, rate_5xx=0.05, drop_after_commit=0.1, seed=seed)
    transport = Dropped(emulator_transport(db, faults=faults))
    plan = build_plan()
    with (
        TwentyClient(
            "http://twenty-emulator",
            "emulator",
            transport=transport,
            batch_size=5,
            requests_per_minute=100_000,
            backoff=0.001,
            progress=False,
        ) as client,
        Ledger(run_dir) as ledger,
    ):
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
        assert client.stats.throttled > 0 and client.stats.retries > client.stats.throttled
        assert transport.dropped > 0
        assert reconcile(plan, client, ledger).ok
    with connect(db) as plain:
        assert snapshot(plain) == clean_snapshot
