"""A default map checked against its sample's ground truth (truth/*.csv beside the export)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from mapping_fixtures import SAMPLES

from workbench.mapping.spec import MapObject, MapSpec
from workbench.records import Staged
from workbench.sources.base import SourceExport
from workbench.twenty.names import field_name

# Truth targets a map cannot write (system fields; an owner on Opportunity, which this Twenty
# version lacks; an attachment's fullPath, known only after the upload) → where the value goes.
KEPT_INSTEAD = {
    "updatedAt": "lastEditedAt",
    "createdBy": "author",
    "ownerId": "owner",
    "fullPath": "_file_path",
}


def truth(source: str, name: str) -> pl.DataFrame:
    return pl.read_csv(SAMPLES / source / "truth" / name, infer_schema=False)


def records(staged: Staged, map_object: str) -> dict[str, dict[str, Any]]:
    """source_id → {payload, refs, flags} of one map object's staged records."""
    return {
        r["source_id"]: {
            "payload": json.loads(r["payload"]),
            "refs": json.loads(r["refs"]),
            "flags": r["flags"],
        }
        for r in staged.records[map_object].iter_rows(named=True)
    }


def _map_targets(obj: MapObject, column: str) -> set[str]:
    out = set()
    if obj.created_at and obj.created_at.column == column:
        out.add("createdAt")
    if obj.source_key == column:
        out.add("source_id")
    for rule in obj.fields:
        if column in rule.inputs:
            out.add(rule.target.split(".")[0])
    for key, rel in obj.relations.items():
        fallback = rel.fallback.inputs if rel.fallback else []
        if column in [*rel.inputs, *(rel.alt_columns or []), *fallback]:
            out.add(key)
    return out


def assert_truth_targets(export: SourceExport, spec: MapSpec, source: str) -> int:
    """Each column goes to the root field truth/columns.csv names; returns the columns checked.

    Tables the map lists as inventories (users, pipeline stages) are checked to be inventories.
    """
    by_file = {Path(f).name: name for name, t in export.tables.items() for f in t.files}
    objects = {o.source_table: o for o in spec.objects.values() if not o.derive_from}
    checked = 0
    for row in truth(source, "columns.csv").iter_rows(named=True):
        table = by_file.get(row["file"])
        if table is None or row["field"] == "ignore":
            continue
        obj = objects[table]
        checked += 1
        if row["object"] == "inventory" or obj.inventory:
            assert obj.inventory, row
            continue
        field = row["field"].removeprefix("custom:")
        root = field.split(".")[0]
        # a name Twenty reserves (address, currency) is kept under its translated name
        expected = {KEPT_INSTEAD.get(root, root), field_name(root)}
        if root in ("taskTargets", "noteTargets"):  # the truth names the junction only
            expected = {k for k in obj.relations if k.startswith(root + ".")}
        got = _map_targets(obj, row["column"])
        assert expected & got, (row, got)
        assert obj.target == row["object"], (row, obj.target)
    return checked
