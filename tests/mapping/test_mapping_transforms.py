"""Each transform on ugly values: what it keeps, flags, or refuses."""

from __future__ import annotations

import pytest

from workbench.errors import MapValidationError
from workbench.mapping import register_transform, run_transform
from workbench.mapping.registry import Context, get_transform


def value(name, raw, options=None, ctx=None):
    out, flags, error = run_transform(name, raw, options, ctx)
    return out, flags, error


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  John@Example.COM ", "john@example.com"),
        ("mailto:a@b.com", "a@b.com"),
        ("John Doe <JD@x.org>", "jd@x.org"),
        ("ü@bücher.de", "ü@bücher.de"),
    ],
)
def test_email_normalises(raw, expected):
    assert value("email", raw)[0] == expected


@pytest.mark.parametrize(
    "raw", ["john@", "john at x.com", "a@@b.com", "x@hotmail,com", "Liam Smith@gmail.com"]
)
def test_email_invalid_says_why(raw):
    out, _, error = value("email", raw)
    assert out is None and "not an email address" in error


def test_email_several_in_one_cell_keeps_first_and_flags():
    out, flags, _ = value("email", "a@b.com; c@d.com")
    assert out == "a@b.com" and "c@d.com" in flags[0]


def test_phone_shapes_and_regions():
    assert value("phone", "(415) 555-2671")[0] == {
        "primaryPhoneNumber": "4155552671",
        "primaryPhoneCountryCode": "US",
        "primaryPhoneCallingCode": "+1",
    }
    assert value("phone", "0044 20 7946 0958")[0]["primaryPhoneCallingCode"] == "+44"
    assert value("phone", "20 7946 0958", {"region": "GB"})[0]["primaryPhoneCountryCode"] == "GB"
    assert value("phone", {"p": "20 7946 0958", "cc": "+44"})[0]["primaryPhoneCountryCode"] == "GB"


def test_phone_excel_recovered_only_when_no_digit_was_lost():
    out, flags, _ = value("phone", "4.155552671E+09")
    assert out["primaryPhoneNumber"] == "4155552671" and "Excel" in flags[0]
    out, _, error = value("phone", "4.15555E+09")
    assert out is None and "lost the last 4 digit" in error
    assert value("phone", "4155552671.0")[0]["primaryPhoneNumber"] == "4155552671"


@pytest.mark.parametrize("raw", ["12345", "call me", "+00000000"])
def test_phone_invalid(raw):
    assert value("phone", raw)[2] is not None


def test_phone_extension_dropped_with_flag():
    out, flags, _ = value("phone", "415-555-2671 x123")
    assert out["primaryPhoneNumber"] == "4155552671" and "extension 123" in flags[0]


def test_datetime_eastern_to_utc_and_layouts():
    east = {"timezone": "US/Eastern"}
    assert value("datetime", "2021-03-04 10:22:11", east)[0] == "2021-03-04T15:22:11.000Z"
    assert value("datetime", "2021-07-04 10:00:00", east)[0] == "2021-07-04T14:00:00.000Z"  # DST
    assert value("datetime", "2/15/2014 1:15:05 PM", east)[0] == "2014-02-15T18:15:05.000Z"
    assert value("datetime", "2021-03-04T10:22:11+03:00")[0] == "2021-03-04T07:22:11.000Z"
    assert value("date", "Jul 12, 2021")[0] == "2021-07-12"
    assert value("date", "16.03.2021")[0] == "2021-03-16"
    assert value("datetime", "0000-00-00 00:00:00")[0] is None


def test_excel_serial_dates_flagged():
    out, flags, _ = value("date", "44197")
    assert out == "2021-01-01" and flags == ["Excel serial date"]


def test_day_month_order_from_locale_and_flagged_when_contradicted():
    assert value("date", "03/04/2021")[0] == "2021-03-04"
    assert value("date", "03/04/2021", {"date_order": "DMY"})[0] == "2021-04-03"
    out, flags, _ = value("date", "13/04/2021")
    assert out == "2021-04-13" and "contradicts the export locale (MDY)" in flags[0]


