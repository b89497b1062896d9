"""Twenty's own spellings of sent values are not differences; real changes are."""

from __future__ import annotations

import pytest

import workbench.load
from workbench.load.compare import differences, same


@pytest.mark.parametrize(
    ("sent", "got", "key"),
    [
        (
            {"primaryEmail": "Ann.Lee@Example.COM", "additionalEmails": []},
            {"primaryEmail": "ann.lee@example.com", "additionalEmails": None},
            "emails",
        ),
        (
            {"primaryLinkUrl": "https://Acme.example.com/", "secondaryLinks": []},
            {
                "primaryLinkUrl": "https://acme.example.com",
                "primaryLinkLabel": "",
                "secondaryLinks": None,
            },
            "domainName",
        ),
        (
            {"amountMicros": 25_000_000_000, "currencyCode": "USD"},
            {"amountMicros": "25000000000", "currencyCode": "USD"},
            "amount",
        ),
        (
            {"addressCity": "Oslo", "addressLat": 39.78},
            {"addressCity": "Oslo", "addressLat": "39.78"},
            "address",
        ),
        ("1990-07-14", "1990-07-14T00:00:00.000Z", "birthday"),
        ("2020-01-05T10:00:00Z", "2020-01-05T10:00:00.000Z", "createdAt"),
        (
            {"markdown": "Hello **you**"},
            {"markdown": "Hello **you**\n", "blocknote": "[...]"},
            "bodyV2",
        ),
        (["WEBINAR", "NEWSLETTER"], ["NEWSLETTER", "WEBINAR"], "tags"),
        (None, "", "jobTitle"),
        (12, 12, "employees"),
    ],
)
def test_read_back_spellings_are_the_same_value(sent, got, key) -> None:
    assert same(sent, got, key)


@pytest.mark.parametrize(
    ("sent", "got", "key"),
    [
        ({"primaryEmail": "a@example.com"}, {"primaryEmail": "b@example.com"}, "emails"),
        ({"amountMicros": 1_000_000}, {"amountMicros": "2000000"}, "amount"),
        ("1990-07-14", "1990-07-15T00:00:00.000Z", "birthday"),
        ("Acme", "acme", "name"),  # case matters outside emails and links
        (12, None, "employees"),  # Twenty stored nothing (FACTS 18)
        ({"firstName": "Ann"}, "Ann", "name"),  # a scalar where a composite was sent
        (["A", "B"], ["A"], "tags"),
    ],
)
def test_real_changes_are_differences(sent, got, key) -> None:
    assert not same(sent, got, key)


def test_differences_name_the_fields() -> None:
    body = {"name": "Deal 1", "stage": "NEW", "amount": {"amountMicros": 5, "currencyCode": "USD"}}
    record = {
        "name": "Deal 1",
        "stage": "MEETING",
        "amount": {"amountMicros": "5", "currencyCode": "USD"},
        "id": "x",
    }
    assert differences(body, record) == [("stage", "NEW", "MEETING")]


def test_public_api_is_exported() -> None:
    for name in workbench.load.__all__:
        assert getattr(workbench.load, name) is not None
    assert {"Ledger", "run_load", "reconcile", "rollback"} <= set(workbench.load.__all__)
