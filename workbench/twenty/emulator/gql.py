"""POST /graphql: the record operations the workbench uses, answered as Twenty 1.7 does.

Queries `<plural>(filter, orderBy, first, after)` and `<singular>(filter)`; mutations
create/update/delete/restore/destroy in their one and many forms (create with `upsert`),
and `uploadFile` (multipart). Throttling and the 200-record cap follow the recordings.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from workbench.twenty.emulator import records as rec
from workbench.twenty.emulator.filters import parse_graphql_filter
from workbench.twenty.emulator.gqlcore import (
    Operation,
    RootField,
    parse_operation,
    project,
    selected_names,
    sub_selection,
)
from workbench.twenty.emulator.gqlinput import validation_errors
from workbench.twenty.emulator.paging import OrderKey, decode_cursor, encode_cursor, parse_order_by
from workbench.twenty.emulator.problems import ApiProblem, bad_request
from workbench.twenty.emulator.standard import ObjectDef

MAX_RECORDS = 200
# Postgres takes any 32 hex digits; twenty-shared isValidUuid also wants a version and a variant.
PG_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
TWENTY_UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I
)
FILE_FOLDERS = {
    "ProfilePicture",
    "WorkspaceLogo",
    "Attachment",
    "PersonPicture",
    "ServerlessFunction",
    "File",
    "AgentChat",
}
THROTTLED = {
    "message": "Too many requests.",
    "extensions": {"code": "INTERNAL_SERVER_ERROR", "userFriendlyMessage": "An error occurred."},
}

Throttle = Callable[[str], float | None]


class Throttled(Exception):
    """A root field hit the limiter on a server that answers 429."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after


def cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def resolve_name(ws: rec.Workspace, name: str) -> tuple[str, ObjectDef, bool] | None:
    """Map a root field name to (action, object, many)."""
    for obj in ws.model.objects.values():
        s, p = cap(obj.name_singular), cap(obj.name_plural)
        if name == obj.name_plural:
            return "list", obj, True
        if name == obj.name_singular:
            return "one", obj, False
        for action in ("create", "update", "delete", "restore", "destroy"):
            if name == action + p:
                return action, obj, True
            if name == action + s:
                return action, obj, False
    return None


def execute(
    ws: rec.Workspace,
    payload: dict,
    throttle: Throttle,
    files: dict[str, tuple[str, str, bytes]] | None = None,
) -> tuple[int, dict]:
    op = parse_operation(
        payload.get("query") or "", payload.get("variables"), payload.get("operationName")
    )
    invalid = [
        error
        for field in op.fields
        if (target := resolve_name(ws, field.name)) is not None
        for error in validation_errors(op, field, target[1], target[0], target[2])
    ]
    if invalid:  # graphql-js validates the whole document first: nothing runs
        return 200, {"errors": invalid}
    data: dict[str, Any] = {}
    errors: list[dict] = []
    for field in op.fields:
        retry = throttle(field.name)
        if retry is not None:
            if ws.modern:
                raise Throttled(retry)
            errors.append(THROTTLED)
            data[field.key] = None
            continue
        try:
            data[field.key] = run_field(ws, op, field, files or {})
        except ApiProblem as problem:
            if problem.status == 400 and problem.error == "GraphQLValidation":
                errors = problem.gql_extensions.get("_errors") or [{"message": problem.message}]
                return 200, {"errors": errors}
            errors.append(problem.gql_error())
            data[field.key] = None
    body: dict[str, Any] = {}
    if errors:
        body["errors"] = errors
    body["data"] = data
    return 200, body


