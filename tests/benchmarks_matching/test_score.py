"""The scoring command: perfect clusters score 1, bad input is refused, baselines print."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from benchmarks.matching.score import main


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def test_true_clusters_score_one_and_missing_rows_are_counted(data, tmp_path, capsys) -> None:
    assert main(["--baselines", "--set", "dev", "--data", str(data)]) == 0  # writes the sets
    out = capsys.readouterr().out
    assert "== baseline: exact company text (dev) ==" in out and "placeholder_company" in out
    rows = pl.read_csv(data / "dev.csv", infer_schema=False)
    perfect = rows.select("contact_id", pl.col("true_company_id").alias("cluster")).head(2990)
    perfect.write_csv(tmp_path / "p.csv")
    assert main([str(tmp_path / "p.csv"), "--set", "dev", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "dev: 3000 rows, 10 without a prediction" in out
    assert "look-alikes merged: 0 of" in out and "precision 1.000" in out


def test_unknown_ids_and_columns_are_refused(data, tmp_path) -> None:
    pl.DataFrame({"contact_id": ["nope"], "cluster": ["1"]}).write_csv(tmp_path / "bad.csv")
    with pytest.raises(SystemExit, match="not in the set"):
        main([str(tmp_path / "bad.csv"), "--set", "dev", "--data", str(data)])
    pl.DataFrame({"contact_id": ["1"]}).write_csv(tmp_path / "nocol.csv")
    with pytest.raises(SystemExit, match="missing column"):
        main([str(tmp_path / "nocol.csv"), "--set", "dev", "--data", str(data)])


def test_febrl_baselines(capsys) -> None:
    assert main(["--baselines", "--set", "febrl1"]) == 0
    out = capsys.readouterr().out
    assert "exact social security id (febrl1)" in out and "true 500" in out
