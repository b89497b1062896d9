"""Creating records in batches, so that a retry never creates a duplicate.

A batch is all-or-nothing on the server (FACTS 26). When its answer is lost, or a failure may
have come after the commit, the records are looked up by their key values and only those not
found are sent again. A batch the server refuses for its size teaches the client the cap.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tqdm.auto import tqdm

from workbench.errors import AmbiguousWriteError, RateLimitedError, TwentyAPIError, TwentyError
from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.retry import AGAIN, batch_cap_in, body_of
from workbench.twenty.shapes import chunks, first_value, lookup_key, value_at

log = logging.getLogger("workbench.twenty")

MAX_BODY_BYTES = 9_000_000  # the server's JSON limit is 10 MB and answers 500 above it


class BatchMethods:
    """Mixed into TwentyClient; relies on its `_attempt`, `_with_retries`, `find_by_values`."""

    batch_size: int
    progress: bool
    _attempt: Callable[..., Any]
    _with_retries: Callable[..., Any]
    find_by_values: Callable[..., dict[Any, dict[str, Any]]]
    capabilities: Callable[[], ServerCapabilities]

    def _batch_limit(self) -> int:
        cap = self.capabilities().rest_batch_cap
        return min(self.batch_size, cap) if cap else self.batch_size

    def create_many(
        self, obj: str, records: Iterable[dict[str, Any]], *, key_field: str | None = None
    ) -> list[dict[str, Any]]:
        """Create records in all-or-nothing batches; returns the created records in input order.

        `key_field` (a field holding each record's source id, dotted for composites) makes
        retries safe: after a failure that may have been applied, the records are looked up by
        their key values and only those not found are sent again. Records that all carry `id`
        use it as the key. Without a key, an answer lost after sending raises AmbiguousWriteError.
        """
        rows = list(records)
        if not rows:
            return []
        if key_field is None and all("id" in r for r in rows):
            key_field = "id"
        if key_field is not None:
            _check_keys(rows, key_field)
        batches = list(self._split(rows, self._batch_limit()))
        out: list[dict[str, Any]] = []
        with tqdm(
            total=len(rows),
            desc=f"create {obj}",
            unit="rec",
            disable=not self.progress or len(batches) < 2,
            leave=False,
        ) as bar:
            for batch in batches:
                out.extend(self._create_batch(obj, batch, key_field))
                bar.update(len(batch))
        return out

    def _split(self, rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
        """Batches of at most `size` records and at most MAX_BODY_BYTES of JSON each."""
        batch: list[dict[str, Any]] = []
        weight = 2
        for row in rows:
            row_bytes = len(json.dumps(row, ensure_ascii=False).encode()) + 1
            if batch and (len(batch) >= size or weight + row_bytes > MAX_BODY_BYTES):
                yield batch
                batch, weight = [], 2
            batch.append(row)
            weight += row_bytes
        if batch:
            yield batch

    def _create_batch(
        self, obj: str, batch: list[dict[str, Any]], key_field: str | None
    ) -> list[dict[str, Any]]:
        pending = list(range(len(batch)))
        done: dict[int, dict[str, Any]] = {}

        def result() -> list[dict[str, Any]]:
            return [done[i] for i in range(len(batch))]

        def send() -> list[dict[str, Any]]:
            body = [batch[i] for i in pending]
            answer = self._attempt(
                "POST", f"/rest/batch/{obj}", json_body=body, write=True, records=len(body)
            )
            created = first_value(body_of(answer))
            if not isinstance(created, list) or len(created) != len(pending):
                raise TwentyAPIError(
                    f"POST /rest/batch/{obj}: expected {len(pending)} created records back",
                    status=answer.status_code,
                    method="POST",
                    path=f"/rest/batch/{obj}",
                )
            for index, record in zip(
                pending, self._in_input_order(created, body, key_field), strict=True
            ):
                done[index] = record
            pending.clear()
            return result()

        def recover(error: TwentyError) -> Any:
            if isinstance(error, RateLimitedError):
                return AGAIN  # a throttled request was not processed
            if key_field is None:
                if isinstance(error, AmbiguousWriteError):
                    raise error
                return AGAIN
            wanted = {lookup_key(key_field, value_at(batch[i], key_field)): i for i in pending}
            found = self.find_by_values(
                obj, key_field, [value_at(batch[i], key_field) for i in pending]
            )
            for value, record in found.items():
                index = wanted.get(lookup_key(key_field, value))
                if index is not None and index in pending:
                    done[index] = record
                    pending.remove(index)
            log.info(
                "after %s: %d already created, %d to resend",
                type(error).__name__,
                len(found),
                len(pending),
            )
            return result() if not pending else AGAIN

        try:
            return self._with_retries(send, idempotent=False, recover=recover)
        except TwentyAPIError as exc:
            cap = batch_cap_in(exc.messages) if exc.status == 400 else None
            if cap is None or cap >= len(pending):
                raise
            self._learn_batch_cap(cap)
            rest = [batch[i] for i in pending]
            created = [
                r for part in chunks(rest, cap) for r in self._create_batch(obj, part, key_field)
            ]
            for index, record in zip(list(pending), created, strict=True):
                done[index] = record
            return result()

    @staticmethod
    def _in_input_order(
        created: list[dict[str, Any]], sent: list[dict[str, Any]], key_field: str | None
    ) -> list[dict[str, Any]]:
        """Created records lined up with what was sent: by key when there is one, else by position."""
        if key_field is None:
            return created
        by_key = {lookup_key(key_field, value_at(r, key_field)): r for r in created}
        ordered = [by_key.get(lookup_key(key_field, value_at(r, key_field))) for r in sent]
        return created if any(r is None for r in ordered) else ordered  # type: ignore[return-value]

    def _learn_batch_cap(self, cap: int) -> None:
        caps = self.capabilities()
        caps.rest_batch_cap = cap
        caps.notes.append(f"learned at run time: REST batches are capped at {cap} records")
        log.warning("the server caps REST batches at %d records; splitting", cap)


def _check_keys(rows: list[dict[str, Any]], key_field: str) -> None:
    seen: dict[str, int] = {}
    for position, row in enumerate(rows):
        value = value_at(row, key_field)
        if value is None or value == "":
            raise TwentyError(f"record {position} has no value in key field {key_field!r}")
        key = lookup_key(key_field, value)
        if key in seen:
            raise TwentyError(
                f"records {seen[key]} and {position} share the key {key_field}={value!r}; "
                "a key must identify one record"
            )
        seen[key] = position
