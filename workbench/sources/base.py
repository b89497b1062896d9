"""What every source system module provides, and the registry of the five."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workbench.errors import ConfigError
from workbench.sources.headers import HeaderMatch, MissingFields, raise_missing
from workbench.sources.reader import ExportTable

SOURCE_NAMES = ("kartra", "allclients", "smartcrm", "altcraft", "salesmate")


@dataclass
class SourceExport:
    """A client's export as raw tables, one per source object, plus files and inventory data."""

    source: str
    root: Path
    tables: dict[str, ExportTable]
    assets: dict[str, Path] = field(default_factory=dict)  # e.g. {"attachments": <folder>}
    inventory_data: dict[str, Any] = field(default_factory=dict)  # sequences, workflows, …
    notes: list[str] = field(default_factory=list)  # what reading the export did (batches merged…)
    headers: list[HeaderMatch] = field(default_factory=list)  # file header → canonical field
    header_problems: list[MissingFields] = field(default_factory=list)

    def check_headers(self) -> None:
        """Raise one HeaderError naming every file whose headers lack a required field."""
        raise_missing(self.header_problems, self.source)


class SourceSystem(Protocol):
    """Each `workbench.sources.<name>` module satisfies this protocol."""

    NAME: str
    LABEL: str

    def read_export(self, root: Path) -> SourceExport: ...


def get_source(name: str) -> SourceSystem:
    """The module for one of the five source systems."""
    key = name.strip().lower()
    if key not in SOURCE_NAMES:
        raise ConfigError(f"unknown source {name!r}; expected one of {', '.join(SOURCE_NAMES)}")
    return importlib.import_module(f"workbench.sources.{key}")  # type: ignore[return-value]
