"""Load benchmark: generated companies and people into the emulator, through the real loader.

    .venv/bin/python benchmarks/bench_load.py                      # 5,000 people + 1,000 companies
    .venv/bin/python benchmarks/bench_load.py --rpm 120 --batch 30   # ~1 minute on a low budget

Prints records/second, records per request, and requests per minute against the budget: the
busiest 60-second window must never exceed the budget, and when the budget is the bottleneck
(a low --rpm) the load should use at least 90% of it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from bisect import bisect_left
from pathlib import Path

import httpx
import polars as pl

from workbench.load import Ledger, reconcile, run_load
from workbench.records import PLAN_SCHEMA, LoadPlan, Phase, dumps
from workbench.twenty.client import TwentyClient
from workbench.twenty.emulator import emulator_transport
from workbench.twenty.model import FieldSpec, FieldType

KEY = "benchId"


class TimedTransport(httpx.BaseTransport):
    """Records when each request starts, to measure the busiest minute afterwards."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.starts: list[float] = []
        self.writes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.starts.append(time.monotonic())
        self.writes += request.method in ("POST", "PATCH", "DELETE")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def busiest_window(starts: list[float], window: float = 60.0) -> int:
    """Most request starts inside any `window` seconds."""
    return max((bisect_left(starts, t + window) - i for i, t in enumerate(starts)), default=0)


def window_use(
    starts: list[float], budget: int, window: float = 60.0
) -> tuple[float, float] | None:
    """(lowest, mean) share of the budget used by the 60-second windows that lie inside the run."""
    if not starts or starts[-1] - starts[0] < window:
        return None
    shares = [
        (bisect_left(starts, t + window) - i) / budget
        for i, t in enumerate(starts)
        if t + window <= starts[-1]
    ]
    return min(shares), sum(shares) / len(shares)


def generate(people: int, companies: int) -> LoadPlan:
    def rec(map_object: str, sid: str, payload: dict, refs: dict, line: int) -> dict:
        key = f"{map_object}:{sid}"
        return {
            "record_key": key,
            "source_keys": [key],
            "payload": dumps({KEY: sid, **payload}),
            "refs": dumps(refs),
            "_file": f"{map_object}.csv",
            "_line": line,
        }

    co = [
        rec(
            "accounts",
            f"A{i}",
            {
                "name": f"Company {i}",
                "domainName": {"primaryLinkUrl": f"https://co{i}.example.com"},
            },
            {},
            i + 2,
        )
        for i in range(companies)
    ]
    ppl = [
        rec(
            "contacts",
            f"C{i}",
            {
                "name": {"firstName": f"First{i}", "lastName": f"Last{i}"},
                "emails": {"primaryEmail": f"person{i}@example.com"},
                "city": f"City {i % 50}",
                "createdAt": "2021-03-04T05:06:07.000Z",
            },
            {"companyId": f"accounts:A{i % companies}"},
            i + 2,
        )
        for i in range(people)
    ]
    return LoadPlan(
        phases=[
            Phase(
                "companies", "companies", pl.DataFrame(co, schema=PLAN_SCHEMA), ["accounts"], KEY
            ),
            Phase("people", "people", pl.DataFrame(ppl, schema=PLAN_SCHEMA), ["contacts"], KEY),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--rpm", type=int, default=6000, help="request budget per minute")
    parser.add_argument("--batch", type=int, default=60)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        timed = TimedTransport(emulator_transport(run_dir / "emulator.sqlite"))
        client = TwentyClient(
            "http://twenty-emulator",
            "emulator",
            transport=timed,
            requests_per_minute=args.rpm,
            batch_size=args.batch,
            progress=False,
        )
        for plural, singular in (("companies", "company"), ("people", "person")):
            client.create_field(
                FieldSpec(singular, KEY, "Bench id", FieldType.TEXT), client.object_info(plural).id
            )
        plan = generate(args.people, args.companies)
        records = args.people + args.companies
        with Ledger(run_dir) as ledger:
            setup_requests = client.stats.requests
            timed.starts.clear()
            timed.writes = 0
            started = time.monotonic()
            report = run_load(plan, client, ledger, mode="full")
            seconds = time.monotonic() - started
            requests = client.stats.requests - setup_requests
            starts, write_requests = list(timed.starts), timed.writes
            check = reconcile(plan, client, ledger, spot_check=40)
        client.close()

    peak = busiest_window(starts)
    print(
        f"records: {records} ({args.companies} companies, {args.people} people), batch {args.batch}"
    )
    print(
        f"load ok: {report.ok}; reconciliation ok: {check.ok}; counts: "
        f"{ {k: v for k, v in report.counts.items() if v} }"
    )
    print(f"time: {seconds:.1f} s -> {records / seconds:.1f} records/second")
    print(
        f"requests: {requests} = {write_requests} writes + {requests - write_requests} reads "
        f"(phase checks, lookups) -> {records / requests:.1f} records per request, "
        f"{records / max(write_requests, 1):.1f} per write"
    )
    print(
        f"requests per minute: busiest 60 s window {peak}, budget {args.rpm}: never exceeded = {peak <= args.rpm}"
    )
    use = window_use(starts, args.rpm)
    if use is not None:
        print(
            f"budget use in the 60 s windows inside the run: lowest {100 * use[0]:.1f}%, "
            f"mean {100 * use[1]:.1f}% (target >= 90% when the budget is the bottleneck)"
        )


if __name__ == "__main__":
    main()
