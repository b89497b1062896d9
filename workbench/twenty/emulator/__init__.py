"""The built-in Twenty emulator: an ASGI app backed by SQLite that answers like Twenty 1.7."""

from workbench.twenty.emulator.app import create_app
from workbench.twenty.emulator.faults import FaultPlan, RateLimit
from workbench.twenty.emulator.transport import EmulatorTransport, emulator_transport, serve

__all__ = [
    "EmulatorTransport",
    "FaultPlan",
    "RateLimit",
    "create_app",
    "emulator_transport",
    "serve",
]
