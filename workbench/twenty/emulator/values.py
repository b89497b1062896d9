"""Field values: defaults, the loose coercion Twenty applies on write, and normalisation.

What is stored is exactly what reads back (emails lower-cased, amountMicros and lat/lng as strings,
link URLs lower-cased without a trailing slash, empty lists as null, blocknote generated).
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from workbench.twenty.emulator.problems import ApiProblem, bad_request, server_error
from workbench.twenty.emulator.richtext import markdown_to_blocknote
from workbench.twenty.emulator.standard import FieldDef
from workbench.twenty.payload_rules import PayloadRefused, check_links, check_phones

COMPOSITES: dict[str, dict[str, Any]] = {
    "FULL_NAME": {"firstName": "", "lastName": ""},
    "EMAILS": {"primaryEmail": "", "additionalEmails": None},
    "PHONES": {
        "primaryPhoneNumber": "",
        "primaryPhoneCountryCode": "",
        "primaryPhoneCallingCode": "",
        "additionalPhones": None,
    },
    "LINKS": {"primaryLinkLabel": "", "primaryLinkUrl": "", "secondaryLinks": None},
    "CURRENCY": {"amountMicros": None, "currencyCode": ""},
    "ADDRESS": {
        "addressStreet1": "",
        "addressStreet2": "",
        "addressCity": "",
        "addressPostcode": "",
        "addressState": "",
        "addressCountry": "",
        "addressLat": None,
        "addressLng": None,
    },
    "RICH_TEXT_V2": {"blocknote": None, "markdown": None},
    "ACTOR": {"source": "API", "workspaceMemberId": None, "name": "", "context": {}},
}
ENUM_TYPES = {"SELECT", "MULTI_SELECT", "RATING"}
RATING_VALUES = [f"RATING_{i}" for i in range(1, 6)]
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
WORKSPACE_SCHEMA = "workspace_emulator0000000000000000"


def default_for(field: FieldDef) -> Any:
    """The value a record gets when a field is not given on create."""
    if field.type in COMPOSITES:
        return copy.deepcopy(COMPOSITES[field.type])
    if field.type == "TEXT":
        return ""
    if field.type == "POSITION":
        return 0
    return None


def metadata_default(field: FieldDef) -> Any:
    """`defaultValue` as the metadata API shows it: SQL literals, so strings come quoted."""

    def quote(v: Any) -> Any:
        return f"'{v}'" if isinstance(v, str) else v

    if field.type in ("RELATION", "UUID", "ACTOR", "TS_VECTOR", "RICH_TEXT_V2", "POSITION"):
        return None
    d = field.default
    if isinstance(d, dict):
        return {k: quote(v) for k, v in d.items()}
    return quote(d)


def now_micro() -> str:
    """Server timestamps carry microseconds, as Postgres does; reads show milliseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_millis(ts: str | None) -> str | None:
    if ts is None:
        return None
    return ts[:23] + "Z" if len(ts) > 24 else ts


def to_micros(ts: str) -> str:
    """Widen a millisecond ISO timestamp to the microsecond form used for ordering."""
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", ts)
    if not m:
        return ts
    return f"{m.group(1)}.{(m.group(2) or '').ljust(6, '0')[:6]}Z"


def parse_timestamp(value: Any, *, type_name: str = "timestamp with time zone") -> str:
    """Any ISO-ish date or datetime to Twenty's `2020-01-02T03:04:05.000Z` form."""
    text = str(value).strip()
    try:
        if re.match(r"^\d{4}-\d\d-\d\d$", text):
            dt = datetime.fromisoformat(text).replace(tzinfo=UTC)
        else:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
            dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except ValueError:
        raise server_error(f'invalid input syntax for type {type_name}: "{text}"') from None
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def enum_problem(field: FieldDef, value: Any) -> ApiProblem:
    enum = f"{field.object}_{field.name}_enum"
    if enum != enum.lower():
        enum = f'"{enum}"'
    return bad_request(f'invalid input value for enum {WORKSPACE_SCHEMA}.{enum}: "{value}"')


def enum_values(field: FieldDef) -> list[str]:
    if field.type == "RATING" and not field.options:
        return RATING_VALUES
    return [o["value"] for o in field.options or []]


def check_uuid(value: Any) -> str:
    text = str(value)
    if not UUID_RE.match(text):
        raise server_error(f'invalid input syntax for type uuid: "{text}"')
    return text.lower()


def normalise_url(url: Any) -> Any:
    if not isinstance(url, str):
        return url
    url = url.strip().lower()
    return url[:-1] if url.endswith("/") else url


