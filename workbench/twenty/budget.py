"""Say which request budget a run uses, and how to raise it, before the budget makes it wait.

The client never sends more than `TWENTY_REQUESTS_PER_MINUTE` requests in any minute (100 by
default). That default protects a hosted workspace; a self-hosted Twenty 1.7 does not throttle
REST at all and throttles GraphQL only per root field, 500 calls per 100 s by default
(FACTS 50–51; API_RATE_LIMITING_TTL/LIMIT in the server's config-variables.ts). A run against
a server on this machine, or one where nobody chose a budget, therefore says so up front.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse

from workbench.settings import DEFAULT_REQUESTS_PER_MINUTE

SUGGESTED_LOOPBACK_BUDGET = 600


def is_loopback(url: str | None) -> bool:
    """True for localhost / 127.0.0.0/8 / ::1 addresses."""
    host = (urlparse(url or "").hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def budget_notice(
    api_url: str | None, requests_per_minute: int, *, chosen: bool, uses_emulator: bool = False
) -> str | None:
    """The sentence to print before the first request, or None when there is nothing to say."""
    if uses_emulator:
        return None
    loopback = is_loopback(api_url)
    if chosen and not loopback:
        return None
    origin = (
        "set by TWENTY_REQUESTS_PER_MINUTE"
        if chosen
        else "the default, because TWENTY_REQUESTS_PER_MINUTE is not set"
    )
    where = (
        "The destination is on this machine (a self-hosted Twenty does not throttle REST, and "
        "allows 500 GraphQL calls per 100 s per operation by default), so a higher budget is safe. "
        if loopback
        else "Raise it only as far as the workspace's own rate limit allows. "
    )
    suggestion = SUGGESTED_LOOPBACK_BUDGET if loopback else 2 * DEFAULT_REQUESTS_PER_MINUTE
    return (
        f"Request budget: {requests_per_minute} requests per minute ({origin}); at that rate the "
        f"run waits once it has sent {requests_per_minute} requests in a minute. {where}"
        f"To raise it, set TWENTY_REQUESTS_PER_MINUTE (e.g. TWENTY_REQUESTS_PER_MINUTE={suggestion}) "
        "in the environment or in .env, and start the run again."
    )


def settings_notice(settings: object) -> str | None:
    """`budget_notice` for a `Settings`."""
    return budget_notice(
        getattr(settings, "api_url", None),
        int(getattr(settings, "requests_per_minute", DEFAULT_REQUESTS_PER_MINUTE)),
        chosen=bool(getattr(settings, "requests_per_minute_set", False)),
        uses_emulator=bool(getattr(settings, "uses_emulator", False)),
    )
