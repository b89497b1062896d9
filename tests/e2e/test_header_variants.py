"""Every sample, re-written with the web UI's labels, with its columns shuffled, and re-saved with
other case, spacing and a BOM, runs through read → discover → stage → resolve with the same
counts and the same plan (record for record) as the original. One source per kind also loads
into the emulator and reconciles with the original's counts per object and outcome; the others
stop at the plan to keep the suite fast (an equal plan sends Twenty the same records)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from header_variants import ROOT, outcomes, write_variant

from workbench.sources.base import SOURCE_NAMES, get_source

LOADED = {("ui", "allclients"), ("shuffled", "smartcrm"), ("case", "kartra")}
_BASELINES: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The original sample's counts, computed once per source (loaded where a variant loads)."""

    def get(source: str) -> dict[str, Any]:
        if source not in _BASELINES:
            run = tmp_path_factory.mktemp(f"original-{source}")
            sample = ROOT / "data" / "samples" / source
            load = any(s == source for _, s in LOADED)
            _BASELINES[source] = outcomes(source, sample, run / "emulator.sqlite", load=load)
        return _BASELINES[source]

    return get


@pytest.mark.parametrize("kind", ["ui", "shuffled", "case"])
@pytest.mark.parametrize("source", SOURCE_NAMES)
def test_variant_runs_with_the_original_counts(source, kind, baseline, tmp_path: Path) -> None:
    export = write_variant(source, kind, tmp_path / "export")
    (tmp_path / "run").mkdir()
    load = (kind, source) in LOADED
    got = outcomes(source, export, tmp_path / "run" / "emulator.sqlite", load=load)
    want = baseline(source)
    for key in ("rows", "custom_fields", "quarantined_on_read", "staged", "quarantine", "queue"):
        assert got[key] == want[key], key
    assert got["plan"] == want["plan"]
    assert got["plan_outcomes"] == want["plan_outcomes"]
    assert got["plan_digest"] == want["plan_digest"]
    if load:
        assert got["reconciled"] == want["reconciled"]


@pytest.mark.parametrize("source", SOURCE_NAMES)
def test_ui_variant_headers_really_differ_and_resolve(source, tmp_path: Path) -> None:
    """The UI variant is not the sample in disguise: its headers are read under other names."""
    export = get_source(source).read_export(write_variant(source, "ui", tmp_path / "export"))
    renamed = [m for m in export.headers if m.how != "exact"]
    assert renamed, f"{source}: no header needed resolving"
    assert all(m.header != m.field for m in renamed)
