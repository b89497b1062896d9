"""The emulated workspace in one SQLite file: metadata, records, uploaded files.

Records are JSON documents in one table (custom objects need no DDL); the two unique
constraints Twenty has are partial expression indexes with Twenty's own condition
(`value <> '' AND deletedAt IS NULL`). WAL lets several kernels read while one writes.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.twenty.emulator.standard import FieldDef, ObjectDef, standard_objects
from workbench.twenty.emulator.values import new_id, now_micro, to_millis

SCHEMA = """
CREATE TABLE IF NOT EXISTS workspace (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, name TEXT UNIQUE, position INTEGER, doc TEXT);
CREATE TABLE IF NOT EXISTS fields (id TEXT PRIMARY KEY, object TEXT, name TEXT, position INTEGER, doc TEXT);
CREATE TABLE IF NOT EXISTS records (
    object TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    created_at TEXT NOT NULL, deleted_at TEXT, PRIMARY KEY (object, id)
);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, name TEXT, mime TEXT, content BLOB, created_at TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS uq_person_email ON records (json_extract(data, '$.emails.primaryEmail'))
    WHERE object = 'person' AND deleted_at IS NULL AND json_extract(data, '$.emails.primaryEmail') <> '';
CREATE UNIQUE INDEX IF NOT EXISTS uq_company_domain ON records (json_extract(data, '$.domainName.primaryLinkUrl'))
    WHERE object = 'company' AND deleted_at IS NULL AND json_extract(data, '$.domainName.primaryLinkUrl') <> '';
CREATE INDEX IF NOT EXISTS ix_records_created ON records (object, created_at);
"""

# Unique constraints: object -> (field, sub-field).
UNIQUE_KEYS: dict[str, tuple[str, str]] = {
    "person": ("emails", "primaryEmail"),
    "company": ("domainName", "primaryLinkUrl"),
}


@dataclasses.dataclass
class Model:
    """The workspace's data model at one metadata version."""

    version: int
    objects: dict[str, ObjectDef]

    def by_plural(self, plural: str) -> ObjectDef | None:
        for o in self.objects.values():
            if o.name_plural == plural:
                return o
        return None

    def by_id(self, object_id: str) -> ObjectDef | None:
        for o in self.objects.values():
            if o.id == object_id:
                return o
        return None

    def field_by_id(self, field_id: str) -> FieldDef | None:
        for o in self.objects.values():
            for f in o.fields:
                if f.id == field_id:
                    return f
        return None


def _field_from_doc(doc: dict) -> FieldDef:
    return FieldDef(**doc)


