"""The samples on disk are exactly what the generator writes for the default seed."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from workbench.samples import DEFAULT_SEED, SAMPLE_SOURCES, generate_all
from workbench.samples.truth import SAMPLES_DIR as SAMPLES


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_regeneration_is_byte_identical(source: str, tmp_path: Path) -> None:
    importlib.import_module(f"workbench.samples.{source}").generate(tmp_path, DEFAULT_SEED)
    fresh, committed = _files(tmp_path / source), _files(SAMPLES / source)
    assert sorted(fresh) == sorted(committed)
    changed = [name for name in fresh if fresh[name] != committed[name]]
    assert changed == []


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_another_seed_gives_other_data(source: str, tmp_path: Path) -> None:
    module = importlib.import_module(f"workbench.samples.{source}")
    module.generate(tmp_path / "a", DEFAULT_SEED + 1)
    module.generate(tmp_path / "b", DEFAULT_SEED + 1)
    a, b = _files(tmp_path / "a" / source), _files(tmp_path / "b" / source)
    assert a == b
    assert a != _files(SAMPLES / source)


def test_members_file_and_readme_regenerate(tmp_path: Path) -> None:
    if (SAMPLES / "salesmate").is_dir():  # its section of the README is read from its truth
        shutil.copytree(SAMPLES / "salesmate", tmp_path / "salesmate")
    generate_all(tmp_path, DEFAULT_SEED, sources=list(SAMPLE_SOURCES))
    for name in ("workspace_members.json", "README.md"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name
