"""Reaching the emulator: in-process from sync httpx code, or over loopback with uvicorn.

`emulator_transport` runs the ASGI app on a private event loop in a daemon thread, so it works
in plain scripts and inside Jupyter kernels, whose main thread already runs a loop.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import httpx

from workbench.twenty.emulator.app import ConnectionDropped, create_app


class EmulatorTransport(httpx.BaseTransport):
    """A synchronous httpx transport driving `httpx.ASGITransport(app)` on its own loop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._asgi = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="twenty-emulator", daemon=True
        )
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        forwarded = httpx.Request(
            request.method, request.url, headers=request.headers, content=body
        )

        async def call() -> tuple[int, httpx.Headers, bytes]:
            response = await self._asgi.handle_async_request(forwarded)
            content = b"".join([chunk async for chunk in response.stream])
            return response.status_code, response.headers, content

        try:
            status, headers, content = asyncio.run_coroutine_threadsafe(call(), self._loop).result()
        except ConnectionDropped as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from exc
        headers = httpx.Headers(
            [(k, v) for k, v in headers.multi_items() if k.lower() != "content-encoding"]
        )
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        if not self._loop.is_running():
            self._loop.close()
        self.app.emulator.store.close()


def emulator_transport(db_path: str | Path, **kwargs: Any) -> EmulatorTransport:
    """A sync transport to an emulated workspace in `db_path` (same keyword arguments as create_app)."""
    return EmulatorTransport(create_app(db_path, **kwargs))


def serve(port: int, db_path: str | Path, host: str = "127.0.0.1", **kwargs: Any) -> None:
    """Serve the emulator on loopback until interrupted (`workbench emulator --port N`)."""
    import uvicorn

    uvicorn.run(create_app(db_path, **kwargs), host=host, port=port, log_level="warning")
