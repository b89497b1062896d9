"""The cheaper ways discovery computes things give exactly what the plain ways gave."""

from __future__ import annotations

import random

import polars as pl

from workbench.discovery.kinds import PLACEHOLDER_SPELLINGS, PLACEHOLDERS, RE_EXCEL_NUMBER, clean
from workbench.discovery.profile import first_distinct, profile_columns
from workbench.discovery.quality import check_excel_numbers

UGLY_CELLS = [
    None, "", " ", "\t", "N/A", " n/a ", "NULL", "nUlL", "(Blank)", "(blan\u212a)", "#N/A", "x",
    " x ", "null1", "na", "\u00a0n/a\u3000", "\u0130", "4.15555E+09", " 4.1E+09 ", "4.1e+09x",
    "-1E+5", "+7.2e+10\u00a0", "1.5E-09", "E+09", "(415) 555-0100", "Ann", "  multi\nline ",
]  # fmt: skip


def _old_clean(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return (
        pl.when(stripped.str.to_lowercase().is_in(PLACEHOLDERS) | (stripped == ""))
        .then(None)
        .otherwise(stripped)
    )


def test_placeholder_spellings_are_every_string_that_lowercases_to_a_placeholder() -> None:
    letters = {ch for word in PLACEHOLDERS for ch in word}
    every_char = pl.Series([chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF])
    lowered = every_char.str.to_lowercase()
    lowers_to = {
        (low, ch) for ch, low in zip(every_char, lowered, strict=True) if low in letters
    }  # fmt: skip
    for word in PLACEHOLDERS:
        for i, letter in enumerate(word):
            for low, ch in lowers_to:
                if low == letter:
                    assert word[:i] + ch + word[i + 1 :] in PLACEHOLDER_SPELLINGS


def test_clean_matches_lowercasing_every_cell() -> None:
    rnd = random.Random(5)
    cells = UGLY_CELLS + [
        "".join(rnd.choice(" nN/aA#uUlL()bBkK\u212a") for _ in range(rnd.randrange(1, 9)))
        for _ in range(5000)
    ]
    frame = pl.DataFrame({"v": cells}, schema={"v": pl.Utf8})
    new = frame.select(clean(pl.col("v"))).to_series()
    assert new.to_list() == frame.select(_old_clean(pl.col("v"))).to_series().to_list()


def test_excel_numbers_found_on_raw_cells_as_on_cleaned_ones() -> None:
    frame = pl.DataFrame({"a": UGLY_CELLS, "b": list(reversed(UGLY_CELLS))}).with_columns(
        pl.lit("f.csv").alias("_file"), pl.int_range(2, len(UGLY_CELLS) + 2).alias("_line")
    )
    got = pl.concat(check_excel_numbers(frame, ["a", "b"]))
    for column in ("a", "b"):
        expected = frame.filter(
            _old_clean(pl.col(column)).str.contains(RE_EXCEL_NUMBER).fill_null(False)
        )
        assert got.filter(pl.col("column") == column).get_column("_line").to_list() == (
            expected.get_column("_line").to_list()
        )
    assert got.height == 8


def test_first_distinct_equals_unique_in_order() -> None:
    rnd = random.Random(3)
    for size, spread in [(0, 1), (5, 1), (3000, 1), (3000, 2), (20000, 3), (50000, 50000)]:
        values = pl.Series([str(rnd.randrange(spread)) for _ in range(size)], dtype=pl.Utf8)
        assert first_distinct(values, 3) == values.unique(maintain_order=True).head(3).to_list()


def test_profile_counts_match_plain_counting() -> None:
    rnd = random.Random(9)
    n = 30_000
    frame = pl.DataFrame(
        {
            "id": [str(i) for i in range(n)],
            "plan": [rnd.choice(["Gold", "Silver", " gold ", "N/A", None]) for _ in range(n)],
            "score": [str(rnd.randrange(40)) for _ in range(n)],
            "_file": ["f.csv"] * n,
            "_line": list(range(2, n + 2)),
        }
    )
    profile, _ = profile_columns(frame)
    for row in profile.iter_rows(named=True):
        values = frame.select(clean(pl.col(row["column"]))).to_series().drop_nulls()
        assert row["distinct"] == values.n_unique()
        counts = dict(values.value_counts().iter_rows())
        shown = [v.rsplit(" (", 1) for v in row["top_values"]]
        assert [int(k.rstrip(")")) for _, k in shown] == sorted(counts.values(), reverse=True)[:5]
        assert all(counts[v] == int(k.rstrip(")")) for v, k in shown)
        assert row["sample"] == values.unique(maintain_order=True).head(3).to_list()
