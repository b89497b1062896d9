"""Phones are staged in a form Twenty 1.7 accepts: the country code always agrees with the
number's calling code (twenty-server transform-phones-value.util.ts, via payload_rules)."""

from __future__ import annotations

import pytest

from workbench.mapping.registry import Context, get_transform
from workbench.twenty.payload_rules import PayloadRefused, check_phones


def staged(transform: str, raw, options: dict | None = None, region: str = "US"):
    ctx = Context(region=region)
    out = get_transform(transform).fn(raw, options or {}, ctx)
    return out, ctx.flags


def accepted(phones: dict) -> dict:
    """What Twenty stores for `phones`; fails the test where Twenty would refuse the record."""
    try:
        return check_phones(phones)
    except PayloadRefused as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(f"Twenty refuses {phones}: {exc.message}")


@pytest.mark.parametrize(
    ("raw", "country", "calling"),
    [
        ({"p": "7700900557", "cc": "44"}, "GB", "+44"),  # the Kartra case: reserved UK range
        ({"p": "7700900557", "cc": "+44"}, "GB", "+44"),
        ("+44 7700 900557", "GB", "+44"),
        ("00447700900347", "GB", "+44"),
        ("+1 416 555 0123", "CA", "+1"),  # a Toronto number is CA, not the default US
        ("(202) 555-0100", "US", "+1"),  # reserved US range read in the default region
        ("+7 916 543-91-48", "RU", "+7"),
        ("+33 6 12 34 56 78", "FR", "+33"),
    ],
)
def test_country_code_agrees_with_the_calling_code(raw, country, calling) -> None:
    out, _ = staged("phone", raw)
    assert (out["primaryPhoneCountryCode"], out["primaryPhoneCallingCode"]) == (country, calling)
    assert accepted(out)["primaryPhoneCountryCode"] == country


def test_default_region_only_decides_numbers_without_a_prefix() -> None:
    out, _ = staged("phone", "20 7946 0958", region="GB")
    assert out["primaryPhoneCountryCode"] == "GB"
    out, _ = staged("phone", "+1 202 555 0100", region="GB")
    assert (out["primaryPhoneCountryCode"], out["primaryPhoneCallingCode"]) == ("US", "+1")


def test_a_calling_code_of_no_country_is_sent_without_codes_and_flagged() -> None:
    out, flags = staged("phone", "+800 1234 5678")
    assert out == {"primaryPhoneNumber": "+80012345678"}
    assert "no country" in flags[0]
    stored = accepted(out)
    assert stored["primaryPhoneCallingCode"] == "+800" and "primaryPhoneCountryCode" not in stored


def test_additional_phones_agree_too() -> None:
    out, _ = staged("phone_list", "+44 7700 900557; (202) 555-0100; +800 1234 5678")
    assert out["additionalPhones"] == [
        {"number": "2025550100", "countryCode": "US", "callingCode": "+1"},
        {"number": "+80012345678"},
    ]
    accepted(out)
