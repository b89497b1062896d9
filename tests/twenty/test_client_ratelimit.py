"""The request budget: never more than N starts in any 60 s window, and close to N when it binds."""

from __future__ import annotations

import bisect

import pytest
from fake_twenty import FakeClock, FakeTwenty, make_client

from workbench.twenty.ratelimit import RequestBudget


def busiest_window(starts: list[float], window: float = 60.0) -> int:
    """The largest number of starts inside any half-open window [t, t + 60)."""
    starts = sorted(starts)
    return max(bisect.bisect_left(starts, t + window) - i for i, t in enumerate(starts))


@pytest.mark.parametrize("budget", [1, 7, 100, 600])
def test_no_window_holds_more_than_the_budget_and_the_budget_is_used(budget: int) -> None:
    clock = FakeClock()
    limiter = RequestBudget(budget, clock=clock, sleep=clock.sleep)
    starts = []
    total = budget * 5 + 3
    for _ in range(total):
        limiter.acquire()
        starts.append(clock())
    assert busiest_window(starts) == budget
    # request i starts no later than the budget allows: the (k·budget)-th waits k minutes at most
    for i, start in enumerate(starts):
        assert start - starts[0] <= (i // budget) * 60.0 + 1e-9
    full_minutes = (starts[budget * 5 - 1] - starts[0]) / 60.0 + 1
    assert budget * 5 / full_minutes >= 0.9 * budget


def test_requests_spread_over_time_are_never_delayed() -> None:
    clock = FakeClock()
    limiter = RequestBudget(100, clock=clock, sleep=clock.sleep)
    for _ in range(500):
        assert limiter.acquire() == 0.0
        clock.now += 0.61  # just under 100 per minute
    assert clock.sleeps == []


def test_budget_must_allow_a_request() -> None:
    with pytest.raises(ValueError):
        RequestBudget(0)


def test_the_client_keeps_to_its_budget_across_retries() -> None:
    fake, clock = FakeTwenty(), FakeClock()
    times: list[float] = []
    original = fake.handle

    def timed(request):
        times.append(clock())
        return original(request)

    fake.handle = timed
    client = make_client(fake, clock, requests_per_minute=30)
    client.capabilities()
    for i in range(100):
        client.create_many("people", [{"city": str(i)}])
    assert len(times) == 101
    assert busiest_window(times) <= 30
    assert client.stats.requests == 101
    assert client.stats.peak_requests_per_minute == 30
    # 101 requests at 30 a minute: bursts at 0, 60, 120 and 180 s, no later
    assert client.stats.elapsed_seconds == pytest.approx(180.0)
    assert client.stats.waited_seconds > 0
    stats = client.stats.to_dict()
    assert stats["records_sent"] == 100 and stats["requests"] == 101
