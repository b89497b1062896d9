"""Duplicate contacts: the same email merges, near-duplicates are proposed, never merged blindly.

Twenty's person email is unique, so two rows with one address cannot both load. Rows sharing an
address *and* a compatible name are one person (merged: one record, every source id kept).
Rows sharing an address under different names are different people who share a mailbox: the
first keeps it, the others keep it as an additional email. Other pairs are scored by the
contact model (person_model.py, weights fitted on labelled data): merge-close pairs are merged
when the policy says "merge" and reviewed otherwise, the band below goes to review; the
analyst's decisions override both.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
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
from workbench.resolve.person_model import (
    PersonModel,
    agreeing_fields,
    candidate_pairs,
    default_model,
    match_weights,
    pair_levels,
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
    "weight": pl.Float64,
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


def _plain_values(frame: pl.DataFrame, column: str, field: str) -> list[str | None]:
    """Comparable text of an address or birth-date column: plain lower-case words, or only
    the digits of a date ("1983-10-24" and "19831024" agree)."""
    raw = column_values(frame, column, field.replace("_", " "))
    if field == "birth_date":
        return [re.sub(r"\D", "", v) or None if v else None for v in raw]
    return [normalise_person_name(v) or None if v else None for v in raw]


def _why(fields: list[str]) -> str:
    """'same name and phone' from the fields that agree exactly."""
    said = [f for f in fields if f not in ("first_name", "last_name")]
    if "first_name" in fields and "last_name" in fields:
        said.insert(0, "name")
    elif "last_name" in fields:
        said.insert(0, "last name")
    return "same " + " and ".join(s.replace("_", " ") for s in said) if said else "similar details"


def _scored_pairs(
    model: PersonModel,
    values: dict[str, list[str | None]],
    names: list[str],
    keys: list[str],
    emails: list[str | None],
    groups: DuplicateGroups,
    shared_with: list[str | None],
    merged_by: list[str | None],
    policy: Policy,
    decided: Decisions,
) -> list[dict[str, object]]:
    """Score blocked pairs with the contact model: merge-close pairs merge when the policy (or
    an analyst) says so, the rest down to review_at go to review. Rows sharing an address that
    the email rule kept apart (a shared mailbox) are different people."""
    pairs = candidate_pairs(model, values, len(keys))
    same_box = np.array(
        [bool(emails[i]) and emails[i] == emails[j] for i, j in pairs.tolist()], dtype=bool
    )
    pairs = pairs[~same_box] if len(pairs) else pairs
    levels = pair_levels(model, values, pairs)
    weights = match_weights(model, levels, values, pairs)
    close = np.nonzero(weights >= model.review_at)[0]
    agreeing = agreeing_fields(model, levels[close])
    review = []
    for position in np.argsort(-weights[close], kind="stable"):
        k = close[position]
        a, b = (int(x) for x in pairs[k])
        weight = float(weights[k])
        if groups.find(a) == groups.find(b):
            continue
        answer = decided.get(pair_id(keys[a], keys[b]))
        why = _why(agreeing[position])
        if answer == "apart":
            continue
        if answer == "merge" or (policy == "merge" and weight >= model.merge_at):
            groups.union(a, b)
            merged_by[max(a, b)] = "analyst" if answer == "merge" else why
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
                "weight": round(weight, 2),
                "why": why,
            }
        )
    return review


def _compatible(a: str, b: str) -> bool:
    return not a or not b or a == b or fuzz.token_sort_ratio(a, b) >= SAME_NAME_SCORE


def person_values(
    frame: pl.DataFrame,
    *,
    email_col: str | None = None,
    first_col: str | None = None,
    last_col: str | None = None,
    name_col: str | None = None,
    phone_col: str | None = None,
    company_col: str | None = None,
    street_col: str | None = None,
    city_col: str | None = None,
    postcode_col: str | None = None,
    state_col: str | None = None,
    birth_col: str | None = None,
) -> dict[str, list[str | None]]:
    """The comparable value of every model field per row (None when missing or not mapped).

    Names come from `first_col` + `last_col`, or from `name_col` split at its first space.
    """
    if name_col:
        full = [normalise_person_name(n) for n in column_values(frame, name_col, "full name")]
        firsts = [name.partition(" ")[0] or None for name in full]
        lasts = [name.partition(" ")[2] or None for name in full]
    else:
        firsts = [
            normalise_person_name(v) or None for v in column_values(frame, first_col, "first name")
        ]
        lasts = [
            normalise_person_name(v) or None for v in column_values(frame, last_col, "last name")
        ]
    extra = {
        "street": street_col,
        "city": city_col,
        "postcode": postcode_col,
        "state": state_col,
        "birth_date": birth_col,
    }
    places = {f: _plain_values(frame, extra[f], f) for f in ("postcode", "city") if extra[f]}
    # Town and postcode say one thing twice: the model weighs them together as one place.
    place = [
        " ".join(v for v in parts if v) or None for parts in zip(*places.values(), strict=True)
    ]
    return {
        **({"place": place} if places else {}),
        "first_name": firsts,
        "last_name": lasts,
        "email": [normalise_email(e) for e in column_values(frame, email_col, "email")],
        "phone": [normalise_phone(p) for p in column_values(frame, phone_col, "phone")],
        "company": [
            normalise_company_name(c) or None for c in column_values(frame, company_col, "company")
        ],
        **{field: _plain_values(frame, col, field) for field, col in extra.items() if col},
    }


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
    street_col: str | None = None,
    city_col: str | None = None,
    postcode_col: str | None = None,
    state_col: str | None = None,
    birth_col: str | None = None,
    policy: Policy = "flag",
    decisions: Decisions | Mapping[str, str] | None = None,
    model: PersonModel | None = None,
) -> PeopleDuplicates:
    """Find duplicate contacts in `frame` (one contact per row, in load order).

    `key_col` names each row in decisions and results (default: the row number). Address and
    birth-date columns, when the export has them, are further evidence for the contact model
    (people_model.yaml); see `person_values` for the name columns.
    """
    if policy not in ("merge", "flag"):
        raise ResolveError(f"the near-duplicate policy is 'merge' or 'flag', not {policy!r}")
    model = model or default_model()
    decided = decisions if isinstance(decisions, Decisions) else Decisions(dict(decisions or {}))
    keys = (
        [k if k else str(i) for i, k in enumerate(column_values(frame, key_col, "record key"))]
        if key_col
        else [str(i) for i in range(frame.height)]
    )
    values = person_values(
        frame,
        email_col=email_col,
        first_col=first_col,
        last_col=last_col,
        name_col=name_col,
        phone_col=phone_col,
        company_col=company_col,
        street_col=street_col,
        city_col=city_col,
        postcode_col=postcode_col,
        state_col=state_col,
        birth_col=birth_col,
    )
    emails = values["email"]
    names = [
        " ".join(p for p in pair if p)
        for pair in zip(values["first_name"], values["last_name"], strict=True)
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

    review = _scored_pairs(
        model, values, names, keys, emails, groups, shared_with, merged_by, policy, decided
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
