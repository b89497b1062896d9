"""Probabilistic contact matching (Fellegi–Sunter): blocking rules, comparisons and weights as data.

people_model.yaml says which rows are compared at all (blocking rules: rows sharing every field
of a rule, as in splink), how each field of a pair is compared (ordered comparison levels, the
first that holds wins) and what each level is worth: m = P(level | same person) and
u = P(level | different people), fitted on labelled development data by
benchmarks/fit_people_model.py. A pair's match weight is the sum of log2(m/u) over its fields;
a missing value on either side is neutral. Weights at or above `merge_at` are one person, the
band down to `review_at` goes to an analyst.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

from workbench.errors import ConfigError

MODEL_FILE = Path(__file__).with_name("people_model.yaml")
FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "street",
    "city",
    "postcode",
    "state",
    "place",
    "birth_date",
)
LEVEL_KINDS = ("exact", "jaro_winkler", "levenshtein", "token_sort", "initial", "else")
TF_PSEUDO_ROWS = 1000  # smoothing of term frequencies in small exports
NULL = -1  # level index of a pair with a value missing on either side


@dataclass(frozen=True)
class Level:
    """One comparison level: a test on two values and the evidence when it is the first to hold."""

    label: str
    kind: str
    at: float = 0.0
    m: float = 0.5
    u: float = 0.5

    @property
    def weight(self) -> float:
        return float(np.log2(self.m / self.u))


@dataclass(frozen=True)
class Comparison:
    """How one field of a pair is compared. With `term_frequency`, an exact agreement on a
    common value ("john", a big town) is worth less: its u is at least the value's share of
    the rows (splink's term-frequency adjustment)."""

    field: str
    levels: tuple[Level, ...]
    term_frequency: bool = False


@dataclass(frozen=True)
class BlockingRule:
    """Rows whose values agree on every field (or its first `prefix` characters) are compared."""

    fields: tuple[str, ...]
    prefix: int = 0
    max_block: int = 200


@dataclass(frozen=True)
class PersonModel:
    blocking: tuple[BlockingRule, ...]
    comparisons: tuple[Comparison, ...]
    swap_names: bool
    merge_at: float
    review_at: float

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "people model") -> PersonModel:
        """Validate every part and report every problem at once."""
        problems: list[str] = []
        rules: list[BlockingRule] = []
        for position, item in enumerate(data.get("blocking") or []):
            fields = tuple(item.get("fields") or []) if isinstance(item, dict) else ()
            unknown = [f for f in fields if f not in FIELDS]
            if not fields or unknown:
                problems.append(f"blocking[{position}] needs fields from {FIELDS}, got {fields}")
                continue
            rules.append(
                BlockingRule(fields, int(item.get("prefix", 0)), int(item.get("max_block", 200)))
            )
        comparisons: list[Comparison] = []
        frequent = set(data.get("term_frequency") or [])
        for field in frequent - set(FIELDS):
            problems.append(f"term_frequency field {field!r} is not one of {FIELDS}")
        for field, spec in (data.get("comparisons") or {}).items():
            if field not in FIELDS:
                problems.append(f"comparison {field!r} is not one of {FIELDS}")
                continue
            levels = []
            for position, level in enumerate(spec or []):
                kind = level.get("kind") if isinstance(level, dict) else None
                if kind not in LEVEL_KINDS:
                    problems.append(f"{field}[{position}].kind {kind!r} not in {LEVEL_KINDS}")
                    continue
                m, u = level.get("m"), level.get("u")
                if not all(isinstance(p, int | float) and 0 < p <= 1 for p in (m, u)):
                    problems.append(f"{field}[{position}] needs m and u in (0, 1], got {m}, {u}")
                    continue
                levels.append(
                    Level(level.get("label", kind), kind, float(level.get("at", 0)), m, u)
                )
            if not levels or levels[-1].kind != "else":
                problems.append(f"comparison {field!r} must end with an 'else' level")
            comparisons.append(Comparison(field, tuple(levels), field in frequent))
        merge_at, review_at = data.get("merge_at"), data.get("review_at")
        if not isinstance(merge_at, int | float) or not isinstance(review_at, int | float):
            problems.append(f"merge_at and review_at must be numbers, got {merge_at}, {review_at}")
        elif review_at > merge_at:
            problems.append(f"review_at ({review_at}) must not exceed merge_at ({merge_at})")
        if not rules:
            problems.append("at least one blocking rule is needed")
        if problems:
            raise ConfigError(f"{where}: " + "; ".join(problems))
        return cls(
            tuple(rules),
            tuple(comparisons),
            bool(data.get("swap_names", True)),
            float(merge_at),  # type: ignore[arg-type]
            float(review_at),  # type: ignore[arg-type]
        )


