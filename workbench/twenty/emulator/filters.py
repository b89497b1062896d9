"""Record filters and ordering: REST `filter=` strings and GraphQL filter objects, compiled to SQL.

Both syntaxes parse to one small tree — ("and"|"or", [nodes]), ("not", node),
("cmp", path, op, value) — which `compile_filter` turns into a WHERE clause over the JSON records.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from workbench.twenty import rest_grammar as grammar
from workbench.twenty.emulator.problems import ApiProblem, bad_request
from workbench.twenty.emulator.standard import FieldDef, ObjectDef
from workbench.twenty.emulator.values import COMPOSITES, enum_values, parse_timestamp, to_micros

OPERATORS = list(grammar.COMPARATORS)
NUMERIC_SUBFIELDS = {"amountMicros", "addressLat", "addressLng"}

Node = tuple


# -- REST filter strings --------------------------------------------------------------------
# The grammar itself is rest_grammar (shared with the client, which checks what it writes);
# here each condition is checked and typed against the object as the server does it.


def parse_rest_filter(text: str, obj: ObjectDef) -> Node:
    """`filter=` as a tree; each condition is checked as soon as it is cut, as the server does
    (parse-filter.utils.ts), so the first bad condition names the error."""
    try:
        return grammar.parse_filter(text, leaf=lambda p: _resolve_condition(p, obj))
    except grammar.FilterGrammarError as exc:
        raise bad_request(exc.message) from None


def table_name(obj: ObjectDef) -> str:
    """compute-table-name.util.ts: custom objects' tables carry a leading underscore."""
    return f"_{obj.name_singular}" if obj.is_custom else obj.name_singular


def check_fields(obj: ObjectDef, names: list[str]) -> None:
    """check-fields.utils.ts: every name must be a field, a sub-field of ANY composite field of
    the object, or a relation's join column; a path's parts are checked one by one."""
    known: set[str] = set(obj.join_fields())
    for f in obj.fields:
        if f.type == "RELATION":
            continue
        known.add(f.name)
        known.update(COMPOSITES.get(f.type, {}))
    for name in names:
        if name not in known:
            raise bad_request(f"field '{name}' does not exist in '{table_name(obj)}' object")


def _resolve_condition(pred: grammar.Predicate, obj: ObjectDef) -> Node:
    fields = list(pred.fields)
    check_fields(obj, fields)
    field = obj.field(fields[0])
    ftype = field.type if field is not None and field.type != "RELATION" else None
    if field is not None and ftype in ("SELECT", "MULTI_SELECT"):
        _check_enum(field, pred.value)
    return ("cmp", fields, pred.comparator, _format_value(pred.value, ftype, pred.comparator))


def _check_enum(field: FieldDef, raw: str) -> None:
    """check-filter-enum-values.ts: SELECT / MULTI_SELECT values are checked before unquoting."""
    allowed = ["NULL", "NOT_NULL", *enum_values(field)]
    for value in grammar.enum_items(raw):
        if value not in allowed:
            listed = "', '".join(enum_values(field))
            raise bad_request(
                f"'filter' enum value '{value}' not available in '{field.name}' enum. Available enum values are ['{listed}']"
            )


_JS_FLOAT = re.compile(r"[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")


def js_parse_float(text: str) -> float:
    """JavaScript's parseFloat: the longest numeric prefix after leading blanks, else NaN."""
    match = _JS_FLOAT.match(text.lstrip())
    return float(match.group(0)) if match else math.nan


def _format_value(raw: str, ftype: str | None, comparator: str | None) -> Any:
    """format-field-values.utils.ts: lists split on every comma, numbers through parseFloat,
    booleans by `== 'true'`, one pair of surrounding quotes dropped, `is` left as written."""
    if comparator in grammar.LIST_COMPARATORS:
        return [_format_value(i, ftype, None) for i in grammar.list_items(raw, comparator)]
    if comparator == "is":
        return raw
    if ftype in ("NUMBER", "POSITION"):
        return js_parse_float(raw)
    if ftype == "NUMERIC":
        value = js_parse_float(raw)
        return value if math.isnan(value) else float(math.trunc(value))
    if ftype == "BOOLEAN":
        return raw.lower() == "true"
    return grammar.strip_quotes(raw)


def check_filter_paths(node: Node | None, obj: ObjectDef) -> None:
    """graphql-query-filter-field.parser.ts, met when the query runs: a name that is no field
    or join column, a composite without a known sub-field, or a sub-path on a plain field
    passed check_fields but fails here (plain Errors, which REST answers with 400 "Error")."""
    if node is None:
        return
    if node[0] in ("and", "or"):
        for n in node[1]:
            check_filter_paths(n, obj)
        return
    if node[0] == "not":
        check_filter_paths(node[1], obj)
        return
    _, path, op, _value = node
    head = path[0]
    field = obj.field(head)
    if field is None or field.type == "RELATION":
        if head in obj.join_fields() and len(path) == 1:
            return
        if head not in obj.join_fields():
            raise ApiProblem(400, "Error", f"Field metadata not found for field: {head}")
        raise ApiProblem(400, "Error", f'Operator "{path[1]}" is not supported')
    if field.type in COMPOSITES:
        sub = path[1] if len(path) > 1 else op
        if sub not in COMPOSITES[field.type]:
            raise ApiProblem(
                400, "Error", f"Sub field metadata not found for composite type: {field.type}"
            )
        if len(path) > 2:
            raise ApiProblem(400, "Error", f'Operator "{path[2]}" is not supported')
        return
    if len(path) > 1:
        raise ApiProblem(400, "Error", f'Operator "{path[1]}" is not supported')


