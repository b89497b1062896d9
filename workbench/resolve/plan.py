"""Staged records → the load plan: dedupe, merge, rebuild relations, order the phases.

Every source row ends exactly once: as a key in some phase's `source_keys` (itself first, then
the records merged into it) or in `outcomes` (merged, queued, rejected, with the reason).
Phases follow Twenty's dependencies: companies → people → opportunities → notes → noteTargets →
tasks → taskTargets → custom objects (relations first) → attachments.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from workbench.errors import ResolveError
from workbench.records import (
    OUTCOME_SCHEMA,
    PLAN_SCHEMA,
    STAGED_SCHEMA,
    LoadPlan,
    Outcome,
    Phase,
    Staged,
    check_frame,
    dumps,
    record_key,
)
from workbench.resolve.associations import WORKSPACE_MEMBERS, Resolution, Resolver
from workbench.resolve.blocking import DEFAULT_RULES, CompanyRules
from workbench.resolve.companies import CompanyClusters
from workbench.resolve.decisions import Decisions, load_decisions
from workbench.resolve.merging import (
    ObjectInfo,
    SourceRecord,
    fold_companies,
    fold_people,
    payload_emails,
    payload_full_name,
)
from workbench.resolve.owners import owner_queue
from workbench.resolve.people import PeopleDuplicates, Policy
from workbench.resolve.settled import with_staged_outcomes

ORDER = {"companies": 0, "people": 1, "opportunities": 2, "notes": 3, "tasks": 5}
JUNCTIONS = {"noteTargets": ("notes", "noteId"), "taskTargets": ("tasks", "taskId")}
CUSTOM_RANK, LAST_RANK = 10, 99
LAST_TARGETS = {"attachments"}
PLACEHOLDER_ID = "__placeholder__"


@dataclass
class PlanParams:
    """Choices of the resolution step (notebook parameters of 03_resolve)."""

    people_policy: Policy = "flag"  # near-duplicate contacts: "flag" for review, or "merge"
    placeholder_company: str | None = (
        None  # name of a company for contacts whose company is unknown
    )
    unresolved: Literal["queue", "load"] = "queue"  # a relation that does not resolve
    company_from_contact: bool = True  # a deal without a company takes its contact's company
    company_rules: CompanyRules = DEFAULT_RULES
    decisions: Mapping[str, Decisions] | None = None
    run_dir: Path | None = None  # decisions are read from here when `decisions` is None


@dataclass
class Resolved:
    """The plan plus what the analyst reviews: clusters, duplicates, refs, owners to invite."""

    plan: LoadPlan
    companies: CompanyClusters | None
    people: PeopleDuplicates | None
    references: pl.DataFrame
    owners: pl.DataFrame
    notes: list[str] = field(default_factory=list)


def objects_info(spec: Any) -> dict[str, ObjectInfo]:
    """What the plan needs from a map spec: key field and whether the object is derived."""
    return {
        name: ObjectInfo(
            getattr(obj, "source_key_field", None), bool(getattr(obj, "derive_from", None))
        )
        for name, obj in spec.objects.items()
        if not getattr(obj, "inventory", None)
    }


def _info(value: str | Mapping[str, Any] | ObjectInfo | None) -> ObjectInfo:
    if isinstance(value, ObjectInfo):
        return value
    if isinstance(value, Mapping):
        return ObjectInfo(value.get("key_field"), bool(value.get("derived")))
    return ObjectInfo(value)


def _rank(target: str) -> int:
    if target in LAST_TARGETS:
        return LAST_RANK
    return ORDER.get(target, CUSTOM_RANK)


def _ordered_objects(records: dict[str, list[SourceRecord]], targets: dict[str, str]) -> list[str]:
    """Map objects in load order; custom objects after those their relations point at."""
    position = {m: i for i, m in enumerate(records)}
    names = sorted(records, key=lambda m: (_rank(targets[m]), position[m]))
    custom = [m for m in names if _rank(targets[m]) == CUSTOM_RANK]
    needs = {
        m: {r.get("map_object") for rec in records[m] for k, r in rec.refs.items() if "." not in k}
        & set(custom) - {m}
        for m in custom
    }
    ordered: list[str] = []
    while needs:
        ready = [m for m in custom if m in needs and not needs[m] - set(ordered)]
        if not ready:  # a cycle: keep the map's order; the loader links what it can
            ready = [next(m for m in custom if m in needs)]
        for m in ready:
            ordered.append(m)
            needs.pop(m)
    return [
        *(m for m in names if _rank(targets[m]) < CUSTOM_RANK),
        *ordered,
        *(m for m in names if _rank(targets[m]) > CUSTOM_RANK),
    ]


def _read(staged: Staged) -> tuple[dict[str, list[SourceRecord]], list[SourceRecord]]:
    records: dict[str, list[SourceRecord]] = {}
    duplicates: list[SourceRecord] = []
    for map_object, frame in staged.records.items():
        frame = check_frame(frame, STAGED_SCHEMA, f"staged {map_object}")
        seen: set[str] = set()
        records[map_object] = []
        for row in frame.iter_rows(named=True):
            rec = SourceRecord(
                key=record_key(map_object, row["source_id"]),
                map_object=map_object,
                source_id=row["source_id"],
                target=row["target"],
                payload=json.loads(row["payload"] or "{}"),
                refs=json.loads(row["refs"] or "{}"),
                file=row["_file"],
                line=row["_line"],
            )
            if rec.source_id in seen:
                rec.out = (Outcome.REJECTED, f"source id {rec.source_id} appears twice", None)
                duplicates.append(rec)
                continue
            seen.add(rec.source_id)
            records[map_object].append(rec)
    return records, duplicates


def _decisions(params: PlanParams) -> Mapping[str, Decisions]:
    if params.decisions is not None:
        return params.decisions
    if params.run_dir is not None:
        return load_decisions(params.run_dir)
    return {}


def _resolve_refs(
    rec: SourceRecord,
    resolver: Resolver,
    params: PlanParams,
    by_key: Mapping[str, SourceRecord],
    placeholder: SourceRecord | None,
    log: list[dict[str, Any]],
    owners: list[tuple[str, str, str]],
) -> list[tuple[str, str]]:
    """Fill `rec.plan_refs`; return the junction links (field, target key) that resolved."""
    links: list[tuple[str, str]] = []
    missing_links: list[str] = []
    for name, ref in sorted(rec.refs.items(), key=lambda item: item[0] != "companyId"):
        found = resolver.resolve(ref)
        company = rec.plan_refs.get("companyId")
        if found.how == "ambiguous" and company and found.candidates:
            # namesakes: the one at this record's company is meant
            at_company = [
                c for c in found.candidates if by_key[c].plan_refs.get("companyId") == company
            ]
            if len(at_company) == 1:
                found = Resolution(
                    at_company[0], "name+company", f"{found.reason}; one at {company}"
                )
            elif at_company:
                found = Resolution(
                    None, "ambiguous", f"{found.reason}; {len(at_company)} of them at {company}"
                )
        log.append(
            {
                "record_key": rec.key,
                "field": name,
                "map_object": ref.get("map_object"),
                "by": ref.get("by"),
                "value": ref.get("value"),
                "alt": ref.get("alt"),
                "resolved": found.key,
                "how": found.how,
                "reason": found.reason,
            }
        )
        if found.key is not None:
            if "." in name:
                links.append((name, found.key))
            else:
                rec.plan_refs[name] = found.key
            continue
        if "." in name:
            missing_links.append(f"{name}: {found.reason}")
        elif ref.get("map_object") == WORKSPACE_MEMBERS or found.reason.startswith(
            "no workspace member"
        ):
            owners.append((resolver.owner_email(ref), rec.key, name))
        elif name == "companyId" and placeholder is not None:
            rec.plan_refs[name] = placeholder.key
        elif params.unresolved == "queue" and rec.out is None:
            rec.out = (Outcome.QUEUED, f"{name}: {found.reason}", None)
    if (
        params.company_from_contact
        and rec.target == "opportunities"
        and "companyId" not in rec.refs
        and rec.plan_refs.get("pointOfContactId") in by_key
    ):
        company = by_key[rec.plan_refs["pointOfContactId"]].plan_refs.get("companyId")
        if company and company != (placeholder.key if placeholder else None):
            rec.plan_refs["companyId"] = company
    if missing_links and not links and rec.out is None:
        rec.out = (Outcome.QUEUED, "; ".join(missing_links), None)
    return links


def _frame(rows: Sequence[SourceRecord]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key": [r.key for r in rows],
            "source_keys": [
                [] if r.source_id == PLACEHOLDER_ID or r.target in JUNCTIONS else [r.key, *r.merged]
                for r in rows
            ],
            "payload": [dumps(r.payload) for r in rows],
            "refs": [dumps(r.plan_refs) for r in rows],
            "_file": [r.file for r in rows],
            "_line": [r.line for r in rows],
        },
        schema=PLAN_SCHEMA,
    )


def resolve_staged(
    staged: Staged,
    spec_objects_info: Mapping[str, str | Mapping[str, Any] | ObjectInfo],
    members: Sequence[Mapping[str, Any]] = (),
    *,
    params: PlanParams | None = None,
) -> Resolved:
    """The whole resolution step: clusters, duplicates, refs and owners, and the load plan.

    `spec_objects_info` is {map_object: key_field} or {map_object: {"key_field", "derived"}}
    (`objects_info(spec)` builds it); `members` are Twenty workspace members {id, userEmail, name}.
    """
    params = params or PlanParams()
    infos = {name: _info(value) for name, value in spec_objects_info.items()}
    unknown = sorted(set(staged.records) - set(infos))
    if unknown:
        raise ResolveError(f"staged objects {unknown} are not in the map's objects {sorted(infos)}")
    decided = _decisions(params)
    records, outcomes = _read(staged)
    resolver = Resolver(members, rules=params.company_rules)
    for frame, stage_outcome in ((staged.queue, "queued"), (staged.quarantine, "quarantined")):
        for row in frame.select("map_object", "source_id", "reason").iter_rows():
            if row[0] and row[1]:
                resolver.unavailable.setdefault(
                    f"{row[0]}:{row[1]}", f"{stage_outcome} at staging ({row[2]})"
                )
    targets = {m: (recs[0].target if recs else "") for m, recs in records.items()}
    for m in [m for m in records if targets[m] == WORKSPACE_MEMBERS]:
        for rec in records.pop(m):
            email = rec.payload.get("userEmail") or (payload_emails(rec.payload) or [None])[0]
            resolver.add_user(m, rec.source_id, email)
            found = resolver.member(email)
            rec.out = (
                (Outcome.MERGED, found.reason, found.key)
                if found.key
                else (Outcome.QUEUED, found.reason, None)
            )
            outcomes.append(rec)
    companies = fold_companies(records, resolver, params, infos, decided.get("companies"))
    people = fold_people(records, resolver, params, decided.get("people"))
    for m, recs in records.items():
        if targets[m] not in ("companies", "people"):
            for rec in recs:
                resolver.add(
                    m,
                    rec.source_id,
                    rec.key,
                    names=[payload_full_name(rec.payload)],
                    emails=payload_emails(rec.payload),
                )

    placeholder = None
    if params.placeholder_company:
        company_objects = [m for m in records if targets[m] == "companies"] or ["companies"]
        key_field = infos.get(company_objects[0], ObjectInfo(None)).key_field
        payload = {
            "name": params.placeholder_company,
            **({key_field: PLACEHOLDER_ID} if key_field else {}),
        }
        placeholder = SourceRecord(
            record_key(company_objects[0], PLACEHOLDER_ID),
            company_objects[0],
            PLACEHOLDER_ID,
            "companies",
            payload,
            {},
            None,
            None,
        )
    by_key = {rec.key: rec for recs in records.values() for rec in recs}
    log: list[dict[str, Any]] = []
    owners: list[tuple[str, str, str]] = []
    junctions: dict[str, list[SourceRecord]] = {name: [] for name in JUNCTIONS}
    phases: list[Phase] = []
    order = _ordered_objects(records, targets)
    for position, m in enumerate(order):
        recs = records[m]
        for rec in recs:
            if rec.out is not None:
                continue
            links = _resolve_refs(rec, resolver, params, by_key, placeholder, log, owners)
            if rec.out is not None:
                resolver.unavailable[rec.key] = rec.out[1]
                continue
            for name, target_key in links:
                junction, link_field = name.split(".", 1)
                parent_field = JUNCTIONS.get(junction, (None, f"{rec.target[:-1]}Id"))[1]
                junctions.setdefault(junction, []).append(
                    SourceRecord(
                        f"{junction}:{rec.source_id}|{link_field}",
                        junction,
                        f"{rec.source_id}|{link_field}",
                        junction,
                        {},
                        {},
                        rec.file,
                        rec.line,
                        plan_refs={parent_field: rec.key, link_field: target_key},
                    )
                )
        loading = [r for r in recs if r.out is None]
        if placeholder is not None and m == placeholder.map_object:
            loading.append(placeholder)
        phases.append(Phase(m, targets[m], _frame(loading), [m], infos[m].key_field))
        waiting: set[str] = set()  # folded into a queued record: already an outcome
        for rec in recs:
            if rec.out is None or rec.out[0] == Outcome.MERGED or rec.key in waiting:
                continue
            outcomes.append(rec)
            for merged in rec.merged:  # records folded into a queued one wait with it
                folded = by_key[merged]
                folded.out = (rec.out[0], f"merged into {rec.key}, which waits: {rec.out[1]}", None)
                outcomes.append(folded)
                waiting.add(folded.key)
        following = order[position + 1] if position + 1 < len(order) else None
        for junction, (parent, _) in JUNCTIONS.items():
            if targets[m] == parent and (
                following is None or _rank(targets[following]) > _rank(parent)
            ):
                if junctions[junction]:
                    phases.append(
                        Phase(junction, junction, _frame(junctions.pop(junction)), [], None)
                    )
                    junctions[junction] = []
    for junction, rows in junctions.items():  # links to records of no standard parent
        if rows:
            phases.append(Phase(junction, junction, _frame(rows), [], None))
    if placeholder is not None and not any(p.target == "companies" for p in phases):
        phases.insert(0, Phase("companies", "companies", _frame([placeholder]), [], None))
    outcome_frame = pl.DataFrame(
        {
            "source_key": [r.key for r in outcomes],
            "map_object": [r.map_object for r in outcomes],
            "outcome": [str(r.out[0]) for r in outcomes],
            "reason": [r.out[1] for r in outcomes],
            "merged_into": [r.out[2] for r in outcomes],
            "_file": [r.file for r in outcomes],
            "_line": [r.line for r in outcomes],
        },
        schema=OUTCOME_SCHEMA,
    )
    references = pl.DataFrame(
        log,
        schema={
            c: pl.Utf8
            for c in (
                "record_key",
                "field",
                "map_object",
                "by",
                "value",
                "alt",
                "resolved",
                "how",
                "reason",
            )
        },
    )
    # rows staging already settled (quarantined values, queue rules, inventories) end here too
    outcome_frame = with_staged_outcomes(outcome_frame, staged)
    return Resolved(
        LoadPlan(phases, outcome_frame), companies, people, references, owner_queue(owners)
    )


def build_load_plan(
    staged: Staged,
    spec_objects_info: Mapping[str, str | Mapping[str, Any] | ObjectInfo],
    members: Sequence[Mapping[str, Any]] = (),
    *,
    params: PlanParams | None = None,
) -> LoadPlan:
    """Staged records → LoadPlan (see `resolve_staged` for everything else it finds)."""
    return resolve_staged(staged, spec_objects_info, members, params=params).plan
