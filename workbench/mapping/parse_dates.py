"""Dates and timestamps: several layouts, Excel serials, epochs, time zones → ISO 8601 UTC.

Day/month order comes from the export locale (`date_order`); a column whose values can only be
read the other way is read that way, and the rows concerned are flagged.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

from workbench.mapping.registry import Context, Invalid, register_transform

_NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{2,4})"
    r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_ZERO_DATES = re.compile(r"^0{4}-0{2}-0{2}|^0{1,2}/0{1,2}/0{2,4}")
_MONTH_WORD = re.compile(r"[A-Za-zА-Яа-я]{3,}")
EXCEL_EPOCH = datetime(1899, 12, 30)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {name!r}") from exc


def _order_evidence(values: list[Any]) -> tuple[int, int]:
    """(rows only readable day-first, rows only readable month-first)."""
    dmy = mdy = 0
    for value in values:
        m = _NUMERIC.match(str(value).strip()) if value else None
        if not m or len(m["a"]) == 4:
            continue
        a, b = int(m["a"]), int(m["b"])
        dmy += a > 12 >= b
        mdy += b > 12 >= a
    return dmy, mdy


def prepare_order(values: list[Any], options: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """Decide the column's day/month order: the locale's, unless the data says otherwise."""
    opts = dict(options)
    locale = opts.get("date_order", ctx.date_order)
    dmy, mdy = _order_evidence(values)
    order = locale
    if locale == "MDY" and dmy and not mdy:
        order = "DMY"
    elif locale == "DMY" and mdy and not dmy:
        order = "MDY"
    opts["_locale"] = locale
    opts["_order"] = order
    return opts


def _year(text: str, ctx: Context) -> int:
    year = int(text)
    if len(text) == 2:
        ctx.flag("two-digit year")
        year += 2000 if year <= 69 else 1900
    return year


def parse_datetime(text: str, options: dict[str, Any], ctx: Context) -> tuple[datetime, bool]:
    """(datetime, has_time); aware when the value carried a zone, naive otherwise."""
    raw = text.strip()
    if _SERIAL.match(raw) and 20000 <= float(raw) <= 80000:
        ctx.flag("Excel serial date")
        return EXCEL_EPOCH + timedelta(days=float(raw)), "." in raw
    if _EPOCH.match(raw):
        seconds = int(raw) / (1000 if len(raw) == 13 else 1)
        ctx.flag("Unix timestamp")
        return datetime.fromtimestamp(seconds, UTC), True
    if _ISO.match(raw):
        iso = raw.replace(" ", "T", 1) if len(raw) > 10 else raw
        iso = re.sub(r"\s+(?=[Z+-]\d{0,2}:?\d{0,2}$)", "", iso)
        try:
            return datetime.fromisoformat(iso.replace("Z", "+00:00")), len(raw) > 10
        except ValueError as exc:
            raise Invalid(f"{raw!r} is not a valid date") from exc
    m = _NUMERIC.match(raw)
    if m:
        return _numeric(m, options, ctx), m["H"] is not None
    if _MONTH_WORD.search(raw):
        try:
            dayfirst = options.get("_order", ctx.date_order) == "DMY"
            return dateutil_parser.parse(raw, dayfirst=dayfirst), bool(re.search(r"\d:\d", raw))
        except (ValueError, OverflowError) as exc:
            raise Invalid(f"{raw!r} is not a date") from exc
    raise Invalid(f"{raw!r} is not a date in a known layout")


def _numeric(m: re.Match[str], options: dict[str, Any], ctx: Context) -> datetime:
    locale = options.get("_locale", options.get("date_order", ctx.date_order))
    order = options.get("_order", locale)
    if len(m["a"]) == 4:
        year, month, day = int(m["a"]), int(m["b"]), int(m["c"])
    else:
        a, b, year = int(m["a"]), int(m["b"]), _year(m["c"], ctx)
        if order == "YMD":
            order = locale if locale != "YMD" else "MDY"
        if m.string[len(m["a"])] == "." and locale != "DMY":
            order = locale = "DMY"  # dotted dates are day-first wherever they are written
        month, day = (a, b) if order == "MDY" else (b, a)
        if month > 12 and day <= 12:
            month, day = day, month
        locale_month = a if locale == "MDY" else b
        if locale in ("MDY", "DMY") and locale_month > 12:
            ctx.flag(f"day/month order contradicts the export locale ({locale})")
        elif a != b and a <= 12 and b <= 12 and order != locale:
            ctx.flag(
                f"ambiguous date read as {order} like the rest of the column (locale {locale})"
            )
    hour, minute, second = int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0)
    if m["ampm"]:
        pm = m["ampm"][0] in "Pp"
        if hour > 12 or hour == 0:
            raise Invalid(f"{m.string!r}: hour {hour} with AM/PM")
        hour = hour % 12 + (12 if pm else 0)
    try:
        out = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise Invalid(f"{m.string!r} is not a valid date ({exc})") from exc
    if m["tz"]:
        tz = m["tz"]
        out = (
            out.replace(tzinfo=UTC)
            if tz in ("Z", "UTC", "GMT")
            else datetime.fromisoformat(
                out.isoformat() + (tz if ":" in tz else tz[:3] + ":" + tz[3:])
            )
        )
    return out


def _check_range(value: datetime, options: dict[str, Any]) -> None:
    lo, hi = int(options.get("min_year", 1900)), int(options.get("max_year", 2100))
    if not lo <= value.year <= hi:
        raise Invalid(f"year {value.year} is outside {lo}–{hi}")


def _empty_date(text: str) -> bool:
    return bool(_ZERO_DATES.match(text.strip()))


def to_date(text: str, ctx: Context, options: dict[str, Any] | None = None) -> str | None:
    """'YYYY-MM-DD' for any accepted layout (used by templates too)."""
    if not text or _empty_date(text):
        return None
    value, _ = parse_datetime(text, options or {}, ctx)
    _check_range(value, options or {})
    return value.date().isoformat()


def iso_utc(value: datetime) -> str:
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


_DATE_OPTIONS = {"date_order", "timezone", "min_year", "max_year"}


@register_transform("datetime", options=_DATE_OPTIONS, prepare=prepare_order)
def to_datetime(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """A timestamp → ISO 8601 UTC; naive values are read in `timezone` (e.g. US/Eastern)."""
    if value is None or not str(value).strip() or _empty_date(str(value)):
        return None
    parsed, _ = parse_datetime(str(value), options, ctx)
    _check_range(parsed, options)
    if parsed.tzinfo is None:
        zone = _zone(options.get("timezone", ctx.timezone))
        parsed = parsed.replace(tzinfo=zone)
    return iso_utc(parsed)


@register_transform("date", options=_DATE_OPTIONS, prepare=prepare_order)
def to_date_field(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """A calendar date → 'YYYY-MM-DD' (a time part, if any, is dropped)."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}", text):
        raise Invalid(f"{text!r} has no year")
    return to_date(text, ctx, options)


def today() -> date:
    return datetime.now(UTC).date()
