"""Record filters and ordering: REST `filter=` strings and GraphQL filter objects, compiled to SQL.

Both syntaxes parse to one small tree — ("and"|"or", [nodes]), ("not", node),
("cmp", path, op, value) — which `compile_filter` turns into a WHERE clause over the JSON records.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.twenty.emulator.problems import bad_request
from workbench.twenty.emulator.standard import FieldDef, ObjectDef
from workbench.twenty.emulator.values import COMPOSITES, enum_values, parse_timestamp, to_micros

OPERATORS = [
    "eq",
    "neq",
    "in",
    "containsAny",
    "is",
    "gt",
    "gte",
    "lt",
    "lte",
    "startsWith",
    "like",
    "ilike",
]
NUMERIC_SUBFIELDS = {"amountMicros", "addressLat", "addressLng"}

Node = tuple


# -- REST filter strings --------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def parse(self) -> Node:
        nodes = self.parse_list(closing=None)
        return nodes[0] if len(nodes) == 1 else ("and", nodes)

    def parse_list(self, closing: str | None) -> list[Node]:
        nodes = [self.parse_expr()]
        while self.i < len(self.s) and self.s[self.i] == ",":
            self.i += 1
            nodes.append(self.parse_expr())
        if closing:
            if self.i >= len(self.s) or self.s[self.i] != closing:
                raise bad_request(f"'filter' invalid for '{self.s}', missing closing parenthesis")
            self.i += 1
        return nodes

    def parse_expr(self) -> Node:
        rest = self.s[self.i :]
        for conj in ("and", "or", "not"):
            if rest.startswith(conj + "("):
                self.i += len(conj) + 1
                inner = self.parse_list(closing=")")
                if conj == "not":
                    return ("not", inner[0] if len(inner) == 1 else ("and", inner))
                return (conj, inner)
        return self.parse_condition()

    def parse_condition(self) -> Node:
        start = self.i
        open_at = self.s.find("[", self.i)
        close_at = self.s.find("]:", open_at + 1) if open_at >= 0 else -1
        if open_at < 0 or close_at < 0:
            raise bad_request(f"'filter' invalid for '{self.s[start:]}'. eg: price[gte]:10")
        path = self.s[self.i : open_at].strip()
        op = self.s[open_at + 1 : close_at]
        self.i = close_at + 2
        raw = self.read_value()
        return ("cmp", path.split("."), op, raw, self.s[start : self.i])

    def read_value(self) -> str:
        s, start = self.s, self.i
        if s.startswith('"', start):
            j = start + 1
            while j < len(s) and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            self.i = j + 1
            return s[start : self.i]
        if s.startswith("[", start):
            depth, j, quoted = 0, start, False
            while j < len(s):
                ch = s[j]
                if ch == '"':
                    quoted = not quoted
                elif not quoted and ch == "[":
                    depth += 1
                elif not quoted and ch == "]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            self.i = j + 1
            return s[start : self.i]
        depth, j = 0, start
        while j < len(s):
            ch = s[j]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            j += 1
        self.i = j
        return s[start:j]


def unquote(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1].replace('\\"', '"')
    return raw


def list_items(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        raw = raw[1:-1]
    items, cur, quoted = [], "", False
    for ch in raw:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        items.append(cur.strip())
    return items


def parse_rest_filter(text: str, obj: ObjectDef) -> Node:
    """Parse `filter=` into a tree, checking fields, operators and enum values as Twenty does."""
    tree = _Parser(text).parse()
    return _resolve_rest(tree, obj)


def _resolve_rest(node: Node, obj: ObjectDef) -> Node:
    kind = node[0]
    if kind in ("and", "or"):
        return (kind, [_resolve_rest(n, obj) for n in node[1]])
    if kind == "not":
        return ("not", _resolve_rest(node[1], obj))
    _, path, op, raw, source = node
    field = lookup_field(obj, path)
    if op not in OPERATORS:
        raise bad_request(
            f"'filter' invalid for '{source}', comparator {op} not in {', '.join(OPERATORS)}"
        )
    if op == "is":
        value: Any = unquote(raw).upper()
    elif op in ("in", "containsAny"):
        items = list_items(raw)
        value = [_enum_check(field, i) if _is_enum(field) else unquote(i) for i in items]
    else:
        value = _enum_check(field, raw) if _is_enum(field) else unquote(raw)
    return ("cmp", path, op, value)


def _is_enum(field: FieldDef | None) -> bool:
    return field is not None and field.type in ("SELECT", "MULTI_SELECT", "RATING")


def _enum_check(field: FieldDef, raw: str) -> str:
    allowed = enum_values(field)
    if raw not in allowed:
        listed = ", ".join(f"'{v}'" for v in allowed)
        raise bad_request(
            f"'filter' enum value '{raw}' not available in '{field.name}' enum. Available enum values are [{listed}]"
        )
    return raw


def lookup_field(obj: ObjectDef, path: list[str]) -> FieldDef | None:
    """The field a filter or order path names; raises Twenty's 'does not exist' error."""
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
        raise bad_request(
            f"field '{'.'.join(path)}' does not exist in '{obj.name_singular}' object"
        )
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
    if op == "is":
        return (
            (f"{expr} IS NULL", []) if str(value).upper() == "NULL" else (f"{expr} IS NOT NULL", [])
        )
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
    if op == "startsWith":
        if not starts_with_works:
            return "0", []  # recorded on 1.7: startsWith matched nothing, quoted or not
        return f"{expr} LIKE ? ESCAPE '\\'", [
            str(value).replace("%", "\\%").replace("_", "\\_") + "%"
        ]
    if op == "like":
        return f"{expr} LIKE ?", [str(value)]
    if op == "ilike":
        return f"lower({expr}) LIKE lower(?)", [str(value)]
    sym = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[op]
    return f"{expr} {sym} ?", [sql_value(vkind, value)]
