"""Smart CRM Online: CSV export only (no API). Relations are flattened to ids or names.

Deals point at a company id or only at a contact's name, contacts at a company id or a company
name: the tables stay as exported and resolve rebuilds the links.
"""

from __future__ import annotations

from pathlib import Path

from workbench.sources.base import SourceExport
from workbench.sources.export_files import read_by_schema, require
from workbench.sources.schema import load_source_schema

NAME = "smartcrm"
LABEL = "Smart CRM Online"


def read_export(root: Path) -> SourceExport:
    """Read a Smart CRM Online export folder; the contacts file is required."""
    schema = load_source_schema(NAME)
    export = read_by_schema(Path(root), schema)
    export.check_headers()
    require(export, "contacts", schema.objects["contacts"])
    stages = export.tables.get("pipeline_stages")
    deals = export.tables.get("deals")
    if (
        stages is not None
        and deals is not None
        and {"Stage Name"} <= set(stages.columns)
        and "Stage" in deals.columns
    ):
        listed = {s.strip() for s in stages.frame["Stage Name"].drop_nulls().to_list()}
        used = sorted(
            {s.strip() for s in deals.frame["Stage"].drop_nulls().to_list()} - listed - {""}
        )
        if used:
            export.notes.append(
                "deals: stage(s) used but not in the pipeline stage list: " + ", ".join(used)
            )
    return export
