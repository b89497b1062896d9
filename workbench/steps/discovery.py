"""01_discovery: read the export, profile it, write discovery.json and the inventories."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from matplotlib.figure import Figure

from workbench.discovery import Discovery, discover, discover_folder
from workbench.reports.display import empty_chart
from workbench.reports.headers import header_table, headers_markdown
from workbench.reports.inventories import (
    Inventory,
    build_inventories,
    inventories_frame,
    write_inventories,
)
from workbench.sources.base import SourceExport, get_source
from workbench.sources.schema import SourceSchema, load_source_schema
from workbench.sources.unread import display_lines
from workbench.steps.runfolder import RunFolder

GENERIC = "generic"  # profile every CSV of a folder without a source schema


@dataclass
class DiscoveryStep:
    source: str
    label: str
    export: SourceExport
    schema: SourceSchema
    discovery: Discovery
    written_inventories: list[Inventory]
    run: RunFolder

    # --- what the notebook shows -------------------------------------------------------------

    def _records(self) -> dict[str, Any]:
        return {n: o for n, o in self.discovery.objects.items() if not o.inventory}

    def summary_line(self) -> str:
        rows = sum(o.rows for o in self._records().values())
        line = (
            f"{self.label} export at {self.export.root}: {len(self._records())} objects, "
            f"{rows:,} records, {len(self.discovery.errors)} unreadable file(s)"
        )
        not_read = self.discovery.not_read
        if not_read:
            line += f"; {len(not_read)} file(s) not read:\n" + "\n".join(
                f"  - {text}" for text in display_lines(not_read)
            )
        return line

    def export_markdown(self) -> str:
        lines = [
            f"**Source system:** {self.label}  ",
            f"**Export folder:** `{self.export.root.name}`",
            "",
        ]
        lines += [f"- {note}" for note in dict.fromkeys(self.export.notes + self.discovery.notes)]
        if self.discovery.not_read:
            lines += ["", f"**Files not read ({len(self.discovery.not_read)}):**", ""]
            lines += [f"- {text}" for text in display_lines(self.discovery.not_read)]
        return "\n".join(lines)

    def counts(self) -> pl.DataFrame:
        rows = []
        for name, obj in self.discovery.objects.items():
            spec = self.schema.objects.get(name)
            rows.append(
                {
                    "object": spec.label if spec and spec.label else name,
                    "files": ", ".join(obj.files),
                    "records": obj.rows,
                    "columns": obj.profile.height,
                    "custom fields": len(obj.custom_fields),
                    "quarantined rows": obj.quarantine.height,
                    "oldest": (obj.date_range or {}).get("oldest", ""),
                    "newest": (obj.date_range or {}).get("newest", ""),
                    "migrates as": "inventory" if obj.inventory else "records",
                }
            )
        return pl.DataFrame(rows)

    def headers(self) -> pl.DataFrame:
        """Each header as the files wrote it, the schema field it became, and how it matched."""
        return header_table(self.export.headers, self.schema)

    def headers_markdown(self) -> str:
        return headers_markdown(self.export.headers)

    def complexity_markdown(self) -> str:
        c = self.discovery.complexity
        if c is None:
            return "No complexity grade: the export was profiled without a source schema."
        weeks = f"{c.timeline_weeks[0]}–{c.timeline_weeks[1]} weeks"
        lines = [
            f'<span class="wb-grade">Overall grade {c.overall}</span> · compatibility '
            f"**{c.compatibility}** objects map 1:1 · estimated timeline **{weeks}**",
            "",
        ]
        lines += [f"- {reason}" for reason in c.timeline_reasons]
        return "\n".join(lines)

    def complexity_table(self) -> pl.DataFrame:
        c = self.discovery.complexity
        if c is None:
            return pl.DataFrame()
        return pl.DataFrame(
            [
                {
                    "dimension": d.dimension,
                    "grade": d.grade,
                    "why": d.reason,
                    "inputs": ", ".join(f"{k}={v}" for k, v in d.inputs.items()),
                }
                for d in c.dimensions
            ]
        )

    def _main_object(self) -> str | None:
        records = self._records() or self.discovery.objects
        return max(records, key=lambda n: records[n].rows) if records else None

    def completeness_chart(self) -> Figure:
        name = self._main_object()
        if name is None:
            return empty_chart("No records in this export")
        return self.discovery.completeness_chart(name)

    def columns(self) -> pl.DataFrame:
        frames = []
        for name, obj in self._records().items():
            frame = obj.profile.select(
                pl.lit(name).alias("object"),
                "column",
                pl.col("column")
                .map_elements(lambda c, o=obj: o.kinds[c].kind.value, return_dtype=pl.Utf8)
                .alias("kind"),
                (pl.col("completeness") * 100).round(1).alias("filled %"),
                "distinct",
            )
            frames.append(frame)
        return pl.concat(frames) if frames else pl.DataFrame()

    def custom_fields(self) -> pl.DataFrame:
        rows = [
            {
                "object": name,
                "column": f.column,
                "kind found": f.kind,
                "Twenty type": str(f.twenty_type),
                "filled %": round(f.completeness * 100, 1),
                "options": ", ".join(o.label for o in f.options[:12])
                + (" …" if len(f.options) > 12 else ""),
            }
            for name, obj in self._records().items()
            for f in obj.custom_fields
        ]
        return pl.DataFrame(rows) if rows else pl.DataFrame({"custom fields": ["none found"]})

    def _taxonomies(self) -> list[tuple[str, Any]]:
        return [(name, t) for name, obj in self._records().items() for t in obj.taxonomies]

    def tags_markdown(self) -> str:
        lines = []
        for name, tax in self._taxonomies():
            lines.append(
                f"- **{name}.{tax.column}**: {len(tax.groups)} distinct values "
                f"({len(tax.values)} spellings) on {tax.rows_with_tags:,} records"
            )
        audit = self.discovery.behaviour
        if audit:
            lines.append("")
            lines.append(
                "**Behavioural-tag audit** — the export carries behaviour only where a tag captured it:"
            )
            for kind, found in audit.items():
                tags = found.get("tags") or {}
                captured = ", ".join(f"{tag} ({n:,} contacts)" for tag, n in tags.items())
                lines.append(
                    f"- {kind}: "
                    + (f"captured by {captured}" if tags else "**absent from the export**")
                )
        return "\n".join(lines) or "No tag or list columns in this export."

    def tags(self) -> pl.DataFrame:
        frames = [
            t.frame().select(pl.lit(f"{n}.{t.column}").alias("column"), pl.all())
            for n, t in self._taxonomies()
        ]
        return pl.concat(frames).sort("contacts", descending=True) if frames else pl.DataFrame()

    def near_duplicate_tags(self) -> pl.DataFrame:
        rows = [
            {
                "column": f"{n}.{t.column}",
                "merged as": g.label,
                "spellings": ", ".join(repr(v) for v in g.variants),
            }
            for n, t in self._taxonomies()
            for g in t.groups
            if len(g.variants) > 1
        ]
        return pl.DataFrame(rows) if rows else pl.DataFrame({"near-duplicate tags": ["none found"]})

    def tag_chart(self) -> Figure:
        taxonomies = self._taxonomies()
        if not taxonomies:
            return empty_chart("No tags in this export")
        name, tax = max(taxonomies, key=lambda item: item[1].rows_with_tags)
        return self.discovery.tag_chart(name, tax.column)

    def quality_flags(self) -> pl.DataFrame:
        frames = [
            obj.flag_summary.select(
                pl.lit(name).alias("object"),
                "flag",
                "column",
                pl.col("rows").cast(pl.Int64),
                (pl.col("share") * 100).round(1).alias("share %"),
            )
            for name, obj in self._records().items()
            if obj.flag_summary.height
        ]
        return pl.concat(frames) if frames else pl.DataFrame({"quality flags": ["none"]})

    def quality_examples(self) -> pl.DataFrame:
        frames = [
            obj.flag_summary.select(
                pl.lit(name).alias("object"),
                "flag",
                "column",
                pl.col("examples").list.join(" | ").alias("examples"),
            )
            for name, obj in self._records().items()
            if obj.flag_summary.height
        ]
        return pl.concat(frames) if frames else pl.DataFrame()

    def timeline_chart(self) -> Figure:
        name = self._main_object()
        chart = self.discovery.records_chart(name) if name is not None else None
        return chart if chart is not None else empty_chart("No creation dates in this export")

    def inventories(self) -> pl.DataFrame:
        return inventories_frame(self.run.inventories)

    # --- artifacts -----------------------------------------------------------------------

    def write(self) -> Path:
        data = self.discovery.to_json()
        data["inventories"] = [
            {"name": i.name, "title": i.title, "items": len(i.items), "withheld": i.withheld}
            for i in self.written_inventories
        ]
        return self.run.write_json(self.run.discovery_json, data)


def _run_generic(export_dir: Path, folder: RunFolder) -> DiscoveryStep:
    """Every CSV in the folder profiled on its own, without a source schema."""
    result = discover_folder(export_dir)
    export = SourceExport(source=GENERIC, root=export_dir, tables={})
    schema = SourceSchema(source=GENERIC, label="CSV folder", objects={})
    folder.remember(source=GENERIC, label="CSV folder", export_dir=str(export_dir.resolve()))
    step = DiscoveryStep(GENERIC, "CSV folder", export, schema, result, [], folder)
    step.write()
    return step


def run(source: str, export_dir: str | Path, run_dir: str | Path) -> DiscoveryStep:
    """Read and profile the export; write discovery.json and the inventories."""
    folder = RunFolder(run_dir)
    if source == GENERIC:
        return _run_generic(Path(export_dir), folder)
    module = get_source(source)
    export = module.read_export(Path(export_dir))
    schema = load_source_schema(module.NAME)
    result = discover(export, schema)
    inventories = build_inventories(export, schema)
    write_inventories(inventories, folder.inventories, module.LABEL)
    folder.remember(
        source=module.NAME, label=module.LABEL, export_dir=str(Path(export_dir).resolve())
    )
    step = DiscoveryStep(module.NAME, module.LABEL, export, schema, result, inventories, folder)
    step.write()
    return step