@cache
def default_model() -> PersonModel:
    """The fitted model shipped with the package (people_model.yaml)."""
    with MODEL_FILE.open(encoding="utf-8") as handle:
        return PersonModel.from_dict(yaml.safe_load(handle), where=MODEL_FILE.name)


Values = Mapping[str, Sequence[str | None]]


def _block_key(rule: BlockingRule, values: Values, row: int) -> str | None:
    parts = []
    for field in rule.fields:
        value = values[field][row] if field in values else None
        if not value:
            return None
        parts.append(value[: rule.prefix] if rule.prefix else value)
    return "\x1f".join(parts)


def _blocks(rule: BlockingRule, values: Values, n: int) -> Iterator[np.ndarray]:
    """Groups of rows to compare; an oversized group is walked as overlapping sorted windows."""
    groups: dict[str, list[int]] = defaultdict(list)
    for row in range(n):
        key = _block_key(rule, values, row)
        if key is not None:
            groups[key].append(row)
    order_by = [v for f in ("last_name", "first_name") if f in values for v in [values[f]]]
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) <= rule.max_block:
            yield np.asarray(members)
            continue
        members.sort(key=lambda r: tuple(column[r] or "" for column in order_by))
        step = max(1, rule.max_block // 2)
        for start in range(0, len(members) - step, step):
            yield np.asarray(members[start : start + rule.max_block])


def candidate_pairs(model: PersonModel, values: Values, n: int) -> np.ndarray:
    """Unique (i, j) row pairs, i < j, that some blocking rule puts together."""
    found = []
    for rule in model.blocking:
        if not all(field in values for field in rule.fields):
            continue
        for members in _blocks(rule, values, n):
            i, j = np.triu_indices(len(members), 1)
            a, b = members[i], members[j]
            found.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = pl.Series(np.concatenate(found)).unique().sort().to_numpy()
    return np.stack([codes // n, codes % n], axis=1)


def _similarity(kind: str, a: list[str], b: list[str]) -> np.ndarray:
    if kind == "jaro_winkler":
        return process.cpdist(a, b, scorer=JaroWinkler.normalized_similarity, dtype=np.float32)
    if kind == "levenshtein":
        return process.cpdist(a, b, scorer=Levenshtein.distance, dtype=np.int32)
    if kind == "token_sort":
        return process.cpdist(a, b, scorer=fuzz.token_sort_ratio, dtype=np.float32)
    if kind == "initial":
        return np.array([x[:1] == y[:1] for x, y in zip(a, b, strict=True)])
    return np.array([x == y for x, y in zip(a, b, strict=True)])


def _comparison_levels(
    comparison: Comparison, a: list[str | None], b: list[str | None]
) -> np.ndarray:
    """Index of the first level that holds for each pair (NULL when a value is missing)."""
    out = np.full(len(a), NULL, dtype=np.int8)
    present = np.array([bool(x) and bool(y) for x, y in zip(a, b, strict=True)], dtype=bool)
    if not present.any():
        return out
    where = np.nonzero(present)[0]
    left = [a[k] for k in where]
    right = [b[k] for k in where]
    chosen = np.full(len(where), NULL, dtype=np.int8)
    for position, level in enumerate(comparison.levels):
        if level.kind == "else":
            hold = np.ones(len(where), dtype=bool)
        else:
            similarity = _similarity(level.kind, left, right)  # type: ignore[arg-type]
            if level.kind == "levenshtein":
                hold = similarity <= level.at
            elif level.kind in ("jaro_winkler", "token_sort"):
                hold = similarity >= level.at
            else:
                hold = similarity.astype(bool)
        chosen[(chosen == NULL) & hold] = position
    out[where] = chosen
    return out


def _oriented(model: PersonModel, values: Values, pairs: np.ndarray) -> dict[str, list]:
    """The right-hand values of each pair, with first and last name swapped back where the
    other row wrote them the other way round ("smith john" / "john smith")."""
    right = {f: [values[f][j] for j in pairs[:, 1]] for f in values}
    if not model.swap_names or "first_name" not in values or "last_name" not in values:
        return right
    first_a = [values["first_name"][i] or "" for i in pairs[:, 0]]
    last_a = [values["last_name"][i] or "" for i in pairs[:, 0]]
    first_b = [x or "" for x in right["first_name"]]
    last_b = [x or "" for x in right["last_name"]]
    jw = JaroWinkler.normalized_similarity
    straight = process.cpdist(first_a, first_b, scorer=jw) + process.cpdist(
        last_a, last_b, scorer=jw
    )
    swapped = process.cpdist(first_a, last_b, scorer=jw) + process.cpdist(
        last_a, first_b, scorer=jw
    )
    for k in np.nonzero(swapped > straight + 0.2)[0]:
        right["first_name"][k], right["last_name"][k] = (
            right["last_name"][k],
            right["first_name"][k],
        )
    return right


def pair_levels(model: PersonModel, values: Values, pairs: np.ndarray) -> np.ndarray:
    """Level index per pair (rows) and comparison (columns); NULL where a value is missing."""
    right = _oriented(model, values, pairs)
    columns = []
    for comparison in model.comparisons:
        if comparison.field not in values:
            columns.append(np.full(len(pairs), NULL, dtype=np.int8))
            continue
        left = [values[comparison.field][i] for i in pairs[:, 0]]
        columns.append(_comparison_levels(comparison, left, right[comparison.field]))
    return np.stack(columns, axis=1) if columns else np.empty((len(pairs), 0), dtype=np.int8)


def match_weights(
    model: PersonModel,
    levels: np.ndarray,
    values: Values | None = None,
    pairs: np.ndarray | None = None,
) -> np.ndarray:
    """Sum of log2(m/u) of each pair's levels; missing values add nothing. Given the values
    and pairs, exact agreements on term-frequency fields use the value's own frequency."""
    total = np.zeros(len(levels), dtype=np.float64)
    for column, comparison in enumerate(model.comparisons):
        table = np.array([level.weight for level in comparison.levels] + [0.0])
        weights = table[levels[:, column]]  # NULL (-1) picks the trailing 0.0
        field = comparison.field
        if comparison.term_frequency and values is not None and pairs is not None and len(pairs):
            column_values = values.get(field)
            exact = np.nonzero(levels[:, column] == 0)[0]
            if column_values is not None and len(exact):
                counts = pl.Series(column_values).value_counts()
                # The other rows holding the value, over the export plus TF_PSEUDO_ROWS, so a
                # name seen twice in a ten-row export is not taken for a common one.
                share = dict(
                    zip(
                        counts[:, 0],
                        (counts["count"] - 1) / (len(column_values) + TF_PSEUDO_ROWS),
                        strict=True,
                    )
                )
                first = comparison.levels[0]
                u = np.array([max(first.u, share[column_values[pairs[k, 0]]]) for k in exact])
                weights[exact] = np.log2(first.m / u)
        total += weights
    return total


def agreeing_fields(model: PersonModel, levels: np.ndarray) -> list[list[str]]:
    """Per pair, the fields whose first (strongest) level holds: the "same …" of a reason."""
    fields = [c.field for c in model.comparisons]
    return [[fields[c] for c in np.nonzero(row == 0)[0]] for row in levels]
