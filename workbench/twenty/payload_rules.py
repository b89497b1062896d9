"""Twenty 1.7's checks that refuse a whole record for one value: phones and link URLs.

Two users: the emulator refuses with them, with the server's message; the loader runs them on
every body before a batch leaves, so a value Twenty would refuse is mended or dropped there and
the all-or-nothing batch does not split. Modelled on twenty @ d3a7241, packages/twenty-server/src/
engine/core-modules/record-transformer/ (utils/transform-phones-value.util.ts,
utils/remove-empty-links.ts, record-transformer.exception.ts) and packages/twenty-shared/src/utils/
(validation/phones-value/*, url/isValidUrl.ts, url/absoluteUrlSchema.ts, url/isValidHostname.ts).
libphonenumber-js is modelled with `phonenumbers` (both carry Google's metadata).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from workbench.errors import WorkbenchError

# libphonenumber-js getCountries(): every region with metadata ("001" is not a country)
COUNTRY_CODES = frozenset(phonenumbers.SUPPORTED_REGIONS)
_HOSTNAME = re.compile(
    r"^(((?!-))(xn--|_)?[a-z0-9-]{0,61}[a-z0-9]{1,1}\.){1,10}"
    r"(xn--)?([a-z0-9][a-z0-9-]{0,60}|[a-z0-9-]{1,30}\.[a-z]{2,})$"
)
_IPV4 = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")
_NUMERIC_HOST = re.compile(r"^\d+(?:/[a-zA-Z]*)?$")
_SCHEMES = ("http://", "https://", "HTTPS://", "HTTP://")


class PayloadRefused(WorkbenchError):
    """A value Twenty refuses the whole record for. `code` is the server's exception code."""

    def __init__(self, message: str, code: str, friendly: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.friendly = friendly


def _refuse(message: str, code: str, *, friendly: bool = True) -> PayloadRefused:
    return PayloadRefused(message, code, message if friendly else None)


def _filled(value: Any) -> bool:
    """isNonEmptyString."""
    return isinstance(value, str) and value != ""


def countries_for_calling_code(calling: str) -> list[str]:
    """getCountryCodesForCallingCode: the regions whose calling code is exactly `calling`."""
    digits = calling[1:] if calling.startswith("+") else calling
    if not digits.isdigit() or str(int(digits)) != digits:
        return []
    return [r for r in phonenumbers.region_codes_for_country_code(int(digits)) if r != "001"]


def check_codes(calling: Any, country: Any) -> None:
    """validatePrimaryPhoneCountryCodeAndCallingCode (transform-phones-value.util.ts)."""
    if _filled(country) and country not in COUNTRY_CODES:
        raise _refuse(f"Invalid country code {country}", "INVALID_PHONE_COUNTRY_CODE")
    if not _filled(calling):
        return
    expected = countries_for_calling_code(calling)
    if not expected:
        raise _refuse(f"Invalid calling code {calling}", "INVALID_PHONE_CALLING_CODE")
    if _filled(country) and country not in expected:
        raise _refuse(
            "Provided country code and calling code are conflicting",
            "CONFLICTING_PHONE_CALLING_CODE_AND_COUNTRY_CODE",
        )


def parse_number(number: str, calling: Any, country: Any) -> phonenumbers.PhoneNumber:
    """parsePhoneNumberExceptionWrapper: the number read with the given codes as defaults."""
    region = country if _filled(country) else None
    if region is None and _filled(calling):
        found = countries_for_calling_code(calling)
        region = phonenumbers.region_code_for_country_code(int(calling.lstrip("+")))
        region = region if region in found else (found[0] if found else None)
    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        raise _refuse(
            f"Provided phone number is invalid {number}", "INVALID_PHONE_NUMBER"
        ) from None


def inferred_country(parsed: phonenumbers.PhoneNumber, default: Any) -> str | None:
    """What the parser says the number's country is: the region whose ranges hold it, else the
    default country when it shares the number's calling code, else none."""
    region = phonenumbers.region_code_for_number(parsed)
    if region and region != "001":
        return region
    if _filled(default) and phonenumbers.country_code_for_region(default) == parsed.country_code:
        return default
    return None


def phone_country(number: phonenumbers.PhoneNumber, default_region: str) -> str | None:
    """The country code to send with `number` so Twenty accepts it: one that agrees with its
    calling code and with the country the server infers.

    The region whose ranges hold the number; for a number no range holds (a reserved or new
    range), the default region when it shares the calling code, else the calling code's main
    region. None for calling codes no country has (+800, +882…): Twenty refuses those codes.
    """
    region = phonenumbers.region_code_for_number(number)
    if region and region != "001":
        return region
    if (
        default_region
        and phonenumbers.country_code_for_region(default_region) == number.country_code
    ):
        return default_region
    main = phonenumbers.region_code_for_country_code(number.country_code)
    return main if main not in ("ZZ", "001") else None


def phone_parts(number: phonenumbers.PhoneNumber, default_region: str) -> dict[str, str]:
    """{number, countryCode, callingCode} Twenty accepts for a parsed number: the national number
    with codes that agree (phone_country); for a calling code of no country, the international
    form alone ({number}), since Twenty refuses such codes."""
    national = phonenumbers.national_significant_number(number)
    country = phone_country(number, default_region)
    if country is None:
        return {"number": f"+{number.country_code}{national}"}
    return {"number": national, "countryCode": country, "callingCode": f"+{number.country_code}"}


def check_phone(number: Any, calling: Any, country: Any) -> dict[str, Any]:
    """validateAndInferPhoneInput: refuse conflicts, infer missing codes, keep the national
    number. Keys left out mean "undefined" (the server drops them)."""
    check_codes(calling, country)
    if not _filled(number):
        return {
            k: v
            for k, v in (("callingCode", calling), ("countryCode", country), ("number", number))
            if v is not _MISSING
        }
    parsed = parse_number(number, calling, country)
    inferred = inferred_country(parsed, country)
    if inferred and _filled(country) and inferred != country:
        raise _refuse(
            "Provided and inferred country code are conflicting", "CONFLICTING_PHONE_COUNTRY_CODE"
        )
    if _filled(calling) and str(parsed.country_code) != calling.replace("+", ""):
        raise _refuse(
            "Provided and inferred calling code are conflicting", "CONFLICTING_PHONE_CALLING_CODE"
        )
    out: dict[str, Any] = {}
    final_country = inferred if country in (None, _MISSING) else country
    if final_country is not None:
        out["countryCode"] = final_country
    out["callingCode"] = f"+{parsed.country_code}" if calling in (None, _MISSING) else calling
    out["number"] = phonenumbers.national_significant_number(parsed)
    return out


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def check_phones(value: dict[str, Any]) -> dict[str, Any]:
    """transformPhonesValue: the PHONES composite as the server stores it, or PayloadRefused."""
    primary = check_phone(
        value.get("primaryPhoneNumber", _MISSING),
        value.get("primaryPhoneCallingCode", _MISSING),
        value.get("primaryPhoneCountryCode", _MISSING),
    )
    extra = value.get("additionalPhones")
    items = extra if isinstance(extra, list) else []
    checked = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        checked.append(
            check_phone(
                item.get("number", _MISSING),
                item.get("callingCode", _MISSING),
                item.get("countryCode", _MISSING),
            )
        )
    out: dict[str, Any] = {"additionalPhones": checked or None}
    for key, sub in (
        ("primaryPhoneCallingCode", "callingCode"),
        ("primaryPhoneCountryCode", "countryCode"),
        ("primaryPhoneNumber", "number"),
    ):
        if sub in primary:
            out[key] = primary[sub]
    return out


def is_valid_url(url: str) -> bool:
    """isValidUrl (absoluteUrlSchema): https:// is assumed; the host must look like a domain,
    localhost or an IPv4 address; a bare number is not a host."""
    text = url.strip()
    absolute = text if text.startswith(_SCHEMES) else f"https://{text}"
    bare = absolute
    for scheme in _SCHEMES:
        bare = bare.replace(scheme, "", 1)
    if _NUMERIC_HOST.match(bare):
        return False
    try:
        parts = urlsplit(absolute)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a bad port is a parse error, as in WHATWG URL
    except ValueError:
        return False
    if not host or any(c in host for c in " <>\\^|%\"'`{}"):
        return False
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return bool(_HOSTNAME.match(host)) or host == "localhost" or bool(_IPV4.match(host))


def check_links(value: dict[str, Any]) -> None:
    """removeEmptyLinks: every non-empty URL, primary and secondary, must be valid."""
    urls = [value.get("primaryLinkUrl")]
    for link in value.get("secondaryLinks") or []:
        urls.append(link.get("url") if isinstance(link, dict) else None)
    for url in urls:
        if _filled(url) and not is_valid_url(url):
            raise _refuse("The URL of the link is not valid", "INVALID_URL", friendly=False)
