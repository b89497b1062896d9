"""Custom fields: export columns that are not in the source's standard schema.

A client's headers differ from the documented ones in case and spacing ("First Name" for
`first_name`), so headers are compared by a normalised key, not verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unidecode import unidecode

from workbench.discovery.kinds import ColumnKind, Kind
from workbench.twenty.model import FieldType, SelectOption

TWENTY_TYPE: dict[Kind, FieldType] = {
    Kind.EMPTY: FieldType.TEXT,
    Kind.EMAIL: FieldType.EMAILS,
    Kind.PHONE: FieldType.PHONES,
    Kind.DATE: FieldType.DATE,
    Kind.DATETIME: FieldType.DATE_TIME,
    Kind.NUMBER: FieldType.NUMBER,
    Kind.CURRENCY: FieldType.CURRENCY,
    Kind.BOOLEAN: FieldType.BOOLEAN,
    Kind.SELECT: FieldType.SELECT,
    Kind.MULTI_SELECT: FieldType.MULTI_SELECT,
    Kind.ID: FieldType.TEXT,
    Kind.URL: FieldType.LINKS,
    Kind.TEXT: FieldType.TEXT,
}


@dataclass
class CustomField:
    """A column the standard schema does not know, with the Twenty field it suggests."""

    column: str
    kind: str
    twenty_type: FieldType
    options: list[SelectOption] = field(default_factory=list)
    completeness: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "column": self.column,
            "kind": self.kind,
            "twenty_type": str(self.twenty_type),
            "options": [{"label": o.label, "value": o.value} for o in self.options],
            "completeness": self.completeness,
        }


def header_key(name: str) -> str:
    """`First Name`, `first_name` and `FirstName` all become `firstname`."""
    return re.sub(r"[^a-z0-9]", "", unidecode(name).lower())


def option_value(label: str) -> str:
    """Twenty's option value: UPPER_SNAKE_CASE ASCII, starting with a letter."""
    value = re.sub(r"[^A-Z0-9]+", "_", unidecode(label).upper()).strip("_")
    return value if value and value[0].isalpha() else f"OPTION_{value or 'EMPTY'}"


def twenty_type(kind: ColumnKind) -> FieldType:
    if kind.kind == Kind.TEXT and kind.long:
        return FieldType.RICH_TEXT_V2
    return TWENTY_TYPE[kind.kind]


def select_options(labels: list[str]) -> list[SelectOption]:
    options: list[SelectOption] = []
    seen: set[str] = set()
    for label in labels:
        value = option_value(label)
        if value in seen:
            continue
        seen.add(value)
        options.append(SelectOption(label=label, value=value, position=len(options)))
    return options


def custom_fields(
    columns: list[str],
    standard: list[str],
    kinds: dict[str, ColumnKind],
    completeness: dict[str, float],
) -> list[CustomField]:
    """Columns not in `standard`, in export order, each with its suggested Twenty type."""
    known = {header_key(c) for c in standard}
    out = []
    for column in columns:
        if header_key(column) in known:
            continue
        kind = kinds[column]
        ftype = twenty_type(kind)
        options = (
            select_options(kind.options)
            if ftype in (FieldType.SELECT, FieldType.MULTI_SELECT)
            else []
        )
        out.append(
            CustomField(column, str(kind.kind), ftype, options, completeness.get(column, 0.0))
        )
    return out