class Store:
    """One connection per app; every write runs in a short IMMEDIATE transaction."""

    def __init__(self, path: str | Path, *, members: list[dict] | None = None) -> None:
        self.path = str(path)
        self.conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA case_sensitive_like=ON")  # Postgres LIKE is case-sensitive
        self.lock = threading.RLock()
        self._model: Model | None = None
        self._fk_indexes: set[str] = set()
        self._initialise(members)

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _initialise(self, members: list[dict] | None) -> None:
        with self.lock:
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            with self.write() as c:
                if c.execute("SELECT value FROM workspace WHERE key = 'version'").fetchone():
                    return
                now = now_micro()
                for pos, obj in enumerate(standard_objects(to_millis(now))):
                    self._save_object(c, obj, pos)
                c.execute("INSERT INTO workspace VALUES ('version', '1')")
                c.execute("INSERT INTO workspace VALUES ('created_at', ?)", (now,))
                for member in (
                    members
                    if members is not None
                    else [{"email": "admin@example.com", "firstName": "", "lastName": ""}]
                ):
                    self._seed_member(c, member, now)

    def _seed_member(self, c: sqlite3.Connection, member: dict, now: str) -> None:
        record = {
            "position": 0,
            "name": {
                "firstName": member.get("firstName", ""),
                "lastName": member.get("lastName", ""),
            },
            "colorScheme": "System",
            "locale": "en",
            "avatarUrl": "",
            "userEmail": member["email"].lower(),
            "calendarStartDay": 7,
            "userId": new_id(),
            "timeZone": "system",
            "dateFormat": "SYSTEM",
            "timeFormat": "SYSTEM",
            "searchVector": f"'{member['email'].lower()}':1",
            "numberFormat": "SYSTEM",
            "id": new_id(),
            "createdAt": to_millis(now),
            "updatedAt": to_millis(now),
            "deletedAt": None,
        }
        self.insert(c, "workspaceMember", record, now)

    # -- metadata -------------------------------------------------------------------------
    def _save_object(self, c: sqlite3.Connection, obj: ObjectDef, position: int) -> None:
        doc = {k: v for k, v in dataclasses.asdict(obj).items() if k != "fields"}
        c.execute(
            "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)",
            (obj.id, obj.name_singular, position, json.dumps(doc)),
        )
        for pos, f in enumerate(obj.fields):
            self.save_field(c, f, pos)

    def save_field(self, c: sqlite3.Connection, f: FieldDef, position: int | None = None) -> None:
        if position is None:
            row = c.execute("SELECT position FROM fields WHERE id = ?", (f.id,)).fetchone()
            position = (
                row[0]
                if row
                else c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM fields").fetchone()[0]
            )
        c.execute(
            "INSERT OR REPLACE INTO fields VALUES (?, ?, ?, ?, ?)",
            (f.id, f.object, f.name, position, json.dumps(dataclasses.asdict(f))),
        )

    def save_object(self, c: sqlite3.Connection, obj: ObjectDef) -> None:
        position = c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM objects").fetchone()[0]
        self._save_object(c, obj, position)

    def bump_version(self, c: sqlite3.Connection) -> None:
        c.execute("UPDATE workspace SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")

    def model(self) -> Model:
        """The current data model, reloaded only when another writer changed the metadata."""
        with self.lock:
            version = int(
                self.conn.execute("SELECT value FROM workspace WHERE key = 'version'").fetchone()[0]
            )
            if self._model is not None and self._model.version == version:
                return self._model
            objects: dict[str, ObjectDef] = {}
            for (doc,) in self.conn.execute("SELECT doc FROM objects ORDER BY position"):
                obj = ObjectDef(**json.loads(doc))
                objects[obj.name_singular] = obj
            for (doc,) in self.conn.execute("SELECT doc FROM fields ORDER BY position"):
                f = _field_from_doc(json.loads(doc))
                objects[f.object].fields.append(f)
            self._model = Model(version, objects)
            for obj in objects.values():
                for join in obj.join_fields():
                    self.ensure_fk_index(join)
            return self._model

    def invalidate(self) -> None:
        """Forget the cached model (after a metadata write, successful or not)."""
        with self.lock:
            self._model = None

    def ensure_fk_index(self, join_column: str) -> None:
        """An expression index per join column keeps depth=1 embedding and FK checks fast."""
        if join_column in self._fk_indexes or not join_column.isidentifier():
            return
        self.conn.execute(
            f"CREATE INDEX IF NOT EXISTS ix_fk_{join_column} ON records (json_extract(data, '$.{join_column}'))"
        )
        self._fk_indexes.add(join_column)

    # -- records --------------------------------------------------------------------------
    def insert(self, c: sqlite3.Connection, obj: str, record: dict, created_at: str) -> None:
        c.execute(
            "INSERT INTO records (object, id, data, created_at, deleted_at) VALUES (?, ?, ?, ?, ?)",
            (obj, record["id"], json.dumps(record), created_at, record.get("deletedAt")),
        )

    def replace(self, c: sqlite3.Connection, obj: str, record: dict) -> None:
        c.execute(
            "UPDATE records SET data = ?, deleted_at = ? WHERE object = ? AND id = ?",
            (json.dumps(record), record.get("deletedAt"), obj, record["id"]),
        )

    def get(self, obj: str, record_id: str, *, with_deleted: bool = False) -> dict | None:
        sql = "SELECT data FROM records WHERE object = ? AND id = ?"
        if not with_deleted:
            sql += " AND deleted_at IS NULL"
        row = self.conn.execute(sql, (obj, record_id)).fetchone()
        return json.loads(row[0]) if row else None

    def exists(self, obj: str, record_id: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM records WHERE object = ? AND id = ?", (obj, record_id)
            ).fetchone()
            is not None
        )

    def unique_holder(self, obj: str, value: str, *, with_deleted: bool = False) -> dict | None:
        """The record holding `value` in the object's unique field (live ones only by default)."""
        field, sub = UNIQUE_KEYS[obj]
        expr = f"json_extract(data, '$.{field}.{sub}')"
        sql = f"SELECT data FROM records WHERE object = ? AND {expr} = ? AND {expr} <> ''"
        if not with_deleted:
            sql += " AND deleted_at IS NULL"
        row = self.conn.execute(
            sql + " ORDER BY deleted_at IS NOT NULL LIMIT 1", (obj, value)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def select(self, sql: str, params: list[Any]) -> list[dict]:
        return [json.loads(r[0]) for r in self.conn.execute(sql, params)]

    def scalar(self, sql: str, params: list[Any]) -> Any:
        return self.conn.execute(sql, params).fetchone()[0]

    # -- files ----------------------------------------------------------------------------
    def save_file(self, path: str, name: str, mime: str, content: bytes) -> None:
        with self.write() as c:
            c.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)", (path, name, mime, content, now_micro())
            )

    def read_file(self, path: str) -> bytes | None:
        row = self.conn.execute("SELECT content FROM files WHERE path = ?", (path,)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self.conn.close()
