"""Column kinds, date formats and day/month order, from values and names."""

from __future__ import annotations

import polars as pl
import pytest

from workbench.discovery.kinds import Kind, date_formats, infer_kind

CASES = [
    ("email", ["a@b.com", "x.y@z.org", "q@w.io", "r@t.co", "bad"], Kind.EMAIL),
    ("Mobile", ["(415) 555-1234", "+1 415 555 9999", "4.15555E+09", "call me"], Kind.PHONE),
    ("created", ["2021-03-04 10:00:00", "2022-01-01 00:00:00"], Kind.DATETIME),
    ("birthday", ["03/04/2021", "12/25/2020", "07/13/1999"], Kind.DATE),
    ("score", ["1", "2", "30", "-4.5"], Kind.NUMBER),
    ("blacklisted", ["0", "1", "0"], Kind.BOOLEAN),
    ("Opt-in", ["yes", "No", "yes"], Kind.BOOLEAN),
    ("tags", ["VIP, customer", "customer;cold", "VIP", "cold, VIP", "customer"], Kind.MULTI_SELECT),
    ("Industry", ["SaaS", "Agency", "SaaS", "Coaching", "Agency", "SaaS"], Kind.SELECT),
    ("website", ["https://a.com", "b.org", "www.c.net"], Kind.URL),
    ("zip", ["02134", "10001", "94105", "02139", "60601"], Kind.TEXT),
    ("id", [str(i) for i in range(100, 200)], Kind.ID),
    (
        "uuid",
        ["8f14e45f-ceea-467f-a0e6-2b3c9d2f1a11", "c9f0f895-fb98-4b91-9f6c-1c2d3e4f5a6b"],
        Kind.ID,
    ),
    ("amount", ["$10.00", "$5", "$7.50"], Kind.CURRENCY),
    ("deal value", ["100", "250.5", "99"], Kind.CURRENCY),
    ("ip", ["10.0.0.1", "192.168.1.20", "47.179.55.24"], Kind.TEXT),
    ("notes", ["hello there world", "a long\nnote", "x y z w", "q r s t"], Kind.TEXT),
    ("nothing", [None, "N/A"], Kind.EMPTY),
]


@pytest.mark.parametrize(("name", "values", "kind"), CASES, ids=[c[0] for c in CASES])
def test_infer_kind(name: str, values: list[str | None], kind: Kind) -> None:
    series = pl.Series(values, dtype=pl.Utf8)
    series = series.filter(series.is_not_null() & (series != "N/A"))
    assert infer_kind(name, series).kind == kind


def test_select_and_multi_select_options_by_frequency() -> None:
    assert infer_kind("Industry", pl.Series(["b", "a", "b", "b", "c", "a"])).options == [
        "b",
        "a",
        "c",
    ]
    tags = infer_kind("tags", pl.Series(["x, y", "y;z", "y", "x ,  y"]))
    assert tags.options == ["y", "x", "z"]


def test_long_text_is_marked() -> None:
    assert infer_kind("goals", pl.Series(["word " * 80, "short one here", "two words"])).long


def test_date_order_is_read_from_the_values() -> None:
    formats, share, day_first = date_formats(pl.Series(["13/04/2021", "03/04/2021", "28/02/2020"]))
    assert day_first is True and formats == ["%d/%m/%Y"] and share == 1.0
    formats, _, day_first = date_formats(pl.Series(["04/13/2021", "03/04/2021"]))
    assert day_first is False and formats == ["%m/%d/%Y"]
    _, _, undecided = date_formats(pl.Series(["03/04/2021", "05/06/2020"]))
    assert undecided is None
    formats, _, mixed = date_formats(
        pl.Series(["13/04/2021", "04/13/2021", "2021-05-01", "Jul 12, 2021"])
    )
    assert mixed is None and {"%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%b %d, %Y"} <= set(formats)
    formats, _, _ = date_formats(pl.Series(["2/15/2014 1:15:05 PM", "12/1/2019 11:00:00 AM"]))
    assert formats[0] == "%m/%d/%Y %I:%M:%S %p"
