"""Contract: every recorded transcript, replayed against a fresh emulated workspace, gets
answers of the same status and shape as the real Twenty 1.7 server gave."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from transcript_replay import Outcome, Replayer, load_plan, shared_twenty_dir

from workbench.twenty.emulator import RateLimit, emulator_transport

TWENTY = shared_twenty_dir()
pytestmark = pytest.mark.skipif(
    TWENTY is None, reason="shared/twenty transcripts are not beside the checkout"
)


def replay_file(name: str, plan: dict, db: Path, outcome: Outcome) -> None:
    config = plan["files"].get(name, {})
    options = dict(config.get("options") or {})
    if "rate_limit" in options:
        options["rate_limit"] = RateLimit(**options["rate_limit"])
    transport = emulator_transport(db, **options)
    with httpx.Client(transport=transport, base_url="http://emulator") as client:
        replayer = Replayer(client, TWENTY / "transcripts", plan)
        for setup in config.get("setup", []):
            replayer.replay(setup, None)
        replayer.replay(name, outcome)


def test_every_transcript_replays_with_the_recorded_shapes(tmp_path: Path) -> None:
    plan = load_plan()
    outcome = Outcome()
    started = time.perf_counter()
    names = sorted(p.name for p in (TWENTY / "transcripts").glob("*.json"))
    assert names, "no transcripts found"
    for n, name in enumerate(names):
        replay_file(name, plan, tmp_path / f"w{n}.sqlite", outcome)
    total = outcome.compared + len(outcome.skipped)
    share = outcome.compared / total
    print(
        f"\ntranscripts: {len(names)} files, {total} interactions: {outcome.compared} compared, {len(outcome.skipped)} skipped ({share:.0%} compared) in {time.perf_counter() - started:.1f}s"
    )
    for name, index, reason in outcome.skipped:
        print(f"  skipped {name}[{index}]: {reason}")
    assert not outcome.failures, "\n".join(outcome.failures)
    assert share >= 0.9
