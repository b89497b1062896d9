"""REST: /rest/<plural>[/<id>], /rest/batch/<plural>, /rest/metadata/…, /rest/open-api/….

Each handler takes the parsed request and returns (status, body); the app turns that into
a response. Messages and status codes follow the recordings of Twenty 1.7.
"""

from __future__ import annotations

from typing import Any

from workbench.twenty.emulator import metadata as meta
from workbench.twenty.emulator import query as q
from workbench.twenty.emulator import records as rec
from workbench.twenty.emulator.filters import check_filter_paths, parse_rest_filter
from workbench.twenty.emulator.openapi import core_document, metadata_document
from workbench.twenty.emulator.problems import ApiProblem, bad_request
from workbench.twenty.emulator.standard import ObjectDef
from workbench.twenty.emulator.values import UUID_RE

MODERN_BATCH_CAP = 60
# Every (method, path) the emulator answers; a client request outside these is one it was
# never taught (the contract test checks the client sends nothing else).
ROUTES = {
    ("GET", "/rest/{object}"),
    ("POST", "/rest/{object}"),
    ("GET", "/rest/{object}/{id}"),
    ("PATCH", "/rest/{object}/{id}"),
    ("PUT", "/rest/{object}/{id}"),
    ("DELETE", "/rest/{object}/{id}"),
    ("POST", "/rest/batch/{object}"),
    ("GET", "/rest/metadata/objects"),
    ("GET", "/rest/metadata/objects/{id}"),
    ("POST", "/rest/metadata/objects"),
    ("GET", "/rest/metadata/fields"),
    ("GET", "/rest/metadata/fields/{id}"),
    ("POST", "/rest/metadata/fields"),
    ("PATCH", "/rest/metadata/fields/{id}"),
    ("PUT", "/rest/metadata/fields/{id}"),
    ("GET", "/rest/open-api/core"),
    ("GET", "/rest/open-api/metadata"),
    ("POST", "/graphql"),
    ("POST", "/metadata"),
    ("GET", "/healthz"),
    ("GET", "/client-config"),
    ("GET", "/files/{path}"),
}

Answer = tuple[int, Any]


def cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def handle(
    ws: rec.Workspace,
    method: str,
    parts: list[str],
    query: dict[str, Any],
    raw_query: str,
    body: Any,
) -> Answer:
    if parts[:1] == ["metadata"]:
        return handle_metadata(ws, method, parts[1:], raw_query, body)
    if parts[:1] == ["open-api"]:
        kind = parts[1] if len(parts) > 1 else "core"
        return 200, core_document(ws) if kind == "core" else metadata_document(ws)
    if parts[:1] == ["batch"] and len(parts) == 2 and method == "POST":
        return batch_create(ws, object_for(ws, parts[1]), query, body)
    obj = object_for(ws, parts[0])
    if len(parts) == 1:
        if method == "GET":
            return list_records(ws, obj, query)
        if method == "POST":
            return create_one(ws, obj, query, body)
        if method == "DELETE":  # 1.7 has no REST bulk delete (rest-api-delete-one.handler.ts)
            raise bad_request("Record ID not found")
        raise bad_request(f"Method {method} is not allowed on /rest/{obj.name_plural}")
    record_id = parts[1]
    if not UUID_RE.match(record_id):
        raise bad_request(f"'{record_id}' is not a valid UUID")
    record_id = record_id.lower()
    if method == "GET":
        return get_one(ws, obj, record_id, query)
    if method in ("PATCH", "PUT"):
        return 200, {
            "data": {
                f"update{cap(obj.name_singular)}": rec.update_record(
                    ws, obj, record_id, body if body is not None else {}
                )
            }
        }
    if method == "DELETE":
        return 200, {
            "data": {f"delete{cap(obj.name_singular)}": rec.rest_delete(ws, obj, record_id)}
        }
    raise bad_request(f"Method {method} is not allowed on /rest/{obj.name_plural}/{{id}}")


def object_for(ws: rec.Workspace, plural: str) -> ObjectDef:
    obj = ws.model.by_plural(plural)
    if obj is None:
        raise bad_request(f"object '{plural}' not found. eg: companies")
    return obj


def list_records(ws: rec.Workspace, obj: ObjectDef, query: dict[str, Any]) -> Answer:
    """GET /rest/<plural>, validating parameters in the server's order (get-variables.factory.ts,
    then rest-api-base.handler.ts): filter, limit, order_by, cursor, filter paths, depth."""
    text = q.text_param(query, "filter")
    node = parse_rest_filter(text, obj) if text is not None else None
    limit = q.limit_of(query)
    keys = q.order_of(query, obj)
    ending = q.text_param(query, "ending_before")
    forward = not ending
    cursor_text = q.text_param(query, "starting_after") or ending
    cursor = q.decode_cursor(cursor_text) if cursor_text else None
    check_filter_paths(node, obj)
    page = rec.find(
        ws,
        obj,
        node,
        keys,
        limit,
        after=cursor if forward else None,
        before=None if forward else cursor,
    )
    if q.depth_of(query) > 0:
        rec.embed(ws, obj, page.records)
    # rest-api-find-many.handler.ts: going backwards, hasNextPage is always false and
    # hasPreviousPage appears only when it is true.
    info: dict[str, Any] = {"hasNextPage": page.has_next and forward}
    if not forward and page.has_next:
        info["hasPreviousPage"] = True
    info.update(startCursor=page.start_cursor, endCursor=page.end_cursor)
    return 200, {
        "data": {obj.name_plural: page.records},
        "pageInfo": info,
        "totalCount": page.total,
    }


