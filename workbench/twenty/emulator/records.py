"""Record operations shared by REST and GraphQL: create (with upsert), update, delete, restore,
find with filters and cursors, and depth=1 embedding of related records.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from workbench.twenty.emulator.filters import compile_filter
from workbench.twenty.emulator.paging import OrderKey, after_cursor, encode_cursor, order_sql
from workbench.twenty.emulator.problems import (
    ApiProblem,
    bad_request,
    duplicate,
    entity_not_found,
    server_error,
    unknown_field,
)
from workbench.twenty.emulator.standard import FieldDef, ObjectDef
from workbench.twenty.emulator.store import UNIQUE_KEYS, Model, Store
from workbench.twenty.emulator.values import (
    COMPOSITES,
    check_uuid,
    coerce,
    default_for,
    new_id,
    normalise_url,
    now_micro,
    parse_timestamp,
    search_vector,
    server_input,
    to_micros,
    to_millis,
)


@dataclass
class Workspace:
    """What a request handler needs: the store, the current model and the server's flavour."""

    store: Store
    model: Model
    api_key_name: str
    modern: bool  # behaves like Twenty 2.x where FACTS.md marks a difference

    def object(self, singular: str) -> ObjectDef:
        return self.model.objects[singular]


def data_fields(obj: ObjectDef) -> list[FieldDef]:
    """Non-relation fields; on standard objects custom fields come first, as Postgres lists them."""
    fields = [f for f in obj.fields if f.type != "RELATION"]
    if obj.is_custom:
        return fields
    return [f for f in fields if f.is_custom] + [f for f in fields if not f.is_custom]


def selected_columns(obj: ObjectDef) -> list[str]:
    """Column names as TypeORM lists them in an EntityNotFoundError."""
    cols: list[str] = []
    for f in data_fields(obj):
        if f.type in COMPOSITES:
            cols += [f.name + sub[:1].upper() + sub[1:] for sub in COMPOSITES[f.type]]
        else:
            cols.append(f.name)
    return cols + list(obj.join_fields())


def output(obj: ObjectDef, record: dict) -> dict:
    """A stored record in the shape the API returns (fields added later get their defaults)."""
    out: dict[str, Any] = {}
    for f in data_fields(obj):
        out[f.name] = record[f.name] if f.name in record else default_for(f)
    for join in obj.join_fields():
        out[join] = record.get(join)
    return out


def fk_name(table: str, column: str) -> str:
    return "FK_" + hashlib.sha1(f"{table}.{column}".encode()).hexdigest()[:27]


def _unique_value(obj: ObjectDef, record: dict) -> str | None:
    key = UNIQUE_KEYS.get(obj.name_singular)
    if not key:
        return None
    value = (record.get(key[0]) or {}).get(key[1])
    return value or None


def _apply(ws: Workspace, obj: ObjectDef, record: dict, payload: dict, *, creating: bool) -> None:
    """Write payload values into record, coercing each as Twenty does; checks FKs."""
    joins = obj.join_fields()
    for key, value in payload.items():
        field = obj.field(key)
        if key in joins:
            if value is None:
                record[key] = None
                continue
            target_id = check_uuid(value)
            target = joins[key].relation["target"]
            if not ws.store.exists(target, target_id):
                raise server_error(
                    f'insert or update on table "{obj.name_singular}" violates foreign key constraint "{fk_name(obj.name_singular, key)}"'
                )
            record[key] = target_id
        elif key in ("id", "createdBy", "searchVector", "updatedAt"):
            continue
        elif key == "createdAt":
            record["createdAt"] = (
                parse_timestamp(value) if value is not None else record.get("createdAt")
            )
        elif key == "deletedAt":
            record["deletedAt"] = parse_timestamp(value) if value is not None else None
        elif field is None:
            raise unknown_field(key, obj.name_singular)
        elif field.type == "RELATION":
            continue  # nested relation objects are not written through REST
        else:
            record[key] = coerce(field, value, record.get(key), creating=creating)