def test_day_month_order_decided_by_the_column():
    t = get_transform("date")
    ctx = Context()
    opts = t.prepare(["25/12/2020", "13/01/2021", "03/04/2021"], {}, ctx)
    ctx.flags = []
    assert t.fn("03/04/2021", opts, ctx) == "2021-04-03"
    assert "ambiguous date read as DMY" in ctx.flags[0]


@pytest.mark.parametrize("raw", ["garbage", "2021-02-30", "1800-01-01", "12/31"])
def test_dates_invalid(raw):
    assert value("date", raw)[2] is not None


@pytest.mark.parametrize(
    ("raw", "micros", "code"),
    [
        ("$1,234.56", 1_234_560_000, "USD"),
        ("1.234,56 €", 1_234_560_000, "EUR"),
        ("EUR 1 234,56", 1_234_560_000, "EUR"),
        ("(12.00)", -12_000_000, "USD"),
        ("12 руб.", 12_000_000, "RUB"),
        ("1,5", 1_500_000, "USD"),
    ],
)
def test_currency(raw, micros, code):
    assert value("currency", raw)[0] == {"amountMicros": micros, "currencyCode": code}


def test_currency_from_second_column_and_invalid():
    assert value("currency", {"a": "10", "c": "gbp"})[0] == {
        "amountMicros": 10_000_000,
        "currencyCode": "GBP",
    }
    assert value("currency", "50-100")[2] is not None
    assert value("currency", "abc")[2] is not None


def test_split_normalises_and_dedupes():
    assert value("split", "VIP, vip;Hot Lead | hot  lead ,,")[0] == ["VIP", "Hot Lead"]
    assert value("split", "VIP Client; Newsletter", {"case": "option"})[0] == [
        "VIP_CLIENT",
        "NEWSLETTER",
    ]
    assert value("split", "N/A ")[0] == ["N/A"]  # N/A is removed before transforms, by the stage


def test_booleans():
    assert value("boolean", "Yes")[0] is True and value("boolean", "0")[0] is False
    assert "not a yes/no" in value("boolean", "maybe")[2]


def test_names_and_templates():
    assert value("name_split", "Smith, John")[0] == {"firstName": "John", "lastName": "Smith"}
    assert value("name_split", "Dr. John A. Smith", {"part": "last"})[0] == "Smith"
    assert value("join", {"a": "Ann", "b": None, "c": "Lee"})[0] == "Ann Lee"
    tmpl = {"template": "{product} – {date|date}", "fallback": "Sale"}
    assert (
        value("template", {"product": "Pro", "date": "2021-03-04 10:00:00"}, tmpl)[0]
        == "Pro – 2021-03-04"
    )
    assert value("template", {"product": None, "date": "2021-03-04"}, tmpl)[0] == "2021-03-04"
    assert value("template", {"product": None, "date": None}, tmpl)[0] == "Sale"


def test_truncation_flags():
    out, flags, _ = value("text", "x" * 30, {"max_length": 10})
    assert out == "x" * 10 and "truncated from 30 to 10" in flags[0]


def test_links_and_domains():
    assert value("domain", "WWW.Acme.com/about")[0] == {"primaryLinkUrl": "https://acme.com"}
    assert value("url", "@jdoe", {"handle_base": "https://x.com"})[0] == {
        "primaryLinkUrl": "https://x.com/jdoe"
    }
    assert value("email_domain", "x@gmail.com")[0] is None
    assert value("url", "not a link")[2] is not None


def test_register_transform_for_a_client_quirk():
    @register_transform("strip_hash_test", options={"keep"})
    def strip_hash(raw, options, ctx):
        return str(raw).lstrip("#")

    assert value("strip_hash_test", "#42")[0] == "42"
    with pytest.raises(MapValidationError, match="unknown transform"):
        get_transform("no_such_transform")
