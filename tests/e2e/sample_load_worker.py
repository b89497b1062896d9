"""A sample's load in its own process, for the test that kills it:
sample_load_worker.py PLAN_DIR RUN_DIR LATENCY BATCH."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from sample_loads import connect  # noqa: E402

from workbench.load import Ledger, run_load  # noqa: E402
from workbench.records import read_plan  # noqa: E402
from workbench.twenty.emulator import FaultPlan  # noqa: E402


def main(plan_dir: Path, run_dir: Path, latency: float, batch: int) -> None:
    with (
        Ledger(run_dir) as ledger,
        connect(run_dir / "emulator.sqlite", FaultPlan(latency=latency), batch) as client,
    ):
        print(run_load(read_plan(plan_dir), client, ledger, mode="full"), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