def record_input(body: Any) -> dict:
    """A record body as the server reads it: `Object.entries` of whatever JSON came
    (record-input-transformer.service.ts), so a list or a string has fields "0", "1"…, which
    then fail as unknown fields; a number or boolean is an empty record; null fails on `.id`
    (rest-api-create-one.handler.ts / rest-api-create-many.handler.ts)."""
    if isinstance(body, dict):
        return body
    if body is None:
        raise ApiProblem(400, "TypeError", "Cannot read properties of null (reading 'id')")
    if isinstance(body, list | str):
        return {str(i): v for i, v in enumerate(body)}
    return {}


def transform_input(obj: ObjectDef, payload: dict) -> dict:
    """Every field value through the server's record input transformer, before any write."""
    out = dict(payload)
    for key, value in payload.items():
        field = obj.field(key)
        if field is not None and field.type != "RELATION":
            out[key] = server_input(field, value)
    return out


def new_record(ws: Workspace, obj: ObjectDef, payload: dict, now: str) -> tuple[dict, str]:
    """A complete record for a create payload, and its microsecond creation time."""
    record = {f.name: default_for(f) for f in data_fields(obj)}
    for f in data_fields(obj):
        if f.default is not None and f.type not in COMPOSITES:
            record[f.name] = copy.deepcopy(f.default)
    for join in obj.join_fields():
        record[join] = None
    if "createdBy" in record:
        record["createdBy"] = {
            "source": "API",
            "workspaceMemberId": None,
            "name": ws.api_key_name,
            "context": {},
        }
    record["id"] = check_uuid(payload["id"]) if payload.get("id") else new_id()
    record["createdAt"] = record["updatedAt"] = to_millis(now)
    record["deletedAt"] = None
    _apply(ws, obj, record, payload, creating=True)
    created_at = now if record["createdAt"] == to_millis(now) else to_micros(record["createdAt"])
    if "searchVector" in record:
        record["searchVector"] = search_vector(record, data_fields(obj))
    return record, created_at


def _upsert_match(ws: Workspace, obj: ObjectDef, payload: dict) -> dict | None:
    """The existing record (soft-deleted ones included) an upsert payload matches."""
    if payload.get("id"):
        found = ws.store.get(obj.name_singular, check_uuid(payload["id"]), with_deleted=True)
        if found:
            return found
    key = UNIQUE_KEYS.get(obj.name_singular)
    if key and isinstance(payload.get(key[0]), dict):
        raw = payload[key[0]].get(key[1])
        if isinstance(raw, str) and raw.strip():
            value = raw.strip().lower() if key[0] == "emails" else normalise_url(raw)
            return ws.store.unique_holder(obj.name_singular, value, with_deleted=True)
    return None


def _no_repeated_ids(ws: Workspace, obj: ObjectDef, payloads: list[dict]) -> None:
    """An id given twice in one batch: the existence check runs before any insert
    (rest-api-create-many.handler.ts), so the primary key refuses it at insert, and a key that is
    no field's index reads "A duplicate entry was detected" (handle-duplicate-key-error.util.ts)."""
    seen: set[str] = set()
    for payload in payloads:
        if not payload.get("id"):
            continue
        rid = check_uuid(payload["id"])
        if ws.store.exists(obj.name_singular, rid):
            raise bad_request("Record already exists")
        if rid in seen:
            raise bad_request("A duplicate entry was detected")
        seen.add(rid)


def create_records(
    ws: Workspace, obj: ObjectDef, payloads: list[dict], *, upsert: bool = False
) -> list[dict]:
    """Create (or with upsert, update matches of) records in one all-or-nothing transaction."""
    now = now_micro()
    results: list[dict] = []
    seen_unique: set[str] = set()
    label = (
        obj.field(UNIQUE_KEYS[obj.name_singular][0]).label
        if obj.name_singular in UNIQUE_KEYS
        else ""
    )
    # the server transforms (and may refuse) every record of a batch before inserting any
    payloads = [transform_input(obj, record_input(p)) for p in payloads]
    if not upsert:
        _no_repeated_ids(ws, obj, payloads)
    with ws.store.write() as c:
        for payload in payloads:
            match = _upsert_match(ws, obj, payload) if upsert else None
            if match is not None:
                record = update_in_place(
                    ws, obj, match, {k: v for k, v in payload.items() if k != "id"}, c, now
                )
                results.append(record)
                continue
            record, created_at = new_record(ws, obj, payload, now)
            if ws.store.exists(obj.name_singular, record["id"]):
                raise bad_request("Record already exists")
            value = _unique_value(obj, record)
            if value and (value in seen_unique or ws.store.unique_holder(obj.name_singular, value)):
                raise duplicate(label, value)
            if value:
                seen_unique.add(value)
            ws.store.insert(c, obj.name_singular, record, created_at)
            results.append(record)
    return [output(obj, r) for r in results]


