"""nbval runs the committed notebooks in order with their default parameters (the Kartra
sample into the built-in emulator); each session starts from an empty interactive run folder."""

import shutil
from pathlib import Path

INTERACTIVE_RUN = Path(__file__).resolve().parents[1] / "runs" / "interactive-kartra"


def pytest_sessionstart(session) -> None:  # noqa: ANN001 - pytest hook signature
    shutil.rmtree(INTERACTIVE_RUN, ignore_errors=True)
