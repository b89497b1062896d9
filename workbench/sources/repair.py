"""Damage the reader repairs instead of quarantining, because nothing of the value is lost.

Legacy exporters leave NUL bytes inside values (`Er\\0ic`) and pad files to a block size with
NULs after the last line. Removing them gives back the value as it was typed, so the row is
kept and the repaired cell is listed (`REPAIR_SCHEMA`) for discovery to count per column. A row
that is mostly NUL bytes is binary data, not a damaged text row: it stays quarantined.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl

from workbench.records import REPAIR_SCHEMA


def without_nul_padding(lines: Iterable[str]) -> Iterator[str]:
    """The lines as they are, except NUL padding at the very end of the file.

    Lines holding only NULs and line breaks after the last record, and NULs ending its last
    line, are not data.
    """
    pending: list[str] = []  # the last line with data, then the lines after it
    for line in lines:
        if line.strip("\x00\r\n"):
            yield from pending
            pending = [line]
        else:
            pending.append(line)
    if not pending:
        return
    first = pending[0]
    if first.strip("\x00\r\n"):  # the last line with data, maybe followed by padding
        body = first.rstrip("\x00\r\n")
        yield body + first[len(body) :].replace("\x00", "")
        pending = pending[1:]
    if not any("\x00" in line for line in pending):
        yield from pending  # plain blank lines at the end are counted as before


def mostly_nul(fields: list[str]) -> bool:
    """A row whose characters are mostly NUL is binary data, not a damaged text row."""
    total = sum(len(f) for f in fields)
    return sum(f.count("\x00") for f in fields) * 2 > total


def repairs_frame(repair: str, file: str, cells: list[tuple[int, str, str]]) -> pl.DataFrame:
    """One row per repaired cell: (line, column, value as kept)."""
    return pl.DataFrame(
        {
            "repair": [repair] * len(cells),
            "column": [column for _, column, _ in cells],
            "value": [value or None for _, _, value in cells],
            "_file": [file] * len(cells),
            "_line": [line for line, _, _ in cells],
        },
        schema=REPAIR_SCHEMA,
    )


def per_column(repairs: pl.DataFrame) -> str:
    """`first_name: 2, last_name: 1`, columns in the order first met."""
    counts = repairs.group_by("column", maintain_order=True).len().iter_rows()
    return ", ".join(f"{column}: {n}" for column, n in counts)