def update_in_place(
    ws: Workspace, obj: ObjectDef, record: dict, payload: dict, c: Any, now: str
) -> dict:
    before = _unique_value(obj, record)
    _apply(ws, obj, record, payload, creating=False)
    after = _unique_value(obj, record)
    if after and after != before and record.get("deletedAt") is None:
        holder = ws.store.unique_holder(obj.name_singular, after)
        if holder and holder["id"] != record["id"]:
            field = obj.field(UNIQUE_KEYS[obj.name_singular][0])
            raise duplicate(field.label, after)
    record["updatedAt"] = to_millis(now)
    if "searchVector" in record:
        record["searchVector"] = search_vector(record, data_fields(obj))
    ws.store.replace(c, obj.name_singular, record)
    return record


def update_record(ws: Workspace, obj: ObjectDef, record_id: str, payload: dict) -> dict:
    payload = transform_input(obj, record_input(payload))
    with ws.store.write() as c:
        record = ws.store.get(obj.name_singular, record_id)
        if record is None:
            raise entity_not_found(obj.name_singular, record_id, ["id"], select_first=True)
        return output(obj, update_in_place(ws, obj, record, payload, c, now_micro()))


def _null_references(ws: Workspace, obj: ObjectDef, ids: list[str], c: Any) -> None:
    """ON DELETE SET NULL for every join column pointing at the destroyed records."""
    for other in ws.model.objects.values():
        for join, f in other.join_fields().items():
            if f.relation["target"] != obj.name_singular:
                continue
            marks = ",".join("?" * len(ids))
            c.execute(
                f"UPDATE records SET data = json_set(data, '$.{join}', NULL) WHERE object = ? AND json_extract(data, '$.{join}') IN ({marks})",
                [other.name_singular, *ids],
            )


def destroy_records(
    ws: Workspace, obj: ObjectDef, ids: list[str], *, with_deleted: bool = True
) -> list[dict]:
    with ws.store.write() as c:
        gone = [
            r
            for r in (ws.store.get(obj.name_singular, i, with_deleted=with_deleted) for i in ids)
            if r
        ]
        if gone:
            marks = ",".join("?" * len(gone))
            c.execute(
                f"DELETE FROM records WHERE object = ? AND id IN ({marks})",
                [obj.name_singular, *[r["id"] for r in gone]],
            )
            _null_references(ws, obj, [r["id"] for r in gone], c)
    return [output(obj, r) for r in gone]


def rest_delete(ws: Workspace, obj: ObjectDef, record_id: str) -> dict:
    """REST DELETE in 1.7 is a hard delete; a missing record is TypeORM's EntityNotFoundError."""
    if ws.store.get(obj.name_singular, record_id) is None:
        raise entity_not_found(obj.name_singular, record_id, selected_columns(obj))
    destroy_records(ws, obj, [record_id], with_deleted=False)
    return {"id": record_id}


def soft_delete(ws: Workspace, obj: ObjectDef, ids: list[str]) -> list[dict]:
    now = to_millis(now_micro())
    out = []
    with ws.store.write() as c:
        for i in ids:
            record = ws.store.get(obj.name_singular, i)
            if record is None:
                continue
            record["deletedAt"] = now
            ws.store.replace(c, obj.name_singular, record)
            out.append(output(obj, record))
    return out


def restore(ws: Workspace, obj: ObjectDef, ids: list[str]) -> list[dict]:
    out = []
    with ws.store.write() as c:
        for i in ids:
            record = ws.store.get(obj.name_singular, i, with_deleted=True)
            if record is None or record.get("deletedAt") is None:
                continue
            value = _unique_value(obj, record)
            if value and ws.store.unique_holder(obj.name_singular, value):
                index = (
                    "IDX_UNIQUE_"
                    + hashlib.sha1(f"{obj.name_singular}.unique".encode()).hexdigest()[:23]
                )
                raise ApiProblem(
                    500,
                    "InternalServerErrorException",
                    f'duplicate key value violates unique constraint "{index}"',
                    gql_code="INTERNAL_SERVER_ERROR",
                )
            record["deletedAt"] = None
            ws.store.replace(c, obj.name_singular, record)
            out.append(output(obj, record))
    return out


