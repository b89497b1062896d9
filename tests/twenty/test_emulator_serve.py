"""`serve()` answers over loopback, for a person poking at the emulator with curl or a browser."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    code = f"from workbench.twenty.emulator import serve; serve({port}, {str(tmp_path / 'w.sqlite')!r})"
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        headers = {"Authorization": "Bearer emulator"}
        made = httpx.post(
            f"{base}/rest/companies", json={"name": "Over the wire"}, headers=headers, timeout=5
        )
        assert made.status_code == 201
        assert (
            httpx.get(f"{base}/rest/companies", headers=headers, timeout=5).json()["totalCount"]
            == 1
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
