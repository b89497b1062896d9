"""Per-column profile of a table: completeness, distinct values, kind, top values, samples."""

from __future__ import annotations

import polars as pl

from workbench.discovery.kinds import ColumnKind, clean, infer_kind

TOP_VALUES = 5
SAMPLES = 3
LAZY_SAMPLE_ROWS = 100_000
PARALLEL_COUNTS = 8  # columns whose values are counted at the same time

PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "column": pl.Utf8,
    "filled": pl.Int64,
    "completeness": pl.Float64,
    "distinct": pl.Int64,
    "kind": pl.Utf8,
    "formats": pl.List(pl.Utf8),
    "options": pl.List(pl.Utf8),
    "top_values": pl.List(pl.Utf8),
    "sample": pl.List(pl.Utf8),
    "max_length": pl.Int64,
}


def data_columns(frame: pl.DataFrame | pl.LazyFrame) -> list[str]:
    names = frame.collect_schema().names() if isinstance(frame, pl.LazyFrame) else frame.columns
    return [c for c in names if c not in ("_file", "_line")]


def profile_columns(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, ColumnKind]]:
    """One profile row per export column, plus each column's inferred kind."""
    columns = data_columns(frame)
    rows = frame.height
    cleaned = frame.select([clean(pl.col(c)).alias(c) for c in columns])
    stats = cleaned.select(
        *[pl.col(c).count().alias(f"{c}\x00filled") for c in columns],
        *[pl.col(c).str.len_chars().max().alias(f"{c}\x00max") for c in columns],
    ).row(0, named=True)
    kinds: dict[str, ColumnKind] = {}
    records = []
    tops = _top_values(cleaned, columns, stats)
    for c in columns:
        values = cleaned.get_column(c).drop_nulls()
        kinds[c] = infer_kind(c, values)
        records.append(_row(c, rows, stats, values, kinds[c], tops[c]))
    return pl.DataFrame(records, schema=PROFILE_SCHEMA, orient="row"), kinds


def _top_values(
    cleaned: pl.DataFrame, columns: list[str], stats: dict[str, object]
) -> dict[str, pl.DataFrame | None]:
    """Each column's most frequent values; its distinct count goes into `stats`. Counted a few
    columns at a time in parallel, so only a few full counts are held at once."""
    tops: dict[str, pl.DataFrame | None] = {}
    lazy = cleaned.lazy()
    for start in range(0, len(columns), PARALLEL_COUNTS):
        batch = columns[start : start + PARALLEL_COUNTS]
        counted = pl.collect_all(
            [lazy.select(pl.col(c).drop_nulls().value_counts(sort=True)).unnest(c) for c in batch]
        )
        for c, counts in zip(batch, counted, strict=True):
            stats[f"{c}\x00distinct"] = counts.height
            tops[c] = counts.head(TOP_VALUES) if counts.height else None
    return tops


def profile_lazy(lazy: pl.LazyFrame, sample_rows: int = LAZY_SAMPLE_ROWS) -> pl.DataFrame:
    """Profile of a table too big to hold: counts stream through; distinct counts are
    estimates (HyperLogLog), kinds, samples and top values come from the first rows."""
    columns = data_columns(lazy)
    cleaned = lazy.select([clean(pl.col(c)).alias(c) for c in columns])
    stats = (
        cleaned.select(
            pl.len().alias("\x00rows"),
            *[pl.col(c).count().alias(f"{c}\x00filled") for c in columns],
            *[pl.col(c).drop_nulls().approx_n_unique().alias(f"{c}\x00distinct") for c in columns],
            *[pl.col(c).str.len_chars().max().alias(f"{c}\x00max") for c in columns],
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    head = cleaned.head(sample_rows).collect()
    records = []
    for c in columns:
        values = head.get_column(c).drop_nulls()
        records.append(_row(c, stats["\x00rows"], stats, values, infer_kind(c, values)))
    return pl.DataFrame(records, schema=PROFILE_SCHEMA, orient="row")


def _row(
    column: str,
    rows: int,
    stats: dict[str, object],
    values: pl.Series,
    kind: ColumnKind,
    counts: pl.DataFrame | None = None,
) -> tuple[object, ...]:
    filled = int(stats[f"{column}\x00filled"] or 0)  # type: ignore[call-overload]
    if counts is None and values.len():
        counts = values.value_counts(sort=True)
    top = counts.head(TOP_VALUES) if counts is not None else None
    top_values = [f"{v} ({n})" for v, n in top.iter_rows()] if top is not None else []
    sample = first_distinct(values, SAMPLES)
    return (
        column,
        filled,
        round(filled / rows, 4) if rows else 0.0,
        int(stats[f"{column}\x00distinct"] or 0),  # type: ignore[call-overload]
        str(kind.kind),
        kind.formats,
        kind.options[:50],
        top_values,
        [str(s)[:80] for s in sample],
        int(stats[f"{column}\x00max"] or 0),  # type: ignore[call-overload]
    )


def first_distinct(values: pl.Series, n: int) -> list[object]:
    """The first `n` distinct values in order of appearance, looking at as few rows as it takes
    (the same list as `values.unique(maintain_order=True).head(n)`)."""
    size = 1024
    while True:
        found = values.head(size).unique(maintain_order=True).head(n).to_list()
        if len(found) == n or size >= values.len():
            return found
        size *= 8


def duplicate_keys(frame: pl.DataFrame, key: str) -> pl.DataFrame:
    """Rows whose key value appears more than once: key, rows, and where they are."""
    if key not in frame.columns:
        return pl.DataFrame(schema={key: pl.Utf8, "rows": pl.UInt32, "where": pl.List(pl.Utf8)})
    keyed = frame.select(clean(pl.col(key)).alias(key), "_file", "_line").drop_nulls(key)
    return (
        keyed.with_columns(pl.format("{}:{}", "_file", "_line").alias("where"))
        .group_by(key, maintain_order=True)
        .agg(pl.len().alias("rows"), pl.col("where"))
        .filter(pl.col("rows") > 1)
    )
