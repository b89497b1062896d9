"""Source names become names Twenty accepts (FACTS 45), deterministically."""

from __future__ import annotations

import re

import pytest

from workbench.twenty.names import (
    RESERVED_NAMES,
    SYSTEM_FIELD_NAMES,
    field_name,
    field_names,
    is_valid_name,
    is_valid_option_value,
    label,
    object_names,
    option_value,
)

TWENTY_NAME = re.compile(r"^[a-z][a-zA-Z0-9]*$")


@pytest.mark.parametrize(
    "source, expected",
    [
        ("altcraft_profile_id__c", "altcraftProfileId"),
        ("Custom Field 3", "customField3"),
        ("GDPR Status", "gdprStatus"),
        ("1st purchase", "field1stPurchase"),
        ("Città", "citta"),
        ("sm_contact_id__c", "smContactId"),
        ("SmContact", "smContact"),
        ("leadScore", "leadScore"),
        ("HTTPStatus", "httpStatus"),
        ("E-mail address", "eMailAddress"),
        ("Über-Größe", "uberGrosse"),
        ("Date Joined (UTC)", "dateJoinedUtc"),
        ("type", "typeCustom"),
        ("name", "nameCustom"),
        ("id", "idCustom"),
        ("createdAt", "createdAtCustom"),
        ("Created At", "createdAtCustom"),
        ("currency", "currencyCustom"),
        ("", "customField"),
        ("???", "customField"),
        ("123", "field123"),
    ],
)
def test_source_names_translate(source: str, expected: str) -> None:
    assert field_name(source) == expected
    assert is_valid_name(expected)


WEIRD = [
    "Ünïcödé ÑAME",
    "顧客番号",
    "🙂 emoji field",
    "a" * 200,
    "x__c",
    "__init__",
    "A.B.C",
    "tab\tname",
    "9" * 70,
]


@pytest.mark.parametrize("source", WEIRD)
def test_every_translation_is_valid(source: str) -> None:
    name = field_name(source)
    assert TWENTY_NAME.match(name) and len(name) <= 63
    assert name not in RESERVED_NAMES | SYSTEM_FIELD_NAMES


def test_long_names_are_cut_and_collisions_get_counters() -> None:
    long_a = "very long field name " * 5 + "alpha"
    long_b = "very long field name " * 5 + "beta"
    got = field_names([long_a, long_b, "Email", "email", "E-mail", "e_mail"], taken=["email"])
    assert len(got[long_a]) == 63 and got[long_b] == got[long_a][:62] + "2"
    assert got["Email"] == "email2" and got["email"] == "email3"
    assert got["E-mail"] == "eMail" and got["e_mail"] == "eMail2"
    assert len(set(got.values())) == len(got)
    assert (
        field_names([long_a, long_b, "Email", "email", "E-mail", "e_mail"], taken=["email"]) == got
    )


@pytest.mark.parametrize(
    "label_text, value",
    [
        ("Closed – won", "CLOSED_WON"),
        ("Newsletter", "NEWSLETTER"),
        ("opt-in (double)", "OPT_IN_DOUBLE"),
        ("1-10 employees", "OPTION_1_10_EMPLOYEES"),
        ("Città", "CITTA"),
        ("", "OPTION"),
        ("VIP!!", "VIP"),
    ],
)
def test_option_values_are_upper_snake_case(label_text: str, value: str) -> None:
    assert option_value(label_text) == value
    assert is_valid_option_value(value)


def test_option_value_collisions_are_numbered() -> None:
    assert option_value("A b", taken=["A_B"]) == "A_B_2"
    assert option_value("A b", taken=["A_B", "A_B_2"]) == "A_B_3"


def test_object_names_and_labels() -> None:
    assert object_names("Behavior Event", "Behavior Events") == ("behaviorEvent", "behaviorEvents")
    assert object_names("Status") == ("status", "statuses")
    assert object_names("Affiliate") == ("affiliate", "affiliates")
    assert object_names("Subscription Entry") == ("subscriptionEntry", "subscriptionEntries")
    assert object_names("Job") == ("jobCustom", "jobCustoms")
    assert label("gdpr_status__c") == "Gdpr Status"
    assert label("leadScore") == "Lead Score"
    assert label("GDPR Status") == "GDPR Status"
    assert label("Città") == "Città"
    assert label("  ") == "Field"
