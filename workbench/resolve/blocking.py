"""Rules that decide which company names are compared at all, and how a pair is scored.

Blocking keeps the cost near-linear: a pair is scored only when some rule puts both names in one
block, and an oversized block is walked as overlapping windows of sorted names (sorted
neighbourhood) instead of all its pairs. The rules are data (reference.yaml), as in splink.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from workbench.errors import ConfigError
from workbench.resolve.normalise import reference_data

# Word blocks up to this size are also searched for one name inside another ("Vanguard" /
# "Vanguard Architects"); a bigger block is a common word, where that says little.
SUBSET_BLOCK = 60
RULE_KINDS = ("prefix", "suffix", "token", "domain")
_STOP_TOKENS = {"and", "of", "for", "the"}


@dataclass(frozen=True)
class BlockingRule:
    """Names sharing this rule's key are compared: first/last letters, a word, or a domain."""

    name: str
    kind: str
    length: int = 4
    min_length: int = 3
    max_block: int = 300


@dataclass(frozen=True)
class CompanyRules:
    """Thresholds and blocking rules of company dedupe."""

    merge_at: float
    review_at: float
    blocking: tuple[BlockingRule, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "company rules") -> CompanyRules:
        """Validate every field and report every problem at once."""
        problems: list[str] = []
        merge_at = data.get("merge_at")
        review_at = data.get("review_at")
        for label, value in (("merge_at", merge_at), ("review_at", review_at)):
            if not isinstance(value, int | float) or not 0 <= value <= 100:
                problems.append(f"{label} must be a number from 0 to 100, got {value!r}")
        if not problems and review_at > merge_at:  # type: ignore[operator]
            problems.append(f"review_at ({review_at}) must not exceed merge_at ({merge_at})")
        rules: list[BlockingRule] = []
        for position, item in enumerate(data.get("blocking") or []):
            if not isinstance(item, dict):
                problems.append(f"blocking[{position}] must be a mapping")
                continue
            kind = item.get("kind")
            if kind not in RULE_KINDS:
                problems.append(
                    f"blocking[{position}].kind {kind!r} is not one of {', '.join(RULE_KINDS)}"
                )
            unknown = set(item) - {"name", "kind", "length", "min_length", "max_block"}
            if unknown:
                problems.append(f"blocking[{position}] has unknown keys {sorted(unknown)}")
            for key in ("length", "min_length", "max_block"):
                if key in item and (not isinstance(item[key], int) or item[key] < 1):
                    problems.append(f"blocking[{position}].{key} must be a positive integer")
            if not any(p.startswith(f"blocking[{position}]") for p in problems):
                rules.append(BlockingRule(**{"name": item.get("name", f"rule{position}"), **item}))
        if not rules and not problems:
            problems.append("at least one blocking rule is needed")
        if problems:
            raise ConfigError(f"{where}: " + "; ".join(problems))
        return cls(float(merge_at), float(review_at), tuple(rules))  # type: ignore[arg-type]


DEFAULT_RULES = CompanyRules.from_dict(reference_data()["company_rules"], where="reference.yaml")


def _word_differences(mine: Collection[str], theirs: Collection[str]) -> tuple[int, int, int]:
    """(words with no near partner, near partners that look like different words, of those
    the ones that are one word with another ending: "Consulting" / "Consultings").

    Only words not shared by both names are compared. A typo rarely hits a word's first
    letter, a short word, or adds two letters, while "Health"/"Wealth", "Novak"/"Nowak",
    "Ross"/"Rossi" or "Martin"/"Martinez" are usually different companies.
    """
    unpaired = suspicious = ending = 0
    choices = sorted(theirs)  # equally near partners: the same one on every run
    for token in sorted(mine):
        if len(token) < 3:
            continue
        if not choices:
            unpaired += 1
            continue
        partner, similarity, _ = process.extractOne(token, choices, scorer=fuzz.ratio)
        if similarity < 75:
            unpaired += 1
        elif sorted(partner) == sorted(token):
            continue  # two letters swapped: a typo
        elif (
            partner[0] != token[0]
            or max(len(partner), len(token)) <= 5
            or abs(len(partner) - len(token)) >= 2
            or partner.rstrip("s") == token.rstrip("s")  # "Consulting" / "Consultings"
        ):
            suspicious += 1
            short, long = sorted((partner, token), key=len)
            ending += (
                partner.rstrip("s") == token.rstrip("s")
                or (len(long) - len(short) >= 2 and long.startswith(short))  # Martin / Martinez
                or (partner[0] != token[0] and partner[1:] == token[1:])  # Jansen / Hansen
            )
    return unpaired, suspicious, ending


