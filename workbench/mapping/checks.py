"""Checks a map against itself and Twenty's rules (before any data), collecting every problem."""

from __future__ import annotations

from typing import Any

from workbench.mapping.catalog import (
    CAMEL_RE,
    COMPOSITES,
    JUNCTION_FIELDS,
    NAME_LIMIT,
    RESERVED_NAMES,
    STANDARD_OBJECTS,
    SYSTEM_FIELDS,
    UPPER_SNAKE_RE,
    WORKSPACE_MEMBERS,
)
from workbench.mapping.registry import REGISTRY
from workbench.mapping.spec import MapSpec
from workbench.mapping.yamlio import Problem
from workbench.twenty.model import FieldType
from workbench.twenty.names import field_name, is_valid_name

_SELECTS = (FieldType.SELECT, FieldType.MULTI_SELECT)


def _name_problem(name: str) -> str | None:
    if not CAMEL_RE.match(name):
        return f"{name!r} must be camelCase ASCII starting with a lower-case letter (Twenty's rule)"
    if len(name) > NAME_LIMIT:
        return f"{name!r} is longer than Twenty's {NAME_LIMIT} characters"
    if name in RESERVED_NAMES or not is_valid_name(name):
        return f"{name!r} is reserved in Twenty; use {field_name(name)!r} instead"
    return None


def check_map(spec: MapSpec) -> list[Problem]:
    """Every problem of the map's own content (columns are checked against an export later)."""
    import workbench.mapping.transforms  # noqa: F401  (registers the built-ins)

    out: list[Problem] = []
    targets = set(STANDARD_OBJECTS) | set(spec.custom_objects)

    for plural, obj in spec.custom_objects.items():
        path = ("custom_objects", plural)
        for name in (plural, obj.singular):
            if msg := _name_problem(name):
                out.append(Problem(path, msg))
        if plural in STANDARD_OBJECTS:
            out.append(Problem(path, f"{plural!r} is a standard Twenty object"))
        for name, rel in obj.relations.items():
            if rel.target not in targets:
                out.append(
                    Problem(path + ("relations", name, "target"), f"unknown object {rel.target!r}")
                )
            if msg := _name_problem(name):
                out.append(Problem(path + ("relations", name), msg))

    for target, fields in spec.custom_fields.items():
        if target not in targets:
            out.append(
                Problem(
                    ("custom_fields", target),
                    f"unknown Twenty object {target!r}; declare it under custom_objects",
                )
            )
            continue
        standard = STANDARD_OBJECTS.get(target, {}).get("fields", {})
        for name, field in fields.items():
            path = ("custom_fields", target, name)
            if msg := _name_problem(name):
                out.append(Problem(path, msg))
            if name in standard or (target in spec.custom_objects and name == "name"):
                out.append(Problem(path, f"{name!r} is already a standard field of {target}"))
            if field.type in _SELECTS and not (field.options or field.value_map):
                out.append(
                    Problem(
                        path,
                        f"a {field.type} field needs options or a value_map (Twenty requires options)",
                    )
                )
            if field.value_map and field.value_map not in spec.value_maps:
                out.append(
                    Problem(path + ("value_map",), f"no value map named {field.value_map!r}")
                )
            if field.type == FieldType.RELATION:
                out.append(
                    Problem(
                        path + ("type",), "declare relations under custom_objects.<name>.relations"
                    )
                )

    for name, vmap in spec.value_maps.items():
        for i, entry in enumerate(vmap.values):
            if not UPPER_SNAKE_RE.match(entry.option_value):
                out.append(
                    Problem(
                        ("value_maps", name, "values", i, "value"),
                        f"{entry.option_value!r} must be UPPER_SNAKE_CASE",
                    )
                )
        if vmap.unknown == "default" and vmap.default not in {e.option_value for e in vmap.values}:
            out.append(
                Problem(
                    ("value_maps", name, "default"),
                    "unknown: default needs a default that is one of the map's values",
                )
            )

    key_fields: dict[tuple[str, str], str] = {}
    for obj_name, obj in spec.objects.items():
        out.extend(_check_object(spec, obj_name, obj, targets, key_fields))
    return out


