"""Two sources consolidated into one workspace, in both orders: the second map meets the first
map's fields (Kartra's TEXT leadSource and industry, Salesmate's SELECT ones) and loads anyway."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample_loads import connect, prepare

from workbench.errors import TwentyError
from workbench.load import Ledger, reconcile, run_load
from workbench.mapping import load_default_map
from workbench.mapping.conflicts import AS_TEXT, NEW_FIELD, find_conflicts
from workbench.twenty import apply_schema, plan_schema


def load(source: str, db: Path, folder: Path, decisions: dict | None = None) -> None:
    plan = prepare(source, db, decisions=decisions)
    with Ledger(folder) as ledger, connect(db) as client:
        report = run_load(plan, client, ledger, mode="full")
        assert report.ok, report.error
        assert reconcile(plan, client, ledger, spot_check=10).ok


def fields_of(db: Path, singular: str) -> dict[str, str]:
    with connect(db) as client:
        info = next(o for o in client.list_objects(refresh=True) if o.name_singular == singular)
    return {f.name: f.type for f in info.fields}


def test_salesmate_after_kartra_loads_its_selects_into_the_text_fields(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite"
    load("kartra", db, tmp_path / "kartra")
    salesmate = load_default_map("salesmate")
    with connect(db) as client:
        with pytest.raises(TwentyError, match="exists as TEXT, the map wants SELECT"):
            apply_schema(client, plan_schema(salesmate.required_schema(), client.list_objects()))
        conflicts = find_conflicts(salesmate, client.list_objects(refresh=True))
    assert {c.key: c.choice for c in conflicts} == {
        "person.leadSource": AS_TEXT,
        "company.industry": AS_TEXT,
    }
    load("salesmate", db, tmp_path / "salesmate")
    assert fields_of(db, "person")["leadSource"] == "TEXT"
    with connect(db) as client:
        sources = {p.get("leadSource") for p in client.find("people", "leadSource[like]:%")}
    # Salesmate's option labels, written as text next to Kartra's free text
    assert {"Referral", "Outbound"} & sources
    assert not {s for s in sources if s and s.isupper() and "_" in s}  # no option values


def test_kartra_after_salesmate_creates_its_own_text_fields(tmp_path: Path) -> None:
    db = tmp_path / "emulator.sqlite"
    load("salesmate", db, tmp_path / "salesmate")
    kartra = load_default_map("kartra")
    with connect(db) as client:
        conflicts = find_conflicts(kartra, client.list_objects(refresh=True))
    assert {c.key: (c.choice, c.new_name) for c in conflicts} == {
        "person.leadSource": (NEW_FIELD, "leadSourceKartra"),
        "company.industry": (NEW_FIELD, "industryKartra"),
    }
    load("kartra", db, tmp_path / "kartra", decisions={"company.industry": "new field:sector"})
    people, companies = fields_of(db, "person"), fields_of(db, "company")
    assert people["leadSource"] == "SELECT" and people["leadSourceKartra"] == "TEXT"
    assert companies["industry"] == "SELECT" and companies["sector"] == "TEXT"
    with connect(db) as client:
        assert client.count("people", "leadSourceKartra[like]:%") > 0
        assert client.count("companies", "sector[like]:%") > 0
