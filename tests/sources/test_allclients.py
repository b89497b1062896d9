"""AllClients: every file read with its row count, folders as assets, gaps noted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import ExportReadError
from workbench.samples.truth import SAMPLES_DIR, read_discovery, read_truth
from workbench.sources import allclients
from workbench.sources.base import get_source

ROOT = SAMPLES_DIR / "allclients"


@pytest.fixture(scope="module")
def export():
    return allclients.read_export(ROOT)


def test_objects_and_row_counts(export) -> None:
    assert get_source("allclients") is allclients
    objects = read_discovery("allclients")["objects"]
    expected = {o: i["rows"] for o, i in objects.items() if o != "email_templates"}
    assert {o: t.frame.height for o, t in export.tables.items()} == expected
    assert len(export.inventory_data["email_templates"]) == objects["email_templates"]["rows"]


def test_notes_keep_system_prefix_and_line_breaks(export) -> None:
    notes = export.tables["notes"].frame
    counts = read_discovery("allclients")["notes"]
    assert notes["note"].str.starts_with("[[System]]").sum() == counts["system_prefixed"]
    assert notes["note"].str.contains("\n").sum() == counts["multi_line"]
    truth_lines = sorted(int(n["line"]) for n in read_truth("allclients", "notes.csv"))
    assert sorted(notes["_line"].to_list()) == truth_lines


def test_dates_and_shared_emails_stay_raw_text(export) -> None:
    contacts = export.tables["contacts"].frame
    assert (
        contacts["adddate"].str.contains(r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$").all()
    )
    assert contacts.columns[0] == "id"


def test_assets_and_attachment_gaps(export) -> None:
    assert export.assets["attachments"] == ROOT / "attachments"
    assert export.assets["email_templates"] == ROOT / "email_templates"
    assert any("1 indexed file(s) not in the folder" in n for n in export.notes)
    assert any("unindexed scan.txt" in n for n in export.notes)


def test_contacts_are_required(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Notes.csv", tmp_path / "Notes.csv")
    with pytest.raises(ExportReadError, match="no contacts export found"):
        allclients.read_export(tmp_path)
