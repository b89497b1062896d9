"""The small part of GraphQL the emulator needs: root fields with their arguments, and
projecting a result onto a selection set. Parsing is graphql-core's; no schema is involved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    value_from_ast_untyped,
)

from workbench.twenty.emulator.problems import ApiProblem


@dataclass
class RootField:
    name: str
    key: str  # alias or name: the key in `data`
    args: dict[str, Any]
    arg_nodes: dict[str, Any]
    arg_locations: dict[str, dict[str, int]]  # argument name → where it is written
    selection: SelectionSetNode | None
    operation: str  # "query" or "mutation"


@dataclass
class Operation:
    fields: list[RootField]
    fragments: dict[str, FragmentDefinitionNode]
    variable_types: dict[str, str] = field(default_factory=dict)  # "$d: [X!]!" → {"d": "[X!]!"}
    variable_locations: dict[str, dict[str, int]] = field(default_factory=dict)


def parse_operation(
    query: str, variables: dict | None, operation_name: str | None = None
) -> Operation:
    try:
        doc = parse(query)
    except GraphQLSyntaxError as exc:
        raise ApiProblem(
            400, "GraphQLError", f"Syntax Error: {exc.message}", gql_code="GRAPHQL_PARSE_FAILED"
        ) from None
    fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        ops = [o for o in ops if o.name and o.name.value == operation_name] or ops
    if not ops:
        raise ApiProblem(
            400, "GraphQLError", "Must provide an operation.", gql_code="BAD_USER_INPUT"
        )
    op = ops[0]
    variables = variables or {}
    fields = []
    for node in flatten(op.selection_set, fragments):
        args = {
            a.name.value: value_from_ast_untyped(a.value, variables) for a in node.arguments or ()
        }
        fields.append(
            RootField(
                name=node.name.value,
                key=node.alias.value if node.alias else node.name.value,
                args=args,
                arg_nodes={a.name.value: a.value for a in node.arguments or ()},
                arg_locations={a.name.value: _location(a) for a in node.arguments or () if a.loc},
                selection=node.selection_set,
                operation=op.operation.value,
            )
        )
    types, locations = {}, {}
    for definition in op.variable_definitions or ():
        name = definition.variable.name.value
        types[name] = print_ast(definition.type)
        if definition.loc:
            before = definition.loc.source.body[: definition.loc.start]
            locations[name] = {
                "line": before.count("\n") + 1,
                "column": definition.loc.start - (before.rfind("\n") + 1) + 1,
            }
    return Operation(fields, fragments, types, locations)


def _location(node: Any) -> dict[str, int]:
    before = node.loc.source.body[: node.loc.start]
    return {"line": before.count("\n") + 1, "column": node.loc.start - (before.rfind("\n") + 1) + 1}


def flatten(
    selection: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> list[FieldNode]:
    out: list[FieldNode] = []
    if selection is None:
        return out
    for sel in selection.selections:
        if isinstance(sel, FieldNode):
            out.append(sel)
        elif isinstance(sel, InlineFragmentNode):
            out += flatten(sel.selection_set, fragments)
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value in fragments:
            out += flatten(fragments[sel.name.value].selection_set, fragments)
    return out


def selected_names(
    selection: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> set[str]:
    return {f.name.value for f in flatten(selection, fragments)}


def sub_selection(
    selection: SelectionSetNode | None, name: str, fragments: dict[str, FragmentDefinitionNode]
) -> SelectionSetNode | None:
    for f in flatten(selection, fragments):
        if f.name.value == name:
            return f.selection_set
    return None


def project(
    value: Any,
    selection: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    typename: str = "",
) -> Any:
    """Keep only what the selection asks for, under aliases, recursively."""
    if selection is None or value is None:
        return value
    if isinstance(value, list):
        return [project(v, selection, fragments, typename) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for f in flatten(selection, fragments):
        key = f.alias.value if f.alias else f.name.value
        if f.name.value == "__typename":
            out[key] = typename
            continue
        out[key] = project(value.get(f.name.value), f.selection_set, fragments)
    return out
