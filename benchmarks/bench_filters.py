"""Lookups by value in Twenty 1.7's REST grammar: how many requests, how long, how exact.

Generates company keys like AllClients' (a share holding commas, a few with parentheses,
apostrophes or line breaks), writes the lookup filters for all of them, parses every filter
back with the server's grammar model, then loads a sample into the built-in emulator and
counts and reads them back through the client. Prints figures; asserts only exactness.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from workbench.twenty import FieldSpec, FieldType, TwentyClient
from workbench.twenty.emulator import emulator_transport
from workbench.twenty.rest_filters import lookup_filters
from workbench.twenty.rest_grammar import parse_filter

WORDS = ["maple", "leaf", "vanguard", "media", "acme", "highland", "realty", "o'brien", "nord"]
SUFFIXES = ["", ", inc.", ", ltd.", " llc", " & sons", " (uk)", " (eu", "\nbranch", " co."]


def keys(n: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    out = set()
    while len(out) < n:
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        suffix = rng.choices(SUFFIXES, weights=[60, 12, 12, 6, 4, 2, 1, 1, 2])[0]
        out.add(f"{name} {len(out)}{suffix}")
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=100_000, help="keys to write filters for")
    parser.add_argument("--load", type=int, default=3_000, help="records loaded and looked up")
    args = parser.parse_args()

    values = keys(args.keys)
    started = time.perf_counter()
    lookups = lookup_filters("allclientsCompanyKey", values)
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    for lookup in lookups:
        parse_filter(lookup.filter)
    parse_s = time.perf_counter() - started
    lists = [lk for lk in lookups if lk.filter.split("[", 2)[1].startswith("in]")]
    ors = [lk for lk in lookups if lk.filter.startswith("or(")]
    eqs = [lk for lk in lookups if lk.exact and lk not in lists and lk not in ors]
    longest = max(len(quote(lk.filter, safe="")) for lk in lookups)
    print(f"keys: {len(values):,}; with a comma: {sum(',' in v for v in values):,}")
    print(
        f"filters: {len(lookups):,} ({len(lists):,} [in] lists of {sum(len(lk.values) for lk in lists) / max(len(lists), 1):.0f} "
        f"values on average; {len(ors):,} or() of {sum(len(lk.values) for lk in ors) / max(len(ors), 1):.0f} "
        f"quoted [eq]; {len(eqs):,} quoted [eq] alone; "
        f"{sum(not lk.exact for lk in lookups):,} [like] checked afterwards)"
    )
    print(f"longest filter, URL-encoded: {longest:,} bytes")
    print(f"written and checked in {write_s:.2f} s; parsed back in {parse_s:.2f} s")

    sample = keys(args.load, seed=9)
    with tempfile.TemporaryDirectory() as folder:
        transport = emulator_transport(Path(folder) / "emulator.sqlite")
        with TwentyClient(
            "http://twenty-emulator",
            "emulator",
            transport=transport,
            requests_per_minute=1_000_000,
            batch_size=60,
            progress=False,
        ) as client:
            company = client.object_info("companies")
            spec = FieldSpec("company", "allclientsCompanyKey", "Key", FieldType.TEXT)
            client.create_field(spec, company.id)
            client.create_many(
                "companies", [{"name": k[:50], "allclientsCompanyKey": k} for k in sample]
            )
            before = client.stats.requests
            started = time.perf_counter()
            counted = client.count_in("companies", "allclientsCompanyKey", sample)
            count_s, count_requests = time.perf_counter() - started, client.stats.requests - before
            before = client.stats.requests
            started = time.perf_counter()
            found = client.find_by_values("companies", "allclientsCompanyKey", sample)
            find_s, find_requests = time.perf_counter() - started, client.stats.requests - before
    print(
        f"emulator, {len(sample):,} records: count_in {counted:,} in {count_s:.2f} s "
        f"({count_requests} requests); find_by_values {len(found):,} in {find_s:.2f} s "
        f"({find_requests} requests)"
    )
    assert counted == len(sample) and len(found) == len(sample), "a key was not found exactly"


if __name__ == "__main__":
    main()