@dataclass
class Page:
    records: list[dict]
    has_next: bool
    start_cursor: str | None
    end_cursor: str | None
    total: int


def find(
    ws: Workspace,
    obj: ObjectDef,
    node: tuple | None,
    keys: list[OrderKey],
    limit: int | None,
    *,
    after: dict | None = None,
    before: dict | None = None,
    with_deleted: bool = False,
) -> Page:
    """One page of records (all of them when `limit` is None); totalCount counts the filter
    together with the cursor condition."""
    where, params = compile_filter(node, obj, starts_with_works=ws.modern)
    clauses = ["object = ?", where]
    args: list[Any] = [obj.name_singular, *params]
    if not with_deleted:
        clauses.append("deleted_at IS NULL")
    walk_keys = keys
    if before is not None:
        walk_keys = [k.flipped() for k in keys]
        cond, cparams = after_cursor(walk_keys, before, obj)
        clauses.append(cond)
        args += cparams
    elif after is not None:
        cond, cparams = after_cursor(keys, after, obj)
        clauses.append(cond)
        args += cparams
    sql_where = " AND ".join(clauses)
    total = ws.store.scalar(f"SELECT COUNT(*) FROM records WHERE {sql_where}", args)
    rows = ws.store.select(
        f"SELECT data FROM records WHERE {sql_where} ORDER BY {order_sql(walk_keys, obj)} LIMIT ?",
        [*args, -1 if limit is None else limit + 1],
    )
    has_next = limit is not None and len(rows) > limit
    rows = rows if limit is None else rows[:limit]
    if before is not None:
        rows.reverse()
    records = [output(obj, r) for r in rows]
    start = encode_cursor(records[0], keys) if records else None
    end = encode_cursor(records[-1], keys) if records else None
    return Page(records, has_next, start, end, total)


def embed(
    ws: Workspace, obj: ObjectDef, records: list[dict], names: set[str] | None = None
) -> None:
    """depth=1: add each relation (or only `names`) to the records, in place."""
    if not records:
        return
    for f in obj.fields:
        if f.type != "RELATION" or (names is not None and f.name not in names):
            continue
        target = ws.model.objects.get(f.relation["target"])
        if target is None:
            continue
        if f.relation["kind"] == "MANY_TO_ONE":
            ids = sorted({r[f.join_column] for r in records if r.get(f.join_column)})
            found = _by_ids(ws, target, ids)
            for r in records:
                r[f.name] = found.get(r.get(f.join_column))
        else:
            inverse = target.field(f.relation["inverse"])
            join = inverse.join_column if inverse else None
            if not join:
                continue
            ids = [r["id"] for r in records]
            marks = ",".join("?" * len(ids))
            rows = ws.store.select(
                f"SELECT data FROM records WHERE object = ? AND json_extract(data, '$.{join}') IN ({marks}) AND deleted_at IS NULL ORDER BY id",
                [target.name_singular, *ids],
            )
            grouped: dict[str, list[dict]] = {}
            for row in rows:
                grouped.setdefault(row.get(join), []).append(output(target, row))
            for r in records:
                r[f.name] = grouped.get(r["id"], [])


def _by_ids(ws: Workspace, obj: ObjectDef, ids: list[str]) -> dict[str, dict]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = ws.store.select(
        f"SELECT data FROM records WHERE object = ? AND id IN ({marks}) AND deleted_at IS NULL",
        [obj.name_singular, *ids],
    )
    return {r["id"]: output(obj, r) for r in rows}


def ids_matching(
    ws: Workspace, obj: ObjectDef, node: tuple | None, *, with_deleted: bool
) -> list[str]:
    where, params = compile_filter(node, obj, starts_with_works=ws.modern)
    sql = f"SELECT json_object('id', id) FROM records WHERE object = ? AND {where}"
    if not with_deleted:
        sql += " AND deleted_at IS NULL"
    return [
        json.loads(r[0])["id"] for r in ws.store.conn.execute(sql, [obj.name_singular, *params])
    ]