def lookup_field(obj: ObjectDef, path: list[str]) -> FieldDef | None:
    """The field a GraphQL filter or order path names; raises Twenty's 'does not exist' error."""
    head = path[0]
    field = obj.field(head)
    if field is None:
        field = obj.join_fields().get(head)
        if field is not None:
            return FieldDef(name=head, type="UUID", label=head, object=obj.name_singular)
    if (
        field is None
        or field.type == "RELATION"
        or (
            len(path) > 1
            and (field.type not in COMPOSITES or path[1] not in COMPOSITES[field.type])
        )
    ):
        raise bad_request(f"field '{'.'.join(path)}' does not exist in '{table_name(obj)}' object")
    return field


# -- GraphQL filter objects -------------------------------------------------------------------
def parse_graphql_filter(spec: dict | None, obj: ObjectDef) -> tuple[Node | None, bool]:
    """A GraphQL `filter:` argument as a tree, and whether it mentions deletedAt."""
    if not spec:
        return None, False
    mentions = {"deleted": False}

    def walk(d: dict, prefix: list[str]) -> list[Node]:
        nodes: list[Node] = []
        for key, val in d.items():
            if key in ("and", "or") and not prefix:
                nodes.append((key, [("and", walk(v, [])) for v in val or []]))
            elif key == "not" and not prefix:
                nodes.append(("not", ("and", walk(val, []))))
            elif key in OPERATORS or key in ("containsIlike",):
                path = prefix
                if path == ["deletedAt"]:
                    mentions["deleted"] = True
                lookup_field(obj, path)
                op = "ilike" if key == "containsIlike" else key
                nodes.append(("cmp", path, op, f"%{val}%" if key == "containsIlike" else val))
            elif isinstance(val, dict):
                nodes.extend(walk(val, prefix + [key]))
            else:
                raise bad_request(f"Invalid filter on '{'.'.join(prefix + [key])}'")
        return nodes

    nodes = walk(spec, [])
    return ("and", nodes), mentions["deleted"]


# -- compilation -----------------------------------------------------------------------------------
def column(obj: ObjectDef, path: list[str]) -> tuple[str, str]:
    """SQL expression for a field path and its comparison kind (text, number, micro, bool)."""
    head = path[0]
    if head == "id" and len(path) == 1:
        return "id", "text"
    if head == "createdAt":
        return "created_at", "micro"
    if head == "deletedAt":
        return "deleted_at", "text"
    field = obj.field(head)
    expr = f"json_extract(data, '$.{'.'.join(path)}')"
    if len(path) > 1 and path[1] in NUMERIC_SUBFIELDS:
        return f"CAST({expr} AS REAL)", "number"
    if field is not None and field.type in ("NUMBER", "POSITION"):
        return expr, "number"
    if field is not None and field.type == "BOOLEAN":
        return expr, "bool"
    if field is not None and field.type in ("DATE_TIME", "DATE"):
        return expr, "date"
    return expr, "text"


def sql_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "number":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"'{value}' is not a valid number") from None
    if kind == "bool":
        return 1 if str(value).lower() == "true" or value is True else 0
    if kind == "micro":
        return to_micros(parse_timestamp(value))
    if kind == "date":
        return parse_timestamp(value)
    return (
        value
        if isinstance(value, str)
        else json.dumps(value)
        if isinstance(value, dict | list)
        else str(value)
    )


def compile_filter(
    node: Node | None, obj: ObjectDef, *, starts_with_works: bool
) -> tuple[str, list[Any]]:
    if node is None:
        return "1", []
    kind = node[0]
    if kind in ("and", "or"):
        parts = [compile_filter(n, obj, starts_with_works=starts_with_works) for n in node[1]]
        if not parts:
            return "1", []
        joiner = " AND " if kind == "and" else " OR "
        return "(" + joiner.join(p[0] for p in parts) + ")", [v for p in parts for v in p[1]]
    if kind == "not":
        sql, params = compile_filter(node[1], obj, starts_with_works=starts_with_works)
        return f"NOT {sql}", params
    _, path, op, value = node
    expr, vkind = column(obj, path)
    if op == "is":  # compute-where-condition-parts.ts: only the exact text NULL means IS NULL
        return (f"{expr} IS NULL", []) if value == "NULL" else (f"{expr} IS NOT NULL", [])
    if op in ("in", "containsAny"):
        items = value if isinstance(value, list) else [value]
        if not items:
            return "0", []
        marks = ",".join("?" * len(items))
        if op == "containsAny":
            return (
                f"EXISTS (SELECT 1 FROM json_each(records.data, '$.{'.'.join(path)}') WHERE value IN ({marks}))",
                list(items),
            )
        return f"{expr} IN ({marks})", [sql_value(vkind, i) for i in items]
    # compute-where-condition-parts.ts: like / ilike / startsWith are Postgres LIKE / ILIKE on
    # `::text` with the value as the pattern, so backslash is the escape character; on 1.7
    # startsWith adds no `%` (recorded: `startsWith:"Batch 61-"` matched nothing).
    if op == "startsWith":
        if not starts_with_works:
            return f"{expr} LIKE ? ESCAPE '\\'", [str(value)]
        return f"{expr} LIKE ? ESCAPE '\\'", [
            str(value).replace("%", "\\%").replace("_", "\\_") + "%"
        ]
    if op == "like":
        return f"{expr} LIKE ? ESCAPE '\\'", [str(value)]
    if op == "ilike":
        return f"lower({expr}) LIKE lower(?) ESCAPE '\\'", [str(value)]
    sym = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
    return f"{expr} {sym} ?", [sql_value(vkind, value)]
