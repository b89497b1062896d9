"""Fit the company models (workbench/resolve/company_model.yaml, company_rejoin.yaml) on the
development universe.

The dev split of benchmarks/matching and further samples of its universe (TRAINING_SEEDS; the
same company universe, other rows and errors) are clustered into nodes and candidate pairs
exactly as `dedupe_companies` does; a pair is labelled "one company" when the most common true
company of both nodes agrees. A logistic regression (scikit-learn, used here only) learns the
coefficients, which are written back as data. The test split is never read here. `--validate`
clusters seven other samples of the development universe (VALIDATION_SEEDS, never fitted on)
with the written models and prints pooled pairwise figures; the thresholds were chosen on them.

Run: .venv/bin/python benchmarks/fit_company_model.py [--dry-run] [--c 1.0] [--validate]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_matching import company_rows  # noqa: E402
from benchmarks.matching.generate_companies import generate_split  # noqa: E402
from benchmarks.matching.metrics import cluster_scores  # noqa: E402
from workbench.resolve import dedupe_companies  # noqa: E402
from workbench.resolve.company_model import FEATURES, MODEL_FILE  # noqa: E402
from workbench.resolve.company_pairs import _build_nodes, training_pairs  # noqa: E402
from workbench.resolve.company_rejoin import REJOIN_FEATURES, REJOIN_FILE  # noqa: E402
from workbench.resolve.groups import column_values  # noqa: E402

# Further samples of the development universe the models are fitted on besides the dev split
# (never the validation seeds below, never the test split): one 3,000-row sample leaves the
# coefficients of rare evidence to chance.
TRAINING_SEEDS = tuple(range(21, 45))


def dev_sample(seed: int) -> pl.DataFrame:
    """Another 3,000-row sample of the development universe, empty cells as empty strings."""
    frame, _ = generate_split(0, 600, 3000, seed)
    return frame.with_columns(pl.col(pl.Utf8).fill_null(""))


def training_frames() -> list[pl.DataFrame]:
    """The dev split and the TRAINING_SEEDS samples of its universe."""
    return [company_rows("dev")[0], *(dev_sample(seed) for seed in TRAINING_SEEDS)]


def labelled(
    frame: pl.DataFrame, town_floor: float, towns: bool = True, power: float = 0.5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and weights of the candidate node pairs of one sample (without its
    towns when `towns` is false, as an export whose towns say nothing is clustered). A pair
    weighs the square root of the row pairs it stands for: the scores count row pairs, and
    a spelling written often should not drown out the rare ones."""
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


