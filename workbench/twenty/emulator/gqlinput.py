"""Record inputs of GraphQL mutations, validated and worded as graphql-js does for Twenty.

Twenty builds `<Object>CreateInput` / `<Object>UpdateInput` and, for composite fields,
`<Composite>CreateInput` / `<Composite>UpdateInput` (pascal-cased type: FullName, Phones,
RichTextV2…) — api/graphql/workspace-schema-builder/graphql-type-generators/input-types/
{create-input,update-input}/*.generator.ts. graphql-js refuses any other key: written inline,
the validation rule ValuesOfCorrectTypeRule reports each unknown field at its location; passed in
variables, coerceVariableValues reports `Variable "$x" got invalid value … at "x[0].name"; …`
at the variable's definition. Every such error is reported, and nothing runs.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import ListValueNode, ObjectValueNode, VariableNode
from graphql.pyutils import suggestion_list

from workbench.twenty.emulator.gqlcore import Operation, RootField
from workbench.twenty.emulator.standard import ObjectDef
from workbench.twenty.emulator.values import COMPOSITES

INPUT_COMPOSITES = set(COMPOSITES) - {"ACTOR"}


def pascal(name: str) -> str:
    """Twenty's pascalCase of a name or an UPPER_SNAKE type: person → Person, RICH_TEXT_V2 →
    RichTextV2."""
    if "_" in name or name.isupper():
        return "".join(p[:1].upper() + p[1:].lower() for p in name.split("_") if p)
    return name[:1].upper() + name[1:]


def did_you_mean(suggestions: list[str]) -> str:
    """graphql-js didYouMean: at most five, double-quoted."""
    quoted = [f'"{s}"' for s in suggestions[:5]]
    if not quoted:
        return ""
    if len(quoted) == 1:
        return f" Did you mean {quoted[0]}?"
    if len(quoted) == 2:
        return f" Did you mean {quoted[0]} or {quoted[1]}?"
    return f" Did you mean {', '.join(quoted[:-1])}, or {quoted[-1]}?"


def inspect(value: Any, seen: int = 0) -> str:
    """graphql-js inspect(): JSON strings, unquoted keys, three levels deep, ten list items."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if seen >= 3:
            return "[Object]"
        return "{ " + ", ".join(f"{k}: {inspect(v, seen + 1)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        if not value:
            return "[]"
        if seen >= 3:
            return "[Array]"
        items = [inspect(v, seen + 1) for v in value[:10]]
        if len(value) > 10:
            rest = len(value) - 10
            items.append(f"... {rest} more item{'s' if rest > 1 else ''}")
        return "[" + ", ".join(items) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _line_col(body: str, offset: int) -> dict[str, int]:
    before = body[:offset]
    return {"line": before.count("\n") + 1, "column": offset - (before.rfind("\n") + 1) + 1}


def _path(parts: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


class _Checker:
    def __init__(self, op: Operation, field: RootField) -> None:
        self.op = op
        self.node = field.arg_nodes.get("data")
        self.errors: list[dict[str, Any]] = []

    def unknown(
        self,
        type_name: str,
        allowed: list[str],
        value: dict,
        key: str,
        node: Any,
        path: list[str | int],
    ) -> None:
        text = f'Field "{key}" is not defined by type "{type_name}".'
        text += did_you_mean(suggestion_list(key, allowed))
        if isinstance(self.node, VariableNode):
            var = self.node.name.value
            where = f' at "{var}{_path(path)}"' if path else ""
            message = f'Variable "${var}" got invalid value {inspect(value)}{where}; {text}'
            loc = self.op.variable_locations.get(var)
            self.errors.append({"message": message, **({"locations": [loc]} if loc else {})})
            return
        located = None
        if isinstance(node, ObjectValueNode):
            for f in node.fields:
                if f.name.value == key and f.loc:
                    located = _line_col(f.loc.source.body, f.loc.start)
        self.errors.append({"message": text, **({"locations": [located]} if located else {})})

    def check(self, obj: ObjectDef, items: list[dict], kind: str) -> None:
        allowed = [f.name for f in obj.fields if f.type != "RELATION"] + list(obj.join_fields())
        type_name = f"{pascal(obj.name_singular)}{kind}Input"
        listed = isinstance(self.node, ListValueNode) or self._list_variable()
        for index, item in enumerate(items):
            node = self.node
            if isinstance(node, ListValueNode):
                node = node.values[index] if index < len(node.values) else None
            path: list[str | int] = [index] if listed else []
            for f in obj.fields:  # defined fields first, as coerceInputValue walks them
                value = item.get(f.name)
                if f.type in INPUT_COMPOSITES and isinstance(value, dict):
                    subs = list(COMPOSITES[f.type])
                    sub_node = _field_node(node, f.name)
                    for key in value:
                        if key not in subs:
                            self.unknown(
                                f"{pascal(f.type)}{kind}Input",
                                subs,
                                value,
                                key,
                                sub_node,
                                [*path, f.name],
                            )
            for key in item:
                if key not in allowed:
                    self.unknown(type_name, allowed, item, key, node, path)

    def _list_variable(self) -> bool:
        if not isinstance(self.node, VariableNode):
            return False
        return self.op.variable_types.get(self.node.name.value, "").startswith("[")


def _field_node(node: Any, name: str) -> Any:
    if isinstance(node, ObjectValueNode):
        for f in node.fields:
            if f.name.value == name:
                return f.value
    return None


def record_input_errors(
    op: Operation, field: RootField, obj: ObjectDef, items: list[dict], kind: str
) -> list[dict[str, Any]]:
    """The graphql-js errors for unknown keys in `items` (kind "Create" or "Update")."""
    checker = _Checker(op, field)
    checker.check(obj, items, kind)
    return checker.errors


# Arguments of each record resolver and their types as Twenty builds them: no argument is
# non-null (applyTypeOptions wraps in NonNull only for a null default), list items of `data` are
# (engine/api/graphql/workspace-schema-builder/utils/get-resolver-args.util.ts,
# graphql-type-generators/args-type/args-type.generator.ts, services/type-mapper.service.ts).
_FILTER = {"filter": "{S}FilterInput"}
RESOLVER_ARGS: dict[str, dict[str, str]] = {
    "findMany": {
        "first": "Int", "last": "Int", "before": "String", "after": "String",
        "filter": "{S}FilterInput", "orderBy": "[{S}OrderByInput]",
    },
    "findOne": _FILTER, "deleteMany": _FILTER, "restoreMany": _FILTER, "destroyMany": _FILTER,
    "createMany": {"data": "[{S}CreateInput!]", "upsert": "Boolean"},
    "createOne": {"data": "{S}CreateInput", "upsert": "Boolean"},
    "updateOne": {"id": "UUID", "data": "{S}UpdateInput"},
    "updateMany": {"data": "{S}UpdateInput", "filter": "{S}FilterInput"},
    "deleteOne": {"id": "UUID"}, "restoreOne": {"id": "UUID"}, "destroyOne": {"id": "UUID"},
}  # fmt: skip


def resolver_kind(action: str, many: bool) -> str:
    if action == "list":
        return "findMany"
    if action == "one":
        return "findOne"
    return action + ("Many" if many else "One")


def _type_parts(text: str) -> tuple[str, ...]:
    """'[X!]!' → ('nonnull', 'list', 'nonnull', 'X'), outermost first."""
    text = text.replace(" ", "")
    if text.endswith("!"):
        return ("nonnull", *_type_parts(text[:-1]))
    if text.startswith("[") and text.endswith("]"):
        return ("list", *_type_parts(text[1:-1]))
    return (text,)


def is_sub_type(var: tuple[str, ...], location: tuple[str, ...]) -> bool:
    """graphql-js isTypeSubTypeOf for named, list and non-null types."""
    if location[0] == "nonnull":
        return var[0] == "nonnull" and is_sub_type(var[1:], location[1:])
    if var[0] == "nonnull":
        return is_sub_type(var[1:], location)
    if location[0] == "list":
        return var[0] == "list" and is_sub_type(var[1:], location[1:])
    if var[0] == "list":
        return False
    return var == location


def argument_errors(
    op: Operation, field: RootField, obj: ObjectDef, action: str, many: bool
) -> list[dict[str, Any]]:
    """KnownArgumentNamesRule and VariablesInAllowedPositionRule for one root field."""
    kind = resolver_kind(action, many)
    known = {k: v.replace("{S}", pascal(obj.name_singular)) for k, v in RESOLVER_ARGS[kind].items()}
    parent = "Mutation" if field.operation == "mutation" else "Query"
    errors: list[dict[str, Any]] = []
    for name, node in field.arg_nodes.items():
        arg_node = field.arg_locations.get(name)
        if name not in known:
            message = f'Unknown argument "{name}" on field "{parent}.{field.name}".'
            message += did_you_mean(suggestion_list(name, list(known)))
            errors.append({"message": message, **({"locations": [arg_node]} if arg_node else {})})
            continue
        if isinstance(node, VariableNode):
            var = node.name.value
            declared = op.variable_types.get(var)
            if declared and not is_sub_type(_type_parts(declared), _type_parts(known[name])):
                where = [loc for loc in (op.variable_locations.get(var), _node_loc(node)) if loc]
                errors.append(
                    {
                        "message": f'Variable "${var}" of type "{declared}" used in position '
                        f'expecting type "{known[name]}".',
                        "locations": where,
                    }
                )
    return errors


def _node_loc(node: Any) -> dict[str, int] | None:
    return _line_col(node.loc.source.body, node.loc.start) if node.loc else None


def validation_errors(
    op: Operation, field: RootField, obj: ObjectDef, action: str, many: bool
) -> list[dict[str, Any]]:
    """Everything graphql-js would refuse in this root field before anything runs."""
    errors = argument_errors(op, field, obj, action, many)
    if errors:
        return errors
    data = field.args.get("data")
    if action in ("create", "update") and data is not None:
        items = data if isinstance(data, list) else [data]
        if all(isinstance(i, dict) for i in items):
            kind = "Create" if action == "create" else "Update"
            errors += record_input_errors(op, field, obj, items, kind)
    return errors
