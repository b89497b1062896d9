"""The console never shows a bare Python exception: every failure is a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import cli
from workbench.pipeline import _failure_sentence


def test_a_missing_map_is_named_not_a_traceback(tmp_path: Path, capsys) -> None:
    assert cli.main(["confirm-map", str(tmp_path / "map.yaml"), "--by", "analyst"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "no map file here" in err and "map.yaml" in err
    assert "FileNotFoundError" not in err


def test_rollback_of_a_folder_that_is_no_run(tmp_path: Path, capsys) -> None:
    assert cli.main(["rollback", str(tmp_path / "nowhere")]) == 2
    assert "is not a run folder" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()  # nothing created by looking


def test_an_unexpected_failure_is_a_sentence(monkeypatch, capsys) -> None:
    def broken(args) -> int:
        raise KeyError("email")

    monkeypatch.setattr(cli, "_cmd_confirm_map", broken)
    assert cli.main(["confirm-map", "x.yaml", "--by", "a"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the workbench stopped on an unexpected internal error")
    assert "Traceback" not in err and "--debug" in err
    with pytest.raises(KeyError):
        cli.main(["--debug", "confirm-map", "x.yaml", "--by", "a"])


def test_a_cell_that_fails_outside_the_error_family_says_so() -> None:
    assert _failure_sentence(6, "StopIteration", "") == (
        "cell 6 stopped on an unexpected internal error (StopIteration). This is a defect in"
        " the workbench, not in the export; the executed notebook shows the full trace"
    )
    ours = _failure_sentence(3, "ExportReadError", "Contacts.csv, line 1: the file is empty")
    assert ours == "cell 3 failed with ExportReadError: Contacts.csv, line 1: the file is empty"
