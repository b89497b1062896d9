"""The loader against the emulator: phases, sample, splits, links, re-runs, deltas, stops."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from synthetic import KEY, build_plan, snapshot

from workbench.errors import ReconciliationError, ResolveError, WorkbenchError
from workbench.load import Ledger, reconcile, rollback, run_load, sample_quotas
from workbench.records import OUTCOME_SCHEMA

EXPECTED_IN_TWENTY = {
    "companies": 12,
    "people": 59,
    "opportunities": 20,
    "notes": 15,
    "noteTargets": 14,
}


def _by_phase(report) -> dict[str, dict[str, int]]:
    return {p.name: {k: v for k, v in p.counts.items() if v} for p in report.phases}


def test_full_load_then_reconcile_has_zero_differences(
    client, ledger, run_dir: Path, counts
) -> None:
    plan = build_plan()
    report = run_load(plan, client, ledger, mode="full")
    assert report.ok, report
    assert _by_phase(report) == {
        "companies": {"created": 12, "merged": 1},
        "people": {"created": 59, "rejected": 2, "queued": 1, "merged": 1},
        "opportunities": {"created": 20},
        "notes": {"created": 15},
        "noteTargets": {"created": 14, "queued": 1},
    }
    assert counts(client) == EXPECTED_IN_TWENTY
    assert report.requests and report.requests > 0

    # the refused person keeps Twenty's own message, found by splitting its batch
    refused = ledger.row("contacts:C6")
    assert refused["outcome"] == "rejected" and 'field "nickname" is missing' in refused["reason"]
    assert "split" in {b["state"] for b in ledger.batches()}
    # merged records share their survivor's id
    assert ledger.row("contacts:C0dup")["twenty_id"] == ledger.row("contacts:C0")["twenty_id"]
    assert ledger.row("accounts:A0b")["twenty_id"] == ledger.row("accounts:A0")["twenty_id"]
    # a deal whose contact was refused loads without that link, flagged; a note target is queued
    deal = ledger.row("deals:D2")
    assert (
        deal["outcome"] == "created" and "pointOfContactId not linked: contacts:C6" in deal["flags"]
    )
    assert "companyId" in json.loads(deal["body"]) and "pointOfContactId" not in json.loads(
        deal["body"]
    )
    target = ledger.row("noteTargets:N3|personId")
    assert target["outcome"] == "queued" and "contacts:C6 was rejected" in target["reason"]

    rec = reconcile(plan, client, ledger, spot_check=40, seed=7)
    assert rec.ok, rec.problems
    objects = {r["object"]: r for r in rec.objects.to_dicts()}
    assert {o: objects[o]["in_twenty"] for o in objects} == EXPECTED_IN_TWENTY
    assert objects["people"]["source_rows"] == 63
    assert rec.spot_check.height > 40 and rec.spot_check.get_column("match").all()
    assert sorted(rec.not_loaded.get_column("source_key")) == [
        "contacts:C6",
        "contacts:Q1",
        "contacts:R1",
        "noteTargets:N3|personId",
    ]
    assert rec.links_missing.get_column("source_key").to_list() == ["deals:D2"]
    assert rec.integrity.height == 0
    folder = rec.write(run_dir / "reconciliation")
    assert (folder / "not_loaded.csv").read_text().count("\n") == 5
    assert json.loads((folder / "summary.json").read_text())["ok"] is True


def test_reconcile_from_the_ledger_alone_and_spot_check_catches_edits(client, ledger) -> None:
    plan = build_plan()
    run_load(plan, client, ledger, mode="full")
    assert reconcile(ledger, client, ledger).ok
    # someone edits a loaded record in Twenty: the spot check of every record must see it
    victim = ledger.row("deals:D4")
    client.update("opportunities", victim["twenty_id"], {"name": "Renamed by hand"})
    rec = reconcile(plan, client, ledger, spot_check=1000)
    assert not rec.ok
    bad = rec.spot_check.filter(~rec.spot_check["match"]).to_dicts()
    assert [(b["source_key"], b["field"]) for b in bad] == [("deals:D4", "name")]


def test_sample_load_then_full_load_continues_without_duplicates(
    client, ledger, counts, clean_snapshot
) -> None:
    plan = build_plan()
    quotas = sample_quotas(plan, 20)
    assert sum(quotas.values()) >= 20 - len(quotas) and all(q >= 1 for q in quotas.values())
    sample = run_load(plan, client, ledger, sample_size=20)
    assert sample.ok, sample
    loaded = counts(client)
    assert 0 < sum(loaded.values()) <= 25
    assert all(loaded[p.name] >= 1 for p in plan.phases if p.name != "noteTargets")
    full = run_load(plan, client, ledger, mode="full")
    assert full.ok and full.run_id == sample.run_id  # the same run, continued
    assert counts(client) == EXPECTED_IN_TWENTY
    assert snapshot(client) == clean_snapshot
    assert reconcile(plan, client, ledger).ok


def test_rerun_of_a_finished_run_changes_nothing(client, ledger) -> None:
    plan = build_plan()
    first = run_load(plan, client, ledger, mode="full")
    before = client.stats.records_sent
    second = run_load(plan, client, ledger, mode="full")
    assert second.ok and second.run_id != first.run_id
    assert client.stats.records_sent == before  # not one record written
    assert second.counts["unchanged"] == 59 + 12 + 20 + 15 + 14
    assert second.counts["created"] == 0 and second.counts["updated"] == 0


def test_delta_run_patches_only_changed_records_and_can_be_undone(client, ledger, counts) -> None:
    run_load(build_plan(), client, ledger, mode="full")
    before = snapshot(client)
    sent_before = client.stats.records_sent
    delta_plan = build_plan(people=61, stamp=" (renewed)")
    delta = run_load(delta_plan, client, ledger, mode="full")
    assert delta.ok, delta
    phases = _by_phase(delta)
    assert phases["opportunities"] == {"updated": 20}
    assert phases["people"]["created"] == 1 and phases["people"]["unchanged"] == 59
    assert client.stats.records_sent - sent_before == 21
    row = ledger.row("deals:D7")
    assert row["outcome"] == "updated" and row["created_run"] != delta.run_id
    twenty = client.get("opportunities", row["twenty_id"])
    assert twenty["name"] == "Deal 7 (renewed)"
    assert reconcile(delta_plan, client, ledger).ok

    undo = rollback(ledger, client, run_id=delta.run_id)
    assert undo.ok and undo.restored == 20 and undo.deleted == 1
    assert snapshot(client) == before
    assert ledger.row("deals:D7")["outcome"] == "created"
    assert run_load(build_plan(), client, ledger, mode="full").counts["unchanged"] == 120


def test_a_phase_that_does_not_add_up_stops_the_load(client, ledger, counts) -> None:
    # a company with one of this migration's keys already sits in the workspace
    client.create("companies", {"name": "Loaded by hand", KEY: "A3"})
    report = run_load(build_plan(), client, ledger, mode="full")
    assert not report.ok and isinstance(report.error, ReconciliationError)
    assert [p.name for p in report.phases] == ["companies"]
    assert "Twenty holds 13" in str(report.error) and "expects 12" in str(report.error)
    assert counts(client)["people"] == 0
    assert ledger.runs()[-1]["status"] == "stopped"


def test_outcomes_of_objects_no_phase_carries_are_reconciled_too(client, ledger) -> None:
    plan = build_plan()
    extra = pl.DataFrame(
        [
            {
                "source_key": "sequences:S1",
                "map_object": "sequences",
                "outcome": "queued",
                "reason": "automation: goes to the inventory",
                "merged_into": None,
                "_file": "sequences.csv",
                "_line": 2,
            }
        ],
        schema=OUTCOME_SCHEMA,
    )
    plan.outcomes = pl.concat([plan.outcomes, extra])
    assert run_load(plan, client, ledger, mode="full").ok
    rec = reconcile(plan, client, ledger)
    assert rec.ok, rec.problems
    before_load = rec.objects.filter(pl.col("object") == "(before load)").to_dicts()
    assert before_load and before_load[0]["source_rows"] == 1 and before_load[0]["queued"] == 1
    assert "sequences:S1" in rec.not_loaded.get_column("source_key").to_list()


def test_unknown_mode_is_refused(client, ledger) -> None:
    with pytest.raises(WorkbenchError, match="mode must be one of"):
        run_load(build_plan(), client, ledger, mode="everything")


def test_progress_is_reported(client, ledger) -> None:
    seen: list[tuple[str, int, int]] = []
    run_load(build_plan(), client, ledger, mode="full", on_progress=lambda *a: seen.append(a))
    assert {s[0] for s in seen} == {"companies", "people", "opportunities", "notes", "noteTargets"}
    assert ("people", 60, 60) in seen


def test_a_second_loader_on_the_same_ledger_is_refused(run_dir: Path, ledger) -> None:
    with pytest.raises(WorkbenchError, match="in use by pid"):
        Ledger(run_dir)


def test_a_broken_plan_is_refused_before_anything_is_sent(client, ledger) -> None:
    plan = build_plan()
    people = plan.phases[1]
    people.records = people.records.with_columns(
        pl.when(pl.col("record_key") == "contacts:C3")
        .then(pl.lit("{not json"))
        .otherwise(pl.col("payload"))
        .alias("payload")
    )
    with pytest.raises(ResolveError) as err:
        run_load(plan, client, ledger, mode="full")
    assert str(err.value).startswith(
        "contacts.csv, line 5, column 'payload': contacts:C3: payload is not JSON"
    )
    assert client.stats.records_sent == 0 and ledger.runs() == []
    plan.phases[1].records = plan.phases[1].records.drop("refs")
    with pytest.raises(ResolveError, match="missing columns"):
        run_load(plan, client, ledger, mode="full")
