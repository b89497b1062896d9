"""The kernel manager behind headless runs: quiet kernels reached over local sockets.

A kernel started over TCP without CurveZMQ keys logs "Kernel is running over TCP without
encryption" on every start (ipykernel's `IPKernelApp.init_sockets`), which is five warnings per
run in a console that should show progress and results only. Over IPC the kernel's sockets are
files only this user can open, so there is nothing to warn about. Each kernel gets its own
private folder for its socket files (short absolute paths: a Unix socket path is limited to about
100 bytes, and relative paths would resolve against the kernel's working directory, not ours).
Windows has no IPC transport for ZeroMQ; there the kernel keeps jupyter_client's TCP default.

Whatever else a kernel process writes to its own stdout/stderr (its log lines, such as
"KeyboardInterrupt caught in kernel." when a failed run is shut down) goes to a log file in
the run folder instead of the console: the notebook's failure is reported by the run itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from jupyter_client import AsyncKernelManager
from jupyter_client.localinterfaces import localhost
from traitlets import default

IPC_AVAILABLE = os.name == "posix"


class LocalKernelManager(AsyncKernelManager):
    """papermill's kernel manager with IPC transport and a private socket folder per kernel."""

    kernel_log: Path | None = None  # where the kernel process's own output goes
    _socket_dir: str | None = None
    _log_file: IO[bytes] | None = None

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc" if IPC_AVAILABLE else "tcp"

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport != "ipc":
            return localhost()
        self._socket_dir = tempfile.mkdtemp(prefix="wb-kernel-")
        return os.path.join(self._socket_dir, "k")

    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        if self.kernel_log is not None and self._log_file is None:
            self.kernel_log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.kernel_log, "ab")  # noqa: SIM115 - closed at cleanup
        if self._log_file is not None:
            kw.setdefault("stdout", self._log_file)
            kw.setdefault("stderr", self._log_file)
        await super().start_kernel(**kw)

    def cleanup_ipc_files(self) -> None:
        """Remove the socket files, then the kernel's private folder; close the log."""
        super().cleanup_ipc_files()
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def kernel_manager_for(log: Path) -> type[LocalKernelManager]:
    """A kernel manager class whose kernels write their own output to `log`."""
    return type("RunKernelManager", (LocalKernelManager,), {"kernel_log": log})
