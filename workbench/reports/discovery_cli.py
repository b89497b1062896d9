"""`workbench discover`: discovery.json and the discovery document from the command line."""

from __future__ import annotations

from pathlib import Path

from workbench.pipeline import SEQUENCE, run_sequence
from workbench.reports.document import render_document


def discover_to_folder(
    export_dir: Path, out_dir: Path, *, source: str | None = None
) -> dict[str, Path]:
    """Run 01_discovery headlessly into `out_dir` and render its document.

    Without a source every CSV of the folder is profiled generically.
    """
    name = source or "generic"
    result = run_sequence(name, export_dir, out_dir, notebooks=SEQUENCE[:1], progress=False)
    document = render_document(
        "scope",
        result.notebooks,
        result.run_dir / "discovery.html",
        facts={
            "Source": name,
            "Export folder": str(Path(export_dir).resolve().name),
            "Document": "Discovery",
        },
    )
    return {
        "discovery.json": result.run_dir / "discovery.json",
        "discovery document": document,
        "executed notebook": result.notebooks[0],
    }
