"""The FEBRL sets (benchmarks/matching/febrl.py) as the contact matcher reads them."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.matching.febrl import TRUTH_COLUMNS  # noqa: E402
from benchmarks.matching.febrl import febrl_export as _febrl_export  # noqa: E402


def febrl_export(name: str) -> tuple[pl.DataFrame, list[str]]:
    """One FEBRL set as a Kartra-like lead export without its truth, and the true person per
    row (febrl4: both halves as one export)."""
    export, _ = _febrl_export(name)
    return export.drop(TRUTH_COLUMNS), export["true_entity"].to_list()


def people_columns() -> dict[str, str]:
    """The Kartra lead columns the contact matcher compares."""
    return {
        "email_col": "email",
        "phone_col": "phone",
        "company_col": "company",
        "first_col": "first_name",
        "last_col": "last_name",
        "street_col": "address",
        "city_col": "city",
        "postcode_col": "zip",
        "state_col": "state",
        "birth_col": "date_of_birth",
    }
