"""Small helpers for the emulator tests: a sync client on a fresh workspace, GraphQL calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from workbench.twenty.emulator import emulator_transport


def client_for(db: Path, **kwargs: Any) -> httpx.Client:
    return httpx.Client(
        transport=emulator_transport(db, **kwargs),
        base_url="http://emulator",
        headers={"Authorization": "Bearer emulator"},
    )


def gql(
    client: httpx.Client, query: str, variables: dict | None = None, path: str = "/graphql"
) -> httpx.Response:
    return client.post(path, json={"query": query, "variables": variables or {}})


def walk(
    client: httpx.Client, plural: str, max_pages: int = 100, **params: Any
) -> tuple[list[str], int]:
    """Follow endCursor until hasNextPage is false (at most max_pages); returns ids and pages."""
    ids: list[str] = []
    cursor = None
    for page in range(1, max_pages + 1):
        query = dict(params)
        if cursor:
            query["starting_after"] = cursor
        body = client.get(f"/rest/{plural}", params=query).json()
        ids += [r["id"] for r in body["data"][plural]]
        if not body["pageInfo"]["hasNextPage"]:
            return ids, page
        cursor = body["pageInfo"]["endCursor"]
    return ids, max_pages
