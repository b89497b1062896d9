"""Run folders and the headless execution of the notebook sequence with papermill."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import ConfigError, PipelineError, WorkbenchError

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
SEQUENCE = ("01_discovery", "02_mapping", "03_resolve", "04_load", "05_reconcile")

# Parameters travel into the executed notebook in clear text, so secrets never may.
_SECRET_NAME = re.compile(r"key|token|secret|password|credential", re.IGNORECASE)


@dataclass
class RunResult:
    """What a run left in its folder."""

    run_dir: Path
    notebooks: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def scope_document(self) -> Path:
        return self.run_dir / "scope.html"

    @property
    def migration_summary(self) -> Path:
        return self.run_dir / "summary.html"


def default_run_name(source: str) -> str:
    return f"{source}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}"


def prepare_run_dir(run_dir: Path, *, replace: bool = False) -> Path:
    """Create the run folder; an existing one is kept (resume) unless `replace`."""
    run_dir = run_dir.resolve()
    if replace and run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    return run_dir


def seed_workspace(run_dir: Path, workspace_from: Path) -> Path:
    """Start the run's emulated workspace as a copy of another one (e.g. a run of another source).

    Clients consolidate several systems into one workspace; a rehearsal on the emulator can then
    start from the fields and records an earlier source left. An existing workspace in the run
    folder is kept (a resumed run); SQLite's backup API copies a consistent snapshot.
    """
    source = Path(workspace_from)
    if source.is_dir():
        source = source / "emulator.sqlite"
    if not source.is_file():
        raise ConfigError(f"no emulated workspace to start from: {source}")
    target = run_dir / "emulator.sqlite"
    if target.exists():
        return target
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def check_parameters(parameters: dict[str, Any]) -> None:
    """Refuse anything that looks like a secret: papermill writes parameters into the notebook."""
    leaked = sorted(name for name in parameters if _SECRET_NAME.search(name))
    if leaked:
        raise ConfigError(
            f"parameters {leaked} look like secrets; the API key comes from the environment or "
            ".env (TWENTY_API_KEY), never from a notebook parameter"
        )


def run_sequence(
    source: str,
    export_dir: Path,
    run_dir: Path,
    *,
    parameters: dict[str, Any] | None = None,
    notebooks: tuple[str, ...] = SEQUENCE,
    replace: bool = False,
    progress: bool = True,
    workspace_from: Path | None = None,
) -> RunResult:
    """Execute the notebooks in order into the run folder; stop at the first failing cell.

    `workspace_from`: an emulated workspace (a run folder or its emulator.sqlite) to start from.
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from workbench.kernels import kernel_manager_for
    from workbench.sources.base import get_source

    if not (source == "generic" and notebooks == SEQUENCE[:1]):
        get_source(source)  # an unknown source fails before anything runs
    export_dir = Path(export_dir).resolve()
    if not export_dir.is_dir():
        raise ConfigError(f"export folder not found: {export_dir}")
    run_dir = prepare_run_dir(Path(run_dir), replace=replace)
    if workspace_from is not None:
        seed_workspace(run_dir, Path(workspace_from))
    shared = {"source": source, "export_dir": str(export_dir), "run_dir": str(run_dir)}
    shared.update(parameters or {})
    check_parameters(shared)

    result = RunResult(run_dir=run_dir)
    for name in notebooks:
        source_nb = NOTEBOOK_DIR / f"{name}.ipynb"
        output_nb = run_dir / f"{name}.ipynb"
        accepted = papermill.inspect_notebook(str(source_nb))
        params = {k: v for k, v in shared.items() if k in accepted}
        started = time.perf_counter()
        kernel_log = run_dir / "logs" / f"{name}.kernel.log"
        if progress:
            print(f"[{name}] running…", flush=True)
        try:
            papermill.execute_notebook(
                str(source_nb),
                str(output_nb),
                parameters=params,
                kernel_name="python3",
                cwd=str(run_dir),
                progress_bar=False,
                log_output=False,
                report_mode=False,
                kernel_manager_class=kernel_manager_for(kernel_log),
            )
        except PapermillExecutionError as exc:
            raise PipelineError(
                _failure_sentence(exc.exec_count, exc.ename, exc.evalue),
                notebook=str(output_nb),
                cell=exc.exec_count,
            ) from None
        except DeadKernelError:
            raise PipelineError(
                "the notebook's Python kernel stopped while running (out of memory, or killed);"
                f" what it wrote last is in {kernel_log}",
                notebook=str(output_nb),
            ) from None
        result.seconds[name] = round(time.perf_counter() - started, 2)
        result.notebooks.append(output_nb)
        if progress:
            print(f"[{name}] done in {result.seconds[name]:.1f} s", flush=True)
    if source != "generic":
        from workbench.reports.run_documents import render_run_documents

        render_run_documents(run_dir)
    _refuse_leaked_secrets(run_dir)
    return result


def _workbench_error_names() -> set[str]:
    """Class names of the workbench's own exception family."""
    names, todo = set(), [WorkbenchError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _failure_sentence(cell: int, ename: str, evalue: str) -> str:
    """What a failed cell means to the person running the workbench.

    The workbench's own errors already say what went wrong and where; anything else escaped
    the checks that should have explained it, so the sentence says so instead of showing a
    bare exception name.
    """
    if ename in _workbench_error_names():
        return f"cell {cell} failed with {ename}: {evalue}"
    detail = f" ({ename}: {evalue})" if evalue else f" ({ename})"
    return (
        f"cell {cell} stopped on an unexpected internal error{detail}. This is a defect in the"
        " workbench, not in the export; the executed notebook shows the full trace"
    )


def _refuse_leaked_secrets(run_dir: Path) -> None:
    """A run folder is handed to the client: stop loudly if a key ever landed in it."""
    from workbench.settings import Settings
    from workbench.steps.runfolder import RunFolder

    settings = Settings.from_env()
    leaked = RunFolder(run_dir).files_holding(
        [settings.api_key or "", settings.salesmate_access_key or ""]
    )
    if leaked:
        names = ", ".join(p.name for p in leaked)
        raise ConfigError(f"an API key was found in the run folder ({names}); do not share it")
