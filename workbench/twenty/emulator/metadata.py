"""The metadata API: GraphQL on /metadata and REST on /rest/metadata.

Lists objects and fields, creates custom fields (every type, with Twenty's naming rules and
error texts), relations (with the inverse field), custom objects, and replaces SELECT options.
Changes are visible to the next request at once, in this process and in any other one.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from workbench.twenty.emulator.gqlcore import project
from workbench.twenty.emulator.problems import ApiProblem, metadata_input
from workbench.twenty.emulator.records import Workspace
from workbench.twenty.emulator.standard import (
    FieldDef,
    ObjectDef,
    add_relation,
    bookkeeping_fields,
    custom_object_links,
    make_field,
)
from workbench.twenty.emulator.values import (
    COMPOSITES,
    RATING_VALUES,
    default_for,
    metadata_default,
    now_micro,
    to_millis,
)

FIELD_TYPES = {
    "UUID",
    "TEXT",
    "PHONES",
    "EMAILS",
    "DATE_TIME",
    "DATE",
    "BOOLEAN",
    "NUMBER",
    "NUMERIC",
    "LINKS",
    "CURRENCY",
    "FULL_NAME",
    "RATING",
    "SELECT",
    "MULTI_SELECT",
    "RELATION",
    "MORPH_RELATION",
    "POSITION",
    "ADDRESS",
    "RAW_JSON",
    "RICH_TEXT",
    "RICH_TEXT_V2",
    "ACTOR",
    "ARRAY",
    "TS_VECTOR",
}
RESERVED_NAMES = {"type"}
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
OPTION_VALUE = re.compile(r"^[A-Z0-9]+(_[A-Z0-9]+)*$")
NOT_AVAILABLE = "Name is not available, it may be duplicating another field's name."


# -- nodes ------------------------------------------------------------------------------------------
def field_node(f: FieldDef, obj: ObjectDef) -> dict[str, Any]:
    relation = None
    if f.relation:
        relation = {
            "type": f.relation["kind"],
            "targetObjectMetadata": {"nameSingular": f.relation["target"]},
            "targetFieldMetadata": {"name": f.relation["inverse"]},
        }
    return {
        "id": f.id,
        "type": f.type,
        "name": f.name,
        "label": f.label,
        "description": f.description,
        "icon": f.icon,
        "isCustom": f.is_custom,
        "isActive": True,
        "isSystem": f.is_system,
        "isNullable": f.is_nullable,
        "isUnique": f.is_unique,
        "defaultValue": metadata_default(f),
        "options": f.options,
        "settings": f.settings,
        "objectMetadataId": obj.id,
        "createdAt": f.created_at,
        "updatedAt": f.created_at,
        "relation": relation,
    }


REST_FIELD_KEYS = [
    "id",
    "type",
    "name",
    "label",
    "description",
    "icon",
    "isCustom",
    "isActive",
    "isSystem",
    "isNullable",
    "createdAt",
    "updatedAt",
    "defaultValue",
    "options",
    "relation",
]


def rest_field(f: FieldDef, obj: ObjectDef) -> dict[str, Any]:
    node = field_node(f, obj)
    return {k: node[k] for k in REST_FIELD_KEYS}


def object_node(obj: ObjectDef, *, rest: bool = False) -> dict[str, Any]:
    label_field = obj.field("name") or obj.field("title") or obj.field("id")
    fields = [rest_field(f, obj) if rest else field_node(f, obj) for f in obj.fields]
    return {
        "id": obj.id,
        "nameSingular": obj.name_singular,
        "namePlural": obj.name_plural,
        "isCustom": obj.is_custom,
        "isActive": True,
        "isSystem": obj.is_system,
        "createdAt": obj.created_at,
        "updatedAt": obj.created_at,
        "labelIdentifierFieldMetadataId": label_field.id if label_field else None,
        "imageIdentifierFieldMetadataId": None,
        "labelSingular": obj.label_singular,
        "labelPlural": obj.label_plural,
        "description": obj.description,
        "icon": obj.icon,
        "fields": fields if rest else {"edges": [{"node": n} for n in fields]},
    }


def sorted_objects(ws: Workspace) -> list[ObjectDef]:
    return sorted(ws.model.objects.values(), key=lambda o: o.id, reverse=True)


# -- validation ---------------------------------------------------------------------------------------
def check_name(name: Any, obj: ObjectDef | None, *, sub_code: str = "INVALID_FIELD_INPUT") -> str:
    if not isinstance(name, str) or not name:
        raise metadata_input("Name is required", sub_code=sub_code)
    if len(name) > 63:
        raise metadata_input(
            "Name is too long: it exceeds the 63 characters limit.", sub_code=sub_code
        )
    if not CAMEL.match(name):
        friendly = f"{name} should be in camelCase" if sub_code == "INVALID_OBJECT_INPUT" else None
        raise metadata_input(f"{name} should be in camelCase", sub_code=sub_code, friendly=friendly)
    if name in RESERVED_NAMES:
        raise metadata_input(
            f'The name "{name}" is not available', friendly="This name is not available."
        )
    if obj is not None and (obj.field(name) is not None or name in obj.join_fields()):
        raise metadata_input(
            f'Name "{name}" is not available, check that it is not duplicating another field\'s name.',
            friendly=NOT_AVAILABLE,
        )
    return name


def check_options(type_: str, options: Any) -> list[dict] | None:
    if type_ == "RATING":
        return [
            {"id": str(uuid.uuid4()), "label": str(i), "value": v, "position": i - 1}
            for i, v in enumerate(RATING_VALUES, 1)
        ]
    if type_ not in ("SELECT", "MULTI_SELECT"):
        return None
    if not options:
        raise metadata_input("Options are required for enum fields")
    out = []
    for pos, opt in enumerate(options):
        value = str(opt.get("value", ""))
        if not OPTION_VALUE.match(value):
            msg = f'Value must be in UPPER_CASE and follow snake_case "{value}"'
            raise metadata_input(msg, friendly=msg)
        out.append(
            {
                "id": opt.get("id") or str(uuid.uuid4()),
                "label": opt.get("label", value),
                "value": value,
                "color": opt.get("color", "gray"),
                "position": opt.get("position", pos),
            }
        )
    return out


def camel_from_label(label: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", label)
    if not words:
        return "relation"
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


# -- mutations ----------------------------------------------------------------------------------------------
def create_field(ws: Workspace, spec: dict) -> tuple[FieldDef, ObjectDef]:
    type_ = spec.get("type")
    if type_ not in FIELD_TYPES:
        raise ApiProblem(
            400,
            "Bad Request",
            f'Value "{type_}" does not exist in "FieldMetadataType" enum.',
            gql_extensions={"http": {"status": 400}, "_http400": True},
        )
    obj = ws.model.by_id(str(spec.get("objectMetadataId")))
    if obj is None:
        raise metadata_input(
            "Object metadata does not exist", sub_code="OBJECT_METADATA_NOT_FOUND", code="NOT_FOUND"
        )
    name = check_name(spec.get("name"), obj)
    now = to_millis(now_micro())
    with ws.store.write() as c:
        if type_ == "RELATION":
            field = _create_relation(ws, c, obj, name, spec, now)
        else:
            field = make_field(
                obj.name_singular, name, type_, spec.get("label") or name, {}, custom=True
            )
            field.options = check_options(type_, spec.get("options"))
            field.settings = spec.get("settings")
            field.description = spec.get("description")
            field.icon = spec.get("icon")
            field.created_at = now
            if type_ == "TEXT":
                field.is_nullable = False
            else:
                field.is_nullable = bool(spec.get("isNullable", True))
            if "defaultValue" in spec and type_ not in COMPOSITES:
                field.default = spec["defaultValue"]
            field.is_unique = bool(spec.get("isUnique", False))
            ws.store.save_field(c, field)
            c.execute(
                f"UPDATE records SET data = json_set(data, '$.{name}', json(?)) WHERE object = ?",
                (
                    json.dumps(field.default if field.default is not None else default_for(field)),
                    obj.name_singular,
                ),
            )
        ws.store.bump_version(c)
    return field, obj


def _create_relation(
    ws: Workspace, c: Any, obj: ObjectDef, name: str, spec: dict, now: str
) -> FieldDef:
    payload = spec.get("relationCreationPayload") or {}
    target = ws.model.by_id(str(payload.get("targetObjectMetadataId")))
    if target is None:
        raise metadata_input(
            "Target object metadata does not exist", sub_code="INVALID_FIELD_INPUT"
        )
    inverse = camel_from_label(payload.get("targetFieldLabel") or obj.label_plural)
    kind = payload.get("type", "MANY_TO_ONE")
    objects = dict(ws.model.objects)
    if kind == "MANY_TO_ONE":
        check_name(inverse, target)
        before = {f.id for o in objects.values() for f in o.fields}
        field = add_relation(
            objects,
            obj.name_singular,
            name,
            target.name_singular,
            inverse,
            custom=True,
            label=spec.get("label"),
            inverse_label=payload.get("targetFieldLabel"),
        )
    else:  # ONE_TO_MANY: the join column lives on the target
        check_name(inverse, target)
        before = {f.id for o in objects.values() for f in o.fields}
        add_relation(
            objects,
            target.name_singular,
            inverse,
            obj.name_singular,
            name,
            custom=True,
            label=payload.get("targetFieldLabel"),
            inverse_label=spec.get("label"),
        )
        field = obj.field(name)
    for o in objects.values():
        for f in o.fields:
            if f.id not in before:
                f.created_at = now
                f.icon = f.icon or spec.get("icon")
                ws.store.save_field(c, f)
                if f.join_column:
                    c.execute(
                        f"UPDATE records SET data = json_set(data, '$.{f.join_column}', NULL) WHERE object = ?",
                        (o.name_singular,),
                    )
                    ws.store.ensure_fk_index(f.join_column)
    return field


def create_object(ws: Workspace, spec: dict) -> ObjectDef:
    singular, plural = spec.get("nameSingular"), spec.get("namePlural")
    check_name(plural, None, sub_code="INVALID_OBJECT_INPUT")
    check_name(singular, None, sub_code="INVALID_OBJECT_INPUT")
    for o in ws.model.objects.values():
        if {o.name_singular, o.name_plural} & {singular, plural}:
            raise metadata_input(
                "Object already exists",
                sub_code="OBJECT_ALREADY_EXISTS",
                friendly="Object already exists",
                code="CONFLICT",
            )
    now = to_millis(now_micro())
    obj = ObjectDef(
        singular,
        plural,
        spec.get("labelSingular") or singular,
        spec.get("labelPlural") or plural,
        id=str(uuid.uuid4()),
        is_custom=True,
        description=spec.get("description"),
        icon=spec.get("icon"),
        created_at=now,
    )
    for name, type_, label, extra in [("name", "TEXT", "Name", {})] + bookkeeping_fields("company"):
        f = make_field(singular, name, type_, label, extra, custom=name == "name")
        f.id = str(uuid.uuid4())
        f.created_at = now
        obj.fields.append(f)
    objects = dict(ws.model.objects)
    objects[singular] = obj
    before = {f.id for o in ws.model.objects.values() for f in o.fields}
    for source, name, target, inverse in custom_object_links(singular):
        add_relation(objects, source, name, target, inverse, custom=True)
    with ws.store.write() as c:
        ws.store.save_object(c, ObjectDef(**{**obj.__dict__, "fields": []}))
        for o in objects.values():
            for f in o.fields:
                if f.id in before:
                    continue
                f.created_at = f.created_at or now
                ws.store.save_field(c, f)
                if f.join_column and o.name_singular != singular:
                    c.execute(
                        f"UPDATE records SET data = json_set(data, '$.{f.join_column}', NULL) WHERE object = ?",
                        (o.name_singular,),
                    )
        ws.store.bump_version(c)
    return obj


def update_field(ws: Workspace, field_id: str, update: dict) -> tuple[FieldDef, ObjectDef]:
    field = ws.model.field_by_id(field_id)
    if field is None:
        raise metadata_input(
            "Field metadata does not exist", sub_code="FIELD_METADATA_NOT_FOUND", code="NOT_FOUND"
        )
    obj = ws.model.objects[field.object]
    if "options" in update:
        field.options = check_options(
            field.type, update["options"]
        )  # the list replaces the whole set
    for key, attr in (
        ("label", "label"),
        ("description", "description"),
        ("icon", "icon"),
        ("isNullable", "is_nullable"),
    ):
        if key in update:
            setattr(field, attr, update[key])
    if "defaultValue" in update:
        field.default = update["defaultValue"]
    with ws.store.write() as c:
        ws.store.save_field(c, field)
        ws.store.bump_version(c)
    return field, obj


# -- GraphQL /metadata ----------------------------------------------------------------------------------
def run_metadata_field(
    ws: Workspace, name: str, args: dict, selection: Any, fragments: dict
) -> Any:
    if name == "objects":
        nodes = [object_node(o) for o in sorted_objects(ws)]
        first = ((args.get("paging") or {}).get("first")) or len(nodes)
        nodes = nodes[: int(first)]
        value = {
            "edges": [{"node": n} for n in nodes],
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": None,
                "endCursor": None,
            },
        }
        return project(value, selection, fragments)
    if name == "object":
        obj = ws.model.by_id(str(args.get("id")))
        if obj is None:
            raise metadata_input(
                "Object does not exist", sub_code="OBJECT_METADATA_NOT_FOUND", code="NOT_FOUND"
            )
        return project(object_node(obj), selection, fragments)
    if name == "fields":
        wanted = ((args.get("filter") or {}).get("objectMetadataId") or {}).get("eq")
        nodes = [
            field_node(f, o) for o in sorted_objects(ws) for f in o.fields if wanted in (None, o.id)
        ]
        return project({"edges": [{"node": n} for n in nodes]}, selection, fragments)
    if name == "createOneField":
        field, obj = create_field(ws, ((args.get("input") or {}).get("field")) or {})
        return project(field_node(field, obj), selection, fragments)
    if name == "updateOneField":
        data = args.get("input") or {}
        field, obj = update_field(ws, str(data.get("id")), data.get("update") or {})
        return project(field_node(field, obj), selection, fragments)
    if name == "createOneObject":
        obj = create_object(ws, ((args.get("input") or {}).get("object")) or {})
        return project(object_node(obj), selection, fragments)
    raise ApiProblem(
        400,
        "GraphQLValidation",
        f'Cannot query field "{name}" on type "Query".',
        gql_code="GRAPHQL_VALIDATION_FAILED",
    )