def run_field(
    ws: rec.Workspace, op: Operation, field: RootField, files: dict[str, tuple[str, str, bytes]]
) -> Any:
    if field.name == "uploadFile":
        return project(upload_file(ws, field, files), field.selection, op.fragments)
    target = resolve_name(ws, field.name)
    if target is None:
        kind = "Mutation" if field.operation == "mutation" else "Query"
        raise ApiProblem(
            400,
            "GraphQLValidation",
            f'Cannot query field "{field.name}" on type "{kind}".',
            gql_code="GRAPHQL_VALIDATION_FAILED",
        )
    action, obj, many = target
    args = field.args
    if action == "list":
        return project(list_connection(ws, op, field, obj), field.selection, op.fragments)
    if action == "one":
        node, deleted = parse_graphql_filter(args.get("filter"), obj)
        page = rec.find(ws, obj, node, parse_order_by(None, obj), 1, with_deleted=deleted)
        found = page.records[0] if page.records else None
        return node_output(ws, op, field, obj, [found] if found else [])[0] if found else None
    if action == "create":
        items = args.get("data")
        items = items if many else [items]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise bad_request("data must be an object or a list of objects")
        if many and len(items) > MAX_RECORDS:
            raise ApiProblem(
                400,
                "BadRequestException",
                f"Maximum number of records to upsert is {MAX_RECORDS}.",
                gql_extensions={
                    "subCode": "UPSERT_MAX_RECORDS_EXCEEDED",
                    "userFriendlyMessage": f"Maximum number of records to upsert is {MAX_RECORDS}.",
                },
            )
        created = rec.create_records(ws, obj, items, upsert=bool(args.get("upsert")))
        out = node_output(ws, op, field, obj, created)
        return out if many else out[0]
    if many:
        check_many_mutation(obj, field, action)
    ids = target_ids(ws, obj, args, many, with_deleted=action in ("restore", "destroy"))
    if action == "update":
        changed = [rec.update_record(ws, obj, i, args.get("data") or {}) for i in ids]
        if not many and not changed:
            raise ApiProblem(400, "NotFound", "Record not found", gql_code="NOT_FOUND")
        out = node_output(ws, op, field, obj, changed)
    elif action == "delete":
        out = node_output(ws, op, field, obj, rec.soft_delete(ws, obj, ids))
    elif action == "restore":
        out = node_output(ws, op, field, obj, rec.restore(ws, obj, ids))
    else:
        out = node_output(ws, op, field, obj, rec.destroy_records(ws, obj, ids))
    if many:
        return out
    if not out:
        raise ApiProblem(400, "NotFound", "Record not found", gql_code="NOT_FOUND")
    return out[0]


def check_many_mutation(obj: ObjectDef, field: RootField, action: str) -> None:
    """What the server checks before a many-record update/delete/restore/destroy runs.

    - `filter` is declared not nullable (get-resolver-args.util.ts in
      engine/api/graphql/workspace-schema-builder/utils), but the schema adds NonNull only for a
      null default (applyTypeOptions, services/type-mapper.service.ts), so a missing filter passes
      validation and the resolver's validate() throws a plain `Error('Filter is required')`.
    - updateMany, deleteMany and restoreMany check each `id.in` value is a UUID (assertIsValidUuid
      in validate(), graphql-query-{update,delete,restore}-many-resolver.service.ts); destroyMany
      does not, so Postgres refuses a malformed value (graphql-query-destroy-many-resolver.service.ts).
    - None of them caps the number of records: QUERY_MAX_RECORDS there only limits nested
      relations, and MUTATION_MAXIMUM_AFFECTED_RECORDS is advertised by /client-config for the
      front end, not enforced (client-config.service.ts, config-variables.ts).
    """
    if not field.args.get("filter"):
        raise ApiProblem(500, "Error", "Filter is required", gql_code="INTERNAL_SERVER_ERROR")
    ids = ((field.args.get("filter") or {}).get("id") or {}).get("in")
    if not isinstance(ids, list):
        return
    for value in ids:
        text = str(value)
        if action in ("update", "delete", "restore") and not TWENTY_UUID.match(text):
            raise ApiProblem(400, "UserInputError", f'Value "{text}" is not a valid UUID')
        if action == "destroy" and not PG_UUID.match(text):
            raise ApiProblem(
                500,
                "InternalServerErrorException",
                f'invalid input syntax for type uuid: "{text}"',
                gql_code="INTERNAL_SERVER_ERROR",
            )


