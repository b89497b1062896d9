"""Another client's export with fewer columns than the sample: the default map's error says
what is missing and how to confirm a map for this export."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from mapping_fixtures import SAMPLES

from workbench.errors import MapValidationError
from workbench.steps import mapping


def test_default_map_missing_columns_name_them_and_the_way_on(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    contacts = pl.read_csv(SAMPLES / "allclients" / "Contacts.csv", infer_schema_length=0)
    contacts.drop("tags", "website").write_csv(export / "Contacts.csv")
    shutil.copy(SAMPLES / "allclients" / "Notes.csv", export / "Notes.csv")
    with pytest.raises(MapValidationError) as caught:
        mapping.prepare("allclients", export, tmp_path / "run")
    text = str(caught.value)
    assert "table 'contacts' has no column 'tags'" in text
    assert "table 'contacts' has no column 'website'" in text
    assert "02_mapping.ipynb" in text and "--map" in text
    assert caught.value.file and caught.value.file.endswith("map.yaml")


def test_a_map_given_explicitly_is_checked_without_the_hint(tmp_path: Path) -> None:
    export = tmp_path / "export"
    export.mkdir()
    contacts = pl.read_csv(SAMPLES / "allclients" / "Contacts.csv", infer_schema_length=0)
    contacts.drop("tags").write_csv(export / "Contacts.csv")
    given = tmp_path / "client_map.yaml"
    shutil.copy(mapping.default_map_path("allclients"), given)
    step = mapping.prepare("allclients", export, tmp_path / "run", map_path=given)
    with pytest.raises(MapValidationError) as caught:
        step.stage()
    assert "no column 'tags'" in str(caught.value)
    assert "02_mapping.ipynb" not in str(caught.value)
