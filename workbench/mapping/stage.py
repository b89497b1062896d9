"""Staging: a confirmed map applied to an export → records in Twenty's shapes, quarantine, queue.

Every source row of every mapped table ends in exactly one place: a staged record, one
quarantine row (all of its failing fields named), or one queue row (the rule that routed it).
Transforms run once per distinct value of a column, so repeated values cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from workbench.errors import MapValidationError
from workbench.mapping.registry import Context, Invalid, get_transform
from workbench.mapping.spec import FieldRule, MapObject, MapSpec
from workbench.mapping.validate import conform
from workbench.mapping.yamlio import Problem, line_of, raise_problems
from workbench.records import QUARANTINE_SCHEMA, QUEUE_SCHEMA, STAGED_SCHEMA, Staged, dumps
from workbench.sources.base import SourceExport
from workbench.sources.schema import normalise_header


@dataclass(frozen=True)
class StageParams:
    """Per-run reading parameters; None means the map's `defaults`."""

    region: str | None = None
    date_order: str | None = None
    timezone: str | None = None
    currency: str | None = None
    decimal_comma: bool | None = None
    limit: int | None = None  # first N rows of each table only (previews)
    objects: tuple[str, ...] | None = None  # only these map objects


def make_context(spec: MapSpec, params: StageParams) -> Context:
    d = spec.defaults
    pick = lambda given, default: default if given is None else given  # noqa: E731
    return Context(
        region=pick(params.region, d.region),
        date_order=pick(params.date_order, d.date_order),
        timezone=pick(params.timezone, d.timezone),
        currency=pick(params.currency, d.currency),
        decimal_comma=pick(params.decimal_comma, d.decimal_comma),
        value_maps=dict(spec.value_maps),
    )


# Provenance a map may read like a column: rows without an id (AllClients notes) are keyed by
# where they stand in the export, `_row` = "<file>:<line>".
PSEUDO_COLUMNS = ("_file", "_line", "_row")


def _with_row_key(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.concat_str([pl.col("_file"), pl.lit(":"), pl.col("_line").cast(pl.Utf8)]).alias("_row")
    )


def resolve_columns(spec: MapSpec, export: SourceExport) -> dict[str, dict[str, str]]:
    """Map column name → export column, per map object; every missing table or column at once.

    Standard columns already carry the schema's names (the sources stage resolved them); an
    account's custom columns match exactly, else as headers are resolved (normalise_header: case,
    spacing, punctuation, accents, BOM), so a re-saved 'CLIENT_TIER' meets a map saying 'Client Tier'.
    """
    problems: list[Problem] = []
    out: dict[str, dict[str, str]] = {}
    lines = getattr(spec, "_lines", {})
    for name, obj in spec.objects.items():
        table = obj.source_table
        if obj.inventory and table not in export.tables:
            continue  # listed from the export's inventory data, or reported empty
        if table not in export.tables:
            path = ("objects", name, "derive_from" if obj.derive_from else "table")
            problems.append(
                Problem(
                    path,
                    f"the export has no table {table!r} (tables: {', '.join(sorted(export.tables))})",
                    line_of(lines, path),
                )
            )
            continue
        columns = export.tables[table].columns
        by_norm = {normalise_header(c): c for c in columns}
        found: dict[str, str] = {}
        for col in obj.columns_used():
            if col in PSEUDO_COLUMNS:
                continue
            actual = col if col in columns else by_norm.get(normalise_header(col))
            if actual is None:
                path = _column_path(obj, name, col)
                problems.append(
                    Problem(path, f"table {table!r} has no column {col!r}", line_of(lines, path))
                )
            else:
                found[col] = actual
        out[name] = found
    raise_problems(problems, getattr(spec, "_file", None))
    return out


def _column_path(obj: MapObject, name: str, col: str) -> tuple:
    base = ("objects", name)
    if col == obj.source_key:
        return base + ("source_key",)
    for i, rule in enumerate(obj.fields):
        if col in rule.inputs:
            return base + ("fields", i)
    for key, rel in obj.relations.items():
        if col in rel.inputs or col in (rel.alt_columns or []):
            return base + ("relations", key)
    return base


