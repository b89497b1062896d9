"""Compare what was sent to Twenty with what Twenty reads back.

Twenty stores some values in its own spelling (FACTS 9, 11, 12, 13, 16): primary emails
lower-cased, link URLs lower-cased without a trailing `/`, amountMicros and address coordinates
as strings, dates as timestamps, empty lists as null, rich text with a generated `blocknote`
beside the `markdown` sent. Those are not differences; everything else is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.parser import isoparse

LOWER_CASED = {"primaryEmail", "additionalEmails"}
URL_KEYS = {"primaryLinkUrl", "url"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _as_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    try:
        parsed = isoparse(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _text(value: Any, key: str) -> Any:
    if not isinstance(value, str):
        return value
    if key in LOWER_CASED:
        return value.lower()
    if key in URL_KEYS:
        return value.lower().rstrip("/")
    if key == "markdown":
        return value.strip()
    return value


def same(sent: Any, got: Any, key: str = "") -> bool:
    """True when Twenty's read-back `got` holds what `sent` asked for (only the keys sent)."""
    if _empty(sent) and _empty(got):
        return True
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return False
        return all(same(v, got.get(k), k) for k, v in sent.items())
    if isinstance(sent, list):
        if not isinstance(got, list) or len(sent) != len(got):
            return False
        if all(not isinstance(v, dict | list) for v in sent):
            return sorted(map(str, (_text(v, key) for v in sent))) == sorted(
                map(str, (_text(v, key) for v in got))
            )
        return all(same(a, b, key) for a, b in zip(sent, got, strict=True))
    sent_date, got_date = _as_date(sent), _as_date(got)
    if sent_date is not None and got_date is not None:
        return sent_date == got_date
    if not isinstance(sent, str) or not isinstance(got, str):
        sent_num, got_num = _as_number(sent), _as_number(got)
        if sent_num is not None and got_num is not None:
            return sent_num == got_num
    return _text(sent, key) == _text(got, key)


def differences(body: dict[str, Any], record: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, sent, read back) for every mapped field Twenty does not hold as sent."""
    return [(k, v, record.get(k)) for k, v in sorted(body.items()) if not same(v, record.get(k), k)]
