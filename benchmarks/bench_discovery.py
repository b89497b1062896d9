"""Discovery benchmark: generate an N-row, 40-column contacts export, read it and profile it.

    .venv/bin/python benchmarks/bench_discovery.py                # 1,000,000 rows, full discovery
    .venv/bin/python benchmarks/bench_discovery.py --rows 10000000  # streaming profile only

Targets (2-core machine): 1M rows ≤ 20 s and ≤ 3 GB peak memory; 10M rows must finish without
running out of memory. Each measurement runs in a child process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

STREAMING_ABOVE = 2_000_000  # rows beyond which only the streaming profile runs
CHUNK = 1_000_000
AREA_CODES = ["415", "512", "303", "617", "206", "305", "312", "503", "212", "646"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A contacts export shaped like the samples: ids, names, emails, phones, dates, tags,
    select-like and free-text custom columns, with a few percent of dirty values."""
    first = True
    with open(path, "wb") as out:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            frame = _chunk(start, n, seed)
            frame.write_csv(out, include_header=first)
            first = False


def _chunk(start: int, n: int, seed: int) -> pl.DataFrame:
    i = pl.int_range(start, start + n, eager=True).alias("i")
    h = i.hash(seed)
    firsts = ["Ann", "Bob", "Cy", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo"]
    lasts = ["Lee", "Ng", "Smith", "Garcia", "Okafor", "Fischer", "Brooks", "Ruiz"]
    tags = ["VIP", "vip ", "customer", "Hot Lead", "cold", "webinar-attended", "form_completed"]
    frame = pl.DataFrame({"i": i, "h": h}).with_columns(
        pl.col("i").cast(pl.Utf8).alias("id"),
        pl.lit(pl.Series(firsts)).gather(pl.col("h") % len(firsts)).alias("first_name"),
        pl.lit(pl.Series(lasts)).gather((pl.col("h") // 7) % len(lasts)).alias("last_name"),
    )
    frame = frame.with_columns(
        pl.when(pl.col("h") % 50 == 0)
        .then(pl.lit(""))
        .when(pl.col("h") % 53 == 0)
        .then(pl.format("{}.{}@", "first_name", "last_name"))
        .otherwise(
            pl.format("{}.{}{}@example{}.com", "first_name", "last_name", "i", pl.col("h") % 40)
        )
        .alias("email"),
        pl.when(pl.col("h") % 37 == 0)
        .then(pl.lit("call me"))
        .when(pl.col("h") % 41 == 0)
        .then(pl.lit("4.15555E+09"))
        .otherwise(
            pl.format(
                "({}) {}-{}",
                pl.lit(pl.Series(AREA_CODES)).gather(pl.col("h") % len(AREA_CODES)),
                (200 + pl.col("h") // 11 % 800).cast(pl.Utf8),
                (pl.col("h") // 9001 % 10000).cast(pl.Utf8).str.zfill(4),
            )
        )
        .alias("phone"),
        pl.format(
            "2{}-{}-{} {}:{}:00",
            (pl.col("h") % 10).cast(pl.Utf8).str.zfill(3),
            (1 + pl.col("h") % 12).cast(pl.Utf8).str.zfill(2),
            (1 + pl.col("h") // 13 % 28).cast(pl.Utf8).str.zfill(2),
            (pl.col("h") % 24).cast(pl.Utf8).str.zfill(2),
            (pl.col("h") % 60).cast(pl.Utf8).str.zfill(2),
        ).alias("date_joined"),
        pl.format("{}/{}/2021", 1 + pl.col("h") % 12, 1 + pl.col("h") // 5 % 28).alias(
            "renewal_date"
        ),
        pl.concat_str(
            [
                pl.lit(pl.Series(tags)).gather(pl.col("h") % len(tags)),
                pl.lit(pl.Series(tags)).gather(pl.col("h") // 3 % len(tags)),
            ],
            separator=", ",
        ).alias("tags"),
        (pl.col("h") % 100).cast(pl.Utf8).alias("score"),
        pl.when(pl.col("h") % 9 == 0).then(pl.lit("1")).otherwise(pl.lit("0")).alias("blacklisted"),
        (pl.col("h") % 90000 + 10000).cast(pl.Utf8).str.zfill(5).alias("zip"),
    )
    industries = ["SaaS", "Agency", "Coaching", "E-commerce", "Education", "Other"]
    customs = {
        f"custom_select_{k}": pl.lit(pl.Series(industries)).gather(
            (pl.col("h") // (k + 2)) % len(industries)
        )
        for k in range(10)
    }
    customs |= {
        f"custom_text_{k}": pl.format("note {} about {}", "i", pl.col("h") % (k + 97))
        for k in range(10)
    }
    customs |= {f"custom_number_{k}": (pl.col("h") % (1000 + k)).cast(pl.Utf8) for k in range(8)}
    frame = frame.with_columns(**customs)
    return frame.drop("i", "h")


def _measure(task: str, path: str, queue: mp.Queue) -> None:
    """Runs in a child process: times each step and reports the child's own peak RSS."""
    from workbench.discovery import discover_table
    from workbench.discovery.profile import profile_lazy
    from workbench.sources.reader import read_csv_export, scan_csv_export

    figures: dict[str, float | int | str] = {}
    t0 = time.perf_counter()
    if task == "full":
        table = read_csv_export(path, object_name="contacts")
        figures["read_s"] = round(time.perf_counter() - t0, 2)
        figures["rows"] = table.frame.height
        figures["engine"] = table.notes[-1]
        t1 = time.perf_counter()
        found = discover_table(table, None)
        figures["discover_s"] = round(time.perf_counter() - t1, 2)
        figures["flags"] = json.dumps(found.flag_summary.select("flag", "rows").to_dicts())
        figures["kinds"] = json.dumps({c: str(k.kind) for c, k in found.kinds.items()})
    else:
        lazy, _ = scan_csv_export(path)
        profile = profile_lazy(lazy)
        figures["rows"] = int(lazy.select(pl.len()).collect(engine="streaming").item())
        figures["columns_profiled"] = profile.height
    figures["total_s"] = round(time.perf_counter() - t0, 2)
    figures["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2)
    queue.put(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the generated export here and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "contacts.csv"
        t0 = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size
        print(
            f"generated {args.rows:,} rows x 40 columns, {size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s"
        )
        task = "full" if args.rows <= STREAMING_ABOVE else "streaming"
        queue: mp.Queue = mp.get_context("spawn").Queue()
        child = mp.get_context("spawn").Process(target=_measure, args=(task, str(path), queue))
        child.start()
        figures = queue.get()
        child.join()
    print(f"task: {task}")
    for key, value in figures.items():
        print(f"  {key}: {value}")
    ok = figures["total_s"] <= 20 and figures["peak_rss_gb"] <= 3 if task == "full" else True
    print("target met" if ok else "TARGET MISSED (1M rows: ≤ 20 s, ≤ 3 GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
