"""Phone verdicts for a whole column at once, the same as `phone_verdict` value by value.

phonenumbers spends ~50 µs on each value and an export can hold a million distinct phones, so
values written with digits and plain punctuation only (`(415) 555-0100`, `+44 20 7946 0018`,
`8 912 345-67-89`) are decided here with polars expressions built from phonenumbers' own
metadata — its international and national prefixes, national-number patterns and possible
lengths — following the steps of `phonenumbers.parse`, `is_valid_number` and
`is_possible_number`. Everything else (letters, extensions, other characters, country codes
whose metadata holds a rule these expressions do not cover, or too few values to be worth it)
goes to `phone_verdict` one distinct value at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import phonenumbers
import polars as pl
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

# phonenumbers' own length test, used to tabulate its answer for every length of national number
from phonenumbers.phonenumberutil import ValidationResult, _test_number_length

# An optional leading "+", then digits and plain punctuation only (no "+" after the first one):
# phonenumbers reads such a value as its digits, nothing else (no extension, no letters).
PLAIN = r"^\+?[ ().\-/]*[0-9][0-9 ().\-/]*$"
MAX_INPUT_CHARS = 250  # phonenumbers refuses longer strings outright
MIN_DIGITS, MAX_DIGITS = 3, 17  # outside these the value goes to phonenumbers itself
MIN_NSN = 2
MIN_GROUP = 50  # fewer values of one country code than this: phonenumbers one by one
COUNTRY_CODES = phonenumbers.COUNTRY_CODE_TO_REGION_CODE
NO_LENGTH = (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
             ValidationResult.INVALID_LENGTH)  # fmt: skip
TYPE_DESCS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
              "uan", "voicemail", "fixed_line")  # fmt: skip

Verdict = Callable[[str, str], str]
GROUP_SCHEMA = {"value": pl.Utf8, "cc": pl.Int32, "national": pl.Utf8, "home": pl.Boolean}


class _Unsupported(Exception):
    """This metadata needs something the bulk expressions do not do: use phonenumbers."""


def phone_verdicts(
    values: pl.Series, region: str, one_by_one: Verdict, *, min_group: int = MIN_GROUP
) -> pl.DataFrame:
    """`value` → `verdict` for each distinct non-null value; `one_by_one(value, region)` decides
    what the bulk rules cannot, and country codes with fewer than `min_group` values."""
    distinct = values.drop_nulls().unique()
    decided: list[pl.DataFrame] = []
    rest: list[pl.Series] = []
    meta = PhoneMetadata.metadata_for_region(region.upper(), None)
    if meta is None:
        rest.append(distinct)
    else:
        try:
            numbers, other = _national_or_international(distinct, meta)
        except _Unsupported:  # the region's dialling prefix is beyond polars' regex engine
            numbers, other = pl.DataFrame(schema=GROUP_SCHEMA), distinct
        rest.append(other)
        for (cc, home), group in numbers.partition_by("cc", "home", as_dict=True).items():
            try:
                if group.height < min_group:
                    raise _Unsupported
                if cc is None:  # no known country code after + or the dialling prefix
                    decided.append(group.select("value", pl.lit("invalid").alias("verdict")))
                    continue
                strip_meta = meta if home else _main_metadata(int(cc))  # type: ignore[arg-type]
                decided.append(_decide(group, int(cc), strip_meta))  # type: ignore[arg-type]
            except _Unsupported:
                rest.append(group.get_column("value"))
    leftovers = pl.concat(rest).to_list() if rest else []
    decided.append(
        pl.DataFrame(
            {"value": leftovers, "verdict": [one_by_one(v, region) for v in leftovers]},
            schema={"value": pl.Utf8, "verdict": pl.Utf8},
        )
    )
    return pl.concat(decided)


# ---------------------------------------------------------------- parsing: country code + number


def _national_or_international(
    values: pl.Series, meta: PhoneMetadata
) -> tuple[pl.DataFrame, pl.Series]:
    """Plain values as (value, cc, national number, home); `home` rows keep the default
    region's metadata, the others their country's. Invalid ones already carry their verdict."""
    text = pl.col("value")
    text = pl.when(text.str.starts_with("00")).then("+" + text.str.slice(2)).otherwise(text)
    frame = pl.DataFrame({"value": values}).with_columns(text.alias("text"))
    plain = pl.col("text").str.contains(PLAIN) & (pl.col("text").str.len_chars() <= MAX_INPUT_CHARS)
    frame = frame.with_columns(pl.col("text").str.replace_all("[^0-9]", "").alias("digits"))
    size = pl.col("digits").str.len_bytes()
    ok = plain & size.is_between(MIN_DIGITS, MAX_DIGITS)
    other = frame.filter(~ok).get_column("value")
    frame = frame.filter(ok).with_columns(pl.col("text").str.starts_with("+").alias("plus"))

    idd = _prefix(pl.col("digits"), meta.international_prefix)
    after = pl.col("digits").str.slice(idd.str.len_bytes())
    via_idd = ~pl.col("plus") & idd.is_not_null() & ~after.str.starts_with("0")
    intl = pl.when(pl.col("plus")).then(pl.col("digits")).when(via_idd).then(after)
    frame = frame.with_columns(intl.alias("intl"))

    abroad = _country_code(frame.filter(pl.col("intl").is_not_null()))
    national = frame.filter(pl.col("intl").is_null())
    try:
        home = _default_country(national, meta)
    except _Unsupported:
        return abroad, pl.concat([other, national.get_column("value")])
    return pl.concat([abroad, home]), other


def _country_code(frame: pl.DataFrame) -> pl.DataFrame:
    """A number written with + or the dialling prefix: its country code and the digits after."""
    intl = pl.col("intl")
    codes = [str(c) for c in COUNTRY_CODES]
    cc = (
        pl.when(intl.str.starts_with("0") | (intl.str.len_bytes() <= MIN_NSN))
        .then(None)
        .when(intl.str.slice(0, 1).is_in(codes))
        .then(intl.str.slice(0, 1))
        .when(intl.str.slice(0, 2).is_in(codes))
        .then(intl.str.slice(0, 2))
        .when(intl.str.slice(0, 3).is_in(codes))
        .then(intl.str.slice(0, 3))
    )
    return frame.select(
        "value",
        cc.cast(pl.Int32).alias("cc"),
        intl.str.slice(cc.str.len_bytes()).alias("national"),
        pl.lit(False).alias("home"),
    )


def _default_country(frame: pl.DataFrame, meta: PhoneMetadata) -> pl.DataFrame:
    """A number without + or dialling prefix: in the default region, unless it starts with that
    region's country code and reads better without it (`_maybe_extract_country_code`)."""
    digits = pl.col("digits")
    code = str(meta.country_code)
    rest = digits.str.slice(len(code))
    stripped = _strip_national_prefix(rest, meta)
    general = meta.general_desc.national_number_pattern
    too_long = _length_result(digits.str.len_bytes(), meta) == int(ValidationResult.TOO_LONG)
    takes_code = digits.str.starts_with(code) & (
        (~_full_match(digits, general) & _full_match(stripped, general)) | too_long
    )
    return frame.select(
        "value",
        pl.lit(meta.country_code, pl.Int32).alias("cc"),
        pl.when(takes_code).then(stripped).otherwise(digits).alias("national"),
        (~takes_code | (_main_metadata(meta.country_code) is meta)).alias("home"),
    )


