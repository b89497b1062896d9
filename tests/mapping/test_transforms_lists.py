"""phone_list and options_from_columns: several values into one composite or multi-select."""

from __future__ import annotations

from workbench.mapping import run_transform

CHANNELS = {
    "option_of": {"sub_email": "EMAIL", "sub_sms": "SMS", "sub_push": "PUSH"},
    "on_values": ["subscribed"],
    "off_values": ["unsubscribed", "bounced", "suppressed"],
}


def test_phone_list_primary_then_additional():
    out, flags, error = run_transform("phone_list", "(503) 555-8305, +7 916 543-91-48")
    assert error is None and not flags
    assert out["primaryPhoneNumber"] == "5035558305" and out["primaryPhoneCallingCode"] == "+1"
    assert out["additionalPhones"] == [
        {"number": "9165439148", "countryCode": "RU", "callingCode": "+7"}
    ]


def test_phone_list_over_columns_dedupes_and_flags_bad_pieces():
    out, flags, error = run_transform(
        "phone_list", {"phone": "+49 30 12349937", "mobile": "0049 30 12349937; call me"}
    )
    assert error is None and "additionalPhones" not in out
    assert out["primaryPhoneCountryCode"] == "DE"
    assert len(flags) == 1 and "call me" in flags[0] and "left out" in flags[0]


def test_phone_list_region_reads_numbers_without_country_code():
    out, _, _ = run_transform("phone_list", "8 916 543-91-48", {"region": "RU"})
    assert out["primaryPhoneCallingCode"] == "+7"


def test_phone_list_nothing_valid_is_invalid():
    out, _, error = run_transform("phone_list", "call me, 12345")
    assert out is None and "call me" in error and "12345" in error
    assert run_transform("phone_list", {"phone": None, "mobile": ""})[0] is None


def test_options_from_columns_takes_only_on_values():
    cells = {"sub_email": "Subscribed", "sub_sms": "bounced", "sub_push": "subscribed"}
    out, flags, error = run_transform("options_from_columns", cells, CHANNELS)
    assert out == ["EMAIL", "PUSH"] and not flags and error is None
    out, flags, _ = run_transform(
        "options_from_columns", {"sub_email": "unsubscribed", "sub_sms": None}, CHANNELS
    )
    assert out is None and not flags


def test_options_from_columns_flags_unknown_status_and_refuses_unmapped_column():
    out, flags, _ = run_transform("options_from_columns", {"sub_push": "maybe"}, CHANNELS)
    assert out is None and "unknown status 'maybe' in sub_push" in flags[0]
    _, _, error = run_transform("options_from_columns", {"other": "subscribed"}, CHANNELS)
    assert "no option given for column 'other'" in error
