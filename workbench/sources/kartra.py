"""Kartra: UI CSV exports (no bulk API). Contacts arrive as several capped batches.

The batches are reassembled into one contacts table: rows exported twice (batches overlap at
their boundaries) are kept once, from the later batch, and the result is ordered oldest → newest
by `date_joined` so creation order survives into Twenty.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from workbench.sources.base import SourceExport
from workbench.sources.export_files import object_text_files, read_by_schema, read_tables
from workbench.sources.reader import ExportTable
from workbench.sources.schema import load_source_schema

NAME = "kartra"
LABEL = "Kartra"
EMPTY_VALUES = ("", "N/A")  # Kartra writes empty values as the literal N/A
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # US Eastern, no offset


@dataclass
class Reassembly:
    """What reassembling the contact batches did, for the export's notes and the tests."""

    batches: list[tuple[str, int]]  # (file name, rows)
    overlaps_removed: int
    overlaps_changed: int  # repeated ids whose values differed between batches
    without_id: int
    without_date: int


def read_export(root: Path) -> SourceExport:
    """Read a Kartra export folder: contact batches reassembled, the other files as they are."""
    schema = load_source_schema(NAME)
    root = Path(root)
    export = read_by_schema(root, schema, skip=("contacts",))
    spec = schema.objects["contacts"]
    batches = read_tables(object_text_files(root, spec), "contacts", spec, export)
    export.check_headers()
    if not batches:
        export.notes.append(f"contacts: no file matching {', '.join(spec.files)}")
        return export
    table, report = reassemble_contacts(
        batches,
        key=spec.key or "id",
        created_at=spec.created_at or "date_joined",
    )
    export.tables = {"contacts": table, **export.tables}
    export.notes.insert(0, describe(report, table.frame.height))
    return export


def reassemble_contacts(
    batches: list[ExportTable], *, key: str, created_at: str
) -> tuple[ExportTable, Reassembly]:
    """One contacts table from UI batches given in export order (later batches win)."""
    frames = [
        t.frame.with_columns(pl.lit(n, dtype=pl.Int32).alias("_batch"))
        for n, t in enumerate(batches)
    ]
    stacked = pl.concat(frames, how="diagonal")
    columns = [c for c in stacked.columns if not c.startswith("_")]
    key_expr = pl.col(key).str.strip_chars() if key in stacked.columns else pl.lit(None, pl.Utf8)
    stacked = stacked.with_columns(key_expr.alias("_key")).with_columns(
        pl.when(pl.col("_key").is_in(list(EMPTY_VALUES)))
        .then(None)
        .otherwise(pl.col("_key"))
        .alias("_key")
    )
    keyed = stacked.filter(pl.col("_key").is_not_null())
    unkeyed = stacked.filter(pl.col("_key").is_null())
    versions = keyed.select("_key", *columns).unique().group_by("_key").len()
    changed = versions.filter(pl.col("len") > 1).height
    kept = keyed.sort("_batch", maintain_order=True).unique(
        "_key", keep="last", maintain_order=True
    )
    merged = pl.concat([kept, unkeyed], how="vertical")
    if created_at in merged.columns:
        when = (
            pl.col(created_at)
            .str.strip_chars()
            .str.strptime(pl.Datetime, DATE_FORMAT, strict=False)
        )
    else:
        when = pl.lit(None, pl.Datetime)
    merged = merged.with_columns(when.alias("_when"))
    ordered = merged.sort(["_when", "_batch", "_line"], nulls_last=True, maintain_order=True)
    report = Reassembly(
        batches=[(t.files[0].name, t.frame.height) for t in batches],
        overlaps_removed=keyed.height - kept.height,
        overlaps_changed=changed,
        without_id=unkeyed.height,
        without_date=ordered.filter(pl.col("_when").is_null()).height,
    )
    frame = ordered.select(*columns, "_file", "_line")
    table = ExportTable(
        object="contacts",
        files=[f for t in batches for f in t.files],
        frame=frame,
        quarantine=pl.concat([t.quarantine for t in batches], how="vertical_relaxed"),
        repairs=pl.concat([t.repairs for t in batches]),
        encoding=batches[0].encoding,
        delimiter=batches[0].delimiter,
        notes=[n for t in batches for n in t.notes],
    )
    return table, report


def describe(report: Reassembly, rows: int) -> str:
    """The sentence the scope document shows about the batches."""
    parts = ", ".join(f"{name} ({n} rows)" for name, n in report.batches)
    text = (
        f"contacts: {len(report.batches)} export batch(es) reassembled: {parts}; "
        f"{report.overlaps_removed} row(s) exported in two batches removed"
    )
    if report.overlaps_changed:
        text += (
            f" ({report.overlaps_changed} edited between exports: the later batch's values kept)"
        )
    text += f"; ordered oldest → newest by date_joined; {rows} contacts"
    if report.without_id:
        text += f"; {report.without_id} row(s) without an id kept as they are"
    if report.without_date:
        text += f"; {report.without_date} row(s) without a readable date_joined placed last"
    return text + "."
