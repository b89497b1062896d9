"""What every shipped default map must satisfy on its sample: shared by the per-source tests."""

from __future__ import annotations

import json
from functools import cache

import polars as pl
from mapping_fixtures import MAPPINGS, SAMPLES

from workbench.mapping import load_default_map, row_accounting, stage
from workbench.mapping.spec import MapSpec
from workbench.records import Staged
from workbench.sources.base import SourceExport, get_source


@cache
def staged_sample(source: str) -> tuple[SourceExport, MapSpec, Staged]:
    """The sample export staged with the confirmed default map (once per test run)."""
    export = get_source(source).read_export(SAMPLES / source)
    spec = load_default_map(source)
    return export, spec, stage(export, spec)


def payloads(staged: Staged, map_object: str) -> dict[str, dict]:
    frame = staged.records[map_object]
    return dict(zip(frame["source_id"], map(json.loads, frame["payload"]), strict=True))


def refs(staged: Staged, map_object: str) -> dict[str, dict]:
    frame = staged.records[map_object]
    return dict(zip(frame["source_id"], map(json.loads, frame["refs"]), strict=True))


def raw_row(export: SourceExport, table: str, key: str, value: str) -> dict:
    rows = export.tables[table].frame.filter(pl.col(key) == value).to_dicts()
    assert len(rows) == 1, f"{table}.{key}={value}: {len(rows)} rows"
    return rows[0]


def assert_balanced(source: str) -> pl.DataFrame:
    export, spec, staged = staged_sample(source)
    accounting = row_accounting(export, spec, staged)
    print(f"\n{source}:\n{accounting}")
    unbalanced = accounting.filter(~pl.col("balanced"))
    assert unbalanced.is_empty(), unbalanced
    return accounting


def assert_reasons_name_the_problem(source: str) -> None:
    _, _, staged = staged_sample(source)
    for row in staged.quarantine.iter_rows(named=True):
        assert row["reason"] and row["column"], row
        assert row["column"].split(";")[0].split(",")[0] in row["reason"], row
    for row in staged.queue.iter_rows(named=True):
        assert row["reason"], row


def assert_every_object_key_kept(source: str) -> None:
    _, spec, staged = staged_sample(source)
    for name, frame in staged.records.items():
        key_field = spec.objects[name].source_key_field
        for sid, payload in zip(frame["source_id"], frame["payload"], strict=True):
            assert json.loads(payload)[key_field] == sid


def assert_map_covers_sample_tables(source: str) -> None:
    """Every table and inventory of the export is read by some map object."""
    export, spec, _ = staged_sample(source)
    mapped = {o.source_table for o in spec.objects.values()}
    missing = (set(export.tables) | set(export.inventory_data)) - mapped
    assert not missing, f"tables no map object reads: {missing}"
    assert (MAPPINGS / source / "map.yaml").exists()
