"""Matching accuracy on evaluation data the matchers were not tuned on.

Companies: the dev and test sets of benchmarks/matching (AllClients-like contact rows, fixed
seeds, disjoint company universes) go through `dedupe_companies` exactly as the pipeline calls
it (company name, website, contact email). People: the FEBRL sets as Kartra-like lead exports go
through `dedupe_people` with the "merge" policy; febrl1 and febrl2 are development data (the
contact model's weights were fitted on them), febrl4 (both halves as one export) is the test.
Prints pairwise precision/recall/F1, clusters against true entities, look-alike companies
merged, review pairs per 1,000 rows and a table per error kind.

Run: .venv/bin/python benchmarks/bench_matching.py [--sets dev test febrl1 febrl2 febrl4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.matching.generate_companies import generate_split  # noqa: E402
from benchmarks.matching.metrics import cluster_scores, report  # noqa: E402
from benchmarks.people_data import febrl_export, people_columns  # noqa: E402
from workbench.resolve import dedupe_companies, dedupe_people  # noqa: E402

COMPANY_SEEDS = {"dev": (0, 20240611), "test": (1, 99173)}  # the evaluation sets' own defaults


def company_rows(
    name: str, companies: int = 600, rows: int = 3000
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(contact rows with truth, company universe) of the dev or test set."""
    split, seed = COMPANY_SEEDS[name]
    frame, universe = generate_split(split, companies, rows, seed)
    # As the CSV reads back: empty cells are empty strings, as in an export.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.csv"
        frame.write_csv(path)
        frame = pl.read_csv(path, infer_schema=False).fill_null("")
    return frame, universe


def bench_companies(frame: pl.DataFrame, universe: pl.DataFrame) -> str:
    """Cluster the set's company mentions and report every score."""
    truthless = frame.drop("true_company_id", "error_kinds")
    started = time.perf_counter()
    result = dedupe_companies(truthless, "company", "website", "email", "city")
    elapsed = time.perf_counter() - started
    scored = frame.with_columns(result.rows["cluster"].cast(pl.Utf8).alias("predicted"))
    per_thousand = 1000 * result.review.height / frame.height
    return (
        f"{frame.height} rows, {elapsed:.2f} s; review queue {result.review.height} pairs "
        f"({per_thousand:.1f} per 1,000 rows)\n" + report(scored, universe, "predicted")
    )


def bench_people(name: str) -> str:
    """Find duplicate leads in one FEBRL set and score them against its true persons."""
    frame, truth = febrl_export(name)
    started = time.perf_counter()
    found = dedupe_people(frame, key_col="id", policy="merge", **people_columns())
    elapsed = time.perf_counter() - started
    scored = pl.DataFrame({"predicted": found.rows["person"].cast(pl.Utf8), "true_entity": truth})
    s = cluster_scores(scored, "predicted", "true_entity")
    return (
        f"{frame.height} rows, {elapsed:.2f} s: precision {s.precision:.4f} recall "
        f"{s.recall:.4f} F1 {s.f1:.4f} (tp {s.true_positives}, predicted {s.predicted_pairs}, "
        f"true {s.true_pairs}); {scored['predicted'].n_unique()} people for "
        f"{len(set(truth))} true; review queue {found.review.height} pairs "
        f"({1000 * found.review.height / frame.height:.1f} per 1,000 rows)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=["dev", "test", "febrl1", "febrl2", "febrl4"])
    args = parser.parse_args()
    for name in args.sets:
        role = "test" if name in ("test", "febrl4") else "dev"
        if name in COMPANY_SEEDS:
            print(f"\n--- companies, {name} set ({role}) ---")
            print(bench_companies(*company_rows(name)), flush=True)
        else:
            print(f"\n--- people, {name} ({role}) ---")
            print(bench_people(name), flush=True)


if __name__ == "__main__":
    main()
