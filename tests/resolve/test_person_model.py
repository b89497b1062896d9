import random

import numpy as np
import polars as pl
import pytest

from workbench.errors import ConfigError
from workbench.resolve.people import dedupe_people, person_values
from workbench.resolve.person_model import (
    PersonModel,
    candidate_pairs,
    default_model,
    match_weights,
    pair_levels,
)

HAND_MADE = pl.DataFrame(
    {
        "first": ["Kayla", "Kayla", "Harrington", "Kayla", "Luke", "Mark"],
        "last": ["Harrington", "Harington", "Kayla", "Harrington", "Purdon", "Purdon"],
        "street": [
            "12 Maltby Circuit",
            "12 maltby circuit",
            "12 Maltby Cct",
            None,
            "23 Ramsay Pl",
            "7 Ada St",
        ],
        "city": ["Coolaroo", "Coolaroo", "Coolaroo", "Perth", "Garbutt", "Garbutt"],
        "zip": ["3465", "3465", "3465", "6000", "2260", "2260"],
    }
)
# Other contacts of the export: Garbutt is a town many of them live in.
_rng = random.Random(3)
FILLER = pl.DataFrame(
    {
        "first": [_rng.choice(["Ann", "Bob", "Cy", "Di", "Ed", "Flo"]) for _ in range(300)],
        "last": [f"Surname{k}" for k in range(300)],
        "street": [f"{k} High St" for k in range(300)],
        "city": ["Garbutt" if k % 5 == 0 else f"Town{k}" for k in range(300)],
        "zip": ["2260" if k % 5 == 0 else f"{4000 + k}" for k in range(300)],
    }
)
CONTACTS = pl.concat([HAND_MADE, FILLER])
COLUMNS = {
    "first_col": "first",
    "last_col": "last",
    "street_col": "street",
    "city_col": "city",
    "postcode_col": "zip",
}


def _weights() -> dict[tuple[int, int], float]:
    model = default_model()
    values = person_values(CONTACTS, **COLUMNS)
    pairs = candidate_pairs(model, values, CONTACTS.height)
    weights = match_weights(model, pair_levels(model, values, pairs), values, pairs)
    return {(int(i), int(j)): float(w) for (i, j), w in zip(pairs, weights, strict=True)}


def test_fitted_weights_rank_hand_made_pairs_sensibly() -> None:
    model = default_model()
    weights = _weights()
    assert weights[(0, 1)] >= model.merge_at  # a typo in the surname, same address
    assert weights[(0, 2)] >= model.merge_at  # first and last name swapped
    assert weights[(0, 1)] > weights[(0, 3)]  # same name, another city and postcode
    assert weights[(4, 5)] < model.review_at  # same surname, a big town, another person
    for comparison in model.comparisons:
        exact, different = comparison.levels[0], comparison.levels[-1]
        assert exact.weight > 0 > different.weight, comparison.field


def test_model_scores_drive_merges_and_review() -> None:
    merged = dedupe_people(CONTACTS, email_col=None, policy="merge", **COLUMNS)
    people = merged.rows["person"].to_list()
    assert people[0] == people[1] == people[2]
    assert people[4] != people[5]
    flagged = dedupe_people(CONTACTS, email_col=None, **COLUMNS)
    assert flagged.rows["person"].n_unique() == CONTACTS.height
    assert {("0", "1"), ("0", "2")} <= set(
        zip(flagged.review["a"], flagged.review["b"], strict=True)
    )


def test_a_broken_model_reports_every_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        PersonModel.from_dict(
            {
                "blocking": [{"fields": ["shoe_size"]}],
                "comparisons": {"first_name": [{"kind": "exact", "m": 0.9, "u": 0.0}]},
                "merge_at": 1,
                "review_at": 2,
            }
        )
    message = str(caught.value)
    for part in ("blocking[0]", "m and u", "'else' level", "review_at (2)", "at least one"):
        assert part in message
    assert np.isfinite(default_model().merge_at)
