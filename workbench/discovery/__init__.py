"""Discovery: what a client's export holds, before anything is mapped.

`discover(export, schema)` profiles every table of a source export against the source's
standard schema; `discover_folder(path)` profiles every text export (.csv, .txt, .tsv) in a
folder without one. Either way every file of the folder is profiled or listed in `not_read`
with the reason. `Discovery.to_json()` is what the run folder's discovery.json holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from matplotlib.figure import Figure

from workbench.discovery.charts import completeness_chart, records_over_time, tag_chart, to_png
from workbench.discovery.complexity import Complexity, grade_complexity
from workbench.discovery.custom_fields import CustomField, custom_fields, header_key
from workbench.discovery.kinds import ColumnKind, Kind, clean
from workbench.discovery.profile import data_columns, duplicate_keys, profile_columns
from workbench.discovery.quality import (
    check_dates,
    check_emails,
    check_excel_numbers,
    check_markers,
    check_phones,
    flags_frame,
    summarise_flags,
)
from workbench.discovery.tags import Taxonomy, behaviour_audit, taxonomy
from workbench.errors import ExportReadError
from workbench.sources.base import SourceExport, UnreadFile
from workbench.sources.export_files import TEXT_SUFFIXES
from workbench.sources.headers import HeaderMatch, matches_json
from workbench.sources.reader import ExportTable, read_csv_export
from workbench.sources.schema import ObjectSchema, SourceSchema
from workbench.sources.unread import describe_unread, folder_files, list_unread, why_not_read

__all__ = [
    "Discovery",
    "ObjectDiscovery",
    "discover",
    "discover_folder",
    "discover_table",
    "to_png",
]

PERSON_OBJECTS = {"contacts", "contact", "profiles", "leads", "people", "persons"}
DEFAULT_REGION: dict[
    str, str
] = {}  # phones without a country code are read in this region (US when absent)
AUDITED_SOURCES = {"kartra"}  # sources whose export drops behaviour unless it was tagged
CREATED_NAME = re.compile(r"(?i)created|joined|added|regdate|date")


@dataclass
class ObjectDiscovery:
    """Everything discovery found about one source object."""

    name: str
    files: list[str]
    rows: int
    rows_per_file: dict[str, int]
    profile: pl.DataFrame
    kinds: dict[str, ColumnKind]
    quarantine: pl.DataFrame
    custom_fields: list[CustomField]
    taxonomies: list[Taxonomy]
    flags: pl.DataFrame  # one row per flagged cell (flag, column, value, _file, _line)
    flag_summary: pl.DataFrame
    duplicate_keys: pl.DataFrame
    key: str | None = None
    created_at: str | None = None
    date_range: dict[str, str] | None = None
    inventory: bool = False
    notes: list[str] = field(default_factory=list)
    repairs: pl.DataFrame | None = None  # cells the reader repaired (REPAIR_SCHEMA)
    _frame: pl.DataFrame | None = field(default=None, repr=False)

    def flag_count(self, flag: str) -> int:
        """Rows carrying this flag (in any column)."""
        hit = self.flags.filter(pl.col("flag") == flag)
        return hit.select(pl.struct("_file", "_line").n_unique()).item() if hit.height else 0

    def to_json(self) -> dict[str, object]:
        columns = [
            {"column": r["column"], "filled": r["filled"], "completeness": r["completeness"],
             "distinct": r["distinct"], **self.kinds[r["column"]].to_json(),
             "top_values": r["top_values"], "sample": r["sample"]}
            for r in self.profile.iter_rows(named=True)
        ]  # fmt: skip
        return {
            "files": self.files,
            "rows": self.rows,
            "rows_per_file": self.rows_per_file,
            "inventory": self.inventory,
            "key": self.key,
            "columns": columns,
            "quarantined": _quarantine_json(self.quarantine),
            "custom_fields": [c.to_json() for c in self.custom_fields],
            "tags": {t.column: t.to_json() for t in self.taxonomies},
            "flags": {
                f"{r['flag']}|{r['column']}": {
                    "flag": r["flag"],
                    "column": r["column"],
                    "rows": r["rows"],
                    "share": r["share"],
                    "examples": r["examples"],
                }
                for r in self.flag_summary.iter_rows(named=True)
            },  # fmt: skip
            "flag_rows": {
                f: self.flag_count(f) for f in self.flags.get_column("flag").unique().sort()
            },
            "duplicate_keys": {
                "column": self.key,
                "values": self.duplicate_keys.height,
                "rows": int(self.duplicate_keys.get_column("rows").sum() or 0),
            },  # fmt: skip
            "date_range": self.date_range,
            "repairs": _repairs_json(self.repairs),
            "notes": self.notes,
        }


@dataclass
class Discovery:
    """The whole export: objects, unreadable files, behaviour audit, complexity."""

    source: str | None
    root: str | None
    objects: dict[str, ObjectDiscovery]
    errors: list[dict[str, object]] = field(default_factory=list)
    behaviour: dict[str, dict[str, object]] | None = None
    complexity: Complexity | None = None
    notes: list[str] = field(default_factory=list)
    not_read: list[UnreadFile] = field(default_factory=list)  # every file left out, and why
    headers: list[HeaderMatch] = field(default_factory=list)  # file header → canonical field

    def to_json(self) -> dict[str, object]:
        files = [
            {"file": f, "object": o.name, "rows": o.rows_per_file.get(f, 0),
             "quarantined": _quarantine_json(o.quarantine.filter(pl.col("file") == f)),
             "columns": _file_columns(o, f)}
            for o in self.objects.values() for f in o.files
        ]  # fmt: skip
        return {
            "source": self.source,
            "root": self.root,
            "files": files,
            "objects": {name: o.to_json() for name, o in self.objects.items()},
            "errors": self.errors,
            "not_read": [u.to_json() for u in self.not_read],
            "behaviour_audit": self.behaviour,
            "complexity": self.complexity.to_json() if self.complexity else None,
            "notes": self.notes,
            "headers": matches_json(self.headers),
        }

    def completeness_chart(self, name: str) -> Figure:
        return completeness_chart(self.objects[name].profile, f"{name}: filled cells per column")

    def tag_chart(self, name: str, column: str) -> Figure:
        tax = next(t for t in self.objects[name].taxonomies if t.column == column)
        return tag_chart(tax.frame(), f"{name}.{column}: contacts per tag")

    def records_chart(self, name: str) -> Figure | None:
        obj = self.objects[name]
        if obj.created_at is None or obj._frame is None:
            return None
        values = obj._frame.select(clean(pl.col(obj.created_at))).to_series()
        return records_over_time(
            values, obj.kinds[obj.created_at].formats, f"{name}: records created per month"
        )


def discover(export: SourceExport, schema: SourceSchema | None = None) -> Discovery:
    """Profile every table of a source export against its standard schema."""
    objects: dict[str, ObjectDiscovery] = {}
    errors: list[dict[str, object]] = [_unread_json(u) for u in export.unread]
    for name, table in export.tables.items():
        errors.extend(_error_json(e) for e in table.errors)
        if not table.files and table.frame.height == 0:
            continue
        obj_schema = schema.objects.get(name) if schema else None
        objects[name] = discover_table(table, obj_schema, source=export.source)
    behaviour = None
    if export.source in AUDITED_SOURCES:
        tag_columns = [
            t for o in objects.values() for t in o.taxonomies if "tag" in header_key(t.column)
        ]
        behaviour = behaviour_audit(tag_columns)
    return Discovery(
        source=export.source,
        root=str(export.root),
        objects=objects,
        errors=errors,
        behaviour=behaviour,
        complexity=_grade(export.source, schema, objects),
        notes=list(export.notes),
        not_read=list_unread(export, schema),
        headers=list(export.headers),
    )


def discover_folder(path: str | Path) -> Discovery:
    """Profile every text export in a folder generically (no source schema): one object per
    file. Files that cannot be read are listed with the reason; a folder with nothing
    readable is an input error that names what it holds."""
    root = Path(path)
    if not root.is_dir():
        raise ExportReadError("the export folder does not exist or is not a folder", file=root)
    objects: dict[str, ObjectDiscovery] = {}
    errors: list[dict[str, object]] = []
    not_read: list[UnreadFile] = []
    for file in folder_files(root):
        rel = file.relative_to(root).as_posix()
        if file.suffix.lower() not in TEXT_SUFFIXES:
            not_read.append(UnreadFile(rel, why_not_read(file, None, root)))
            continue
        try:
            table = read_csv_export(file, object_name=_object_name(file, objects))
        except ExportReadError as exc:
            errors.append(_error_json(exc))
            not_read.append(UnreadFile(rel, exc.message, exc.line))
            continue
        objects[table.object] = discover_table(table, None)
    if not objects:
        raise ExportReadError(
            "nothing in this folder can be read as an export (CSV, TXT or TSV text). "
            + (describe_unread(not_read) if not_read else "The folder is empty."),
            file=root,
        )
    return Discovery(source=None, root=str(root), objects=objects, errors=errors,
                     complexity=_grade(None, None, objects), not_read=not_read)  # fmt: skip


def _object_name(file: Path, taken: dict[str, ObjectDiscovery]) -> str:
    """The file's stem, unless another file already gave that name (Contacts.csv and
    Contacts.txt side by side)."""
    if file.stem not in taken:
        return file.stem
    return file.name


def discover_table(
    table: ExportTable, schema: ObjectSchema | None, *, source: str | None = None
) -> ObjectDiscovery:
    """Profile, custom fields, tags, flags and key duplicates of one source object."""
    frame = table.frame
    columns = data_columns(frame)
    profile, kinds = profile_columns(frame)
    completeness = dict(
        zip(profile.get_column("column"), profile.get_column("completeness"), strict=True)
    )
    customs = (
        custom_fields(columns, schema.columns, kinds, completeness)
        if schema and schema.columns
        else []
    )
    tag_columns = [c for c in (schema.tags if schema else []) if c in columns]
    if schema is None:
        tag_columns = [c for c in columns if kinds[c].kind == Kind.MULTI_SELECT]
    taxonomies = [taxonomy(frame, c) for c in tag_columns]
    key = schema.key if schema and schema.key in columns else _guess_key(columns, kinds)
    created = _created_column(columns, kinds, schema)
    repaired = table.repairs.select(
        pl.col("repair").alias("flag"), "column", "value", "_file", "_line"
    )
    flags = flags_frame(_flags(frame, columns, kinds, schema, table.object, source) + [repaired])
    return ObjectDiscovery(
        name=table.object,
        files=[f.name for f in table.files],
        rows=frame.height,
        rows_per_file=_rows_per_file(table),
        profile=profile,
        kinds=kinds,
        quarantine=table.quarantine,
        custom_fields=customs,
        taxonomies=taxonomies,
        flags=flags,
        flag_summary=summarise_flags(flags, frame.height),
        duplicate_keys=duplicate_keys(frame, key) if key else duplicate_keys(frame, ""),
        key=key,
        created_at=created,
        date_range=_date_range(frame, created, kinds),
        inventory=bool(schema and schema.inventory),
        notes=list(table.notes),
        repairs=table.repairs,
        _frame=frame,
    )


def _flags(
    frame: pl.DataFrame,
    columns: list[str],
    kinds: dict[str, ColumnKind],
    schema: ObjectSchema | None,
    name: str,
    source: str | None,
) -> list[pl.DataFrame]:
    out: list[pl.DataFrame] = []
    email = schema.email if schema and schema.email in columns else None
    if email is None and schema is None:
        email = next((c for c in columns if kinds[c].kind == Kind.EMAIL), None)
    if email:
        out += check_emails(frame, email, required=True)
        if name in PERSON_OBJECTS:
            no_email = clean(pl.col(email)).is_null()
            out.append(frame.filter(no_email).select(
                pl.lit("to_queue").alias("flag"), pl.lit(email).alias("column"),
                pl.lit("no email: held in the reconciliation queue").alias("value"), "_file", "_line"))  # fmt: skip
    region = DEFAULT_REGION.get(source or "", "US")
    for c in columns:
        if kinds[c].kind == Kind.PHONE:
            out += check_phones(frame, c, region)
        elif kinds[c].kind in (Kind.DATE, Kind.DATETIME):
            out += check_dates(frame, c, kinds[c])
    out += check_excel_numbers(frame, columns)
    markers = [c for c in (schema.status_markers if schema else []) if c in columns]
    markers += [
        c for c in (schema.tags if schema else []) if c in columns and "tag" in header_key(c)
    ]
    for c in markers:
        out += check_markers(frame, c, kinds[c])
    return out


def _guess_key(columns: list[str], kinds: dict[str, ColumnKind]) -> str | None:
    return next((c for c in columns if kinds[c].kind == Kind.ID), None)


def _created_column(
    columns: list[str], kinds: dict[str, ColumnKind], schema: ObjectSchema | None
) -> str | None:
    if schema and schema.created_at in columns:
        return schema.created_at
    dated = [c for c in columns if kinds[c].kind in (Kind.DATE, Kind.DATETIME)]
    return next((c for c in dated if CREATED_NAME.search(c)), dated[0] if dated else None)


def _date_range(
    frame: pl.DataFrame, column: str | None, kinds: dict[str, ColumnKind]
) -> dict[str, str] | None:
    if column is None or not kinds[column].formats:
        return None
    from workbench.discovery.kinds import parse_dates

    parsed = parse_dates(frame.select(clean(pl.col(column))).to_series(), kinds[column].formats)
    if parsed.drop_nulls().len() == 0:
        return None
    return {"column": column, "oldest": str(parsed.min()), "newest": str(parsed.max())}


def _rows_per_file(table: ExportTable) -> dict[str, int]:
    counts = (
        dict(table.frame.get_column("_file").value_counts().iter_rows())
        if table.frame.height
        else {}
    )
    return {f.name: int(counts.get(f.name, 0)) for f in table.files}


def _grade(
    source: str | None, schema: SourceSchema | None, objects: dict[str, ObjectDiscovery]
) -> Complexity:
    migrating = [o for o in objects.values() if not o.inventory]
    compat = schema.compatibility if schema else None
    return grade_complexity(
        source=source,
        mapped_1to1=compat.mapped_1to1 if compat else None,
        total_objects=compat.total if compat else None,
        columns=sum(o.profile.height for o in migrating),
        custom_columns=sum(len(o.custom_fields) for o in migrating),
        records=sum(o.rows for o in migrating),
        migrating_objects=len(migrating),
        tag_groups=sum(len(t.groups) for o in migrating for t in o.taxonomies),
        batches=max((len(o.files) for o in migrating), default=1),
        base_weeks=schema.timeline_weeks if schema else None,
    )


def _quarantine_json(quarantine: pl.DataFrame) -> list[dict[str, object]]:
    return [{"file": r["file"], "line": r["line"], "reason": r["reason"], "value": r["value"]}
            for r in quarantine.iter_rows(named=True)]  # fmt: skip


def _repairs_json(repairs: pl.DataFrame | None) -> dict[str, dict[str, int]]:
    """Per kind of repair, how many values of each column were repaired."""
    out: dict[str, dict[str, int]] = {}
    if repairs is None:
        return out
    for repair, column, n in (
        repairs.group_by("repair", "column", maintain_order=True).len().iter_rows()
    ):
        out.setdefault(repair, {})[column] = n
    return out


def _unread_json(unread: UnreadFile) -> dict[str, object]:
    return {"file": unread.file, "line": unread.line, "column": None, "message": unread.reason}


def _error_json(exc: ExportReadError) -> dict[str, object]:
    return {"file": exc.file, "line": exc.line, "column": exc.column, "message": exc.message}


def _file_columns(obj: ObjectDiscovery, file: str) -> list[dict[str, object]]:
    if obj._frame is None:
        return []
    part = obj._frame.filter(pl.col("_file") == file)
    cols = data_columns(part)
    if part.height == 0:
        return [
            {"column": c, "kind": str(obj.kinds[c].kind), "completeness": 0.0, "distinct": 0}
            for c in cols
        ]
    cleaned = part.select([clean(pl.col(c)).alias(c) for c in cols])
    filled = cleaned.select(pl.all().count()).row(0)
    distinct = cleaned.select(pl.all().drop_nulls().n_unique()).row(0)
    return [
        {
            "column": c,
            "kind": str(obj.kinds[c].kind),
            "completeness": round(f / part.height, 4),
            "distinct": d,
        }
        for c, f, d in zip(cols, filled, distinct, strict=True)
    ]
