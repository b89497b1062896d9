"""02_mapping reads the destination first: conflicts become decisions, not a stop in 04_load."""

from __future__ import annotations

import json
from pathlib import Path

from mapping_fixtures import SAMPLES

from workbench.mapping import load_default_map
from workbench.mapping.conflicts import load_run_map
from workbench.settings import Settings
from workbench.steps import mapping
from workbench.steps.load import destination
from workbench.steps.runfolder import RunFolder
from workbench.twenty import apply_schema, plan_schema


def test_check_destination_decides_and_staging_uses_the_decisions(tmp_path: Path) -> None:
    run = tmp_path / "run"
    folder = RunFolder(run)
    with destination(folder, settings=Settings()) as client:  # the run's emulator workspace
        kartra = load_default_map("kartra")  # another source loaded here before
        apply_schema(client, plan_schema(kartra.required_schema(), client.list_objects()))
    step = mapping.prepare("salesmate", SAMPLES / "salesmate", run)
    table = step.check_destination({"company.industry": "new field"})
    rows = {r["field"]: r for r in table.iter_rows(named=True)}
    assert rows["person.leadSource"]["decision"] == "as text"
    assert rows["person.leadSource"]["decided by"] == "proposed"
    assert rows["company.industry"]["decision"] == "new field"
    assert rows["company.industry"]["decided by"] == "parameter"
    assert "industrySalesmate" in rows["company.industry"]["result"]
    assert "2 fields of the map already exist" in step.destination_note

    recorded = json.loads(folder.schema_decisions.read_text())
    assert {f["field"]: f["choice"] for f in recorded["fields"]} == {
        "leadSource": "as text",
        "industry": "new field",
    }
    assert folder.destination_schema.exists()
    needs = step.schema_requirements()
    assert "industrySalesmate" in needs["name"].to_list()
    staged = step.stage(export_locale="en_US", default_region="US")
    companies = [json.loads(p) for p in staged.records["companies"]["payload"]]
    assert any("industrySalesmate" in c for c in companies)
    assert not any("industry" in c for c in companies)
    with destination(folder, settings=Settings()) as client:  # what 04_load will sync
        spec = load_run_map(folder.map_yaml, folder.schema_decisions)
        assert (
            plan_schema(spec.required_schema(), client.list_objects(refresh=True)).conflicts == []
        )


def test_the_widget_records_a_changed_decision(tmp_path: Path) -> None:
    run = tmp_path / "run"
    folder = RunFolder(run)
    with destination(folder, settings=Settings()) as client:
        kartra = load_default_map("kartra")
        apply_schema(client, plan_schema(kartra.required_schema(), client.list_objects()))
    step = mapping.prepare("salesmate", SAMPLES / "salesmate", run)
    step.check_destination({})
    widget = step.decision_widget()
    pick = widget.children[0].children[1]
    key = widget.children[0].children[0].value.split(":")[0]
    pick.value = "new field"
    recorded = json.loads(folder.schema_decisions.read_text())["fields"]
    chosen = {f"{f['object']}.{f['field']}": (f["choice"], f["decided_by"]) for f in recorded}
    assert chosen[key] == ("new field", "widget")
    assert any(
        name.endswith("Salesmate")
        for name in step.spec.custom_fields["people" if key.startswith("person") else "companies"]
    )


def test_a_run_can_start_from_another_runs_workspace(tmp_path: Path) -> None:
    from workbench.cli import build_parser
    from workbench.pipeline import seed_workspace

    first = RunFolder(tmp_path / "kartra-run")
    with destination(first, settings=Settings()) as client:
        kartra = load_default_map("kartra")
        apply_schema(client, plan_schema(kartra.required_schema(), client.list_objects()))
    second = RunFolder(tmp_path / "salesmate-run")
    seed_workspace(second.root, first.root)
    step = mapping.prepare("salesmate", SAMPLES / "salesmate", second.root)
    assert step.check_destination({}).height == 2  # Kartra's leadSource and industry
    args = build_parser().parse_args(
        ["run", "--source", "salesmate", "--export", "x", "--workspace-from", str(first.root)]
    )
    assert args.workspace_from == str(first.root)