def _numeric_text(value: Any, what: str = "numeric") -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise server_error(f'invalid input syntax for type {what}: "{str(value).lower()}"')
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    try:
        float(text)
    except ValueError:
        raise server_error(f'invalid input syntax for type {what}: "{text}"') from None
    return text


def _empty_to_null(items: Any) -> Any:
    if items is None or (isinstance(items, list) and not items):
        return None
    return items


def composite(field: FieldDef, value: Any, current: dict | None) -> dict | None:
    """A composite write; sub-fields missing from `value` are taken from `current` (or null)."""
    if not isinstance(value, dict):
        return current  # a scalar where a composite is expected is silently ignored
    spec = COMPOSITES[field.type]
    if current is None:
        merged = {k: None for k in spec}
    else:
        merged = dict(current)
    for key in spec:
        if key in value:
            merged[key] = value[key]
    t = field.type
    if t == "RICH_TEXT_V2":
        markdown, blocknote = value.get("markdown"), value.get("blocknote")
        merged["markdown"] = markdown or (blocknote if blocknote else None)
        merged["blocknote"] = blocknote or (markdown_to_blocknote(markdown) if markdown else None)
    elif t == "EMAILS":
        if isinstance(merged.get("primaryEmail"), str):
            merged["primaryEmail"] = merged["primaryEmail"].strip().lower()
        extra = merged.get("additionalEmails")
        if isinstance(extra, list):
            extra = [e.strip().lower() if isinstance(e, str) else e for e in extra]
        merged["additionalEmails"] = _empty_to_null(extra)
    elif t == "LINKS":
        merged["primaryLinkUrl"] = normalise_url(merged.get("primaryLinkUrl"))
        links = merged.get("secondaryLinks")
        if isinstance(links, list):
            links = [
                {**ln, "url": normalise_url(ln.get("url"))} if isinstance(ln, dict) else ln
                for ln in links
            ]
        merged["secondaryLinks"] = _empty_to_null(links)
    elif t == "PHONES":
        merged["additionalPhones"] = _empty_to_null(merged.get("additionalPhones"))
    elif t == "CURRENCY":
        merged["amountMicros"] = _numeric_text(merged.get("amountMicros"))
    elif t == "ADDRESS":
        merged["addressLat"] = _numeric_text(merged.get("addressLat"))
        merged["addressLng"] = _numeric_text(merged.get("addressLng"))
    return merged


def _js_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "object")


def _rich_text_input(value: dict) -> None:
    """richTextV2ValueSchema (rich-text-v2.composite-type.ts): markdown string|null, required;
    blocknote string|null, optional. A miss is a ZodError listing every issue."""
    issues = []
    for key, optional in (("blocknote", True), ("markdown", False)):
        if key not in value:
            if optional:
                continue
            received = "undefined"
        elif value[key] is None or isinstance(value[key], str):
            continue
        else:
            received = _js_type(value[key])
        issues.append(
            {
                "expected": "string",
                "code": "invalid_type",
                "path": [key],
                "message": f"Invalid input: expected string, received {received}",
            }
        )
    if issues:
        raise ApiProblem(400, "ZodError", json.dumps(issues, indent=2))


def js_number(value: Any) -> int | float | None:
    """JavaScript's Number(value) as the record transformer applies it to NUMBER fields
    (record-input-transformer.service.ts); NaN is stored as null (FACTS 18)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, list) and len(value) <= 1:
        return js_number(value[0] if value else "")
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return 0
    try:
        number = (
            float(text) if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text) else None
        )
    except ValueError:
        number = None
    if number is None:
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def server_input(field: FieldDef, value: Any) -> Any:
    """What Twenty's record input transformer makes of a value before anything is stored
    (record-transformer/services/record-input-transformer.service.ts): phones checked and
    inferred, link URLs checked, emails rebuilt, rich text validated, NUMBER through Number(),
    an empty UUID as null. Refusals carry the server's message; REST answers them 400 "Error"."""
    if value is None:
        return value
    t = field.type
    try:
        if t == "PHONES" and isinstance(value, dict):
            return check_phones(value)
        if t == "LINKS" and isinstance(value, dict):
            check_links(value)
            return value
    except PayloadRefused as exc:
        raise ApiProblem(
            400,
            "Error",
            exc.message,
            gql_extensions={
                "subCode": exc.code,
                **({"userFriendlyMessage": exc.friendly} if exc.friendly else {}),
            },
        ) from None
    if t == "EMAILS" and isinstance(value, dict):
        primary = value.get("primaryEmail")
        if primary and not isinstance(primary, str):
            raise ApiProblem(400, "TypeError", "value.primaryEmail.toLowerCase is not a function")
        out: dict[str, Any] = {"primaryEmail": primary.lower() if primary else ""}
        if "additionalEmails" in value:
            out["additionalEmails"] = value["additionalEmails"]
        return out
    if t == "RICH_TEXT_V2" and isinstance(value, dict):
        _rich_text_input(value)
        return value
    if t == "NUMBER":
        return js_number(value)
    if t == "UUID":
        return value or None
    return value


