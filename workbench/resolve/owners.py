"""Source users (owners, assignees, authors) matched to Twenty workspace members by email.

Workspace members cannot be created through the API: an owner without a member waits in a
reconciliation queue, listed with every record that references them, for the admin to invite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from workbench.errors import ResolveError
from workbench.resolve.normalise import normalise_email

OWNER_SCHEMA: dict[str, pl.DataType] = {
    "owner_email": pl.Utf8,
    "email": pl.Utf8,
    "member_id": pl.Utf8,
    "member_name": pl.Utf8,
    "status": pl.Utf8,
    "reason": pl.Utf8,
}

OWNER_QUEUE_SCHEMA: dict[str, pl.DataType] = {
    "owner_email": pl.Utf8,
    "records": pl.Int64,
    "record_keys": pl.List(pl.Utf8),
    "fields": pl.List(pl.Utf8),
    "reason": pl.Utf8,
}


def _member_name(member: Mapping[str, Any]) -> str | None:
    name = member.get("name")
    if isinstance(name, Mapping):
        return " ".join(str(v) for v in (name.get("firstName"), name.get("lastName")) if v) or None
    return str(name) if name else None


def member_index(members: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """Normalised email → member; members without id or email are a caller's mistake."""
    index: dict[str, Mapping[str, Any]] = {}
    problems = []
    for position, member in enumerate(members):
        email = normalise_email(member.get("userEmail") or member.get("email"))
        if not member.get("id") or not email:
            problems.append(f"member {position} needs an id and a userEmail, got {dict(member)!r}")
            continue
        index.setdefault(email, member)
    if problems:
        raise ResolveError("; ".join(problems))
    return index


def match_owners(
    owner_emails: Iterable[str | None], members: Sequence[Mapping[str, Any]]
) -> pl.DataFrame:
    """One row per distinct owner email (as first written): matched member or the reason not."""
    index = member_index(members)
    rows = []
    seen: set[str] = set()
    for raw in owner_emails:
        email = normalise_email(raw)
        if email is None or email in seen:
            continue
        seen.add(email)
        member = index.get(email)
        rows.append(
            {
                "owner_email": str(raw).strip(),
                "email": email,
                "member_id": str(member["id"]) if member else None,
                "member_name": _member_name(member) if member else None,
                "status": "matched" if member else "unmatched",
                "reason": f"workspace member {email}"
                if member
                else f"no workspace member with email {email}: invite them, then re-run",
            }
        )
    return pl.DataFrame(rows, schema=OWNER_SCHEMA)


def owner_queue(unresolved: Iterable[tuple[str, str, str]]) -> pl.DataFrame:
    """Group (owner email, record key, field) triples: one row per owner still to provision."""
    grouped: dict[str, tuple[str, list[str], set[str]]] = {}
    for owner, key, field_name in unresolved:
        email = normalise_email(owner) or str(owner)
        first, keys, fields = grouped.setdefault(email, (str(owner).strip(), [], set()))
        keys.append(key)
        fields.add(field_name)
    rows = [
        {
            "owner_email": first,
            "records": len(keys),
            "record_keys": keys,
            "fields": sorted(fields),
            "reason": f"no workspace member with email {email}; these records load without it",
        }
        for email, (first, keys, fields) in sorted(grouped.items())
    ]
    return pl.DataFrame(rows, schema=OWNER_QUEUE_SCHEMA)
