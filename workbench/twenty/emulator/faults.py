"""Injected faults and the server's own rate limiter.

`FaultPlan` makes the emulator misbehave the way networks and proxies do (429 bursts, 5xx,
a connection dropped after the write committed, latency). `RateLimit` is Twenty's own limiter
(API_RATE_LIMITING_TTL / _LIMIT), which counts per API key and per GraphQL root field.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class FaultPlan:
    """Probabilities are per request, drawn from a generator seeded with `seed`."""

    rate_429: float = 0
    retry_after: float = 0.05
    rate_5xx: float = 0
    drop_after_commit: float = 0
    latency: float = 0
    graphql_throttle_after: int | None = None
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)
    _graphql_calls: dict[str, int] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self, probability: float) -> bool:
        if probability <= 0:
            return False
        with self._lock:
            return self._rng.random() < probability

    def graphql_throttled(self, root_field: str) -> bool:
        """After `graphql_throttle_after` calls of one root field, every further call is throttled."""
        if self.graphql_throttle_after is None:
            return False
        with self._lock:
            n = self._graphql_calls.get(root_field, 0) + 1
            self._graphql_calls[root_field] = n
            return n > self.graphql_throttle_after


@dataclass
class RateLimit:
    """Twenty's limiter: `limit` calls per `ttl` seconds per key and bucket (a fixed window)."""

    ttl: float = 100
    limit: int = 500
    _windows: dict[tuple[str, str], tuple[float, int]] = field(
        init=False, repr=False, default_factory=dict
    )
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def hit(self, identity: str, bucket: str) -> float | None:
        """Count one call; returns None when allowed, else the seconds until the window resets."""
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get((identity, bucket), (now, 0))
            if now - start >= self.ttl:
                start, count = now, 0
            count += 1
            self._windows[(identity, bucket)] = (start, count)
            if count > self.limit:
                return max(self.ttl - (now - start), 0.0)
            return None
