"""Rollback returns the workspace to its counts before the run; twice is safe; a re-run works."""

from __future__ import annotations

import json
from pathlib import Path

from emulated import connect
from synthetic import build_plan, prepare_workspace

from workbench.load import Ledger, reconcile, rollback, run_load
from workbench.load.rollback import rollback_run
from workbench.settings import Settings
from workbench.twenty.capabilities import ServerCapabilities


def test_rollback_restores_pre_run_counts_and_a_rerun_succeeds(
    client, run_dir: Path, counts
) -> None:
    client.create("companies", {"name": "Already there"})
    before = counts(client)
    plan = build_plan()
    with Ledger(run_dir) as ledger:
        assert run_load(plan, client, ledger, mode="full").ok
    assert counts(client) != before

    report = rollback(run_dir, client)
    assert report.ok and report.deleted == 12 + 59 + 20 + 15 + 14
    assert counts(client) == before
    written = json.loads((run_dir / "reconciliation" / "rollback.json").read_text())
    assert written["ok"] and written["deleted"] == report.deleted

    again = rollback(run_dir, client)
    assert again.ok and again.deleted == 0 and again.runs == []
    assert counts(client) == before

    with Ledger(run_dir) as ledger:
        assert {r["status"] for r in ledger.runs()} == {"rolled_back"}
        assert ledger.frame().height == 0
        rerun = run_load(plan, client, ledger, mode="full")
        assert rerun.ok and rerun.counts["created"] == 12 + 59 + 20 + 15 + 14
        assert reconcile(plan, client, ledger).ok


def test_rollback_finishes_what_an_interrupted_rollback_left(client, run_dir: Path, counts) -> None:
    before = counts(client)
    with Ledger(run_dir) as ledger:
        run_load(build_plan(), client, ledger, mode="full")
        # some records were already deleted by a rollback that stopped half-way
        landed = [r for r in ledger.rows(phase="noteTargets") if r["twenty_id"]]
        for row in landed[:5]:
            client.delete("noteTargets", row["twenty_id"])
        report = rollback(ledger, client)
    assert report.ok and report.already_gone == 5
    assert counts(client) == before


def test_rollback_destroys_where_the_server_deletes_softly(run_dir: Path, counts) -> None:
    run_dir.mkdir(parents=True)
    soft = ServerCapabilities(version="2.0", rest_delete_is_hard=False, source="probed")
    with connect(run_dir / "emulator.sqlite", capabilities=soft) as client:
        prepare_workspace(client)
        before = counts(client)
        with Ledger(run_dir) as ledger:
            run_load(build_plan(), client, ledger, mode="full")
        requests = client.stats.requests
        report = rollback(run_dir, client)
        assert report.ok and report.deleted == 12 + 59 + 20 + 15 + 14
        assert client.stats.requests - requests < 20  # destroyed in batches, not one by one
        assert counts(client) == before
        with Ledger(run_dir) as ledger:
            assert run_load(build_plan(), client, ledger, mode="full").ok  # nothing left to collide


def test_rollback_run_uses_the_run_folders_destination(run_dir: Path, counts) -> None:
    run_dir.mkdir(parents=True)
    with connect(run_dir / "emulator.sqlite") as client:  # the emulator a run folder holds
        prepare_workspace(client)
        before = counts(client)
        with Ledger(run_dir) as ledger:
            run_load(build_plan(), client, ledger, mode="full")
    report = rollback_run(run_dir, settings=Settings())
    assert report.ok and "120 deleted" in report.summary()
    with connect(run_dir / "emulator.sqlite") as client:
        assert counts(client) == before
