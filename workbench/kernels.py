"""The kernel manager behind headless runs: kernels reached over local sockets, not TCP.

A kernel started over TCP without CurveZMQ keys logs "Kernel is running over TCP without
encryption" on every start (ipykernel's `IPKernelApp.init_sockets`), which is five warnings per
run in a console that should show progress and results only. Over IPC the kernel's sockets are
files only this user can open, so there is nothing to warn about. Each kernel gets its own
private folder for its socket files (short absolute paths: a Unix socket path is limited to about
100 bytes, and relative paths would resolve against the kernel's working directory, not ours).
Windows has no IPC transport for ZeroMQ; there the kernel keeps jupyter_client's TCP default.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from jupyter_client import AsyncKernelManager
from jupyter_client.localinterfaces import localhost
from traitlets import default

IPC_AVAILABLE = os.name == "posix"


class LocalKernelManager(AsyncKernelManager):
    """papermill's kernel manager with IPC transport and a private socket folder per kernel."""

    _socket_dir: str | None = None

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if IPC_AVAILABLE else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return localhost()
        self._socket_dir = tempfile.mkdtemp(prefix="wb-kernel-")
        return os.path.join(self._socket_dir, "k")

    def cleanup_ipc_files(self) -> None:
        """Remove the socket files, then the kernel's private folder."""
        super().cleanup_ipc_files()
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
