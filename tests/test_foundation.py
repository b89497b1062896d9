"""The package's public surface: errors, settings, CLI help, parameters that look like secrets."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest

from workbench.cli import build_parser
from workbench.errors import ConfigError, ExportError, PipelineError, WorkbenchError
from workbench.pipeline import SEQUENCE, check_parameters
from workbench.settings import Settings


def test_errors_name_file_line_and_column() -> None:
    error = ExportError(
        "expected a date like 2024-05-01", file="contacts.csv", line=17, column="Date Joined"
    )
    assert (
        str(error) == "contacts.csv, line 17, column 'Date Joined': expected a date like 2024-05-01"
    )
    assert isinstance(error, WorkbenchError)


def test_pipeline_error_names_notebook_and_cell() -> None:
    error = PipelineError("boom", notebook="runs/x/03_resolve.ipynb", cell=7)
    assert error.cell == 7 and "03_resolve" in str(error)


def test_settings_read_env_and_dotenv(tmp_path, monkeypatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "TWENTY_API_URL=https://crm.example.com\nTWENTY_API_KEY=from-dotenv-secret-123\n"
    )
    settings = Settings.from_env(env_file)
    assert settings.api_url == "https://crm.example.com"
    assert settings.api_key == "from-dotenv-secret-123"
    assert not settings.uses_emulator
    monkeypatch.setenv("TWENTY_API_KEY", "from-environment-secret-456")
    assert Settings.from_env(env_file).api_key == "from-environment-secret-456"


def test_settings_never_show_the_key() -> None:
    settings = Settings(api_url="https://crm.example.com", api_key="super-secret-key-789")
    assert "super-secret-key-789" not in repr(settings)
    assert "super-secret-key-789" not in str(settings)


def test_settings_without_url_and_key_use_the_emulator(tmp_path) -> None:
    assert Settings.from_env(tmp_path / "missing.env").uses_emulator


@pytest.mark.parametrize("name", ["api_key", "TWENTY_API_KEY", "token", "salesmate_secret"])
def test_parameters_that_look_like_secrets_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="never from a notebook parameter"):
        check_parameters({name: "x"})


def test_cli_help_lists_every_subcommand() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in (
        "run",
        "discover",
        "emulator",
        "rollback",
        "dedupe",
        "join",
        "extract",
        "confirm-map",
    ):
        assert command in out


def test_cli_reports_workbench_errors_without_traceback(tmp_path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workbench",
            "run",
            "--source",
            "nosuch",
            "--export",
            str(tmp_path / "none"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error:")
    assert "Traceback" not in result.stderr


def test_the_sequence_has_one_notebook_per_stage() -> None:
    assert SEQUENCE == ("01_discovery", "02_mapping", "03_resolve", "04_load", "05_reconcile")
    assert build_parser().prog == "workbench"


def test_an_empty_table_says_none_in_its_body() -> None:
    from workbench.reports.display import table_html

    empty = pl.DataFrame(schema={"field": pl.Utf8, "decision": pl.Utf8})
    html = table_html(empty, title="Decisions")
    assert '<td colspan="2"><em>none</em></td>' in html
    assert "<th>field</th><th>decision</th>" in html
