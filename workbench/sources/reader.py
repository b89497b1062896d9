"""One reader for every CSV export. (Minimal first version; being made robust.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from workbench.errors import ExportReadError
from workbench.records import QUARANTINE_SCHEMA, empty_frame


@dataclass
class ExportTable:
    """One source object read from one or more export files: every cell text, provenance kept."""

    object: str
    files: list[Path]
    frame: pl.DataFrame  # export columns (Utf8) + _file (Utf8) + _line (Int64)
    quarantine: pl.DataFrame = field(default_factory=lambda: empty_frame(QUARANTINE_SCHEMA))
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[str] = field(default_factory=list)  # renamed duplicate headers, skipped title lines…

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ("_file", "_line")]


def read_csv_export(path: str | Path, *, object_name: str | None = None) -> ExportTable:
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise ExportReadError("the file is empty", file=path.name, line=1)
    frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    frame = frame.with_columns(
        pl.lit(path.name).alias("_file"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("_line"),
    )
    return ExportTable(object=object_name or path.stem, files=[path], frame=frame)