def _decide(group: pl.DataFrame, cc: int, strip_meta: PhoneMetadata | None) -> pl.DataFrame:
    """Verdicts of one country code's numbers (`parse`'s last steps, then validity)."""
    if strip_meta is None:
        raise _Unsupported
    national = pl.col("national")
    stripped = _strip_national_prefix(national, strip_meta)
    keeps = _length_result(stripped.str.len_bytes(), strip_meta).is_in([int(r) for r in NO_LENGTH])
    frame = group.select(
        "value",
        national.str.len_bytes().alias("before"),
        pl.when(keeps).then(national).otherwise(stripped).alias("nsn"),
    )
    size = pl.col("nsn").str.len_bytes()
    too_short = (pl.col("before") < MIN_NSN) | (size < MIN_NSN)
    main = _main_metadata(cc)
    if main is None:
        raise _Unsupported
    possible = size.is_in(_possible_lengths(cc))
    general = main.general_desc.national_number_pattern
    fits = _full_match(pl.col("nsn"), general) if general else pl.lit(True)
    frame = frame.with_columns(_valid(frame.get_column("nsn"), cc).alias("valid"))
    verdict = (
        pl.when(too_short)
        .then(pl.lit("invalid"))
        .when(pl.col("valid"))
        .then(pl.lit("valid"))
        .when(~possible | ~fits)
        .then(pl.lit("invalid"))
        .otherwise(pl.lit("ambiguous"))
    )
    return frame.select("value", verdict.alias("verdict"))


# ---------------------------------------------------------------- validity and length


