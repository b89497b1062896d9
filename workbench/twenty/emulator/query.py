"""REST query parameters read as Twenty 1.7 reads them: Express 4's `qs` query string, then
`limit`, `depth`, `order_by` and the cursors through the server's input factories
(packages/twenty-server/src/engine/api/rest/input-factories/*.ts; rules in SERVER_RULES.md).

JavaScript's loose conversions are kept on purpose: `limit=0` means no limit at all, a
repeated parameter becomes an array (so a repeated `filter` is ignored and a repeated `limit`
is refused), and `depth=2` is refused although the OpenAPI document offers it.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from typing import Any
from urllib.parse import unquote

from workbench.twenty.emulator.filters import check_fields
from workbench.twenty.emulator.paging import OrderKey
from workbench.twenty.emulator.problems import bad_request
from workbench.twenty.emulator.standard import ObjectDef

DEFAULT_LIMIT = 60  # twenty-shared QUERY_DEFAULT_LIMIT_RECORDS
MAX_LIMIT = 200  # twenty-shared QUERY_MAX_RECORDS
ALLOWED_DEPTHS = (0, 1)  # depth-input.factory.ts
DIRECTIONS = ("AscNullsFirst", "AscNullsLast", "DescNullsFirst", "DescNullsLast")
PARAMETER_LIMIT = 1000  # qs: parameters after the 1000th are dropped
_BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")
_NESTED_KEY = re.compile(r"([^\[\]]+)(\[[^\[\]]*\].*)")
_JS_BLANKS = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_DECIMAL = re.compile(r"[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)")
_JS_PREFIXED = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")


# The query parameters the emulator reads on each route, with the rule(s) of SERVER_RULES.md
# that say how; anything else is ignored, as the server ignores it.
PARAMETERS: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/rest/{object}"): {
        "filter": "Q1-Q17, Q23",
        "limit": "Q18",
        "depth": "Q19",
        "order_by": "Q20",
        "starting_after": "Q21",
        "ending_before": "Q21, Q22",
    },
    ("GET", "/rest/{object}/{id}"): {"depth": "Q19"},
    ("POST", "/rest/{object}"): {"upsert": "FACTS 27 (1.7 ignores it)"},
    ("POST", "/rest/batch/{object}"): {"upsert": "FACTS 27 (1.7 ignores it)"},
}


class Nested(dict):
    """What qs makes of `key[sub]=v`: an object, never a string."""


def _decode(text: str) -> str:
    """qs's decoder: `+` is a space; a malformed escape leaves the whole text undecoded."""
    text = text.replace("+", " ")
    if _BAD_ESCAPE.search(text):
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def parse_query(raw: str) -> dict[str, Any]:
    """The query string as Express 4 (qs, "extended") hands it to the server: a repeated key
    becomes a list, `key[sub]=v` an object, a key without `=` an empty string."""
    out: dict[str, Any] = {}
    for part in raw.split("&")[:PARAMETER_LIMIT]:
        if not part:
            continue
        at = part.find("]=")
        pos = at + 1 if at >= 0 else part.find("=")
        key = _decode(part if pos < 0 else part[:pos])
        value: Any = "" if pos < 0 else _decode(part[pos + 1 :])
        if not key:
            continue
        nested = _NESTED_KEY.fullmatch(key)
        if nested:
            key, value = nested.group(1), Nested({nested.group(2): value})
        if key in out:
            old = out[key]
            out[key] = [*(old if isinstance(old, list) else [old]), value]
        else:
            out[key] = value
    return out


