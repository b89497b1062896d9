"""Emails, phone numbers and links, in the shapes Twenty stores them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from workbench.mapping.registry import Context, Invalid, register_transform
from workbench.twenty.payload_rules import phone_parts

# A strict subset of valid addresses that needs no full check: the common case, fast.
_PLAIN_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$"
)
_SPECIAL_TLDS = ("test", "local", "localhost", "invalid", "onion", "arpa", "example")
_SEPARATORS = re.compile(r"[,;\s]+")
FREE_MAIL = {
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
    "aol.com", "icloud.com", "me.com", "mail.ru", "yandex.ru", "ya.ru", "gmx.de", "gmx.net",
    "web.de", "protonmail.com", "proton.me", "msn.com", "comcast.net", "bk.ru", "inbox.ru",
}  # fmt: skip


def normalise_email(text: str) -> str:
    """Lower-cased address, validated; raises Invalid with email-validator's reason."""
    candidate = text.strip().strip(".,;").lower()
    if len(candidate) <= 254 and _PLAIN_EMAIL.match(candidate):
        if candidate.rsplit(".", 1)[-1] not in _SPECIAL_TLDS and len(candidate.split("@")[0]) <= 64:
            return candidate
    try:
        info = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(f"{text!r} is not an email address: {exc}") from exc
    return info.normalized.lower()


@register_transform("email", options=set())
def email(value: Any, options: dict[str, Any], ctx: Context) -> str | None:
    """An email address: 'mailto:', 'Name <a@b>' and spaces removed, lower-cased, validated.

    A cell holding several addresses keeps the first valid one and flags the others.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    bracket = re.search(r"<([^<>]+@[^<>]+)>", text)
    if bracket:
        text = bracket.group(1)
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) > 1 and all("@" in p for p in parts):
        first, *rest = parts
        out = normalise_email(first)
        ctx.flag(f"more than one email in the cell; kept {out}, not {', '.join(rest)}")
        return out
    return normalise_email(text)


def _unexcel(text: str, ctx: Context) -> str:
    """Undo Excel's number formatting of phone numbers, where no digit was lost."""
    sci = re.fullmatch(r"\+?(\d)(?:[.,](\d+))?[eE]\+?(\d{1,2})", text)
    if sci:
        mantissa = sci.group(1) + (sci.group(2) or "")
        exponent = int(sci.group(3))
        if len(mantissa) > exponent + 1:
            raise Invalid(f"{text!r}: a fraction in scientific notation is not a phone number")
        if len(mantissa) < exponent + 1:
            raise Invalid(
                f"{text!r}: Excel scientific notation lost the last "
                f"{exponent + 1 - len(mantissa)} digit(s)"
            )
        ctx.flag(f"phone recovered from Excel notation {text!r}")
        return str(int(Decimal(text.replace(",", "."))))
    if re.fullmatch(r"\d{6,15}\.0+", text):
        ctx.flag(f"phone recovered from Excel number {text!r}")
        return text.split(".")[0]
    return text


def _region_from(code: str | None, default: str) -> tuple[str, str | None]:
    """(region, calling-code prefix) from a country-code cell: '1', '+44', 'GB', '0049'."""
    if not code or not code.strip():
        return default, None
    code = code.strip()
    if re.fullmatch(r"[A-Za-z]{2}", code):
        return code.upper(), None
    digits = re.sub(r"\D", "", code).lstrip("0")
    if digits.isdigit() and phonenumbers.region_code_for_country_code(int(digits)) != "ZZ":
        return phonenumbers.region_code_for_country_code(int(digits)), digits
    return default, None


