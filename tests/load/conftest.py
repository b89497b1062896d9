"""Fixtures for the load tests: an emulated workspace per test, reached in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from emulated import connect  # noqa: E402
from synthetic import build_plan, prepare_workspace, snapshot  # noqa: E402

from workbench.load import Ledger, run_load  # noqa: E402
from workbench.twenty.client import TwentyClient  # noqa: E402


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "run"


@pytest.fixture
def client(run_dir: Path) -> Iterator[TwentyClient]:
    run_dir.mkdir(parents=True, exist_ok=True)
    with connect(run_dir / "emulator.sqlite") as c:
        prepare_workspace(c)
        yield c


@pytest.fixture
def ledger(run_dir: Path) -> Iterator[Ledger]:
    with Ledger(run_dir) as led:
        yield led


@pytest.fixture(scope="session")
def clean_snapshot(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """What a clean, fault-free full load leaves in a fresh workspace."""
    folder = tmp_path_factory.mktemp("clean")
    with connect(folder / "emulator.sqlite") as c, Ledger(folder) as led:
        prepare_workspace(c)
        report = run_load(build_plan(), c, led, mode="full")
        assert report.ok, report
        return snapshot(c)


@pytest.fixture
def counts() -> Callable[[TwentyClient], dict[str, int]]:
    def _counts(c: TwentyClient) -> dict[str, int]:
        return {
            o: c.count(o) for o in ("companies", "people", "opportunities", "notes", "noteTargets")
        }

    return _counts
