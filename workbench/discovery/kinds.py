"""What kind of data a column holds, inferred from its values (and, as a tie-break, its name).

A column's kind decides its Twenty field type and which quality checks apply to it. Rules are
share-based — "at least 80 % of the non-empty values look like dates" — so a few dirty values
do not hide the column's kind; the quality flags then point at those values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product

import polars as pl

PLACEHOLDERS = ("n/a", "#n/a", "null", "(blank)")  # written for "empty"
SAMPLE_VALUES = 20_000  # values examined per column to decide its kind
MAJORITY = 0.8  # share of values that must fit a kind
SELECT_MAX_OPTIONS = 25
MULTI_SELECT_MAX_OPTIONS = 80
LONG_TEXT_CHARS = 255

BOOLEAN_WORDS = {
    "true", "false", "yes", "no", "y", "n", "1", "0", "on", "off", "checked", "unchecked", "t", "f",
}  # fmt: skip

# (strptime format, has time, matches day-first/month-first ambiguity)
DATE_FORMATS: tuple[tuple[str, bool], ...] = (
    ("%Y-%m-%d", False),
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%d %H:%M", True),
    ("%Y-%m-%dT%H:%M:%S", True),
    ("%Y-%m-%dT%H:%M:%S%.f", True),
    ("%Y-%m-%dT%H:%M:%S%#z", True),
    ("%Y-%m-%dT%H:%M:%S%.f%#z", True),
    ("%Y/%m/%d", False),
    ("%m/%d/%Y", False),
    ("%d/%m/%Y", False),
    ("%m/%d/%Y %I:%M:%S %p", True),
    ("%m/%d/%Y %I:%M %p", True),
    ("%m/%d/%Y %H:%M:%S", True),
    ("%m/%d/%Y %H:%M", True),
    ("%d/%m/%Y %H:%M:%S", True),
    ("%d/%m/%Y %H:%M", True),
    ("%d.%m.%Y", False),
    ("%d.%m.%Y %H:%M:%S", True),
    ("%d.%m.%Y %H:%M", True),
    ("%m-%d-%Y", False),
    ("%d-%m-%Y", False),
    ("%b %d, %Y", False),
    ("%B %d, %Y", False),
    ("%d %b %Y", False),
    ("%d %B %Y", False),
)
MONTH_FIRST = {f for f, _ in DATE_FORMATS if f.startswith("%m")}
DAY_FIRST = {f for f, _ in DATE_FORMATS if f.startswith("%d") and f[2] in "/.-"}

RE_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
RE_URL = r"(?i)^(?:https?://\S+|www\.\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:/\S*)?)$"
RE_NUMBER = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$"
RE_LEADING_ZERO = r"^0\d+$"
RE_CURRENCY = (
    r"(?i)^(?:[$€£¥₽]|usd|eur|gbp|rub|cad|aud)\s?[+-]?[\d,]*\.?\d+$"
    r"|^[+-]?[\d,]*\.?\d+\s?(?:[$€£¥₽]|usd|eur|gbp|rub|cad|aud)$"
)
RE_PHONE = r"^\+?[\d\s().\-/]{7,}(?:\s*(?:x|ext\.?|#)\s*\d+)?$"
RE_EXCEL_NUMBER = r"(?i)^[+-]?\d(?:\.\d+)?e\+\d+$"
RE_IP = r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]+:[0-9a-fA-F:]*$"
RE_DATE_LIKE = (
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]{3,9} \d{4}"
)
RE_UUID = r"(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
RE_TOKEN = r"^[A-Za-z0-9_\-.:]+$"
RE_LIST_SEPARATOR = r"[,;]"

PHONE_NAME = re.compile(r"(?i)phone|mobile|\btel\b|telephone|fax|cell|whatsapp|sms")
ID_NAME = re.compile(r"(?i)(^|[_\s])id$|^id[_\s]|_id\b|\bid\b|uuid|\bkey\b|reference|\bref\b")
MONEY_NAME = re.compile(r"(?i)amount|price|revenue|value|total|cost|\bfee\b|budget")
CODE_NAME = re.compile(r"(?i)zip|postal|postcode|\bcode\b")


class Kind(StrEnum):
    EMPTY = "empty"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    CURRENCY = "currency"
    BOOLEAN = "boolean"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    ID = "id"
    URL = "url"
    TEXT = "text"


@dataclass
class ColumnKind:
    """A column's inferred kind, with what the inference saw."""

    kind: Kind
    share: float = 0.0  # of the examined values, the share that fits the kind
    formats: list[str] = field(default_factory=list)  # date formats found, most frequent first
    options: list[str] = field(
        default_factory=list
    )  # select / multi-select values, most frequent first
    long: bool = False  # text longer than a one-line field holds
    day_first: bool | None = None  # for numeric dates: None when the values do not say

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": str(self.kind), "share": round(self.share, 4)}
        if self.formats:
            out["formats"] = self.formats
            out["day_first"] = self.day_first
        if self.options:
            out["options"] = self.options
        if self.long:
            out["long"] = True
        return out


