"""Browser tests: the notebooks and documents as a person sees them, in headless Chromium.

They use the system Chromium (Debian's `chromium` package; `.ci/run` installs it) driven by
playwright-python, which needs no browser of its own. Where no Chromium is installed they are
skipped, unless WORKBENCH_REQUIRE_BROWSER=1 (CI sets it), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser_lab import keep_artifact

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 600
PAGE_TIMEOUT_MS = 30_000


def chromium_executable() -> str | None:
    """WORKBENCH_CHROMIUM if set, else the system Chromium on PATH."""
    chosen = os.environ.get("WORKBENCH_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser")) if p is not None), None
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    ours = [i for i in items if here in Path(str(i.path)).parents]
    for item in ours:
        item.add_marker(pytest.mark.browser)
    if chromium_executable() is not None or not ours:
        return
    if os.environ.get("WORKBENCH_REQUIRE_BROWSER") == "1":
        return  # _chromium_present fails them loudly instead of skipping
    skip = pytest.mark.skip(reason="no Chromium installed (apt-get install chromium)")
    for item in ours:
        item.add_marker(skip)


@pytest.fixture(scope="package", autouse=True)
def _chromium_present() -> None:
    """Fail before any slow set-up when a browser is required and missing."""
    if chromium_executable() is None:
        pytest.fail("WORKBENCH_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Headless system Chromium; playwright drives it without downloading a browser.

    Package-scoped, not session-scoped: while playwright is open its event loop is the thread's
    current one, and the asyncio tests of other packages must not run under it.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    assert executable is not None
    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # Chromium refuses root otherwise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=args, timeout=PAGE_TIMEOUT_MS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[object]:
    report = yield
    if report.when == "call":
        item.call_failed = report.failed  # type: ignore[attr-defined]
    return report


@pytest.fixture
def page(browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A fresh page; every wait on it is bounded. A failing test leaves a screenshot in build/."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,  # type: ignore[attr-defined]
    )
    try:
        yield page
        if getattr(request.node, "call_failed", False):
            shot = tmp_path / f"failed-{request.node.name}.png"
            page.screenshot(path=str(shot), timeout=PAGE_TIMEOUT_MS)
            keep_artifact(shot)
    finally:
        context.close()


@pytest.fixture(scope="package")
def kartra_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One headless run of the Kartra sample, shared by the editor and the document tests."""
    run_dir = tmp_path_factory.mktemp("browser-kartra") / "run"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWENTY_", "SALESMATE_"))}
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "run", "--source", "kartra",
         "--export", str(ROOT / "data" / "samples" / "kartra"), "--out", str(run_dir)],
        capture_output=True, text=True, env=env, timeout=RUN_TIMEOUT_S, cwd=run_dir.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return run_dir
