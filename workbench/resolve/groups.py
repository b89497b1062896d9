"""Rows that some rule says are one entity, grouped; and the frame columns those rules compare.

Company dedupe and contact dedupe both read optional columns of a staged frame and fold rows
into groups pair by pair, so they share these two pieces.
"""

from __future__ import annotations

import polars as pl

from workbench.errors import ResolveError


def column_values(frame: pl.DataFrame, name: str | None, what: str) -> list[str | None]:
    """The column's values as text, or all None when the map names no such column."""
    if name is None:
        return [None] * frame.height
    if name not in frame.columns:
        raise ResolveError(
            f"no {what} column {name!r}; the columns are {', '.join(frame.columns)}", column=name
        )
    return frame[name].cast(pl.Utf8).to_list()


class DuplicateGroups:
    """Union-find over row numbers; a group is named by its lowest row, the first in load order."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)
