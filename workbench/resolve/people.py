"""Duplicate contacts: the same email merges, near-duplicates are proposed, never merged blindly.

Twenty's person email is unique, so two rows with one address cannot both load. Rows sharing an
address *and* a compatible name are one person (merged: one record, every source id kept).
Rows sharing an address under different names are different people who share a mailbox: the
first keeps it, the others keep it as an additional email. Near-duplicates with different
emails (same name and phone, or same name and company) go to review, or are merged when the
policy says "merge"; the analyst's decisions override both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl
from rapidfuzz import fuzz

from workbench.errors import ResolveError
from workbench.resolve.companies import PairMetrics, pairwise_metrics
from workbench.resolve.decisions import Decisions, pair_id
from workbench.resolve.groups import DuplicateGroups, column_values
from workbench.resolve.normalise import (
    normalise_company_name,
    normalise_email,
    normalise_person_name,
    normalise_phone,
)

Policy = Literal["merge", "flag"]
SAME_NAME_SCORE = 85  # token_sort_ratio of two names written for one person ("Jon"/"John" typos)

PEOPLE_REVIEW_SCHEMA: dict[str, pl.DataType] = {
    "pair": pl.Utf8,
    "a": pl.Utf8,
    "b": pl.Utf8,
    "a_name": pl.Utf8,
    "b_name": pl.Utf8,
    "a_email": pl.Utf8,
    "b_email": pl.Utf8,
    "why": pl.Utf8,
}


@dataclass
class PeopleDuplicates:
    """Per input row: its person, the row key it merges into, and why; plus review pairs."""

    rows: pl.DataFrame
    review: pl.DataFrame

    def metrics(self, truth: list[str | None]) -> PairMetrics:
        return pairwise_metrics(self.rows["person"].to_list(), truth)

    def survivors(self) -> dict[str, str]:
        """Row key → the key of the record it is loaded as (itself when it survives)."""
        return dict(zip(self.rows["key"], self.rows["survivor"], strict=True))


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b or fuzz.token_sort_ratio(a, b) >= SAME_NAME_SCORE


def dedupe_people(
    frame: pl.DataFrame,
    *,
    email_col: str | None,
    first_col: str | None = None,
    last_col: str | None = None,
    name_col: str | None = None,
    phone_col: str | None = None,
    company_col: str | None = None,
    key_col: str | None = None,
    policy: Policy = "flag",
    decisions: Decisions | Mapping[str, str] | None = None,
) -> PeopleDuplicates:
    """Find duplicate contacts in `frame` (one contact per row, in load order).

    Names come from `first_col` + `last_col` or from `name_col`; `key_col` names each row in
    decisions and results (default: the row number).
    """
    if policy not in ("merge", "flag"):
        raise ResolveError(f"the near-duplicate policy is 'merge' or 'flag', not {policy!r}")
    decided = decisions if isinstance(decisions, Decisions) else Decisions(dict(decisions or {}))
    keys = (
        [k if k else str(i) for i, k in enumerate(column_values(frame, key_col, "record key"))]
        if key_col
        else [str(i) for i in range(frame.height)]
    )
    emails = [normalise_email(e) for e in column_values(frame, email_col, "email")]
    if name_col:
        names = [normalise_person_name(n) for n in column_values(frame, name_col, "full name")]
    else:
        names = [
            normalise_person_name(f, last)
            for f, last in zip(
                column_values(frame, first_col, "first name"),
                column_values(frame, last_col, "last name"),
                strict=True,
            )
        ]
    phones = [normalise_phone(p) for p in column_values(frame, phone_col, "phone")]
    companies = [
        normalise_company_name(c) or None for c in column_values(frame, company_col, "company")
    ]
    n = frame.height
    groups = DuplicateGroups(n)
    merged_by: list[str | None] = [None] * n
    shared_with: list[str | None] = [None] * n

    by_email: dict[str, list[int]] = defaultdict(list)
    for row, email in enumerate(emails):
        if email:
            by_email[email].append(row)
    for rows in by_email.values():
        holders: list[int] = []  # first row of each distinct person at this address
        for row in rows:
            home = next((h for h in holders if _compatible(names[h], names[row])), None)
            if home is None:
                holders.append(row)
                if len(holders) > 1:
                    shared_with[row] = keys[holders[0]]
            else:
                groups.union(home, row)
                merged_by[row] = "email"

    review = []
    by_name: dict[str, list[int]] = defaultdict(list)
    for row, name in enumerate(names):
        if name:
            by_name[name].append(row)
    for rows in by_name.values():
        for position, a in enumerate(rows):
            for b in rows[position + 1 :]:
                if groups.find(a) == groups.find(b) or (emails[a] and emails[a] == emails[b]):
                    continue
                why = (
                    "same name and phone"
                    if phones[a] and phones[a] == phones[b]
                    else "same name and company"
                    if companies[a] and companies[a] == companies[b]
                    else None
                )
                answer = decided.get(pair_id(keys[a], keys[b]))
                if answer == "apart" or (why is None and answer != "merge"):
                    continue
                if answer == "merge" or policy == "merge":
                    groups.union(a, b)
                    merged_by[b] = "analyst" if answer == "merge" else why
                    continue
                review.append(
                    {
                        "pair": pair_id(keys[a], keys[b]),
                        "a": keys[a],
                        "b": keys[b],
                        "a_name": names[a],
                        "b_name": names[b],
                        "a_email": emails[a],
                        "b_email": emails[b],
                        "why": why,
                    }
                )
    index = {k: i for i, k in enumerate(keys)}
    for a_key, b_key in decided.pairs():  # merges decided across name blocks
        if decided.get(pair_id(a_key, b_key)) == "merge":
            if a_key in index and b_key in index:
                groups.union(index[a_key], index[b_key])
                later = max(index[a_key], index[b_key])
                merged_by[later] = merged_by[later] or "analyst"
    roots = [groups.find(i) for i in range(n)]
    rows_frame = pl.DataFrame(
        {
            "row": list(range(n)),
            "key": keys,
            "email": emails,
            "person": roots,
            "survivor": [keys[r] for r in roots],
            "merged_by": [m if roots[i] != i else None for i, m in enumerate(merged_by)],
            "email_shared_with": shared_with,
        },
        schema={
            "row": pl.Int64,
            "key": pl.Utf8,
            "email": pl.Utf8,
            "person": pl.Int64,
            "survivor": pl.Utf8,
            "merged_by": pl.Utf8,
            "email_shared_with": pl.Utf8,
        },
    )
    return PeopleDuplicates(
        rows=rows_frame, review=pl.DataFrame(review, schema=PEOPLE_REVIEW_SCHEMA)
    )