def target_ids(
    ws: rec.Workspace, obj: ObjectDef, args: dict, many: bool, *, with_deleted: bool
) -> list[str]:
    if not many:
        return [str(args.get("id"))] if args.get("id") else []
    node, mentions = parse_graphql_filter(args.get("filter"), obj)
    return rec.ids_matching(ws, obj, node, with_deleted=with_deleted or mentions)


def node_output(
    ws: rec.Workspace, op: Operation, field: RootField, obj: ObjectDef, records: list[dict]
) -> list[dict]:
    """Records projected onto the field's selection; selected relations are embedded."""
    selection = field.selection
    if field.name == obj.name_plural:
        edges = sub_selection(selection, "edges", op.fragments)
        selection = sub_selection(edges, "node", op.fragments)
    wanted = selected_names(selection, op.fragments)
    relations = {f.name for f in obj.fields if f.type == "RELATION"} & wanted
    if relations:
        rec.embed(ws, obj, records, relations)
        for f in obj.fields:
            if f.name in relations and f.relation["kind"] == "ONE_TO_MANY":
                for r in records:
                    r[f.name] = {
                        "edges": [{"node": n} for n in r[f.name]],
                        "totalCount": len(r[f.name]),
                    }
    if field.name == obj.name_plural:
        return records
    return [project(r, selection, op.fragments) for r in records]


def list_connection(ws: rec.Workspace, op: Operation, field: RootField, obj: ObjectDef) -> dict:
    args = field.args
    node, deleted = parse_graphql_filter(args.get("filter"), obj)
    keys = graphql_order(args.get("orderBy"), obj)
    limit = min(int(args.get("first") or args.get("last") or 60), MAX_RECORDS)
    after = decode_cursor(args["after"]) if args.get("after") else None
    before = decode_cursor(args["before"]) if args.get("before") else None
    page = rec.find(ws, obj, node, keys, limit, after=after, before=before, with_deleted=deleted)
    nodes = node_output(ws, op, field, obj, page.records)
    return {
        "edges": [
            {"node": n, "cursor": encode_cursor(r, keys)}
            for n, r in zip(nodes, page.records, strict=True)
        ],
        "pageInfo": {
            "hasNextPage": page.has_next,
            "hasPreviousPage": after is not None,
            "startCursor": page.start_cursor,
            "endCursor": page.end_cursor,
        },
        "totalCount": page.total,
    }


def graphql_order(spec: Any, obj: ObjectDef) -> list[OrderKey]:
    items = spec if isinstance(spec, list) else [spec] if spec else []
    parts = []
    for item in items:
        for name, direction in (item or {}).items():
            parts.append(f"{name}[{direction}]")
    return parse_order_by(",".join(parts), obj)


def upload_file(
    ws: rec.Workspace, field: RootField, files: dict[str, tuple[str, str, bytes]]
) -> dict:
    folder = field.args.get("fileFolder") or "File"
    if folder not in FILE_FOLDERS:
        raise ApiProblem(
            400,
            "GraphQLValidation",
            f'Value "{folder}" does not exist in "FileFolder" enum.',
            gql_code="BAD_USER_INPUT",
        )
    upload = files.get("file")
    if upload is None:
        raise bad_request("File is required")
    name, mime, content = upload
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    prefix = "".join("-" + c.lower() if c.isupper() else c for c in folder).lstrip("-")
    path = f"{prefix}/{uuid.uuid4()}.{ext}"
    ws.store.save_file(path, name, mime, content)
    token = hashlib.sha256(f"{path}:{ws.api_key_name}".encode()).hexdigest()
    return {"path": path, "token": token}


def multipart_payload(
    operations: str, mapping: str, parts: dict[str, tuple[str, str, bytes]]
) -> tuple[dict, dict[str, tuple[str, str, bytes]]]:
    """Apply the GraphQL multipart request convention: `map` says which variable each part fills."""
    try:
        payload = json.loads(operations)
        file_map = json.loads(mapping)
    except json.JSONDecodeError:
        raise bad_request("Invalid multipart operations or map") from None
    files: dict[str, tuple[str, str, bytes]] = {}
    for part, targets in file_map.items():
        for target in targets:
            name = target.split(".")[-1]
            if part in parts:
                files[name] = parts[part]
    return payload, files
