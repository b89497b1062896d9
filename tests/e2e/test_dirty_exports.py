"""`workbench discover` and `workbench run` over exports as clients send them (dirty_corpus.py).

Every file is either read or listed as not read with its reason, damage that loses nothing is
repaired and counted, and the console never shows a bare Python exception or kernel chatter.
`run` goes end to end on two folders only (it takes tens of seconds); the rest is `discover`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import dirty_corpus

pytestmark = pytest.mark.e2e

EXCEPTION_NAMES = re.compile(
    r"Traceback|\b(?:StopIteration|KeyError|IndexError|ValueError|TypeError|AttributeError"
    r"|LookupError|UnicodeDecodeError|UnicodeError|RuntimeError|AssertionError|OSError"
    r"|FileNotFoundError|ZeroDivisionError|ComputeError|PolarsError)\b"
)
KERNEL_NOISE = ("IPKernelApp", "without encryption", "KeyboardInterrupt")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    dirty_corpus.excel_unicode(root / "excel")
    dirty_corpus.legacy(root / "legacy")
    dirty_corpus.mixed_generic(root / "generic")
    dirty_corpus.nothing_readable(root / "nothing")
    (root / "unicode_only").mkdir()
    contacts = dirty_corpus.excel_unicode(root / "_unicode")
    (contacts / "Contacts.txt").rename(root / "unicode_only" / "Contacts.txt")
    (root / "fifteen").mkdir()
    (root / "fifteen" / "Contacts.csv").write_bytes(dirty_corpus.legacy_contacts_15())
    return root


def workbench(*args: str, cwd: Path) -> tuple[int, str]:
    """The command as a person runs it; returns its exit code and everything it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWENTY_", "SALESMATE_"))}
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def assert_clean_console(console: str) -> None:
    assert not EXCEPTION_NAMES.search(console), console
    noise = [line for line in console.splitlines() if any(n in line for n in KERNEL_NOISE)]
    assert not noise, console


def assert_every_file_accounted(export_dir: Path, out: Path, console: str) -> dict:
    """Each file of the folder is read or listed as not read, with a reason, also on screen."""
    discovery = json.loads((out / "discovery.json").read_text(encoding="utf-8"))
    read = {f["file"] for f in discovery["files"]}
    not_read = {u["file"]: u["reason"] for u in discovery["not_read"]}
    present = {p.relative_to(export_dir).as_posix() for p in export_dir.rglob("*") if p.is_file()}
    assert read | set(not_read) == present
    assert not read & set(not_read)
    assert all(len(reason.split()) >= 3 for reason in not_read.values()), not_read
    for name in not_read:
        assert name in console, name
    return discovery


def rows(discovery: dict) -> dict[str, int]:
    return {name: obj["rows"] for name, obj in discovery["objects"].items()}


def test_discover_reads_excel_unicode_text_without_a_source(corpus: Path, tmp_path: Path) -> None:
    """AllClients contacts saved from Excel as "Unicode Text": UTF-16 LE, BOM, tabs, .txt."""
    export, out = corpus / "unicode_only", tmp_path / "out"
    code, console = workbench("discover", "--export", str(export), "--out", str(out), cwd=tmp_path)
    assert code == 0, console
    assert_clean_console(console)
    discovery = assert_every_file_accounted(export, out, console)
    assert rows(discovery) == {"Contacts": dirty_corpus.CONTACT_ROWS}
    columns = [c["column"] for c in discovery["objects"]["Contacts"]["columns"]]
    assert columns[:3] == ["id", "firstname", "lastname"]


