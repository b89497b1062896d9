"""Small helpers for the shapes Twenty answers with, shared by the client's parts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

STANDARD_SINGULARS = {
    "people": "person",
    "companies": "company",
    "opportunities": "opportunity",
    "notes": "note",
    "tasks": "task",
    "noteTargets": "noteTarget",
    "taskTargets": "taskTarget",
    "workspaceMembers": "workspaceMember",
    "attachments": "attachment",
}


def first_value(body: Any) -> Any:
    """`{"data": {"createPerson": {...}}}` → `{...}`: REST wraps every answer in one named key."""
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and data:
        return next(iter(data.values()))
    return None


def value_at(record: dict[str, Any], path: str) -> Any:
    """`emails.primaryEmail` → record["emails"]["primaryEmail"] (None when absent)."""
    current: Any = record
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def lookup_key(path: str, value: Any) -> str:
    """How the server compares values of `path`: emails are stored lower-cased (FACTS 9, 37)."""
    text = str(value)
    return text.lower() if path.startswith("emails") else text


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
