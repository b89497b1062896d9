"""Reconciliation: source rows vs ledger outcomes vs what Twenty holds, read back through the API.

`check_phase` runs after every load phase (the loader stops when it fails); `reconcile` is the
full proof after the load: counts per object, a seeded field-by-field spot check, relationship
integrity, and the list of every source record that did not land, with its reason.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from workbench.load.compare import differences
from workbench.load.ledger import Ledger
from workbench.records import LoadPlan, Outcome, Phase

PAGE = 200  # Twenty's largest page (FACTS 35)
NOT_LANDED = (Outcome.REJECTED.value, Outcome.QUEUED.value, Outcome.FAILED.value)
OUTCOMES = [o.value for o in Outcome]


def phase_map_objects(phase: Phase) -> list[str]:
    """The map objects whose source records this phase carries."""
    if phase.map_objects:
        return list(phase.map_objects)
    seen: dict[str, None] = {}
    for keys in phase.records.get_column("source_keys").to_list():
        for key in keys or []:
            seen.setdefault(key.split(":", 1)[0], None)
    return list(seen)


def phase_source_keys(phase: Phase, plan: LoadPlan) -> set[str]:
    """Every source record a phase accounts for: its records, merged ones, and plan outcomes."""
    keys = {k for ks in phase.records.get_column("source_keys").to_list() for k in ks or []}
    keys |= set(phase.records.get_column("record_key").to_list())
    owned = set(phase_map_objects(phase))
    first_owner = {}
    for p in plan.phases:
        for obj in phase_map_objects(p):
            first_owner.setdefault(obj, p.name)
    for key, obj in plan.outcomes.select("source_key", "map_object").iter_rows():
        if obj in owned and first_owner.get(obj) == phase.name:
            keys.add(key)
    return keys


def _key_values(phase: Phase) -> list[str]:
    if not phase.key_field:
        return []
    values = []
    for payload in phase.records.get_column("payload").to_list():
        value = json.loads(payload or "{}").get(phase.key_field)
        if value is not None:
            values.append(str(value))
    return values


def count_in(client: Any, target: str, field_name: str, values: list[str]) -> int:
    """How many Twenty records have `field_name` among `values` (the client writes the filters)."""
    return int(client.count_in(target, field_name, values))


def read_in(client: Any, target: str, field_name: str, values: list[str]) -> list[dict[str, Any]]:
    """Every Twenty record with `field_name` among `values`, all pages."""
    return list(client.find_in(target, field_name, values, chunk=PAGE))


@dataclass
class PhaseCheck:
    """Source rows = the sum of outcomes, and Twenty holds what the ledger says it holds."""

    phase: str
    source_rows: int
    outcomes: dict[str, int]
    without_outcome: list[str]
    in_ledger: int
    in_twenty: int
    ok: bool
    message: str


def check_phase(
    phase: Phase, plan: LoadPlan, client: Any, ledger: Ledger, *, sample: bool = False
) -> PhaseCheck:
    """The check between phases. In a sample only the records handled so far are expected."""
    expected = phase_source_keys(phase, plan)
    rows = {r["source_key"]: r for r in ledger.rows(phase=phase.name)}
    without = sorted(k for k in expected if not (rows.get(k) or {}).get("outcome"))
    if sample:
        expected -= set(without)
        without = []
    outcomes = dict.fromkeys(OUTCOMES, 0)
    for key in expected:
        row = rows.get(key)
        if row and row["outcome"]:
            outcomes[row["outcome"]] += 1
    primaries = set(phase.records.get_column("record_key").to_list())
    landed = {
        r["twenty_id"]
        for k, r in rows.items()
        if k in primaries and r["twenty_id"] and r["state"] == "done" and r["outcome"] != "merged"
    }
    if phase.key_field:
        in_twenty = count_in(client, phase.target, phase.key_field, _key_values(phase))
        where = f"records carrying this phase's {phase.key_field} values"
    else:
        in_twenty = count_in(client, phase.target, "id", sorted(landed))
        where = "records with the ledger's ids"
    problems = []
    if without:
        problems.append(f"{len(without)} source records have no outcome (first: {without[0]})")
    if sum(outcomes.values()) != len(expected):
        problems.append(f"{len(expected)} source rows but {sum(outcomes.values())} outcomes")
    if in_twenty != len(landed):
        problems.append(f"Twenty holds {in_twenty} {where}, the ledger expects {len(landed)}")
    summary = ", ".join(f"{n} {o}" for o, n in outcomes.items() if n)
    message = (
        "; ".join(problems) if problems else f"{len(expected)} source rows = {summary or 'nothing'}"
    )
    return PhaseCheck(
        phase.name, len(expected), outcomes, without, len(landed), in_twenty, not problems, message
    )


@dataclass
class Reconciliation:
    """The proof after a load; `ok` only with zero unexplained differences."""

    objects: pl.DataFrame
    spot_check: pl.DataFrame
    integrity: pl.DataFrame
    not_loaded: pl.DataFrame
    links_missing: pl.DataFrame
    problems: list[str] = field(default_factory=list)
    batches: dict[str, Any] = field(default_factory=dict)  # load_traffic(): requests and splits

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_frames(self) -> dict[str, pl.DataFrame]:
        return {
            "objects": self.objects,
            "spot_check": self.spot_check,
            "integrity": self.integrity,
            "not_loaded": self.not_loaded,
            "links_missing": self.links_missing,
        }

    def write(self, folder: str | Path) -> Path:
        """CSV per table plus summary.json, in e.g. `runs/<name>/reconciliation/`."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name, frame in self.to_frames().items():
            frame.write_csv(folder / f"{name}.csv")
        summary = {
            "ok": self.ok,
            "problems": self.problems,
            "objects": self.objects.to_dicts(),
            "load": self.batches,
        }
        (folder / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n")
        return folder


@dataclass
class _Object:
    name: str
    target: str
    key_field: str | None
    source_keys: set[str] | None  # from the plan; None when only the ledger is known


BEFORE_LOAD = "(before load)"  # plan outcomes of map objects that no phase carries


def _objects(plan_or_ledger: LoadPlan | Ledger, ledger: Ledger) -> list[_Object]:
    if isinstance(plan_or_ledger, LoadPlan):
        plan = plan_or_ledger
        objects = [
            _Object(p.name, p.target, p.key_field, phase_source_keys(p, plan)) for p in plan.phases
        ]
        covered = set().union(*(o.source_keys or set() for o in objects))
        rest = set(plan.outcomes.get_column("source_key").to_list()) - covered
        return objects + ([_Object(BEFORE_LOAD, "", None, rest)] if rest else [])
    seen: dict[str, _Object] = {}
    for row in ledger.rows():
        name = row["phase"] or BEFORE_LOAD
        obj = seen.setdefault(name, _Object(name, "", None, None))
        obj.target = obj.target or row["target"] or ""  # plan-outcome rows carry no target
        obj.key_field = obj.key_field or row["key_field"]  # merged rows carry no key field
    return list(seen.values())


def reconcile(
    plan_or_ledger: LoadPlan | Ledger,
    client: Any,
    ledger: Ledger,
    *,
    spot_check: int = 40,
    seed: int = 7,
) -> Reconciliation:
    """Counts, spot check, relationship integrity and the not-loaded list for one migration."""
    rows = ledger.rows()
    by_key = {r["source_key"]: r for r in rows}
    problems: list[str] = []
    object_rows, landed_rows = [], []
    twenty: dict[str, dict[str, Any]] = {}
    for obj in _objects(plan_or_ledger, ledger):
        mine = [r for r in rows if (r["phase"] or BEFORE_LOAD) == obj.name]
        keys = obj.source_keys if obj.source_keys is not None else {r["source_key"] for r in mine}
        counts = dict.fromkeys(OUTCOMES, 0)
        for key in keys:
            outcome = (by_key.get(key) or {}).get("outcome")
            if outcome:
                counts[outcome] += 1
        no_outcome = sum(1 for k in keys if not (by_key.get(k) or {}).get("outcome"))
        landed = [
            r
            for r in mine
            if r["source_key"] in keys
            and r["twenty_id"]
            and r["state"] == "done"
            and r["outcome"] != "merged"
        ]
        if not obj.target:
            found = []
        elif obj.key_field:
            values = [r["key_value"] for r in mine if r["key_value"] and r["merged_into"] is None]
            found = read_in(client, obj.target, obj.key_field, values)
        else:
            found = read_in(client, obj.target, "id", [r["twenty_id"] for r in landed])
        found_ids = {f["id"] for f in found}
        ledger_ids = {r["twenty_id"] for r in landed}
        for rec in found:
            twenty[rec["id"]] = rec
        missing, extra = ledger_ids - found_ids, found_ids - ledger_ids
        object_rows.append(
            {
                "object": obj.name,
                "target": obj.target,
                "source_rows": len(keys),
                **counts,
                "no_outcome": no_outcome,
                "in_ledger": len(ledger_ids),
                "in_twenty": len(found_ids),
                "missing_in_twenty": len(missing),
                "extra_in_twenty": len(extra),
            }
        )
        if no_outcome:
            problems.append(f"{obj.name}: {no_outcome} source records have no outcome")
        if missing:
            problems.append(f"{obj.name}: {len(missing)} ledger records are missing in Twenty")
        if extra:
            problems.append(
                f"{obj.name}: {len(extra)} records in Twenty the ledger does not know (duplicates?)"
            )
        landed_rows.extend(landed)

    spot = _spot_check(landed_rows, twenty, spot_check, seed)
    if spot.height and not spot.get_column("match").all():
        bad = spot.filter(~pl.col("match"))
        problems.append(
            f"spot check: {bad.height} fields differ (first: {bad.row(0, named=True)['source_key']})"
        )
    integrity, links_missing = _integrity(landed_rows, by_key, twenty)
    if integrity.height:
        problems.append(f"relationship integrity: {integrity.height} links wrong or dangling")
    not_loaded = pl.DataFrame(
        [
            {
                k: r[k]
                for k in ("source_key", "map_object", "phase", "outcome", "reason", "file", "line")
            }
            for r in rows
            if r["outcome"] in NOT_LANDED
        ],
        schema={
            "source_key": pl.Utf8,
            "map_object": pl.Utf8,
            "phase": pl.Utf8,
            "outcome": pl.Utf8,
            "reason": pl.Utf8,
            "file": pl.Utf8,
            "line": pl.Int64,
        },
    )
    return Reconciliation(
        objects=pl.DataFrame(object_rows) if object_rows else pl.DataFrame(),
        spot_check=spot,
        integrity=integrity,
        not_loaded=not_loaded,
        links_missing=links_missing,
        problems=problems,
        batches=load_traffic(ledger),
    )


def load_traffic(ledger: Ledger) -> dict[str, Any]:
    """Create requests per phase over every run, and how many Twenty refused whole (split)."""
    phases = ledger.batch_stats()
    batches = sum(p["batches"] for p in phases.values())
    records = sum(p["records"] for p in phases.values())
    return {
        "create_requests": batches,
        "split_batches": sum(p["split"] for p in phases.values()),
        "records_sent": records,
        "create_requests_per_record": round(batches / records, 4) if records else None,
        "phases": phases,
    }


_SPOT_SCHEMA = {
    "source_key": pl.Utf8,
    "target": pl.Utf8,
    "twenty_id": pl.Utf8,
    "field": pl.Utf8,
    "sent": pl.Utf8,
    "in_twenty": pl.Utf8,
    "match": pl.Boolean,
}


def _spot_check(
    landed: list[dict[str, Any]], twenty: dict[str, dict[str, Any]], size: int, seed: int
) -> pl.DataFrame:
    """Every sent field of a seeded random sample, compared with Twenty's read-back."""
    pool = sorted(landed, key=lambda r: r["source_key"])
    picked = random.Random(seed).sample(pool, min(size, len(pool)))
    out = []
    for row in sorted(picked, key=lambda r: r["source_key"]):
        body = json.loads(row["body"] or "{}")
        record = twenty.get(row["twenty_id"]) or {}
        bad = {f for f, _, _ in differences(body, record)}
        for fld, sent in sorted(body.items()):
            out.append(
                {
                    "source_key": row["source_key"],
                    "target": row["target"],
                    "twenty_id": row["twenty_id"],
                    "field": fld,
                    "sent": json.dumps(sent, default=str),
                    "in_twenty": json.dumps(record.get(fld), default=str),
                    "match": fld not in bad,
                }
            )
    return pl.DataFrame(out, schema=_SPOT_SCHEMA)


_LINK_SCHEMA = {
    "source_key": pl.Utf8,
    "target": pl.Utf8,
    "field": pl.Utf8,
    "points_at": pl.Utf8,
    "expected_id": pl.Utf8,
    "in_twenty": pl.Utf8,
    "problem": pl.Utf8,
}


def _integrity(
    landed: list[dict[str, Any]],
    by_key: dict[str, dict[str, Any]],
    twenty: dict[str, dict[str, Any]],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each link in Twenty points at the ledger's id of its target, and that target exists."""
    issues, missing = [], []
    for row in landed:
        record = twenty.get(row["twenty_id"])
        if record is None:
            continue
        body = json.loads(row["body"] or "{}")
        for fld, points_at in sorted(json.loads(row["refs"] or "{}").items()):
            if points_at is None:
                continue
            if points_at.startswith("twenty:"):
                expected = points_at[len("twenty:") :]
            else:
                expected = (by_key.get(points_at) or {}).get("twenty_id")
            base = {
                "source_key": row["source_key"],
                "target": row["target"],
                "field": fld,
                "points_at": points_at,
                "expected_id": expected,
                "in_twenty": record.get(fld),
            }
            if fld not in body:
                missing.append({**base, "problem": "not linked: target did not land (flagged)"})
            elif record.get(fld) != expected:
                issues.append({**base, "problem": "Twenty's link differs from the ledger"})
            elif not points_at.startswith("twenty:") and expected not in twenty:
                issues.append({**base, "problem": "linked record not found in Twenty"})
    return pl.DataFrame(issues, schema=_LINK_SCHEMA), pl.DataFrame(missing, schema=_LINK_SCHEMA)
