"""The declarative map: one YAML file per source, as pydantic models.

A map says, per source object, which table it reads, which Twenty object it becomes, how each
column is transformed into which Twenty field, which relations to rebuild, which rows wait in
a queue, and which custom fields, objects and select options Twenty needs first.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from workbench.mapping.catalog import (
    COMPOSITES,
    STANDARD_OBJECTS,
    STANDARD_OPTIONS,
    singular_of,
    upper_snake,
)
from workbench.twenty.model import (
    FieldSpec,
    FieldType,
    ObjectSpec,
    RelationSpec,
    SchemaRequirements,
    SelectOption,
)

RelationBy = Literal["source_id", "email", "name", "email_then_name"]
OnInvalid = Literal["quarantine", "flag", "keep"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldRule(_Model):
    """Source column(s) or a constant → one Twenty field or composite sub-field."""

    target: str  # "jobTitle", "name.firstName", "phones", "createdAt"
    column: str | None = None
    columns: list[str] | None = None
    const: Any = None
    transform: str = "text"
    options: dict[str, Any] = Field(default_factory=dict)
    on_invalid: OnInvalid = "quarantine"  # quarantine the row, flag and leave empty, keep raw
    keep_as: str | None = None  # with on_invalid=keep: a TEXT field that gets the raw value

    @model_validator(mode="after")
    def _one_input(self) -> FieldRule:
        given = [self.column is not None, self.columns is not None, self.const is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of column, columns or const")
        return self

    @property
    def inputs(self) -> list[str]:
        if self.column is not None:
            return [self.column]
        return list(self.columns or [])


class RelationFallback(_Model):
    """Used on rows where the relation's own column is empty (lead id missing, email given)."""

    by: RelationBy
    column: str | None = None
    columns: list[str] | None = None

    @property
    def inputs(self) -> list[str]:
        return [self.column] if self.column is not None else list(self.columns or [])


class RelationRule(_Model):
    """How a record points at another: by source id, email or name, as the source wrote it."""

    to: str  # a map object, or "workspaceMembers" for owners and assignees
    by: RelationBy = "source_id"
    column: str | None = None
    columns: list[str] | None = None  # joined with a space (first + last name)
    alt_columns: list[str] | None = None  # the name fallback of email_then_name
    fallback: RelationFallback | None = None
    # Only rows whose column holds one of these values (case ignored) get this ref: a
    # "Related To" column saying whether "Related ID" is a contact or a deal.
    when: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_input(self) -> RelationRule:
        if (self.column is None) == (self.columns is None):
            raise ValueError("give exactly one of column or columns")
        if self.by == "email_then_name" and not self.alt_columns:
            raise ValueError("by email_then_name needs alt_columns (the name to fall back on)")
        return self

    @property
    def inputs(self) -> list[str]:
        return [self.column] if self.column is not None else list(self.columns or [])


class QueueRule(_Model):
    """Rows routed to the reconciliation queue instead of Twenty, with the reason given."""

    reason: str
    when_empty: list[str] = Field(default_factory=list)  # all of these columns empty
    when_value: dict[str, list[str]] = Field(default_factory=dict)  # column has one of values

    @model_validator(mode="after")
    def _has_condition(self) -> QueueRule:
        if not self.when_empty and not self.when_value:
            raise ValueError("a queue rule needs when_empty or when_value")
        return self

    @property
    def inputs(self) -> list[str]:
        return [*self.when_empty, *self.when_value]


class OptionSpec(_Model):
    label: str
    value: str | None = None  # UPPER_SNAKE; derived from the label when left out


class CustomField(_Model):
    """A custom field the map needs on a Twenty object."""

    type: FieldType
    label: str | None = None
    options: list[str | OptionSpec] | None = None
    value_map: str | None = None  # options come from this value map, in its order
    description: str | None = None


class ValueEntry(_Model):
    """One select option and the source spellings that become it."""

    source: str | list[str]
    label: str | None = None
    value: str | None = None
    probability: float | None = None

    @property
    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)

    @property
    def option_label(self) -> str:
        return self.label or self.sources[0]

    @property
    def option_value(self) -> str:
        return self.value or upper_snake(self.option_label)


class ValueMap(_Model):
    """A rename table for a select: source value → option, in display order."""

    values: list[ValueEntry]
    unknown: Literal["quarantine", "flag", "default"] = "flag"
    default: str | None = None  # an option value, used when unknown = default

    def options(self) -> list[SelectOption]:
        seen: dict[str, SelectOption] = {}
        for entry in self.values:
            if entry.option_value not in seen:
                seen[entry.option_value] = SelectOption(
                    entry.option_label, entry.option_value, position=len(seen)
                )
        return list(seen.values())


