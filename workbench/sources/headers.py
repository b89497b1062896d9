"""Header resolution: a client's export headers → the source schema's canonical field names.

The same field reaches us under several headers: the API's name (`firstname`), the label the
web UI writes in its CSV export (`First Name`), and whatever a spreadsheet re-save made of them
(`FIRST_NAME`, ` first name`, a UTF-8 BOM in front of the first header). Each object of
`mappings/<source>/schema.yaml` lists its canonical columns and, under `aliases`, the other known
forms of each one. A header is matched after normalising (BOM, case, accents, spaces,
underscores, punctuation all dropped), in this order: the canonical name exactly, the canonical
name normalised, a listed alias normalised. Every later stage then sees canonical names only.

Unknown headers stay as they are: they are the account's custom fields, for discovery to find.
A file lacking a field its object cannot do without (`required`) is an input error that names
the file, each missing field and the headers closest to it (rapidfuzz).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl
from rapidfuzz import fuzz, process

from workbench.errors import HeaderError, WorkbenchError
from workbench.sources.reader import ExportTable
from workbench.sources.schema import ObjectSchema, normalise_header
from workbench.sources.sniff import sniff_layout

How = Literal["exact", "normalised", "alias", "custom"]
PROVENANCE = ("_file", "_line")
__all__ = [
    "HeaderError",
    "HeaderMatch",
    "MissingFields",
    "align_custom_headers",
    "check_required",
    "closest_headers",
    "header_forms",
    "matches_frame",
    "matches_json",
    "normalise_header",
    "raise_missing",
    "resolve_names",
    "resolve_table",
]
CLOSEST = 3  # headers suggested per missing field
MIN_SCORE = 50.0  # below this a header is not offered as "closest"


@dataclass(frozen=True)
class HeaderMatch:
    """One header of one file and the canonical field it was resolved to."""

    object: str
    file: str
    header: str  # as written in the file (BOM and all)
    field: str  # canonical name every later stage uses
    how: How

    def to_json(self) -> dict[str, str]:
        return {
            "object": self.object,
            "file": self.file,
            "header": self.header,
            "field": self.field,
            "how": self.how,
        }


@dataclass(frozen=True)
class MissingFields:
    """Required fields one file's headers could not supply, with the nearest headers it has."""

    object: str
    file: str
    missing: tuple[str, ...]
    closest: dict[str, tuple[str, ...]]  # missing field → nearest headers, best first
    headers: tuple[str, ...]
    line: int = 1  # the header's line (after any title lines)

    def describe(self) -> str:
        parts = []
        for name in self.missing:
            near = self.closest.get(name) or ()
            hint = f" (closest: {', '.join(repr(h) for h in near)})" if near else ""
            parts.append(f"{name!r}{hint}")
        return f"{self.file} ({self.object}): no header for {', '.join(parts)}"


def header_forms(spec: ObjectSchema) -> dict[str, str]:
    """Normalised header form → canonical field, for every canonical column and alias.

    Schema loading refuses a form that names two fields, so the lookup is unambiguous.
    """
    forms: dict[str, str] = {}
    for column in spec.known_columns():
        forms.setdefault(normalise_header(column), column)
    for column, aliases in spec.aliases.items():
        for alias in aliases:
            forms.setdefault(normalise_header(alias), column)
    return forms


def resolve_names(headers: list[str], spec: ObjectSchema) -> dict[str, tuple[str, How]]:
    """Header → (canonical field, how) for the headers that resolve; one header per field.

    When two headers claim one field, the better match wins (exact, then normalised, then
    alias, then the first in the file); the other stays as it is.
    """
    known = set(spec.known_columns())
    forms = header_forms(spec)
    rank = {"exact": 0, "normalised": 1, "alias": 2}
    candidates: list[tuple[int, int, str, str, How]] = []
    for position, header in enumerate(headers):
        if header in PROVENANCE:
            continue
        if header in known:
            candidates.append((rank["exact"], position, header, header, "exact"))
            continue
        field = forms.get(normalise_header(header))
        if field is None:
            continue
        how: How = "normalised" if normalise_header(field) == normalise_header(header) else "alias"
        candidates.append((rank[how], position, header, field, how))
    chosen: dict[str, tuple[str, How]] = {}
    taken: set[str] = set()
    for _, _, header, field, how in sorted(candidates):
        if field not in taken:
            chosen[header] = (field, how)
            taken.add(field)
    return chosen


def resolve_table(table: ExportTable, spec: ObjectSchema) -> list[HeaderMatch]:
    """Rename the table's headers to canonical fields in place; say what matched what.

    No rename can land on an existing column: a header already spelled as a field wins that
    field outright (exact match), so any other header claiming it keeps its own name.
    """
    file = table.files[0].name if table.files else table.object
    headers = list(table.frame.columns)
    chosen = resolve_names(headers, spec)
    renames = {h: f for h, (f, _) in chosen.items() if h != f}
    if renames:
        table.frame = table.frame.rename(renames)
    return [HeaderMatch(table.object, file, h, *chosen[h]) for h in headers if h in chosen]


