"""Fields the map wants that already exist in the destination with another type: decisions.

Clients consolidate several systems into one workspace, and workspaces carry their own custom
fields, so a map's `leadSource` SELECT may meet an existing `leadSource` TEXT. Twenty cannot
change a field's type in place, so the analyst chooses, per conflict, in 02_mapping:

- **as text** — reuse the existing TEXT field: a select writes its option's label (an unknown
  value is kept as written, flagged). Offered only where the existing field can hold the values.
- **new field** — keep the map's type under a new name (e.g. `leadSourceSalesmate`).

The destination's model arrives as data (a list of `ObjectInfo`, read by `workbench.twenty`).
Decisions are recorded in the run folder (`decisions/schema.json`) and applied to the confirmed
map as an overlay, so the confirmed YAML — and its hash — stay as the analyst confirmed them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import MapValidationError
from workbench.mapping.spec import CustomField, MapSpec
from workbench.twenty import names
from workbench.twenty.metadata import ObjectInfo
from workbench.twenty.model import FieldType
from workbench.twenty.schema import CONFLICT, plan_schema

AS_TEXT, NEW_FIELD = "as text", "new field"
# existing type → the map types whose values it can hold, and how (the transform option)
HOLDS_AS_TEXT = {"TEXT": {str(FieldType.SELECT), str(FieldType.TEXT)}}


@dataclass
class FieldConflict:
    """One map field that exists in the destination with a type the map cannot use as is."""

    target: str  # the map's object (plural REST name)
    object: str  # Twenty's singular name
    field: str  # the field's name in the map
    wanted: str  # the type the map declares
    existing: str  # the type in the destination
    choices: list[str]
    choice: str
    new_name: str  # the name a new field would get
    decided_by: str = "proposed"  # proposed | parameter | widget

    @property
    def key(self) -> str:
        return f"{self.object}.{self.field}"

    @property
    def result(self) -> str:
        if self.choice == AS_TEXT:
            return f"loads into the existing {self.existing} field {self.field} as text"
        return f"creates {self.new_name} ({self.wanted}); the existing {self.field} is left alone"


def _plural_of(objects: list[ObjectInfo], singular: str) -> str | None:
    return next((o.name_plural for o in objects if o.name_singular == singular), None)


def _new_name(spec: MapSpec, base: str, taken: set[str]) -> str:
    """`leadSource` from Salesmate → `leadSourceSalesmate` (then `…2` if that is taken too)."""
    return names.field_name(base + spec.source[:1].upper() + spec.source[1:], taken)


def find_conflicts(spec: MapSpec, existing: list[ObjectInfo]) -> list[FieldConflict]:
    """Every field of the map that exists in `existing` with another type, with a proposal."""
    plan = plan_schema(spec.required_schema(), existing)
    live = {o.name_singular: {f.name: f for f in o.fields} for o in existing}
    out: list[FieldConflict] = []
    for item in plan.items:
        if item.kind != "field" or item.action != CONFLICT or item.id is None:
            continue
        target = _plural_of(existing, item.object) or item.object
        current = live.get(item.object, {}).get(item.name)
        if current is None:
            continue
        taken = set(live.get(item.object, {})) | set(spec.custom_fields.get(target, {}))
        fits = item.type in HOLDS_AS_TEXT.get(current.type, set())
        choices = [AS_TEXT, NEW_FIELD] if fits else [NEW_FIELD]
        out.append(
            FieldConflict(
                target=target,
                object=item.object,
                field=item.name,
                wanted=item.type,
                existing=current.type,
                choices=choices,
                choice=choices[0],
                new_name=_new_name(spec, item.name, taken),
            )
        )
    return out


def decide(
    conflicts: list[FieldConflict], choices: dict[str, str] | None, *, by: str = "parameter"
) -> list[FieldConflict]:
    """Apply the analyst's choices: `{"person.leadSource": "as text" | "new field" |
    "new field:<name>"}`; conflicts not named keep the proposal. Every bad entry is reported."""
    choices = dict(choices or {})
    known = {c.key: c for c in conflicts}
    problems = [f"{k!r} is not a conflict here" for k in choices if k not in known]
    for key, value in choices.items():
        conflict = known.get(key)
        if conflict is None:
            continue
        choice, _, name = str(value).partition(":")
        choice = choice.strip().lower()
        if choice not in conflict.choices:
            problems.append(f"{key}: {value!r} is not one of {conflict.choices}")
            continue
        if name.strip():
            if not names.is_valid_name(name.strip()):
                problems.append(f"{key}: {name.strip()!r} is not a camelCase field name")
                continue
            conflict.new_name = name.strip()
        conflict.choice, conflict.decided_by = choice, by
    if problems:
        raise MapValidationError(
            "schema_decisions: " + "; ".join(problems),
            column="schema_decisions",
        )
    return conflicts


def to_frame(conflicts: list[FieldConflict]) -> pl.DataFrame:
    """One row per conflict, for the notebook and the scope document."""
    columns = ["field", "map wants", "exists as", "decision", "result", "decided by", "options"]
    rows = [
        {
            "field": c.key,
            "map wants": c.wanted,
            "exists as": c.existing,
            "decision": c.choice,
            "result": c.result,
            "decided by": c.decided_by,
            "options": " | ".join(c.choices),
        }
        for c in conflicts
    ]
    return pl.DataFrame(rows, schema={k: pl.Utf8 for k in columns})


def apply_decisions(spec: MapSpec, conflicts: list[FieldConflict]) -> MapSpec:
    """The map as it will load: a copy with each decision carried into fields and rules."""
    if not conflicts:
        return spec
    out = spec.model_copy(deep=True)
    for c in conflicts:
        fields = out.custom_fields.setdefault(c.target, {})
        declared = fields.get(c.field)
        if c.choice == AS_TEXT:
            label = declared.label if declared else c.field
            fields[c.field] = CustomField(type=FieldType.TEXT, label=label)
            for obj in out.objects.values():
                if obj.target != c.target:
                    continue
                for rule in obj.fields:
                    if rule.target == c.field and rule.transform == "select":
                        rule.options = {**rule.options, "text": True}
            continue
        if declared is not None:
            fields[c.new_name] = declared.model_copy(
                update={"label": f"{declared.label or c.field} ({spec.source})"}
            )
            del fields[c.field]
        for obj in out.objects.values():
            if obj.target != c.target:
                continue
            if obj.source_key_field == c.field:
                obj.source_key_field = c.new_name
            for rule in obj.fields:
                root, dot, sub = rule.target.partition(".")
                if root == c.field:
                    rule.target = c.new_name + dot + sub
                if rule.keep_as == c.field:
                    rule.keep_as = c.new_name
    return out


def write_decisions(conflicts: list[FieldConflict], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"fields": [asdict(c) for c in conflicts]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_decisions(path: str | Path) -> list[FieldConflict]:
    path = Path(path)
    if not path.exists():
        return []
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return [FieldConflict(**item) for item in data.get("fields", [])]
    except (json.JSONDecodeError, TypeError) as exc:
        raise MapValidationError(
            f"expected the recorded schema decisions ({exc})", file=path
        ) from exc


def against_destination(columns: list[Any], existing: list[ObjectInfo], source: str) -> None:
    """Adjust proposed custom fields (ColumnProposal) to the destination's existing fields."""
    live = {o.name_plural: {f.name: f for f in o.fields} for o in existing}
    suffix = source[:1].upper() + source[1:]
    for column in columns:
        if column.from_default or not column.field.startswith("custom:"):
            continue
        name = column.field.removeprefix("custom:")
        fields = live.get(column.object, {})
        current = fields.get(name)
        if current is None:
            continue
        wanted = column.custom_type or str(FieldType.TEXT)
        if current.type == wanted:
            column.evidence += f"; reuses the destination's {current.type} field {name}"
        elif wanted in HOLDS_AS_TEXT.get(current.type, set()):
            column.custom_type, column.transform = current.type, "text"
            column.evidence += (
                f"; {name} exists as {current.type} in the destination: loads as text"
            )
        else:
            new = names.field_name(name + suffix, set(fields))
            column.field = f"custom:{new}"
            column.evidence += (
                f"; {name} exists as {current.type} in the destination: new field {new}"
            )


def load_run_map(map_path: str | Path, decisions_path: str | Path) -> MapSpec:
    """The confirmed map with the run's recorded schema decisions applied (03, 04, 05)."""
    from workbench.mapping.confirm import load_confirmed_map

    return apply_decisions(load_confirmed_map(map_path), read_decisions(decisions_path))
