"""Batch resolution from the command line: dedupe a file's companies, join notes to contacts.

Defaults are the AllClients export's column names (Contacts.csv: company, email, website;
Notes.csv: email, firstname, lastname). A column is found case-insensitively; a missing one is
a ResolveError naming the file and the column.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from workbench.errors import ResolveError
from workbench.resolve.companies import dedupe_companies
from workbench.resolve.notes import join_notes
from workbench.sources.reader import read_csv_export


def _find(
    frame: pl.DataFrame, wanted: str | None, file: Path, what: str, *, required: bool = True
) -> str | None:
    """The frame's column matching `wanted` (case and spacing ignored)."""
    if wanted is None:
        return None
    columns = [c for c in frame.columns if c not in ("_file", "_line")]
    for column in columns:
        if column.strip().casefold() == wanted.strip().casefold():
            return column
    if not required:
        return None
    raise ResolveError(
        f"no {what} column {wanted!r}; the file has {', '.join(columns)}",
        file=file.name,
        line=1,
        column=wanted,
    )


def dedupe_companies_file(
    input: Path,
    out: Path,
    name_column: str = "company",
    domain_column: str | None = "website",
    email_column: str | None = "email",
) -> str:
    """Write one line per input row (row number, cluster id, canonical name); return a summary.

    `domain_column` and `email_column` are optional evidence: when the file lacks the default
    one it is simply not used; a column the analyst named explicitly must exist.
    """
    input, out = Path(input), Path(out)
    frame = read_csv_export(input).frame
    name = _find(frame, name_column, input, "company name")
    domain = _find(
        frame, domain_column, input, "website/domain", required=domain_column != "website"
    )
    email = _find(frame, email_column, input, "email", required=email_column != "email")
    result = dedupe_companies(frame, name, domain, email)  # type: ignore[arg-type]
    out.parent.mkdir(parents=True, exist_ok=True)
    result.rows.select(
        pl.col("row") + 1,
        pl.Series("line", frame["_line"]),
        pl.col("name").alias("company"),
        "cluster",
        "canonical_name",
    ).write_csv(out)
    review = out.with_name(out.stem + "_review.csv")
    result.review.write_csv(review)
    named = result.rows["cluster"].drop_nulls().len()
    return (
        f"{frame.height} rows, {named} with a company name, {result.clusters.height} companies; "
        f"{result.review.height} pairs to review ({review.name}); written to {out}"
    )


def join_notes_file(
    contacts: Path,
    notes: Path,
    out: Path,
    *,
    email_column: str = "email",
    first_column: str = "firstname",
    last_column: str = "lastname",
    contact_id_column: str | None = "id",
) -> str:
    """Write one line per note (note row, contact row or empty, status, reason); return a summary."""
    contacts, notes, out = Path(contacts), Path(notes), Path(out)
    contact_frame = read_csv_export(contacts).frame
    note_frame = read_csv_export(notes).frame
    columns = {
        "email_col": _find(note_frame, email_column, notes, "email"),
        "first_col": _find(note_frame, first_column, notes, "first name"),
        "last_col": _find(note_frame, last_column, notes, "last name"),
        "contact_email_col": _find(contact_frame, email_column, contacts, "email"),
        "contact_first_col": _find(contact_frame, first_column, contacts, "first name"),
        "contact_last_col": _find(contact_frame, last_column, contacts, "last name"),
    }
    key = _find(contact_frame, contact_id_column, contacts, "contact id", required=False)
    joined = join_notes(
        note_frame,
        contact_frame,
        **columns,
        contact_key_col=key,
        notes_file=notes.name,
        contacts_file=contacts.name,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    joined.select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("note_row"),
        pl.col("_line").alias("note_line"),
        (pl.col("contact_row") + 1).alias("contact_row"),
        "contact_key",
        pl.col("join_status").alias("status"),
        pl.col("join_reason").alias("reason"),
    ).write_csv(out)
    counts = {
        s: int((joined["join_status"] == s).sum()) for s in ("joined", "ambiguous", "unmatched")
    }
    return (
        f"{joined.height} notes: {counts['joined']} joined, {counts['ambiguous']} ambiguous, "
        f"{counts['unmatched']} unmatched; written to {out}"
    )
