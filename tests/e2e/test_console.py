"""What a person sees in the terminal: progress and results, no kernel chatter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL_NOISE = ("IPKernelApp", "without encryption")


def _workbench(*args: str, cwd: Path, tmpdir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWENTY_", "SALESMATE_"))}
    env["TMPDIR"] = str(tmpdir)  # its own temp folder: other runs on the machine do not blur it
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=600,
    )  # fmt: skip


def test_discover_console_has_no_kernel_warning(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    result = _workbench(
        "discover", "--source", "kartra", "--export", str(ROOT / "data/samples/kartra"),
        "--out", str(tmp_path / "out"), cwd=tmp_path, tmpdir=temp,
    )  # fmt: skip
    console = result.stdout + result.stderr
    assert result.returncode == 0, console
    assert not [line for line in console.splitlines() if any(n in line for n in KERNEL_NOISE)]
    assert "discovery.json:" in result.stdout
    # the kernel's socket folder was made in the run's temp folder and went away with the kernel
    assert not list(temp.glob("wb-kernel-*"))