def js_text(value: Any) -> str:
    """`${value}` in JavaScript: arrays join with commas, objects print as [object Object]."""
    if isinstance(value, list):
        return ",".join("" if v is None else js_text(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def js_number(value: Any) -> float:
    """JavaScript's unary `+`: blanks trimmed, '' is 0, hex/octal/binary prefixes, else NaN."""
    if isinstance(value, dict):
        return math.nan
    text = js_text(value).strip(_JS_BLANKS)
    if text == "":
        return 0.0
    if _JS_DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    prefixed = _JS_PREFIXED.fullmatch(text)
    if prefixed:
        return float(int(prefixed.group(1)[1:], {"x": 16, "o": 8, "b": 2}[text[1].lower()]))
    return math.nan


def _truthy(value: Any) -> bool:
    return value is not None and value != ""


def limit_of(query: dict[str, Any]) -> int | None:
    """limit-input.factory.ts; None means no LIMIT at all (0 passes the check, and the handler
    applies a limit only when it is truthy: rest-api-base.handler.ts)."""
    raw = query.get("limit")
    if not _truthy(raw):
        return DEFAULT_LIMIT
    value = js_number(raw)
    if math.isnan(value) or value < 0:
        raise bad_request(f"limit '{js_text(raw)}' is invalid. Should be an integer")
    value = min(value, MAX_LIMIT)
    if value == 0:
        return None
    return int(math.floor(value + 0.5))  # Postgres rounds a fractional LIMIT


def depth_of(query: dict[str, Any]) -> int:
    """depth-input.factory.ts: 0 or 1; 2 is refused on 1.7."""
    raw = query.get("depth")
    if not _truthy(raw):
        return 0
    value = js_number(raw)
    if math.isnan(value) or value not in ALLOWED_DEPTHS:
        allowed = ", ".join(str(d) for d in ALLOWED_DEPTHS)
        raise bad_request(f"'depth={js_text(raw)}' parameter invalid. Allowed values are {allowed}")
    return int(value)


def text_param(query: dict[str, Any], name: str) -> str | None:
    """filter / order_by / cursors are used only when they are one string."""
    value = query.get(name)
    return value if isinstance(value, str) else None


def order_of(query: dict[str, Any], obj: ObjectDef) -> list[OrderKey]:
    """order-by-input.factory.ts: split on commas; `field[Dir]` or a bare field (AscNullsFirst);
    only the top-level name of a dotted path is checked; an empty item is a field named ''."""
    text = text_param(query, "order_by")
    keys: list[OrderKey] = []
    if text is not None:
        for item in text.split(","):
            direction, fields = "AscNullsFirst", item
            if "[" in item and "]" in item:
                fields, direction = (item.replace("]", "", 1).split("[") + [""])[:2]
                if direction not in DIRECTIONS:
                    allowed = "', '".join(DIRECTIONS)
                    raise bad_request(
                        f"'order_by' direction '{direction}' invalid. Allowed values are '{allowed}'. eg: ?order_by=field_1[AscNullsFirst],field_2[DescNullsLast],field_3"
                    )
            path = fields.split(".")
            keys.append(OrderKey(path, direction))
        check_fields(obj, [k.path[0] for k in keys])
    if not any(k.path[0] == "id" for k in keys):
        keys.append(OrderKey(["id"], "AscNullsFirst"))
    return keys


def decode_cursor(cursor: str) -> dict | None:
    """rest-api-base.handler.ts parseCursor: Node's lenient base64 (both alphabets, junk
    skipped, padding optional), then JSON.parse. A JSON scalar gives no cursor condition."""
    cleaned = re.sub(r"[^A-Za-z0-9+/\-_=]", "", cursor).split("=", 1)[0]
    cleaned = cleaned.replace("-", "+").replace("_", "/")
    cleaned = cleaned[: len(cleaned) - (len(cleaned) % 4 == 1)]
    try:
        data = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
        value = json.loads(data.decode("utf-8", errors="replace"))
    except (binascii.Error, ValueError):
        raise bad_request(f"Invalid cursor: {cursor}") from None
    if isinstance(value, dict):
        return value
    if isinstance(value, int | float | bool):
        return None
    raise bad_request(f"Invalid cursor: {cursor}")
