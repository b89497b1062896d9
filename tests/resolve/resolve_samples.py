"""Sample exports with ground truth, read once per test session."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from workbench.records import Staged
from workbench.sources.base import SourceExport, get_source

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
SOURCES = ("kartra", "allclients", "smartcrm", "altcraft", "salesmate")


@cache
def sample_export(source: str) -> SourceExport:
    if not (SAMPLES / source / "truth").is_dir():
        pytest.skip(f"no {source} sample")
    return get_source(source).read_export(SAMPLES / source)


@cache
def sample_staged(source: str) -> tuple[Staged, object]:
    mapping = pytest.importorskip("workbench.mapping")
    spec = mapping.load_map(Path(__file__).resolve().parents[2] / "mappings" / source / "map.yaml")
    return mapping.stage(sample_export(source), spec), spec


def truth(source: str, name: str) -> pl.DataFrame:
    frame = pl.read_csv(SAMPLES / source / "truth" / name, infer_schema=False)
    return frame.with_columns(pl.col("line").cast(pl.Int64)) if "line" in frame.columns else frame


def sample_members() -> list[dict[str, object]]:
    """The demo workspace's members, with ids as the destination would give them."""
    people = json.loads((SAMPLES / "workspace_members.json").read_text(encoding="utf-8"))
    return [
        {
            "id": f"member-{i}",
            "userEmail": p["email"],
            "name": {"firstName": p["firstName"], "lastName": p["lastName"]},
        }
        for i, p in enumerate(people)
    ]
