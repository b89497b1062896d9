"""Data-quality flags: which rows will need care, counted, with file and line to find them.

Every check yields flagged rows (`FLAG_SCHEMA`); `summarise_flags` turns them into counts with
examples. Emails are judged by email-validator and phones by phonenumbers — each distinct value
once, most of them in bulk with the same rules (`phones.py`) — so the flags agree with what
mapping will accept later.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache

import phonenumbers
import polars as pl
from email_validator import EmailNotValidError, validate_email
from phonenumbers.phonemetadata import PhoneMetadata

from workbench.discovery.kinds import (
    DAY_FIRST,
    MONTH_FIRST,
    RE_EXCEL_NUMBER,
    ColumnKind,
    Kind,
    clean,
    parse_dates,
    split_list,
)
from workbench.discovery.phones import phone_verdicts

EXAMPLES = 5
STALE_AFTER_DAYS = 730  # a last-activity date this much older than the newest one is stale
FLAG_SCHEMA: dict[str, pl.DataType] = {
    "flag": pl.Utf8,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "_file": pl.Utf8,
    "_line": pl.Int64,
}
# The plain shape of nearly every address: checked in bulk, its domain once by email-validator.
_PLAIN_EMAIL = (
    r"^[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
AMBIGUOUS_DATE = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b"
MARKER_WORDS = re.compile(
    r"(?i)bounce|unsubscrib|opt(?:ed)?[\s_-]?out|blacklist|blocklist|spam|complain|inactive|stale"
    r"|suppress|invalid|do[\s_-]?not"
)
_LETTERS = re.compile(r"[A-Za-z]")
_EXTENSION = re.compile(r"(?i)\s*(?:ext\.?|x|#)\s*\d+\s*$")
TRUTHY = ("1", "yes", "y", "true", "t", "checked", "on", "x")


def flags_frame(rows: list[pl.DataFrame]) -> pl.DataFrame:
    frames = [r.select(list(FLAG_SCHEMA)).cast(FLAG_SCHEMA) for r in rows if r.height]  # type: ignore[arg-type]
    return pl.concat(frames) if frames else pl.DataFrame(schema=FLAG_SCHEMA)


def _flag(frame: pl.DataFrame, mask: pl.Series | pl.Expr, flag: str, column: str) -> pl.DataFrame:
    if isinstance(mask, pl.Expr):
        mask = frame.select(mask).to_series()
    narrow = [c for c in (column, "_file", "_line") if c in frame.columns]
    return (
        frame.select(narrow)
        .filter(mask)
        .select(
            pl.lit(flag).alias("flag"),
            pl.lit(column).alias("column"),
            pl.col(column).alias("value")
            if column in frame.columns
            else pl.lit(None, pl.Utf8).alias("value"),
            "_file",
            "_line",
        )
    )


@lru_cache(maxsize=65_536)
def _domain_ok(domain: str) -> bool:
    try:
        validate_email(f"a@{domain}", check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def _email_ok(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def email_validity(values: pl.Series) -> pl.Series:
    """True where email-validator accepts the (stripped) address; null where there is none."""
    plain = values.str.contains(_PLAIN_EMAIL) & (values.str.len_chars() <= 254)
    local_ok = values.str.split("@").list.first().str.len_bytes() <= 64
    domains = values.str.split("@").list.last()
    distinct = domains.filter(plain.fill_null(False)).unique().to_list()
    good_domains = [d for d in distinct if _domain_ok(d)]
    fast = plain & local_ok & domains.is_in(good_domains)
    slow_values = values.filter(~fast.fill_null(True)).unique().to_list()
    slow_ok = [v for v in slow_values if _email_ok(v)]
    verdict = pl.when(values.is_null()).then(None).otherwise(fast | values.is_in(slow_ok))
    return pl.select(verdict.alias(values.name or "email")).to_series()


@lru_cache(maxsize=262_144)
def phone_verdict(value: str, region: str) -> str:
    """ "invalid": letters, unparseable, impossible length, or outside the country's numbering
    plan; "ambiguous": fits the plan but phonenumbers knows no assigned range for it (often a
    number written without its country code, or a reserved range); else "valid"."""
    text = "+" + value[2:] if value.startswith("00") else value
    if _LETTERS.search(_EXTENSION.sub("", text)):
        return "invalid"
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return "invalid"
    if phonenumbers.is_valid_number(number):
        return "valid"
    if not phonenumbers.is_possible_number(number):
        return "invalid"
    region_code = phonenumbers.region_code_for_country_code(number.country_code)
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region_code)
    pattern = metadata.general_desc.national_number_pattern if metadata else None
    national = phonenumbers.national_significant_number(number)
    if pattern and not re.fullmatch(pattern, national):
        return "invalid"
    return "ambiguous"


def check_emails(frame: pl.DataFrame, column: str, *, required: bool) -> list[pl.DataFrame]:
    """no_email, invalid_email and duplicate_email rows for one email column."""
    values = frame.select(clean(pl.col(column))).to_series()
    out = []
    if required:
        out.append(_flag(frame, values.is_null(), "no_email", column))
    valid = email_validity(values)
    out.append(_flag(frame, valid.fill_null(True).not_(), "invalid_email", column))
    key = pl.when(valid).then(values.str.to_lowercase())
    dup = frame.select(key.is_duplicated() & key.is_not_null()).to_series()
    out.append(_flag(frame, dup, "duplicate_email", column))
    return out


def check_phones(frame: pl.DataFrame, column: str, region: str) -> list[pl.DataFrame]:
    """invalid_phone / ambiguous_phone rows (values Excel mangled are flagged separately).

    A cell may hold a list of phones (`(503) 555-8305, +7 916 543-91-48`): each piece is checked,
    and the cell takes the worst verdict of its pieces.
    """
    values = frame.select(clean(pl.col(column))).to_series()
    candidates = values.filter(values.is_not_null() & ~values.str.contains(RE_EXCEL_NUMBER))
    pieces = (
        pl.DataFrame({"cell": candidates})
        .unique()
        .with_columns(pl.col("cell").str.replace_all(";", ",").str.split(",").alias("piece"))
        .explode("piece", empty_as_null=True)
        .with_columns(pl.col("piece").str.strip_chars())
        .filter((pl.col("piece") != "") & ~pl.col("piece").str.contains(RE_EXCEL_NUMBER))
    )
    verdicts = phone_verdicts(pieces.get_column("piece"), region, phone_verdict)
    per_cell = pieces.join(verdicts, left_on="piece", right_on="value", how="left")
    bad = per_cell.filter(pl.col("verdict") == "invalid").get_column("cell").unique()
    unsure = per_cell.filter(pl.col("verdict") == "ambiguous").get_column("cell").unique()
    unsure = unsure.filter(~unsure.is_in(bad.implode()))
    return [
        _flag(frame, values.is_in(bad.implode()), "invalid_phone", column),
        _flag(frame, values.is_in(unsure.implode()), "ambiguous_phone", column),
    ]


def check_excel_numbers(frame: pl.DataFrame, columns: list[str]) -> list[pl.DataFrame]:
    """Long numbers Excel rewrote in scientific notation (4.15555E+09): digits are lost."""
    # On the raw cell, with the whitespace `clean` would strip: one pass per column, no copies.
    # A list cell (`4.15555E+09, +7 916 …`) counts when one of its pieces was mangled.
    number = RE_EXCEL_NUMBER.removeprefix("(?i)^").removesuffix("$")
    padded = r"(?i)(?:^|[,;])\s*" + number + r"\s*(?:[,;]|$)"
    hits = frame.select(pl.col(c).str.contains(padded).fill_null(False) for c in columns)
    return [
        _flag(frame, hits.get_column(c), "excel_mangled_number", c)
        for c in columns
        if hits.get_column(c).any()
    ]


def check_dates(frame: pl.DataFrame, column: str, kind: ColumnKind) -> list[pl.DataFrame]:
    """unparseable_date, and ambiguous_date where day and month could be swapped and the
    column's other values do not settle the order."""
    values = frame.select(clean(pl.col(column))).to_series()
    parsed = parse_dates(values, kind.formats or [f for f in MONTH_FIRST | DAY_FIRST])
    out = [_flag(frame, values.is_not_null() & parsed.is_null(), "unparseable_date", column)]
    if kind.day_first is None:
        parts = values.str.extract_groups(AMBIGUOUS_DATE)
        first = parts.struct.field("1").cast(pl.Int32, strict=False)
        second = parts.struct.field("2").cast(pl.Int32, strict=False)
        ambiguous = (first <= 12) & (second <= 12) & (first != second)
        out.append(_flag(frame, ambiguous.fill_null(False), "ambiguous_date", column))
    return out


