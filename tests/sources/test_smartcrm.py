"""Smart CRM Online: every file read with its row count; unlisted stages noted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import ExportReadError
from workbench.samples.truth import SAMPLES_DIR, read_discovery
from workbench.sources import smartcrm
from workbench.sources.base import get_source
from workbench.sources.schema import load_source_schema

ROOT = SAMPLES_DIR / "smartcrm"


@pytest.fixture(scope="module")
def export():
    return smartcrm.read_export(ROOT)


def test_objects_and_row_counts(export) -> None:
    assert get_source("smartcrm") is smartcrm
    expected = {o: i["rows"] for o, i in read_discovery("smartcrm")["objects"].items()}
    assert {o: t.frame.height for o, t in export.tables.items()} == expected


def test_custom_properties_are_the_headers_beyond_the_schema(export) -> None:
    schema = load_source_schema("smartcrm")
    custom = read_discovery("smartcrm")["custom_columns"]
    for obj, columns in custom.items():
        extra = [c for c in export.tables[obj].columns if c not in schema.objects[obj].columns]
        assert extra == columns


def test_unlisted_stage_is_noted(export) -> None:
    unlisted = read_discovery("smartcrm")["stages"]["used_but_unlisted"]
    assert any(all(s in n for s in unlisted) for n in export.notes)


def test_contacts_are_required(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Deals.csv", tmp_path)
    with pytest.raises(ExportReadError):
        smartcrm.read_export(tmp_path)
