"""Fixtures for every test: no test can reach a real workspace or a real Salesmate account."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_destination_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear TWENTY_* and SALESMATE_* so settings fall back to the built-in emulator."""
    for name in list(os.environ):
        if name.startswith(("TWENTY_", "SALESMATE_")):
            monkeypatch.delenv(name, raising=False)
