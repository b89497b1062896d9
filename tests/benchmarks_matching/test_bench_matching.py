"""The matching benchmark runs the workbench's own dedupe and scores it, on small sets."""

from __future__ import annotations

import polars as pl

from benchmarks.bench_matching import bench_companies, bench_people, company_rows
from benchmarks.matching.generate_companies import generate_split


def test_company_benchmark_reports_every_figure_on_a_tiny_set() -> None:
    frame, universe = generate_split(0, 25, 120, seed=5)
    text = bench_companies(frame.with_columns(pl.col(pl.Utf8).fill_null("")), universe)
    for part in ("precision", "recall", "f1", "clusters:", "look-alikes merged", "per 1,000 rows"):
        assert part in text
    assert "per error kind:" in text and "typo" in text


def test_company_sets_read_back_as_an_export() -> None:
    frame, universe = company_rows("dev", companies=20, rows=80)
    assert frame.height == 80 and frame["company"].null_count() == 0
    assert universe.height == 20


def test_people_benchmark_scores_a_febrl_set() -> None:
    text = bench_people("febrl1")
    f1 = float(text.split("F1 ")[1].split()[0])
    assert 0.9 <= f1 <= 1.0 and "review queue" in text
