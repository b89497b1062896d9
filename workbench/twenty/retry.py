"""What an answer from Twenty means, and how long to wait before asking again.

Every answer FACTS.md records is mapped here to the workbench's exception family:

    401, 403, 400 "Unknown token error.", GraphQL UNAUTHENTICATED   → TwentyAuthError
    429 (Retry-After honoured), GraphQL "Too many requests."         → RateLimitedError
    502/503/504, other 5xx without database text, connect failures  → TransientError
    a write sent and no answer (read error/timeout, dropped socket)  → AmbiguousWriteError
    500 carrying database text (FK, uuid, numeric), any other error  → TwentyAPIError (terminal)

REST bodies carry `messages` (a list) or, for framework-level errors, `message` (a string).
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from workbench.errors import (
    AmbiguousWriteError,
    RateLimitedError,
    TransientError,
    TwentyAPIError,
    TwentyAuthError,
    TwentyError,
)

AGAIN = object()  # returned by a recovery step: "resend what is still pending"
AUTH_STATUSES = {401, 403}
AUTH_MESSAGES = {"Unknown token error."}
THROTTLE_MESSAGE = "Too many requests."
# Postgres text that a 500 carries when the input itself is wrong: resending cannot help.
DATABASE_TEXT = re.compile(
    r"violates|invalid input syntax|invalid input value|duplicate key|constraint|"
    r"out of range|does not exist|null value in column",
    re.IGNORECASE,
)
# "Maximum number of records to upsert is 200." and the like: the server's per-call cap.
BATCH_CAP_TEXT = re.compile(r"(?:maximum|max\b|at most|limit|cap\b)\D{0,80}?(\d+)", re.IGNORECASE)


@dataclass
class Backoff:
    """Exponential backoff with jitter; a server's Retry-After always wins."""

    base: float = 0.5
    max_delay: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `attempt + 1` (attempt counts from 0)."""
        if retry_after is not None and retry_after >= 0:
            return float(retry_after)
        raw = self.base * (2**attempt)
        return min(self.max_delay, raw * self.rng.uniform(0.5, 1.5))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def body_of(response: httpx.Response) -> Any:
    """The JSON body, or None when the server sent nothing parseable (e.g. the 10 MB 500)."""
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def messages_of(body: Any) -> list[str]:
    """The error texts of a REST body: `messages` (list) or `message` (str)."""
    if not isinstance(body, dict):
        return []
    messages = body.get("messages")
    if isinstance(messages, list):
        return [str(m) for m in messages]
    if isinstance(messages, str):
        return [messages]
    message = body.get("message")
    if isinstance(message, list):
        return [str(m) for m in message]
    if isinstance(message, str):
        return [message]
    return []


def batch_cap_in(messages: list[str]) -> int | None:
    """The record cap a rejection names, if it names one ("Maximum number of records … is 200")."""
    for text in messages:
        if "record" not in text.lower():
            continue
        match = BATCH_CAP_TEXT.search(text)
        if match:
            return int(match.group(1))
    return None


def _describe(
    method: str, path: str, status: int | str, error: str | None, texts: list[str]
) -> str:
    head = f"{method} {path} → {status}"
    if error:
        head += f" {error}"
    return f"{head}: {'; '.join(texts)}" if texts else head


def error_from_response(response: httpx.Response, *, method: str, path: str) -> TwentyError | None:
    """Map a REST (or GraphQL transport-level) answer to an exception; None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    body = body_of(response)
    texts = messages_of(body)
    if isinstance(body, dict) and not texts and isinstance(body.get("errors"), list):
        texts = [str(e.get("message", e)) for e in body["errors"] if isinstance(e, dict)]
    error = body.get("error") if isinstance(body, dict) else None
    message = _describe(method, path, status, error, texts)
    if status in AUTH_STATUSES or (status == 400 and any(t in AUTH_MESSAGES for t in texts)):
        return TwentyAuthError(f"the API key was refused ({message})")
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        return RateLimitedError(message, retry_after=retry_after)
    if status >= 500:
        if any(DATABASE_TEXT.search(t) for t in texts):
            return TwentyAPIError(
                message, status=status, error=error, messages=texts, method=method, path=path
            )
        return TransientError(message)
    return TwentyAPIError(
        message, status=status, error=error, messages=texts, method=method, path=path
    )


def graphql_error(body: Any, *, path: str, status: int = 200) -> TwentyError | None:
    """Map a GraphQL body's `errors[]` to an exception; None when there are none."""
    if not isinstance(body, dict):
        return TransientError(f"POST {path} → {status}: no JSON body")
    errors = body.get("errors")
    if not errors:
        return None
    texts = [str(e.get("message", "")) if isinstance(e, dict) else str(e) for e in errors]
    first = errors[0] if isinstance(errors[0], dict) else {}
    extensions = first.get("extensions") or {}
    code = extensions.get("code")
    message = _describe("POST", path, status, code, texts)
    if THROTTLE_MESSAGE in texts:
        return RateLimitedError(message, retry_after=None)
    if code == "UNAUTHENTICATED" or extensions.get("subCode") == "UNAUTHENTICATED":
        return TwentyAuthError(f"the API key was refused ({message})")
    sub_code = extensions.get("subCode")
    return TwentyAPIError(
        message,
        status=status,
        error=sub_code or code,
        messages=texts,
        method="POST",
        path=path,
    )


def error_from_exception(
    exc: httpx.HTTPError, *, method: str, path: str, write: bool
) -> TwentyError:
    """A transport failure: never sent (retry freely) or sent without an answer (ambiguous)."""
    name = type(exc).__name__
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if write and not never_sent:
        return AmbiguousWriteError(
            f"{method} {path}: the request was sent and no answer came back ({name}); "
            "it may or may not have been applied"
        )
    return TransientError(f"{method} {path}: {name}: {exc}")