def test_run_reads_every_excel_text_export_and_lists_what_it_left(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    discovery = run_whole(corpus / "excel", out)
    reasons = {u["file"]: u["reason"] for u in discovery["not_read"]}
    assert "Excel .xlsx workbook" in reasons["Contacts.xlsx"]
    assert "PNG image" in reasons["logo.png"]
    summary = json.loads((out / "reconciliation" / "summary.json").read_text(encoding="utf-8"))
    assert summary["ok"], summary["problems"]
    contacts = next(o for o in summary["objects"] if o["object"] == "contacts")
    assert contacts["source_rows"] == 150 and contacts["no_outcome"] == 0


def test_run_repairs_legacy_damage_and_quarantines_only_what_cannot_be_read(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    discovery = run_whole(corpus / "legacy", out)
    contacts = discovery["objects"]["contacts"]
    assert contacts["repairs"] == {"nul_removed": {"firstname": 2}} and not contacts["quarantined"]
    users = discovery["objects"]["users"]["quarantined"]
    assert [(q["line"], q["reason"]) for q in users] == [
        (13, "the file ends inside a quoted field (truncated last line)")
    ]
    reasons = {u["file"]: u["reason"] for u in discovery["not_read"]}
    assert reasons == {
        "Campaigns.csv": "the file is empty, expected a header row and records",
        "Workflows.csv": "the file has a header but no records",
    }
    summary = json.loads((out / "reconciliation" / "summary.json").read_text(encoding="utf-8"))
    assert summary["ok"], summary["problems"]


def test_legacy_nuls_give_every_row_and_two_repaired_values(corpus: Path, tmp_path: Path) -> None:
    export, out = corpus / "fifteen", tmp_path / "out"
    code, console = workbench(
        "discover", "--source", "allclients", "--export", str(export), "--out", str(out),
        cwd=tmp_path,
    )  # fmt: skip
    assert code == 0, console
    assert_clean_console(console)
    contacts = assert_every_file_accounted(export, out, console)["objects"]["contacts"]
    assert contacts["rows"] == 15 and contacts["quarantined"] == []
    assert contacts["repairs"] == {"nul_removed": {"firstname": 1, "lastname": 1}}
    assert contacts["flag_rows"]["nul_removed"] == 2
    assert contacts["flags"]["nul_removed|firstname"]["examples"] == ["Contacts.csv:4 Eric"]


def test_discover_without_a_source_lists_every_file_it_could_not_read(
    corpus: Path, tmp_path: Path
) -> None:
    export, out = corpus / "generic", tmp_path / "out"
    code, console = workbench("discover", "--export", str(export), "--out", str(out), cwd=tmp_path)
    assert code == 0, console
    assert_clean_console(console)
    discovery = assert_every_file_accounted(export, out, console)
    assert set(u["file"] for u in discovery["not_read"]) == {
        "binary.csv", "e_Contacts.xlsx", "e_logo.png", "l_Campaigns.csv", "l_Workflows.csv",
        "notes.md",
    }  # fmt: skip
    assert rows(discovery)["e_Contacts"] == rows(discovery)["l_Contacts"] == 150


@pytest.mark.parametrize("source", [None, "allclients"])
def test_a_folder_with_nothing_readable_is_one_clear_error(
    corpus: Path, tmp_path: Path, source: str | None
) -> None:
    export = corpus / "nothing"
    args = ["discover", "--export", str(export), "--out", str(tmp_path / "out")]
    code, console = workbench(*args, *(["--source", source] if source else []), cwd=tmp_path)
    assert code == 2
    assert_clean_console(console)
    errors = [line for line in console.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, console
    assert str(export) in errors[0] and "Contacts.csv" in errors[0]
    if source is None:
        for name in ("Contacts.xlsx", "scan.png", "Notes.csv"):
            assert name in errors[0]


def run_whole(export: Path, out: Path) -> dict:
    """`workbench run` over an AllClients corpus folder: it ends well, prints no noise, and
    every file and row of the export is accounted for."""
    code, console = workbench(
        "run", "--source", "allclients", "--export", str(export), "--out", str(out),
        cwd=out.parent,
    )  # fmt: skip
    assert code == 0, console
    assert_clean_console(console)
    discovery = assert_every_file_accounted(export, out, console)
    assert rows(discovery) == {"contacts": 150, "notes": 200, "tasks": 80, "users": 11,
                               "attachments": 14}  # fmt: skip
    return discovery