def _valid(nsn: pl.Series, cc: int) -> pl.Series:
    """`is_valid_number`: the region the number belongs to (the first, in phonenumbers' order,
    whose leading digits or number types claim it) recognises it as some type of number."""
    regions = COUNTRY_CODES[cc]
    if len(regions) == 1:
        meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, regions[0])
        known = _known_type(pl.col("nsn"), meta) if meta is not None else pl.lit(False)
        return pl.DataFrame({"nsn": nsn}).select(known).to_series()
    valid = pl.Series("valid", [False] * nsn.len())
    pending = pl.DataFrame({"nsn": nsn}).with_row_index("_i")
    for region in regions:  # each region only sees the numbers no earlier region claimed
        meta = PhoneMetadata.metadata_for_region(region.upper(), None)
        if meta is None or pending.height == 0:
            continue
        known = _known_type(pl.col("nsn"), meta)
        claims = (
            _prefix(pl.col("nsn"), meta.leading_digits).is_not_null()
            if meta.leading_digits
            else known
        )
        judged = pending.with_columns(claims.alias("claims"), known.alias("known"))
        hits = judged.filter(pl.col("claims") & pl.col("known")).get_column("_i")
        valid = valid.scatter(hits, True)
        pending = judged.filter(~pl.col("claims")).select("_i", "nsn")
    return valid


def _known_type(nsn: pl.Expr, meta: PhoneMetadata) -> pl.Expr:
    """`_number_type_helper(nsn, meta) != UNKNOWN`."""
    descs = [getattr(meta, name) for name in TYPE_DESCS]
    if not meta.same_mobile_and_fixed_line_pattern:
        descs.append(meta.mobile)
    matches = [_desc_match(nsn, d) for d in descs if d is not None]
    return _desc_match(nsn, meta.general_desc) & pl.any_horizontal(matches or [pl.lit(False)])


def _desc_match(nsn: pl.Expr, desc: PhoneNumberDesc | None) -> pl.Expr:
    """`_is_number_matching_desc`: a possible length for the description, and its pattern."""
    if desc is None or not desc.national_number_pattern:
        return pl.lit(False)
    fits = _full_match(nsn, desc.national_number_pattern)
    if desc.possible_length:
        return nsn.str.len_bytes().is_in(list(desc.possible_length)) & fits
    return fits


@lru_cache(maxsize=1024)
def _possible_lengths(cc: int) -> list[int]:
    """Lengths of national number that `is_possible_number` accepts for this country code."""
    return [
        n
        for n in range(MIN_NSN, MAX_DIGITS + 1)
        if phonenumbers.is_possible_number(
            phonenumbers.PhoneNumber(country_code=cc, national_number=int("1" * n))
        )
    ]


def _length_result(size: pl.Expr, meta: PhoneMetadata) -> pl.Expr:
    """`_test_number_length` for a national number of this many digits."""
    table = {n: int(_test_number_length("1" * n, meta)) for n in range(MAX_DIGITS + 1)}
    return size.replace_strict(table, default=None, return_dtype=pl.Int32)


def _main_metadata(cc: int) -> PhoneMetadata | None:
    return PhoneMetadata.metadata_for_region_or_calling_code(
        cc, phonenumbers.region_code_for_country_code(cc)
    )


# ---------------------------------------------------------------- patterns


def _strip_national_prefix(number: pl.Expr, meta: PhoneMetadata) -> pl.Expr:
    """`_maybe_strip_national_prefix_carrier_code`, for metadata without a transform rule."""
    prefix_rule = meta.national_prefix_for_parsing
    if not prefix_rule:
        return number
    if meta.national_prefix_transform_rule:
        raise _Unsupported
    prefix = _prefix(number, prefix_rule)
    rest = number.str.slice(prefix.str.len_bytes())
    general = meta.general_desc.national_number_pattern
    keep = prefix.is_null() | (_full_match(number, general) & ~_full_match(rest, general))
    return pl.when(keep).then(number).otherwise(rest)


def _prefix(text: pl.Expr, pattern: str | None) -> pl.Expr:
    """What `re.match(pattern, text)` matches (null when it does not)."""
    if not pattern:
        return pl.lit(None, pl.Utf8)
    return text.str.extract(_checked(f"^({pattern})"), 1)


def _full_match(text: pl.Expr, pattern: str | None) -> pl.Expr:
    """`re.fullmatch(pattern, text)`; phonenumbers treats a missing pattern as no match."""
    if not pattern:
        return pl.lit(False)
    return text.str.contains(_checked(f"^(?:{pattern})$"))


@lru_cache(maxsize=4096)
def _checked(pattern: str) -> str:
    """The pattern, if polars' regex engine accepts it."""
    try:
        pl.Series(["0"]).str.contains(pattern)
    except pl.exceptions.PolarsError as exc:
        raise _Unsupported from exc
    return pattern
