"""The scope document and the migration summary of a finished run."""

from __future__ import annotations

from pathlib import Path

from workbench.reports.document import render_document
from workbench.settings import Settings
from workbench.steps.load import destination_label
from workbench.steps.runfolder import RunFolder

SCOPE_NOTEBOOKS = ("01_discovery", "02_mapping", "03_resolve")
SUMMARY_NOTEBOOKS = ("04_load", "05_reconcile")


def render_run_documents(
    run_dir: str | Path, *, settings: Settings | None = None
) -> dict[str, Path]:
    """Render scope.html (before the load) and summary.html (after it) from the executed notebooks."""
    folder = RunFolder(run_dir)
    settings = settings or Settings.from_env()
    facts = folder.facts()
    header = {
        "Source system": facts.get("label", facts.get("source", "")),
        "Export": Path(facts.get("export_dir", "")).name,
        "Run": folder.root.name,
        "Destination": destination_label(settings),
    }
    secrets = [s for s in (settings.api_key, settings.salesmate_access_key) if s]
    written: dict[str, Path] = {}
    for kind, names in (("scope", SCOPE_NOTEBOOKS), ("summary", SUMMARY_NOTEBOOKS)):
        notebooks = [
            folder.root / f"{n}.ipynb" for n in names if (folder.root / f"{n}.ipynb").exists()
        ]
        if notebooks:
            written[kind] = render_document(
                kind, notebooks, folder.root / f"{kind}.html", facts=header, secrets=secrets
            )
    return written
