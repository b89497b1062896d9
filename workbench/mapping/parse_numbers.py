"""Numbers and money: symbols, thousands separators, decimal commas → Twenty's shapes."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from workbench.mapping.registry import Context, Invalid, register_transform

SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "руб": "RUB",
    "р.": "RUB", "₹": "INR", "₴": "UAH", "₸": "KZT", "C$": "CAD", "A$": "AUD", "CHF": "CHF",
    "zł": "PLN", "kr": "SEK", "R$": "BRL",
}  # fmt: skip
_DOLLAR_CURRENCIES = {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


def parse_decimal(text: str, decimal_comma: bool) -> Decimal:
    """'1,234.56', '1.234,56', '1 234,5', "1'234", '(12.00)', '12-' → Decimal."""
    raw = re.sub(r"[\s\u00a0\u202f]+", "", text)
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1], True
    if raw[:1] in "-+" and raw:
        raw, negative = raw[1:], negative or raw[0] == "-"
    elif raw.endswith("-"):
        raw, negative = raw[:-1], True
    body = re.sub(r"['’]", "", raw)
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", body):
        raise Invalid(f"{text!r} is not a number")
    if "," in body and "." in body:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        body = body.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in body:
        grouped = re.fullmatch(r"\d{1,3}(,\d{3})+", body)
        body = body.replace(",", "") if grouped and not decimal_comma else body.replace(",", ".")
        if body.count(".") > 1:
            raise Invalid(f"{text!r}: several decimal commas")
    elif "." in body:
        grouped = re.fullmatch(r"\d{1,3}(\.\d{3})+", body)
        if body.count(".") > 1 or (grouped and decimal_comma):
            if not grouped:
                raise Invalid(f"{text!r}: dots in odd places")
            body = body.replace(".", "")
    try:
        number = Decimal(body)
    except InvalidOperation as exc:
        raise Invalid(f"{text!r} is not a number") from exc
    return -number if negative else number


def _decimal_comma(options: dict[str, Any], ctx: Context) -> bool:
    return bool(options.get("decimal_comma", ctx.decimal_comma))


@register_transform("number", options={"decimal_comma", "integer", "min", "max"})
def number(value: Any, options: dict[str, Any], ctx: Context) -> int | float | None:
    """A number with any separators ('1 234,5', '12%') → int or float; `integer` rounds."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().rstrip("%").strip()
    parsed = parse_decimal(text, _decimal_comma(options, ctx))
    if "min" in options and parsed < Decimal(str(options["min"])):
        raise Invalid(f"{value!r} is below {options['min']}")
    if "max" in options and parsed > Decimal(str(options["max"])):
        raise Invalid(f"{value!r} is above {options['max']}")
    if options.get("integer"):
        whole = int(parsed.to_integral_value(ROUND_HALF_UP))
        if whole != parsed:
            ctx.flag(f"{value!r} rounded to {whole}")
        return whole
    return int(parsed) if parsed == parsed.to_integral_value() else float(parsed)


def split_money(text: str, default: str) -> tuple[str, str]:
    """(amount text, ISO currency) from '$1,200.50', '1.200,50 €', 'EUR 12', '12 руб.'."""
    code = None
    rest = text
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        if symbol in rest:
            code = SYMBOLS[symbol]
            if code == "USD" and symbol == "$" and default in _DOLLAR_CURRENCIES:
                code = default
            rest = rest.replace(symbol, " ")
            break
    match = _CODE.search(rest)
    if match:
        code = match.group(1)
        rest = rest[: match.start()] + " " + rest[match.end() :]
    return rest.strip(), (code or default)


@register_transform("currency", options={"currency", "decimal_comma"}, multi=True)
def currency(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, Any] | None:
    """An amount (optionally with a currency column after it) → {amountMicros, currencyCode}."""
    cells = list(value.values()) if isinstance(value, dict) else [value]
    text = str(cells[0]).strip() if cells and cells[0] is not None else ""
    if not text:
        return None
    default = str(options.get("currency", ctx.currency)).upper()
    if len(cells) > 1 and cells[1] and str(cells[1]).strip():
        given = str(cells[1]).strip()
        default = SYMBOLS.get(given, given.upper())
    amount_text, code = split_money(text, default)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Invalid(f"{code!r} is not an ISO currency code")
    amount = parse_decimal(amount_text, _decimal_comma(options, ctx))
    micros = int((amount * 1_000_000).to_integral_value(ROUND_HALF_UP))
    return {"amountMicros": micros, "currencyCode": code}
