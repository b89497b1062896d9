"""A load in its own process, for the test that kills it: load_worker.py RUN_DIR LATENCY BATCH."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from emulated import connect  # noqa: E402
from synthetic import build_plan  # noqa: E402

from workbench.load import Ledger, run_load  # noqa: E402
from workbench.twenty.emulator import FaultPlan  # noqa: E402


def main(run_dir: Path, latency: float, batch: int) -> None:
    faults = FaultPlan(latency=latency)
    with (
        Ledger(run_dir) as ledger,
        connect(run_dir / "emulator.sqlite", faults, batch_size=batch) as client,
    ):
        print("loading", flush=True)
        report = run_load(build_plan(), client, ledger, mode="full")
        print(report, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
