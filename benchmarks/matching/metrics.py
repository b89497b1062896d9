"""Scores of a predicted clustering against the truth: pairwise, per error kind, look-alikes.

A clustering gives each row a label; two rows are a predicted pair when they share a label and a
true pair when they share a true id. Empty or null labels/ids mean "no cluster" and pair with
nothing. Pairs are counted from group sizes (n·(n-1)/2), never listed, so a matcher that lumps
everything together is scored in the same time as a good one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import polars as pl

Pair = tuple[str, str]


@dataclass(frozen=True)
class PairScores:
    """Pairwise counts and the precision/recall/F1 they give (1.0 when a count is 0 of 0)."""

    true_positives: int
    predicted_pairs: int
    true_pairs: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# -- plain sets --------------------------------------------------------------------------
def pairs_from_labels(labels: Mapping[str, str | None]) -> set[Pair]:
    """Every unordered pair (as a sorted tuple) of keys that share a non-empty label."""
    members: dict[str, list[str]] = {}
    for key, label in labels.items():
        if label:
            members.setdefault(label, []).append(key)
    return {tuple(sorted(p)) for keys in members.values() for p in combinations(keys, 2)}  # type: ignore[misc]


def normalise_pairs(pairs: Iterable[tuple[str, str]]) -> set[Pair]:
    """Sorted-tuple pairs without self-pairs, so (a, b) and (b, a) count once."""
    return {(a, b) if a < b else (b, a) for a, b in pairs if a != b}


def pair_scores(
    predicted: Iterable[tuple[str, str]], truth: Iterable[tuple[str, str]]
) -> PairScores:
    """Scores of a set of predicted pairs against the set of true pairs."""
    pred, true = normalise_pairs(predicted), normalise_pairs(truth)
    return PairScores(len(pred & true), len(pred), len(true))


# -- polars, from cluster labels -----------------------------------------------------------
def _labelled(frame: pl.DataFrame, pred: str, true: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(pred).cast(pl.Utf8).replace("", None).alias("_pred"),
        pl.col(true).cast(pl.Utf8).replace("", None).alias("_true"),
    )


def _pairs(n: pl.Expr) -> pl.Expr:
    return (n * (n - 1) // 2).sum()


def _count(frame: pl.DataFrame, keys: list[str], flag: str | None = None) -> int:
    """Pairs within groups of `keys` (all non-null); with `flag`, pairs touching a flagged row."""
    rows = frame.drop_nulls(keys)
    if rows.is_empty():
        return 0
    if flag is None:
        return int(rows.group_by(keys).len().select(_pairs(pl.col("len").cast(pl.Int64))).item())
    sizes = rows.group_by(keys).agg(
        pl.len().cast(pl.Int64).alias("n"), pl.col(flag).sum().cast(pl.Int64).alias("k")
    )
    return int(sizes.select(_pairs(pl.col("n")) - _pairs(pl.col("n") - pl.col("k"))).item())


def cluster_scores(frame: pl.DataFrame, pred: str, true: str = "true_company_id") -> PairScores:
    """Pairwise scores of the labels in column `pred` against the ids in column `true`."""
    rows = _labelled(frame, pred, true)
    return PairScores(
        _count(rows, ["_pred", "_true"]), _count(rows, ["_pred"]), _count(rows, ["_true"])
    )


def kind_scores(
    frame: pl.DataFrame, pred: str, true: str = "true_company_id", kinds: str = "error_kinds"
) -> pl.DataFrame:
    """Per error kind K: recall over true pairs with a K row, precision over predicted ones."""
    rows = _labelled(frame, pred, true).with_columns(
        pl.col(kinds).fill_null("").str.split(";").alias("_kinds")
    )
    names = sorted({k for ks in rows["_kinds"].to_list() for k in ks if k})
    out = []
    for kind in names:
        flagged = rows.with_columns(pl.col("_kinds").list.contains(kind).alias("_k"))
        s = PairScores(
            _count(flagged, ["_pred", "_true"], "_k"),
            _count(flagged, ["_pred"], "_k"),
            _count(flagged, ["_true"], "_k"),
        )
        out.append(
            {
                "kind": kind,
                "rows": int(flagged["_k"].sum()),
                "true_pairs": s.true_pairs,
                "found": s.true_positives,
                "recall": s.recall,
                "predicted_pairs": s.predicted_pairs,
                "precision": s.precision,
            }
        )
    schema = {"kind": pl.Utf8, "rows": pl.Int64, "true_pairs": pl.Int64, "found": pl.Int64,
              "recall": pl.Float64, "predicted_pairs": pl.Int64, "precision": pl.Float64}  # fmt: skip
    return pl.DataFrame(out, schema=schema)


@dataclass(frozen=True)
class LookalikeMerges:
    """Look-alike companies the clustering wrongly put together."""

    row_pairs: int  # predicted row pairs joining two different companies of one group
    company_pairs: frozenset[Pair]  # those companies, as sorted id pairs
    lookalike_company_pairs: int  # look-alike company pairs that both occur in the rows


def lookalike_merges(
    frame: pl.DataFrame,
    universe: pl.DataFrame,
    pred: str,
    true: str = "true_company_id",
) -> LookalikeMerges:
    """Predicted pairs whose companies differ but share a `lookalike_group` in the universe."""
    groups = universe.select(
        pl.col("company_id").cast(pl.Utf8).alias("_true"),
        pl.col("lookalike_group").cast(pl.Utf8).replace("", None).alias("_group"),
    )
    mentioned = _labelled(frame, pred, true).join(groups, on="_true", how="left")
    mentioned = mentioned.drop_nulls(["_true", "_group"])
    rows = mentioned.drop_nulls("_pred")
    row_pairs = _count(rows, ["_pred", "_group"]) - _count(rows, ["_pred", "_group", "_true"])
    merged: set[Pair] = set()
    for ids in rows.group_by(["_pred", "_group"]).agg(pl.col("_true").unique())["_true"]:
        merged |= {tuple(sorted(p)) for p in combinations(ids, 2)}  # type: ignore[misc]
    present = mentioned.select("_group", "_true").unique().group_by("_group").len()
    total = int(present.select(_pairs(pl.col("len").cast(pl.Int64))).item() or 0)
    return LookalikeMerges(row_pairs, frozenset(merged), total)


def cluster_counts(frame: pl.DataFrame, pred: str, true: str = "true_company_id") -> dict[str, int]:
    """How many clusters the prediction made against how many companies the rows mention."""
    rows = _labelled(frame, pred, true)
    return {
        "predicted_clusters": rows["_pred"].drop_nulls().n_unique(),
        "true_companies": rows["_true"].drop_nulls().n_unique(),
        "rows_unassigned": int(rows["_pred"].is_null().sum()),
        "rows_without_company": int(rows["_true"].is_null().sum()),
    }


def report(frame: pl.DataFrame, universe: pl.DataFrame, pred: str) -> str:
    """A plain-text summary of every score, for benchmark scripts to print."""
    s = cluster_scores(frame, pred)
    la = lookalike_merges(frame, universe, pred)
    counts = cluster_counts(frame, pred)
    lines = [
        f"pairs: precision {s.precision:.3f}  recall {s.recall:.3f}  f1 {s.f1:.3f}  "
        f"(tp {s.true_positives}, predicted {s.predicted_pairs}, true {s.true_pairs})",
        f"clusters: {counts['predicted_clusters']} predicted vs {counts['true_companies']} "
        f"companies; {counts['rows_unassigned']} rows unassigned, "
        f"{counts['rows_without_company']} rows truly without a company",
        f"look-alikes merged: {len(la.company_pairs)} of {la.lookalike_company_pairs} company "
        f"pairs ({la.row_pairs} row pairs)",
        "per error kind:",
    ]
    for r in kind_scores(frame, pred).iter_rows(named=True):
        lines.append(
            f"  {r['kind']:<22} rows {r['rows']:>5}  recall {r['recall']:.3f} "
            f"({r['found']}/{r['true_pairs']})  precision {r['precision']:.3f} "
            f"(of {r['predicted_pairs']})"
        )
    return "\n".join(lines)
