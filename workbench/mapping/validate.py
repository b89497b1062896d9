"""Field-level validation: is a transformed value what Twenty's field type accepts?

Twenty coerces loosely (a string in a NUMBER field is stored as null, a scalar where a
composite belongs is ignored), so every value is checked here and put in Twenty's exact shape.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from workbench.mapping.catalog import COMPOSITES, TEXT_LIMIT
from workbench.mapping.parse_contact import normalise_email
from workbench.mapping.registry import Context, Invalid
from workbench.mapping.spec import MapSpec
from workbench.twenty.model import FieldType as T

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(value: Any, ctx: Context, limit: int = TEXT_LIMIT) -> str:
    if isinstance(value, bool) or isinstance(value, dict | list):
        raise Invalid(f"expected text, got {type(value).__name__}")
    out = str(value)
    if len(out) > limit:
        ctx.flag(f"truncated from {len(out)} to {limit} characters")
        out = out[:limit]
    return out


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"expected a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise Invalid(f"{value!r} is not a finite number")
    return value


def _iso_datetime(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected an ISO 8601 timestamp, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Invalid(f"{value!r} is not an ISO 8601 timestamp") from exc
    if parsed.tzinfo is None:
        raise Invalid(f"{value!r} has no time zone")
    return value


def _string_list(value: Any, ctx: Context) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_text(v, ctx) for v in items if v not in (None, "")]


def _sub(kind: str, value: Any, ctx: Context) -> Any:
    if kind == "text":
        return _text(value, ctx)
    if kind == "email":
        return normalise_email(_text(value, ctx))
    if kind == "int":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {value!r}")
        return value
    if kind == "number":
        return _number(value)
    if kind == "list":
        return (
            value
            if isinstance(value, list) and all(isinstance(v, dict) for v in value)
            else _string_list(value, ctx)
        )
    raise Invalid(f"unknown sub-field kind {kind}")


def _composite(ftype: T, value: Any, ctx: Context) -> dict[str, Any]:
    if isinstance(value, str):
        wrap = {T.EMAILS: "primaryEmail", T.LINKS: "primaryLinkUrl", T.RICH_TEXT_V2: "markdown"}
        if ftype not in wrap:
            raise Invalid(f"expected a {ftype} object, got text {value!r}")
        value = {wrap[ftype]: value}
    if not isinstance(value, dict):
        raise Invalid(f"expected a {ftype} object, got {value!r}")
    subs = COMPOSITES[ftype]
    out: dict[str, Any] = {}
    for key, sub_value in value.items():
        if key not in subs:
            raise Invalid(f"{ftype} has no sub-field {key!r}")
        if sub_value is not None:
            out[key] = _sub(subs[key], sub_value, ctx)
    if ftype == T.CURRENCY and out:
        if "amountMicros" not in out:
            raise Invalid("a currency value needs amountMicros")
        code = out.get("currencyCode", ctx.currency)
        if not re.fullmatch(r"[A-Z]{3}", str(code)):
            raise Invalid(f"{code!r} is not an ISO currency code")
        out["currencyCode"] = code
    if ftype == T.RICH_TEXT_V2 and "markdown" not in out:
        raise Invalid("rich text needs markdown")
    return out


def conform(spec: MapSpec, target: str, path: str, value: Any, ctx: Context) -> Any:
    """The value in the exact shape `target.path` takes; raises Invalid saying what was expected."""
    if value is None:
        return None
    root, _, sub = path.partition(".")
    if root == "createdAt":
        return _iso_datetime(value)
    ftype = spec.field_type(target, root)
    if ftype is None:
        raise Invalid(f"{target} has no field {root!r}")
    if sub:
        kind = COMPOSITES.get(ftype, {}).get(sub)
        if kind is None:
            raise Invalid(f"{root} has no sub-field {sub!r}")
        return _sub(kind, value, ctx)
    if ftype in COMPOSITES:
        return _composite(ftype, value, ctx)
    if ftype == T.TEXT:
        return _text(value, ctx)
    if ftype == T.NUMBER:
        return _number(value)
    if ftype == T.BOOLEAN:
        if not isinstance(value, bool):
            raise Invalid(f"expected true/false, got {value!r}")
        return value
    if ftype == T.DATE_TIME:
        return _iso_datetime(value)
    if ftype == T.DATE:
        if not isinstance(value, str) or not _DATE.match(value):
            raise Invalid(f"expected a date YYYY-MM-DD, got {value!r}")
        return value
    if ftype in (T.SELECT, T.MULTI_SELECT):
        options = spec.select_options(target, root) or []
        values = value if isinstance(value, list) else [value]
        if ftype == T.SELECT and isinstance(value, list):
            raise Invalid(f"{root} takes one option, got {len(value)}")
        bad = [v for v in values if v not in options]
        if bad:
            raise Invalid(
                f"{', '.join(map(repr, bad))} not among the options of {root} ({', '.join(options)})"
            )
        return values if ftype == T.MULTI_SELECT else value
    if ftype == T.ARRAY:
        return _string_list(value, ctx)
    if ftype == T.RATING:
        if isinstance(value, int) and 1 <= value <= 5:
            return f"RATING_{value}"
        if isinstance(value, str) and re.fullmatch(r"RATING_[1-5]", value):
            return value
        raise Invalid(f"expected a rating 1–5, got {value!r}")
    if ftype == T.RAW_JSON:
        if not isinstance(value, dict | list):
            raise Invalid(f"expected a JSON object, got {value!r}")
        return value
    raise Invalid(f"{ftype} fields are not written by the map")
