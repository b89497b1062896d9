"""Salesmate: the JSON pages of its REST API v4, read into raw tables.

An export folder holds one sub-folder per paged module (`contacts/page-0001.json`, …), each page
being the API's answer `{"Status", "Data": {"data": [...], "totalRows", "totalPages"}}`, plus
`users.json`, `pipelines.json` and `fields.json` (single answers) and `attachments/files/`. The
extractor (`salesmate_api`) writes this layout, the emulator (`salesmate_emulator`) serves it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import ExportReadError
from workbench.records import QUARANTINE_SCHEMA
from workbench.sources.base import SourceExport
from workbench.sources.headers import (
    HeaderMatch,
    check_required,
    resolve_names,
    resolve_table,
)
from workbench.sources.reader import ExportTable
from workbench.sources.schema import ObjectSchema, load_source_schema

NAME = "salesmate"
LABEL = "Salesmate"
MAX_ROWS = 250  # the API refuses larger pages


@dataclass(frozen=True)
class Module:
    """One paged Salesmate module: where it lives in the API and in the export folder."""

    table: str  # raw table and folder name
    path: str  # search endpoint (POST, rows/from in the query string)
    module_name: str  # Salesmate's own name, used in field definitions and links
    module_id: int | None = None  # sent in the body where the API wants it (deals)
    documented: bool = False  # True when the path is in Salesmate's public docs


MODULES: tuple[Module, ...] = (
    Module("companies", "/apis/company/v4/search", "Company", documented=True),
    Module("contacts", "/apis/contact/v4/search", "Contact", documented=True),
    Module("deals", "/apis/deal/v4/search", "Deal", module_id=4, documented=True),
    Module("tasks", "/apis/activity/v4/search", "Activity"),
    Module("emails", "/apis/email/v4/search", "Email", module_id=3),
    Module("products", "/apis/product/v4/search", "Product", module_id=6),
    Module("inbox_threads", "/apis/conversation/v4/search", "Conversation"),
    Module("attachments", "/apis/attachment/v4/search", "Attachment"),
    Module("smart_flows", "/apis/smartflow/v4/search", "SmartFlow"),
)
MODULES_BY_TABLE = {m.table: m for m in MODULES}

# Single GET answers, not paged: file name → API path.
REFERENCE_FILES: dict[str, str] = {
    "users.json": "/apis/core/v4/users",
    "pipelines.json": "/apis/v3/apps/dealPipeline",
    "fields.json": "/apis/v3/fields/getAllVisibleFields",
}
ATTACHMENT_DOWNLOAD = "/apis/attachment/v4/{id}/download"
FILES_DIR = "attachments/files"


def page_name(number: int) -> str:
    return f"page-{number:04d}.json"


def page_answer(records: list[dict[str, Any]], total_rows: int, rows: int) -> dict[str, Any]:
    """The search answer as Salesmate shapes it."""
    total_pages = (total_rows + rows - 1) // rows if rows else 0
    return {
        "Status": "success",
        "Data": {"data": records, "totalRows": total_rows, "totalPages": total_pages},
    }


def dump_json(value: Any) -> str:
    """How every page is written: stable, readable, one trailing newline."""
    return json.dumps(value, indent=1, ensure_ascii=False) + "\n"


def write_pages(folder: Path, records: list[dict[str, Any]], rows: int = MAX_ROWS) -> list[Path]:
    """Cut records into pages of `rows`, exactly as a full export reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    chunks = [records[i : i + rows] for i in range(0, len(records), rows)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        path = folder / page_name(number)
        path.write_text(dump_json(page_answer(chunk, len(records), rows)), "utf-8", newline="\n")
        paths.append(path)
    return paths


def write_reference(root: Path, file_name: str, data: Any) -> Path:
    path = root / file_name
    path.write_text(dump_json({"Status": "success", "Data": data}), "utf-8", newline="\n")
    return path


def load_json(path: Path, root: Path) -> Any:
    """Parse one answer file; a broken file names itself, its line and column."""
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")  # a re-saved file may start with a BOM
    except UnicodeDecodeError as exc:
        raise ExportReadError(f"not UTF-8 text ({exc.reason})", file=rel) from exc
    if not text.strip():
        raise ExportReadError(
            "the file is empty; expected a Salesmate API answer", file=rel, line=1
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportReadError(
            f"not valid JSON at column {exc.colno}: {exc.msg}", file=rel, line=exc.lineno
        ) from exc


def page_records(path: Path, root: Path) -> tuple[list[Any], int | None]:
    """The `Data.data` list of one search page and its `totalRows`."""
    answer = load_json(path, root)
    data = answer.get("Data") if isinstance(answer, dict) else None
    records = data.get("data") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ExportReadError(
            'expected a search answer {"Status", "Data": {"data": [...], "totalRows", '
            '"totalPages"}}',
            file=path.relative_to(root).as_posix(),
            line=1,
            column="Data.data",
        )
    total = data.get("totalRows")
    return records, total if isinstance(total, int) else None


def module_pages(root: Path, table: str) -> list[Path]:
    return sorted((root / table).glob("page-*.json"))


def load_module_records(root: Path, table: str) -> list[dict[str, Any]]:
    """Every record of a module in page order (the emulator's account state)."""
    out: list[dict[str, Any]] = []
    for path in module_pages(root, table):
        records, _ = page_records(path, root)
        out.extend(r for r in records if isinstance(r, dict))
    return out


def load_reference(root: Path, file_name: str) -> list[dict[str, Any]]:
    path = root / file_name
    answer = load_json(path, root)
    data = answer.get("Data") if isinstance(answer, dict) else None
    if not isinstance(data, list):
        raise ExportReadError(
            'expected {"Status", "Data": [...]}', file=file_name, line=1, column="Data"
        )
    return data


def cell(value: Any) -> str | None:
    """Every cell as text, the way the API wrote it: numbers as JSON, lists/objects as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def records_frame(rows: list[tuple[str, int, dict[str, Any]]]) -> pl.DataFrame:
    """Raw table from (file, index, record): columns in first-seen order, all Utf8."""
    columns: dict[str, None] = {}
    for _, _, record in rows:
        for key in record:
            columns.setdefault(key, None)
    data: dict[str, list[Any]] = {c: [cell(r.get(c)) for _, _, r in rows] for c in columns}
    data["_file"] = [f for f, _, _ in rows]
    data["_line"] = [i for _, i, _ in rows]
    schema = {c: pl.Utf8 for c in columns} | {"_file": pl.Utf8, "_line": pl.Int64}
    return pl.DataFrame(data, schema=schema)


def _quarantine(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=QUARANTINE_SCHEMA)


class KeyResolver:
    """Record keys → canonical field names, worked out once per distinct key set.

    Pages repeat the same keys, so the id is read through the key that resolves to `id` (a page
    written with UI labels, "Contact ID", reads exactly as one with the API's names), and the
    table's columns are renamed once at the end. Only when two spellings of one field meet in a
    module (pages written by different tools) are records renamed one by one.
    """

    def __init__(self, table: str, spec: ObjectSchema | None) -> None:
        self.table = table
        self.spec = spec
        self.matches: dict[tuple[str, str], HeaderMatch] = {}
        self._renames: dict[tuple[str, ...], dict[str, str]] = {}
        self._noted: set[tuple[str, tuple[str, ...]]] = set()  # (file, key set) recorded

    def _renames_of(self, record: dict[str, Any], file: str) -> dict[str, str]:
        keys = tuple(record)
        if (file, keys) not in self._noted:
            self._noted.add((file, keys))
            chosen = resolve_names(list(keys), self.spec) if self.spec else {}
            self._renames[keys] = {h: f for h, (f, _) in chosen.items() if h != f}
            for header, (field, how) in chosen.items():
                self.matches.setdefault(
                    (file, header), HeaderMatch(self.table, file, header, field, how)
                )
        return self._renames[keys]

    def id_of(self, record: dict[str, Any], file: str) -> Any:
        """The record's id, under whichever key resolves to `id`."""
        renames = self._renames_of(record, file)
        key = next((h for h, f in renames.items() if f == "id"), "id")
        return record.get(key)

    def __call__(self, record: dict[str, Any], file: str) -> dict[str, Any]:
        renames = self._renames_of(record, file)
        return {renames.get(k, k): v for k, v in record.items()} if renames else record

    def table_renames(self, columns: list[str]) -> dict[str, str] | None:
        """One rename for the whole table, or None when spellings of one field meet."""
        merged: dict[str, str] = {}
        for renames in self._renames.values():
            for header, field in renames.items():
                if merged.setdefault(header, field) != field:
                    return None
        targets = [merged.get(c, c) for c in columns]
        return merged if len(set(targets)) == len(targets) else None


def read_module(
    root: Path,
    table: str,
    patterns: list[str] | None = None,
    spec: ObjectSchema | None = None,
    export: SourceExport | None = None,
) -> ExportTable:
    """One module's pages as a raw table; repeated ids and non-records are quarantined.

    With a schema, record keys are resolved to canonical field names (matches and missing
    required fields recorded on `export`).
    """
    resolve = KeyResolver(table, spec)
    paths: list[Path] = []
    for pattern in patterns or [f"{table}/page-*.json"]:
        paths.extend(p for p in sorted(root.glob(pattern)) if p not in paths)
    rows: list[tuple[str, int, dict[str, Any]]] = []
    bad: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    notes: list[str] = []
    last_total: int | None = None
    for path in paths:
        rel = path.relative_to(root).as_posix()
        records, last_total = page_records(path, root)
        for index, record in enumerate(records, start=1):
            where = {"map_object": table, "file": rel, "line": index}
            if not isinstance(record, dict):
                bad.append(
                    where
                    | {
                        "source_id": None,
                        "column": None,
                        "value": cell(record),
                        "reason": "expected a JSON object for a record",
                    }
                )
                continue
            rid = cell(resolve.id_of(record, rel))
            if rid is None:
                bad.append(
                    where
                    | {
                        "source_id": None,
                        "column": "id",
                        "value": None,
                        "reason": "record has no id",
                    }
                )
                continue
            if rid in seen:
                bad.append(
                    where
                    | {
                        "source_id": rid,
                        "column": "id",
                        "value": rid,
                        "reason": f"repeated record: id already read in {seen[rid]}",
                    }
                )
                continue
            seen[rid] = rel
            rows.append((rel, index, record))
    if last_total is not None and last_total != len(rows):
        notes.append(
            f"{table}: {len(rows)} records read but the last page says totalRows={last_total}"
        )
    frame = records_frame(rows)
    if spec is not None:
        renames = resolve.table_renames([c for c in frame.columns if c not in ("_file", "_line")])
        if renames is None:  # two spellings of one field: rename record by record
            frame = records_frame([(f, i, resolve(r, f)) for f, i, r in rows])
        elif renames:
            frame = frame.rename({h: f for h, f in renames.items() if h in frame.columns})
    out = ExportTable(
        object=table,
        files=paths,
        frame=frame,
        quarantine=_quarantine(bad),
        encoding="utf-8",
        delimiter="",
        notes=notes,
    )
    if spec is not None and export is not None:
        export.headers.extend(resolve.matches.values())
        missing = check_required(out, spec, list(resolve.matches.values())) if rows or bad else None
        if missing is not None:
            export.header_problems.append(missing)
    return out


def _reference_table(
    root: Path,
    table: str,
    rows: list[tuple[str, int, dict[str, Any]]],
    file_name: str,
    spec: ObjectSchema | None,
    export: SourceExport,
) -> ExportTable:
    out = ExportTable(
        object=table,
        files=[root / file_name],
        frame=records_frame(rows),
        encoding="utf-8",
        delimiter="",
    )
    if spec is not None:
        matches = resolve_table(out, spec)
        export.headers.extend(matches)
        missing = check_required(out, spec, matches) if rows else None
        if missing is not None:
            export.header_problems.append(missing)
    return out


def pipeline_stage_rows(pipelines: list[dict[str, Any]]) -> list[tuple[str, int, dict[str, Any]]]:
    """One row per stage: pipelines are nested (pipeline → ordered stages)."""
    out = []
    for index, pipeline in enumerate(pipelines, start=1):
        for order, stage in enumerate(pipeline.get("stages") or [], start=1):
            row = {
                "pipeline": pipeline.get("name"),
                "pipelineId": pipeline.get("id"),
                "stageOrder": order,
            } | stage
            out.append(("pipelines.json", index, row))
    return out


def read_export(root: str | Path) -> SourceExport:
    """The committed (or freshly extracted) JSON pages as raw tables, one per module."""
    root = Path(root)
    if not root.is_dir():
        raise ExportReadError("the Salesmate export folder does not exist", file=root)
    schema = load_source_schema(NAME)
    export = SourceExport(source=NAME, root=root, tables={})
    tables = export.tables
    notes = export.notes
    for module in MODULES:
        obj = schema.objects.get(module.table)
        patterns = obj.files if obj and obj.files else None
        if not module_pages(root, module.table):
            notes.append(f"{module.table}: no pages in the export")
            continue
        table = read_module(root, module.table, patterns, obj, export)
        tables[module.table] = table
        notes.extend(table.notes)
    if (root / "users.json").is_file():
        users = load_reference(root, "users.json")
        rows = [("users.json", i, u) for i, u in enumerate(users, start=1)]
        tables["users"] = _reference_table(
            root, "users", rows, "users.json", schema.objects.get("users"), export
        )
    if (root / "pipelines.json").is_file():
        stages = pipeline_stage_rows(load_reference(root, "pipelines.json"))
        tables["pipeline_stages"] = _reference_table(
            root,
            "pipeline_stages",
            stages,
            "pipelines.json",
            schema.objects.get("pipeline_stages"),
            export,
        )
    if (root / "fields.json").is_file():
        fields = load_reference(root, "fields.json")
        rows = [("fields.json", i, f) for i, f in enumerate(fields, start=1)]
        tables["fields"] = _reference_table(
            root, "fields", rows, "fields.json", schema.objects.get("fields"), export
        )
    export.check_headers()
    if (root / FILES_DIR).is_dir():
        export.assets["attachments"] = root / FILES_DIR
    if "smart_flows" in tables:
        resolve = KeyResolver("smart_flows", schema.objects.get("smart_flows"))
        export.inventory_data["smart_flows"] = [
            resolve(r, "") for r in load_module_records(root, "smart_flows")
        ]
    return export
