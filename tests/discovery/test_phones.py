"""The bulk phone verdicts must agree with phonenumbers (`phone_verdict`) on every value."""

from __future__ import annotations

import random

import phonenumbers
import polars as pl
import pytest

from workbench.discovery.phones import phone_verdicts
from workbench.discovery.quality import phone_verdict

REGIONS = ["US", "CA", "RU", "KZ", "GB", "DE", "FR", "IN", "AU", "CN", "BR", "AR", "IT", "UA", "MX"]
FORMATS = [
    phonenumbers.PhoneNumberFormat.NATIONAL,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.E164,
]
TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
]
UGLY = [
    "call me", "4.15555E+09", "415-555-0100 ext 12", "(415) 555-0100 x3", "+1 (415) 555-0100#",
    "555-0100", "12", "1", "+", "+0 415 555 0100", "+999 123 4567", "00", "0044 20 7946 0018",
    "011 44 20 7946 0018", "810 44 20 7946 0018", "011 0 44 20", "8 (912) 345-67-89",
    "+7 912 345 67 89", "1-415-555-0100", "1 1 415 555 0100", "(+1) 415 555 0100", "+(1) 415",
    "tel:+1-415-555-0100", "+44 (0) 20 7946 0018", "+49 030 1234567", "0049 30 1234567",
    "415.555.0100", "415/555/0100", "1234567890123456789", "+1234567890123456", "  415 555 0100 ",
    "４１５５５５０１００", "+1 415 555 0100;ext=5", "+1 415 555 0100,,5", "(415) 555-0100)",
    "1 800 FLOWERS", "+800 1234 5678", "+882 1234 5678", "999", "911", "112", "+7 (727) 123-45-67",
    "88005553535", "+1 268 464 1234", "+1 284 496 1234", "+44 1624 123456", "+44 7700 900123",
]  # fmt: skip


def _generated(seed: int = 11, per_region: int = 130) -> list[str]:
    """Example numbers of several regions and types, written every usual way and then damaged:
    digits changed, dropped or added, prefixes added, punctuation moved."""
    rnd = random.Random(seed)
    out: list[str] = list(UGLY)
    for region in REGIONS:
        examples = [phonenumbers.example_number_for_type(region, t) for t in TYPES]
        examples = [e for e in examples if e is not None]
        for _ in range(per_region):
            number = rnd.choice(examples)
            text = phonenumbers.format_number(number, rnd.choice(FORMATS))
            digits = [i for i, ch in enumerate(text) if ch.isdigit()]
            roll = rnd.random()
            if roll < 0.45:  # change a digit or two: may still be valid, or not
                for i in rnd.sample(digits, k=min(len(digits), rnd.choice([1, 2]))):
                    text = text[:i] + str(rnd.randrange(10)) + text[i + 1 :]
            elif roll < 0.55:
                i = rnd.choice(digits)
                text = text[:i] + text[i + 1 :]
            elif roll < 0.65:
                i = rnd.choice(digits)
                text = text[:i] + str(rnd.randrange(10)) + text[i:]
            elif roll < 0.8:
                prefix = rnd.choice(["00", "011", "810", "8", "1", "0", "+", "(", "7", "44"])
                text = prefix + rnd.choice(["", " "]) + text.lstrip("+")
            elif roll < 0.9:
                text = text.replace(" ", rnd.choice(["-", ".", "", " ", "/"]))
            out.append(text.strip())
    return out


@pytest.mark.parametrize("region", ["US", "RU", "GB", "DE"])
def test_bulk_verdicts_match_phonenumbers_value_by_value(region: str) -> None:
    values = _generated()
    asked: list[str] = []

    def one_by_one(value: str, where: str) -> str:
        asked.append(value)
        return phone_verdict(value, where)

    got = phone_verdicts(pl.Series(values), region, one_by_one, min_group=1)
    verdicts = dict(got.iter_rows())
    assert set(verdicts) == set(values)
    wrong = [(v, verdicts[v], phone_verdict(v, region)) for v in set(values)
             if verdicts[v] != phone_verdict(v, region)]  # fmt: skip
    assert wrong == []
    # The bulk rules really decided most of them (the rest went to phonenumbers one by one).
    assert len(asked) < 0.3 * len(set(values))
    kinds = {verdicts[v] for v in values}
    assert kinds == {"valid", "invalid", "ambiguous"}


def test_small_groups_go_to_phonenumbers_and_nulls_are_skipped() -> None:
    asked: list[str] = []

    def one_by_one(value: str, where: str) -> str:
        asked.append(value)
        return phone_verdict(value, where)

    got = phone_verdicts(pl.Series(["(415) 555-0100", None, "+44 20 7946 0018"]), "US", one_by_one)
    assert sorted(asked) == ["(415) 555-0100", "+44 20 7946 0018"]
    assert dict(got.iter_rows()) == {v: phone_verdict(v, "US") for v in asked}