def check_markers(frame: pl.DataFrame, column: str, kind: ColumnKind) -> list[pl.DataFrame]:
    """Bounced / unsubscribed / blacklisted / stale records, from a status-marker column."""
    values = frame.select(clean(pl.col(column))).to_series()
    if kind.kind in (Kind.DATE, Kind.DATETIME):
        parsed = parse_dates(values, kind.formats)
        newest = parsed.max()
        if newest is None:
            return []
        stale = parsed < newest - timedelta(days=STALE_AFTER_DAYS)  # type: ignore[operator]
        return [_flag(frame, stale.fill_null(False), f"stale:{column}", column)]
    if kind.kind == Kind.MULTI_SELECT:
        items = frame.select(split_list(clean(pl.col(column))).alias("v")).to_series()
        hit = items.list.eval(pl.element().str.contains(MARKER_WORDS.pattern)).list.any()
        return [_flag(frame, hit.fill_null(False), f"marker:{column}", column)]
    lowered = values.str.to_lowercase()
    hit = lowered.is_in(TRUTHY) | lowered.str.contains(MARKER_WORDS.pattern)
    return [_flag(frame, hit.fill_null(False), f"marker:{column}", column)]


def summarise_flags(flags: pl.DataFrame, rows: int) -> pl.DataFrame:
    """Per flag and column: how many rows, their share, and a few examples (file:line)."""
    if flags.height == 0:
        return pl.DataFrame(
            schema={
                "flag": pl.Utf8,
                "column": pl.Utf8,
                "rows": pl.UInt32,
                "share": pl.Float64,
                "examples": pl.List(pl.Utf8),
            }  # fmt: skip
        )
    return (
        flags.with_columns(
            pl.format("{}:{} {}", "_file", "_line", pl.col("value").fill_null("(empty)")).alias(
                "example"
            )
        )
        .group_by("flag", "column", maintain_order=True)
        .agg(pl.len().alias("rows"), pl.col("example").head(EXAMPLES).alias("examples"))
        .with_columns((pl.col("rows") / max(rows, 1)).round(4).alias("share"))
        .select("flag", "column", "rows", "share", "examples")
    )