@register_transform("phone", options={"region", "strict"}, multi=True)
def phone(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, str] | None:
    """A phone (optionally with a country-code column after it) → Twenty's PHONES shape.

    Numbers without a country code are read in `region`; Excel's 4.155550123E+09 is recovered
    when every digit survived; extensions are dropped with a flag. Numbers of a possible length
    that no operator range holds are accepted unless `strict`.
    """
    cells = list(value.values()) if isinstance(value, dict) else [value]
    text = str(cells[0]).strip() if cells and cells[0] is not None else ""
    if not text:
        return None
    region, calling = _region_from(
        str(cells[1]) if len(cells) > 1 and cells[1] is not None else None,
        options.get("region", ctx.region),
    )
    text = _unexcel(text, ctx)
    if text.startswith("00"):
        text = "+" + text[2:]
    if calling and not text.startswith("+"):
        digits = re.sub(r"\D", "", text)
        text = "+" + (
            digits if digits.startswith(calling) and len(digits) > 10 else calling + digits
        )
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise Invalid(f"{text!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(number):
        # Reserved ranges (555-01xx, UK 07700 900xxx) are possible but not "valid"; they are
        # real-looking numbers a CRM holds, so only `strict` refuses them.
        if not options.get("strict") and phonenumbers.is_possible_number(number):
            pass
        else:
            where = phonenumbers.region_code_for_number(number) or region
            raise Invalid(f"{text!r} is not a valid phone number ({where})")
    if number.extension:
        ctx.flag(f"extension {number.extension} dropped")
    return phone_value(number, region, ctx)


def phone_value(
    number: phonenumbers.PhoneNumber, default_region: str, ctx: Context
) -> dict[str, str]:
    """PHONES for a parsed number, in a form Twenty accepts (payload_rules.check_phone): the
    national number with a country code and calling code that agree. A number whose calling code
    belongs to no country goes in international form with no codes, flagged."""
    parts = phone_parts(number, default_region)
    if "countryCode" not in parts:
        national = phonenumbers.national_significant_number(number)
        ctx.flag(
            f"phone +{number.country_code} {national} has a calling code of no country; "
            "sent without country and calling code"
        )
        return {"primaryPhoneNumber": parts["number"]}
    return {
        "primaryPhoneNumber": parts["number"],
        "primaryPhoneCountryCode": parts["countryCode"],
        "primaryPhoneCallingCode": parts["callingCode"],
    }


def _url(text: str, host_only: bool) -> str:
    raw = text.strip()
    if not raw:
        raise Invalid("empty link")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        raw = "https://" + raw.lstrip("/")
    try:
        parts = urlsplit(raw)
    except ValueError as exc:
        raise Invalid(f"{text!r} is not a link ({exc})") from exc
    host = (parts.hostname or "").lower()
    if " " in raw.strip() or "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        raise Invalid(f"{text!r} is not a link")
    if host_only:
        return host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{host}{path}{query}"


@register_transform("url", options={"handle_base"})
def url(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, str] | None:
    """A web address → LINKS {primaryLinkUrl}; https:// added when missing, host lower-cased.

    With `handle_base` (e.g. https://x.com/), a bare '@handle' becomes a profile link.
    """
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    base = options.get("handle_base")
    if base and re.fullmatch(r"@?[A-Za-z0-9_.]{1,50}", text) and "." not in text.lstrip("@")[:1]:
        if text.startswith("@") or "." not in text:
            return {"primaryLinkUrl": str(base).rstrip("/") + "/" + text.lstrip("@")}
    return {"primaryLinkUrl": _url(text, host_only=False)}


@register_transform("domain", options=set())
def domain(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, str] | None:
    """A website → the company domain (host without www., as https://host), Twenty's key."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if "@" in text and "/" not in text:
        text = text.rsplit("@", 1)[1]
    return {"primaryLinkUrl": "https://" + _url(text, host_only=True)}


@register_transform("email_domain", options={"keep_free_mail"})
def email_domain(value: Any, options: dict[str, Any], ctx: Context) -> dict[str, str] | None:
    """The domain of an email address, as a company domain; free-mail domains are skipped."""
    if value is None or "@" not in str(value):
        return None
    host = str(value).strip().rsplit("@", 1)[1].strip(" >.").lower()
    if host in FREE_MAIL and not options.get("keep_free_mail"):
        return None
    try:
        return {"primaryLinkUrl": "https://" + _url(host, host_only=True)}
    except Invalid:
        ctx.flag(f"no domain taken from {value!r}")
        return None
