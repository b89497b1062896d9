"""For every sample source, on its real load plan: a load killed with SIGKILL mid-phase and then
resumed, and a load under injected faults, both end with exactly the records of a clean load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_loads import connect, prepare, snapshot

from workbench.errors import LedgerError
from workbench.load import Ledger, reconcile, run_load
from workbench.sources.base import SOURCE_NAMES
from workbench.twenty.emulator import FaultPlan

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module", params=SOURCE_NAMES)
def clean(request, tmp_path_factory):
    """What a clean, fault-free load of the sample's plan leaves in Twenty."""
    source = request.param
    folder = tmp_path_factory.mktemp(f"clean-{source}")
    plan = prepare(source, folder / "emulator.sqlite")
    with Ledger(folder) as ledger, connect(folder / "emulator.sqlite") as client:
        assert run_load(plan, client, ledger, mode="full").ok
        return source, snapshot(client, plan)


def _kill_after(plan_dir: Path, run_dir: Path, batches: int) -> str:
    """Run the load in a worker and SIGKILL it once `batches` batches landed and one is in flight."""
    worker = subprocess.Popen(
        [sys.executable, str(HERE / "sample_load_worker.py"), str(plan_dir), str(run_dir), "0.03", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            assert worker.poll() is None, f"the load ended before the kill: {worker.communicate()}"
            assert time.monotonic() < deadline, "the load never reached the kill point"
            try:
                with Ledger(run_dir, readonly=True) as watch:
                    seen = watch.batches()
            except LedgerError:
                seen = []
            if (
                sum(b["state"] == "created" for b in seen) >= batches
                and seen[-1]["state"] == "sent"
            ):
                phase = seen[-1]["phase"]
                break
            time.sleep(0.005)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        worker.communicate()
    return phase


def test_killed_load_resumes_to_exactly_a_clean_load(clean, tmp_path: Path) -> None:
    source, expected = clean
    # the plan is built against this workspace: owners resolve to its own member ids
    plan = prepare(source, tmp_path / "emulator.sqlite", tmp_path / "plan")
    killed_in = _kill_after(tmp_path / "plan", tmp_path, batches=12)
    with Ledger(tmp_path) as ledger, connect(tmp_path / "emulator.sqlite") as client:
        assert ledger.latest_run()["status"] == "running", f"killed in {killed_in}"
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
        assert snapshot(client, plan) == expected
        assert reconcile(plan, client, ledger).ok


def test_load_under_faults_ends_as_a_clean_load(clean, tmp_path: Path) -> None:
    source, expected = clean
    plan = prepare(source, tmp_path / "emulator.sqlite")
    faults = FaultPlan(
        rate_429=0.2, retry_after=0.001, rate_5xx=0.05, drop_after_commit=0.05, seed=11
    )
    with Ledger(tmp_path) as ledger, connect(tmp_path / "emulator.sqlite", faults) as client:
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
    with Ledger(tmp_path, readonly=True) as ledger, connect(tmp_path / "emulator.sqlite") as client:
        assert snapshot(client, plan) == expected
        assert reconcile(plan, client, ledger).ok
