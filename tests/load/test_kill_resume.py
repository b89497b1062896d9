"""A load killed with SIGKILL mid-phase, then resumed, ends exactly as a clean load does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from emulated import connect
from synthetic import build_plan, prepare_workspace, snapshot

from workbench.errors import LedgerError, LedgerLockedError
from workbench.load import Ledger, reconcile, run_load

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _kill_during(run_dir: Path, phase: str, after: int) -> None:
    """Start the worker and SIGKILL it once `after` batches of `phase` landed and one is in flight."""
    worker = subprocess.Popen(
        [sys.executable, str(HERE / "load_worker.py"), str(run_dir), "0.05", "5"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert worker.poll() is None, (
                f"the load ended before it could be killed: {worker.communicate()}"
            )
            assert time.monotonic() < deadline, "the load never reached the kill point"
            try:
                with Ledger(run_dir, readonly=True) as watch:
                    batches = [b for b in watch.batches() if b["phase"] == phase]
            except LedgerError:  # not created yet
                batches = []
            if (
                batches
                and sum(b["state"] == "created" for b in batches) >= after
                and batches[-1]["state"] == "sent"
            ):
                break
            time.sleep(0.005)
        with pytest.raises(LedgerLockedError):  # while it runs, nobody else may load
            Ledger(run_dir)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        worker.communicate()
    assert worker.returncode == -signal.SIGKILL


@pytest.mark.parametrize(("phase", "after"), [("people", 2), ("noteTargets", 1)])
def test_killed_load_resumes_to_exactly_a_clean_load(
    run_dir: Path, clean_snapshot, phase: str, after: int
) -> None:
    run_dir.mkdir(parents=True)
    with connect(run_dir / "emulator.sqlite") as c:
        prepare_workspace(c)
    _kill_during(run_dir, phase, after)

    with Ledger(run_dir) as ledger, connect(run_dir / "emulator.sqlite") as client:
        killed_run = ledger.latest_run()
        assert killed_run["status"] == "running"
        assert ledger.rows(phase=phase, state="sent"), "the kill left a batch in flight"
        plan = build_plan()
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
        assert report.run_id == killed_run["run_id"]  # resumed, not restarted
        assert snapshot(client) == clean_snapshot
        assert reconcile(plan, client, ledger).ok
