"""Twenty's data-model vocabulary: field types and the custom schema a map needs.

A leaf module: mapping declares what it needs in these terms, schema sync creates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    BOOLEAN = "BOOLEAN"
    DATE_TIME = "DATE_TIME"
    DATE = "DATE"
    SELECT = "SELECT"
    MULTI_SELECT = "MULTI_SELECT"
    RICH_TEXT_V2 = "RICH_TEXT_V2"
    LINKS = "LINKS"
    PHONES = "PHONES"
    EMAILS = "EMAILS"
    CURRENCY = "CURRENCY"
    RATING = "RATING"
    ARRAY = "ARRAY"
    RAW_JSON = "RAW_JSON"
    FULL_NAME = "FULL_NAME"
    ADDRESS = "ADDRESS"
    RELATION = "RELATION"
    UUID = "UUID"


@dataclass(frozen=True)
class SelectOption:
    label: str
    value: str  # UPPER_SNAKE_CASE, as Twenty requires
    position: int = 0
    color: str = "gray"


@dataclass
class FieldSpec:
    """A custom field that must exist on a Twenty object before records use it."""

    object: str  # nameSingular of the Twenty object, e.g. "person"
    name: str  # camelCase, valid under Twenty's naming rules
    label: str
    type: FieldType
    options: list[SelectOption] = field(default_factory=list)
    source_name: str | None = None  # the name in the source export, shown in the plan
    description: str | None = None


@dataclass
class RelationSpec:
    """A MANY_TO_ONE relation field from `object` to `target` (creates `<name>Id`)."""

    object: str
    name: str
    label: str
    target: str  # nameSingular
    inverse_label: str


@dataclass
class ObjectSpec:
    """A custom object that must exist (it gets Twenty's default `name` field)."""

    name_singular: str
    name_plural: str
    label_singular: str
    label_plural: str
    description: str | None = None


@dataclass
class SchemaRequirements:
    """Everything a confirmed map needs in the destination's data model."""

    objects: list[ObjectSpec] = field(default_factory=list)
    fields: list[FieldSpec] = field(default_factory=list)
    relations: list[RelationSpec] = field(default_factory=list)
