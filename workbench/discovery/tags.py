"""Tag and list taxonomy, near-duplicate tags, and the behavioural-tag audit.

Tags are split on commas and semicolons (Kartra's exporter uses one, its importer the other),
then grouped: case, spacing and punctuation never make two tags different ("VIP", "vip ",
"V.I.P."), and close spellings ("Newsletter"/"Newsleter") are grouped by rapidfuzz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl
from rapidfuzz import fuzz
from unidecode import unidecode

from workbench.discovery.kinds import clean, split_list

NEAR_DUPLICATE_SCORE = 90  # rapidfuzz ratio between two normalised tag keys
MIN_FUZZY_LENGTH = 5  # shorter keys are only grouped when equal ("cold" vs "gold" stay apart)

# Behaviour Kartra's CSV export leaves out unless an account tagged it (seeds: Kartra audit).
BEHAVIOURS: dict[str, str] = {
    "forms": r"form|opt[\s_-]?in|signup|sign[\s_-]up",
    "surveys": r"survey|quiz|poll|questionnaire",
    "webinars": r"webinar|live[\s_-]?event|masterclass",
    "membership": r"member|academy|course|login|access",
}


def tag_key(tag: str) -> str:
    """What makes two tags the same tag: letters and digits, lower case, accents removed."""
    return re.sub(r"[^a-z0-9]", "", unidecode(tag).lower())


@dataclass
class TagGroup:
    """One tag as the analyst will create it, with every spelling found in the export."""

    label: str  # the most used spelling
    variants: dict[str, int]  # spelling -> occurrences
    contacts: int  # rows carrying any spelling of it

    @property
    def count(self) -> int:
        return sum(self.variants.values())

    def to_json(self) -> dict[str, object]:
        return {"label": self.label, "count": self.count, "contacts": self.contacts,
                "variants": self.variants}  # fmt: skip


@dataclass
class Taxonomy:
    """The tags of one multi-valued column."""

    column: str
    rows_with_tags: int
    values: dict[str, int]  # spelling as written (stripped) -> occurrences
    groups: list[TagGroup] = field(default_factory=list)

    @property
    def near_duplicates(self) -> list[list[str]]:
        return [list(g.variants) for g in self.groups if len(g.variants) > 1]

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [(g.label, g.count, g.contacts, len(g.variants)) for g in self.groups],
            schema={"tag": pl.Utf8, "count": pl.Int64, "contacts": pl.Int64, "spellings": pl.Int64},
            orient="row",
        )

    def to_json(self) -> dict[str, object]:
        return {
            "column": self.column,
            "rows_with_tags": self.rows_with_tags,
            "values": self.values,
            "groups": [g.to_json() for g in self.groups],
            "near_duplicates": self.near_duplicates,
        }


def taxonomy(frame: pl.DataFrame, column: str) -> Taxonomy:
    """Split, count and group the tags of one column."""
    items = (
        frame.select(
            pl.int_range(pl.len()).alias("row"), split_list(clean(pl.col(column))).alias("tag")
        )
        .explode("tag", empty_as_null=True)
        .drop_nulls("tag")
    )
    values = dict(items.get_column("tag").value_counts(sort=True).iter_rows())
    rows_with_tags = items.get_column("row").n_unique() if items.height else 0
    keys = {v: tag_key(v) for v in values}
    groups = _group_keys(
        sorted(set(keys.values()), key=lambda k: -sum(n for v, n in values.items() if keys[v] == k))
    )
    out: list[TagGroup] = []
    for members in groups:
        variants = {v: n for v, n in values.items() if keys[v] in members}
        spelled = set(variants)
        contacts = items.filter(pl.col("tag").is_in(spelled)).get_column("row").n_unique()
        label = max(variants, key=lambda v: (variants[v], v))
        out.append(TagGroup(label, dict(sorted(variants.items(), key=lambda kv: -kv[1])), contacts))
    out.sort(key=lambda g: -g.count)
    return Taxonomy(column, rows_with_tags, values, out)


def _group_keys(keys: list[str]) -> list[set[str]]:
    """Keys grouped when rapidfuzz finds them close; the most used key anchors its group."""
    groups: list[set[str]] = []
    anchors: list[str] = []
    for key in keys:
        for anchor, group in zip(anchors, groups, strict=True):
            if (
                min(len(key), len(anchor)) >= MIN_FUZZY_LENGTH
                and fuzz.ratio(key, anchor) >= NEAR_DUPLICATE_SCORE
            ):
                group.add(key)
                break
        else:
            anchors.append(key)
            groups.append({key})
    return groups


def behaviour_audit(taxonomies: list[Taxonomy]) -> dict[str, dict[str, object]]:
    """For each behaviour the export cannot carry: captured by tags (which, on how many
    contacts), or absent — to be written into the scope as lost."""
    audit: dict[str, dict[str, object]] = {}
    for behaviour, pattern in BEHAVIOURS.items():
        tags = {
            g.label: g.contacts
            for t in taxonomies
            for g in t.groups
            if any(re.search(pattern, v, re.IGNORECASE) for v in g.variants)
        }
        audit[behaviour] = {"captured": bool(tags), "tags": tags}
    return audit
