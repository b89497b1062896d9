"""Finding each object's files in an export folder and reading them with the shared reader.

Used by the CSV-export source modules; file patterns come from mappings/<source>/schema.yaml.
Each file's headers are resolved to the schema's canonical names as soon as it is read (before
batches are stacked, since two batches may spell a header differently).
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import ConfigError, ExportReadError
from workbench.sources.base import SourceExport
from workbench.sources.headers import (
    HeaderMatch,
    align_custom_headers,
    check_required,
    resolve_table,
)
from workbench.sources.reader import ExportTable, read_csv_export
from workbench.sources.schema import ObjectSchema, SourceSchema, load_source_schema


def natural_key(path: Path) -> list[Any]:
    """contacts_2 before contacts_10, as a person numbering batches means it."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path.as_posix().lower())]


def find_files(root: Path, patterns: list[str]) -> list[Path]:
    """Files under `root` whose relative path matches a pattern, case-insensitively.

    A pattern without a slash matches files at the top of the folder only; `*` never crosses
    a folder boundary.
    """
    if not root.is_dir():
        raise ExportReadError("the export folder does not exist or is not a folder", file=root)
    wanted = [p.lower().split("/") for p in patterns]
    found = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        parts = path.relative_to(root).as_posix().lower().split("/")
        if any(
            len(w) == len(parts) and all(fnmatchcase(a, b) for a, b in zip(parts, w, strict=True))
            for w in wanted
        ):
            found.append(path)
    return sorted(found, key=natural_key)


def read_tables(
    files: list[Path],
    object_name: str,
    spec: ObjectSchema | None = None,
    export: SourceExport | None = None,
) -> list[ExportTable]:
    """Each file read; with a schema, its headers resolved and the outcome kept on `export`."""
    tables = [read_csv_export(path, object_name=object_name) for path in files]
    if spec is not None:
        for table in tables:
            resolve_into(table, spec, export)
        aligned = align_custom_headers(tables, spec)
        if export is not None:
            export.headers.extend(aligned)
    return tables


def resolve_into(table: ExportTable, spec: ObjectSchema, export: SourceExport | None) -> None:
    """Canonical headers for one table; matches and missing fields recorded on the export."""
    matches = resolve_table(table, spec)
    missing = check_required(table, spec, matches)
    if export is not None:
        export.headers.extend(matches)
        if missing is not None:
            export.header_problems.append(missing)


def combine(tables: list[ExportTable], object_name: str) -> ExportTable:
    """One table from several files of one object; columns missing in a file become null."""
    if len(tables) == 1:
        return tables[0]
    frame = pl.concat([t.frame for t in tables], how="diagonal")
    quarantine = pl.concat([t.quarantine for t in tables], how="vertical_relaxed")
    return ExportTable(
        object=object_name,
        files=[f for t in tables for f in t.files],
        frame=frame,
        quarantine=quarantine,
        encoding=tables[0].encoding,
        delimiter=tables[0].delimiter,
        notes=[n for t in tables for n in t.notes],
    )


def read_object(
    root: Path, name: str, spec: ObjectSchema, export: SourceExport | None = None
) -> ExportTable | None:
    """The object's CSV files read, headers resolved, and stacked; None when there are none."""
    files = [f for f in find_files(root, spec.files) if f.suffix.lower() in (".csv", ".txt")]
    if not files:
        return None
    return combine(read_tables(files, name, spec, export), name)


def read_json_file(path: Path) -> Any:
    """An inventory file in JSON; a syntax error names its line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ExportReadError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", file=path.name, line=exc.lineno
        ) from exc
    except UnicodeDecodeError as exc:
        raise ExportReadError("not UTF-8 text; expected a JSON file", file=path.name) from exc


def read_json_object(root: Path, spec: ObjectSchema) -> list[Any] | None:
    """Every JSON file of an inventory object, their top-level lists joined."""
    files = [f for f in find_files(root, spec.files) if f.suffix.lower() == ".json"]
    if not files:
        return None
    items: list[Any] = []
    for path in files:
        data = read_json_file(path)
        items.extend(data if isinstance(data, list) else [data])
    return items


def read_by_schema(root: Path, schema: SourceSchema, *, skip: tuple[str, ...] = ()) -> SourceExport:
    """Every object the schema names: CSV files become tables, JSON files inventory data.

    An object with no file is noted, not an error: clients often leave some exports out.
    """
    root = Path(root)
    export = SourceExport(source=schema.source, root=root, tables={})
    for name, spec in schema.objects.items():
        if name in skip:
            continue
        table = read_object(root, name, spec, export)
        if table is not None:
            export.tables[name] = table
        data = read_json_object(root, spec)
        if data is not None:
            export.inventory_data[name] = data
        if table is None and data is None:
            export.notes.append(f"{name}: no file matching {', '.join(spec.files)}")
    return export


def require(export: SourceExport, name: str, spec: ObjectSchema) -> ExportTable:
    """The table an export cannot do without; its absence is an input error."""
    if name not in export.tables:
        raise ExportReadError(
            f"no {name} export found; expected a file matching {', '.join(spec.files)}",
            file=export.root,
        )
    return export.tables[name]


def read_file_as(
    path: Path, source: str, object_name: str
) -> tuple[ExportTable, ObjectSchema, list[HeaderMatch]]:
    """One file read as the given object of a source, headers resolved (the one-file CLIs).

    Required fields are not enforced here: a one-file command knows which columns it needs.
    """
    schema = load_source_schema(source)
    spec = schema.objects.get(object_name)
    if spec is None:
        raise ConfigError(
            f"{schema.label} has no object {object_name!r}; "
            f"expected one of {', '.join(schema.objects)}"
        )
    table = read_csv_export(path, object_name=object_name)
    return table, spec, resolve_table(table, spec)
