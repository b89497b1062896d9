"""The Kartra sample, staged and resolved by the stage functions (no notebooks), loads into the
strict emulator with no split batch: every value Twenty would refuse a person for was mended at
staging or before sending. On a real Twenty 1.7 the same sample once cost 372 split requests and
105 people ("Provided country code and calling code are conflicting")."""

from __future__ import annotations

import json
from pathlib import Path

from sample_loads import connect, prepare

from workbench.load import Ledger, run_load
from workbench.twenty.payload_rules import check_phones


def test_kartra_loads_without_a_split_batch(tmp_path: Path) -> None:
    plan = prepare("kartra", tmp_path / "emulator.sqlite")
    with Ledger(tmp_path) as ledger, connect(tmp_path / "emulator.sqlite") as client:
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report
        assert report.split_batches == 0, ledger.batch_stats()
        stats = ledger.batch_stats()
        assert sum(p["refused"] for p in stats.values()) == 0
        uk = [
            json.loads(r["body"])["phones"]
            for r in ledger.rows(phase="contacts")
            if r["body"]
            and json.loads(r["body"]).get("phones", {}).get("primaryPhoneCallingCode") == "+44"
        ]
        assert len(uk) >= 105  # the UK numbers a real Twenty refused, now loaded as GB
        assert {p["primaryPhoneCountryCode"] for p in uk} == {"GB"}
        for phones in uk:
            check_phones(phones)
        sent = sum(p.sent for p in report.phases)
        assert report.requests is not None and report.requests / sent < 0.05
