"""Objects delivered as a CSV report instead of loaded keep every row accounted for."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from workbench.errors import ConfigError
from workbench.mapping import load_default_map, row_accounting, stage
from workbench.mapping.routing import deliver_as_report
from workbench.sources.base import get_source

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def altcraft():
    export = get_source("altcraft").read_export(ROOT / "data" / "samples" / "altcraft")
    spec = load_default_map("altcraft")
    return export, spec, stage(export, spec)


def test_campaigns_as_a_report_are_queued_with_the_file_named(altcraft, tmp_path: Path) -> None:
    export, spec, staged = altcraft
    routed, written = deliver_as_report(staged, export, spec, ["campaigns"], tmp_path)
    assert "campaigns" not in routed.records
    assert [p.name for p in written] == ["campaigns.csv"]
    report = pl.read_csv(written[0], infer_schema=False)
    assert report.height == staged.records["campaigns"].height
    assert {"sent", "opened", "clicked"} <= set(report.columns)
    queued = routed.queue.filter(pl.col("map_object") == "campaigns")
    assert queued.height == staged.records["campaigns"].height
    assert queued["reason"].str.contains("reports/campaigns.csv").all()
    assert row_accounting(export, spec, routed)["balanced"].all()


def test_an_unknown_object_is_refused_with_the_map_objects_listed(altcraft, tmp_path: Path) -> None:
    export, spec, staged = altcraft
    with pytest.raises(ConfigError, match="the map does not have"):
        deliver_as_report(staged, export, spec, ["webinars"], tmp_path)
