"""A JupyterLab server for browser tests: loopback only, a token, its own config, always stopped.

The server runs in its own process group so stopping it also stops the kernels it started; its
config, data, runtime and workspace folders live under the test's temporary folder, so a person's
own JupyterLab settings can neither leak in nor be touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "browser"  # build/ is not in git
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 20.0


def free_port() -> int:
    """A port nobody listens on right now (the server is told to fail rather than pick another)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Lab:
    """A running JupyterLab: where to reach it and how to stop it."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    root: Path
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}?token={self.token}"

    def start_kernel(self, notebook: str) -> str:
        """Open a kernel session for `notebook` (as the Lab would), so no kernel dialog asks."""
        answer = httpx.post(
            f"{self.base_url}/api/sessions",
            headers={"Authorization": f"token {self.token}"},
            json={
                "path": notebook,
                "name": notebook,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
            timeout=60.0,
        )
        answer.raise_for_status()
        return str(answer.json()["kernel"]["id"])

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def listening_addresses(self) -> set[str]:
        """The local addresses every process of the server's tree listens on (kernels included)."""
        found: set[str] = set()
        try:
            parent = psutil.Process(self.process.pid)
            for proc in [parent, *parent.children(recursive=True)]:
                for conn in proc.net_connections(kind="inet"):
                    if conn.status == psutil.CONN_LISTEN:
                        found.add(conn.laddr.ip)
        except psutil.NoSuchProcess:
            pass
        return found

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL whatever is left after a while."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT_S)
        try:  # kernels that outlived their server (same process group) go too
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWENTY_", "SALESMATE_"))}
    config = home / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    # no "news" notification popping up over the notebook
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    env.update(
        JUPYTER_CONFIG_DIR=str(config),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        MPLBACKEND="Agg",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def start_lab(root: Path, home: Path) -> Lab:
    """Start JupyterLab serving `root` on 127.0.0.1 and wait until its API answers."""
    port, token = free_port(), secrets.token_hex(16)
    home.mkdir(parents=True, exist_ok=True)
    log = home / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False", "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=_isolated_env(home),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    lab = Lab(process, port, token, root, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{lab.log_tail()}")
        try:
            answer = httpx.get(
                f"{lab.base_url}/api/status",
                headers={"Authorization": f"token {token}"},
                timeout=2.0,
            )
            if answer.status_code == 200:
                return lab
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    lab.stop()
    raise RuntimeError(
        f"JupyterLab did not answer within {START_TIMEOUT_S:.0f} s:\n{lab.log_tail()}"
    )


def keep_artifact(path: Path) -> Path:
    """Copy a screenshot to build/browser/ so a person can look at it after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(path, ARTIFACTS / path.name))
