"""Split batches and requests per record when each sample export loads into the emulator.

    .venv/bin/python benchmarks/bench_payload_splits.py                 # all five samples
    .venv/bin/python benchmarks/bench_payload_splits.py kartra --batch 60

Each sample is staged and resolved with its default map, its schema synced into a fresh emulated
workspace, and the whole plan loaded through the real loader (mode "full"). Printed per sample:
records sent, create requests, split batches (a batch Twenty refused whole, then halved), records
Twenty refused one by one, all HTTP requests per record sent, and the refusal reasons. A split is
a value the workbench sent although Twenty refuses it: the target is 0.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # figures only, no progress bars

from workbench.load import Ledger, run_load
from workbench.mapping import load_default_map, stage
from workbench.resolve.plan import objects_info, resolve_staged
from workbench.sources.base import get_source
from workbench.twenty import TwentyClient, apply_schema, emulator_transport, plan_schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("kartra", "allclients", "smartcrm", "altcraft", "salesmate")


def measure(source: str, workdir: Path, batch: int) -> dict[str, object]:
    """Load one sample into a fresh emulated workspace; the traffic figures of that load."""
    members = json.loads((ROOT / "data" / "samples" / "workspace_members.json").read_text())
    transport = emulator_transport(workdir / f"{source}.sqlite", members=members)
    client = TwentyClient(
        "http://twenty-emulator", "emulator", transport=transport,
        requests_per_minute=1_000_000, batch_size=batch, backoff=0.001, progress=False,
    )  # fmt: skip
    spec = load_default_map(source)
    export_dir = ROOT / "data" / "samples" / source
    export = get_source(source).read_export(export_dir)
    with client:
        apply_schema(client, plan_schema(spec.required_schema(), client.list_objects()))
        plan = resolve_staged(
            stage(export, spec), objects_info(spec), client.workspace_members()
        ).plan
        ledger = Ledger(workdir / f"{source}-ledger.sqlite")
        started = time.monotonic()
        report = run_load(plan, client, ledger, mode="full", files_root=export_dir)
        seconds = time.monotonic() - started
        stats = ledger.batch_stats()
        refused = Counter(
            (r["reason"] or "")[:90]
            for r in ledger.rows()
            if r["outcome"] in ("rejected", "failed") and r["batch_id"] is not None
        )
        mended = sum(
            1
            for r in ledger.rows()
            for f in json.loads(r["flags"] or "[]")
            if "dropped" in f or "sent as" in f
        )
        ledger.close()
    return {
        "source": source,
        "ok": report.ok,
        "records sent": report.sent,
        "create requests": sum(p["batches"] for p in stats.values()),
        "split batches": sum(p["split"] for p in stats.values()),
        "refused singly": sum(p["refused"] for p in stats.values()),
        "requests": report.requests,
        "requests/record": round(report.requests_per_record or 0, 3),
        "records/s": round(report.sent / seconds, 1) if seconds else None,
        "values mended before sending": mended,
        "refusals": dict(refused.most_common(5)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", default=list(SAMPLES))
    parser.add_argument("--batch", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.sources:
            figures = measure(source, Path(tmp), args.batch)
            print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
