"""Rollback: undo what the migration's runs wrote to Twenty, newest phase first.

Created records are destroyed in bulk: GraphQL `destroy<Plural>(filter: {id: {in: [...]}})`,
a hard delete that also removes soft-deleted rows, so nothing is left to block a re-run (a
soft-deleted person keeps its email and upserts still match it, FACTS 29/31/32). The id list
comes from the ledger, one object and at most the server's per-mutation cap at a time, so only
this run's records can be touched — never a broad filter. Twenty 1.7 caps neither deleteMany nor
destroyMany (graphql-query-destroy-many-resolver.service.ts validates only that a filter is
given); its /client-config advertises `mutationMaximumAffectedRecords` (default 100,
MUTATION_MAXIMUM_AFFECTED_RECORDS in config-variables.ts), which its own front end honours and
so does this client. Later releases add REST bulk deletes by filter and keep GraphQL destroyMany,
so the same call works on both. A batch the server refuses is split in halves until the record
at fault is found; the rest are still destroyed.

Updated records get their before-image back, one PATCH each (every record has its own). The
ledger forgets what was undone, a bulk request's records in one transaction, so a re-run after a
rollback creates everything again. Rolling back twice is safe, and a rollback that stopped
half-way continues where it stopped: ids already destroyed come back absent and count as gone.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from workbench.errors import LedgerError, TwentyAPIError, TwentyAuthError, TwentyError
from workbench.load.ledger import Ledger
from workbench.twenty.capabilities import GRAPHQL_BATCH_CAP

GONE_TEXT = ("not found", "entitynotfound", "does not exist")


@dataclass
class RollbackReport:
    """What a rollback undid; `ok` when nothing is left to undo."""

    runs: list[str]
    deleted: int = 0
    restored: int = 0
    already_gone: int = 0
    skipped: int = 0
    requests: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def write(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "rollback.json"
        path.write_text(json.dumps({**asdict(self), "ok": self.ok}, indent=2) + "\n")
        return path

    def summary(self) -> str:
        return str(self)

    def __str__(self) -> str:
        state = "complete" if self.ok else f"{len(self.failed)} records could not be undone"
        return (
            f"rollback of {len(self.runs)} run(s): {self.deleted} deleted, {self.restored} restored, "
            f"{self.already_gone} already gone in {self.requests} requests — {state}"
        )


def _gone(exc: TwentyAPIError) -> bool:
    text = " ".join([exc.message, exc.error or "", *exc.messages]).lower()
    return exc.status in (400, 404) and any(t in text for t in GONE_TEXT)


def _runs_to_undo(ledger: Ledger, run_id: str | None) -> list[str]:
    active = [r for r in ledger.runs() if r["status"] != "rolled_back"]
    if run_id is None:
        return [r["run_id"] for r in reversed(active)]
    ids = [r["run_id"] for r in active]
    if run_id not in ids:
        raise LedgerError(
            f"run {run_id!r} is not in the ledger or was already rolled back", file=ledger.path
        )
    return list(reversed(ids[ids.index(run_id) :]))


def rollback(
    target: str | Path | Ledger, client: Any, *, run_id: str | None = None
) -> RollbackReport:
    """Undo every run of the migration (or `run_id` and the runs after it); report in the run folder."""
    own = not isinstance(target, Ledger)
    ledger = Ledger(target) if own else target  # type: ignore[arg-type]
    try:
        report = _rollback(ledger, client, run_id)
        report.write(ledger.path.parent / "reconciliation")
        return report
    finally:
        if own:
            ledger.close()


def rollback_run(run_dir: str | Path, *, settings: Any = None) -> RollbackReport:
    """`workbench rollback RUN_DIR`: the run folder's destination (from settings), rolled back."""
    from workbench.settings import Settings
    from workbench.twenty.client import TwentyClient

    settings = settings if settings is not None else Settings.from_env()
    with TwentyClient.from_settings(settings, run_dir=Path(run_dir)) as client:
        return rollback(run_dir, client)


