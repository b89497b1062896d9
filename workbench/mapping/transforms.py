"""Text-shaped transforms: text, splits, selects, names, templates, booleans, truncation.

Importing this module registers every built-in transform (dates, contacts and numbers live in
their own modules and are imported at the bottom).
"""

from __future__ import annotations

import re
import string
from typing import Any

from workbench.mapping.catalog import TEXT_LIMIT, upper_snake
from workbench.mapping.registry import Context, Invalid, register_transform

_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(value: Any) -> str | None:
    """Trimmed text with runs of spaces collapsed; None when nothing is left."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip()
    return text or None


def truncate(text: str, limit: int, ctx: Context) -> str:
    if len(text) <= limit:
        return text
    ctx.flag(f"truncated from {len(text)} to {limit} characters")
    return text[:limit]


@register_transform("text", options={"max_length", "case"})
def text(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """Trimmed text, optionally re-cased, cut to Twenty's limit with a flag."""
    out = clean_text(value)
    if out is None:
        return None
    case = options.get("case")
    if case == "lower":
        out = out.lower()
    elif case == "upper":
        out = out.upper()
    elif case == "title":
        out = out.title()
    return truncate(out, int(options.get("max_length", TEXT_LIMIT)), ctx)


@register_transform("long_text", options={"max_length"})
def long_text(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """Multi-line text (notes, descriptions): line breaks kept, ends trimmed."""
    if value is None:
        return None
    out = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return truncate(out, int(options.get("max_length", TEXT_LIMIT)), ctx) if out else None


@register_transform("truncate", options={"max_length"})
def truncate_text(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """Text cut to `max_length` (default Twenty's TEXT limit) with a flag saying so."""
    out = clean_text(value)
    return None if out is None else truncate(out, int(options.get("max_length", TEXT_LIMIT)), ctx)


def split_items(value: Any, separators: str = ",;|") -> list[str]:
    if value is None:
        return []
    parts = re.split("[" + re.escape(separators) + "\n]", str(value))
    out: list[str] = []
    seen: set[str] = set()
    for part in parts:
        item = clean_text(part)
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


@register_transform("split", options={"separators", "case", "map"})
def split(value: Any, options: dict[str, Any], ctx: Context) -> list[str] | None:
    """Tags/lists: split on comma, semicolon or pipe; trimmed, de-duplicated, order kept.

    `case: lower` normalises spelling; `case: option` (or a `map`) gives MULTI_SELECT values.
    """
    items = split_items(value, options.get("separators", ",;|"))
    if not items:
        return None
    if options.get("map"):
        mapped = []
        for item in items:
            out = select(item, options, ctx)
            if out is not None and out not in mapped:
                mapped.append(out)
        return mapped or None
    case = options.get("case")
    if case == "lower":
        items = list(dict.fromkeys(i.lower() for i in items))
    elif case == "option":
        items = list(dict.fromkeys(upper_snake(i) for i in items))
    return items


def _norm_key(text: str) -> str:
    return " ".join(str(text).casefold().replace("_", " ").replace("-", " ").split())


@register_transform("select", options={"map", "attribute", "text"})
def select(value: Any, options: dict[str, Any], ctx: Context) -> Any:
    """A value through a value map (rename table) → option value, or one of its attributes.

    Matching ignores case, spaces, dashes and underscores. Unknown values follow the map's
    `unknown` policy: flagged and left empty, flagged and given the default, or quarantined.
    With `text: true` (a select loaded into an existing TEXT field) the option's label is
    written, and an unknown value is kept as written, flagged.
    """
    text_value = clean_text(value)
    if text_value is None:
        return None
    name = options.get("map")
    as_text = bool(options.get("text"))
    if name is None:
        return text_value if as_text else upper_snake(text_value)
    vmap = ctx.value_maps.get(name)
    if vmap is None:
        raise Invalid(f"value map {name!r} is not in the map")
    key = _norm_key(text_value)
    attribute = "option_label" if as_text else options.get("attribute")
    for entry in vmap.values:
        if key in {_norm_key(s) for s in entry.sources} or key == _norm_key(entry.option_value):
            return getattr(entry, attribute) if attribute else entry.option_value
    if as_text:
        ctx.flag(f"value {text_value!r} is not in {name}: kept as text")
        return text_value
    if attribute:
        return None
    if vmap.unknown == "quarantine":
        raise Invalid(f"{text_value!r} is not in value map {name!r}")
    if vmap.unknown == "default" and vmap.default:
        ctx.flag(f"unknown value {text_value!r} in {name} → {vmap.default}")
        return vmap.default
    ctx.flag(f"unknown value {text_value!r} in {name}: left empty")
    return None


_TRUE = {"1", "true", "t", "yes", "y", "x", "on", "checked", "✓", "да", "oui", "si", "ja"}
_FALSE = {"0", "false", "f", "no", "n", "off", "unchecked", "нет", "non", "nein"}


@register_transform("boolean", options={"true", "false"})
def boolean(value: Any, options: dict[str, Any], ctx: Context) -> bool | None:
    """yes/no, true/false, 1/0, x, checked… → True/False; anything else is invalid."""
    text_value = clean_text(value)
    if text_value is None:
        return None
    key = text_value.casefold()
    if key in {str(v).casefold() for v in options.get("true", [])} or key in _TRUE:
        return True
    if key in {str(v).casefold() for v in options.get("false", [])} or key in _FALSE:
        return False
    raise Invalid(f"{text_value!r} is not a yes/no value")


_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx"}


def split_name(full: str) -> tuple[str, str]:
    """'Smith, John' or 'Dr. John A. Smith' → ('John', 'Smith'); middle names stay first."""
    if "," in full:
        last, _, first = full.partition(",")
        return clean_text(first) or "", clean_text(last) or ""
    words = [w for w in full.split() if w.rstrip(".").casefold() not in _HONORIFICS]
    if not words:
        return "", ""
    if len(words) == 1:
        return words[0], ""
    return " ".join(words[:-1]), words[-1]


@register_transform("name_split", options={"part"})
def name_split(value: Any, options: dict[str, Any], ctx: Context) -> Any:
    """A full name → {firstName, lastName}, or one `part` (first | last)."""
    full = clean_text(value)
    if full is None:
        return None
    first, last = split_name(full)
    part = options.get("part")
    if part == "first":
        return first or None
    if part == "last":
        return last or None
    return {"firstName": first, "lastName": last}


@register_transform("join", options={"sep"}, multi=True)
def join(values: dict[str, Any], options: dict[str, Any], ctx: Context) -> str | None:
    """Several columns into one text (first + last name), empties skipped."""
    parts = [clean_text(v) for v in values.values()]
    out = str(options.get("sep", " ")).join(p for p in parts if p)
    return out or None


@register_transform("name", options=set(), multi=True)
def full_name(values: dict[str, Any], options: dict[str, Any], ctx: Context) -> dict | None:
    """First and last name columns (in that order) → Twenty's FULL_NAME shape."""
    cells = [clean_text(v) or "" for v in values.values()]
    first, last = (cells + ["", ""])[:2]
    if len(cells) > 2:  # first, middle, last
        first, last = " ".join(c for c in cells[:-1] if c), cells[-1]
    if not first and not last:
        return None
    return {"firstName": first, "lastName": last}


class _Fields(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "")


def _filtered(value: Any, filt: str, ctx: Context) -> str:
    from workbench.mapping.parse_dates import to_date

    if value in (None, ""):
        return ""
    if filt == "date":
        parsed = to_date(str(value), ctx)
        return parsed or str(value)
    if filt in ("upper", "lower", "title", "strip"):
        return getattr(str(value), filt)()
    raise Invalid(f"unknown template filter {filt!r}")


@register_transform("template", options={"template", "fallback"}, multi=True)
def template(values: dict[str, Any], options: dict[str, Any], ctx: Context) -> str | None:
    """A derived value, e.g. '{product} – {date|date}': placeholders name the columns.

    Placeholders may carry a filter after '|': date, upper, lower, title. Dangling separators
    from empty placeholders are trimmed; when every placeholder is empty, `fallback` is used.
    """
    tmpl = str(options.get("template", ""))
    cells: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name, _, filt = match.group(1).partition("|")
        raw = clean_text(values.get(name.strip()))
        out = _filtered(raw, filt.strip(), ctx) if filt else (raw or "")
        cells[name] = out
        return out

    out = re.sub(r"\{([^{}]+)\}", fill, tmpl)
    if not any(cells.values()):
        fallback = options.get("fallback")
        return str(fallback) if fallback else None
    out = re.sub(r"^[\s\-–—:|/,]+|[\s\-–—:|/,]+$", "", out)
    out = re.sub(r"\s+[-–—:|/]\s+(?=[-–—:|/]|\s*$)", " ", out).strip()
    return out or None


@register_transform("constant", options={"value"})
def constant(value: Any, options: dict[str, Any], ctx: Context) -> Any:
    """The same value on every row (a task type for all rows of a calls table)."""
    return options.get("value", value)


@register_transform("phone_list", options={"region", "strict", "separators"}, multi=True)
def phone_list(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """Phones written several to a cell or over several columns (phone, mobile) → PHONES.

    The first valid number is the primary one, the others go to additionalPhones; repeats are
    dropped. A piece that is not a phone is flagged and left out; when none is valid the whole
    value is invalid (so `on_invalid: keep` can keep it as written).
    """
    from workbench.mapping.parse_contact import phone

    cells = list(value.values()) if isinstance(value, dict) else [value]
    pieces = [
        piece
        for c in cells
        if c is not None
        for piece in split_items(c, options.get("separators", ",;|"))
    ]
    if not pieces:
        return None
    single = {k: v for k, v in options.items() if k in ("region", "strict")}
    found: list[dict[str, str]] = []
    bad: list[str] = []
    for piece in pieces:
        try:
            parsed = phone(piece, single, ctx)
        except Invalid as exc:
            bad.append(exc.reason)
            continue
        if parsed and parsed not in found:
            found.append(parsed)
    if not found:
        raise Invalid("; ".join(bad))
    for reason in bad:
        ctx.flag(f"{reason}: left out")
    out: dict[str, Any] = dict(found[0])
    if len(found) > 1:
        # same keys as the primary form: a number of no country carries no codes either
        out["additionalPhones"] = [
            {
                sub: f[key]
                for key, sub in (
                    ("primaryPhoneNumber", "number"),
                    ("primaryPhoneCountryCode", "countryCode"),
                    ("primaryPhoneCallingCode", "callingCode"),
                )
                if key in f
            }
            for f in found[1:]
        ]
    return out


@register_transform(
    "options_from_columns", options={"option_of", "on_values", "off_values"}, multi=True
)
def options_from_columns(values: Any, options: dict[str, Any], ctx: Context) -> list[str] | None:
    """One status column per option (sub_email, sub_sms, sub_push) → the MULTI_SELECT options
    whose column says one of `on_values` (default: subscribed). Values in `off_values` count as not on; any other
    value is flagged, never taken as on.
    """
    cells = values if isinstance(values, dict) else {}
    option_of: dict[str, str] = dict(options.get("option_of") or {})
    on = {str(v).casefold() for v in options.get("on_values", ["subscribed"])}
    off = {str(v).casefold() for v in options.get("off_values", [])}
    out: list[str] = []
    for column, cell in cells.items():
        text_value = clean_text(cell)
        if text_value is None:
            continue
        if column not in option_of:
            raise Invalid(f"no option given for column {column!r} (option_of)")
        key = text_value.casefold()
        if key in on:
            if option_of[column] not in out:
                out.append(option_of[column])
        elif key not in off:
            ctx.flag(f"unknown status {text_value!r} in {column}: not counted as on")
    return out or None


@register_transform("first_line", options={"max_length", "markers"})
def first_line(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """The first non-empty line of a text, as a title; the whole text stays in the body.

    `markers` turns a leading tag into a label: {"[[System]]": "System"} makes
    '[[System]] Unsubscribed via link' the title 'System: Unsubscribed via link'. Titles are
    cut at `max_length` (default 100) with '…', unflagged, since nothing is lost.
    """
    if value is None:
        return None
    lines = [clean_text(line) for line in str(value).splitlines()]
    line = next((x for x in lines if x), None)
    if line is None:
        return None
    for marker, label in (options.get("markers") or {}).items():
        if line.startswith(marker):
            rest = line[len(marker) :].strip(" :-–")
            line = f"{label}: {rest}" if rest else str(label)
            break
    limit = int(options.get("max_length", 100))
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@register_transform("labelled_text", options={"labels", "max_length"}, multi=True)
def labelled_text(values: dict[str, Any], options: dict[str, Any], ctx: Context) -> str | None:
    """Several columns as paragraphs of one body; columns named in `labels` get 'Label: value'.

    Empty cells leave no trace, so a meeting's 'Attendees: …' appears only where there are
    attendees, after (or instead of) its description.
    """
    labels = options.get("labels") or {}
    parts = []
    for column, cell in values.items():
        text = long_text(cell, {}, ctx)
        if text:
            parts.append(f"{labels[column]}: {text}" if column in labels else text)
    out = "\n\n".join(parts)
    return truncate(out, int(options.get("max_length", TEXT_LIMIT)), ctx) if out else None


_ABBREVIATED = re.compile(
    r"^(?P<num>[^kKmM]*\d)\s*(?P<unit>k|K|m|M|mm|MM|bn|BN|Bn)\b\.?(?P<rest>.*)$"
)
_UNITS = {"k": 1_000, "m": 1_000_000, "mm": 1_000_000, "bn": 1_000_000_000}


@register_transform("money", options={"currency", "decimal_comma"}, multi=True)
def money(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """Like `currency`, but also reads amounts written short: '25k', '$1.2M', '3 bn EUR'."""
    from workbench.mapping.parse_numbers import currency, parse_decimal

    cells = dict(value) if isinstance(value, dict) else {"amount": value}
    first = next(iter(cells))
    text = clean_text(cells[first])
    match = _ABBREVIATED.match(text) if text else None
    if match:
        prefix = re.sub(r"[\d.,\s]+$", "", match["num"])
        number_text = match["num"][len(prefix) :]
        amount = parse_decimal(number_text, bool(options.get("decimal_comma", ctx.decimal_comma)))
        full = amount * _UNITS[match["unit"].lower()]
        expanded = f"{prefix}{full.normalize():f}{match['rest']}"
        ctx.flag(f"{text!r} read as {full.normalize():f}")
        cells[first] = expanded
    return currency(cells if isinstance(value, dict) else cells[first], options, ctx)


# The other built-ins register themselves on import.
from workbench.mapping import parse_contact, parse_dates, parse_numbers  # noqa: E402,F401
