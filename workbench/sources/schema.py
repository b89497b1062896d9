"""A source system's standard export schema (mappings/<source>/schema.yaml).

Discovery diffs an export's headers against it to find custom fields; readers use its file
patterns to find each object's files; header resolution (`workbench.sources.headers`) uses the
known header forms of each field (`aliases`) to give every later stage canonical names.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError
from unidecode import unidecode

from workbench.errors import MapValidationError

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "mappings"


class ObjectSchema(BaseModel):
    """One source object as the system exports it."""

    label: str | None = None
    files: list[str] = Field(default_factory=list)  # glob patterns inside the export folder
    key: str | None = None  # the source id column
    columns: list[str] = Field(default_factory=list)  # standard (non-custom) columns
    created_at: str | None = None
    email: str | None = None
    tags: list[str] = Field(default_factory=list)  # multi-valued (comma/semicolon) columns
    status_markers: list[str] = Field(default_factory=list)  # bounced / unsubscribed / stale
    inventory: bool = False  # written deliverable, not records in Twenty
    # other header forms of a canonical column (UI export labels, old names); case, spaces,
    # underscores and punctuation never need listing: headers are compared normalised
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    aliases_basis: str | None = None  # where the forms come from: documented or assumed
    required: list[str] = Field(default_factory=list)  # fields a file of this object must have

    def known_columns(self) -> list[str]:
        """Every standard column, those named only as key/email/date/tags included."""
        named = [self.key, self.created_at, self.email, *self.tags, *self.status_markers]
        return list(dict.fromkeys([*self.columns, *(c for c in named if c)]))


class Compatibility(BaseModel):
    mapped_1to1: int
    total: int


class SourceSchema(BaseModel):
    source: str
    label: str
    objects: dict[str, ObjectSchema]
    compatibility: Compatibility | None = None
    timeline_weeks: tuple[int, int] | None = None


def normalise_header(text: str) -> str:
    """`First Name`, `first_name`, `FIRST-NAME`, `\\ufeffFirstName` all become `firstname`."""
    return re.sub(r"[^a-z0-9]", "", unidecode(text.replace("\ufeff", "")).casefold())


def form_clashes(name: str, spec: ObjectSchema) -> list[str]:
    """Header forms that would resolve to two fields, or to nothing (schema mistakes)."""
    seen: dict[str, str] = {}
    clashes = []
    pairs = [(c, c) for c in spec.known_columns()]
    pairs += [(a, c) for c, aliases in spec.aliases.items() for a in aliases]
    for text, column in pairs:
        form = normalise_header(text)
        if not form:
            clashes.append(f"{name}: header form {text!r} has no letters or digits")
        elif seen.setdefault(form, column) != column:
            clashes.append(f"{name}: header form {text!r} names both {seen[form]!r} and {column!r}")
    for column in [*spec.aliases, *spec.required]:
        if column not in spec.known_columns():
            clashes.append(f"{name}: {column!r} is not one of the object's columns")
    return clashes


def load_source_schema(source: str, mappings_dir: Path = MAPPINGS_DIR) -> SourceSchema:
    path = mappings_dir / source / "schema.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema = SourceSchema.model_validate(data)
    except FileNotFoundError as exc:
        raise MapValidationError("no standard export schema for this source", file=path) from exc
    except ValidationError as exc:
        raise MapValidationError(f"schema does not validate: {exc}", file=path) from exc
    clashes = [c for name, spec in schema.objects.items() for c in form_clashes(name, spec)]
    if clashes:
        raise MapValidationError("; ".join(clashes), file=path)
    return schema
