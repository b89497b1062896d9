"""Finding each object's files in an export folder and reading them with the shared reader.

Used by the CSV-export source modules; file patterns come from mappings/<source>/schema.yaml.
A pattern for `.csv` also finds the same name ending `.txt` or `.tsv`: that is what Excel
writes for "Text (Tab delimited)" and "Unicode Text". Every file of the folder is either read
or listed in `list_unread` with the reason.
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

from workbench.errors import ConfigError, ExportReadError, WorkbenchError
from workbench.sources.base import SourceExport, UnreadFile
from workbench.sources.headers import (
    HeaderMatch,
    align_custom_headers,
    check_required,
    resolve_table,
)
from workbench.sources.reader import ExportTable, read_csv_export
from workbench.sources.schema import ObjectSchema, SourceSchema, load_source_schema

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


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


def text_patterns(patterns: list[str]) -> list[str]:
    """The patterns, each `.csv` one also as `.txt` and `.tsv`."""
    out: list[str] = []
    for pattern in patterns:
        out.append(pattern)
        if pattern.lower().endswith(".csv"):
            out += [pattern[:-4] + suffix for suffix in TEXT_SUFFIXES[1:]]
    return out


def object_text_files(root: Path, spec: ObjectSchema) -> list[Path]:
    """The object's text exports (.csv, .txt, .tsv) in the folder, batches in natural order."""
    found = find_files(root, text_patterns(spec.files))
    return [f for f in found if f.suffix.lower() in TEXT_SUFFIXES]


def read_tables(
    files: list[Path],
    object_name: str,
    spec: ObjectSchema | None = None,
    export: SourceExport | None = None,
) -> list[ExportTable]:
    """Each file read; with a schema, its headers resolved and the outcome kept on `export`.

    With `export` given, a file that cannot be read is listed in `export.unread` (reason,
    line) and the others are still read.
    """
    tables = []
    for path in files:
        try:
            tables.append(read_csv_export(path, object_name=object_name))
        except ExportReadError as exc:
            if export is None:
                raise
            export.unread.append(UnreadFile(_relative(path, export.root), exc.message, exc.line))
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


def _relative(path: Path, root: Path | None) -> str:
    if root is None:
        return path.name
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


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
        repairs=pl.concat([t.repairs for t in tables]),
        encoding=tables[0].encoding,
        delimiter=tables[0].delimiter,
        notes=[n for t in tables for n in t.notes],
    )


def read_object(
    root: Path, name: str, spec: ObjectSchema, export: SourceExport | None = None
) -> ExportTable | None:
    """The object's text files read, headers resolved, and stacked; None when none could be read.

    With `export` given, files that cannot be read are listed in `export.unread` instead of
    raising.
    """
    files = object_text_files(root, spec)
    tables = read_tables(files, name, spec, export)
    if not tables:
        return None
    return combine(tables, name)


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
        found = data if isinstance(data, list) else [data]
        for number, item in enumerate(found, start=1):
            if not isinstance(item, dict):
                raise ExportReadError(
                    f"item {number} is {_json_kind(item)}; expected a JSON object per item"
                    f" ({spec.label or 'one inventory item'})",
                    file=_relative(path, root),
                )
        items.extend(found)
    return items


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", str: "a string", int: "a number", float: "a number",
            list: "a list"}.get(type(value), type(value).__name__)  # fmt: skip


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
    """The table an export cannot do without; its absence is an input error that says
    what the folder holds instead."""
    if name in export.tables:
        return export.tables[name]
    from workbench.sources.unread import describe_unread, list_unread

    schema = _schema_of(export)
    if not export.tables and not export.inventory_data:
        found = list_unread(export, schema)
        label = schema.label if schema else export.source
        raise ExportReadError(
            f"nothing in this folder can be read as a {label} export. "
            + (describe_unread(found) if found else "The folder is empty."),
            file=export.root,
        )
    mine = {_relative(p, export.root) for p in object_text_files(export.root, spec)}
    broken = [u for u in export.unread if u.file in mine]
    if broken:
        raise ExportReadError(
            f"no {name} export could be read: {describe_unread(broken)}", file=export.root
        )
    found = list_unread(export, schema)
    raise ExportReadError(
        f"no {name} export found; expected a file named like {' or '.join(spec.files)}"
        f" (.csv, .txt or .tsv). {describe_unread(found) if found else 'The folder is empty.'}",
        file=export.root,
    )


def _schema_of(export: SourceExport) -> SourceSchema | None:
    from workbench.sources.schema import load_source_schema

    try:
        return load_source_schema(export.source)
    except WorkbenchError:
        return None


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
