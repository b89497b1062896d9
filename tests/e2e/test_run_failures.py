"""A headless run stops at the failing notebook and cell, with the reason, never half-silently."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import ConfigError, PipelineError
from workbench.pipeline import SEQUENCE, run_sequence

ROOT = Path(__file__).resolve().parents[2]


def test_a_map_changed_after_confirmation_stops_the_run_in_02_mapping(tmp_path: Path) -> None:
    edited = tmp_path / "client-map.yaml"
    shutil.copyfile(ROOT / "mappings" / "kartra" / "map.yaml", edited)
    text = edited.read_text()
    edited.write_text(text.replace("label: Lead score", "label: Lead score (edited)", 1))
    with pytest.raises(PipelineError) as caught:
        run_sequence(
            "kartra", ROOT / "data" / "samples" / "kartra", tmp_path / "run",
            parameters={"map_path": str(edited)}, notebooks=SEQUENCE[:2], progress=False,
        )  # fmt: skip
    error = caught.value
    assert error.notebook and error.notebook.endswith("02_mapping.ipynb")
    assert error.cell is not None
    assert "MapNotConfirmedError" in str(error) and "changed after" in str(error)
    assert not (tmp_path / "run" / "staged").exists()  # nothing was staged from it


def test_an_unknown_source_fails_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown source"):
        run_sequence("hubspot", ROOT / "data" / "samples" / "kartra", tmp_path / "run")
    assert not (tmp_path / "run").exists()
