"""Discovery charts as matplotlib figures (no pyplot state), and as PNG bytes for documents."""

from __future__ import annotations

import io

import polars as pl
from matplotlib.figure import Figure

from workbench.discovery.kinds import parse_dates

TOP_TAGS = 25


def to_png(figure: Figure, dpi: int = 110) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def completeness_chart(profile: pl.DataFrame, title: str) -> Figure:
    """Share of filled cells per column, emptiest at the top."""
    data = profile.sort("completeness", descending=True)
    height = max(2.5, 0.22 * data.height + 1)
    figure = Figure(figsize=(7, height))
    axes = figure.subplots()
    axes.barh(
        data.get_column("column").to_list(),
        (data.get_column("completeness") * 100).to_list(),
        color="#4C78A8",
    )
    axes.set_xlim(0, 100)
    axes.set_xlabel("filled cells (%)")
    axes.set_title(title)
    axes.tick_params(axis="y", labelsize=7)
    return figure


def tag_chart(groups: pl.DataFrame, title: str) -> Figure:
    """Contacts per tag (near-duplicate spellings counted together), most used first."""
    data = groups.sort("contacts", descending=True).head(TOP_TAGS).reverse()
    figure = Figure(figsize=(7, max(2.5, 0.25 * data.height + 1)))
    axes = figure.subplots()
    axes.barh(
        data.get_column("tag").to_list(), data.get_column("contacts").to_list(), color="#F58518"
    )
    axes.set_xlabel("contacts")
    axes.set_title(title)
    axes.tick_params(axis="y", labelsize=8)
    return figure


def records_over_time(values: pl.Series, formats: list[str], title: str) -> Figure:
    """Records created per month, from the object's creation-date column."""
    parsed = parse_dates(values.drop_nulls(), formats).drop_nulls()
    monthly = (
        pl.DataFrame({"d": parsed}).group_by(pl.col("d").dt.truncate("1mo")).len().sort("d")
        if parsed.len()
        else pl.DataFrame(schema={"d": pl.Datetime, "len": pl.UInt32})
    )
    figure = Figure(figsize=(8, 3))
    axes = figure.subplots()
    axes.bar(
        monthly.get_column("d").to_list(),
        monthly.get_column("len").to_list(),
        width=25,
        color="#54A24B",
    )
    axes.set_ylabel("records per month")
    axes.set_title(title)
    return figure
