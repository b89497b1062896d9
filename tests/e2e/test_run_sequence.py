"""`workbench run` on every sample export: the whole notebook sequence, headless, into the
built-in emulator — then the run folder is checked as a client would receive it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.load import Ledger
from workbench.pipeline import SEQUENCE
from workbench.sources.base import SOURCE_NAMES
from workbench.twenty import TwentyClient, emulator_transport

ROOT = Path(__file__).resolve().parents[2]
MARKER_KEY = "test-only-key-that-must-never-leak-0123456789"


@pytest.fixture(scope="module", params=SOURCE_NAMES)
def finished_run(request, tmp_path_factory) -> tuple[str, Path, str]:
    source = request.param
    run_dir = tmp_path_factory.mktemp(f"run-{source}")
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if not k.startswith(("TWENTY_", "SALESMATE_"))
    }
    # A key without a URL still means the emulator; the key must appear nowhere in the run folder.
    env["TWENTY_API_KEY"] = MARKER_KEY
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "run", "--source", source,
         "--export", str(ROOT / "data" / "samples" / source), "--out", str(run_dir)],
        capture_output=True, text=True, cwd=run_dir, env=env, timeout=900,
    )  # fmt: skip
    return source, run_dir, result.stdout + result.stderr if result.returncode else ""


def test_run_completes_with_every_artifact(finished_run) -> None:
    source, run_dir, failure = finished_run
    assert failure == "", failure
    for name in SEQUENCE:
        assert (run_dir / f"{name}.ipynb").is_file()
    for artifact in (
        "discovery.json",
        "map.yaml",
        "ledger.sqlite",
        "server.json",
        "scope.html",
        "summary.html",
    ):
        assert (run_dir / artifact).is_file(), artifact
    assert (run_dir / "reconciliation" / "summary.json").is_file()
    assert (run_dir / "inventories" / "index.json").is_file()


def test_reconciliation_has_zero_unexplained_differences(finished_run) -> None:
    source, run_dir, failure = finished_run
    assert failure == "", failure
    summary = json.loads((run_dir / "reconciliation" / "summary.json").read_text())
    assert summary["ok"], summary["problems"]
    for row in summary["objects"]:
        accounted = sum(
            row[o]
            for o in ("created", "updated", "unchanged", "merged", "rejected", "queued", "failed")
        )
        assert accounted == row["source_rows"], row
        assert row["missing_in_twenty"] == 0 and row["extra_in_twenty"] == 0, row


def test_relationships_read_back_through_the_api(finished_run) -> None:
    source, run_dir, failure = finished_run
    assert failure == "", failure
    ledger = Ledger(run_dir / "ledger.sqlite", readonly=True)
    ids = {r["twenty_id"] for r in ledger.rows() if r["twenty_id"]}
    ledger.close()
    with TwentyClient(
        "http://emulator",
        "emulator",
        transport=emulator_transport(run_dir / "emulator.sqlite"),
        progress=False,
    ) as client:
        people = list(client.find("people"))
        assert people, "no person landed"
        companies = {c["id"] for c in client.find("companies")}
        linked = [p for p in people if p.get("companyId")]
        assert all(p["companyId"] in companies for p in linked)
        assert {p["id"] for p in people} <= ids
        if source in ("allclients", "salesmate"):
            attachments = list(client.find("attachments"))
            assert attachments, "no attachment was re-uploaded"
            assert all(a["fullPath"].startswith("attachment/") for a in attachments)
        for junction, owner in (("noteTargets", "noteId"), ("taskTargets", "taskId")):
            for row in client.find(junction):
                assert row[owner] in ids
                target = row.get("personId") or row.get("companyId") or row.get("opportunityId")
                assert target in ids


def test_no_key_lands_in_the_run_folder(finished_run) -> None:
    source, run_dir, failure = finished_run
    assert failure == "", failure
    for path in run_dir.rglob("*"):
        if path.is_file():
            assert MARKER_KEY.encode() not in path.read_bytes(), path


def test_scope_document_reads_as_a_document(finished_run) -> None:
    source, run_dir, failure = finished_run
    assert failure == "", failure
    html = (run_dir / "scope.html").read_text()
    assert "Migration scope document" in html and "Approval" in html
    for section in (
        "The export",
        "Complexity and estimate",
        "Field mapping",
        "Dedupe and join strategy",
    ):
        assert section in html
    assert "import " not in html and "step." not in html  # no code cells
    summary = (run_dir / "summary.html").read_text()
    assert "Migration summary" in summary and "Records not migrated" in summary
