"""What a person sees in the terminal: progress and results, no kernel chatter."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL_NOISE = ("IPKernelApp", "without encryption")


def _workbench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWENTY_", "SALESMATE_"))}
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
    )  # fmt: skip


def test_discover_console_has_no_kernel_warning(tmp_path: Path) -> None:
    before = {p.name for p in Path(tempfile.gettempdir()).glob("wb-kernel-*")}
    result = _workbench(
        "discover", "--source", "kartra", "--export", str(ROOT / "data/samples/kartra"),
        "--out", str(tmp_path / "out"), cwd=tmp_path,
    )  # fmt: skip
    console = result.stdout + result.stderr
    assert result.returncode == 0, console
    assert not [line for line in console.splitlines() if any(n in line for n in KERNEL_NOISE)]
    assert "discovery.json:" in result.stdout
    # the kernel's socket folder goes away with the kernel
    after = {p.name for p in Path(tempfile.gettempdir()).glob("wb-kernel-*")}
    assert after <= before
