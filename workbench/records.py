"""Typed records that travel between stages: staged records, the load plan, outcomes.

The column schemas here are the contract between mapping, resolve and load; a stage that
produces one of these frames builds it with `empty_frame()` or checks it with `check_frame()`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import polars as pl

STAGED_SCHEMA: dict[str, pl.DataType] = {
    "map_object": pl.Utf8,
    "source_id": pl.Utf8,
    "target": pl.Utf8,
    "payload": pl.Utf8,
    "refs": pl.Utf8,
    "flags": pl.List(pl.Utf8),
    "_file": pl.Utf8,
    "_line": pl.Int64,
}

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "map_object": pl.Utf8,
    "source_id": pl.Utf8,
    "file": pl.Utf8,
    "line": pl.Int64,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "reason": pl.Utf8,
}

QUEUE_SCHEMA = QUARANTINE_SCHEMA

# Cells the reader repaired (e.g. NUL bytes removed): the value as kept, and what was done.
REPAIR_SCHEMA: dict[str, pl.DataType] = {
    "repair": pl.Utf8,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "_file": pl.Utf8,
    "_line": pl.Int64,
}
NUL_REMOVED = "nul_removed"

PLAN_SCHEMA: dict[str, pl.DataType] = {
    "record_key": pl.Utf8,
    "source_keys": pl.List(pl.Utf8),
    "payload": pl.Utf8,
    "refs": pl.Utf8,
    "_file": pl.Utf8,
    "_line": pl.Int64,
}

OUTCOME_SCHEMA: dict[str, pl.DataType] = {
    "source_key": pl.Utf8,
    "map_object": pl.Utf8,
    "outcome": pl.Utf8,
    "reason": pl.Utf8,
    "merged_into": pl.Utf8,
    "_file": pl.Utf8,
    "_line": pl.Int64,
}


class Outcome(StrEnum):
    """What became of one source record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MERGED = "merged"
    REJECTED = "rejected"
    QUEUED = "queued"
    FAILED = "failed"


def record_key(map_object: str, source_id: str) -> str:
    """The key a record carries from staging to the ledger."""
    return f"{map_object}:{source_id}"


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def check_frame(frame: pl.DataFrame, schema: dict[str, pl.DataType], what: str) -> pl.DataFrame:
    """Fail loudly when a stage hands over a frame that breaks the contract."""
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing columns {missing}")
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def dumps(value: Any) -> str:
    """JSON as stored in payload/refs columns: stable key order, so hashes are stable."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass
class Staged:
    """Output of mapping: records per map object, plus what could not be staged."""

    records: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame = field(default_factory=lambda: empty_frame(QUARANTINE_SCHEMA))
    queue: pl.DataFrame = field(default_factory=lambda: empty_frame(QUEUE_SCHEMA))


@dataclass
class Phase:
    """One step of the load: records of one Twenty object, sent after the phases before it."""

    name: str
    target: str
    records: pl.DataFrame
    map_objects: list[str] = field(default_factory=list)
    key_field: str | None = None  # custom field holding the source id on the Twenty record


@dataclass
class LoadPlan:
    """Phases in dependency order plus the source records that end before the load."""

    phases: list[Phase]
    outcomes: pl.DataFrame = field(default_factory=lambda: empty_frame(OUTCOME_SCHEMA))


def write_staged(staged: Staged, folder: Path) -> None:
    """Persist staged records so the next notebook (another kernel) can read them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in staged.records.items():
        frame.write_parquet(folder / f"{name}.parquet")
    staged.quarantine.write_parquet(folder / "_quarantine.parquet")
    staged.queue.write_parquet(folder / "_queue.parquet")
    (folder / "_objects.json").write_text(dumps(list(staged.records)), encoding="utf-8")


def read_staged(folder: Path) -> Staged:
    names = json.loads((folder / "_objects.json").read_text(encoding="utf-8"))
    return Staged(
        records={name: pl.read_parquet(folder / f"{name}.parquet") for name in names},
        quarantine=pl.read_parquet(folder / "_quarantine.parquet"),
        queue=pl.read_parquet(folder / "_queue.parquet"),
    )


def write_plan(plan: LoadPlan, folder: Path) -> None:
    """Persist a load plan: one parquet per phase plus an index in order."""
    folder.mkdir(parents=True, exist_ok=True)
    index = []
    for position, phase in enumerate(plan.phases):
        file_name = f"{position:02d}_{phase.name}.parquet"
        phase.records.write_parquet(folder / file_name)
        index.append(
            {
                "name": phase.name,
                "target": phase.target,
                "map_objects": phase.map_objects,
                "key_field": phase.key_field,
                "file": file_name,
            }
        )
    plan.outcomes.write_parquet(folder / "_outcomes.parquet")
    (folder / "_phases.json").write_text(json.dumps(index, indent=2), encoding="utf-8")


def read_plan(folder: Path) -> LoadPlan:
    index = json.loads((folder / "_phases.json").read_text(encoding="utf-8"))
    phases = [
        Phase(
            name=item["name"],
            target=item["target"],
            records=pl.read_parquet(folder / item["file"]),
            map_objects=item["map_objects"],
            key_field=item["key_field"],
        )
        for item in index
    ]
    return LoadPlan(phases=phases, outcomes=pl.read_parquet(folder / "_outcomes.parquet"))


def reason_kind(reason: pl.Expr, width: int = 80) -> pl.Expr:
    """What was wrong, without the value a reason quotes, so equal problems group together."""
    return reason.fill_null("").str.replace(r"'.*'", "…").str.slice(0, width)


def staged_flags(staged: Staged) -> pl.DataFrame:
    """One row per note a transform left on a staged value: map object, field, what, full note."""
    frames = [
        f.select("map_object", "flags").explode("flags").drop_nulls("flags")
        for f in staged.records.values()
        if f.height
    ]
    schema = {"map_object": pl.Utf8, "field": pl.Utf8, "what": pl.Utf8, "flag": pl.Utf8}
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).select(
        "map_object",
        pl.col("flags").str.split(":").list.first().alias("field"),
        reason_kind(pl.col("flags").str.replace(r"^[^:]*:\s*", "")).alias("what"),
        pl.col("flags").alias("flag"),
    )
