"""Reading the samples' ground truth, for tests and benchmarks that measure a stage against it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "samples"


def read_truth(source: str, name: str, samples_dir: Path = SAMPLES_DIR) -> list[dict[str, str]]:
    """One truth CSV (e.g. "people.csv") of a source as dicts, every value text."""
    with (samples_dir / source / "truth" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_discovery(source: str, samples_dir: Path = SAMPLES_DIR) -> dict[str, Any]:
    """The planted counts a discovery run on the sample must reproduce."""
    return json.loads(
        (samples_dir / source / "truth" / "discovery.json").read_text(encoding="utf-8")
    )


def rows_by_line(path: Path, delimiter: str | None = None) -> dict[int, dict[str, str]]:
    """Each data row of an export file keyed by the physical line on which it starts.

    The delimiter defaults to `;` when the header has more of those than commas.
    """
    rows: dict[int, dict[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        if delimiter is None:
            first = fh.readline()
            delimiter = ";" if first.count(";") > first.count(",") else ","
            fh.seek(0)
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader)
        start = reader.line_num + 1
        for values in reader:
            rows[start] = dict(zip(header, values, strict=False))
            start = reader.line_num + 1
    return rows