def get_one(ws: rec.Workspace, obj: ObjectDef, record_id: str, query: dict[str, Any]) -> Answer:
    depth = q.depth_of(query)
    stored = ws.store.get(obj.name_singular, record_id)
    if stored is None:
        raise bad_request("Record not found")
    record = rec.output(obj, stored)
    if depth > 0:
        rec.embed(ws, obj, [record])
    return 200, {"data": {obj.name_singular: record}}


def _upsert(ws: rec.Workspace, query: dict[str, Any]) -> bool:
    return ws.modern and (q.text_param(query, "upsert") or "").lower() == "true"


def create_one(ws: rec.Workspace, obj: ObjectDef, query: dict[str, Any], body: Any) -> Answer:
    payload = body if body is not None else {}  # no body reads as {} (express.json)
    created = rec.create_records(ws, obj, [payload], upsert=_upsert(ws, query))
    return 201, {"data": {f"create{cap(obj.name_singular)}": created[0]}}


def batch_create(ws: rec.Workspace, obj: ObjectDef, query: dict[str, Any], body: Any) -> Answer:
    if not isinstance(body, list):
        raise bad_request("Body must be an array")
    if not body:
        raise bad_request("Input must not be empty")
    if ws.modern and len(body) > MODERN_BATCH_CAP:
        raise bad_request(
            f"Maximum number of records to create in one batch is {MODERN_BATCH_CAP}, got {len(body)}"
        )
    created = rec.create_records(ws, obj, body, upsert=_upsert(ws, query))
    return 201, {"data": {f"create{cap(obj.name_plural)}": created}}


# -- /rest/metadata ---------------------------------------------------------------------------
def handle_metadata(
    ws: rec.Workspace, method: str, parts: list[str], raw_query: str, body: Any
) -> Answer:
    path = "/".join(parts)
    if raw_query:
        shown = f"{path}?{raw_query}"
        raise ApiProblem(
            400,
            "Bad Request",
            f"Query path '/rest/metadata/{shown}' invalid. Metadata path \"{shown}\" does not exist. Valid examples: /rest/metadata/fields or /rest/metadata/objects",
            single_message=True,
        )
    kind = parts[0] if parts else ""
    ident = parts[1] if len(parts) > 1 else None
    try:
        if kind == "objects" and method == "GET" and ident is None:
            nodes = [meta.object_node(o, rest=True) for o in meta.sorted_objects(ws)]
            return 200, {
                "data": {"objects": nodes},
                "pageInfo": _array_page(len(nodes)),
                "totalCount": None,
            }
        if kind == "objects" and method == "GET":
            obj = ws.model.by_id(ident)
            if obj is None:
                raise bad_request(f"Object metadata {ident} not found")
            return 200, {"data": {"object": meta.object_node(obj, rest=True)}}
        if kind == "fields" and method == "GET" and ident is None:
            nodes = [meta.rest_field(f, o) for o in meta.sorted_objects(ws) for f in o.fields]
            return 200, {
                "data": {"fields": nodes},
                "pageInfo": _array_page(len(nodes)),
                "totalCount": None,
            }
        if kind == "fields" and method == "GET":
            field = ws.model.field_by_id(ident)
            if field is None:
                raise bad_request(f"Field metadata {ident} not found")
            return 200, {"data": {"field": meta.rest_field(field, ws.model.objects[field.object])}}
        if kind == "fields" and method == "POST":
            field, obj = meta.create_field(ws, body if isinstance(body, dict) else {})
            return 201, {"data": {"createOneField": meta.rest_field(field, obj)}}
        if kind == "fields" and method in ("PATCH", "PUT") and ident:
            field, obj = meta.update_field(ws, ident, body if isinstance(body, dict) else {})
            return 200, {"data": {"updateOneField": meta.rest_field(field, obj)}}
        if kind == "objects" and method == "POST":
            obj = meta.create_object(ws, body if isinstance(body, dict) else {})
            return 201, {"data": {"createOneObject": meta.object_node(obj, rest=True)}}
    except ApiProblem as problem:
        if problem.error == "Bad Request" and not problem.single_message:
            return 400, {"statusCode": 400, "messages": [problem.message], "error": "Bad Request"}
        raise
    finally:
        ws.store.invalidate()
    raise ApiProblem(
        400,
        "Bad Request",
        f"Query path '/rest/metadata/{path}' invalid. Metadata path \"{path}\" does not exist. Valid examples: /rest/metadata/fields or /rest/metadata/objects",
        single_message=True,
    )


def _array_page(n: int) -> dict:
    import base64

    def cursor(i: int) -> str:
        return base64.b64encode(f"arrayconnection:{i}".encode()).decode()

    return {
        "hasNextPage": False,
        "startCursor": cursor(0) if n else None,
        "endCursor": cursor(max(n - 1, 0)) if n else None,
    }
