"""Rollback benchmark: records/second under a request budget, one DELETE each vs bulk destroy.

    .venv/bin/python benchmarks/bench_rollback.py                    # 20,000 records, 100 req/min
    .venv/bin/python benchmarks/bench_rollback.py --records 100000   # the 100,000-record case

Loads generated companies and people into the emulator (fast budget), then rolls the run back
twice over — once with one REST DELETE per record (how rollback worked before), once with GraphQL
destroy by id list — each on a client held to `--rpm` requests per minute. The budget's waits
run on a virtual clock (its sleeps advance the clock instead of blocking), so an hour of waiting
costs no hour; everything else is real time spent in the client, the emulator and the ledger.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TQDM_DISABLE", "1")  # figures only, no progress bars

from bench_load import KEY, generate  # noqa: E402

from workbench.load import Ledger, rollback, run_load  # noqa: E402
from workbench.twenty.client import TwentyClient  # noqa: E402
from workbench.twenty.emulator import emulator_transport  # noqa: E402
from workbench.twenty.model import FieldSpec, FieldType  # noqa: E402


class VirtualClock:
    """Real monotonic time plus every second the budget asked to sleep."""

    def __init__(self) -> None:
        self.slept = 0.0

    def now(self) -> float:
        return time.monotonic() + self.slept

    def sleep(self, seconds: float) -> None:
        self.slept += max(0.0, seconds)


class OneByOne:
    """The client without bulk destroy: rollback falls back to one REST DELETE per record."""

    def __init__(self, client: TwentyClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        if name == "destroy":
            raise AttributeError(name)
        return getattr(self._client, name)


def load(folder: Path, people: int, companies: int) -> None:
    client = TwentyClient(
        "http://twenty-emulator",
        "emulator",
        transport=emulator_transport(folder / "emulator.sqlite"),
        requests_per_minute=100_000,
        batch_size=200,
        progress=False,
    )
    with client:
        for plural, singular in (("companies", "company"), ("people", "person")):
            client.create_field(
                FieldSpec(singular, KEY, "Bench id", FieldType.TEXT), client.object_info(plural).id
            )
        with Ledger(folder) as ledger:
            report = run_load(generate(people, companies), client, ledger, mode="full")
        assert report.ok, report.error


def timed_rollback(folder: Path, rpm: int, *, bulk: bool) -> dict[str, float]:
    clock = VirtualClock()
    client = TwentyClient(
        "http://twenty-emulator",
        "emulator",
        transport=emulator_transport(folder / "emulator.sqlite"),
        requests_per_minute=rpm,
        progress=False,
        clock=clock.now,
        sleep=clock.sleep,
    )
    with client:
        client.capabilities()  # detected before the clock starts, as a run has it in server.json
        before = client.stats.requests
        started, real = clock.now(), time.monotonic()
        report = rollback(folder, client if bulk else OneByOne(client))
        elapsed, real = clock.now() - started, time.monotonic() - real
        left = client.count("people") + client.count("companies")
    assert report.ok and left == 0, (report, left)
    return {
        "records": report.deleted,
        "requests": client.stats.requests - before,
        "seconds": elapsed,
        "waited": max(0.0, elapsed - real),
    }


def show(label: str, r: dict[str, float]) -> None:
    rate = r["records"] / r["seconds"]
    print(
        f"{label}: {r['records']:,.0f} records in {r['requests']:,.0f} requests, "
        f"{r['seconds']:,.1f} s under the budget ({r['waited']:,.1f} s of it waiting) "
        f"-> {rate:,.1f} records/second; 100,000 records would take "
        f"{100_000 / rate / 60:,.1f} minutes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000, help="people + companies loaded")
    parser.add_argument("--rpm", type=int, default=100, help="request budget per minute")
    parser.add_argument(
        "--one-by-one-records", type=int, default=None, help="records for the slow path"
    )
    args = parser.parse_args()
    slow = args.one_by_one_records or min(args.records, 2000)

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        results = {}
        for bulk, records in ((False, slow), (True, args.records)):
            folder = base / ("bulk" if bulk else "one")
            folder.mkdir()
            co = max(1, records // 5)
            load(folder, records - co, co)
            results[bulk] = timed_rollback(folder, args.rpm, bulk=bulk)
            shutil.rmtree(folder)
    print(f"budget: {args.rpm} requests per minute")
    show("one REST DELETE per record (before)", results[False])
    show("bulk destroy by id list (now)     ", results[True])
    speedup = (results[True]["records"] / results[True]["seconds"]) / (
        results[False]["records"] / results[False]["seconds"]
    )
    print(f"speed-up: {speedup:,.0f}x (goal >= 50x)")


if __name__ == "__main__":
    main()
