"""One reader for every CSV export: encoding, delimiter, title lines, ragged rows, provenance.

Every cell stays text. Each row carries `_file` and `_line` (the physical line where it starts,
counting newlines inside quoted fields). Damage that loses nothing is repaired and listed in
`repairs` (NUL bytes inside a value are removed; NUL padding after the last line is ignored).
Rows that cannot be read are quarantined with a reason; files that cannot be read at all raise
`ExportReadError` naming file and line.

Two engines give the same table: polars (fast, for big files) and Python's csv module (lenient
about stray quotes). Record boundaries, line numbers and ragged rows always come from one
Python pass over the text, so both engines quarantine the same rows; polars only materialises
the values, and any disagreement between the two falls back to the Python engine.
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from workbench.errors import ExportReadError
from workbench.records import NUL_REMOVED, QUARANTINE_SCHEMA, REPAIR_SCHEMA, empty_frame
from workbench.sources.repair import mostly_nul, per_column, repairs_frame, without_nul_padding
from workbench.sources.sniff import CsvLayout, open_text, sniff_layout

Engine = Literal["auto", "polars", "python"]
CHUNK_ROWS = 50_000  # rows materialised at a time by the Python engine
QUARANTINE_VALUE_CHARS = 500


@dataclass
class ExportTable:
    """One source object read from one or more export files: every cell text, provenance kept."""

    object: str
    files: list[Path]
    frame: pl.DataFrame  # export columns (Utf8) + _file (Utf8) + _line (Int64)
    quarantine: pl.DataFrame = field(default_factory=lambda: empty_frame(QUARANTINE_SCHEMA))
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[str] = field(
        default_factory=list
    )  # renamed duplicate headers, skipped title lines…
    errors: list[ExportReadError] = field(default_factory=list)  # files that could not be read
    repairs: pl.DataFrame = field(default_factory=lambda: empty_frame(REPAIR_SCHEMA))

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c not in ("_file", "_line")]


@dataclass
class _Scan:
    """What one pass over the records found: where each kept row starts, and what was refused."""

    starts: array = field(default_factory=lambda: array("q"))  # physical line of each kept row
    records: int = 0  # records seen after the header, blank lines included
    blank: list[int] = field(default_factory=list)  # record indexes that were blank lines
    refused: dict[int, tuple[int, str, str]] = field(
        default_factory=dict
    )  # index -> line, reason, raw
    extra_empty_fields: int = 0
    repaired: list[tuple[int, int, str]] = field(default_factory=list)  # kept row, field, value


def read_csv_export(
    path: str | Path, *, object_name: str | None = None, engine: Engine = "auto"
) -> ExportTable:
    """Read one export file into a table; raise ExportReadError if it cannot be read at all."""
    path = Path(path)
    layout = sniff_layout(path)
    if engine in ("auto", "polars") and not layout.has_nul:  # NULs are repaired row by row
        try:
            return _read_with_polars(path, layout, object_name)
        except _PolarsDisagrees:
            pass  # the Python engine reads what polars refuses; its note says which engine ran
    return _read_with_python(path, layout, object_name)


def read_csv_exports(
    paths: Sequence[str | Path],
    object_name: str,
    *,
    on_error: Literal["raise", "collect"] = "raise",
    engine: Engine = "auto",
) -> ExportTable:
    """Several batch files of one object as one table, in the order given.

    With `on_error="collect"` an unreadable file is recorded in `errors` and the others are
    still read, so discovery can report every broken batch at once.
    """
    tables: list[ExportTable] = []
    errors: list[ExportReadError] = []
    for p in paths:
        try:
            tables.append(read_csv_export(p, object_name=object_name, engine=engine))
        except ExportReadError as exc:
            if on_error == "raise":
                raise
            errors.append(exc)
    if not tables:
        table = ExportTable(
            object=object_name, files=[Path(p) for p in paths], frame=_empty_rows([])
        )
        table.errors = errors
        return table
    notes: list[str] = []
    first_cols = tables[0].columns
    for t in tables:
        notes.extend(f"{t.files[0].name}: {n}" for n in t.notes)
        if t.columns != first_cols:
            missing = [c for c in first_cols if c not in t.columns]
            added = [c for c in t.columns if c not in first_cols]
            notes.append(
                f"{t.files[0].name}: columns differ from {tables[0].files[0].name}"
                f" (missing {missing}, added {added}); missing cells are empty"
            )
    encodings = {t.encoding for t in tables}
    delimiters = {t.delimiter for t in tables}
    return ExportTable(
        object=object_name,
        files=[f for t in tables for f in t.files],
        frame=pl.concat([t.frame for t in tables], how="diagonal"),
        quarantine=pl.concat([t.quarantine for t in tables]),
        repairs=pl.concat([t.repairs for t in tables]),
        encoding=tables[0].encoding
        if len(encodings) == 1
        else "mixed: " + ", ".join(sorted(encodings)),
        delimiter=tables[0].delimiter if len(delimiters) == 1 else "mixed",
        notes=notes,
        errors=errors,
    )


def scan_csv_export(path: str | Path) -> tuple[pl.LazyFrame, CsvLayout]:
    """A lazy view of a UTF-8 export too big to hold, for streaming profile aggregates.

    Rows are not checked one by one here (no quarantine, no `_line`): use `read_csv_export`
    for anything that feeds a migration.
    """
    path = Path(path)
    layout = sniff_layout(path)
    if layout.encoding not in ("utf-8", "utf-8-sig"):
        raise ExportReadError(
            f"a lazy scan needs UTF-8; this file is {layout.encoding}", file=path.name, line=1
        )
    lazy = pl.scan_csv(
        path,
        has_header=False,
        skip_lines=layout.header_end_line,
        separator=layout.delimiter,
        schema={f"_c{i}": pl.Utf8 for i in range(layout.width)},
        truncate_ragged_lines=True,
        encoding="utf8",
    )
    keep = [i for i in range(layout.width) if i not in layout.dropped]
    # when/then rather than `replace`: `replace` makes the streaming engine hold the whole file.
    cells = [pl.col(f"_c{i}") for i in keep]
    return lazy.select(
        [pl.when(c != "").then(c).alias(layout.names[i]) for i, c in zip(keep, cells, strict=True)]
    ), layout


# ---------------------------------------------------------------- the record pass


def _record_pass(
    path: Path, layout: CsvLayout, rows: list[list[str]] | None, flush: Callable[[], None]
) -> _Scan:
    """One pass over the records after the header: where each starts, which are refused.

    Kept rows (cut to the header's width) go to `rows` when given; `flush` is called before
    a row is added to a full batch, so memory stays bounded and the last row is always in
    `rows` when the pass ends.
    """
    scan = _Scan()
    width, header_end, has_nul = layout.width, layout.header_end_line, layout.has_nul
    keep_start = scan.starts.append
    problems: list[tuple[int, int, int, str]] = []  # index, start, end, reason
    start = end = header_end
    index = -1
    kept_last = False
    collect = rows is not None
    with open_text(path, layout.encoding) as text:
        for _ in range(header_end):
            text.readline()
        lines: Iterable[str] = without_nul_padding(text) if layout.trailing_nul else text
        reader = csv.reader(lines, delimiter=layout.delimiter, quotechar='"', strict=False)
        fields: list[str] = []
        for fields in reader:  # noqa: B007 - the last record is checked after the loop
            index += 1
            start = end + 1
            end = reader.line_num + header_end
            n = len(fields)
            if n == width and not has_nul:  # the common case, kept as short as possible
                keep_start(start)
                if collect:
                    if len(rows) >= CHUNK_ROWS:  # type: ignore[arg-type]
                        flush()
                    rows.append(fields)  # type: ignore[union-attr]
                kept_last = True
                continue
            kept_last = False
            repaired: list[int] = []
            if has_nul and any("\x00" in f for f in fields):
                if mostly_nul(fields):
                    problems.append(
                        (
                            index,
                            start,
                            end,
                            "the row is mostly NUL bytes (binary data), expected text",
                        )
                    )
                    continue
                repaired = [i for i, f in enumerate(fields) if "\x00" in f]
                fields = [f.replace("\x00", "") for f in fields]
                if not any(fields):  # NUL bytes alone on a line: nothing lost
                    scan.blank.append(index)
                    continue
            if n == width:
                keep = fields
            elif n == 0:
                scan.blank.append(index)
                continue
            elif n < width:
                problems.append((index, start, end, f"too few fields: expected {width}, found {n}"))
                continue
            elif any(f.strip() for f in fields[width:]):
                problems.append(
                    (index, start, end, f"too many fields: expected {width}, found {n}")
                )
                continue
            else:
                scan.extra_empty_fields += 1
                keep = fields[:width]
            row = len(scan.starts)
            scan.repaired.extend((row, i, keep[i]) for i in repaired if i < width)
            keep_start(start)
            kept_last = True
            if collect:
                if len(rows) >= CHUNK_ROWS:  # type: ignore[arg-type]
                    flush()
                rows.append(keep)  # type: ignore[union-attr]
    scan.records = index + 1
    # A quote left open swallows everything to the end of the file into the last field.
    suspicious = not layout.ends_with_newline or any(f.endswith(("\n", "\r")) for f in fields)
    if suspicious and scan.records:
        (raw,) = _raw_records(path, layout.encoding, [(start, end)])
        if _ends_inside_quotes(raw, layout.delimiter):
            if end > start:
                raise ExportReadError(
                    f"a quoted field opened here is never closed; the rest of the file"
                    f" ({end - start + 1} lines) would become one value",
                    file=path.name,
                    line=start,
                )
            if kept_last:
                popped = len(scan.starts) - 1
                scan.starts.pop()
                scan.repaired = [r for r in scan.repaired if r[0] != popped]
                if rows is not None:
                    rows.pop()
            problems = [p for p in problems if p[0] != scan.records - 1]
            problems.append(
                (
                    scan.records - 1,
                    start,
                    end,
                    "the file ends inside a quoted field (truncated last line)",
                )
            )
    if problems:
        raws = _raw_records(path, layout.encoding, [(s, e) for _, s, e, _ in problems])
        for (i, s, _, reason), raw in zip(problems, raws, strict=True):
            scan.refused[i] = (s, reason, raw)
    return scan


def _raw_records(path: Path, encoding: str, spans: list[tuple[int, int]]) -> list[str]:
    """The physical lines start..end (1-based, inclusive) of each record, as written."""
    pending = sorted(set(spans))
    found: dict[tuple[int, int], str] = {}
    if not pending:
        return []
    position, buffer = 0, []
    with open_text(path, encoding) as text:
        for number, line in enumerate(text, start=1):
            first, last = pending[position]
            if number >= first:
                buffer.append(line)
            if number == last:
                found[(first, last)] = "".join(buffer)
                buffer, position = [], position + 1
                if position == len(pending):
                    break
    return [found.get(span, "") for span in spans]


def _ends_inside_quotes(raw: str, delimiter: str) -> bool:
    """True when this record runs to the end of the file inside an open quoted field."""
    if '"' not in raw:
        return False
    try:
        for _ in csv.reader(io.StringIO(raw), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# ---------------------------------------------------------------- engines


class _PolarsDisagrees(Exception):
    """The polars parse does not line up with the record pass; use the Python engine."""


def _read_with_python(path: Path, layout: CsvLayout, object_name: str | None) -> ExportTable:
    chunks: list[pl.DataFrame] = []
    rows: list[list[str]] = []

    def flush() -> None:
        chunks.append(_rows_frame(rows, layout.width))
        rows.clear()

    scan = _record_pass(path, layout, rows, flush)
    flush()
    values = pl.concat(chunks)
    return _finish(path, layout, object_name, values, scan, "python")


def _rows_frame(rows: list[list[str]], width: int) -> pl.DataFrame:
    names = [f"_c{i}" for i in range(width)]
    if not rows:
        return pl.DataFrame(schema={n: pl.Utf8 for n in names})
    return pl.DataFrame(
        {n: list(col) for n, col in zip(names, zip(*rows, strict=True), strict=True)},
        schema={n: pl.Utf8 for n in names},
    )


def _read_with_polars(path: Path, layout: CsvLayout, object_name: str | None) -> ExportTable:
    if layout.encoding in ("utf-8", "utf-8-sig"):
        source: Path | io.BytesIO = path
    else:
        with open_text(path, layout.encoding) as text:
            source = io.BytesIO(text.read().encode("utf-8"))
    # polars parses in its own threads while the record pass runs here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        parsed = pool.submit(_polars_values, source, layout)
        scan = _record_pass(path, layout, None, lambda: None)
        values = parsed.result()
    if values.height != scan.records:
        raise _PolarsDisagrees(
            f"polars saw {values.height} records, the record pass {scan.records}"
        )
    drop = sorted([*scan.blank, *scan.refused])
    if drop:
        values = values.with_row_index("_i").filter(~pl.col("_i").is_in(drop)).drop("_i")
    values = values.drop(f"_c{layout.width}")
    # Same record boundaries ⇔ same count of embedded newlines per kept row.
    newlines = values.select(
        pl.sum_horizontal(
            [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in values.columns]
        )
    ).to_series()
    starts = pl.Series(scan.starts, dtype=pl.Int64)
    if starts.len() > 1:
        spans = starts.diff().drop_nulls()
        expected = (newlines.head(spans.len()) + 1).cast(pl.Int64)
        mismatch = (spans < expected).any()
        if mismatch:
            raise _PolarsDisagrees("row boundaries differ between polars and the record pass")
    return _finish(path, layout, object_name, values, scan, "polars")


def _polars_values(source: Path | io.BytesIO, layout: CsvLayout) -> pl.DataFrame:
    try:
        return pl.read_csv(
            source,
            has_header=False,
            skip_lines=layout.header_end_line,
            separator=layout.delimiter,
            quote_char='"',
            schema={f"_c{i}": pl.Utf8 for i in range(layout.width + 1)},
            truncate_ragged_lines=True,
            raise_if_empty=False,
            encoding="utf8",
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise _PolarsDisagrees(str(exc)) from exc


def _finish(
    path: Path,
    layout: CsvLayout,
    object_name: str | None,
    values: pl.DataFrame,
    scan: _Scan,
    engine: str,
) -> ExportTable:
    """Name the columns, blank out empty cells, attach provenance and the quarantine."""
    notes = list(layout.notes)
    for i in layout.unnamed_trailing:
        column = values.get_column(f"_c{i}")
        if column.is_null().all() or (column.fill_null("").str.strip_chars() == "").all():
            layout.dropped.add(i)
        else:
            notes.append(
                f"header field {i + 1} has no name but holds values; called {layout.names[i]!r}"
            )
    if layout.dropped:
        notes.append(
            f"{len(layout.dropped)} empty trailing column(s) without a header name dropped"
        )
    keep = [i for i in range(layout.width) if i not in layout.dropped]
    frame = values.select(
        [pl.col(f"_c{i}").replace("", None).alias(layout.names[i]) for i in keep]
    ).with_columns(
        pl.lit(path.name, dtype=pl.Utf8).alias("_file"),
        pl.Series("_line", scan.starts, dtype=pl.Int64),
    )
    quarantine = pl.DataFrame(
        {
            "map_object": [object_name or path.stem] * len(scan.refused),
            "source_id": [None] * len(scan.refused),
            "file": [path.name] * len(scan.refused),
            "line": [line for line, _, _ in scan.refused.values()],
            "column": [None] * len(scan.refused),
            "value": [
                raw.rstrip("\r\n")[:QUARANTINE_VALUE_CHARS] for _, _, raw in scan.refused.values()
            ],
            "reason": [reason for _, reason, _ in scan.refused.values()],
        },
        schema=QUARANTINE_SCHEMA,
    )
    repaired = [(scan.starts[row], layout.names[i], value) for row, i, value in scan.repaired
                if i not in layout.dropped]  # fmt: skip
    repairs = repairs_frame(NUL_REMOVED, path.name, repaired)
    if frame.height == 0 and quarantine.height == 0:
        raise ExportReadError(
            "the file has a header but no records", file=path.name, line=layout.header_end_line
        )
    if scan.blank:
        notes.append(f"{len(scan.blank)} blank line(s) skipped")
    if scan.extra_empty_fields:
        notes.append(
            f"{scan.extra_empty_fields} row(s) had empty fields beyond the header's"
            f" {layout.width} columns; ignored"
        )
    if repairs.height:
        notes.append(f"NUL bytes removed from {repairs.height} value(s) ({per_column(repairs)})")
    if scan.refused:
        notes.append(f"{len(scan.refused)} row(s) quarantined")
    notes.append(f"read with the {engine} engine")
    return ExportTable(
        object=object_name or path.stem,
        files=[path],
        frame=frame,
        quarantine=quarantine,
        encoding=layout.encoding,
        delimiter=layout.delimiter,
        notes=notes,
        repairs=repairs,
    )


def _empty_rows(columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        schema={**{c: pl.Utf8 for c in columns}, "_file": pl.Utf8, "_line": pl.Int64}
    )
