"""Altcraft: CSV exports of a CDP (its API is unreliable). Profiles, events, catalogue, orders,
plus inventories: dynamic segments and forms as JSON, templates and channels as CSV.

Channel credentials never leave the reader: every credential-like column of the channels file
is masked before anything else sees it, and the export's notes say so.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from workbench.sources.base import SourceExport
from workbench.sources.export_files import read_by_schema, require
from workbench.sources.schema import load_source_schema

NAME = "altcraft"
LABEL = "Altcraft"
CREDENTIAL = re.compile(r"key|token|secret|passw|credential|auth", re.IGNORECASE)
MASK = "[withheld]"


def read_export(root: Path) -> SourceExport:
    """Read an Altcraft export folder; the profiles file is required."""
    schema = load_source_schema(NAME)
    export = read_by_schema(Path(root), schema)
    export.check_headers()
    require(export, "profiles", schema.objects["profiles"])
    channels = export.tables.get("channels")
    if channels is not None:
        secret = [c for c in channels.columns if CREDENTIAL.search(c)]
        if secret:
            channels.frame = channels.frame.with_columns(
                pl.when(pl.col(c).str.strip_chars().fill_null("") == "")
                .then(pl.lit(""))
                .otherwise(pl.lit(MASK))
                .alias(c)
                for c in secret
            )
            export.notes.append(
                f"channels: credential column(s) masked, never copied: {', '.join(secret)}"
            )
    return export
