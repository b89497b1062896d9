"""Fit the company pair model (workbench/resolve/company_model.yaml) on the development set.

The dev split of benchmarks/matching (fixed seed, its own company universe) is clustered into
nodes and candidate pairs exactly as `dedupe_companies` does; a pair is labelled "one company"
when the most common true company of both nodes agrees. A logistic regression (scikit-learn,
used here only) learns the coefficients, which are written back as data. The test split is never
read here.

Run: .venv/bin/python benchmarks/fit_company_model.py [--dry-run] [--c 1.0]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_matching import company_rows  # noqa: E402
from workbench.resolve.company_model import FEATURES, MODEL_FILE  # noqa: E402
from workbench.resolve.company_pairs import training_pairs  # noqa: E402


def labelled(
    name: str, town_floor: float, towns: bool = True, power: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and weights of the candidate node pairs of one split (without its
    towns when `towns` is false, as an export whose towns say nothing is clustered). A pair
    weighs the square root of the row pairs it stands for: the scores count row pairs, and
    a spelling written often should not drown out the rare ones."""
    frame, _ = company_rows(name)
    features, pairs, row_node = training_pairs(
        frame, "company", "website", "email", "city" if towns else None, town_floor=town_floor
    )
    votes: dict[int, Counter[str]] = {}
    for node, truth in zip(row_node, frame["true_company_id"].to_list(), strict=True):
        if node is not None:
            votes.setdefault(node, Counter())[truth] += 1
    company = {node: counts.most_common(1)[0][0] for node, counts in votes.items()}
    labels = [bool(company[i]) and company[i] == company[j] for i, j in pairs]
    rows = {node: counts.total() for node, counts in votes.items()}
    weights = [(rows[i] * rows[j]) ** power for i, j in pairs]
    return np.array(features, dtype=np.float64), np.array(labels), np.array(weights)


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--c", type=float, default=1.0, help="inverse regularisation strength")
    parser.add_argument("--merge-at", type=float, default=70.0)
    parser.add_argument("--review-at", type=float, default=30.0)
    parser.add_argument("--join-floor", type=float, default=1.0)
    parser.add_argument("--town-floor", type=float, default=0.5)
    parser.add_argument("--weight-power", type=float, default=0.5)
    parser.add_argument("--attach-at", type=float, default=40.0)
    parser.add_argument("--stray-rows", type=int, default=2)
    args = parser.parse_args()
    # The dev rows twice: with their towns, and without (exports whose towns are no evidence).
    with_towns = labelled("dev", args.town_floor, True, args.weight_power)
    without = labelled("dev", args.town_floor, False, args.weight_power)
    x, y, w = (np.concatenate([a, b]) for a, b in zip(with_towns, without, strict=True))
    print(f"{len(y)} candidate node pairs on dev, {int(y.sum())} of one company")
    fit = LogisticRegression(C=args.c, max_iter=5000).fit(x, y, sample_weight=w)
    print(f"dev pair accuracy {fit.score(x, y):.4f}")
    lines = [
        "# Company pair model (logistic), read by workbench/resolve/company_model.py.",
        "# Written by `python benchmarks/fit_company_model.py` from the labelled development set",
        "# (benchmarks/matching, dev split); the features are defined in company_model.py.",
        "# Probability × 100 from which a pair merges, from which it is reviewed, and below",
        "# which no member of a cluster may score for a node to join it (0 = analyst apart);",
        "# towns are evidence only where rows at one domain share a town this often; a cluster",
        "# of at most stray_rows rows joins the one cluster its pairs average attach_at with.",
        f"merge_at: {args.merge_at}",
        f"review_at: {args.review_at}",
        f"join_floor: {args.join_floor}",
        f"town_floor: {args.town_floor}",
        f"attach_at: {args.attach_at}",
        f"stray_rows: {args.stray_rows}",
        f"intercept: {float(fit.intercept_[0]):.4f}",
        "coefficients:",
    ]
    for feature, value in zip(FEATURES, fit.coef_[0], strict=True):
        lines.append(f"  {feature}: {float(value):.4f}")
        print(f"  {feature:<26}{value:+.3f}")
    if not args.dry_run:
        MODEL_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written {MODEL_FILE}")


if __name__ == "__main__":
    main()
