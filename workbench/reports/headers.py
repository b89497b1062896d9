"""How the export's headers were read: each header as written, the field it became, and why.

Shown in 01_discovery and in the scope document, so the client sees that `Contact ID` was read
as the contact's id and `FIRST_NAME` as its first name, and which headers stayed custom fields.
"""

from __future__ import annotations

import polars as pl

from workbench.sources.headers import HeaderMatch, matches_frame
from workbench.sources.schema import SourceSchema

HOW = {
    "exact": "same name",
    "normalised": "same name once case, spaces and punctuation are ignored",
    "alias": "a known label of this field",
    "custom": "the same custom column as spelled in an earlier batch",
}


def header_table(matches: list[HeaderMatch], schema: SourceSchema) -> pl.DataFrame:
    """Headers that were renamed (exact matches are counted in the summary, not listed)."""
    if not matches:
        return pl.DataFrame(
            {"header resolution": ["no source schema: every header kept as written"]}
        )
    frame = matches_frame(matches).filter(pl.col("how") != "exact")
    if frame.height == 0:
        return pl.DataFrame({"header resolution": ["every header already uses the schema's names"]})
    basis = {name: spec.aliases_basis or "" for name, spec in schema.objects.items()}
    return frame.select(
        "object",
        pl.col("header").alias("header in the export"),
        pl.col("field").alias("read as"),
        pl.col("how").replace_strict(HOW, default=pl.col("how")).alias("matched by"),
        pl.col("files").list.join(", ").alias("files"),
        pl.col("object").replace_strict(basis, default="").alias("where the labels come from"),
    )


def headers_markdown(matches: list[HeaderMatch]) -> str:
    """One line per object: how many headers matched exactly, how many were resolved."""
    frame = matches_frame(matches)
    if frame.height == 0:
        return "No header was matched to the source's schema (profiled without one)."
    lines = []
    for (name,), group in frame.group_by(["object"], maintain_order=True):
        exact = group.filter(pl.col("how") == "exact").height
        resolved = group.height - exact
        text = f"- **{name}**: {group.height} standard field(s) found, {exact} by their own name"
        if resolved:
            text += f", {resolved} resolved from another header form"
        lines.append(text + ".")
    lines.append(
        "\nHeaders not listed are not in the source's standard schema: they stay as written and "
        "are the account's custom fields (below)."
    )
    return "\n".join(lines)
