"""Schema sync: make the destination's data model hold what a confirmed map needs.

`plan_schema` compares the map's requirements with the live data model and says, per object,
field and relation, whether it exists, will be created, or gains select options — with every
name translation shown. `apply_schema` carries a plan out, objects before fields before
relations, and is idempotent: it re-reads the data model first, so a second run creates nothing.
Options are only ever added, never removed or renamed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import polars as pl

from workbench.errors import TwentyError
from workbench.twenty import names
from workbench.twenty.metadata import FieldInfo, ObjectInfo
from workbench.twenty.model import (
    FieldSpec,
    FieldType,
    ObjectSpec,
    RelationSpec,
    SchemaRequirements,
    SelectOption,
)

if TYPE_CHECKING:
    from workbench.twenty.client import TwentyClient

SELECT_TYPES = {FieldType.SELECT, FieldType.MULTI_SELECT}
EXISTS, CREATE, ADD_OPTIONS, CONFLICT = "exists", "create", "add options", "conflict"


@dataclass
class SchemaItem:
    """One object, field or relation of the plan, and what apply will do about it."""

    kind: str  # object | field | relation
    object: str  # nameSingular of the object it belongs to (the object itself for kind=object)
    name: str  # the name in Twenty
    type: str
    action: str  # exists | create | add options | conflict
    source_name: str | None = None  # the name in the map/export, when it differs
    detail: str = ""
    new_options: list[SelectOption] = field(default_factory=list)
    spec: Any = field(default=None, repr=False)
    outcome: str | None = None  # after apply: created | options added | exists
    id: str | None = None

    @property
    def renamed(self) -> bool:
        return bool(self.source_name) and self.source_name != self.name


@dataclass
class SchemaPlan:
    requirements: SchemaRequirements
    items: list[SchemaItem] = field(default_factory=list)

    @property
    def conflicts(self) -> list[SchemaItem]:
        return [i for i in self.items if i.action == CONFLICT]

    @property
    def changes(self) -> list[SchemaItem]:
        return [i for i in self.items if i.action in (CREATE, ADD_OPTIONS)]

    def to_frame(self) -> pl.DataFrame:
        """One row per item, for a notebook table."""
        return pl.DataFrame(
            [
                {
                    "kind": i.kind,
                    "object": i.object,
                    "name": i.name,
                    "source_name": i.source_name or "",
                    "type": i.type,
                    "action": i.action,
                    "detail": i.detail,
                    "outcome": i.outcome or "",
                }
                for i in self.items
            ],
            schema={
                c: pl.Utf8
                for c in (
                    "kind",
                    "object",
                    "name",
                    "source_name",
                    "type",
                    "action",
                    "detail",
                    "outcome",
                )
            },
        )

    def summary(self) -> str:
        """One line per kind: how many exist, will be created, gain options, conflict."""
        lines = []
        for kind in ("object", "field", "relation"):
            items = [i for i in self.items if i.kind == kind]
            if not items:
                continue
            counts = Counter(i.action for i in items)
            parts = [
                f"{counts[a]} {a}" for a in (EXISTS, CREATE, ADD_OPTIONS, CONFLICT) if counts[a]
            ]
            lines.append(f"{len(items)} {kind}{'s' if len(items) != 1 else ''}: {', '.join(parts)}")
        renamed = sum(1 for i in self.items if i.renamed)
        if renamed:
            lines.append(f"{renamed} name{'s' if renamed != 1 else ''} translated for Twenty")
        for item in self.conflicts:
            lines.append(f"conflict: {item.object}.{item.name}: {item.detail}")
        return "\n".join(lines) if lines else "nothing required"

    def __str__(self) -> str:
        return self.summary()


def _valid_or_translated(name: str, taken: set[str]) -> str:
    return (
        name if names.is_valid_name(name) and name not in taken else names.field_name(name, taken)
    )


def _option_fixes(options: list[SelectOption]) -> tuple[list[SelectOption], list[str]]:
    fixed, notes, used = [], [], set()
    for option in options:
        value = option.value
        if not names.is_valid_option_value(value) or value in used:
            value = names.option_value(option.value or option.label, used)
            notes.append(f"option {option.value!r} → {value}")
        used.add(value)
        fixed.append(replace(option, value=value))
    return fixed, notes


class _Model:
    """The live model plus what the plan will create, by singular and plural name."""

    def __init__(self, existing: list[ObjectInfo]) -> None:
        self.objects: dict[str, ObjectInfo] = {}
        for info in existing:
            self.objects[info.name_singular] = info
            self.objects[info.name_plural] = info
        self.planned: dict[str, str] = {}  # any name → singular of an object the plan creates

    def singular(self, name: str) -> str | None:
        if name in self.planned:
            return self.planned[name]
        info = self.objects.get(name)
        return info.name_singular if info else None

    def fields(self, singular: str) -> dict[str, FieldInfo]:
        info = self.objects.get(singular)
        return {f.name: f for f in info.fields} if info else {}


def plan_schema(requirements: SchemaRequirements, existing: list[ObjectInfo]) -> SchemaPlan:
    """Compare what the map needs with the live data model (see the module docstring)."""
    plan = SchemaPlan(requirements=requirements)
    model = _Model(existing)
    for spec in requirements.objects:
        plan.items.append(_plan_object(spec, model))
    planned_names: dict[str, set[str]] = {}
    declared: set[tuple[str, str, str]] = set()
    for spec in requirements.fields:
        key = (model.singular(spec.object) or spec.object, spec.name, str(spec.type))
        if key in declared:
            continue  # the same field declared twice (two map columns feeding one field)
        declared.add(key)
        plan.items.append(_plan_field(spec, model, planned_names))
    for spec in requirements.relations:
        plan.items.append(_plan_relation(spec, model, planned_names))
    return plan


def _plan_object(spec: ObjectSpec, model: _Model) -> SchemaItem:
    original = spec.name_singular
    singular = _valid_or_translated(spec.name_singular, set())
    plural = _valid_or_translated(spec.name_plural, {singular})
    spec = replace(spec, name_singular=singular, name_plural=plural)
    item = SchemaItem(
        "object",
        singular,
        singular,
        "OBJECT",
        CREATE,
        source_name=None if singular == original else original,
        detail=f"REST path /rest/{plural}",
        spec=spec,
    )
    existing = model.objects.get(singular)
    if existing is not None:
        item.action, item.id = EXISTS, existing.id
    elif plural in model.objects:
        item.action = CONFLICT
        item.detail = (
            f"the plural name {plural!r} is already used by {model.objects[plural].name_singular!r}"
        )
    for alias in (singular, plural):
        model.planned.setdefault(alias, singular)
    return item


def _plan_field(spec: FieldSpec, model: _Model, planned_names: dict[str, set[str]]) -> SchemaItem:
    singular = model.singular(spec.object)
    taken = planned_names.setdefault(singular or spec.object, set())
    name = _valid_or_translated(spec.name, taken)
    taken.add(name)
    options, notes = _option_fixes(spec.options)
    source = spec.source_name or spec.name
    spec = replace(spec, name=name, options=options, object=singular or spec.object)
    item = SchemaItem(
        "field",
        spec.object,
        name,
        str(spec.type),
        CREATE,
        source_name=None if source == name else source,
        spec=spec,
    )
    item.detail = "; ".join(notes)
    if singular is None:
        return _conflict(
            item, f"object {spec.object!r} does not exist and the map does not create it"
        )
    if spec.type == FieldType.RELATION:
        return _conflict(item, "a relation must be declared as a RelationSpec")
    if spec.type in SELECT_TYPES and not options:
        return _conflict(item, "a select field needs at least one option")
    current = model.fields(singular).get(name)
    if current is None:
        return item
    item.id = current.id
    if current.type != str(spec.type):
        return _conflict(item, f"exists as {current.type}, the map wants {spec.type}")
    item.action = EXISTS
    if spec.type in SELECT_TYPES:
        have = set(current.option_values)
        item.new_options = [o for o in options if o.value not in have]
        if item.new_options:
            item.action = ADD_OPTIONS
            added = ", ".join(o.value for o in item.new_options)
            item.detail = "; ".join([*notes, f"adds {len(item.new_options)}: {added}"])
    return item


def _plan_relation(
    spec: RelationSpec, model: _Model, planned_names: dict[str, set[str]]
) -> SchemaItem:
    singular = model.singular(spec.object)
    target = model.singular(spec.target)
    taken = planned_names.setdefault(singular or spec.object, set())
    name = _valid_or_translated(spec.name, taken)
    taken.add(name)
    spec = replace(spec, name=name, object=singular or spec.object, target=target or spec.target)
    item = SchemaItem(
        "relation",
        spec.object,
        name,
        f"MANY_TO_ONE → {spec.target}",
        CREATE,
        source_name=None if name == spec.name else spec.name,
        detail=f"join column {name}Id",
        spec=spec,
    )
    if singular is None or target is None:
        missing = spec.object if singular is None else spec.target
        return _conflict(item, f"object {missing!r} does not exist and the map does not create it")
    current = model.fields(singular).get(name)
    if current is not None:
        item.id = current.id
        if current.type != "RELATION":
            return _conflict(item, f"exists as {current.type}, the map wants a relation")
        item.action = EXISTS
        return item
    inverse = names.field_name(spec.inverse_label)
    if inverse in model.fields(target):
        return _conflict(item, f"{target} already has a field {inverse!r} for the inverse side")
    return item


def _conflict(item: SchemaItem, why: str) -> SchemaItem:
    item.action = CONFLICT
    item.detail = why
    return item


def apply_schema(client: TwentyClient, plan: SchemaPlan) -> SchemaPlan:
    """Carry out `plan` against the live model; returns the plan as applied.

    Re-plans against a fresh read first, so running it twice creates nothing the second time.
    Conflicts stop it before any change, all of them reported at once.
    """
    fresh = plan_schema(plan.requirements, client.list_objects(refresh=True))
    if fresh.conflicts:
        listed = "; ".join(f"{i.object}.{i.name}: {i.detail}" for i in fresh.conflicts)
        raise TwentyError(
            f"schema sync refused, {len(fresh.conflicts)} conflict(s): {listed}. A field that "
            "exists with another type is decided in 02_mapping (the schema_decisions parameter "
            "or its widget): load into it as text where it can hold the values, or a new field"
        )
    object_ids: dict[str, str] = {}
    for item in fresh.items:
        if item.kind == "object":
            if item.action == CREATE:
                created = client.create_object(item.spec)
                item.id, item.outcome = created.id, "created"
            else:
                item.outcome = EXISTS
            object_ids[item.object] = item.id
    live = {o.name_singular: o for o in client.list_objects(refresh=True)}
    for singular, info in live.items():
        object_ids.setdefault(singular, info.id)
    for item in (i for i in fresh.items if i.kind == "field"):
        _apply_field(client, item, object_ids, live)
    for item in (i for i in fresh.items if i.kind == "relation"):
        if item.action == CREATE:
            spec: RelationSpec = item.spec
            created_field = client.create_relation(
                spec, object_ids[spec.object], object_ids[spec.target]
            )
            item.id, item.outcome = created_field.id, "created"
        else:
            item.outcome = EXISTS
    return fresh


def _apply_field(
    client: TwentyClient, item: SchemaItem, object_ids: dict[str, str], live: dict[str, ObjectInfo]
) -> None:
    spec: FieldSpec = item.spec
    if item.action == CREATE:
        created = client.create_field(spec, object_ids[spec.object])
        item.id, item.outcome = created.id, "created"
    elif item.action == ADD_OPTIONS:
        current = live[spec.object].field(spec.name)
        existing = current.options if current else []
        client.add_select_options(item.id, existing, item.new_options)
        item.outcome = "options added"
    else:
        item.outcome = EXISTS