# Letters that lowercase to a placeholder's letters besides their ASCII capital (K → k).
OTHER_CASES = {"k": "\u212a"}


def placeholder_spellings() -> list[str]:
    """Every spelling of the placeholders in any letter case (what lowercases to one of them):
    matching these is much cheaper than lowering every cell of a big export."""
    spellings: list[str] = []
    for word in PLACEHOLDERS:
        options = [{ch, ch.upper(), *OTHER_CASES.get(ch, "")} for ch in word]
        spellings += ["".join(p) for p in product(*options)]
    return sorted(set(spellings))


PLACEHOLDER_SPELLINGS = placeholder_spellings()


def clean(expr: pl.Expr) -> pl.Expr:
    """A cell as discovery sees it: stripped, with empty strings and placeholders as null."""
    # when/then rather than `replace`: `replace` makes the streaming engine hold the whole table.
    stripped = expr.str.strip_chars()
    empty = stripped.is_in(PLACEHOLDER_SPELLINGS) | (stripped == "")
    return pl.when(~empty).then(stripped)


def share(values: pl.Series, pattern: str) -> float:
    if values.len() == 0:
        return 0.0
    return float(values.str.contains(pattern).mean() or 0.0)


def parse_dates(values: pl.Series, formats: list[str]) -> pl.Series:
    """Each value parsed with the first of `formats` that fits (naive datetimes, UTC if zoned)."""
    parsed = [_strptime(values, f) for f in formats]
    if not parsed:
        return pl.Series(values.name, [None] * values.len(), dtype=pl.Datetime("us"))
    return pl.select(pl.coalesce(parsed)).to_series().alias(values.name)


def _strptime(values: pl.Series, fmt: str) -> pl.Series:
    out = values.str.strptime(pl.Datetime("us"), fmt, strict=False)
    if getattr(out.dtype, "time_zone", None):
        out = out.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return out


def date_formats(values: pl.Series) -> tuple[list[str], float, bool | None]:
    """The formats the values are written in, the share that parse, and day-first order."""
    if values.len() == 0:
        return [], 0.0, None
    hits = {f: _strptime(values, f).is_not_null() for f, _ in DATE_FORMATS}
    counts = {f: int(h.sum()) for f, h in hits.items() if h.any()}
    if not counts:
        return [], 0.0, None
    month = pl.select(pl.any_horizontal([hits[f] for f in MONTH_FIRST])).to_series()
    day = pl.select(pl.any_horizontal([hits[f] for f in DAY_FIRST])).to_series()
    month_only, day_only = int((month & ~day).sum()), int((day & ~month).sum())
    day_first: bool | None = None
    if month_only and not day_only:
        day_first = False
    elif day_only and not month_only:
        day_first = True
    # Drop the reading the values never need: month-first wins when nothing decides.
    slash_day_first = {f for f in DAY_FIRST if "." not in f}
    drop = MONTH_FIRST if day_first else (set() if month_only and day_only else slash_day_first)
    formats = sorted((f for f in counts if f not in drop), key=lambda f: -counts[f])
    any_hit = pl.select(pl.any_horizontal(list(hits.values()))).to_series()
    return formats, float(any_hit.mean() or 0.0), day_first


