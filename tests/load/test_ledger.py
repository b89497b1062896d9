"""The ledger: one lock holder, the planned → sent → done state machine, runs, undo records."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.errors import LedgerError, LedgerLockedError
from workbench.load.ledger import Ledger, ledger_path, payload_hash

ROOT = Path(__file__).resolve().parents[2]


def _row(key: str, **extra: object) -> dict[str, object]:
    return {
        "source_key": key,
        "map_object": key.split(":")[0],
        "record_key": key,
        "phase": "people",
        "phase_index": 1,
        "target": "people",
        "key_field": "srcId",
        "key_value": key.split(":")[1],
        "body": json.dumps({"srcId": key.split(":")[1]}, separators=(",", ":")),
        "payload_hash": payload_hash({"srcId": key.split(":")[1]}),
        **extra,
    }


def test_run_folder_or_file_names_the_same_ledger(tmp_path: Path) -> None:
    assert ledger_path(tmp_path) == tmp_path / "ledger.sqlite"
    assert ledger_path(tmp_path / "x.sqlite") == tmp_path / "x.sqlite"


def test_second_opener_in_the_same_process_is_refused_until_closed(tmp_path: Path) -> None:
    first = Ledger(tmp_path)
    with pytest.raises(LedgerLockedError) as err:
        Ledger(tmp_path)
    assert f"pid {os.getpid()}" in str(err.value) and "ledger.sqlite" in str(err.value)
    first.close()
    Ledger(tmp_path).close()


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from workbench.load.ledger import Ledger; import time; "
            f"l = Ledger({str(tmp_path)!r}); print('locked', flush=True); time.sleep(60)",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LedgerLockedError, match=f"pid {holder.pid}"):
            Ledger(tmp_path)
        with Ledger(tmp_path, readonly=True) as reader:  # reading is always allowed
            assert reader.runs() == []
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with Ledger(tmp_path) as ledger:
        assert ledger.begin_run("full")


def test_read_only_needs_an_existing_ledger(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no ledger"):
        Ledger(tmp_path / "missing", readonly=True)


def test_runs_continue_after_a_kill_or_a_sample_and_start_fresh_after_finishing(
    tmp_path: Path,
) -> None:
    with Ledger(tmp_path) as ledger:
        first = ledger.begin_run("sample")
        assert ledger.begin_run("sample") == first  # still `running`: a killed run resumes
        ledger.end_run(first, "sampled")
        assert ledger.begin_run("full") == first  # the full load continues the sample's run
        ledger.end_run(first, "finished")
        time.sleep(0.002)
        second = ledger.begin_run("full")
        assert second != first
        assert [r["status"] for r in ledger.runs()] == ["finished", "running"]


def test_batch_state_machine_and_created_records(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        run = ledger.begin_run("full")
        batch = ledger.plan_batch(run, "people", "people", [_row("contacts:1"), _row("contacts:2")])
        assert {r["state"] for r in ledger.rows(phase="people")} == {"planned"}
        ledger.mark_batch(batch, "sent")
        assert [r["source_key"] for r in ledger.rows(state="sent")] == ["contacts:1", "contacts:2"]
        ledger.confirm_created(run, [("contacts:1", "id-1")], batch_id=batch)
        assert ledger.twenty_ids() == {"contacts:1": "id-1"}
        assert ledger.row("contacts:1")["created_run"] == run
        assert ledger.row("contacts:2")["state"] == "sent"
        assert ledger.batches()[0]["state"] == "created"
        counts = ledger.outcome_counts(phase="people")
        assert counts["created"] == 1 and sum(counts.values()) == 1
        assert ledger.frame().height == 2


def test_merged_records_share_the_id_of_their_survivor(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        run = ledger.begin_run("full")
        ledger.write(
            [
                {
                    "source_key": "contacts:9",
                    "map_object": "contacts",
                    "record_key": "contacts:1",
                    "state": "done",
                    "outcome": "merged",
                    "merged_into": "contacts:1",
                }
            ]
        )
        ledger.fill_merged_ids()
        assert ledger.row("contacts:9")["twenty_id"] is None
        ledger.plan_batch(run, "people", "people", [_row("contacts:1")])
        ledger.confirm_created(run, [("contacts:1", "id-1")])
        ledger.fill_merged_ids()
        assert ledger.twenty_ids() == {"contacts:1": "id-1", "contacts:9": "id-1"}


def test_updates_keep_a_before_image_and_undo_restores_the_ledger(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        run = ledger.begin_run("full")
        ledger.plan_batch(run, "people", "people", [_row("contacts:1")])
        ledger.confirm_created(run, [("contacts:1", "id-1")])
        ledger.end_run(run, "finished")
        time.sleep(0.002)
        delta = ledger.begin_run("full")
        before = ledger.row("contacts:1")
        ledger.begin_update(delta, before, {"city": "Old"})
        assert ledger.pending_update(delta, "contacts:1")["before_image"] == '{"city":"Old"}'
        ledger.confirm_updated(
            delta, "contacts:1", {"body": '{"city":"New"}', "payload_hash": "h2", "run_id": delta}
        )
        assert ledger.pending_update(delta, "contacts:1") is None
        assert ledger.row("contacts:1")["outcome"] == "updated"
        (change,) = ledger.changes([delta])
        ledger.mark_undone(change)
        restored = ledger.row("contacts:1")
        assert restored["body"] == before["body"] and restored["outcome"] == "created"
        (created,) = ledger.changes([run])
        ledger.mark_undone(created)
        assert ledger.row("contacts:1") is None
        ledger.forget_runs([run, delta])
        assert {r["status"] for r in ledger.runs()} == {"rolled_back"}
        assert ledger.latest_run() is None