def _rollback(ledger: Ledger, client: Any, run_id: str | None) -> RollbackReport:
    started = time.monotonic()
    runs = _runs_to_undo(ledger, run_id)
    report = RollbackReport(runs=runs)
    if not runs:
        return report
    stats = getattr(client, "stats", None)
    requests_before = getattr(stats, "requests", 0)
    changes = ledger.changes(runs)
    created_here = {c["twenty_id"] for c in changes if c["action"] == "created"}
    cap = destroy_cap(client)
    bulk = hasattr(client, "destroy")
    pending: list[dict[str, Any]] = []
    with tqdm(total=len(changes), desc="rollback", unit="rec", leave=False) as bar:
        for change in changes:
            if pending and (pending[0]["target"] != change["target"] or len(pending) >= cap):
                _destroy(ledger, client, pending, report)
                bar.update(len(pending))
                pending = []
            if change["action"] == "created" and change["twenty_id"] and bulk:
                pending.append(change)
                continue
            _undo_one(ledger, client, change, created_here, report)
            bar.update(1)
        if pending:
            _destroy(ledger, client, pending, report)
            bar.update(len(pending))
    if report.ok:
        ledger.forget_runs(runs)
    report.requests = getattr(stats, "requests", 0) - requests_before
    report.seconds = time.monotonic() - started
    return report


def destroy_cap(client: Any) -> int:
    """Records per destroy request: the per-mutation cap the server advertises (or assumes)."""
    try:
        caps = client.capabilities()
    except TwentyAuthError:
        raise
    except (TwentyError, AttributeError):
        caps = None
    value = caps.get("graphql_batch_cap") if isinstance(caps, dict) else None
    if caps is not None and not isinstance(caps, dict):
        value = getattr(caps, "graphql_batch_cap", None)
    return max(1, int(value or GRAPHQL_BATCH_CAP))


def _undo_one(
    ledger: Ledger,
    client: Any,
    change: dict[str, Any],
    created_here: set[str],
    report: RollbackReport,
) -> None:
    try:
        if change["action"] == "created":
            client.delete(change["target"], change["twenty_id"])
            report.deleted += 1
        elif change["twenty_id"] in created_here:
            report.skipped += 1  # the record itself is destroyed
        else:
            # a PATCH that a killed run left `sent` may have landed: restore it as well
            before = json.loads(change["before_image"] or "{}")
            client.update(change["target"], change["twenty_id"], before)
            report.restored += 1
    except TwentyAuthError:
        raise
    except TwentyAPIError as exc:
        if not _gone(exc):
            report.failed.append({"source_key": change["source_key"], "error": str(exc)})
            return
        report.already_gone += 1
    except TwentyError as exc:
        report.failed.append({"source_key": change["source_key"], "error": str(exc)})
        return
    ledger.mark_undone(change)


def _destroy(
    ledger: Ledger, client: Any, changes: list[dict[str, Any]], report: RollbackReport
) -> None:
    """Destroy one object's records by id; a refused batch is halved until the culprit is alone."""
    try:
        destroyed = client.destroy(changes[0]["target"], [c["twenty_id"] for c in changes])
    except TwentyAuthError:
        raise
    except TwentyAPIError as exc:
        if _no_bulk_destroy(exc):
            for change in changes:  # a server without destroyMany: one REST DELETE each
                _undo_one(ledger, client, change, set(), report)
            return
        if len(changes) > 1:
            half = len(changes) // 2
            _destroy(ledger, client, changes[:half], report)
            _destroy(ledger, client, changes[half:], report)
            return
        report.failed.append({"source_key": changes[0]["source_key"], "error": str(exc)})
        return
    except TwentyError as exc:  # the server stayed unavailable through every retry
        report.failed.extend({"source_key": c["source_key"], "error": str(exc)} for c in changes)
        return
    gone = {d.get("id") for d in destroyed or [] if isinstance(d, dict)}
    for change in changes:
        if change["twenty_id"] in gone:
            report.deleted += 1
        else:
            report.already_gone += 1  # destroyed earlier (a rollback that stopped half-way)
    ledger.mark_undone_many(changes)


def _no_bulk_destroy(exc: TwentyAPIError) -> bool:
    text = " ".join([exc.message, *exc.messages])
    return "Cannot query field" in text and "destroy" in text
