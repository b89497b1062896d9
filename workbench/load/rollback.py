"""Rollback: undo what the migration's runs wrote to Twenty, newest phase first.

Created records are deleted (REST DELETE is a hard delete on Twenty 1.7, so nothing soft-deleted
is left to block a re-run; where the server's delete is soft, records are destroyed instead) and
updated records get their before-image back. The ledger forgets what was undone, so a re-run
after a rollback creates everything again. Rolling back twice is safe: the second time finds
nothing left to undo, and a rollback that stopped half-way continues where it stopped.
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

GONE_TEXT = ("not found", "entitynotfound", "does not exist")


@dataclass
class RollbackReport:
    """What a rollback undid; `ok` when nothing is left to undo."""

    runs: list[str]
    deleted: int = 0
    restored: int = 0
    already_gone: int = 0
    skipped: int = 0
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
            f"{self.already_gone} already gone — {state}"
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


def _delete_is_hard(client: Any) -> bool:
    try:
        caps = client.capabilities()
    except TwentyAuthError:
        raise
    except TwentyError:
        return True
    if isinstance(caps, dict):
        return bool(caps.get("rest_delete_is_hard", True))
    return bool(getattr(caps, "rest_delete_is_hard", True))


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
    changes = ledger.changes(runs)
    created_here = {c["twenty_id"] for c in changes if c["action"] == "created"}
    hard = _delete_is_hard(client)
    batch = max(1, int(getattr(client, "batch_size", 60) or 60))
    to_destroy: list[dict[str, Any]] = []
    for change in tqdm(changes, desc="rollback", unit="rec", leave=False):
        if to_destroy and (to_destroy[0]["target"] != change["target"] or len(to_destroy) >= batch):
            _destroy(ledger, client, to_destroy, report)
            to_destroy = []
        if change["action"] == "created" and not hard:
            to_destroy.append(change)  # soft-deleting servers: destroy, a batch at a time
            continue
        _undo_one(ledger, client, change, created_here, report)
    if to_destroy:
        _destroy(ledger, client, to_destroy, report)
    if report.ok:
        ledger.forget_runs(runs)
    report.seconds = time.monotonic() - started
    return report


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
            report.skipped += 1  # the record itself is deleted
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
    try:
        destroyed = client.destroy(changes[0]["target"], [c["twenty_id"] for c in changes])
    except TwentyAuthError:
        raise
    except TwentyError as exc:
        report.failed.extend({"source_key": c["source_key"], "error": str(exc)} for c in changes)
        return
    gone = {d.get("id") for d in destroyed or [] if isinstance(d, dict)}
    for change in changes:
        if change["twenty_id"] in gone:
            report.deleted += 1
        else:
            report.already_gone += 1
        ledger.mark_undone(change)
