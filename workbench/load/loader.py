"""The loader: sends a LoadPlan to Twenty phase by phase, through the ledger.

Each phase: settle records a killed run left `sent` (look them up by key field), classify every
plan record against the ledger (new → create, changed payload → PATCH, same hash → unchanged),
create in batches of `client.batch_size` (a batch Twenty refuses is split until the bad records
are found; they become `rejected` with Twenty's message), then a reconciliation check. A phase
that does not add up stops the run before the next phase starts.

Relations: plan refs (`field → record_key`) become Twenty ids through the ledger, and
`twenty:<uuid>` passes through. When the target did not land (rejected, queued, failed), the
policy depends on the field:
- rows that are nothing but links (noteTargets, taskTargets, attachments): `queued`, with the
  missing target named in the reason — a half link is not a record;
- every other relation (companyId, pointOfContactId, assigneeId, custom relations): the record
  loads without that link and carries a flag naming it. Resolved ids are part of the payload
  hash, so once the target lands a later run PATCHes the link in (outcome `updated`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from tqdm.auto import tqdm

from workbench.errors import (
    AmbiguousWriteError,
    LedgerError,
    ReconciliationError,
    TransientError,
    TwentyAPIError,
    TwentyAuthError,
    TwentyError,
    WorkbenchError,
)
from workbench.load.ledger import Ledger, payload_hash
from workbench.load.reconcile import PhaseCheck, check_phase, phase_map_objects
from workbench.records import LoadPlan, Outcome, Phase, dumps

LINK_ONLY_TARGETS = frozenset({"noteTargets", "taskTargets", "attachments"})
TWENTY_PREFIX = "twenty:"
MODES = ("sample", "full")
# After this many batches in a row fail with transient errors the destination is down: stop.
MAX_TRANSIENT_BATCHES = 3

Progress = Callable[[str, int, int], None]


@dataclass
class PhaseReport:
    """What one phase did in this run, and whether it reconciled."""

    name: str
    target: str
    counts: dict[str, int]
    sent: int = 0
    seconds: float = 0.0
    check: PhaseCheck | None = None

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
                "seconds": round(p.seconds, 2),
                "reconciled": p.reconciled,
                "note": p.check.message if p.check else None,
            }
            for p in self.phases
        ]
        return pl.DataFrame(rows) if rows else pl.DataFrame()

    def __str__(self) -> str:
        state = "ok" if self.ok else f"stopped: {self.error}"
        return f"load {self.run_id} ({self.mode}): {self.counts} — {state}"


def run_load(
    plan: LoadPlan,
    client: Any,
    ledger: Ledger,
    *,
    sample_size: int = 100,
    mode: str = "sample",
    on_progress: Progress | None = None,
) -> LoadReport:
    """Load `plan` (a sample of `sample_size` records, or all of it) and reconcile each phase."""
    if mode not in MODES:
        raise WorkbenchError(f"mode must be one of {MODES}, got {mode!r}")
    started = time.monotonic()
    run_id = ledger.begin_run(mode)
    report = LoadReport(run_id=run_id, mode=mode)
    loader = _Loader(plan, client, ledger, run_id, mode, on_progress)
    requests_before = _requests(client)
    try:
        loader.write_plan_outcomes()
        quotas = sample_quotas(plan, sample_size) if mode == "sample" else {}
        for index, phase in enumerate(plan.phases):
            phase_report = loader.load_phase(index, phase, quotas.get(phase.name))
            report.phases.append(phase_report)
            if not phase_report.reconciled:
                assert phase_report.check is not None
                raise ReconciliationError(
                    f"phase {phase.name!r} does not add up: {phase_report.check.message}; "
                    "later phases were not started"
                )
    except (TwentyAuthError, LedgerError):
        ledger.end_run(run_id, "stopped", "interrupted")
        raise
    except WorkbenchError as exc:
        report.error = exc
        ledger.end_run(run_id, "stopped", str(exc))
    else:
        ledger.end_run(run_id, "sampled" if mode == "sample" else "finished")
    report.seconds = time.monotonic() - started
    after = _requests(client)
    report.requests = (
        after - requests_before if after is not None and requests_before is not None else None
    )
    return report


def sample_quotas(plan: LoadPlan, sample_size: int) -> dict[str, int]:
    """Spread a sample of `sample_size` records over the phases, in proportion, at least one each."""
    sizes = {p.name: p.records.height for p in plan.phases}
    total = sum(sizes.values())
    if total == 0 or sample_size <= 0:
        return dict.fromkeys(sizes, 0)
    return {
        name: min(size, max(1, round(sample_size * size / total))) if size else 0
        for name, size in sizes.items()
    }


def _requests(client: Any) -> int | None:
    counters = getattr(client, "counters", None)
    if counters is None:
        return None
    if isinstance(counters, dict):
        value = counters.get("requests")
    else:
        value = getattr(counters, "requests", None)
    return int(value) if value is not None else None


def api_message(exc: TwentyError) -> str:
    """Twenty's own words for a refusal, as the ledger keeps them."""
    messages = getattr(exc, "messages", None) or []
    return "; ".join(str(m) for m in messages) or exc.message


