"""A Salesmate account for tests: the committed sample pages served through the v4 endpoints.

It checks the `accessToken` and `x-linkname` headers, honours `rows` (≤250) and `from`, the
body's sort and simple id filters, and can misbehave on purpose: answer given requests with
429/5xx, or change the account (insert or delete a record) after some pages of a module have
been served, so offset paging repeats or skips records the way a live account does.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workbench.sources.salesmate import (
    ATTACHMENT_DOWNLOAD,
    MAX_ROWS,
    MODULES,
    REFERENCE_FILES,
    Module,
    load_module_records,
    load_reference,
    page_answer,
)

COMPARE = {
    "EQUALS": lambda a, b: a == b,
    "LESS_THAN": lambda a, b: a < b,
    "LESS_OR_EQUAL": lambda a, b: a <= b,
    "GREATER_THAN": lambda a, b: a > b,
    "GREATER_OR_EQUAL": lambda a, b: a >= b,
}


@dataclass(frozen=True)
class AccountChange:
    """Someone edits the account mid-export: applied once `after_pages` pages of `table` went out."""

    table: str
    after_pages: int
    insert: dict[str, Any] | None = None
    delete_id: int | None = None


def failure(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"Status": "failure", "Error": {"Code": status, "Message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


class SalesmateAccount:
    """The account's state; one lock, because the app may be driven from several threads."""

    def __init__(self, root: Path, changes: list[AccountChange]) -> None:
        self.root = root
        self.records = {
            m.table: load_module_records(root, m.table)
            for m in MODULES
            if (root / m.table).is_dir()
        }
        self.reference = {
            path: load_reference(root, name)
            for name, path in REFERENCE_FILES.items()
            if (root / name).is_file()
        }
        self.changes = list(changes)
        for change in self.changes:
            ids = {r.get("id") for r in self.records.get(change.table, [])}
            if change.insert is not None and change.insert.get("id") in ids:
                raise ValueError(
                    f"{change.table} already has a record with id {change.insert['id']}"
                )
        self.pages_served: Counter[str] = Counter()
        self.requests = 0
        self.lock = threading.Lock()

    def served(self, table: str) -> None:
        self.pages_served[table] += 1
        for change in [c for c in self.changes if c.table == table]:
            if self.pages_served[table] < change.after_pages:
                continue
            self.changes.remove(change)
            records = self.records[table]
            if change.delete_id is not None:
                records[:] = [r for r in records if r.get("id") != change.delete_id]
            if change.insert is not None:
                records.append(change.insert)
                records.sort(key=lambda r: r.get("id", 0))


def matches(record: dict[str, Any], rules: list[dict[str, Any]], operator: str) -> bool:
    results = []
    for rule in rules:
        value = record.get(rule["field"])
        results.append(value is not None and COMPARE[rule["condition"]](value, rule["value"]))
    return all(results) if operator == "AND" else any(results)


def search_rules(body: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The filter rules of a search body; a rule it cannot apply is a 400, never ignored."""
    group = ((body.get("filterQuery") or {}).get("group")) or {}
    rules = group.get("rules") or []
    for rule in rules:
        if (
            not isinstance(rule, dict)
            or rule.get("condition") not in COMPARE
            or "field" not in rule
        ):
            raise ValueError(f"unsupported filter rule {rule!r}")
    return rules, str(group.get("operator") or "AND").upper()


def create_app(
    root: str | Path,
    *,
    link_name: str,
    access_key: str,
    changes: list[AccountChange] | None = None,
    faults: dict[int, int] | None = None,
    retry_after: str | None = "0",
) -> Starlette:
    """The emulated account. `faults` maps a request number (1-based) to the status it gets."""
    account = SalesmateAccount(Path(root), changes or [])
    faults = dict(faults or {})

    def refused(request: Request) -> Response | None:
        with account.lock:
            account.requests += 1
            number = account.requests
        if number in faults:
            status = faults[number]
            headers = {"Retry-After": retry_after} if status == 429 and retry_after else None
            return failure(
                status, "Too many requests" if status == 429 else "Service unavailable", headers
            )
        if request.headers.get("accessToken") != access_key:
            return failure(401, "Invalid access token")
        if request.headers.get("x-linkname") != f"{link_name}.salesmate.io":
            return failure(401, "Unknown x-linkname")
        return None

    def search_endpoint(module: Module):
        async def search(request: Request) -> Response:
            if (answer := refused(request)) is not None:
                return answer
            try:
                rows = int(request.query_params.get("rows", "25"))
                start = int(request.query_params.get("from", "0"))
                body = json.loads(await request.body() or b"{}")
                rules, operator = search_rules(body)
            except (ValueError, AttributeError) as exc:
                return failure(400, f"bad search request: {exc}")
            if not 1 <= rows <= MAX_ROWS or start < 0:
                return failure(400, f"rows must be 1..{MAX_ROWS} and from ≥ 0")
            sort = body.get("sort") or {}
            fields = [f for f in body.get("displayingFields") or [] if isinstance(f, str)]
            with account.lock:
                records = [
                    r for r in account.records.get(module.table, []) if matches(r, rules, operator)
                ]
                if sort.get("fieldName"):
                    key = sort["fieldName"]
                    records.sort(
                        key=lambda r: (r.get(key) is None, r.get(key) or 0),
                        reverse=str(sort.get("order", "asc")).lower() == "desc",
                    )
                page = records[start : start + rows]
                if fields:
                    page = [{k: v for k, v in r.items() if k == "id" or k in fields} for r in page]
                answer = page_answer(page, len(records), rows)
                account.served(module.table)
            return JSONResponse(answer)

        return search

    def reference_endpoint(path: str):
        async def reference(request: Request) -> Response:
            if (answer := refused(request)) is not None:
                return answer
            return JSONResponse({"Status": "success", "Data": account.reference[path]})

        return reference

    async def download(request: Request) -> Response:
        if (answer := refused(request)) is not None:
            return answer
        wanted = request.path_params["id"]
        with account.lock:
            found = [
                r for r in account.records.get("attachments", []) if str(r.get("id")) == wanted
            ]
        path = account.root / str(found[0].get("path")) if found else None
        if path is None or not path.is_file():
            return failure(404, f"no attachment {wanted}")
        return Response(
            path.read_bytes(),
            media_type=str(found[0].get("contentType") or "application/octet-stream"),
        )

    routes = [Route(m.path, search_endpoint(m), methods=["POST"]) for m in MODULES]
    routes += [Route(p, reference_endpoint(p), methods=["GET"]) for p in account.reference]
    routes.append(Route(ATTACHMENT_DOWNLOAD.replace("{id}", "{id:str}"), download, methods=["GET"]))
    app = Starlette(routes=routes)
    app.state.account = account
    return app


class SyncASGITransport(httpx.BaseTransport):
    """Lets the synchronous extractor reach an ASGI app in-process: no port, no server."""

    def __init__(self, app: Any) -> None:
        self._transport = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        clone = httpx.Request(request.method, request.url, headers=request.headers, content=body)

        async def send() -> httpx.Response:
            response = await self._transport.handle_async_request(clone)
            content = b"".join([chunk async for chunk in response.stream])
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(send())


def emulator_transport(app: Starlette) -> httpx.BaseTransport:
    return SyncASGITransport(app)
