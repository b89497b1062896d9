"""A proposal turned into a MapSpec: rules grouped per map object, custom fields declared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.mapping.catalog import STANDARD_OBJECTS, camel_case, singular_of
from workbench.mapping.spec import (
    ColumnRule,
    CustomField,
    CustomObject,
    CustomRelation,
    FieldRule,
    MapObject,
    MapSpec,
    RelationRule,
)
from workbench.twenty.model import FieldType

if TYPE_CHECKING:
    from workbench.mapping.propose import ColumnProposal, Proposal

_RELATION_TARGETS = {"companyId": "companies", "pointOfContactId": "people", "personId": "people",
                     "opportunityId": "opportunities", "accountOwnerId": "workspaceMembers",
                     "assigneeId": "workspaceMembers"}  # fmt: skip
_NOT_BY_MAP = {"attachments", "workspaceMembers", "metadata"}  # files, members, definitions
_MULTI = {"phones": "phone", "amount": "currency", "annualRecurringRevenue": "currency"}


def _by(values: list[str]) -> str:
    vals = [v for v in values if v]
    if vals and sum("@" in v for v in vals) / len(vals) > 0.6:
        return "email"
    if (
        vals
        and sum(
            v.replace("-", "").isalnum() and any(ch.isdigit() for ch in v) and " " not in v
            for v in vals
        )
        / len(vals)
        > 0.8
    ):
        return "source_id"
    return "name"


def proposal_to_map(proposal: Proposal) -> MapSpec:
    """The proposal as an unconfirmed map (the default map's objects kept as they are)."""
    base = proposal.default_map
    spec = base.model_copy(deep=True) if base is not None else MapSpec(source=proposal.source)
    spec.confirmation = None
    for col in proposal.columns:
        if col.from_default and col.edited:
            _forget_column(spec, proposal.objects[col.table][0], col.column)
    by_table: dict[str, list[ColumnProposal]] = {}
    for col in proposal.columns:
        if not col.from_default or col.edited:
            by_table.setdefault(col.table, []).append(col)
    for table, cols in by_table.items():
        map_object, target = proposal.objects[table]
        if target in _NOT_BY_MAP and map_object not in spec.objects:
            continue
        obj = spec.objects.get(map_object)
        if obj is None:
            obj = MapObject(table=table, target=None if target == "inventory" else target)
            if target == "inventory":
                obj.inventory = table
            spec.objects[map_object] = obj
        if obj.inventory or target in _NOT_BY_MAP:
            continue
        if (
            target not in STANDARD_OBJECTS
            and target not in spec.custom_objects
            and target != "workspaceMembers"
        ):
            spec.custom_objects[target] = CustomObject(
                singular=singular_of(target),
                label=table.replace("_", " ").title(),
                label_plural=table.replace("_", " ").title(),
            )
        _add_rules(spec, obj, target, cols)
        if obj.source_key is None and obj.derive_from is None:
            del spec.objects[map_object]  # no id column found: the analyst must name one
            continue
        if obj.source_key_field is None:
            obj.source_key_field = camel_case(f"{spec.source} {singular_of(map_object)} id")
    return spec


def _add_rules(spec: MapSpec, obj: MapObject, target: str, cols: list[ColumnProposal]) -> None:
    grouped: dict[str, list[ColumnProposal]] = {}
    for col in cols:
        fld = col.field
        if fld in ("ignore", "inventory"):
            continue
        if fld == "source_id":
            obj.source_key = obj.source_key or col.column
        elif fld == "createdAt":
            obj.created_at = obj.created_at or ColumnRule(
                column=col.column, transform=col.transform or "datetime"
            )
        elif fld.startswith("custom:"):
            name = fld.removeprefix("custom:").split(".")[0]
            ctype = FieldType(col.custom_type or "TEXT")
            spec.custom_fields.setdefault(target, {}).setdefault(
                name, CustomField(type=ctype, label=col.column)
            )
            obj.fields.append(
                FieldRule(
                    column=col.column,
                    target=fld.removeprefix("custom:"),
                    transform=col.transform or "text",
                    on_invalid="flag",
                )
            )
        elif fld.endswith("Id") and ("." in fld or fld in _RELATION_TARGETS):
            _add_relation(spec, obj, target, fld, col)
        elif fld.split(".")[0] in _MULTI or (target not in STANDARD_OBJECTS and fld == "name"):
            grouped.setdefault(fld.split(".")[0], []).append(col)
        elif (
            spec.field_type(target, fld.split(".")[0]) is None and fld.split(".")[0] != "createdAt"
        ):
            continue  # not a field a record can be given (updatedAt, createdBy, stage.position)
        else:
            root = fld.split(".")[0]
            rule_target = root if fld.endswith("primaryLinkUrl") else fld
            obj.fields.append(
                FieldRule(
                    column=col.column,
                    target=rule_target,
                    transform=col.transform or "text",
                    on_invalid="flag",
                )
            )
    for root, members in grouped.items():
        columns = [m.column for m in sorted(members, key=lambda m: m.field)]
        transform = _MULTI.get(root, "join")
        if root == "phones":
            columns = [m.column for m in members if m.field.endswith("Number")] + [
                m.column for m in members if not m.field.endswith("Number")
            ]
        obj.fields.append(
            FieldRule(
                columns=columns[:2] if transform != "join" else columns,
                target=root,
                transform=transform,
                on_invalid="flag",
            )
        )


def _add_relation(
    spec: MapSpec, obj: MapObject, target: str, fld: str, col: ColumnProposal
) -> None:
    rel_field = fld.split(".")[-1]
    pointed = _RELATION_TARGETS.get(rel_field, "people")
    to = (
        "workspaceMembers"
        if pointed == "workspaceMembers"
        else next(
            (n for n, o in spec.objects.items() if o.target == pointed and not o.derive_from), None
        )
    )
    if to is None:
        return
    if target not in STANDARD_OBJECTS and fld == "personId" and target in spec.custom_objects:
        spec.custom_objects[target].relations.setdefault("person", CustomRelation(target="people"))
    by = "email" if to == "workspaceMembers" else _by(col.samples)
    obj.relations.setdefault(fld, RelationRule(to=to, by=by, column=col.column))


def _forget_column(spec: MapSpec, map_object: str, column: str) -> None:
    """Drop what the default map did with a column the analyst re-mapped."""
    obj = spec.objects.get(map_object)
    if obj is None:
        return
    obj.fields = [r for r in obj.fields if column not in r.inputs]
    obj.relations = {k: r for k, r in obj.relations.items() if column not in r.inputs}
    if obj.created_at and obj.created_at.column == column:
        obj.created_at = None
