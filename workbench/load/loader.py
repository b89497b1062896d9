"""The loader: sends a LoadPlan to Twenty phase by phase, through the ledger.

Each phase: settle records a killed run left `sent` (look them up by key field), classify every
plan record against the ledger (new → create, changed payload → PATCH, same hash → unchanged),
create in batches of `client.batch_size` (a batch Twenty refuses is split until the bad records
are found; they become `rejected` with Twenty's message), then a reconciliation check. A phase
that does not add up stops the run before the next phase starts. Before a body joins a batch,
values Twenty would refuse the whole record for are mended or dropped with a flag
(payload_check), so batches do not split over them.

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
from pathlib import Path
from typing import Any

import polars as pl
from tqdm.auto import tqdm

from workbench.errors import (
    LedgerError,
    ReconciliationError,
    ResolveError,
    TwentyAuthError,
    TwentyError,
    WorkbenchError,
)
from workbench.load.ledger import Ledger, payload_hash
from workbench.load.payload_check import UniqueValues, choice_options, mend_payload
from workbench.load.reconcile import check_phase, phase_map_objects
from workbench.load.report import LoadReport, PhaseReport
from workbench.load.writes import Writer
from workbench.records import (
    OUTCOME_SCHEMA,
    PLAN_SCHEMA,
    LoadPlan,
    Outcome,
    Phase,
    check_frame,
    dumps,
)

LINK_ONLY_TARGETS = frozenset({"noteTargets", "taskTargets", "attachments"})
TWENTY_PREFIX = "twenty:"
MODES = ("sample", "full")

Progress = Callable[[str, int, int], None]
FILE_PATH_KEY = "_file_path"  # staged attachments: the file to upload, relative to the export


def run_load(
    plan: LoadPlan,
    client: Any,
    ledger: Ledger,
    *,
    sample_size: int = 100,
    mode: str = "sample",
    on_progress: Progress | None = None,
    files_root: Path | None = None,
) -> LoadReport:
    """Load `plan` (a sample of `sample_size` records, or all of it) and reconcile each phase."""
    if mode not in MODES:
        raise WorkbenchError(f"mode must be one of {MODES}, got {mode!r}")
    check_plan(plan)
    started = time.monotonic()
    run_id = ledger.begin_run(mode)
    report = LoadReport(run_id=run_id, mode=mode)
    loader = _Loader(plan, client, ledger, run_id, mode, on_progress, files_root)
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


def check_plan(plan: LoadPlan) -> None:
    """Refuse a plan that breaks the contract before anything is sent, naming the record."""
    seen: dict[str, str] = {}
    for phase in plan.phases:
        try:
            phase.records = check_frame(phase.records, PLAN_SCHEMA, f"phase {phase.name!r}")
        except (ValueError, pl.exceptions.PolarsError) as exc:
            raise ResolveError(
                f"the load plan's phase {phase.name!r} breaks the plan schema: {exc}"
            ) from exc
        for rec in phase.records.iter_rows(named=True):
            where = {"file": rec["_file"], "line": rec["_line"]}
            if rec["record_key"] in seen:
                raise ResolveError(
                    f"record {rec['record_key']!r} is in phase {seen[rec['record_key']]!r} and {phase.name!r}",
                    column="record_key",
                    **where,
                )
            seen[rec["record_key"]] = phase.name
            for column in ("payload", "refs"):
                try:
                    value = json.loads(rec[column] or "{}")
                except json.JSONDecodeError as exc:
                    raise ResolveError(
                        f"{rec['record_key']}: {column} is not JSON ({exc})", column=column, **where
                    ) from exc
                if not isinstance(value, dict):
                    raise ResolveError(
                        f"{rec['record_key']}: {column} must be a JSON object",
                        column=column,
                        **where,
                    )
                if column == "refs" and not all(isinstance(v, str | None) for v in value.values()):
                    raise ResolveError(
                        f'{rec["record_key"]}: refs must map fields to record keys ("<map_object>:<id>" '
                        'or "twenty:<uuid>")',
                        column=column,
                        **where,
                    )
    try:
        plan.outcomes = check_frame(plan.outcomes, OUTCOME_SCHEMA, "plan outcomes")
    except (ValueError, pl.exceptions.PolarsError) as exc:
        raise ResolveError(f"the load plan's outcomes break the outcome schema: {exc}") from exc


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
    stats = getattr(client, "stats", None)
    value = getattr(stats, "requests", None)
    return int(value) if value is not None else None


class _Loader:
    def __init__(
        self,
        plan: LoadPlan,
        client: Any,
        ledger: Ledger,
        run_id: str,
        mode: str,
        on_progress: Progress | None,
        files_root: Path | None = None,
    ) -> None:
        self.plan = plan
        self.files_root = files_root
        self.client = client
        self.ledger = ledger
        self.run_id = run_id
        self.mode = mode
        self.on_progress = on_progress
        self.batch_size = max(1, int(getattr(client, "batch_size", 60) or 60))
        self.writer = Writer(client, ledger, run_id)
        self._choices: dict[str, dict[str, list[str]]] | None = None
        self.phase_of_object: dict[str, tuple[int, str]] = {}
        for index, phase in enumerate(plan.phases):
            for obj in phase_map_objects(phase):
                self.phase_of_object.setdefault(obj, (index, phase.name))

    def choices(self, target: str) -> dict[str, list[str]]:
        """The option values of `target`'s choice fields, read once per run (after schema sync)."""
        if self._choices is None:
            self._choices = {}
            try:
                objects = self.client.list_objects(refresh=True)
            except (AttributeError, TwentyError):
                objects = []
            for info in objects:
                self._choices[info.name_plural] = choice_options(info)
        return self._choices.get(target, {})

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
        requests_before = _requests(self.client)
        batches_before = self.ledger.batch_stats(self.run_id).get(phase.name, {})
        records = phase.records.to_dicts()
        self.writer.settle_sent(phase)
        rows = {r["source_key"]: r for r in self.ledger.rows()}
        ids = self.ledger.twenty_ids()
        to_create: list[dict[str, Any]] = []
        to_update: list[tuple[dict[str, Any], dict[str, Any]]] = []
        finished: list[dict[str, Any]] = []
        keys_seen: dict[str, str] = {}
        unique = UniqueValues.from_ledger(phase.target, list(rows.values()))
        handled = sum(1 for r in records if _done_this_run(rows.get(r["record_key"]), self.run_id))
        bar = tqdm(total=len(records), desc=phase.name, unit="rec", leave=False)
        for rec in records:
            row = rows.get(rec["record_key"])
            if _done_this_run(row, self.run_id):
                bar.update(1)
                continue
            body, flags, pending = self._resolve(rec, ids, rows)
            if quota is not None and (pending or handled >= quota):
                continue
            handled += 1
            # what Twenty would refuse, mended before a batch
            body, mended = mend_payload(body, self.choices(phase.target))
            body = unique.claim(rec["record_key"], body, mended)
            new = self._new_row(index, phase, rec, body, flags + mended)
            refused = self._refuse(phase, new, flags, keys_seen)
            if refused is not None:
                finished.append(refused)
            elif row and row["twenty_id"] and row["state"] == "done" and row["outcome"] != "merged":
                if row["payload_hash"] == new["payload_hash"]:
                    finished.append({**new, "state": "done", "outcome": Outcome.UNCHANGED.value})
                else:
                    to_update.append((row, new))
            elif (
                row and row["outcome"] == "rejected" and row["payload_hash"] == new["payload_hash"]
            ):
                # Twenty refused exactly this body before: it would refuse it again
                finished.append(
                    {**new, "state": "done", "outcome": "rejected", "reason": row["reason"]}
                )
            else:
                to_create.append(new)
        to_create, refused_files = self._upload_files(to_create)
        finished.extend(refused_files)
        self.ledger.write(finished)
        bar.update(len(finished))
        for _, new_row in to_update:
            _drop_file_path(new_row)
        for start in range(0, len(to_create), self.batch_size):
            chunk = to_create[start : start + self.batch_size]
            self.writer.send_batch(phase, chunk)
            bar.update(len(chunk))
            self._progress(phase.name, bar)
        for row, new in to_update:
            self.writer.send_update(phase, row, new)
            bar.update(1)
        self._progress(phase.name, bar)
        bar.close()
        self.write_merged(index, phase, records, sample=quota is not None)
        self.ledger.fill_merged_ids()
        check = check_phase(phase, self.plan, self.client, self.ledger, sample=quota is not None)
        batches = self.ledger.batch_stats(self.run_id).get(phase.name, {})
        requests_after = _requests(self.client)
        return PhaseReport(
            name=phase.name,
            target=phase.target,
            counts=check.outcomes,
            sent=len(to_create) + len(to_update),
            seconds=time.monotonic() - started,
            check=check,
            batches=batches.get("batches", 0) - batches_before.get("batches", 0),
            split_batches=batches.get("split", 0) - batches_before.get("split", 0),
            requests=requests_after - requests_before
            if requests_after is not None and requests_before is not None
            else None,
        )

    def _refuse(
        self, phase: Phase, new: dict[str, Any], flags: list[str], keys_seen: dict[str, str]
    ) -> dict[str, Any] | None:
        """A record that must not be sent: a link row missing an end, or a bad source key."""
        ended = {**new, "state": "done", "body": None, "payload_hash": None}
        if flags and phase.target in LINK_ONLY_TARGETS:
            return {**ended, "outcome": Outcome.QUEUED.value, "reason": "; ".join(flags)}
        if phase.key_field:
            value = new["key_value"]
            if value is None or value == "":
                reason = f"no value in the key field {phase.key_field!r}"
                return {**ended, "outcome": Outcome.REJECTED.value, "reason": reason}
            if value in keys_seen:
                reason = f"{phase.key_field}={value!r} is also the key of {keys_seen[value]}"
                return {**ended, "outcome": Outcome.REJECTED.value, "reason": reason}
            keys_seen[value] = new["source_key"]
        return None

    def _upload_files(
        self, rows: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Attachments carry the export-relative path of their file in `_file_path`: upload it
        (Twenty's file upload, FACTS 56) and send the path Twenty gave back as `fullPath`."""
        ready, refused = [], []
        for row in rows:
            body = json.loads(row["body"])
            relative = body.pop(FILE_PATH_KEY, None)
            if relative is None:
                ready.append(row)
                continue
            path = (self.files_root / relative) if self.files_root else Path(relative)
            if not path.is_file():
                reason = f"file not found in the export: {relative}"
                refused.append(
                    {**row, "state": "done", "outcome": Outcome.REJECTED.value, "reason": reason}
                )
                continue
            body["fullPath"] = self.client.upload_file(path)
            body.setdefault("name", path.name)
            ready.append({**row, "body": dumps(body)})
        return ready, refused

    def _progress(self, name: str, bar: Any) -> None:
        if self.on_progress is not None:
            self.on_progress(name, int(bar.n), int(bar.total or 0))

    def _resolve(
        self, rec: dict[str, Any], ids: dict[str, str], rows: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, Any], list[str], bool]:
        """The body with relation ids; a flag per link that cannot be made; a target still to come?"""
        body = json.loads(rec["payload"] or "{}")
        flags: list[str] = []
        pending = False
        for fld, target_key in sorted(json.loads(rec["refs"] or "{}").items()):
            if not target_key:
                continue
            if target_key.startswith(TWENTY_PREFIX):
                body[fld] = target_key[len(TWENTY_PREFIX) :]
            elif target_key in ids:
                body[fld] = ids[target_key]
            else:
                row = rows.get(target_key)
                if row is None or not row["outcome"]:
                    pending = True
                    why = f"{fld} not linked: {target_key} was not loaded"
                else:
                    why = f"{fld} not linked: {target_key} was {row['outcome']}"
                    why += f" ({row['reason']})" if row["reason"] else ""
                flags.append(why)
        return body, flags, pending

    def _new_row(
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
        self, index: int, phase: Phase, records: list[dict[str, Any]], *, sample: bool
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


def _drop_file_path(row: dict[str, Any]) -> None:
    """An update never re-uploads a file: the record keeps the one it has."""
    body = json.loads(row.get("body") or "{}")
    if FILE_PATH_KEY in body:
        body.pop(FILE_PATH_KEY)
        row["body"] = dumps(body)


def _done_this_run(row: dict[str, Any] | None, run_id: str) -> bool:
    """Handled earlier in this same run (a resume or the full load after its sample): skip."""
    return bool(
        row
        and row["run_id"] == run_id
        and row["state"] == "done"
        and row["outcome"] not in (None, "failed")
    )