_PG_TRUE = ("true", "yes", "on", "1")
_PG_FALSE = ("false", "no", "off", "0")


def pg_text(value: Any) -> str:
    """The text node-postgres sends for a parameter: JSON for objects, str() for the rest."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return _numeric_text(value) if isinstance(value, int | float) else str(value)


def pg_boolean(value: Any) -> bool:
    """Postgres' boolean input (boolin): true/yes/on/1 and false/no/off/0 or a unique prefix,
    any case; anything else is 22P02, which Twenty answers 500 (postgres-error-codes.constants.ts)."""
    if isinstance(value, bool):
        return value
    text = pg_text(value).strip().lower()
    if text:
        hits = {w in _PG_TRUE for w in (*_PG_TRUE, *_PG_FALSE) if w.startswith(text)}
        if text in ("o",):
            hits = {True, False}
        if len(hits) == 1:
            return hits.pop()
    raise server_error(f'invalid input syntax for type boolean: "{pg_text(value)}"')


def coerce(field: FieldDef, value: Any, current: Any = None, *, creating: bool = True) -> Any:
    """The value Twenty stores for `value` written to `field` (loose, as recorded)."""
    t = field.type
    if t in COMPOSITES:
        # recorded: sub-fields left out keep their column default (create) or value (update),
        # except for LINKS
        if not isinstance(value, dict):
            return default_for(field) if creating else current
        if t == "LINKS":
            base = None  # links are rewritten whole: sub-fields left out become null
        else:
            base = default_for(field) if creating or current is None else current
        return composite(field, value, base)
    if value is None:
        return None
    if t == "TEXT":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _numeric_text(value)
        return value if isinstance(value, str) else json.dumps(value)
    if t == "NUMBER":
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if t == "BOOLEAN":
        return pg_boolean(value)
    if t == "DATE_TIME":
        return parse_timestamp(value)
    if t == "DATE":
        return parse_timestamp(str(value)[:10], type_name="date")
    if t in ("SELECT", "RATING"):
        if value not in enum_values(field):
            raise enum_problem(field, value)
        return value
    if t in ("MULTI_SELECT", "ARRAY") and not isinstance(value, list):
        raise server_error(f'malformed array literal: "{pg_text(value)}"')
    if t == "MULTI_SELECT":
        items = value
        allowed = enum_values(field)
        for item in items:
            if item not in allowed:
                raise enum_problem(field, item)
        return items
    if t == "ARRAY":
        items = value
        return [v if isinstance(v, str) else json.dumps(v) for v in items]
    if t == "UUID":
        return check_uuid(value)
    if t == "POSITION":
        return value if isinstance(value, int | float) else 0
    return value  # RAW_JSON and anything else is stored as given


def new_id() -> str:
    return str(uuid.uuid4())


def search_vector(record: dict, fields: list[FieldDef]) -> str:
    """An approximation of Postgres' tsvector text over the searchable fields."""
    words: list[str] = []
    for f in fields:
        v = record.get(f.name)
        if f.type == "TEXT" and f.name in ("name", "title", "jobTitle", "userEmail"):
            words += re.findall(r"[\w@.+-]+", str(v or "").lower())
        elif f.type == "FULL_NAME" and isinstance(v, dict):
            words += re.findall(
                r"[\w-]+", f"{v.get('firstName') or ''} {v.get('lastName') or ''}".lower()
            )
        elif f.type == "EMAILS" and isinstance(v, dict) and v.get("primaryEmail"):
            email = str(v["primaryEmail"])
            words += [email, email.split("@")[-1]]
        elif (
            f.type == "LINKS"
            and f.name == "domainName"
            and isinstance(v, dict)
            and v.get("primaryLinkUrl")
        ):
            words.append(re.sub(r"^https?://", "", str(v["primaryLinkUrl"])))
    seen: dict[str, int] = {}
    for pos, w in enumerate(words, 1):
        seen.setdefault(w, pos)
    return " ".join(f"'{w}':{p}" for w, p in sorted(seen.items()))