def base_scores(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """The combined name score of many pairs at once (a[k] with b[k]), computed in C.

    token_sort_ratio forgives word order, the squashed ratio forgives spacing ("micro soft"),
    Jaro-Winkler weighs the start of the name: (2 × best of the first two + Jaro-Winkler) / 3.
    """
    if not len(a):
        return np.empty(0, dtype=np.float64)
    squashed_a = [k.replace(" ", "") for k in a]
    squashed_b = [k.replace(" ", "") for k in b]
    sorted_a = ["".join(sorted(k.split())) for k in a]
    sorted_b = ["".join(sorted(k.split())) for k in b]
    # Every core: the results do not depend on how the pairs are shared out.
    token_sort = process.cpdist(a, b, scorer=fuzz.token_sort_ratio, dtype=np.float32, workers=-1)
    squashed = process.cpdist(
        squashed_a, squashed_b, scorer=fuzz.ratio, dtype=np.float32, workers=-1
    )
    jaro = 100 * np.maximum(
        process.cpdist(
            squashed_a, squashed_b, scorer=JaroWinkler.normalized_similarity, workers=-1
        ),
        process.cpdist(sorted_a, sorted_b, scorer=JaroWinkler.normalized_similarity, workers=-1),
    )
    return np.round(((2 * np.maximum(token_sort, squashed) + jaro) / 3).astype(np.float64), 1)


@lru_cache(maxsize=200_000)
def _parts(key: str) -> tuple[frozenset[str], str, tuple[str, ...]]:
    """Words, squashed form and number-bearing words of a normalised name (cached per name)."""
    tokens = key.split()
    numbers = tuple(sorted(t for t in tokens if any(c.isdigit() for c in t)))
    return frozenset(tokens), key.replace(" ", ""), numbers


def word_checks(a: str, b: str) -> dict[str, float]:
    """Word-level differences of two normalised names: replaced, extra, suspicious words and
    differing numbers (see `_word_differences`)."""
    replaced, extra, suspicious, ending, numbers = _word_checks(*sorted((a, b)))
    return {
        "words_replaced": replaced,
        "words_extra": extra,
        "words_suspicious": suspicious,
        "words_ending": ending,
        "numbers_differ": numbers,
    }


@lru_cache(maxsize=500_000)
def _word_checks(a: str, b: str) -> tuple[float, float, float, float, float]:
    """word_checks of one name pair, cached: one spelling appears at several domains."""
    if a == b:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    words_a, squashed_a, numbers_a = _parts(a)
    words_b, squashed_b, numbers_b = _parts(b)
    if squashed_a == squashed_b:  # only the spacing differs
        unpaired_a = unpaired_b = suspicious_a = suspicious_b = ending_a = ending_b = 0
    else:
        unpaired_a, suspicious_a, ending_a = _word_differences(words_a - words_b, words_b - words_a)
        unpaired_b, suspicious_b, ending_b = _word_differences(words_b - words_a, words_a - words_b)
    return (
        float(min(unpaired_a, unpaired_b)),
        float(abs(unpaired_a - unpaired_b)),
        float(max(suspicious_a, suspicious_b)),
        float(max(ending_a, ending_b)),
        float(numbers_a != numbers_b),
    )


def name_scores(a: str, b: str, score: float | None = None) -> dict[str, float]:
    """Every piece of similarity evidence of two normalised names (0–100), for review and
    tests; `score` is the combined score when `base_scores` already computed it."""
    squashed_a, squashed_b = a.replace(" ", ""), b.replace(" ", "")
    jaro = max(
        JaroWinkler.normalized_similarity(squashed_a, squashed_b),
        JaroWinkler.normalized_similarity("".join(sorted(a.split())), "".join(sorted(b.split()))),
    )
    return {
        "token_sort": round(fuzz.token_sort_ratio(a, b), 1),
        "squashed": round(fuzz.ratio(squashed_a, squashed_b), 1),
        "jaro_winkler": round(100 * jaro, 1),
        **word_checks(a, b),
        "score": float(base_scores([a], [b])[0] if score is None else score),
    }


def capped_score(scores: dict[str, float], rules: CompanyRules) -> float:
    """The combined score after the caps: a replaced word or a differing number keeps names
    apart; an extra word or a suspicious difference sends them to review at most."""
    score = scores["score"]
    if scores["numbers_differ"] or scores["words_replaced"]:
        return min(score, rules.review_at - 1)
    if scores["words_extra"] or scores["words_suspicious"]:
        return min(score, (rules.review_at + rules.merge_at) / 2)
    return score


def block_keys(rule: BlockingRule, key: str, domains: Sequence[str]) -> list[str]:
    """The block keys one normalised name (with its domains) gets under a rule."""
    squashed = key.replace(" ", "")
    if rule.kind == "prefix":
        return [squashed[: rule.length]] if squashed else []
    if rule.kind == "suffix":
        return [squashed[-rule.length :]] if len(squashed) >= rule.length else []
    if rule.kind == "token":
        return sorted(
            {t for t in key.split() if len(t) >= rule.min_length and t not in _STOP_TOKENS}
        )
    return sorted(set(domains))


def blocks(
    rule: BlockingRule, keys: Sequence[str], domains: Sequence[Sequence[str]]
) -> Iterator[np.ndarray]:
    """Groups of node indices to compare; oversized groups as overlapping sorted windows."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for block in block_keys(rule, key, domains[index]):
            groups[block].append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        if len(members) <= rule.max_block:
            yield np.asarray(members)
            continue
        ordered = sorted(members, key=lambda i: keys[i].replace(" ", ""))
        step = max(1, rule.max_block // 2)
        for start in range(0, len(ordered) - step, step):
            yield np.asarray(ordered[start : start + rule.max_block])


def candidate_pairs(
    keys: Sequence[str], domains: Sequence[Sequence[str]], rules: CompanyRules
) -> np.ndarray:
    """Unique (i, j) pairs, i < j, worth a full score: blocked together and not hopeless.

    Inside a block a fast prefilter (ratio of the sorted, squashed words, in C over the whole
    block) drops pairs far below the review threshold; same-domain pairs always pass.
    """
    sortable = ["".join(sorted(key.split())) for key in keys]
    cutoff = max(0.0, rules.review_at - 10)
    found: list[np.ndarray] = []
    n = len(keys)
    for rule in rules.blocking:
        for members in blocks(rule, keys, domains):
            if rule.kind == "domain":
                i, j = np.triu_indices(len(members), 1)
            else:
                texts = [sortable[m] for m in members]
                matrix = process.cdist(
                    texts, texts, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.uint8
                )
                # One name's words inside the other's ("Vanguard" / "Vanguard Architects"),
                # or the words run together ("NorrisBrothers"): kept for the model to judge.
                if rule.kind == "token" and len(members) <= SUBSET_BLOCK:
                    words = [keys[m] for m in members]
                    matrix = np.maximum(
                        matrix,
                        process.cdist(
                            words,
                            words,
                            scorer=fuzz.token_set_ratio,
                            score_cutoff=95,
                            dtype=np.uint8,
                        ),
                    )
                elif rule.kind == "prefix":
                    squashed = [keys[m].replace(" ", "") for m in members]
                    matrix = np.maximum(
                        matrix,
                        process.cdist(
                            squashed, squashed, scorer=fuzz.ratio, score_cutoff=90, dtype=np.uint8
                        ),
                    )
                i, j = np.nonzero(np.triu(matrix, 1))
            if len(i):
                a, b = members[i], members[j]
                found.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    codes = pl.Series(np.concatenate(found)).unique().sort().to_numpy()
    return np.stack([codes // n, codes % n], axis=1)
