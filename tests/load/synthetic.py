"""A small, deterministic load plan: companies → people → opportunities → notes → noteTargets.

Shared by the load tests and by `load_worker.py` (the process a test kills), so both build the
very same plan. It holds the awkward cases on purpose: a merged duplicate person, a person with a field the
workspace does not have (Twenty refuses it; no check before sending can know the workspace's
fields), an opportunity and a note target that point at that refused person, and source records
queued and rejected before the load.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from workbench.records import OUTCOME_SCHEMA, PLAN_SCHEMA, LoadPlan, Phase, dumps
from workbench.twenty.model import FieldSpec, FieldType

KEY = "srcId"
KEYED = {
    "companies": "company",
    "people": "person",
    "opportunities": "opportunity",
    "notes": "note",
}


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=PLAN_SCHEMA)


def _rec(
    map_object: str,
    sid: str,
    payload: dict[str, Any],
    refs: dict[str, str],
    line: int,
    merged: tuple[str, ...] = (),
) -> dict[str, Any]:
    key = f"{map_object}:{sid}"
    return {
        "record_key": key,
        "source_keys": [key, *merged],
        "payload": dumps(payload),
        "refs": dumps(refs),
        "_file": f"{map_object}.csv",
        "_line": line,
    }


def build_plan(
    companies: int = 12,
    people: int = 60,
    opportunities: int = 20,
    notes: int = 15,
    *,
    stamp: str = "",
) -> LoadPlan:
    """The plan; `stamp` changes every opportunity's name (a delta run)."""
    co = [
        _rec(
            "accounts",
            f"A{i}",
            {
                KEY: f"A{i}",
                "name": f"Company {i}",
                "domainName": {"primaryLinkUrl": f"https://Co{i}.example.com/"},
                "employees": 10 + i,
            },
            {},
            i + 2,
        )
        for i in range(companies)
    ]
    ppl = []
    for i in range(people):
        payload = {
            KEY: f"C{i}",
            "name": {"firstName": f"First{i}", "lastName": f"Last{i}"},
            "emails": {"primaryEmail": f"Person.{i}@Example.com", "additionalEmails": []},
            "city": f"City {i % 7}",
            "createdAt": f"2020-01-{1 + i % 28:02d}T10:00:00.000Z",
        }
        if i == 6:
            payload["nickname"] = "Six"  # no such field in the workspace
        merged = ("contacts:C0dup",) if i == 0 else ()
        ppl.append(
            _rec(
                "contacts",
                f"C{i}",
                payload,
                {"companyId": f"accounts:A{i % companies}"},
                i + 2,
                merged,
            )
        )
    opp = []
    for i in range(opportunities):
        payload = {
            KEY: f"D{i}",
            "name": f"Deal {i}{stamp}",
            "stage": "NEW",
            "amount": {"amountMicros": (i + 1) * 1_000_000_000, "currencyCode": "USD"},
            "closeDate": f"2024-02-{1 + i % 28:02d}",
        }
        refs = {
            "companyId": f"accounts:A{i % companies}",
            "pointOfContactId": f"contacts:C{(i * 3) % people}",
        }
        opp.append(_rec("deals", f"D{i}", payload, refs, i + 2))
    nts, targets = [], []
    for i in range(notes):
        nts.append(
            _rec(
                "notes",
                f"N{i}",
                {
                    KEY: f"N{i}",
                    "title": f"Note {i}",
                    "bodyV2": {"markdown": f"Called about **deal {i}**."},
                },
                {},
                i + 2,
            )
        )
        person = f"contacts:C{(i * 2) % people}"
        targets.append(
            {
                "record_key": f"noteTargets:N{i}|personId",
                "source_keys": [f"noteTargets:N{i}|personId"],
                "payload": "{}",
                "refs": dumps({"noteId": f"notes:N{i}", "personId": person}),
                "_file": "notes.csv",
                "_line": i + 2,
            }
        )
    outcomes = pl.DataFrame(
        [
            {
                "source_key": "contacts:Q1",
                "map_object": "contacts",
                "outcome": "queued",
                "reason": "no email",
                "merged_into": None,
                "_file": "contacts.csv",
                "_line": 900,
            },
            {
                "source_key": "contacts:R1",
                "map_object": "contacts",
                "outcome": "rejected",
                "reason": "unparseable row",
                "merged_into": None,
                "_file": "contacts.csv",
                "_line": 901,
            },
            {
                "source_key": "accounts:A0b",
                "map_object": "accounts",
                "outcome": "merged",
                "reason": "same company as accounts:A0",
                "merged_into": "accounts:A0",
                "_file": "accounts.csv",
                "_line": 902,
            },
        ],
        schema=OUTCOME_SCHEMA,
    )
    return LoadPlan(
        phases=[
            Phase("companies", "companies", _frame(co), ["accounts"], KEY),
            Phase("people", "people", _frame(ppl), ["contacts"], KEY),
            Phase("opportunities", "opportunities", _frame(opp), ["deals"], KEY),
            Phase("notes", "notes", _frame(nts), ["notes"], KEY),
            Phase("noteTargets", "noteTargets", _frame(targets), ["noteTargets"], None),
        ],
        outcomes=outcomes,
    )


def prepare_workspace(client: Any) -> None:
    """The custom key field every keyed object needs before records use it."""
    for plural, singular in KEYED.items():
        info = client.object_info(plural)
        if info.field(KEY) is None:
            client.create_field(FieldSpec(singular, KEY, "Source id", FieldType.TEXT), info.id)


def snapshot(client: Any) -> dict[str, set[str]]:
    """What the workspace holds, independent of ids: links named by the linked record's key."""
    by_id: dict[str, str] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    for plural in KEYED:
        records[plural] = list(client.find(plural))
        by_id.update({r["id"]: r.get(KEY) for r in records[plural]})
    drop = {"id", "createdBy", "updatedAt", "deletedAt", "position", "searchVector"}
    out: dict[str, set[str]] = {}
    for plural, rows in records.items():
        out[plural] = set()
        for r in rows:
            clean = {
                k: (by_id.get(v, v) if k.endswith("Id") else v)
                for k, v in r.items()
                if k not in drop
            }
            if plural != "people":  # only people carry a createdAt from the source
                clean.pop("createdAt", None)
            if isinstance(clean.get("bodyV2"), dict):  # blocknote ids are random
                clean["bodyV2"] = clean["bodyV2"].get("markdown")
            out[plural].add(json.dumps(clean, sort_keys=True, default=str))
    out["noteTargets"] = {
        f"{by_id.get(t.get('noteId'))}->{by_id.get(t.get('personId'))}"
        for t in client.find("noteTargets")
    }
    return out
