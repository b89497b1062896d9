"""Fields the map meets in the destination with another type: proposal, decisions, overlay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mapping_fixtures import SAMPLES

from workbench.errors import MapValidationError
from workbench.mapping import load_default_map, propose_map, stage
from workbench.mapping.confirm import require_confirmed
from workbench.mapping.conflicts import (
    AS_TEXT,
    NEW_FIELD,
    apply_decisions,
    decide,
    find_conflicts,
    load_run_map,
    read_decisions,
    write_decisions,
)
from workbench.sources.base import get_source
from workbench.sources.schema import load_source_schema
from workbench.twenty.metadata import FieldInfo, ObjectInfo


def workspace(**fields: dict[str, str]) -> list[ObjectInfo]:
    """A destination with person/company fields of the given types (custom ones)."""
    plural = {"person": "people", "company": "companies"}
    return [
        ObjectInfo(
            id=f"obj-{singular}",
            name_singular=singular,
            name_plural=plural[singular],
            fields=[
                FieldInfo(id=f"f-{singular}-{n}", name=n, type=t, is_custom=True)
                for n, t in types.items()
            ],
        )
        for singular, types in fields.items()
    ]


@pytest.fixture(scope="module")
def salesmate_export():
    return get_source("salesmate").read_export(SAMPLES / "salesmate")


def test_text_can_hold_a_select_anything_else_gets_a_new_name() -> None:
    spec = load_default_map("salesmate")
    existing = workspace(person={"leadSource": "TEXT"}, company={"industry": "NUMBER"})
    conflicts = {c.key: c for c in find_conflicts(spec, existing)}
    assert set(conflicts) == {"person.leadSource", "company.industry"}
    lead, industry = conflicts["person.leadSource"], conflicts["company.industry"]
    assert (lead.choices, lead.choice) == ([AS_TEXT, NEW_FIELD], AS_TEXT)
    assert (industry.choices, industry.choice) == ([NEW_FIELD], NEW_FIELD)
    assert industry.new_name == "industrySalesmate"
    assert find_conflicts(spec, workspace(person={"leadSource": "SELECT"})) == []


def test_bad_decisions_are_reported_together() -> None:
    spec = load_default_map("salesmate")
    conflicts = find_conflicts(spec, workspace(company={"industry": "NUMBER"}))
    with pytest.raises(MapValidationError) as err:
        decide(
            conflicts,
            {"company.industry": "as text", "person.nope": "new field", "x.y": "as text"},
        )
    text = str(err.value)
    assert "'as text' is not one of ['new field']" in text
    assert "'person.nope' is not a conflict here" in text and "'x.y'" in text


def test_as_text_writes_labels_and_leaves_the_confirmed_map_alone(salesmate_export) -> None:
    spec = load_default_map("salesmate")
    conflicts = find_conflicts(spec, workspace(person={"leadSource": "TEXT"}))
    effective = apply_decisions(spec, conflicts)
    require_confirmed(spec)  # the confirmed map and its hash are untouched
    assert str(effective.custom_fields["people"]["leadSource"].type) == "TEXT"
    needs = {(f.object, f.name): str(f.type) for f in effective.required_schema().fields}
    assert needs[("person", "leadSource")] == "TEXT"
    before = stage(salesmate_export, spec).records["contacts"]
    after = stage(salesmate_export, effective).records["contacts"]
    old = {json.loads(p).get("leadSource") for p in before["payload"]} - {None}
    new = {json.loads(p).get("leadSource") for p in after["payload"]} - {None}
    assert "REFERRAL" in old and all(v.isupper() for v in old)  # option values for a SELECT
    assert "Referral" in new and "REFERRAL" not in new  # the option's label, as text
    assert before.height == after.height


def test_new_field_renames_the_field_and_its_rules(salesmate_export) -> None:
    spec = load_default_map("salesmate")
    conflicts = decide(
        find_conflicts(spec, workspace(company={"industry": "TEXT"})),
        {"company.industry": "new field:sector"},
    )
    effective = apply_decisions(spec, conflicts)
    assert "industry" not in effective.custom_fields["companies"]
    assert str(effective.custom_fields["companies"]["sector"].type) == "SELECT"
    staged = stage(salesmate_export, effective).records["companies"]
    payloads = [json.loads(p) for p in staged["payload"]]
    assert any("sector" in p for p in payloads) and not any("industry" in p for p in payloads)


def test_decisions_are_recorded_and_applied_by_later_steps(tmp_path: Path) -> None:
    spec = load_default_map("salesmate")
    conflicts = decide(
        find_conflicts(spec, workspace(person={"leadSource": "TEXT"})),
        {"person.leadSource": "new field"},
        by="widget",
    )
    path = write_decisions(conflicts, tmp_path / "decisions" / "schema.json")
    again = read_decisions(path)
    assert [(c.key, c.choice, c.new_name, c.decided_by) for c in again] == [
        ("person.leadSource", NEW_FIELD, "leadSourceSalesmate", "widget")
    ]
    from workbench.mapping import default_map_path

    run_map = load_run_map(default_map_path("salesmate"), path)
    assert "leadSourceSalesmate" in run_map.custom_fields["people"]
    assert load_run_map(default_map_path("salesmate"), tmp_path / "none.json") == spec


def test_the_proposal_reuses_or_renames_existing_custom_fields() -> None:
    export = get_source("kartra").read_export(SAMPLES / "kartra")
    schema = load_source_schema("kartra")
    plain = propose_map(export, schema, None)
    custom = [c for c in plain.columns if c.field.startswith("custom:") and c.object == "people"]
    assert custom
    first = custom[0]
    name = first.field.removeprefix("custom:")
    clash = "RATING" if first.custom_type != "RATING" else "CURRENCY"
    seen = propose_map(export, schema, None, existing=workspace(person={name: clash}))
    after = next(c for c in seen.columns if (c.table, c.column) == (first.table, first.column))
    assert after.field == f"custom:{name}Kartra"
    assert f"exists as {clash}" in after.evidence
    same = propose_map(
        export, schema, None, existing=workspace(person={name: first.custom_type or "TEXT"})
    )
    kept = next(c for c in same.columns if (c.table, c.column) == (first.table, first.column))
    assert kept.field == first.field and "reuses the destination's" in kept.evidence
