"""Run every benchmark in turn and print its figures (`make benchmarks`).

Each script stands alone too: `python benchmarks/bench_discovery.py --help`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "bench_discovery.py",
    "bench_reader.py",
    "bench_resolve.py",
    "bench_headers.py",
    "bench_load.py",
    "bench_filters.py",
    "bench_payload_splits.py",
    "bench_rollback.py",
    "bench_matching.py",
)


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n=== {script} ===", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
