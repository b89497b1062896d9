"""Rows mapping already settled (quarantined values, queue rules, inventories) as plan outcomes.

The load plan must account for every source row; staging's quarantine and queue become
`rejected` and `queued` outcomes with their reasons, so the ledger and reconciliation see them.
"""

from __future__ import annotations

import polars as pl

from workbench.records import OUTCOME_SCHEMA, Outcome, Staged


def staged_outcomes(staged: Staged) -> pl.DataFrame:
    """One outcome row per quarantined or queued source row (staging writes one row for each)."""
    frames = []
    for frame, outcome in ((staged.quarantine, Outcome.REJECTED), (staged.queue, Outcome.QUEUED)):
        if frame.height:
            frames.append(frame.with_columns(pl.lit(outcome.value).alias("outcome")))
    if not frames:
        return pl.DataFrame(schema=OUTCOME_SCHEMA)
    rows = pl.concat(frames, how="vertical_relaxed")
    # rows without a source id (inventory items) are known by file and line; items that share
    # a line (several stages of one pipeline) get a running number so each stays one row
    base = pl.format(
        "{}:{}",
        "map_object",
        pl.when(pl.col("source_id").fill_null("") == "")
        .then(pl.format("{}:{}", "file", "line"))
        .otherwise("source_id"),
    )
    rows = rows.with_columns(base.alias("source_key")).with_columns(
        pl.int_range(pl.len()).over("source_key").alias("_n")
    )
    key = (
        pl.when(pl.col("_n") == 0)
        .then(pl.col("source_key"))
        .otherwise(pl.format("{}#{}", "source_key", pl.col("_n") + 1))
    )
    return rows.select(
        key.alias("source_key"),
        "map_object",
        "outcome",
        "reason",
        pl.lit(None, pl.Utf8).alias("merged_into"),
        pl.col("file").alias("_file"),
        pl.col("line").alias("_line"),
    ).select([pl.col(c).cast(t) for c, t in OUTCOME_SCHEMA.items()])


def with_staged_outcomes(plan_outcomes: pl.DataFrame, staged: Staged) -> pl.DataFrame:
    """The plan's outcomes plus staging's, each source key once (the plan's verdict wins)."""
    extra = staged_outcomes(staged)
    extra = extra.filter(~pl.col("source_key").is_in(plan_outcomes["source_key"].implode()))
    return pl.concat([plan_outcomes, extra])
