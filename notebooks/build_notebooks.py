"""Writes notebooks/*.ipynb from the cell lists below (so the notebooks stay reviewable as code).

Run `python notebooks/build_notebooks.py` after changing a notebook's cells here.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[1] / "notebooks"


def md(text: str, *tags: str):
    return new_markdown_cell(text.strip(), metadata={"tags": list(tags)})


def code(text: str, *tags: str):
    return new_code_cell(text.strip(), metadata={"tags": list(tags)})


COMMON_PARAMETERS = """
source = "kartra"  # kartra, allclients, smartcrm, altcraft, salesmate
export_dir = "../data/samples/kartra"  # the client's export folder
run_dir = "../runs/interactive-kartra"  # this run's folder: every artifact lands here
"""

NOTEBOOKS = {
    "01_discovery": [
        md("""
# 01 · Discovery
Profiles the client's export: what it holds, how complete it is, which custom fields, tags and
quality problems it carries, and how hard the migration will be. Writes `discovery.json` and the
inventories of what does not migrate into the run folder.
"""),
        code(COMMON_PARAMETERS, "parameters"),
        code("""
from workbench.reports.display import show_figure, show_markdown, show_table
from workbench.steps import discovery

step = discovery.run(source, export_dir, run_dir)
print(step.summary_line())
"""),
        md(
            """
## The export
What the client's export holds, object by object, as read from the files.
""",
            "scope",
        ),
        code(
            """
show_markdown(step.export_markdown())
show_table(step.counts(), "Records per object")
""",
            "scope",
        ),
        md(
            """
## How the headers were read
Exports name the same field in several ways (API names, the web UI's labels, spreadsheet
re-saves). Each header was matched to the source's standard field once, here; every later step
uses the standard names.
""",
            "scope",
        ),
        code(
            """
show_markdown(step.headers_markdown())
show_table(step.headers(), "Headers read under another name", max_rows=300)
""",
            "scope",
        ),
        md("## Complexity and estimate", "scope"),
        code(
            """
show_markdown(step.complexity_markdown())
show_table(step.complexity_table(), "Grade per dimension, with the figures behind it")
""",
            "scope",
        ),
        md("## Field completeness", "scope"),
        code(
            """
show_figure(step.completeness_chart(), "completeness per column")
""",
            "scope",
        ),
        code("""
show_table(step.columns(), "Every column: kind, completeness, distinct values", max_rows=500)
"""),
        md(
            """
## Custom fields
Columns beyond the source's standard export schema. Each becomes a custom field in Twenty with
the type inferred from its values.
""",
            "scope",
        ),
        code(
            """
show_table(step.custom_fields(), "Custom fields to create in Twenty", max_rows=200)
""",
            "scope",
        ),
        md("## Tags and lists", "scope"),
        code(
            """
show_markdown(step.tags_markdown())
show_table(step.tags(), "Tags and list values, normalised", max_rows=80)
show_table(step.near_duplicate_tags(), "Near-duplicate tags to merge")
show_figure(step.tag_chart(), "tag frequencies")
""",
            "scope",
        ),
        md("## Data quality", "scope"),
        code(
            """
show_table(step.quality_flags(), "Quality flags")
""",
            "scope",
        ),
        code("""
show_table(step.quality_examples(), "Example rows per flag (file and line)", max_rows=100)
"""),
        md("## Records over time", "scope"),
        code(
            """
show_figure(step.timeline_chart(), "records created per month")
""",
            "scope",
        ),
        md(
            """
## What does not migrate as records
These become written inventories in the run folder, with what the client's admin rebuilds in
Twenty.
""",
            "scope",
        ),
        code(
            """
show_table(step.inventories(), "Inventories delivered with this migration")
""",
            "scope",
        ),
        code("""
print("discovery.json:", step.run.discovery_json)
"""),
    ],
    "02_mapping": [
        md("""
# 02 · Mapping
The workbench proposes the map; the analyst confirms it before any record moves. In JupyterLab,
set `interactive = True` to edit the proposal in widgets and confirm it; headless runs read the
confirmed YAML map and stop if it is unconfirmed or changed since confirmation.
"""),
        code(
            COMMON_PARAMETERS
            + """
