"""Twenty's data model as the metadata API describes it, and the GraphQL that changes it.

Shapes follow FACTS 43–48: objects and fields carry ids (fields need their object's id to be
created), SELECT options carry ids that must be sent back when options are added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from workbench.twenty.model import FieldSpec, FieldType, ObjectSpec, RelationSpec, SelectOption

FIELD_SELECTION = "id name label type isCustom isActive isNullable options"

LIST_OBJECTS = (
    "query Objects($after: ConnectionCursor) { objects(paging: {first: 200, after: $after}) "
    "{ pageInfo { hasNextPage endCursor } edges { node { id nameSingular namePlural "
    "labelSingular labelPlural isCustom isActive isSystem } } } }"
)
OBJECT_FIELDS = (
    "query ObjectFields($id: UUID!) { object(id: $id) { nameSingular "
    f"fields(paging: {{first: 1000}}) {{ edges {{ node {{ {FIELD_SELECTION} }} }} }} }} }}"
)
CREATE_FIELD = (
    "mutation CreateOneField($input: CreateOneFieldMetadataInput!) "
    f"{{ createOneField(input: $input) {{ {FIELD_SELECTION} settings }} }}"
)
UPDATE_FIELD = (
    "mutation UpdateOneField($input: UpdateOneFieldMetadataInput!) "
    f"{{ updateOneField(input: $input) {{ {FIELD_SELECTION} }} }}"
)
CREATE_OBJECT = (
    "mutation CreateOneObject($input: CreateOneObjectInput!) { createOneObject(input: $input) "
    "{ id nameSingular namePlural labelSingular labelPlural isCustom isActive isSystem } }"
)

# Default palette for new options, in the order Twenty's UI offers them.
OPTION_COLORS = (
    "blue",
    "green",
    "orange",
    "purple",
    "red",
    "yellow",
    "turquoise",
    "sky",
    "pink",
    "gray",
)


@dataclass
class FieldInfo:
    id: str
    name: str
    type: str
    label: str | None = None
    is_custom: bool = False
    is_active: bool = True
    options: list[dict[str, Any]] = field(default_factory=list)

    @property
    def option_values(self) -> list[str]:
        return [str(o.get("value")) for o in self.options]

    @classmethod
    def from_api(cls, node: dict[str, Any]) -> FieldInfo:
        return cls(
            id=str(node.get("id")),
            name=str(node.get("name")),
            type=str(node.get("type")),
            label=node.get("label"),
            is_custom=bool(node.get("isCustom", False)),
            is_active=node.get("isActive", True) is not False,
            options=list(node.get("options") or []),
        )


@dataclass
class ObjectInfo:
    id: str
    name_singular: str
    name_plural: str
    label_singular: str | None = None
    label_plural: str | None = None
    is_custom: bool = False
    is_active: bool = True
    is_system: bool = False
    fields: list[FieldInfo] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.name_singular

    def field(self, name: str) -> FieldInfo | None:
        return next((f for f in self.fields if f.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_api(cls, node: dict[str, Any]) -> ObjectInfo:
        raw_fields = node.get("fields")
        if isinstance(raw_fields, dict):  # GraphQL connection
            raw_fields = [e.get("node", {}) for e in raw_fields.get("edges", [])]
        return cls(
            id=str(node.get("id")),
            name_singular=str(node.get("nameSingular")),
            name_plural=str(node.get("namePlural")),
            label_singular=node.get("labelSingular"),
            label_plural=node.get("labelPlural"),
            is_custom=bool(node.get("isCustom", False)),
            is_active=node.get("isActive", True) is not False,
            is_system=bool(node.get("isSystem", False)),
            fields=[FieldInfo.from_api(f) for f in raw_fields if isinstance(f, dict)]
            if isinstance(raw_fields, list)
            else [],
        )


def fields_are_inline(node: dict[str, Any]) -> bool:
    """True when an object node already lists its fields (REST /rest/metadata/objects does)."""
    raw = node.get("fields")
    return isinstance(raw, list) or (isinstance(raw, dict) and "edges" in raw)


def option_payload(option: SelectOption, position: int) -> dict[str, Any]:
    return {
        "label": option.label,
        "value": option.value,
        "color": option.color or OPTION_COLORS[position % len(OPTION_COLORS)],
        "position": position,
    }


def field_input(spec: FieldSpec, object_id: str) -> dict[str, Any]:
    """The `createOneField` input for a scalar, composite or select field (FACTS 44)."""
    payload: dict[str, Any] = {
        "objectMetadataId": object_id,
        "type": str(spec.type),
        "name": spec.name,
        "label": spec.label,
        "isNullable": True,
    }
    if spec.description:
        payload["description"] = spec.description
    if spec.type in (FieldType.SELECT, FieldType.MULTI_SELECT):
        payload["options"] = [option_payload(o, i) for i, o in enumerate(spec.options)]
    return payload


def relation_input(spec: RelationSpec, object_id: str, target_object_id: str) -> dict[str, Any]:
    """The `createOneField` input for a MANY_TO_ONE relation (FACTS 47)."""
    return {
        "objectMetadataId": object_id,
        "type": "RELATION",
        "name": spec.name,
        "label": spec.label,
        "isNullable": True,
        "relationCreationPayload": {
            "type": "MANY_TO_ONE",
            "targetObjectMetadataId": target_object_id,
            "targetFieldLabel": spec.inverse_label,
            "targetFieldIcon": "IconLink",
        },
    }


def object_input(spec: ObjectSpec) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "nameSingular": spec.name_singular,
        "namePlural": spec.name_plural,
        "labelSingular": spec.label_singular,
        "labelPlural": spec.label_plural,
        "icon": "IconBox",
    }
    if spec.description:
        payload["description"] = spec.description
    return payload


def merged_options(existing: list[dict[str, Any]], new: list[SelectOption]) -> list[dict[str, Any]]:
    """All existing options (ids kept, FACTS 48) followed by the new ones not already there."""
    kept = [dict(o) for o in existing]
    values = {o.get("value") for o in kept}
    next_position = max((int(o.get("position") or 0) for o in kept), default=-1) + 1
    for option in new:
        if option.value in values:
            continue
        kept.append(option_payload(option, next_position))
        values.add(option.value)
        next_position += 1
    return kept
