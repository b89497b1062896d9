"""The run's ledger: one SQLite file per migration, the source of truth of what was loaded.

For every source record (`source_key` = "<map_object>:<source_id>") it keeps the outcome of the
latest run that handled it, the Twenty object and id it became, the body that was sent and its
hash, and the record's state in the small per-batch state machine planned → sent → done. A
`changes` table keeps every write to Twenty per run (with the before-image of updates) so a run
can be rolled back, and `batches` records each create_many call.

Only one process loads with a ledger at a time: an OS file lock beside the database, which the
kernel releases when its holder dies (kill -9 included), so a crashed load never blocks a resume.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import LedgerError, LedgerLockedError
from workbench.records import Outcome, dumps

LEDGER_FILE = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,            -- running | sampled | finished | stopped | rolled_back
    message TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER,
    host TEXT
);
CREATE TABLE IF NOT EXISTS records (
    source_key TEXT PRIMARY KEY,
    map_object TEXT NOT NULL,
    record_key TEXT NOT NULL,        -- the plan record it belongs to (itself unless merged)
    phase TEXT,
    phase_index INTEGER,
    target TEXT,
    key_field TEXT,
    key_value TEXT,
    state TEXT NOT NULL,             -- planned | sent | done
    outcome TEXT,
    reason TEXT,
    flags TEXT NOT NULL DEFAULT '[]',
    twenty_id TEXT,
    body TEXT,                       -- JSON sent to Twenty (payload + resolved relation ids)
    refs TEXT,                       -- JSON plan refs: field -> record_key
    payload_hash TEXT,
    run_id TEXT,
    created_run TEXT,
    merged_into TEXT,
    batch_id INTEGER,
    file TEXT,
    line INTEGER,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_phase ON records(phase);
CREATE INDEX IF NOT EXISTS records_record_key ON records(record_key);
CREATE INDEX IF NOT EXISTS records_merged_into ON records(merged_into);  -- rollback, per record
CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    target TEXT NOT NULL,
    size INTEGER NOT NULL,
    state TEXT NOT NULL,             -- planned | sent | created | split | failed
    error TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    source_key TEXT NOT NULL,
    action TEXT NOT NULL,            -- created | updated
    state TEXT NOT NULL,             -- sent | done | undone
    target TEXT NOT NULL,
    phase_index INTEGER,
    twenty_id TEXT NOT NULL,
    before_image TEXT,               -- updated: Twenty's values of the patched fields
    prev_body TEXT,
    prev_hash TEXT,
    prev_outcome TEXT,
    prev_run TEXT,
    updated_at TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def payload_hash(body: dict[str, Any]) -> str:
    """Stable hash of what is sent: an unchanged hash means nothing to send on a re-run."""
    return hashlib.sha256(dumps(body).encode()).hexdigest()


def ledger_path(target: str | Path) -> Path:
    """A run folder or the ledger file itself."""
    path = Path(target)
    return path / LEDGER_FILE if path.is_dir() or not path.suffix else path


class Ledger:
    """The SQLite ledger of one migration; `readonly=True` reads without taking the lock."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = ledger_path(path)
        self.readonly = readonly
        self._lock_file: Any = None
        if readonly:
            if not self.path.is_file():
                raise LedgerError(f"no ledger at {self.path}", file=self.path)
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._conn = sqlite3.connect(self.path, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        self._conn.row_factory = sqlite3.Row
        try:
            tables = {
                r[0]
                for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            self.close()
            raise LedgerError(f"not a readable ledger: {exc}", file=self.path) from exc
        if not {"runs", "records", "batches", "changes"} <= tables:
            self.close()
            raise LedgerError("not a ledger (no runs/records tables yet)", file=self.path)

    # -- lock -------------------------------------------------------------------------------

    def _lock(self) -> None:
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the ledger's lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise LedgerLockedError(
                f"the ledger is in use by {holder}; wait for that load to end or stop it "
                "(a killed process releases the lock)",
                file=self.path,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {now()}\n")
        handle.flush()
        self._lock_file = handle

    def close(self) -> None:
        """Close the database and release the lock."""
        if getattr(self, "_conn", None) is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise LedgerError("the ledger was opened read-only", file=self.path)
        with self._conn:
            yield self._conn

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._conn.execute(sql, tuple(params))]

    # -- runs -------------------------------------------------------------------------------

    def begin_run(self, mode: str) -> str:
        """Start a run, or continue the latest one if it was killed or was a sample."""
        latest = self.latest_run()
        if latest and latest["status"] in ("running", "sampled"):
            run_id = latest["run_id"]
            with self._tx() as db:
                db.execute(
                    "UPDATE runs SET status='running', mode=?, pid=?, host=?, finished_at=NULL "
                    "WHERE run_id=?",
                    (mode, os.getpid(), socket.gethostname(), run_id),
                )
            return run_id
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        with self._tx() as db:
            db.execute(
                "INSERT INTO runs (run_id, mode, status, started_at, pid, host) "
                "VALUES (?, ?, 'running', ?, ?, ?)",
                (run_id, mode, now(), os.getpid(), socket.gethostname()),
            )
        return run_id

    def end_run(self, run_id: str, status: str, message: str | None = None) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE runs SET status=?, message=?, finished_at=? WHERE run_id=?",
                (status, message, now(), run_id),
            )

    def latest_run(self) -> dict[str, Any] | None:
        rows = self._query(
            "SELECT * FROM runs WHERE status != 'rolled_back' ORDER BY started_at DESC, rowid DESC"
        )
        return rows[0] if rows else None

    def runs(self) -> list[dict[str, Any]]:
        return self._query("SELECT * FROM runs ORDER BY started_at, rowid")

    # -- reading records --------------------------------------------------------------------

    def row(self, source_key: str) -> dict[str, Any] | None:
        rows = self._query("SELECT * FROM records WHERE source_key=?", (source_key,))
        return rows[0] if rows else None

    def rows(self, *, phase: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT * FROM records WHERE 1=1", []
        if phase is not None:
            sql += " AND phase=?"
            params.append(phase)
        if state is not None:
            sql += " AND state=?"
            params.append(state)
        return self._query(sql + " ORDER BY phase_index, rowid", params)

    def twenty_ids(self) -> dict[str, str]:
        """source_key → Twenty id for every record that exists in Twenty (merged included)."""
        rows = self._conn.execute(
            "SELECT source_key, twenty_id FROM records WHERE twenty_id IS NOT NULL AND state='done'"
        )
        return {key: tid for key, tid in rows}

    def outcome_counts(self, *, phase: str | None = None) -> dict[str, int]:
        sql = "SELECT outcome, COUNT(*) FROM records WHERE outcome IS NOT NULL"
        params: list[Any] = []
        if phase is not None:
            sql += " AND phase=?"
            params.append(phase)
        counts = {o.value: 0 for o in Outcome}
        for outcome, n in self._conn.execute(sql + " GROUP BY outcome", params):
            counts[outcome] = n
        return counts

    def frame(self) -> pl.DataFrame:
        """Every record row, for notebooks and reports."""
        rows = self._query("SELECT * FROM records ORDER BY phase_index, rowid")
        if not rows:
            cols = [c[1] for c in self._conn.execute("PRAGMA table_info(records)")]
            return pl.DataFrame(schema=dict.fromkeys(cols, pl.Utf8))
        return pl.DataFrame(rows, infer_schema_length=None)

    def batches(self) -> list[dict[str, Any]]:
        return self._query("SELECT * FROM batches ORDER BY batch_id")

    def batch_stats(self, run_id: str | None = None) -> dict[str, dict[str, int]]:
        """Per phase: create requests sent (`batches`), those Twenty refused whole and the loader
        split (`split`), single records it refused (`refused`), and records in the requests that
        were not split (`records`): the measure of how well payloads were checked before sending."""
        sql = (
            "SELECT phase, COUNT(*) AS batches, SUM(state = 'split') AS split, "
            "SUM(state = 'failed' AND size = 1 AND error IS NOT NULL) AS refused, "
            "SUM(CASE WHEN state = 'split' THEN 0 ELSE size END) AS records "
            "FROM batches WHERE (? IS NULL OR run_id = ?) GROUP BY phase ORDER BY MIN(batch_id)"
        )
        return {
            r["phase"]: {k: int(r[k] or 0) for k in ("batches", "split", "refused", "records")}
            for r in self._query(sql, (run_id, run_id))
        }

    # -- writing records --------------------------------------------------------------------

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Upsert record rows (one per source_key); only the given columns change."""
        if not rows:
            return
        stamp = now()
        with self._tx() as db:
            for row in rows:
                row = {**row, "updated_at": stamp}
                if "flags" in row and not isinstance(row["flags"], str):
                    row["flags"] = json.dumps(row["flags"])
                sets = ", ".join(f"{c}=?" for c in row if c != "source_key")
                values = [v for c, v in row.items() if c != "source_key"]
                cur = db.execute(
                    f"UPDATE records SET {sets} WHERE source_key=?", [*values, row["source_key"]]
                )
                if cur.rowcount == 0:
                    row.setdefault("map_object", row["source_key"].split(":", 1)[0])
                    row.setdefault("record_key", row["source_key"])
                    row.setdefault("state", "planned")
                    cols = list(row)
                    db.execute(
                        f"INSERT INTO records ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [row[c] for c in cols],
                    )

    def plan_batch(self, run_id: str, phase: str, target: str, rows: list[dict[str, Any]]) -> int:
        """Record a batch about to be sent; its records enter state `planned`."""
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO batches (run_id, phase, target, size, state, updated_at) "
                "VALUES (?, ?, ?, ?, 'planned', ?)",
                (run_id, phase, target, len(rows), now()),
            )
            batch_id = int(cur.lastrowid or 0)
        self.write([{**r, "state": "planned", "batch_id": batch_id} for r in rows])
        return batch_id

    def mark_batch(self, batch_id: int, state: str, error: str | None = None) -> None:
        """Move a batch (and, for `sent`, its records) along planned → sent → created|failed."""
        with self._tx() as db:
            db.execute(
                "UPDATE batches SET state=?, error=?, updated_at=? WHERE batch_id=?",
                (state, error, now(), batch_id),
            )
            if state == "sent":
                db.execute(
                    "UPDATE records SET state='sent', updated_at=? WHERE batch_id=? AND state='planned'",
                    (now(), batch_id),
                )

    def confirm_created(
        self, run_id: str, created: list[tuple[str, str]], *, batch_id: int | None = None
    ) -> None:
        """Records now exist in Twenty: (source_key, twenty_id) pairs become `created`."""
        stamp = now()
        with self._tx() as db:
            for source_key, twenty_id in created:
                db.execute(
                    "UPDATE records SET state='done', outcome='created', reason=NULL, twenty_id=?, "
                    "run_id=?, created_run=?, updated_at=? WHERE source_key=?",
                    (twenty_id, run_id, run_id, stamp, source_key),
                )
                db.execute(
                    "INSERT INTO changes (run_id, source_key, action, state, target, phase_index, "
                    "twenty_id, updated_at) SELECT ?, source_key, 'created', 'done', target, "
                    "phase_index, twenty_id, ? FROM records WHERE source_key=?",
                    (run_id, stamp, source_key),
                )
            if batch_id is not None:
                db.execute(
                    "UPDATE batches SET state='created', updated_at=? WHERE batch_id=?",
                    (stamp, batch_id),
                )

    def begin_update(self, run_id: str, row: dict[str, Any], before_image: dict[str, Any]) -> None:
        """Store the before-image of a PATCH before it is sent (reused if a resume resends it)."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO changes (run_id, source_key, action, state, target, phase_index, "
                "twenty_id, before_image, prev_body, prev_hash, prev_outcome, prev_run, updated_at) "
                "VALUES (?, ?, 'updated', 'sent', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run_id,
                    row["source_key"],
                    row["target"],
                    row["phase_index"],
                    row["twenty_id"],
                    dumps(before_image),
                    row["body"],
                    row["payload_hash"],
                    row["outcome"],
                    row["run_id"],
                    now(),
                ),
            )

    def pending_update(self, run_id: str, source_key: str) -> dict[str, Any] | None:
        rows = self._query(
            "SELECT * FROM changes WHERE run_id=? AND source_key=? AND action='updated' "
            "AND state='sent' ORDER BY change_id DESC",
            (run_id, source_key),
        )
        return rows[0] if rows else None

    def confirm_updated(self, run_id: str, source_key: str, fields: dict[str, Any]) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE changes SET state='done', updated_at=? WHERE run_id=? AND source_key=? "
                "AND action='updated' AND state='sent'",
                (now(), run_id, source_key),
            )
        self.write([{"source_key": source_key, "state": "done", "outcome": "updated", **fields}])

    def fill_merged_ids(self) -> None:
        """Merged records share the Twenty id of the record they were folded into."""
        with self._tx() as db:
            db.execute(
                "UPDATE records SET twenty_id = (SELECT r.twenty_id FROM records r "
                "WHERE r.source_key = records.merged_into AND r.state='done'), "
                "state = CASE WHEN (SELECT r.twenty_id FROM records r WHERE r.source_key = "
                "records.merged_into AND r.state='done') IS NULL THEN 'planned' ELSE 'done' END "
                "WHERE outcome='merged'"
            )

    # -- rollback ---------------------------------------------------------------------------

    def changes(self, run_ids: list[str]) -> list[dict[str, Any]]:
        """Writes of these runs not yet undone, newest phase and newest write first."""
        marks = ", ".join("?" * len(run_ids))
        return self._query(
            f"SELECT * FROM changes WHERE run_id IN ({marks}) AND state != 'undone' "
            "ORDER BY phase_index DESC, change_id DESC",
            run_ids,
        )

    def mark_undone(self, change: dict[str, Any]) -> None:
        """One write was undone: the ledger forgets a created record, or restores an updated one."""
        self.mark_undone_many([change])

    def mark_undone_many(self, changes: list[dict[str, Any]]) -> None:
        """Writes undone by one bulk request, recorded in one transaction."""
        with self._tx() as db:
            for change in changes:
                self._undo_row(db, change)

    def _undo_row(self, db: Any, change: dict[str, Any]) -> None:
        db.execute(
            "UPDATE changes SET state='undone', updated_at=? WHERE change_id=?",
            (now(), change["change_id"]),
        )
        if change["action"] == "created":
            db.execute("DELETE FROM records WHERE source_key=?", (change["source_key"],))
            db.execute(
                "UPDATE records SET twenty_id=NULL, state='planned' WHERE merged_into=?",
                (change["source_key"],),
            )
        else:
            db.execute(
                "UPDATE records SET body=?, payload_hash=?, outcome=?, run_id=?, updated_at=? "
                "WHERE source_key=?",
                (
                    change["prev_body"],
                    change["prev_hash"],
                    change["prev_outcome"],
                    change["prev_run"],
                    now(),
                    change["source_key"],
                ),
            )

    def forget_runs(self, run_ids: list[str]) -> None:
        """After a complete rollback: the runs are marked and their remaining rows dropped."""
        marks = ", ".join("?" * len(run_ids))
        with self._tx() as db:
            db.execute(
                f"DELETE FROM records WHERE run_id IN ({marks}) AND (twenty_id IS NULL "
                "OR outcome='merged')",
                run_ids,
            )
            db.execute(
                f"UPDATE runs SET status='rolled_back', finished_at=? WHERE run_id IN ({marks})",
                [now(), *run_ids],
            )
