"""Batch resolution from the command line: dedupe a file's companies, join notes to contacts.

Each file is read as an object of a source (AllClients' contacts and notes unless told
otherwise), so its headers are resolved first: `Contact ID`, `First Name`, `first_name` all
reach these functions as the schema's canonical names. Column options default to those names
(Contacts.csv: company, email, website, id; Notes.csv: email, firstname, lastname). A column
option may name a canonical field or a header as written; every column that cannot be found,
in either file, is reported at once in one HeaderError with the file's closest headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from workbench.resolve.companies import dedupe_companies
from workbench.resolve.notes import join_notes
from workbench.sources.export_files import read_file_as
from workbench.sources.headers import HeaderError, HeaderMatch, closest_headers, header_forms
from workbench.sources.schema import ObjectSchema, normalise_header

DEFAULT_SOURCE = "allclients"


@dataclass
class ResolvedFile:
    """One input file with canonical headers, and the columns asked of it that it lacks."""

    path: Path
    frame: pl.DataFrame
    spec: ObjectSchema
    matches: list[HeaderMatch]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (what, wanted)

    @classmethod
    def read(cls, path: Path, source: str, object_name: str) -> ResolvedFile:
        table, spec, matches = read_file_as(path, source, object_name)
        return cls(path, table.frame, spec, matches)

    @property
    def headers(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ("_file", "_line")]

    def find(self, wanted: str | None, what: str, *, required: bool = True) -> str | None:
        """The column for `wanted`: a canonical field, or a header as the file wrote it."""
        if wanted is None:
            return None
        if wanted in self.headers:
            return wanted
        key = normalise_header(wanted)
        for match in self.matches:
            if key in (normalise_header(match.header), normalise_header(match.field)):
                return match.field
        for column in self.headers:
            if normalise_header(column) == key:
                return column
        if required:
            self.missing.append((what, wanted))
        return None

    def closest(self, wanted: str) -> list[str]:
        """The file's headers (as written) nearest to `wanted`.

        When `wanted` is a standard field, headers another field already claimed are no
        candidates (unless every header was claimed)."""
        written = {m.field: m.header for m in self.matches}
        headers = [written.get(c, c) for c in self.headers]
        field = header_forms(self.spec).get(normalise_header(wanted))
        if field is None:
            found = process.extract(
                normalise_header(wanted),
                {h: normalise_header(h) for h in headers},
                scorer=fuzz.WRatio,
                limit=3,
            )
            return [h for _, score, h in found if score >= 50]
        unclaimed = [c for c in self.headers if c not in self.spec.known_columns()]
        return list(closest_headers(field, self.spec, unclaimed or headers))


def raise_missing(files: list[ResolvedFile]) -> None:
    """One error for every column asked of any file that it does not have."""
    lacking = [f for f in files if f.missing]
    if not lacking:
        return
    parts = []
    for f in lacking:
        asked = []
        for what, wanted in f.missing:
            near = f.closest(wanted)
            hint = f" (closest: {', '.join(repr(h) for h in near)})" if near else ""
            asked.append(f"no {what} column {wanted!r}{hint}")
        written = {m.field: m.header for m in f.matches}
        has = ", ".join(written.get(c, c) for c in f.headers)
        parts.append(f"{f.path.name}: {'; '.join(asked)}; the file has {has}")
    first = lacking[0]
    raise HeaderError(
        " | ".join(parts),
        file=first.path.name,
        line=1,
        column=", ".join(w for _, w in first.missing),
    )


def dedupe_companies_file(
    input: Path,
    out: Path,
    name_column: str = "company",
    domain_column: str | None = "website",
    email_column: str | None = "email",
    *,
    source: str = DEFAULT_SOURCE,
    object_name: str = "contacts",
) -> str:
    """Write one line per input row (row number, cluster id, canonical name); return a summary.

    `domain_column` and `email_column` are optional evidence: when the file lacks the default
    one it is simply not used; a column the analyst named explicitly must exist.
    """
    input, out = Path(input), Path(out)
    file = ResolvedFile.read(input, source, object_name)
    frame = file.frame
    name = file.find(name_column, "company name")
    domain = file.find(domain_column, "website/domain", required=domain_column != "website")
    email = file.find(email_column, "email", required=email_column != "email")
    raise_missing([file])
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
    source: str = DEFAULT_SOURCE,
) -> str:
    """Write one line per note (note row, contact row or empty, status, reason); return a summary."""
    contacts, notes, out = Path(contacts), Path(notes), Path(out)
    people = ResolvedFile.read(contacts, source, "contacts")
    notes_file = ResolvedFile.read(notes, source, "notes")
    contact_frame, note_frame = people.frame, notes_file.frame
    columns = {
        "email_col": notes_file.find(email_column, "email"),
        "first_col": notes_file.find(first_column, "first name"),
        "last_col": notes_file.find(last_column, "last name"),
        "contact_email_col": people.find(email_column, "email"),
        "contact_first_col": people.find(first_column, "first name"),
        "contact_last_col": people.find(last_column, "last name"),
    }
    key = people.find(contact_id_column, "contact id", required=False)
    raise_missing([notes_file, people])
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
