"""A requests-per-minute budget, and the counters a benchmark reports.

A sliding-window log rather than a token bucket: a bucket of size B refilled at B/60 s can let
2·B requests through in one minute (a full bucket, then a minute of refill), while the log never
lets more than B start in any 60-second window and, when the budget is the bottleneck, uses all
of it. Clock and sleep are injected so tests run on a fake clock.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

WINDOW_SECONDS = 60.0


class RequestBudget:
    """At most `requests_per_minute` request starts in any 60-second window."""

    def __init__(
        self,
        requests_per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        window: float = WINDOW_SECONDS,
    ) -> None:
        if requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1")
        self.requests_per_minute = requests_per_minute
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self.waited_seconds = 0.0
        self.peak = 0  # the most starts seen inside one window

    def _forget_old(self, now: float) -> None:
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()

    def wait_time(self) -> float:
        """Seconds until one more request may start (0 when it may start now)."""
        now = self._clock()
        self._forget_old(now)
        if len(self._starts) < self.requests_per_minute:
            return 0.0
        return self._starts[0] + self.window - now

    def acquire(self) -> float:
        """Block until a request may start, record its start, and return how long it waited."""
        waited = 0.0
        while (delay := self.wait_time()) > 0:
            self._sleep(delay)
            waited += delay
        self._starts.append(self._clock())
        self.peak = max(self.peak, len(self._starts))
        self.waited_seconds += waited
        return waited


@dataclass
class ClientStats:
    """What a client did; `records_per_request` and `requests_per_minute` are for benchmarks."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0
    records_sent: int = 0
    waited_seconds: float = 0.0
    peak_requests_per_minute: int = 0
    started_at: float | None = None
    last_request_at: float | None = None
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def records_per_request(self) -> float:
        return self.records_sent / self.requests if self.requests else 0.0

    @property
    def elapsed_seconds(self) -> float:
        if self.started_at is None or self.last_request_at is None:
            return 0.0
        return self.last_request_at - self.started_at

    @property
    def requests_per_minute(self) -> float:
        elapsed = self.elapsed_seconds
        return self.requests * 60.0 / elapsed if elapsed > 0 else float(self.requests)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["records_per_request"] = round(self.records_per_request, 3)
        out["requests_per_minute"] = round(self.requests_per_minute, 3)
        return out
