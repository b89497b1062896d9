"""Quality checks agree with email-validator and phonenumbers, value by value."""

from __future__ import annotations

import polars as pl
import pytest
from email_validator import EmailNotValidError, validate_email

from workbench.discovery.kinds import ColumnKind, Kind
from workbench.discovery.quality import check_dates, check_emails, email_validity, phone_verdict

EMAILS = [
    "ann@example.com", "Ann.Lee+crm@Sub.Example.co.uk", "bob@", "bob@gmail", "a b@gmail.com",
    "x@@yahoo.com", "y@hotmail,com", "none", "user@localhost", "dot.@x.com", "a" * 65 + "@x.com",
    "ok_1%x@a-b.io", "u@123.com", "u@-bad.com", "ünïcode@exämple.de",
]  # fmt: skip


def _accepts(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
        return True
    except EmailNotValidError:
        return False


def test_email_validity_matches_email_validator() -> None:
    got = email_validity(pl.Series(EMAILS)).to_list()
    assert got == [_accepts(e) for e in EMAILS]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("(415) 555-1234", "valid"), ("14155551234", "valid"), ("+44 20 7946 0018", "valid"),
        ("0044 20 7946 0018", "valid"), ("12345", "invalid"), ("call me", "invalid"),
        ("555-CALL-NOW", "invalid"), ("0000000000", "invalid"), ("+1 (555)", "invalid"),
        ("ext 204", "invalid"), ("+447700900643", "ambiguous"), ("(415) 555-1234 ext 12", "valid"),
    ],
)  # fmt: skip
def test_phone_verdicts(value: str, verdict: str) -> None:
    assert phone_verdict(value, "US") == verdict


def frame(column: str, values: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame({column: values, "_file": ["f.csv"] * len(values),
                         "_line": list(range(2, len(values) + 2))})  # fmt: skip


def test_email_flags_count_rows() -> None:
    f = frame("email", ["a@x.com", " A@X.com", None, "bad@", "b@x.com", "N/A"])
    flags = pl.concat(check_emails(f, "email", required=True))
    by = {k: sorted(v) for k, v in flags.group_by("flag").agg(pl.col("_line")).iter_rows()}
    assert by == {"no_email": [4, 7], "invalid_email": [5], "duplicate_email": [2, 3]}


def test_ambiguous_dates_only_when_the_column_does_not_decide() -> None:
    f = frame("d", ["03/04/2021", "13/04/2021", "garbage"])
    kind = ColumnKind(Kind.DATE, formats=["%d/%m/%Y"], day_first=True)
    flags = pl.concat(check_dates(f, "d", kind))
    assert flags.select("flag", "_line").rows() == [("unparseable_date", 4)]
    undecided = ColumnKind(Kind.DATE, formats=["%m/%d/%Y", "%Y-%m-%d"], day_first=None)
    flags = pl.concat(
        check_dates(frame("d", ["03/04/2021", "2021-01-02", "05/05/2020"]), "d", undecided)
    )
    assert flags.select("flag", "_line").rows() == [("ambiguous_date", 2)]