def _check_object(
    spec: MapSpec, obj_name: str, obj: Any, targets: set[str], key_fields: dict
) -> list[Problem]:
    out: list[Problem] = []
    path = ("objects", obj_name)
    if obj.inventory:
        if not obj.table:
            out.append(Problem(path, "an inventory object needs the table it lists"))
        return out
    if not obj.source_table:
        out.append(Problem(path, "give table (or derive_from)"))
    if obj.target not in targets:
        out.append(
            Problem(
                path + ("target",),
                f"unknown Twenty object {obj.target!r}; use a standard plural name ({', '.join(STANDARD_OBJECTS)}) or declare it under custom_objects",
            )
        )
        return out
    if not obj.source_key and not obj.derive_from:
        out.append(Problem(path, "source_key is required (the column holding the source id)"))
    if not obj.source_key_field:
        out.append(
            Problem(
                path, "source_key_field is required (a custom TEXT field that keeps the source id)"
            )
        )
    else:
        if msg := _name_problem(obj.source_key_field):
            out.append(Problem(path + ("source_key_field",), msg))
        key = (obj.target, obj.source_key_field)
        if key in key_fields:
            out.append(
                Problem(
                    path + ("source_key_field",),
                    f"{obj.source_key_field!r} on {obj.target} is already the key of {key_fields[key]!r}; ids could collide",
                )
            )
        key_fields[key] = obj_name
        declared = spec.custom_fields.get(obj.target, {}).get(obj.source_key_field)
        if declared and declared.type != FieldType.TEXT:
            out.append(Problem(path + ("source_key_field",), "the source key field must be TEXT"))
    if obj.created_at and obj.created_at.transform not in REGISTRY:
        out.append(
            Problem(
                path + ("created_at", "transform"),
                f"unknown transform {obj.created_at.transform!r}",
            )
        )

    for i, rule in enumerate(obj.fields):
        out.extend(_check_rule(spec, obj.target, rule, path + ("fields", i)))

    relations = spec.relation_targets(obj.target)
    junction = STANDARD_OBJECTS.get(obj.target, {}).get("junction")
    for key, rel in obj.relations.items():
        rpath = path + ("relations", key)
        if rel.to != WORKSPACE_MEMBERS and rel.to not in spec.objects:
            out.append(
                Problem(
                    rpath + ("to",),
                    f"{rel.to!r} is not an object of this map (or {WORKSPACE_MEMBERS})",
                )
            )
            continue
        pointed = WORKSPACE_MEMBERS if rel.to == WORKSPACE_MEMBERS else spec.objects[rel.to].target
        if "." in key:
            table, _, field = key.partition(".")
            if table != junction:
                out.append(
                    Problem(
                        rpath,
                        f"{obj.target} has no junction {table!r}"
                        + (f"; use {junction}" if junction else ""),
                    )
                )
                continue
            expected = JUNCTION_FIELDS.get(field) or next(
                (p for p, c in spec.custom_objects.items() if f"{c.singular}Id" == field), None
            )
            if expected is None:
                out.append(Problem(rpath, f"{field!r} is not a field of {table}"))
            elif expected != pointed:
                out.append(
                    Problem(
                        rpath + ("to",),
                        f"{key} points at {expected}, but {rel.to!r} becomes {pointed}",
                    )
                )
        elif key not in relations:
            out.append(
                Problem(
                    rpath,
                    f"{obj.target} has no relation field {key!r} (has: {', '.join(relations) or 'none'})",
                )
            )
        elif relations[key] != pointed:
            out.append(
                Problem(
                    rpath + ("to",),
                    f"{key} points at {relations[key]}, but {rel.to!r} becomes {pointed}",
                )
            )
        if rel.to == WORKSPACE_MEMBERS and rel.by != "email":
            out.append(Problem(rpath + ("by",), "workspace members are matched by email"))
    return out


def _check_rule(spec: MapSpec, target: str, rule: Any, path: tuple) -> list[Problem]:
    out: list[Problem] = []
    transform = REGISTRY.get(rule.transform)
    if transform is None:
        out.append(
            Problem(
                path + ("transform",),
                f"unknown transform {rule.transform!r}; known: {', '.join(sorted(REGISTRY))}",
            )
        )
    else:
        unknown = set(rule.options) - transform.options - {"columns"}
        if unknown:
            out.append(
                Problem(
                    path + ("options",),
                    f"{rule.transform} takes no option(s) {', '.join(sorted(unknown))}; it takes: {', '.join(sorted(transform.options)) or 'none'}",
                )
            )
        if rule.columns is not None and len(rule.columns) > 1 and not transform.multi:
            out.append(
                Problem(path + ("columns",), f"{rule.transform} reads one column; use column")
            )
    vmap = rule.options.get("map")
    if vmap is not None and vmap not in spec.value_maps:
        out.append(Problem(path + ("options", "map"), f"no value map named {vmap!r}"))
    root, _, sub = rule.target.partition(".")
    if root == "createdAt" and not sub:
        return out
    if root in SYSTEM_FIELDS:
        out.append(Problem(path + ("target",), f"{root!r} is set by Twenty"))
        return out
    ftype = spec.field_type(target, root)
    if ftype is None:
        out.append(
            Problem(
                path + ("target",),
                f"{target} has no field {root!r}; declare it under custom_fields.{target}",
            )
        )
        return out
    if sub and sub not in COMPOSITES.get(ftype, {}):
        subs = ", ".join(COMPOSITES.get(ftype, {})) or "none: it is not a composite"
        out.append(
            Problem(
                path + ("target",),
                f"{root} ({ftype}) has no sub-field {sub!r} (sub-fields: {subs})",
            )
        )
    if rule.keep_as:
        if rule.on_invalid != "keep":
            out.append(Problem(path + ("keep_as",), "keep_as goes with on_invalid: keep"))
        kept = spec.field_type(target, rule.keep_as)
        if kept not in (FieldType.TEXT, FieldType.RICH_TEXT_V2):
            out.append(
                Problem(path + ("keep_as",), f"{rule.keep_as!r} must be a TEXT field of {target}")
            )
    return out