class CustomRelation(_Model):
    target: str  # plural name of the object pointed at
    label: str | None = None
    inverse_label: str | None = None


class CustomObject(_Model):
    """A custom object (keyed by its plural REST name in the map)."""

    singular: str
    label: str
    label_plural: str
    description: str | None = None
    relations: dict[str, CustomRelation] = Field(default_factory=dict)  # name -> <name>Id


class DeriveFrom(_Model):
    """Build an object from distinct values of another table's column (free-text companies)."""

    table: str
    column: str


class ColumnRule(_Model):
    """The created-at column: a column and the transform that reads it."""

    column: str
    transform: str = "datetime"
    options: dict[str, Any] = Field(default_factory=dict)


class MapObject(_Model):
    """One source object: where it comes from and what it becomes."""

    table: str | None = None
    target: str | None = None
    source_key: str | None = None
    source_key_field: str | None = None
    created_at: ColumnRule | None = None
    fields: list[FieldRule] = Field(default_factory=list)
    relations: dict[str, RelationRule] = Field(default_factory=dict)
    queue: list[QueueRule] = Field(default_factory=list)
    derive_from: DeriveFrom | None = None
    inventory: str | None = None  # routed to this written inventory instead of Twenty
    description: str | None = None

    @property
    def source_table(self) -> str | None:
        return self.derive_from.table if self.derive_from else self.table

    def columns_used(self) -> list[str]:
        cols: list[str] = []
        if self.source_key and not self.derive_from:
            cols.append(self.source_key)
        if self.created_at:
            cols.append(self.created_at.column)
        for rule in self.fields:
            cols.extend(rule.inputs)
            cols.extend(rule.options.get("columns", []) if rule.transform == "template" else [])
        for rel in self.relations.values():
            cols.extend(rel.inputs + list(rel.alt_columns or []))
            cols.extend(rel.fallback.inputs if rel.fallback else [])
            cols.extend(rel.when)
        for q in self.queue:
            cols.extend(q.inputs)
        if self.derive_from:
            cols.append(self.derive_from.column)
        return list(dict.fromkeys(cols))


class Defaults(_Model):
    """Export-wide reading defaults; StageParams override them for one run."""

    region: str = "US"  # phone numbers without a country code
    date_order: Literal["MDY", "DMY", "YMD"] = "MDY"
    timezone: str = "UTC"  # of naive timestamps in the export
    currency: str = "USD"
    decimal_comma: bool = False
    na_values: list[str] = Field(
        default_factory=lambda: ["", "N/A", "n/a", "NA", "null", "NULL", "None", "none", "-", "--"]
    )


class Confirmation(_Model):
    confirmed_by: str
    confirmed_at: str
    content_hash: str