map_path = None  # None: the source's default map; else a YAML map the analyst keeps
interactive = False  # True in JupyterLab: edit the proposal in widgets and confirm it
export_locale = "en_US"  # decides 03/04/2021: en_US month first, en_GB day first
default_region = "US"  # region for phone numbers written without a country code
deliver_as_report = []  # map objects written to a CSV report instead of loaded, e.g. ["campaigns"]
schema_decisions = {}  # fields the destination already has with another type, e.g. {"person.leadSource": "new field"}
""",
            "parameters",
        ),
        code("""
from IPython.display import display

from workbench.reports.display import show_markdown, show_table
from workbench.steps import mapping

step = mapping.prepare(source, export_dir, run_dir, map_path=map_path)
print(step.summary_line())
"""),
        md(
            """
## Fields that already exist in the destination
The destination workspace may already hold fields of the same name (another source loaded
before, or the client's own custom fields). Where the existing type cannot take the map's
values as they are, the analyst decides: load them into the existing field as text, or create a
new field under another name. The decisions are kept in `decisions/schema.json`.
""",
            "scope",
        ),
        code(
            """
decisions = step.check_destination(schema_decisions)
show_markdown(step.destination_note)
show_table(decisions, "Decisions about fields that exist with another type")
""",
            "scope",
        ),
        code("""
if interactive:
    display(step.decision_widget())
    display(step.editor())
"""),
        md("## Proposal for columns the default map does not cover"),
        code("""
show_table(step.proposal(), "Proposed targets with confidence and evidence", max_rows=200)
"""),
        md(
            """
## Field mapping
How every source column lands in Twenty. The confirmed map is kept in the run folder as
`map.yaml`.
""",
            "scope",
        ),
        code(
            """
show_markdown(step.confirmation_markdown())
show_table(step.matrix(), "Field-mapping matrix", max_rows=600)
""",
            "scope",
        ),
        md("## Custom fields and objects to create", "scope"),
        code(
            """
show_table(step.schema_requirements(), "Created in Twenty before any record loads", max_rows=300)
""",
            "scope",
        ),
        code("""
staged = step.stage(
    export_locale=export_locale, default_region=default_region, deliver_as_report=deliver_as_report
)
print(step.staged_line())
"""),
        md(
            """
## Values that need attention
Values Twenty would not accept are quarantined with their file, line and reason; rows the map
routes away (for example contacts without an email) wait in the reconciliation queue. None is
dropped: each is counted in reconciliation.
""",
            "scope",
        ),
        code(
            """
show_table(step.outcome_counts(), "Staged, quarantined and queued rows per object")
show_table(step.quarantine_summary(), "Quarantined values by reason")
show_table(step.flag_summary(), "Values transformed with a note (kept, but worth a look)")
""",
            "scope",
        ),
        code("""
show_table(step.quarantine_examples(), "Quarantined values (first rows; all in quarantine.csv)", max_rows=100)
"""),
    ],
    "03_resolve": [
        md("""
# 03 · Resolution
Rebuilds what the CSV exports flattened: one company per real business, one person per real
person, notes and activities on the right records, owners matched to workspace members.
Borderline company pairs wait for review; decisions are saved in the run folder and reapplied on
every later run.
"""),
        code(
            COMMON_PARAMETERS
            + """
merge_policy = "flag"  # near-duplicate people (same name + phone or company): "flag" for review, or "merge"
placeholder_company = False  # True: link unresolvable records to one placeholder company
interactive = False  # True in JupyterLab: review borderline pairs with buttons
""",
            "parameters",
        ),
        code("""
from IPython.display import display

from workbench.reports.display import show_markdown, show_table
from workbench.steps import resolve

step = resolve.run(
    source, export_dir, run_dir, merge_policy=merge_policy, placeholder_company=placeholder_company
)
print(step.summary_line())
"""),
        code("""
if interactive:
    display(step.review_widget())
"""),
        md("## Dedupe and join strategy", "scope"),
        code(
            """
show_markdown(step.strategy_markdown())
show_table(step.resolution_counts(), "What resolution found")
show_table(step.links_summary(), "Links rebuilt per relation (notes and activities joined by email, then name)")
""",
            "scope",
        ),
        code("""
show_table(step.company_clusters(), "Company clusters with more than one spelling", max_rows=60)
show_table(step.review_queue(), "Pairs waiting for review", max_rows=60)
show_table(step.unresolved(), "Links that could not be rebuilt (queued with reason)", max_rows=60)
"""),
        md("## Load plan", "scope"),
        code(
            """
show_table(step.plan_table(), "Phases in dependency order")
""",
            "scope",
        ),
    ],
    "04_load": [
        md("""
# 04 · Load
Creates the custom schema, loads a sample, then everything, phase by phase in dependency order.
The ledger records every source record's outcome, so a re-run changes nothing and an interrupted
run resumes without duplicates. After each phase the counts must add up before the next starts.
The destination comes from TWENTY_API_URL and TWENTY_API_KEY (environment or .env); without them
it is the built-in emulator.
"""),
        code(
            COMMON_PARAMETERS
            + """
sample_size = 100  # records loaded first, across phases, before the full load
full_load = True  # False: stop after the sample load
""",
            "parameters",
        ),
        code("""
from workbench.reports.display import show_markdown, show_metrics, show_table
from workbench.steps import load

step = load.open(run_dir)
print(step.summary_line())
"""),
        md("## Destination", "summary"),
        code(
            """
show_metrics(step.destination_facts(), "What the destination supports (server.json)")
""",
            "summary",
        ),
        code("""
show_table(step.schema_plan(), "Custom schema to sync: what exists and what will be created", max_rows=300)
"""),
        md("## Schema changes", "summary"),
        code(
            """
step.apply_schema()
show_markdown(step.schema_markdown())
show_table(step.schema_table(), "Custom schema after the sync", max_rows=300)
""",
            "summary",
        ),
        code("""
step.sample_load(sample_size)
show_table(step.phase_table(), "After the sample load")
"""),
        md("## Load by phase", "summary"),
        code(
            """
if full_load:
    step.full_load()
show_table(step.phase_table(), "Outcomes per phase, with the reconciliation check")
""",
            "summary",
        ),
        code("""
step.raise_if_failed()
"""),
    ],
    "05_reconcile": [
        md("""
# 05 · Reconciliation
Proves the migration: source rows against ledger outcomes against what Twenty holds (read back
through the API, every page), a field-by-field spot check, relationship integrity, and the list
of every record that did not land with its reason.
"""),
        code(
            COMMON_PARAMETERS
            + """
spot_check = 40  # records compared field by field
seed = 7  # makes the spot check repeatable
rollback = False  # True: undo this run in Twenty (guarded: only this run's records)
""",
            "parameters",
        ),
        code("""
from workbench.reports.display import show_markdown, show_table
from workbench.steps import reconcile

step = reconcile.run(source, export_dir, run_dir, spot_check=spot_check, seed=seed)
print(step.summary_line())
"""),
        md("## Result", "summary"),
        code(
            """
show_markdown(step.verdict_markdown())
show_table(step.counts(), "Source rows, ledger outcomes and destination records per object")
""",
            "summary",
        ),
        md("## Spot check", "summary"),
        code(
            """
show_table(step.spot_check(), "Fields compared between the source value sent and Twenty's record")
""",
            "summary",
        ),
        md("## Relationship integrity", "summary"),
        code(
            """
show_table(step.integrity(), "Links checked in Twenty")
""",
            "summary",
        ),
        md("## Records not migrated, and why", "summary"),
        code(
            """
show_table(step.not_landed_summary(), "By object and reason (every record in reconciliation/not_loaded.csv)")
show_table(step.not_landed(), "First records", max_rows=40)
""",
            "summary",
        ),
        md("## Values transformed or truncated", "summary"),
        code(
            """
show_table(step.transformed(), "Values changed on the way, by field and kind")
""",
            "summary",
        ),
        md("## Inventories", "summary"),
        code(
            """
show_table(step.inventories(), "Written inventories in the run folder")
""",
            "summary",
        ),
        code("""
if rollback:
    show_markdown(step.rollback())
"""),
    ],
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        notebook = new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        }
        notebook.metadata["language_info"] = {"name": "python"}
        for number, cell in enumerate(notebook.cells):
            cell["id"] = f"{name[:2]}-{number:02d}"
        nbformat.write(notebook, OUT / f"{name}.ipynb")


if __name__ == "__main__":
    main()
