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
class UnreadFile:
    """A file of the export folder that was not read, and why (said to the analyst)."""

    file: str  # path relative to the export folder
    reason: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


@dataclass
class SourceExport:
    """A client's export as raw tables, one per source object, plus files and inventory data."""

    source: str
    root: Path
    tables: dict[str, ExportTable]
    assets: dict[str, Path] = field(default_factory=dict)  # e.g. {"attachments": <folder>}
    inventory_data: dict[str, Any] = field(default_factory=dict)  # sequences, workflows, …
    notes: list[str] = field(default_factory=list)  # what reading the export did (batches merged…)
    unread: list[UnreadFile] = field(default_factory=list)  # files that could not be read
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
