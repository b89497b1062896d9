"""Bulk rollback: destroy by the ledger's id lists, within the server's cap, batch by batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from synthetic import build_plan, prepare_workspace

from workbench.load import Ledger, rollback, run_load
from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.emulator import emulator_transport

TOTAL = 12 + 59 + 20 + 15 + 14


class Recording(httpx.BaseTransport):
    """Keeps every GraphQL body sent, so a test can read the destroy calls."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.graphql: list[dict[str, Any]] = []
        self.deletes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/graphql":
            self.graphql.append(json.loads(request.content))
        self.deletes += request.method == "DELETE"
        return self.inner.handle_request(request)

    def destroy_calls(self) -> list[tuple[str, list[str]]]:
        out = []
        for body in self.graphql:
            query = body["query"]
            if "destroy" in query:
                name = query.split("{", 1)[1].split("(", 1)[0].strip()
                out.append((name, body["variables"]["ids"]))
        return out


def recording_client(db: Path, **kwargs: Any):
    from workbench.twenty.client import TwentyClient

    rec = Recording(emulator_transport(db))
    options = {"requests_per_minute": 100_000, "batch_size": 10, "progress": False}
    client = TwentyClient(
        "http://twenty-emulator", "emulator", transport=rec, **{**options, **kwargs}
    )
    return client, rec


def created_ids(ledger: Ledger) -> set[str]:
    return {r["twenty_id"] for r in ledger.rows() if r["twenty_id"]}


def test_rollback_destroys_in_batches_within_the_servers_cap(run_dir: Path, counts) -> None:
    run_dir.mkdir(parents=True)
    caps = ServerCapabilities(version="1.7.0", graphql_batch_cap=25, source="documented")
    client, rec = recording_client(run_dir / "emulator.sqlite", capabilities=caps)
    with client:
        prepare_workspace(client)
        before = counts(client)
        with Ledger(run_dir) as ledger:
            assert run_load(build_plan(), client, ledger, mode="full").ok
            ours = created_ids(ledger)
        rec.graphql.clear()
        report = rollback(run_dir, client)
        calls = rec.destroy_calls()
        assert report.ok and report.deleted == TOTAL
        assert rec.deletes == 0  # no record deleted one REST call at a time
        assert all(len(ids) <= 25 for _, ids in calls)
        assert sum(len(ids) for _, ids in calls) == TOTAL
        assert {i for _, ids in calls for i in ids} == ours
        # newest phase first: noteTargets, notes, opportunities, people, companies
        order = list(dict.fromkeys(name for name, _ in calls))
        assert order == [
            "destroyNoteTargets",
            "destroyNotes",
            "destroyOpportunities",
            "destroyPeople",
            "destroyCompanies",
        ]
        assert len(calls) == 1 + 1 + 1 + 3 + 1  # 14, 15, 20, 59 (25+25+9), 12
        assert report.requests < 10
        assert counts(client) == before


def test_rollback_touches_only_this_runs_records(tmp_path: Path, counts) -> None:
    """Two runs share one workspace; rolling back one leaves the other and older records."""
    db = tmp_path / "emulator.sqlite"
    first, second = tmp_path / "first", tmp_path / "second"
    client, rec = recording_client(db)
    with client:
        prepare_workspace(client)
        older = client.create("companies", {"name": "Was there before"})["id"]
        with Ledger(first) as ledger:
            assert run_load(build_plan(), client, ledger, mode="full").ok
            theirs = created_ids(ledger)
        after_first = counts(client)
        plan = build_plan(companies=3, people=4, opportunities=2, notes=2)
        for phase in plan.phases:  # other records (other keys and emails) in a second run
            phase.records = phase.records.with_columns(
                phase.records["payload"].str.replace_all("example.com", "second.example.com")
            )
        with Ledger(second) as ledger:
            run_load(plan, client, ledger, mode="full")
            ours = created_ids(ledger)
        rec.graphql.clear()
        report = rollback(second, client)
        destroyed = {i for _, ids in rec.destroy_calls() for i in ids}
        assert report.ok and destroyed == ours and not destroyed & theirs
        assert counts(client) == after_first
        assert client.get("companies", older) is not None
        for body in rec.graphql:  # every destroy names its ids; none filters on anything else
            if "destroy" in body["query"]:
                assert "filter: {id: {in: $ids}}" in body["query"]


def test_a_refused_record_fails_alone_and_the_rest_are_destroyed(client, run_dir: Path) -> None:
    with Ledger(run_dir) as ledger:
        run_load(build_plan(), client, ledger, mode="full")
        bad = ledger.rows(phase="people")[7]
        with ledger._tx() as db:  # a damaged ledger row: Postgres refuses the id, the batch fails
            db.execute(
                "UPDATE changes SET twenty_id='not-a-uuid' WHERE source_key=?",
                (bad["source_key"],),
            )
        report = rollback(ledger, client)
        assert not report.ok
        assert [f["source_key"] for f in report.failed] == [bad["source_key"]]
        assert "invalid input syntax for type uuid" in report.failed[0]["error"]
        assert report.deleted == TOTAL - 1
        assert client.count("people") == 1  # the damaged row's person is still there
        assert [r["status"] for r in ledger.runs()] != ["rolled_back"]  # not forgotten
        again = rollback(ledger, client)  # only the damaged row is left to try
        assert again.deleted == 0 and len(again.failed) == 1


def test_an_interrupted_rollback_resumes_where_it_stopped(client, run_dir: Path, counts) -> None:
    before = counts(client)
    with Ledger(run_dir) as ledger:
        run_load(build_plan(), client, ledger, mode="full")
    real_destroy = client.destroy
    calls = {"n": 0}

    def dies_after_two(obj: str, ids: list[str]) -> list[dict[str, Any]]:
        calls["n"] += 1
        out = real_destroy(obj, ids)
        if calls["n"] == 3:  # the server destroyed them, the answer never reached the ledger
            raise KeyboardInterrupt
        return out

    client.destroy = dies_after_two  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        rollback(run_dir, client)
    client.destroy = real_destroy  # type: ignore[method-assign]
    report = rollback(run_dir, client)
    assert report.ok and report.deleted + report.already_gone < TOTAL  # the first two batches
    assert report.already_gone > 0  # the third batch: gone, though the ledger had not heard
    assert counts(client) == before
    with Ledger(run_dir) as ledger:
        assert {r["status"] for r in ledger.runs()} == {"rolled_back"}
        assert run_load(build_plan(), client, ledger, mode="full").ok


def test_soft_deleted_records_of_the_run_are_destroyed_too(client, run_dir: Path) -> None:
    """Someone moved a few of the run's people to the trash: they keep their emails (FACTS 31)."""
    with Ledger(run_dir) as ledger:
        run_load(build_plan(), client, ledger, mode="full")
        people = [r["twenty_id"] for r in ledger.rows(phase="people") if r["twenty_id"]]
    client.soft_delete("people", people[:3])
    report = rollback(run_dir, client)
    assert report.ok and report.already_gone == 0
    trashed = client._graphql(
        "query { people(filter: {deletedAt: {is: NOT_NULL}}) { edges { node { id } } } }"
    )
    assert trashed["people"]["edges"] == []
