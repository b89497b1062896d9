"""A source system's standard export schema (mappings/<source>/schema.yaml).

Discovery diffs an export's headers against it to find custom fields; readers use its file
patterns to find each object's files.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

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


class Compatibility(BaseModel):
    mapped_1to1: int
    total: int


class SourceSchema(BaseModel):
    source: str
    label: str
    objects: dict[str, ObjectSchema]
    compatibility: Compatibility | None = None
    timeline_weeks: tuple[int, int] | None = None


def load_source_schema(source: str, mappings_dir: Path = MAPPINGS_DIR) -> SourceSchema:
    path = mappings_dir / source / "schema.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return SourceSchema.model_validate(data)
    except FileNotFoundError as exc:
        raise MapValidationError("no standard export schema for this source", file=path) from exc
    except ValidationError as exc:
        raise MapValidationError(f"schema does not validate: {exc}", file=path) from exc
