"""05_reconcile: the proof after the load, the not-landed list, and a guarded rollback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from workbench.load import Ledger, Reconciliation, reconcile, rollback
from workbench.records import LoadPlan, Staged, read_plan, read_staged, reason_kind, staged_flags
from workbench.reports.inventories import inventories_frame
from workbench.settings import Settings
from workbench.steps.load import destination, destination_label
from workbench.steps.runfolder import RunFolder
from workbench.twenty import TwentyClient


@dataclass
class ReconcileStep:
    run: RunFolder
    settings: Settings
    client: TwentyClient
    plan: LoadPlan
    staged: Staged
    result: Reconciliation

    def summary_line(self) -> str:
        state = (
            "zero unexplained differences"
            if self.result.ok
            else f"{len(self.result.problems)} problem(s)"
        )
        return f"reconciliation against {destination_label(self.settings)}: {state}"

    def verdict_markdown(self) -> str:
        if self.result.ok:
            return (
                "**Every source record is accounted for.** Each one was created, updated, left "
                "unchanged, merged into another record, or rejected / queued with its reason, and "
                "Twenty holds exactly the records the ledger says."
            )
        return "**Differences found:**\n\n" + "\n".join(f"- {p}" for p in self.result.problems)

    def counts(self) -> pl.DataFrame:
        return self.result.objects

    def spot_check(self) -> pl.DataFrame:
        spot = self.result.spot_check
        if spot.height == 0:
            return pl.DataFrame({"spot check": ["no records loaded"]})
        return (
            spot.group_by("target")
            .agg(
                pl.col("source_key").n_unique().alias("records"),
                pl.len().alias("fields compared"),
                pl.col("match").sum().alias("fields equal"),
            )
            .sort("target")
        )

    def integrity(self) -> pl.DataFrame:
        if self.result.integrity.height == 0:
            links = self.result.links_missing.height
            return pl.DataFrame(
                {
                    "relationship integrity": ["every link in Twenty points where the ledger says"],
                    "links left out (target not loaded)": [links],
                }
            )
        return self.result.integrity

    def not_landed(self) -> pl.DataFrame:
        return self.result.not_loaded

    def not_landed_summary(self) -> pl.DataFrame:
        frame = self.result.not_loaded
        if frame.height == 0:
            return pl.DataFrame({"records not migrated": ["none"]})
        problem = reason_kind(pl.col("reason"), 90)
        return (
            frame.with_columns(problem.alias("reason"))
            .group_by("map_object", "outcome", "reason")
            .agg(pl.len().alias("records"))
            .sort("records", descending=True)
        )

    def transformed(self) -> pl.DataFrame:
        flags = staged_flags(self.staged)
        if flags.height == 0:
            return pl.DataFrame({"values transformed with a note": ["none"]})
        return (
            flags.group_by("map_object", "field", "what")
            .agg(pl.len().alias("values"))
            .sort("values", descending=True)
        )

    def inventories(self) -> pl.DataFrame:
        return inventories_frame(self.run.inventories)

    def rollback(self) -> str:
        """Undo this migration's runs in Twenty; the report lands in reconciliation/."""
        report = rollback(self.run.ledger, self.client)
        return f"**Rollback:** {report}"


def run(
    source: str, export_dir: str | Path, run_dir: str | Path, *, spot_check: int = 40, seed: int = 7
) -> ReconcileStep:
    folder = RunFolder(run_dir)
    settings = Settings.from_env()
    client = destination(folder, settings=settings)
    plan = read_plan(folder.plan)
    ledger = Ledger(folder.ledger, readonly=True)
    try:
        result = reconcile(plan, client, ledger, spot_check=spot_check, seed=seed)
    finally:
        ledger.close()
    result.write(folder.reconciliation)
    return ReconcileStep(folder, settings, client, plan, read_staged(folder.staged), result)
