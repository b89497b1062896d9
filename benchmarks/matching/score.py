"""Score a matcher's clusters on an evaluation set, and the naive baselines any matcher must beat.

    python -m benchmarks.matching.score PREDICTIONS.csv --set dev    # contact_id,cluster
    python -m benchmarks.matching.score PREDICTIONS.csv --set febrl4 # id,cluster
    python -m benchmarks.matching.score --baselines --set dev

A prediction file names each row by its id (`contact_id` for the company sets, `id` for the FEBRL
exports) and gives its cluster label (empty: no cluster). Rows of the set missing from the file
count as unassigned and are reported; ids the set does not have are an error.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from benchmarks.matching.generate_companies import DEFAULT_OUT, write_sets
from benchmarks.matching.metrics import cluster_counts, cluster_scores, report


def load_set(name: str, data_dir: Path = DEFAULT_OUT) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """(rows with truth, company universe or None) of `dev`, `test` or a FEBRL set."""
    if name.startswith("febrl"):
        from benchmarks.matching.febrl import febrl_export

        return febrl_export(name)[0], None
    if name not in ("dev", "test"):
        raise SystemExit(f"unknown set {name!r}: expected dev, test, febrl1, febrl2 or febrl4")
    if not (data_dir / f"{name}.csv").exists():
        write_sets(data_dir)
    rows = pl.read_csv(data_dir / f"{name}.csv", infer_schema=False).fill_null("")
    universe = pl.read_csv(data_dir / f"companies_{name}.csv", infer_schema=False).fill_null("")
    return rows, universe


def attach(rows: pl.DataFrame, predictions: pl.DataFrame, key: str, column: str) -> pl.DataFrame:
    """The set's rows with a `predicted` column; refuses ids the set does not have."""
    unknown = predictions.join(rows.select(key), on=key, how="anti")
    if unknown.height:
        raise SystemExit(
            f"{unknown.height} predicted ids are not in the set, e.g. {unknown[key][0]}"
        )
    labels = predictions.select(pl.col(key), pl.col(column).alias("predicted"))
    return rows.join(labels.unique(key, keep="first"), on=key, how="left")


def _fold(text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().str.replace_all(r"[^\w]+", " ").str.strip_chars()


def _host(url: pl.Expr) -> pl.Expr:
    return (
        url.str.to_lowercase()
        .str.replace(r"^[a-z]+://", "")
        .str.replace(r"^www\.", "")
        .str.replace(r"/.*$", "")
    )


BASELINES: dict[str, Callable[[pl.DataFrame], pl.Expr]] = {
    "exact company text": lambda f: pl.col("company"),
    "case/punctuation-folded name": lambda f: _fold(pl.col("company")),
    "website host, else email domain": lambda f: (
        pl.when(pl.col("website") != "")
        .then(_host(pl.col("website")))
        .otherwise(pl.col("email").str.extract(r"@(.+)$", 1).str.to_lowercase())
    ),
}
PERSON_BASELINES: dict[str, Callable[[pl.DataFrame], pl.Expr]] = {
    "exact first+last+birth date": lambda f: pl.concat_str(
        "first_name", "last_name", "date_of_birth", separator="|"
    ),
    "exact social security id": lambda f: pl.col("soc_sec_id"),
}


def _print_scores(frame: pl.DataFrame, universe: pl.DataFrame | None, truth: str) -> None:
    if universe is not None:
        print(report(frame, universe, "predicted"))
        return
    s = cluster_scores(frame, "predicted", truth)
    c = cluster_counts(frame, "predicted", truth)
    print(
        f"pairs: precision {s.precision:.3f}  recall {s.recall:.3f}  f1 {s.f1:.3f}  "
        f"(tp {s.true_positives}, predicted {s.predicted_pairs}, true {s.true_pairs}); "
        f"{c['predicted_clusters']} clusters vs {c['true_companies']} entities"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions", nargs="?", type=Path)
    parser.add_argument("--set", default="dev", help="dev, test, febrl1, febrl2 or febrl4")
    parser.add_argument("--column", default="cluster", help="the predictions' label column")
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT, help="folder of dev/test CSVs")
    parser.add_argument("--baselines", action="store_true", help="score the naive baselines")
    args = parser.parse_args(argv)
    rows, universe = load_set(args.set, args.data)
    febrl = re.match(r"febrl\d$", args.set) is not None
    key, truth = ("id", "true_entity") if febrl else ("contact_id", "true_company_id")
    if args.baselines:
        for name, label in (PERSON_BASELINES if febrl else BASELINES).items():
            print(f"\n== baseline: {name} ({args.set}) ==")
            frame = rows.with_columns(label(rows).replace("", None).alias("predicted"))
            _print_scores(frame, universe, truth)
        return 0
    if args.predictions is None:
        parser.error("give a predictions CSV or --baselines")
    predictions = pl.read_csv(args.predictions, infer_schema=False)
    missing = {key, args.column} - set(predictions.columns)
    if missing:
        raise SystemExit(f"{args.predictions}: missing column(s) {sorted(missing)}")
    frame = attach(rows, predictions, key, args.column)
    absent = rows.join(predictions.select(key), on=key, how="anti").height
    print(f"{args.set}: {rows.height} rows, {absent} without a prediction")
    _print_scores(frame, universe, truth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