class _Loader:
    def __init__(
        self,
        plan: LoadPlan,
        client: Any,
        ledger: Ledger,
        run_id: str,
        mode: str,
        on_progress: Progress | None,
    ) -> None:
        self.plan = plan
        self.client = client
        self.ledger = ledger
        self.run_id = run_id
        self.mode = mode
        self.on_progress = on_progress
        self.batch_size = max(1, int(getattr(client, "batch_size", 60) or 60))
        self.transient_streak = 0
        self.phase_of_object: dict[str, tuple[int, str]] = {}
        for index, phase in enumerate(plan.phases):
            for obj in phase_map_objects(phase):
                self.phase_of_object.setdefault(obj, (index, phase.name))

    # -- outcomes decided before the load ---------------------------------------------------

    def write_plan_outcomes(self) -> None:
        rows = []
        for rec in self.plan.outcomes.iter_rows(named=True):
            index, name = self.phase_of_object.get(rec["map_object"], (-1, None))
            rows.append(
                {
                    "source_key": rec["source_key"],
                    "map_object": rec["map_object"],
                    "record_key": rec["merged_into"] or rec["source_key"],
                    "phase": name,
                    "phase_index": index,
                    "state": "done",
                    "outcome": rec["outcome"],
                    "reason": rec["reason"],
                    "merged_into": rec["merged_into"],
                    "run_id": self.run_id,
                    "file": rec["_file"],
                    "line": rec["_line"],
                }
            )
        self.ledger.write(rows)
        self.ledger.fill_merged_ids()

    # -- one phase --------------------------------------------------------------------------

    def load_phase(self, index: int, phase: Phase, quota: int | None) -> PhaseReport:
        started = time.monotonic()
        records = phase.records.to_dicts()
        self.settle_sent(phase)
        existing = {r["source_key"]: r for r in self.ledger.rows(phase=phase.name)}
        known = {r["source_key"]: r for r in self._rows_for_refs(records)}
        ids = self.ledger.twenty_ids()
        to_create: list[dict[str, Any]] = []
        to_update: list[tuple[dict[str, Any], dict[str, Any]]] = []
        finished: list[dict[str, Any]] = []
        handled = sum(
            1 for r in records if _done_this_run(existing.get(r["record_key"]), self.run_id)
        )
        bar = tqdm(total=len(records), desc=phase.name, unit="rec", leave=False)
        for rec in records:
            key = rec["record_key"]
            row = existing.get(key)
            if _done_this_run(row, self.run_id):
                bar.update(1)
                continue
            body, flags, missing, pending = self._resolve(rec, ids, known)
            if quota is not None and (pending or handled >= quota):
                continue
            handled += 1
            base = self._base_row(index, phase, rec, body, flags)
            if missing and phase.target in LINK_ONLY_TARGETS:
                finished.append(
                    {
                        **base,
                        "state": "done",
                        "outcome": Outcome.QUEUED.value,
                        "reason": "; ".join(missing),
                        "body": None,
                        "payload_hash": None,
                    }
                )
                continue
            if row and row["twenty_id"] and row["state"] == "done" and row["outcome"] != "merged":
                if row["payload_hash"] == base["payload_hash"]:
                    finished.append(
                        {
                            **base,
                            "state": "done",
                            "outcome": Outcome.UNCHANGED.value,
                            "twenty_id": row["twenty_id"],
                        }
                    )
                else:
                    to_update.append((row, base))
            elif (
                row
                and row["outcome"] == Outcome.REJECTED.value
                and row["payload_hash"] == base["payload_hash"]
            ):
                finished.append(
                    {
                        **base,
                        "state": "done",
                        "outcome": Outcome.REJECTED.value,
                        "reason": row["reason"],
                    }
                )
            else:
                to_create.append(base)
        self.ledger.write(finished)
        bar.update(len(finished))
        sent = 0
        for start in range(0, len(to_create), self.batch_size):
            chunk = to_create[start : start + self.batch_size]
            self.send_batch(phase, chunk)
            sent += len(chunk)
            bar.update(len(chunk))
            self._progress(phase.name, bar)
        for row, base in to_update:
            self.send_update(row, base)
            sent += 1
            bar.update(1)
        self._progress(phase.name, bar)
        bar.close()
        self.write_merged(index, phase, records, quota is not None)
        check = check_phase(phase, self.plan, self.client, self.ledger, sample=quota is not None)
        return PhaseReport(
            name=phase.name,
            target=phase.target,
            counts=self.ledger.outcome_counts(phase=phase.name),
            sent=sent,
            seconds=time.monotonic() - started,
            check=check,
        )

    def _progress(self, name: str, bar: Any) -> None:
        if self.on_progress is not None:
            self.on_progress(name, int(bar.n), int(bar.total or 0))

    def _rows_for_refs(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = {k for rec in records for k in json.loads(rec["refs"] or "{}").values()}
        rows = []
        for key in keys:
            if not key.startswith(TWENTY_PREFIX):
                row = self.ledger.row(key)
                if row:
                    rows.append(row)
        return rows

    def _resolve(
        self, rec: dict[str, Any], ids: dict[str, str], known: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, Any], list[str], list[str], bool]:
        """Body with relation ids; flags and reasons for links that cannot be made; pending?"""
        body = json.loads(rec["payload"] or "{}")
        flags: list[str] = []
        missing: list[str] = []
        pending = False
        for fld, target_key in sorted(json.loads(rec["refs"] or "{}").items()):
            if target_key is None:
                continue
            if target_key.startswith(TWENTY_PREFIX):
                body[fld] = target_key[len(TWENTY_PREFIX) :]
            elif target_key in ids:
                body[fld] = ids[target_key]
            else:
                row = known.get(target_key)
                if row is None or row["state"] != "done":
                    pending = True
                    why = f"{fld} not linked: {target_key} was not loaded"
                else:
                    why = f"{fld} not linked: {target_key} was {row['outcome']}"
                    if row["reason"]:
                        why += f" ({row['reason']})"
                missing.append(why)
                flags.append(why)
        return body, flags, missing, pending

    def _base_row(
        self, index: int, phase: Phase, rec: dict[str, Any], body: dict[str, Any], flags: list[str]
    ) -> dict[str, Any]:
        key = rec["record_key"]
        key_value = body.get(phase.key_field) if phase.key_field else None
        return {
            "source_key": key,
            "map_object": key.split(":", 1)[0],
            "record_key": key,
            "phase": phase.name,
            "phase_index": index,
            "target": phase.target,
            "key_field": phase.key_field,
            "key_value": None if key_value is None else str(key_value),
            "flags": flags,
            "reason": None,
            "body": dumps(body),
            "refs": rec["refs"],
            "payload_hash": payload_hash(body),
            "run_id": self.run_id,
            "merged_into": None,
            "file": rec["_file"],
            "line": rec["_line"],
        }

    # -- merged source records --------------------------------------------------------------

    def write_merged(
        self, index: int, phase: Phase, records: list[dict[str, Any]], sample: bool
    ) -> None:
        ids = self.ledger.twenty_ids()
        rows = []
        for rec in records:
            extra = [k for k in (rec["source_keys"] or []) if k != rec["record_key"]]
            if not extra or (sample and rec["record_key"] not in ids):
                continue
            twenty_id = ids.get(rec["record_key"])
            for key in extra:
                rows.append(
                    {
                        "source_key": key,
                        "map_object": key.split(":", 1)[0],
                        "record_key": rec["record_key"],
                        "phase": phase.name,
                        "phase_index": index,
                        "target": phase.target,
                        "state": "done" if twenty_id else "planned",
                        "outcome": Outcome.MERGED.value,
                        "reason": f"merged into {rec['record_key']}",
                        "twenty_id": twenty_id,
                        "merged_into": rec["record_key"],
                        "run_id": self.run_id,
                        "file": rec["_file"],
                        "line": rec["_line"],
                    }
                )
        self.ledger.write(rows)


def _done_this_run(row: dict[str, Any] | None, run_id: str) -> bool:
    """Handled earlier in this same run (a resume or the full load after its sample): skip."""
    return bool(
        row
        and row["run_id"] == run_id
        and row["state"] == "done"
        and row["outcome"] not in (None, "failed")
    )
