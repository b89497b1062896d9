"""Under 429s, 5xx answers and connections dropped after commit, the load ends as a clean one."""

from __future__ import annotations

from pathlib import Path

from conftest import connect
from synthetic import build_plan, prepare_workspace, snapshot

from workbench.load import Ledger, reconcile, run_load
from workbench.twenty.emulator import FaultPlan


def test_faulty_destination_ends_identical_to_a_clean_load(run_dir: Path, clean_snapshot) -> None:
    run_dir.mkdir(parents=True)
    db = run_dir / "emulator.sqlite"
    with connect(db) as plain:
        prepare_workspace(plain)
    faults = FaultPlan(rate_429=0.2, retry_after=0, rate_5xx=0.05, drop_after_commit=0.05, seed=11)
    plan = build_plan()
    with connect(db, faults) as client, Ledger(run_dir) as ledger:
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
        assert client.stats.throttled > 0 and client.stats.retries > client.stats.throttled
        assert reconcile(plan, client, ledger).ok
    with connect(db) as plain:
        assert snapshot(plain) == clean_snapshot
