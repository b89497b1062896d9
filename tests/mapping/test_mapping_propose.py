"""The proposal: the right target first for ≥ 90% of each sample's columns, default map withheld."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from mapping_fixtures import MAPPINGS, SAMPLES

from workbench.mapping import load_confirmed_map, propose_map, stage
from workbench.mapping.stage import StageParams
from workbench.sources.base import get_source
from workbench.sources.schema import load_source_schema

SOURCES = [
    s
    for s in ("kartra", "allclients", "smartcrm", "altcraft", "salesmate")
    if (SAMPLES / s / "truth" / "columns.csv").exists() and (MAPPINGS / s / "schema.yaml").exists()
]


def _norm(field: str | None) -> str:
    return (field or "").replace(".markdown", "").replace(".primaryLinkUrl", "")


def accuracy(source: str) -> tuple[float, int, list[tuple]]:
    root = SAMPLES / source
    export = get_source(source).read_export(root)
    proposal = propose_map(export, load_source_schema(source), None)
    by_column = {(c.table, c.column): c for c in proposal.columns}
    files = {}
    for name, table in export.tables.items():
        for f in table.files:
            files[str(Path(f).resolve().relative_to(root.resolve()))] = name
            files.setdefault(Path(f).name, name)
    truth = pl.read_csv(root / "truth" / "columns.csv", infer_schema=False)
    right, total, misses = 0, 0, []
    for row in truth.iter_rows(named=True):
        table = files.get(row["file"])
        if table is None:
            continue
        total += 1
        got = by_column.get((table, row["column"]))
        ok = got is not None and (
            (got.object == row["object"] and _norm(got.field) == _norm(row["field"]))
            or (row["object"] == "inventory" and got.object == "inventory")
        )
        right += ok
        if not ok:
            misses.append((table, row["column"], row["field"], got and got.field))
    return right / max(total, 1), total, misses


@pytest.mark.parametrize("source", SOURCES)
def test_proposal_accuracy(source):
    share, total, misses = accuracy(source)
    print(
        f"\n{source}: right target first for {share:.1%} of {total} columns; misses: {misses[:8]}"
    )
    assert total > 0
    assert share >= 0.9


@pytest.mark.parametrize("source", SOURCES)
def test_proposal_becomes_a_stageable_unconfirmed_map(source):
    export = get_source(source).read_export(SAMPLES / source)
    proposal = propose_map(export, load_source_schema(source), None)
    spec = proposal.to_map()
    assert spec.confirmation is None
    frame = proposal.to_frame()
    assert {"column", "field", "confidence", "evidence"} <= set(frame.columns)
    staged = stage(export, spec, params=StageParams(limit=20))
    assert staged.records


@pytest.mark.parametrize("source", [s for s in SOURCES if (MAPPINGS / s / "map.yaml").exists()])
def test_default_map_first(source):
    export = get_source(source).read_export(SAMPLES / source)
    default = load_confirmed_map(MAPPINGS / source / "map.yaml")
    proposal = propose_map(export, load_source_schema(source), default)
    assert any(c.from_default for c in proposal.columns)
    assert proposal.to_map().confirmation is None  # never auto-confirmed
