"""Altcraft: every file read (profiles are `;`-separated), inventories kept, credentials masked."""

from __future__ import annotations

import pytest

from workbench.samples.truth import SAMPLES_DIR, read_discovery
from workbench.sources import altcraft
from workbench.sources.base import get_source

ROOT = SAMPLES_DIR / "altcraft"


@pytest.fixture(scope="module")
def export():
    return altcraft.read_export(ROOT)


def test_objects_and_row_counts(export) -> None:
    assert get_source("altcraft") is altcraft
    objects = read_discovery("altcraft")["objects"]
    tables = {o: i["rows"] for o, i in objects.items() if not i["files"][0].endswith(".json")}
    assert {o: t.frame.height for o, t in export.tables.items()} == tables
    for name in ("dynamic_segments", "forms"):
        assert len(export.inventory_data[name]) == objects[name]["rows"]


def test_profiles_columns_split_on_semicolons(export) -> None:
    profiles = export.tables["profiles"]
    assert profiles.columns[:3] == ["profile_id", "_fname", "_lname"]
    assert set(read_discovery("altcraft")["custom_columns"]["profiles"]) <= set(profiles.columns)


def test_channel_credentials_never_leave_the_reader(export) -> None:
    secret = read_discovery("altcraft")["channels"]["secret_columns"]
    frame = export.tables["channels"].frame
    raw = (ROOT / "channels.csv").read_text(encoding="utf-8")
    for column in secret:
        values = [v for v in frame[column].to_list() if v]
        assert values and set(values) == {altcraft.MASK}
    for value in frame.select(secret).to_numpy().ravel():
        assert value in ("", altcraft.MASK)
    assert "example-api-key-0001" in raw
    assert not any("example-api-key" in str(v) for v in frame.to_dicts())
    assert any("masked" in n for n in export.notes)


def test_dynamic_segments_keep_their_rules(export) -> None:
    segment = export.inventory_data["dynamic_segments"][0]
    assert segment["rules"]["conditions"]