def align_custom_headers(tables: list[ExportTable], spec: ObjectSchema) -> list[HeaderMatch]:
    """Batches of one object spelling a custom column differently (`Industry`, `INDUSTRY`)
    get the first batch's spelling, so stacking them keeps one column, not two."""
    known = set(spec.known_columns())
    first: dict[str, str] = {}
    matches = []
    for table in tables:
        file = table.files[0].name if table.files else table.object
        present = set(table.frame.columns)
        renames = {}
        for header in table.frame.columns:
            if header in known or header in PROVENANCE:
                continue
            spelling = first.setdefault(normalise_header(header) or header, header)
            if spelling != header and spelling not in present:
                renames[header] = spelling
                matches.append(HeaderMatch(table.object, file, header, spelling, "custom"))
        if renames:
            table.frame = table.frame.rename(renames)
    return matches


def check_required(
    table: ExportTable, spec: ObjectSchema, matches: list[HeaderMatch] | None = None
) -> MissingFields | None:
    """The required fields this (already resolved) table lacks, or None.

    Headers are reported as the file wrote them; the closest ones are sought among the headers
    no standard field claimed (a header that became another field is no candidate), and among
    all of them only when every header was claimed.
    """
    columns = [c for c in table.frame.columns if c not in PROVENANCE]
    missing = tuple(f for f in spec.required if f not in columns)
    if not missing:
        return None
    written = {m.field: m.header for m in matches or []}
    as_written = [written.get(c, c) for c in columns]
    unclaimed = [c for c in columns if c not in spec.known_columns()] or as_written
    file = table.files[0].name if table.files else table.object
    return MissingFields(
        object=table.object,
        file=file,
        missing=missing,
        closest={f: closest_headers(f, spec, unclaimed) for f in missing},
        headers=tuple(as_written),
        line=_header_line(table),
    )


def _header_line(table: ExportTable) -> int:
    """Where a CSV file's header ends (title lines above it are skipped); 1 otherwise."""
    path = table.files[0] if table.files else None
    if path is None or path.suffix.lower() not in (".csv", ".txt"):
        return 1
    try:
        return sniff_layout(path).header_end_line
    except WorkbenchError:
        return 1


def closest_headers(field: str, spec: ObjectSchema, headers: list[str]) -> tuple[str, ...]:
    """The headers nearest to any known form of `field`, best first."""
    choices = {h: normalise_header(h) for h in headers}
    best: dict[str, float] = {}
    for form in [field, *spec.aliases.get(field, [])]:
        for _, score, key in process.extract(
            normalise_header(form), choices, scorer=fuzz.WRatio, limit=CLOSEST
        ):
            if score >= MIN_SCORE:
                best[key] = max(best.get(key, 0.0), score)
    ranked = sorted(best, key=lambda h: (-best[h], headers.index(h)))
    return tuple(ranked[:CLOSEST])


def raise_missing(problems: list[MissingFields], source: str | None = None) -> None:
    """One error for every file of the export whose headers lack required fields."""
    if not problems:
        return
    first = problems[0]
    detail = "; ".join(p.describe() for p in problems)
    where = f"mappings/{source}/schema.yaml" if source else "the source's schema.yaml"
    raise HeaderError(
        f"the export's headers cannot be resolved: {detail}. {first.file} has "
        f"{', '.join(first.headers)}. Rename the header(s), or list the form under the field's "
        f"aliases in {where}",
        file=first.file,
        line=first.line,
        column=", ".join(first.missing),
    )


def matches_frame(matches: list[HeaderMatch]) -> pl.DataFrame:
    """What was matched to what: one row per object and header, the files that wrote it (list)."""
    schema = {
        "object": pl.Utf8,
        "file": pl.Utf8,
        "header": pl.Utf8,
        "field": pl.Utf8,
        "how": pl.Utf8,
    }
    frame = pl.DataFrame([m.to_json() for m in matches], schema=schema)
    return frame.group_by(["object", "header", "field", "how"], maintain_order=True).agg(
        pl.col("file").unique(maintain_order=True).alias("files")
    )


def matches_json(matches: list[HeaderMatch]) -> dict[str, list[dict[str, object]]]:
    """Per object, each header as written, the field it became, how, and in which files."""
    out: dict[str, list[dict[str, object]]] = {}
    for row in matches_frame(matches).iter_rows(named=True):
        out.setdefault(row["object"], []).append(
            {
                "header": row["header"],
                "field": row["field"],
                "how": row["how"],
                "files": list(row["files"]),
            }
        )
    return out
