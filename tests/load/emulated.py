"""A client on an emulated workspace, reached in-process: shared by the load tests and the
worker process the kill/resume tests start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.twenty.client import TwentyClient
from workbench.twenty.emulator import FaultPlan, emulator_transport

BATCH = 10


def connect(db_path: Path, faults: FaultPlan | None = None, **kwargs: Any) -> TwentyClient:
    """A client on the emulated workspace in `db_path` (created on first use)."""
    transport = (
        emulator_transport(db_path, faults=faults) if faults else emulator_transport(db_path)
    )
    options = {
        "requests_per_minute": 100_000,
        "batch_size": BATCH,
        "backoff": 0.001,
        "progress": False,
    }
    return TwentyClient(
        "http://twenty-emulator", "emulator", transport=transport, **{**options, **kwargs}
    )
