"""What a load run reports: per phase, the outcomes, what was sent and the check that ended it."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from workbench.errors import WorkbenchError
from workbench.load.reconcile import PhaseCheck
from workbench.records import Outcome


@dataclass
class PhaseReport:
    """What one phase did in this run, and whether it reconciled."""

    name: str
    target: str
    counts: dict[str, int]
    sent: int = 0
    seconds: float = 0.0
    check: PhaseCheck | None = None
    batches: int = 0  # create requests (a split batch and each of its halves count)
    split_batches: int = 0  # batches Twenty refused whole, split to find the bad records
    requests: int | None = None  # every HTTP request of the phase (lookups, checks included)

    @property
    def reconciled(self) -> bool:
        return self.check is not None and self.check.ok


@dataclass
class LoadReport:
    """The run's result; `error` says why it stopped early (a ReconciliationError among others)."""

    run_id: str
    mode: str
    phases: list[PhaseReport] = field(default_factory=list)
    error: WorkbenchError | None = None
    seconds: float = 0.0
    requests: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(p.reconciled for p in self.phases)

    @property
    def sent(self) -> int:
        return sum(p.sent for p in self.phases)

    @property
    def split_batches(self) -> int:
        return sum(p.split_batches for p in self.phases)

    @property
    def batches(self) -> int:
        return sum(p.batches for p in self.phases)

    @property
    def requests_per_record(self) -> float | None:
        """HTTP requests of the whole load per record sent; with nothing sent, None."""
        if self.requests is None or not self.sent:
            return None
        return self.requests / self.sent

    @property
    def counts(self) -> dict[str, int]:
        total = {o.value: 0 for o in Outcome}
        for phase in self.phases:
            for outcome, n in phase.counts.items():
                total[outcome] += n
        return total

    def to_frame(self) -> pl.DataFrame:
        rows = [
            {
                "phase": p.name,
                "target": p.target,
                **p.counts,
                "sent": p.sent,
                "batches": p.batches,
                "split batches": p.split_batches,
                "requests": p.requests,
                "requests per record": round(p.requests / p.sent, 3)
                if p.requests is not None and p.sent
                else None,
                "seconds": round(p.seconds, 2),
                "reconciled": p.reconciled,
                "note": p.check.message if p.check else None,
            }
            for p in self.phases
        ]
        return pl.DataFrame(rows) if rows else pl.DataFrame()

    def __str__(self) -> str:
        state = "ok" if self.ok else f"stopped: {self.error}"
        per = self.requests_per_record
        traffic = (
            f"{self.requests} requests ({per:.2f} per record sent), " if per is not None else ""
        )
        return (
            f"load {self.run_id} ({self.mode}): {self.counts}; {traffic}"
            f"{self.split_batches} split batches — {state}"
        )
