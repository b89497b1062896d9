"""The Twenty API client: REST for records, GraphQL for soft delete, upsert, files and metadata.

One synchronous `httpx.Client` inside; every request passes through the request budget, is
mapped to the workbench's errors (see `retry.py`) and retried with backoff when that can help.
The API key lives only in the Authorization header of that client.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
from tqdm.auto import tqdm

from workbench.errors import (
    AmbiguousWriteError,
    ConfigError,
    RateLimitedError,
    TransientError,
    TwentyAPIError,
    TwentyError,
)
from workbench.twenty import capabilities as caps_module
from workbench.twenty.batches import BatchMethods
from workbench.twenty.budget import settings_notice
from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.graphql_records import GraphQLRecordMethods
from workbench.twenty.metadata_api import MetadataMethods
from workbench.twenty.ratelimit import ClientStats, RequestBudget
from workbench.twenty.rest_filters import lookup_filters
from workbench.twenty.retry import (
    AGAIN,
    Backoff,
    body_of,
    error_from_exception,
    error_from_response,
    graphql_error,
)
from workbench.twenty.shapes import first_value, lookup_key, value_at

log = logging.getLogger("workbench.twenty")

EMULATOR_URL = "http://twenty-emulator"
EMULATOR_API_KEY = "emulator"
# The emulator runs in-process: the analyst's budget protects a real server, not this one.
EMULATOR_REQUESTS_PER_MINUTE = 6000
MAX_PAGE_SIZE = 200
LOOKUP_CHUNK = 50


class TwentyClient(BatchMethods, GraphQLRecordMethods, MetadataMethods):
    """Talk to one Twenty workspace (real, or the built-in emulator through its transport)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        requests_per_minute: int = 100,
        batch_size: int = 60,
        timeout: float = 30,
        max_retries: int = 6,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        progress: bool = True,
        capabilities: ServerCapabilities | None = None,
    ) -> None:
        if not base_url:
            raise ConfigError(
                "no Twenty URL: set TWENTY_API_URL, or leave both unset for the emulator"
            )
        if not api_key:
            raise ConfigError("no Twenty API key: set TWENTY_API_KEY")
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {batch_size}")
        self.base_url = base_url.rstrip("/")
        self.batch_size = batch_size
        self.max_retries = max_retries
        self.progress = progress
        self.stats = ClientStats()
        self.budget = RequestBudget(requests_per_minute, clock=clock, sleep=sleep)
        self.backoff = Backoff(base=backoff)
        self._sleep = sleep
        self._clock = clock
        self._caps = capabilities
        self._seen_429 = False
        self._told_wait = False
        self._objects: list[Any] | None = None
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {api_key}", "Accept": "application/json"},
        )

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def from_settings(
        cls, settings: Any, *, run_dir: Path | None = None, **kwargs: Any
    ) -> TwentyClient:
        """The client the settings ask for: a real workspace, or the emulator in `run_dir`."""
        if not settings.uses_emulator:
            kwargs.setdefault("requests_per_minute", settings.requests_per_minute)
            kwargs.setdefault("batch_size", settings.batch_size)
            notice = settings_notice(settings)
            if notice:
                print(notice)  # before the first request, so before any wait on the budget
            return cls(settings.api_url, settings.api_key, **kwargs)
        from workbench.twenty.emulator import emulator_transport

        folder = Path(run_dir) if run_dir is not None else Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        db_path = folder / "emulator.sqlite"
        members = _sample_members()
        transport = (
            emulator_transport(db_path, members=members) if members else emulator_transport(db_path)
        )
        print(f"Destination: the built-in Twenty emulator ({db_path}); no real workspace is used.")
        kwargs.setdefault(
            "requests_per_minute", max(settings.requests_per_minute, EMULATOR_REQUESTS_PER_MINUTE)
        )
        kwargs.setdefault("batch_size", settings.batch_size)
        return cls(EMULATOR_URL, EMULATOR_API_KEY, transport=transport, **kwargs)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TwentyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TwentyClient(base_url={self.base_url!r}, api_key=<hidden>, batch_size={self.batch_size})"

    __str__ = __repr__

    # ------------------------------------------------------------------ transport
    def _attempt(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        data: dict[str, str] | None = None,
        files: dict[str, Any] | None = None,
        write: bool = False,
        records: int = 0,
    ) -> httpx.Response:
        """One request, budgeted and counted; raises the mapped error for a failed answer."""
        if not self._told_wait and (delay := self.budget.wait_time()) > 0:
            self._told_wait = True
            log.warning(
                "waiting %.1f s on the request budget of %d requests per minute "
                "(raise it with TWENTY_REQUESTS_PER_MINUTE)",
                delay,
                self.budget.requests_per_minute,
            )
        self.stats.waited_seconds += self.budget.acquire()
        self.stats.peak_requests_per_minute = self.budget.peak
        now = self._clock()
        if self.stats.started_at is None:
            self.stats.started_at = now
        self.stats.last_request_at = now
        self.stats.requests += 1
        self.stats.records_sent += records
        kind = f"{method} {path.split('/')[1] if path.count('/') else path}"
        self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        try:
            response = self._http.request(
                method, path, params=params, json=json_body, data=data, files=files
            )
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, method=method, path=path, write=write) from exc
        if response.status_code == 429:
            self._seen_429 = True
            if self._caps is not None:
                self._caps.throttles_with_429 = True
        error = error_from_response(response, method=method, path=path)
        if error is not None:
            raise error
        return response

    def _with_retries(
        self,
        send: Callable[[], Any],
        *,
        idempotent: bool,
        recover: Callable[[TwentyError], Any] | None = None,
    ) -> Any:
        """Call `send` until it succeeds, retrying transient failures with backoff.

        A write that may have been applied (AmbiguousWriteError) is only resent when it is
        idempotent or when `recover` can first find out what was applied; `recover` returns the
        final result, or `AGAIN` to resend what is still pending.
        """
        attempt = 0
        while True:
            try:
                return send()
            except TransientError as exc:
                if isinstance(exc, RateLimitedError):
                    self.stats.throttled += 1
                if isinstance(exc, AmbiguousWriteError) and not idempotent and recover is None:
                    raise
                if attempt >= self.max_retries:
                    raise
                delay = self.backoff.delay(attempt, getattr(exc, "retry_after", None))
                log.info("retrying after %.2fs: %s", delay, exc.message)
                self._sleep(delay)
                self.stats.retries += 1
                attempt += 1
                if recover is not None:
                    result = recover(exc)
                    if result is not AGAIN:
                        return result

    def _rest(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        write: bool = False,
        idempotent: bool | None = None,
        records: int = 0,
    ) -> Any:
        """A REST call with retries; returns the parsed JSON body."""
        if idempotent is None:
            idempotent = not write or method in {"GET", "PATCH", "PUT"}

        def send() -> Any:
            response = self._attempt(
                method, path, params=params, json_body=json, write=write, records=records
            )
            return body_of(response)

        return self._with_retries(send, idempotent=idempotent)

    def _graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        endpoint: str = "/graphql",
        write: bool = False,
        idempotent: bool = True,
        records: int = 0,
        recover: Callable[[TwentyError], Any] | None = None,
    ) -> Any:
        """A GraphQL call with retries; returns `data`. Errors in a 200 answer are raised too."""

        def send() -> Any:
            payload = {"query": query, "variables": variables or {}}
            response = self._attempt(
                "POST", endpoint, json_body=payload, write=write, records=records
            )
            body = body_of(response)
            error = graphql_error(body, path=endpoint, status=response.status_code)
            if error is not None:
                raise error
            return body.get("data")

        return self._with_retries(send, idempotent=idempotent, recover=recover)

    # ------------------------------------------------------------------ capabilities
    def capabilities(self) -> ServerCapabilities:
        """What the server supports; detected on first use, then kept for this client."""
        if self._caps is None:
            self._caps = caps_module.detect(self)
            if self._seen_429:
                self._caps.throttles_with_429 = True
            log.info("server capabilities: %s", self._caps.to_dict())
        return self._caps

    # ------------------------------------------------------------------ records: REST
    def create(
        self, obj: str, record: dict[str, Any], *, key_field: str | None = None
    ) -> dict[str, Any]:
        """Create one record. With `key_field` (or an `id`) a lost answer is resolved, not resent blindly."""
        if key_field or "id" in record:
            return self.create_many(obj, [record], key_field=key_field)[0]
        body = self._rest("POST", f"/rest/{obj}", json=record, write=True, records=1)
        return first_value(body)

    def update(self, obj: str, id: str, patch: dict[str, Any]) -> dict[str, Any]:
        body = self._rest("PATCH", f"/rest/{obj}/{id}", json=patch, write=True, records=1)
        return first_value(body)

    def get(self, obj: str, id: str, *, depth: int = 0) -> dict[str, Any] | None:
        """One record by id; None when the server answers "Record not found" (FACTS 52)."""
        try:
            body = self._rest("GET", f"/rest/{obj}/{id}", params={"depth": depth})
        except TwentyAPIError as exc:
            if exc.status == 400 and any("Record not found" in m for m in exc.messages):
                return None
            raise
        return first_value(body)

    def find(
        self, obj: str, filter: str | None = None, *, depth: int = 0, page_size: int = MAX_PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        """Every record matching `filter`, page by page in the server's default order (FACTS 41)."""
        params: dict[str, Any] = {"limit": max(1, min(page_size, MAX_PAGE_SIZE)), "depth": depth}
        if filter:
            params["filter"] = filter
        seen_cursors: set[str] = set()
        bar = None
        try:
            while True:
                body = self._rest("GET", f"/rest/{obj}", params=dict(params))
                page = first_value(body) or []
                if bar is None:
                    total = body.get("totalCount") if isinstance(body, dict) else None
                    bar = tqdm(
                        total=total,
                        desc=f"read {obj}",
                        unit="rec",
                        disable=not self.progress or not total or total <= params["limit"],
                        leave=False,
                    )
                yield from page
                bar.update(len(page))
                info = body.get("pageInfo") or {}
                cursor = info.get("endCursor")
                if not info.get("hasNextPage") or not cursor or not page:
                    return
                if cursor in seen_cursors:
                    raise TwentyAPIError(
                        f"GET /rest/{obj}: the server returned cursor {cursor!r} twice; "
                        "stopping instead of looping",
                        method="GET",
                        path=f"/rest/{obj}",
                    )
                seen_cursors.add(cursor)
                params["starting_after"] = cursor
        finally:
            if bar is not None:
                bar.close()

    def count(self, obj: str, filter: str | None = None) -> int:
        """totalCount of the first page, the only page where it is exact (FACTS 40)."""
        params: dict[str, Any] = {"limit": 1, "depth": 0}
        if filter:
            params["filter"] = filter
        body = self._rest("GET", f"/rest/{obj}", params=params)
        total = body.get("totalCount") if isinstance(body, dict) else None
        if not isinstance(total, int):
            raise TwentyAPIError(
                f"GET /rest/{obj}: the answer carries no totalCount",
                method="GET",
                path=f"/rest/{obj}",
            )
        return total

    def find_in(
        self, obj: str, field: str, values: Iterable[Any], *, depth: int = 0, chunk: int = 200
    ) -> Iterator[dict[str, Any]]:
        """Records whose `field` is one of `values`, each once, in filters the server reads as
        meant: values holding a comma are asked as quoted `[eq]` conditions (the server splits
        `[in]` lists on every comma), a value no `[eq]` carries by a `like` pattern whose
        matches are checked here (rest_filters.lookup_filters); none is lost."""
        for lookup in lookup_filters(field, values, max_items=chunk):
            wanted = {lookup_key(field, v) for v in lookup.values}
            for record in self.find(obj, lookup.filter, depth=depth):
                if lookup.exact or lookup_key(field, value_at(record, field)) in wanted:
                    yield record

    def count_in(self, obj: str, field: str, values: Iterable[Any]) -> int:
        """How many records have `field` among `values`: totalCount where the filter is exact,
        records read and compared where it is only a `like` pattern."""
        total = 0
        for lookup in lookup_filters(field, values, max_items=10_000):
            if lookup.exact:
                total += self.count(obj, lookup.filter)
                continue
            wanted = {lookup_key(field, v) for v in lookup.values}
            total += sum(
                1
                for record in self.find(obj, lookup.filter)
                if lookup_key(field, value_at(record, field)) in wanted
            )
        return total

    def find_by_values(
        self, obj: str, field: str, values: Iterable[Any]
    ) -> dict[Any, dict[str, Any]]:
        """Records whose `field` is one of `values`, keyed by the value asked for.

        Emails are compared lower-cased, as the server stores them (FACTS 37).
        """
        asked: dict[str, Any] = {}
        for value in values:
            if value is not None and value != "":
                asked.setdefault(lookup_key(field, value), value)
        out: dict[Any, dict[str, Any]] = {}
        for record in self.find_in(obj, field, list(asked), chunk=LOOKUP_CHUNK):
            key = lookup_key(field, value_at(record, field))
            if key in asked and asked[key] not in out:
                out[asked[key]] = record
        return out

    def delete(self, obj: str, id: str) -> dict[str, Any]:
        """REST delete, which is a hard delete on the 1.7 line (FACTS 32)."""

        def recover(error: TwentyError) -> Any:
            if isinstance(error, AmbiguousWriteError) and self.get(obj, id) is None:
                return {"id": id}
            return AGAIN

        def send() -> Any:
            return first_value(body_of(self._attempt("DELETE", f"/rest/{obj}/{id}", write=True)))

        return self._with_retries(send, idempotent=False, recover=recover)

    def workspace_members(self) -> list[dict[str, Any]]:
        """Members (id, userEmail, name) for owner matching (FACTS 21)."""
        return list(self.find("workspaceMembers"))


def _sample_members() -> list[dict[str, Any]] | None:
    """Workspace members for a new emulator workspace, from the project's sample data."""
    path = Path(__file__).resolve().parents[2] / "data" / "samples" / "workspace_members.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"expected a JSON list of members ({exc.msg})",
            file=path,
            line=exc.lineno,
            column=str(exc.colno),
        ) from exc
    if isinstance(data, dict):
        data = data.get("members") or data.get("workspaceMembers") or []
    return [m for m in data if isinstance(m, dict)] or None
