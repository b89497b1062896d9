"""Reader benchmark: one generated contacts export read as the formats clients send it.

    .venv/bin/python benchmarks/bench_reader.py               # 200,000 rows
    .venv/bin/python benchmarks/bench_reader.py --rows 1000000

The same rows as UTF-8 CSV (the baseline), as Excel's "Unicode Text" (UTF-16 LE with BOM,
tab-separated, .txt), as UTF-16 BE without a BOM, and as UTF-8 with NUL bytes inside one value
in a thousand and 4 KB of NUL padding at the end (read row by row, NULs repaired). Prints rows
read, repaired values, seconds, rows per second and peak memory of each read (child process).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_discovery import generate  # noqa: E402


def variants_paths(base: Path, folder: Path) -> dict[str, Path]:
    return {
        "utf-8 csv": base,
        "excel unicode text": folder / "contacts.txt",
        "utf-16 be, no bom": folder / "contacts_be.tsv",
        "utf-8 with nuls": folder / "contacts_nul.csv",
    }


def _write(base_path: str, rows: int) -> None:
    """The baseline and the three variants written next to it."""
    base = Path(base_path)
    generate(base, rows)
    out = variants_paths(base, base.parent)
    text = base.read_text(encoding="utf-8")
    tabbed = text.replace(",", "\t")  # generated values hold no commas inside quotes
    out["excel unicode text"].write_bytes(b"\xff\xfe" + tabbed.encode("utf-16-le"))
    out["utf-16 be, no bom"].write_bytes(tabbed.encode("utf-16-be"))
    lines = text.split("\n")
    for i in range(1, len(lines), 1000):
        lines[i] = lines[i].replace(",", ",\x00", 1)
    out["utf-8 with nuls"].write_bytes("\n".join(lines).encode("utf-8") + b"\x00" * 4096)


def _measure(path: str, queue: mp.Queue) -> None:
    from workbench.sources.reader import read_csv_export

    started = time.perf_counter()
    table = read_csv_export(path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = next((n for n in table.notes if n.startswith("read with")), "")
    queue.put((table.frame.height, table.repairs.height, table.quarantine.height, seconds,
               peak_mb, engine))  # fmt: skip


def measure(path: Path) -> tuple[int, int, int, float, float, str]:
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    child = context.Process(target=_measure, args=(str(path), queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "contacts.csv"
        # Written in a child so this process stays small: a measuring child inherits the
        # peak memory of the process that started it (ru_maxrss survives fork and exec).
        context = mp.get_context("spawn")
        writer = context.Process(target=_write, args=(str(base), args.rows))
        writer.start()
        writer.join()
        files = variants_paths(base, folder)
        print(f"{args.rows:,} rows, 40 columns")
        print(f"{'format':<20} {'MB':>6} {'rows':>9} {'repaired':>8} {'quar.':>5} "
              f"{'seconds':>7} {'rows/s':>9} {'peak MB':>8}  engine")  # fmt: skip
        for label, path in files.items():
            rows, repaired, quarantined, seconds, peak, engine = measure(path)
            size = path.stat().st_size / 1e6
            print(f"{label:<20} {size:>6.0f} {rows:>9,} {repaired:>8,} {quarantined:>5} "
                  f"{seconds:>7.2f} {rows / seconds:>9,.0f} {peak:>8,.0f}  {engine}")  # fmt: skip


if __name__ == "__main__":
    main()