def infer_kind(name: str, values: pl.Series) -> ColumnKind:
    """Kind of one column from its cleaned non-empty values (nulls already dropped)."""
    values = values.drop_nulls()
    if values.len() == 0:
        return ColumnKind(Kind.EMPTY)
    if values.len() > SAMPLE_VALUES:
        values = values.sample(SAMPLE_VALUES, seed=0)
    n = values.len()
    counts = values.value_counts(sort=True)
    distinct = counts.height
    lowered = set(values.str.to_lowercase().unique().to_list()) if distinct <= 6 else set()
    max_len = int(values.str.len_chars().max() or 0)
    multiline = bool(values.str.contains("\n", literal=True).any())

    if lowered and len(lowered) <= 2 and lowered <= BOOLEAN_WORDS:
        return ColumnKind(Kind.BOOLEAN, 1.0, options=counts.get_column(counts.columns[0]).to_list())
    if (s := share(values, RE_EMAIL)) >= MAJORITY:
        return ColumnKind(Kind.EMAIL, s)
    if (s := share(values, RE_URL)) >= MAJORITY and share(values, RE_NUMBER) < 0.5:
        return ColumnKind(Kind.URL, s)
    formats, s, day_first = (
        date_formats(values) if share(values, RE_DATE_LIKE) >= 0.5 else ([], 0.0, None)
    )
    if s >= MAJORITY:
        timed = dict(DATE_FORMATS)
        kind = Kind.DATETIME if timed.get(formats[0], False) else Kind.DATE
        return ColumnKind(kind, s, formats=formats, day_first=day_first)
    if (s := share(values, RE_CURRENCY)) >= MAJORITY:
        return ColumnKind(Kind.CURRENCY, s)
    if share(values, RE_IP) >= MAJORITY:
        return ColumnKind(Kind.TEXT, share(values, RE_IP))
    phone_share = share(values, RE_PHONE)
    if PHONE_NAME.search(name) and phone_share + share(values, RE_EXCEL_NUMBER) >= 0.5:
        return ColumnKind(Kind.PHONE, phone_share)
    number_share = share(values, RE_NUMBER)
    leading_zero = share(values, RE_LEADING_ZERO) > 0
    if number_share >= MAJORITY and not leading_zero and not CODE_NAME.search(name):
        if ID_NAME.search(name) and distinct >= 0.95 * n:
            return ColumnKind(Kind.ID, number_share)
        kind = Kind.CURRENCY if MONEY_NAME.search(name) else Kind.NUMBER
        return ColumnKind(kind, number_share)
    if phone_share >= MAJORITY and share(values, r"[\s().\-+]") >= 0.5:
        return ColumnKind(Kind.PHONE, phone_share)
    if share(values, RE_UUID) >= MAJORITY or (
        distinct >= 0.95 * n and n >= 20 and share(values, RE_TOKEN) >= MAJORITY
        and (ID_NAME.search(name) or share(values, r"\d") >= MAJORITY)
    ):  # fmt: skip
        return ColumnKind(Kind.ID, share(values, RE_TOKEN))
    multi = _multi_select_options(values)
    if multi is not None:
        return ColumnKind(Kind.MULTI_SELECT, 1.0, options=multi)
    if (
        distinct <= SELECT_MAX_OPTIONS
        and distinct <= max(2, n // 2)
        and max_len <= 60
        and not multiline
    ):
        return ColumnKind(Kind.SELECT, 1.0, options=counts.get_column(counts.columns[0]).to_list())
    return ColumnKind(Kind.TEXT, 1.0, long=multiline or max_len > LONG_TEXT_CHARS)


def split_list(expr: pl.Expr) -> pl.Expr:
    """A comma/semicolon list cell as a list of stripped, non-empty items."""
    return (
        expr.str.replace_all(";", ",", literal=True)
        .str.split(",")
        .list.eval(pl.element().str.strip_chars().str.replace_all(r"\s+", " "))
        .list.eval(pl.element().filter(pl.element() != ""))
    )


def _multi_select_options(values: pl.Series) -> list[str] | None:
    """Options when the values are lists drawn from a small vocabulary, else None."""
    if share(values, RE_LIST_SEPARATOR) < 0.2 or share(values, r"\s[^,;]*\s[^,;]*\s") > 0.5:
        return None
    items = (
        pl.DataFrame({"v": values})
        .select(split_list(pl.col("v")).alias("v"))
        .explode("v", empty_as_null=True)
    )
    items = items.drop_nulls()
    if items.height == 0:
        return None
    counts = items.get_column("v").value_counts(sort=True)
    if counts.height > MULTI_SELECT_MAX_OPTIONS or items.height < 2 * counts.height:
        return None
    return counts.get_column("v").to_list()