def rejoin_labelled(
    frame: pl.DataFrame, towns: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster-pair features, labels and weights of one sample after the first pass (pair
    model, linkage, strays) with the written pair model. A pair weighs the row pairs a join
    would add: right or wrong, that is what the pairwise scores count."""
    from workbench.resolve.blocking import DEFAULT_RULES
    from workbench.resolve.companies import link_nodes
    from workbench.resolve.company_model import default_company_model
    from workbench.resolve.company_rejoin import cluster_pair_features
    from workbench.resolve.decisions import Decisions

    default_company_model.cache_clear()
    model = default_company_model()
    _, _, row_node, nodes, _, _ = _build_nodes(
        column_values(frame, "company", "company name"),
        column_values(frame, "website", "website"),
        column_values(frame, "email", "email"),
        column_values(frame, "city", "city") if towns else None,
        model.town_floor,
    )
    label, scored = link_nodes(nodes, DEFAULT_RULES, Decisions({}), model)
    votes: dict[int, Counter[str]] = {}
    for node, truth in zip(row_node, frame["true_company_id"].to_list(), strict=True):
        if node is not None:
            votes.setdefault(label[node], Counter())[truth] += 1
    company = {head: counts.most_common(1)[0][0] for head, counts in votes.items()}
    pairs, features = cluster_pair_features(nodes, scored, label, floor=0.0)
    labels = [bool(company[a]) and company[a] == company[b] for a, b in pairs]
    weights = [votes[a].total() * votes[b].total() for a, b in pairs]
    return np.array(features, dtype=np.float64), np.array(labels), np.array(weights)


def fit_rejoin(frames: list[pl.DataFrame], rejoin_at: float, dry_run: bool) -> None:
    """Fit the cluster-pair (rejoin) model on the training samples, with and without towns,
    and write it."""
    from sklearn.linear_model import LogisticRegression

    parts = [rejoin_labelled(frame, towns) for frame in frames for towns in (True, False)]
    x, y, w = (np.concatenate(z) for z in zip(*parts, strict=True))
    print(f"{len(y)} cluster pairs after the first pass, {int(y.sum())} of one company")
    fit = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w)
    lines = [
        "# Cluster-pair (rejoin) model (logistic), read by workbench/resolve/company_rejoin.py.",
        "# Written by `python benchmarks/fit_company_model.py` from development-universe",
        "# samples after the first pass; two clusters join from rejoin_at (probability × 100),",
        "# chosen on development-universe validation samples.",
        f"rejoin_at: {rejoin_at}",
        f"intercept: {float(fit.intercept_[0]):.4f}",
        "coefficients:",
    ]
    for feature, value in zip(REJOIN_FEATURES, fit.coef_[0], strict=True):
        lines.append(f"  {feature}: {float(value):.4f}")
        print(f"  {feature:<26}{value:+.3f}")
    if not dry_run:
        REJOIN_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written {REJOIN_FILE}")


VALIDATION_SEEDS = (11, 12, 13, 14, 15, 16, 17)  # development universe, never the test split's


def validate(seeds: tuple[int, ...] = VALIDATION_SEEDS) -> None:
    """Pooled pairwise precision/recall/F1 of the written model on other dev-universe samples."""
    from workbench.resolve.company_model import default_company_model
    from workbench.resolve.company_rejoin import default_rejoin_model

    default_company_model.cache_clear()
    default_rejoin_model.cache_clear()
    correct = predicted = true = 0
    for seed in seeds:
        frame = dev_sample(seed)
        found = dedupe_companies(
            frame.drop("true_company_id", "error_kinds"), "company", "website", "email", "city"
        )
        labels = found.rows["cluster"].cast(pl.Utf8).alias("predicted")
        scores = cluster_scores(frame.with_columns(labels), "predicted", "true_company_id")
        print(f"  seed {seed}: precision {scores.precision:.3f} recall {scores.recall:.3f}")
        correct += scores.true_positives
        predicted += scores.predicted_pairs
        true += scores.true_pairs
    p, r = correct / predicted, correct / true
    print(f"validation: precision {p:.3f} recall {r:.3f} f1 {2 * p * r / (p + r):.3f}")


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
    parser.add_argument("--stray-rows", type=int, default=1)
    parser.add_argument("--rejoin-at", type=float, default=70.0)
    parser.add_argument("--validate", action="store_true", help="score other dev samples")
    args = parser.parse_args()
    # Every sample twice: with its towns, and without (exports whose towns are no evidence).
    frames = training_frames()
    parts = [
        labelled(frame, args.town_floor, towns, args.weight_power)
        for frame in frames
        for towns in (True, False)
    ]
    x, y, w = (np.concatenate(z) for z in zip(*parts, strict=True))
    print(f"{len(y)} candidate node pairs in {len(frames)} samples, {int(y.sum())} of one company")
    fit = LogisticRegression(C=args.c, max_iter=5000).fit(x, y, sample_weight=w)
    print(f"training pair accuracy {fit.score(x, y):.4f}")
    lines = [
        "# Company pair model (logistic), read by workbench/resolve/company_model.py.",
        "# Written by `python benchmarks/fit_company_model.py` from labelled development data",
        "# (benchmarks/matching: the dev split and further samples of its universe); the",
        "# features are defined in company_model.py.",
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
    fit_rejoin(frames, args.rejoin_at, args.dry_run)
    if args.validate:
        validate()


if __name__ == "__main__":
    main()