class MapSpec(_Model):
    """A whole map for one source system."""

    source: str
    version: int = 1
    description: str | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    custom_objects: dict[str, CustomObject] = Field(default_factory=dict)
    custom_fields: dict[str, dict[str, CustomField]] = Field(default_factory=dict)
    value_maps: dict[str, ValueMap] = Field(default_factory=dict)
    objects: dict[str, MapObject] = Field(default_factory=dict)
    confirmation: Confirmation | None = None
    _file: str | None = PrivateAttr(default=None)  # where it was read from, for messages
    _lines: dict = PrivateAttr(default_factory=dict)  # YAML path -> line

    # -- lookups -------------------------------------------------------------------------
    def singular(self, target: str) -> str:
        if target in self.custom_objects:
            return self.custom_objects[target].singular
        return singular_of(target)

    def field_type(self, target: str, field: str) -> FieldType | None:
        """Type of a root field on a Twenty object, standard or declared here."""
        custom = self.custom_fields.get(target, {})
        if field in custom:
            return custom[field].type
        if target in STANDARD_OBJECTS:
            return STANDARD_OBJECTS[target]["fields"].get(field)
        if target in self.custom_objects and field == "name":
            return FieldType.TEXT
        return None

    def sub_kind(self, target: str, path: str) -> str | None:
        """'text' / 'int' / 'list' … for a composite sub-field path like 'emails.primaryEmail'."""
        root, _, sub = path.partition(".")
        ftype = self.field_type(target, root)
        return COMPOSITES.get(ftype, {}).get(sub) if ftype else None

    def select_options(self, target: str, field: str) -> list[str] | None:
        """Allowed option values of a SELECT/MULTI_SELECT field after schema sync."""
        custom = self.custom_fields.get(target, {}).get(field)
        if custom is not None:
            return [o.value for o in self._custom_options(custom)]
        base = STANDARD_OPTIONS.get((target, field))
        if base is None:
            return None
        return list(dict.fromkeys(base + [o.value for o in self._added_options(target, field)]))

    def relation_targets(self, target: str) -> dict[str, str]:
        """Relation fields (`companyId`) a record of `target` may carry → object pointed at."""
        rels = dict(STANDARD_OBJECTS.get(target, {}).get("relations", {}))
        custom = self.custom_objects.get(target)
        for name, rel in (custom.relations if custom else {}).items():
            rels[f"{name}Id"] = rel.target
        return rels

    # -- schema ----------------------------------------------------------------------------
    def _custom_options(self, field: CustomField) -> list[SelectOption]:
        if field.value_map and field.value_map in self.value_maps:
            return self.value_maps[field.value_map].options()
        out: list[SelectOption] = []
        for i, opt in enumerate(field.options or []):
            label = opt if isinstance(opt, str) else opt.label
            value = upper_snake(opt) if isinstance(opt, str) else (opt.value or upper_snake(label))
            out.append(SelectOption(label, value, position=i))
        return out

    def _added_options(self, target: str, field: str) -> list[SelectOption]:
        """Options a value map feeds into a standard select (e.g. the deal pipeline stages)."""
        out: list[SelectOption] = []
        for obj in self.objects.values():
            if obj.target != target:
                continue
            for rule in obj.fields:
                name = rule.options.get("map")
                if (
                    rule.target == field
                    and name in self.value_maps
                    and "attribute" not in rule.options
                ):
                    out.extend(self.value_maps[name].options())
        return out

    def required_schema(self) -> SchemaRequirements:
        """Custom objects, fields (incl. every source-key field), relations and options."""
        req = SchemaRequirements()
        for plural, obj in self.custom_objects.items():
            req.objects.append(
                ObjectSpec(obj.singular, plural, obj.label, obj.label_plural, obj.description)
            )
            for name, rel in obj.relations.items():
                req.relations.append(
                    RelationSpec(
                        object=obj.singular,
                        name=name,
                        label=rel.label or name[:1].upper() + name[1:],
                        target=self.singular(rel.target),
                        inverse_label=rel.inverse_label or obj.label_plural,
                    )
                )
        declared: set[tuple[str, str]] = set()
        for target, fields in self.custom_fields.items():
            for name, field in fields.items():
                declared.add((target, name))
                options = (
                    self._custom_options(field)
                    if field.type in (FieldType.SELECT, FieldType.MULTI_SELECT)
                    else []
                )
                req.fields.append(
                    FieldSpec(
                        object=self.singular(target),
                        name=name,
                        label=field.label or name,
                        type=field.type,
                        options=options,
                        description=field.description,
                        source_name=self._source_name(target, name),
                    )
                )
        for obj_name, obj in self.objects.items():
            if obj.inventory or not obj.target or not obj.source_key_field:
                continue
            if STANDARD_OBJECTS.get(obj.target, {}).get("lookup"):
                continue  # read from Twenty, never given fields (workspace members)
            if (obj.target, obj.source_key_field) in declared:
                continue
            declared.add((obj.target, obj.source_key_field))
            req.fields.append(
                FieldSpec(
                    object=self.singular(obj.target),
                    name=obj.source_key_field,
                    label=f"{self.source.title()} {obj_name} id",
                    type=FieldType.TEXT,
                    source_name=obj.source_key or obj.derive_from and obj.derive_from.column,
                    description=f"Id of the record in {self.source} (audit, re-runs, delta loads)",
                )
            )
        for target, field in sorted(
            {(o.target, r.target) for o in self.objects.values() for r in o.fields if o.target}
        ):
            added = self._added_options(target, field)
            if (target, field) in STANDARD_OPTIONS and added:
                base = STANDARD_OPTIONS[(target, field)]
                new = [o for o in added if o.value not in base]
                if new:
                    req.fields.append(
                        FieldSpec(
                            object=self.singular(target),
                            name=field,
                            label=field,
                            type=FieldType.SELECT,
                            options=[
                                SelectOption(o.label, o.value, position=len(base) + i)
                                for i, o in enumerate(new)
                            ],
                            description="standard select: options to add",
                        )
                    )
        return req

    def _source_name(self, target: str, field: str) -> str | None:
        for obj in self.objects.values():
            if obj.target != target:
                continue
            for rule in obj.fields:
                if rule.target.split(".")[0] == field and rule.inputs:
                    return ", ".join(rule.inputs)
        return None

    def content(self) -> dict[str, Any]:
        """The map's content without its confirmation block: what the confirmation hashes."""
        return self.model_dump(mode="json", exclude={"confirmation"}, exclude_defaults=True)
