"""A finished run re-run changes nothing; an edited export sends only the change; a rollback
empties what the run created and a re-run then loads it again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from workbench.twenty import TwentyClient, emulator_transport

ROOT = Path(__file__).resolve().parents[2]


def _run(export: Path, run_dir: Path, *extra: str) -> dict:
    subprocess.run(
        [sys.executable, "-m", "workbench", *extra] if extra and extra[0] == "rollback" else
        [sys.executable, "-m", "workbench", "run", "--source", "kartra", "--export", str(export), "--out", str(run_dir)],
        check=True, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    summary = run_dir / "reconciliation" / "summary.json"
    return json.loads(summary.read_text()) if summary.exists() else {}


def _total(summary: dict, outcome: str) -> int:
    return sum(row[outcome] for row in summary["objects"])


def _people(run_dir: Path) -> int:
    transport = emulator_transport(run_dir / "emulator.sqlite")
    with TwentyClient("http://emulator", "emulator", transport=transport, progress=False) as client:
        return client.count("people")


def test_rerun_delta_and_rollback(tmp_path: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(ROOT / "data" / "samples" / "kartra", export)
    run_dir = tmp_path / "run"

    first = _run(export, run_dir)
    assert first["ok"] and _total(first, "created") > 2000

    again = _run(export, run_dir)
    assert again["ok"], again["problems"]
    assert _total(again, "created") == 0 and _total(again, "updated") == 0
    assert _total(again, "unchanged") == _total(first, "created")

    batch = export / "contacts_export_3.csv"
    raw = batch.read_bytes()
    assert raw.count(b"9052 Park Blvd") == 1  # one contact, with an email, exported once
    batch.write_bytes(raw.replace(b"9052 Park Blvd", b"9054 Park Blvd"))
    delta = _run(export, run_dir)
    assert delta["ok"], delta["problems"]
    assert _total(delta, "created") == 0
    assert _total(delta, "updated") == 1

    people = _people(run_dir)
    assert people > 1000
    subprocess.run(
        [sys.executable, "-m", "workbench", "rollback", str(run_dir)],
        check=True,
        capture_output=True,
    )
    assert _people(run_dir) == 0
    report = json.loads((run_dir / "reconciliation" / "rollback.json").read_text())
    assert report["ok"]

    reloaded = _run(export, run_dir)
    assert reloaded["ok"], reloaded["problems"]
    assert _people(run_dir) == people
