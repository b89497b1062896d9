"""Rows mapping already settled (quarantined values, queue rules, inventories) as plan outcomes.

The load plan must account for every source row; staging's quarantine and queue become
`rejected` and `queued` outcomes with their reasons, so the ledger and reconciliation see them.
"""

from __future__ import annotations

import polars as pl

from workbench.records import OUTCOME_SCHEMA, Outcome, Staged


def staged_outcomes(staged: Staged) -> pl.DataFrame:
    """One outcome row per quarantined or queued source row."""
    frames = []
    for frame, outcome in ((staged.quarantine, Outcome.REJECTED), (staged.queue, Outcome.QUEUED)):
        if frame.height == 0:
            continue
        rows = (
            frame.group_by("map_object", "source_id", "file", "line", maintain_order=True)
            .agg(pl.col("reason").unique(maintain_order=True).str.join("; "))
            .select(
                pl.format(
                    "{}:{}",
                    "map_object",
                    pl.when(pl.col("source_id").fill_null("") == "")
                    .then(pl.format("{}:{}", "file", "line"))
                    .otherwise("source_id"),
                ).alias("source_key"),
                "map_object",
                pl.lit(outcome.value).alias("outcome"),
                "reason",
                pl.lit(None, pl.Utf8).alias("merged_into"),
                pl.col("file").alias("_file"),
                pl.col("line").alias("_line"),
            )
        )
        frames.append(rows)
    if not frames:
        return pl.DataFrame(schema=OUTCOME_SCHEMA)
    return pl.concat(frames).select([pl.col(c).cast(t) for c, t in OUTCOME_SCHEMA.items()])


def with_staged_outcomes(plan_outcomes: pl.DataFrame, staged: Staged) -> pl.DataFrame:
    """The plan's outcomes plus staging's, each source key once (the plan's verdict wins)."""
    extra = staged_outcomes(staged)
    extra = extra.filter(~pl.col("source_key").is_in(plan_outcomes["source_key"].implode()))
    return pl.concat([plan_outcomes, extra])
