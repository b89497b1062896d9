"""02_mapping in JupyterLab, in a real browser: run the cells, re-target a field in the widget
editor, press Confirm, and find the confirmed map on disk."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import papermill
import pytest
import yaml

from workbench.mapping import content_hash, load_confirmed_map, load_map
from workbench.pipeline import NOTEBOOK_DIR

from .browser_lab import Lab, keep_artifact, start_lab

ROOT = Path(__file__).resolve().parents[2]
KARTRA = ROOT / "data" / "samples" / "kartra"
# what 01_discovery leaves in a run folder, taken from the shared Kartra run
DISCOVERY_ARTIFACTS = ("01_discovery.ipynb", "discovery.json", "run.json", "inventories")
RUN_ALL_TIMEOUT_MS = 180_000
ANALYST = "Browser Analyst"
EDITED = ("contacts", "ip")  # the analyst decides IP addresses do not travel into the CRM


@pytest.fixture
def prepared_lab(kartra_run: Path, tmp_path: Path) -> Iterator[tuple[Lab, Path]]:
    """JupyterLab over a folder holding a Kartra run after discovery and 02_mapping, interactive."""
    root = tmp_path / "lab"
    run = root / "run"
    run.mkdir(parents=True)
    for name in DISCOVERY_ARTIFACTS:
        source = kartra_run / name
        if source.is_dir():
            shutil.copytree(source, run / name)
        else:
            shutil.copy2(source, run / name)
    papermill.execute_notebook(
        str(NOTEBOOK_DIR / "02_mapping.ipynb"),
        str(root / "02_mapping.ipynb"),
        parameters={
            "source": "kartra",
            "export_dir": str(KARTRA),
            "run_dir": str(run),
            "interactive": True,
        },
        prepare_only=True,
        kernel_name="python3",
        progress_bar=False,
    )
    lab = start_lab(root, tmp_path / "jupyter-home")
    try:
        yield lab, run
    finally:
        lab.stop()
        assert lab.process.poll() is not None, "JupyterLab is still running"


def _run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-item", has=page.get_by_text("Run", exact=True)).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def test_editor_confirms_the_changed_map_from_the_browser(prepared_lab, page, tmp_path) -> None:
    lab, run = prepared_lab
    started = datetime.now(UTC).replace(microsecond=0)
    lab.start_kernel("02_mapping.ipynb")
    page.goto(lab.url("lab/tree/02_mapping.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)
    assert not page.locator(".jp-Dialog").count()

    _run_all_cells(page)
    # the notebook's last cell shows the quarantine table: every cell before it ran without error
    outputs = page.locator(".jp-OutputArea-output")
    outputs.filter(has_text="Quarantined values (first rows").wait_for(timeout=RUN_ALL_TIMEOUT_MS)
    assert outputs.filter(has_text="every row accounted for: True").count() == 1
    assert not page.locator(".jp-OutputArea-output", has_text="Traceback").count()
    assert lab.listening_addresses() == {"127.0.0.1"}, lab.listening_addresses()

    map_yaml = run / "map.yaml"
    before_text = map_yaml.read_text(encoding="utf-8")
    before = load_map(map_yaml)
    assert [r for r in before.objects["contacts"].fields if EDITED[1] in r.inputs]

    table, column = EDITED
    label = page.locator(".widget-html-content", has_text=re.compile(rf"^{table}\.{column}$"))
    row = page.locator(".widget-hbox").filter(has=label)
    assert row.count() == 1
    target = row.locator("select").first
    assert target.input_value() == "custom:ipAddress"
    target.select_option("ignore")
    # the custom-field checkbox follows the new target (the kernel answers over the comm)
    row.locator("input[type=checkbox]").wait_for(state="attached")
    page.wait_for_function(
        "el => !el.checked", arg=row.locator("input[type=checkbox]").element_handle()
    )
    page.locator(".widget-text", has=page.get_by_text("Confirmed by", exact=True)).locator(
        "input"
    ).fill(ANALYST)
    page.locator("button.widget-button", has_text="Confirm").click()
    status = page.get_by_text(f"Confirmed by {ANALYST}")
    status.wait_for(timeout=30_000)

    # what the analyst sees: the re-targeted row among its neighbours, then the confirmation
    shots = []
    for name, anchor in (("mapping-editor-row", row), ("mapping-editor-confirmed", status)):
        anchor.scroll_into_view_if_needed()
        shots.append(tmp_path / f"{name}.png")
        page.screenshot(path=str(shots[-1]))
        keep_artifact(shots[-1])
    assert all(s.stat().st_size > 20_000 for s in shots)
    editor = page.locator(".widget-vbox", has=page.locator("button.widget-button")).last
    width, height = page.evaluate(
        "el => [el.getBoundingClientRect().width, el.getBoundingClientRect().height]",
        editor.element_handle(),
    )
    assert editor.locator(".widget-hbox select").count() >= 3 * 80  # one row per column
    assert width > 800 and height > 2000, (width, height)

    after_text = map_yaml.read_text(encoding="utf-8")
    assert after_text != before_text
    after = load_confirmed_map(map_yaml)  # raises unless the confirmation hash matches
    block = yaml.safe_load(after_text)["confirmation"]
    assert block["confirmed_by"] == ANALYST
    assert block["content_hash"] == content_hash(after) != before.confirmation.content_hash
    assert datetime.fromisoformat(block["confirmed_at"]) >= started
    assert not [r for r in after.objects[table].fields if column in r.inputs]
    expected = before.model_copy(deep=True)
    expected.objects[table].fields = [
        r for r in before.objects[table].fields if column not in r.inputs
    ]
    assert content_hash(after) == content_hash(expected), "more than the edited row changed"
    assert not page.console_errors or all("favicon" in e for e in page.console_errors), (
        page.console_errors
    )