def _cleaned(frame: pl.DataFrame, columns: list[str], na: list[str]) -> pl.DataFrame:
    """Cells trimmed, and N/A-like cells made null, in the columns the map reads."""
    na_set = list({v.strip() for v in na})
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars().is_in(na_set) | pl.col(c).is_null())
        .then(None)
        .otherwise(pl.col(c))
        .alias(c)
        for c in columns
    )


def _derive(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """One row per distinct value (case and spacing ignored), first spelling and row kept."""
    key = pl.col(column).str.strip_chars().str.replace_all(r"\s+", " ").str.to_lowercase()
    return (
        frame.filter(pl.col(column).is_not_null())
        .with_columns(key.alias("_derived_key"))
        .group_by("_derived_key", maintain_order=True)
        .agg(pl.all().drop_nulls().first())
    )


Cell = tuple[Any, list[str], str | None]  # value, flags, error


def _run_rule(
    spec: MapSpec,
    target: str,
    rule: FieldRule,
    inputs: list[list[Any]],
    ctx: Context,
    rows: int | None = None,
) -> list[Cell]:
    """The rule on every row; each distinct input is transformed and validated once."""
    transform = get_transform(rule.transform)
    n = len(inputs[0]) if inputs else (rows or 0)  # a const rule reads no column
    if rule.const is not None:
        keys: list[Any] = [None] * n
    elif len(inputs) == 1 and not (transform.multi and rule.columns is not None):
        keys = inputs[0]
    else:
        keys = list(zip(*inputs, strict=True))
    distinct = list(dict.fromkeys(keys))
    options = dict(rule.options)
    if transform.prepare is not None:
        options = transform.prepare([k for k in distinct if k is not None], options, ctx)
    cache: dict[Any, Cell] = {}
    for key in distinct:
        ctx.flags = []
        try:
            if rule.const is not None:
                value: Any = rule.const
                value = conform(spec, target, rule.target, value, ctx)
            else:
                arg = dict(zip(rule.inputs, key, strict=True)) if isinstance(key, tuple) else key
                if isinstance(key, tuple) and all(k is None for k in key):
                    cache[key] = (None, [], None)
                    continue
                value = transform.fn(arg, options, ctx)
                value = conform(spec, target, rule.target, value, ctx)
            cache[key] = (value, list(ctx.flags), None)
        except Invalid as exc:
            cache[key] = (None, list(ctx.flags), exc.reason)
    return [cache[k] for k in keys]


def _set(payload: dict[str, Any], path: str, value: Any) -> None:
    root, _, sub = path.partition(".")
    if not sub:
        if isinstance(value, dict) and isinstance(payload.get(root), dict):
            payload[root].update(value)
        else:
            payload[root] = value
        return
    holder = payload.setdefault(root, {})
    if isinstance(holder.get(sub), list) and isinstance(value, list):
        holder[sub] = holder[sub] + [v for v in value if v not in holder[sub]]
    else:
        holder[sub] = value


def _join(row_values: list[Any]) -> str | None:
    text = " ".join(str(v).strip() for v in row_values if v is not None and str(v).strip())
    return text or None


def stage(export: SourceExport, spec: MapSpec, *, params: StageParams | None = None) -> Staged:
    """Apply `spec` to `export`; see the module docstring for where every row ends."""
    params = params or StageParams()
    columns = resolve_columns(spec, export)
    ctx = make_context(spec, params)
    records: dict[str, pl.DataFrame] = {}
    quarantine: list[dict[str, Any]] = []
    queue: list[dict[str, Any]] = []
    seen_tables: set[str] = set()
    for name, obj in spec.objects.items():
        if params.objects is not None and name not in params.objects:
            continue
        if obj.inventory and obj.source_table not in export.tables:
            items = export.inventory_data.get(obj.source_table) or []
            for n, item in enumerate(items if isinstance(items, list) else [items], start=1):
                sid = (
                    str(item.get("id") or item.get("name") or n)
                    if isinstance(item, dict)
                    else str(n)
                )
                queue.append(
                    _outcome(name, sid, obj.source_table, n, "", "", f"inventory: {obj.inventory}")
                )
            continue
        table = export.tables[obj.source_table]
        if not obj.derive_from and obj.source_table not in seen_tables:
            seen_tables.add(obj.source_table)
            for row in table.quarantine.iter_rows(named=True):
                quarantine.append({**row, "map_object": name})
        frame = table.frame if params.limit is None else table.frame.head(params.limit)
        frame = _with_row_key(frame)
        cols = columns[name]
        frame = frame.rename({a: m for m, a in cols.items() if a != m and m not in frame.columns})
        frame = _cleaned(frame, [c for c in cols if c in frame.columns], spec.defaults.na_values)
        if obj.inventory:
            for file, line, sid in _provenance(frame, obj.source_key):
                queue.append(_outcome(name, sid, file, line, "", "", f"inventory: {obj.inventory}"))
            continue
        if obj.derive_from:
            frame = _derive(frame, obj.derive_from.column)
        records[name] = _stage_object(spec, name, obj, frame, ctx, quarantine, queue)
    return Staged(
        records=records,
        quarantine=pl.DataFrame(quarantine, schema=QUARANTINE_SCHEMA),
        queue=pl.DataFrame(queue, schema=QUEUE_SCHEMA),
    )


def _provenance(frame: pl.DataFrame, key: str | None) -> list[tuple[str, int, str]]:
    ids = frame[key].to_list() if key and key in frame.columns else [None] * frame.height
    return list(
        zip(frame["_file"].to_list(), frame["_line"].to_list(), [i or "" for i in ids], strict=True)
    )


def _outcome(
    name: str, sid: str | None, file: str, line: int, column: str, value: str, reason: str
) -> dict[str, Any]:
    return {
        "map_object": name,
        "source_id": sid or "",
        "file": file,
        "line": line,
        "column": column,
        "value": value,
        "reason": reason,
    }


def _stage_object(
    spec: MapSpec,
    name: str,
    obj: MapObject,
    frame: pl.DataFrame,
    ctx: Context,
    quarantine: list,
    queue: list,
) -> pl.DataFrame:
    n = frame.height
    lists = {c: frame[c].to_list() for c in frame.columns}
    col = lists.__getitem__
    files, lines = col("_file"), col("_line")
    ids = (
        col("_derived_key")
        if obj.derive_from
        else [str(v).strip() if v is not None else None for v in col(obj.source_key)]
    )
    queued: list[str | None] = [None] * n
    for rule in obj.queue:
        empty = (
            [
                all(v is None for v in vals)
                for vals in zip(*(col(c) for c in rule.when_empty), strict=True)
            ]
            if rule.when_empty
            else [True] * n
        )
        matched = empty
        for c, values in rule.when_value.items():
            wanted = {v.casefold() for v in values}
            matched = [
                m and (v is not None and v.casefold() in wanted)
                for m, v in zip(matched, col(c), strict=True)
            ]
        queued = [q or (rule.reason if m else None) for q, m in zip(queued, matched, strict=True)]

    results: list[tuple[FieldRule, list[Cell]]] = []
    for rule in obj.fields:
        results.append(
            (rule, _run_rule(spec, obj.target, rule, [col(c) for c in rule.inputs], ctx, n))
        )
    if obj.created_at:
        rule = FieldRule(
            target="createdAt",
            column=obj.created_at.column,
            transform=obj.created_at.transform,
            options=obj.created_at.options,
        )
        results.append((rule, _run_rule(spec, obj.target, rule, [col(obj.created_at.column)], ctx)))
    rel_inputs = {
        key: (
            [col(c) for c in rel.inputs],
            [col(c) for c in rel.alt_columns or []],
            [col(c) for c in rel.fallback.inputs] if rel.fallback else [],
        )
        for key, rel in obj.relations.items()
    }
    rel_applies = {key: _applies(rel.when, col, n) for key, rel in obj.relations.items()}

    out: dict[str, list[Any]] = {k: [] for k in STAGED_SCHEMA}
    first_seen: dict[str, int] = {}
    for i in range(n):
        sid = ids[i]
        if queued[i]:
            queue.append(
                _outcome(
                    name,
                    sid,
                    files[i],
                    lines[i],
                    ",".join(_queue_columns(obj, queued[i])),
                    "",
                    queued[i],
                )
            )
            continue
        if not sid:
            quarantine.append(
                _outcome(name, sid, files[i], lines[i], obj.source_key or "", "", "no source id")
            )
            continue
        if sid in first_seen:
            j = first_seen[sid]
            quarantine.append(
                _outcome(
                    name,
                    sid,
                    files[i],
                    lines[i],
                    obj.source_key or "",
                    sid,
                    f"duplicate source id (first at {files[j]} line {lines[j]})",
                )
            )
            continue
        payload: dict[str, Any] = {}
        flags: list[str] = []
        errors: list[tuple[str, str, str]] = []
        for rule, cells in results:
            value, cell_flags, error = cells[i]
            label = ",".join(rule.inputs) or rule.target
            raw = (
                _join([col(c)[i] for c in rule.inputs])
                if (error or cell_flags) and rule.inputs
                else None
            )
            flags.extend(f"{label}: {f}" for f in cell_flags)
            if error is not None:
                if rule.on_invalid == "quarantine":
                    errors.append((label, raw or "", error))
                    continue
                if rule.on_invalid == "keep" and rule.keep_as:
                    payload[rule.keep_as] = raw
                    flags.append(f"{label}: {error}; kept as text in {rule.keep_as}")
                elif rule.on_invalid == "keep":
                    payload.setdefault("_kept", []).append((rule.target, raw))
                    flags.append(f"{label}: {error}; kept as written")
                else:
                    flags.append(f"{label}: {error}; left empty")
                continue
            if value is not None:
                _set(payload, rule.target, value)
        for target, raw in payload.pop("_kept", []):
            _set(payload, target, raw)
        if errors:
            quarantine.append(
                _outcome(
                    name,
                    sid,
                    files[i],
                    lines[i],
                    "; ".join(e[0] for e in errors),
                    " | ".join(e[1] for e in errors),
                    "; ".join(f"{e[0]}: {e[2]}" for e in errors),
                )
            )
            continue
        first_seen[sid] = i
        payload[obj.source_key_field] = sid
        refs: dict[str, Any] = {}
        for key, rel in obj.relations.items():
            if not rel_applies[key][i]:
                continue
            values, alts, fallbacks = rel_inputs[key]
            by = rel.by
            value = _join([v[i] for v in values])
            alt = _join([a[i] for a in alts]) if alts else None
            if value is None and alt is None and fallbacks:
                by, value = rel.fallback.by, _join([f[i] for f in fallbacks])
            if value is None and alt is None:
                continue
            refs[key] = {"map_object": rel.to, "by": by, "value": value or "", "alt": alt}
        out["map_object"].append(name)
        out["source_id"].append(sid)
        out["target"].append(obj.target)
        out["payload"].append(dumps(payload))
        out["refs"].append(dumps(refs))
        out["flags"].append(flags)
        out["_file"].append(files[i])
        out["_line"].append(lines[i])
    return pl.DataFrame(out, schema=STAGED_SCHEMA)


def _applies(when: dict[str, list[str]], col: Any, n: int) -> list[bool]:
    """Per row: does every `when` column hold one of its values (case ignored)?"""
    out = [True] * n
    for c, values in when.items():
        wanted = {v.casefold() for v in values}
        out = [
            o and v is not None and v.casefold() in wanted for o, v in zip(out, col(c), strict=True)
        ]
    return out


def _queue_columns(obj: MapObject, reason: str) -> list[str]:
    for rule in obj.queue:
        if rule.reason == reason:
            return rule.inputs
    return []


def row_accounting(export: SourceExport, spec: MapSpec, staged: Staged) -> pl.DataFrame:
    """Per map object: rows in the export vs staged + quarantined + queued (must be equal)."""
    rows = []
    for name, obj in spec.objects.items():
        if obj.derive_from or obj.source_table not in export.tables:
            continue
        table = export.tables[obj.source_table]
        source_rows = table.frame.height + table.quarantine.height
        staged_n = staged.records[name].height if name in staged.records else 0
        q = (
            staged.quarantine.filter(pl.col("map_object") == name)
            .select("file", "line")
            .unique()
            .height
        )
        u = staged.queue.filter(pl.col("map_object") == name).height
        rows.append(
            {
                "map_object": name,
                "source_rows": source_rows,
                "staged": staged_n,
                "quarantined": q,
                "queued": u,
                "balanced": source_rows == staged_n + q + u,
            }
        )
    return pl.DataFrame(rows)


__all__ = ["StageParams", "stage", "resolve_columns", "row_accounting", "MapValidationError"]
