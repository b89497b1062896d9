"""04_load: the destination, schema sync, the sample load and the full load."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import polars as pl

from workbench.errors import ReconciliationError
from workbench.load import Ledger, LoadReport, run_load
from workbench.mapping import MapSpec
from workbench.mapping.conflicts import load_run_map
from workbench.records import LoadPlan, read_plan
from workbench.settings import Settings
from workbench.steps.runfolder import RunFolder
from workbench.twenty import ServerCapabilities, TwentyClient, apply_schema, plan_schema
from workbench.twenty.schema import SchemaPlan


def destination(folder: RunFolder, *, settings: Settings | None = None) -> TwentyClient:
    """The client for this run; what the server supports is detected once and kept in server.json."""
    settings = settings or Settings.from_env()
    known = ServerCapabilities.read(folder.server_json) if folder.server_json.exists() else None
    client = TwentyClient.from_settings(settings, run_dir=folder.root, capabilities=known)
    if known is None:
        client.capabilities().write(folder.server_json)
    return client


def destination_label(settings: Settings) -> str:
    if settings.uses_emulator:
        return "built-in Twenty emulator (rehearsal)"
    return urlparse(settings.api_url or "").netloc or "Twenty"


@dataclass
class LoadStep:
    run: RunFolder
    settings: Settings
    client: TwentyClient
    spec: MapSpec
    plan: LoadPlan
    schema: SchemaPlan | None = None
    reports: list[LoadReport] = field(default_factory=list)

    @property
    def files_root(self) -> Path | None:
        """Attachments are uploaded from the export folder the run was started on."""
        export_dir = self.run.facts().get("export_dir")
        return Path(export_dir) if export_dir else None

    def summary_line(self) -> str:
        records = sum(p.records.height for p in self.plan.phases)
        return (
            f"destination: {destination_label(self.settings)}; plan: {len(self.plan.phases)} phases, "
            f"{records:,} records to load, {self.plan.outcomes.height:,} settled before the load"
        )

    def destination_facts(self) -> dict[str, Any]:
        caps = self.client.capabilities()
        return {
            "destination": destination_label(self.settings),
            "server version": caps.version or "unknown",
            "how it was learned": caps.source,
            "REST upsert": caps.rest_upsert,
            "REST batch cap": caps.rest_batch_cap or "none",
            "throttles with HTTP 429": caps.throttles_with_429,
            "REST DELETE is a hard delete": caps.rest_delete_is_hard,
            "batch size used": self.client.batch_size,
            "request budget (per minute)": getattr(self.client, "requests_per_minute", None)
            or self.settings.requests_per_minute,
        }

    def schema_plan(self) -> pl.DataFrame:
        self.schema = plan_schema(
            self.spec.required_schema(), self.client.list_objects(refresh=True)
        )
        return self.schema.to_frame()

    def apply_schema(self) -> SchemaPlan:
        if self.schema is None:
            self.schema_plan()
        assert self.schema is not None
        self.schema = apply_schema(self.client, self.schema)
        return self.schema

    def schema_markdown(self) -> str:
        if self.schema is None:
            return "The schema was not synced."
        return "\n".join(f"- {line}" for line in self.schema.summary().splitlines())

    def schema_table(self) -> pl.DataFrame:
        return self.schema.to_frame() if self.schema else pl.DataFrame()

    def _load(self, mode: str, sample_size: int) -> LoadReport:
        ledger = Ledger(self.run.ledger)
        try:
            report = run_load(
                self.plan,
                self.client,
                ledger,
                sample_size=sample_size,
                mode=mode,
                files_root=self.files_root,
            )
        finally:
            ledger.close()
        self.reports.append(report)
        return report

    def sample_load(self, sample_size: int = 100) -> LoadReport:
        return self._load("sample", sample_size)

    def full_load(self) -> LoadReport:
        return self._load("full", 0)

    def phase_table(self) -> pl.DataFrame:
        return self.reports[-1].to_frame() if self.reports else pl.DataFrame()

    def raise_if_failed(self) -> None:
        """Stop the run here when a phase did not reconcile; the table above shows which."""
        for report in self.reports:
            if report.error is not None:
                raise ReconciliationError(f"the {report.mode} load stopped: {report.error}")
        print(f"every phase reconciled ({self.reports[-1]})" if self.reports else "nothing loaded")


def open(run_dir: str | Path) -> LoadStep:  # noqa: A001 - reads as `load.open(run_dir)` in the notebook
    folder = RunFolder(run_dir)
    settings = Settings.from_env()
    client = destination(folder, settings=settings)
    spec = load_run_map(folder.map_yaml, folder.schema_decisions)
    return LoadStep(folder, settings, client, spec, read_plan(folder.plan))
