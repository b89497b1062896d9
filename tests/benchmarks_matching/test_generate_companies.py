"""The company evaluation sets: deterministic, every error kind present, labels true of rows."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from benchmarks.matching.generate_companies import ROW_COLUMNS, ROW_KINDS, main, mention_counts
from benchmarks.matching.perturb import NAME_WEIGHTS
from benchmarks.matching.words import FREEMAIL

FILES = ("dev.csv", "test.csv", "companies_dev.csv", "companies_test.csv")


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sets")
    assert main([str(out)]) == 0
    return out


def _read(folder: Path, name: str) -> pl.DataFrame:
    return pl.read_csv(folder / name, infer_schema=False).fill_null("")


def test_same_seed_writes_byte_identical_files(sets: Path, tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (sets / name).read_bytes(), name


def test_another_seed_writes_other_rows(sets: Path, tmp_path: Path) -> None:
    main([str(tmp_path), "--dev-seed", "5", "--companies", "200", "--rows", "900"])
    assert _read(tmp_path, "dev.csv").height == 900
    assert _read(tmp_path, "companies_dev.csv").height == 200
    assert (tmp_path / "dev.csv").read_bytes() != (sets / "dev.csv").read_bytes()


@pytest.mark.parametrize("split", ["dev", "test"])
def test_every_error_kind_occurs(sets: Path, split: str) -> None:
    rows = _read(sets, f"{split}.csv")
    assert tuple(rows.columns) == ROW_COLUMNS and rows.height == 3000
    seen = {k for ks in rows["error_kinds"] for k in ks.split(";") if k}
    assert seen == set(NAME_WEIGHTS) | set(ROW_KINDS)


def test_dev_and_test_universes_are_disjoint(sets: Path) -> None:
    dev, test = _read(sets, "companies_dev.csv"), _read(sets, "companies_test.csv")
    for column in ("company_id", "name", "domain"):
        shared = (set(dev[column]) & set(test[column])) - {""}
        assert not shared, (column, sorted(shared)[:5])


@pytest.mark.parametrize("split", ["dev", "test"])
def test_universe_and_mentions_are_consistent(sets: Path, split: str) -> None:
    rows, universe = _read(sets, f"{split}.csv"), _read(sets, f"companies_{split}.csv")
    assert rows["contact_id"].n_unique() == rows.height
    mentions = rows.filter(pl.col("true_company_id") != "").group_by("true_company_id").len()
    assert set(mentions["true_company_id"]) == set(universe["company_id"])
    assert mentions["len"].min() == 1 and mentions["len"].max() <= 15
    assert (mentions["len"] == 1).sum() > (mentions["len"] >= 10).sum() > 0  # a long tail
    groups = universe.filter(pl.col("lookalike_group") != "").group_by("lookalike_group")
    sizes = groups.agg(pl.len(), pl.col("lookalike_kind").first())
    assert sizes["len"].min() >= 2 and sizes.height >= 30
    kinds = set(sizes["lookalike_kind"])
    assert {"plural_form", "country_twin", "subsidiary", "same_name_city"} <= kinds
    shared_domains = universe.filter(pl.col("domain") != "")["domain"].is_duplicated()
    assert shared_domains.sum() > 0 and (universe["domain"] == "").sum() > 0
    for parent in universe.filter(pl.col("parent_id") != "").iter_rows(named=True):
        assert (
            universe.filter(pl.col("company_id") == parent["parent_id"])["domain"].item()
            == (parent["domain"])
        )


@pytest.mark.parametrize("split", ["dev", "test"])
def test_labels_are_true_of_their_rows(sets: Path, split: str) -> None:
    rows, universe = _read(sets, f"{split}.csv"), _read(sets, f"companies_{split}.csv")
    joined = rows.join(
        universe.rename({"name": "_name", "domain": "_domain"}).select(
            "company_id", "_name", "_domain"
        ),
        left_on="true_company_id",
        right_on="company_id",
        how="left",
    ).with_columns(pl.col("error_kinds").str.split(";").alias("_k"))
    free = {d for domains in FREEMAIL.values() for d in domains}
    others = set(universe["domain"]) - {""}
    for r in joined.filter(pl.col("true_company_id") != "").iter_rows(named=True):
        kinds = set(r["_k"]) - {""}
        if not kinds & (set(NAME_WEIGHTS) | {"empty_company"}):
            assert r["company"] == r["_name"], r
        else:
            assert r["company"] != r["_name"], r
        if "empty_company" in kinds:
            assert r["company"] == "" and r["email"].endswith("@" + r["_domain"]), r
        if "freemail" in kinds:
            assert r["email"].split("@")[1] in free, r
        elif r["email"] and "email_domain_differs" not in kinds:
            assert r["email"].split("@")[1] == r["_domain"], r
        if "email_domain_differs" in kinds:  # noise, never another company's domain
            assert r["email"].split("@")[1] not in others, r
        if "domain_cctld" in kinds:
            host = re.sub(r"^(?i:https?://)?(?i:www\.)?([^/]+).*$", r"\1", r["website"])
            assert host.split(".", 1)[-1] not in others and host not in others, r
        if not kinds & {"website_missing", "website_social"} and r["_domain"]:
            assert r["_domain"].split(".")[0] in r["website"].lower(), r
        if not kinds & {n for n in ROW_KINDS if n.startswith(("domain_", "website_"))}:
            assert r["website"] == r["_domain"], r
    for r in joined.filter(pl.col("true_company_id") == "").iter_rows(named=True):
        assert r["website"] == "" and (r["company"] != "") == ("placeholder_company" in r["_k"])


def test_mention_counts_cover_every_company_and_refuse_impossible_sizes() -> None:
    import random

    counts = mention_counts(50, 300, random.Random(1))
    assert sum(counts) == 300 and min(counts) >= 1 and max(counts) <= 15
    with pytest.raises(ValueError, match="cannot cover"):
        mention_counts(50, 40, random.Random(1))


def test_large_universes_stay_disjoint() -> None:
    from benchmarks.matching.universe import build_universe

    dev, test = build_universe(4000, 0, 11), build_universe(4000, 1, 12)
    assert not {c.name for c in dev} & {c.name for c in test}
    domains = [c.domain for c in dev + test if c.domain]
    assert not {c.domain for c in dev if c.domain} & {c.domain for c in test if c.domain}
    shared = len(domains) - len(set(domains))
    assert shared == sum(1 for c in dev + test if c.parent_id)  # only subsidiaries share
