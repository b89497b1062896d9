"""Helpers for loading a sample's real plan into an emulated workspace (tests and their worker)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.mapping import load_default_map, stage
from workbench.mapping.conflicts import apply_decisions, decide, find_conflicts
from workbench.records import LoadPlan, write_plan
from workbench.resolve.plan import objects_info, resolve_staged
from workbench.sources.base import get_source
from workbench.twenty import TwentyClient, apply_schema, emulator_transport, plan_schema
from workbench.twenty.emulator import FaultPlan

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = json.loads((ROOT / "data" / "samples" / "workspace_members.json").read_text())


def connect(db: Path, faults: FaultPlan | None = None, batch: int = 60) -> TwentyClient:
    transport = emulator_transport(db, faults=faults, members=MEMBERS)
    return TwentyClient(
        "http://twenty-emulator", "emulator", transport=transport,
        requests_per_minute=100_000, batch_size=batch, backoff=0.001, progress=False,
    )  # fmt: skip


def prepare(
    source: str, db: Path, plan_dir: Path | None = None, *, decisions: dict | None = None
) -> LoadPlan:
    """Schema synced in the workspace at `db`, and the sample's load plan (written if asked).

    Fields the workspace already holds with another type are decided as 02_mapping decides
    them: the proposal, or `decisions` where given.
    """
    spec = load_default_map(source)
    export = get_source(source).read_export(ROOT / "data" / "samples" / source)
    with connect(db) as client:
        conflicts = decide(find_conflicts(spec, client.list_objects(refresh=True)), decisions)
        spec = apply_decisions(spec, conflicts)
        apply_schema(client, plan_schema(spec.required_schema(), client.list_objects()))
        members = client.workspace_members()
    plan = resolve_staged(stage(export, spec), objects_info(spec), members).plan
    if plan_dir is not None:
        write_plan(plan, plan_dir)
    return plan


def snapshot(client: TwentyClient, plan: LoadPlan) -> dict[str, object]:
    """What a load left: every keyed record's source id per object, and how many of each object."""
    found: dict[str, object] = {}
    for phase in plan.phases:
        if phase.key_field:
            values = sorted(str(r.get(phase.key_field)) for r in client.find(phase.target))
            found[f"{phase.target}.{phase.key_field}"] = values
        found[phase.target] = client.count(phase.target)
    return found
