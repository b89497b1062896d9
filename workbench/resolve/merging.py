"""Folding duplicates into one record: companies by cluster, people by email or review.

The survivor is the first record in load order; it keeps every merged source key, fills its
empty fields from the others, takes the union of list fields (tags, emails) and any relation
only a duplicate knew. Used by `plan.resolve_staged`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from workbench.records import Outcome
from workbench.resolve.associations import Resolver
from workbench.resolve.companies import CompanyClusters, dedupe_companies
from workbench.resolve.decisions import Decisions
from workbench.resolve.people import PeopleDuplicates, dedupe_people


@dataclass
class ObjectInfo:
    key_field: str | None
    derived: bool = False


@dataclass
class SourceRecord:
    key: str
    map_object: str
    source_id: str
    target: str
    payload: dict[str, Any]
    refs: dict[str, Any]
    file: str | None
    line: int | None
    merged: list[str] = field(default_factory=list)
    plan_refs: dict[str, str] = field(default_factory=dict)
    out: tuple[str, str, str | None] | None = None  # outcome, reason, merged into


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def merge_payloads(base: dict[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """Fill what `base` lacks from `other`; lists (tags, emails) become their union."""
    for name, value in other.items():
        mine = base.get(name)
        if _empty(mine):
            base[name] = value
        elif isinstance(mine, dict) and isinstance(value, Mapping):
            merge_payloads(mine, value)
        elif isinstance(mine, list) and isinstance(value, list):
            base[name] = mine + [v for v in value if v not in mine]
    return base


def payload_emails(payload: Mapping[str, Any]) -> list[str]:
    emails = payload.get("emails") or {}
    found = [emails.get("primaryEmail")] + list(emails.get("additionalEmails") or [])
    return [e for e in found if e]


def payload_full_name(payload: Mapping[str, Any]) -> str:
    name = payload.get("name")
    if isinstance(name, Mapping):
        return " ".join(str(name.get(k) or "") for k in ("firstName", "lastName")).strip()
    return str(name or "")


def payload_city(payload: Mapping[str, Any]) -> str | None:
    """The town of a person record (`city`, else its address's), as the company's evidence."""
    city = payload.get("city")
    if not city:
        for field in ("addressCustom", "address"):
            value = payload.get(field)
            if isinstance(value, Mapping) and value.get("addressCity"):
                return str(value["addressCity"])
    return str(city) if city else None


def fold_companies(
    records: dict[str, list[SourceRecord]],
    resolver: Resolver,
    params: Any,
    infos: Mapping[str, ObjectInfo],
    decided: Decisions | None,
) -> CompanyClusters | None:
    company_recs = [r for recs in records.values() for r in recs if r.target == "companies"]
    company_objects = {r.map_object for r in company_recs}
    if not company_recs:
        return None
    rows: list[dict[str, Any]] = [
        {
            "name": r.payload.get("name"),
            "website": (r.payload.get("domainName") or {}).get("primaryLinkUrl"),
            "email": None,
            "city": (r.payload.get("address") or {}).get("addressCity"),
        }
        for r in company_recs
    ]
    for recs in records.values():
        for rec in recs:
            for ref in rec.refs.values():
                if ref.get("map_object") in company_objects and ref.get("by") == "name":
                    emails = payload_emails(rec.payload)
                    rows.append(
                        {
                            "name": ref.get("value"),
                            "website": None,
                            "email": emails[0] if emails else None,
                            "city": payload_city(rec.payload),
                        }
                    )
    frame = pl.DataFrame(rows, schema={c: pl.Utf8 for c in ("name", "website", "email", "city")})
    clusters = dedupe_companies(
        frame, "name", "website", "email", "city", rules=params.company_rules, decisions=decided
    )
    cluster_of = clusters.rows["cluster"].to_list()
    keys_of = clusters.rows["normalised"].to_list()
    canonical = dict(
        zip(clusters.clusters["cluster"], clusters.clusters["canonical_name"], strict=True)
    )
    survivor: dict[int, SourceRecord] = {}
    for position, rec in enumerate(company_recs):
        cluster = cluster_of[position]
        if cluster is None:
            survivor_rec = rec  # no usable name: loads alone
        else:
            survivor_rec = survivor.setdefault(cluster, rec)
        if survivor_rec is not rec:
            rec.out = (
                Outcome.MERGED,
                f"same company as {survivor_rec.key} ({clusters.rows['name'][position]!r})",
                survivor_rec.key,
            )
            survivor_rec.merged.append(rec.key)
            merge_payloads(survivor_rec.payload, rec.payload)
            for name, ref in rec.refs.items():
                survivor_rec.refs.setdefault(name, ref)
        resolver.add(rec.map_object, rec.source_id, survivor_rec.key, kind="companies")
    for cluster, rec in survivor.items():
        if infos.get(rec.map_object, ObjectInfo(None)).derived:
            rec.payload["name"] = canonical[cluster]
    for position, cluster in enumerate(cluster_of):
        if cluster in survivor:
            rec = survivor[cluster]
            resolver.add(
                rec.map_object, rec.source_id, rec.key, kind="companies", names=[keys_of[position]]
            )
    return clusters


def fold_people(
    records: dict[str, list[SourceRecord]],
    resolver: Resolver,
    params: Any,
    decided: Decisions | None,
) -> PeopleDuplicates | None:
    people = [r for recs in records.values() for r in recs if r.target == "people"]
    if not people:
        return None
    frame = pl.DataFrame(
        {
            "key": [r.key for r in people],
            "email": [(payload_emails(r.payload) or [None])[0] for r in people],
            "name": [payload_full_name(r.payload) for r in people],
            "phone": [(r.payload.get("phones") or {}).get("primaryPhoneNumber") for r in people],
            "company": [(r.refs.get("companyId") or {}).get("value") for r in people],
        },
        schema={c: pl.Utf8 for c in ("key", "email", "name", "phone", "company")},
    )
    found = dedupe_people(
        frame,
        email_col="email",
        name_col="name",
        phone_col="phone",
        company_col="company",
        key_col="key",
        policy=params.people_policy,
        decisions=decided,
    )
    by_key = {r.key: r for r in people}
    for row in found.rows.iter_rows(named=True):
        rec, head = by_key[row["key"]], by_key[row["survivor"]]
        if head is not rec:
            rec.out = (Outcome.MERGED, f"same person as {head.key} ({row['merged_by']})", head.key)
            head.merged.append(rec.key)
            extra = [
                e
                for e in payload_emails(rec.payload)
                if e.casefold() not in {x.casefold() for x in payload_emails(head.payload)}
            ]
            merge_payloads(head.payload, rec.payload)
            for name, ref in rec.refs.items():  # a relation only the duplicate knew
                head.refs.setdefault(name, ref)
            if extra:
                emails = head.payload.setdefault("emails", {})
                emails["additionalEmails"] = list(emails.get("additionalEmails") or []) + extra
        elif row["email_shared_with"]:
            emails = rec.payload.get("emails") or {}
            primary = emails.pop("primaryEmail", None)
            emails["additionalEmails"] = [primary, *(emails.get("additionalEmails") or [])]
    survivors = found.survivors()
    for rec in people:
        head = by_key[survivors[rec.key]]
        resolver.add(
            rec.map_object,
            rec.source_id,
            head.key,
            kind="people",
            emails=payload_emails(rec.payload) or payload_emails(head.payload),
            names=[payload_full_name(rec.payload)],
        )
    return found
