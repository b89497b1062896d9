"""The map file: every problem reported at once with its line; confirmation; schema needs."""

from __future__ import annotations

import pytest

from workbench.errors import MapNotConfirmedError, MapValidationError
from workbench.mapping import (
    confirm_map,
    load_confirmed_map,
    load_map,
    require_confirmed,
    spec_from_text,
)
from workbench.twenty.model import FieldType


def test_tiny_map_loads(tiny_map_text):
    spec = spec_from_text(tiny_map_text)
    assert spec.objects["contacts"].target == "people"


def test_yaml_syntax_error_carries_line():
    with pytest.raises(MapValidationError) as info:
        spec_from_text("source: x\nobjects:\n  a: [1, 2\n  b: 3\n", "m.yaml")
    assert info.value.line is not None and info.value.file == "m.yaml"


def test_every_problem_at_once_with_lines(tiny_map_text):
    bad = tiny_map_text.replace("transform: email}", "transform: emial}")
    bad = bad.replace(
        "target: companies\n    source_key_field: tinyCompanyKey",
        "target: companies\n    source_key_field: Tiny_Key",
    )
    bad = bad.replace("target: stage, transform: select", "target: stagee, transform: select")
    bad = bad.replace(
        "      - {column: tags, target: tags, transform: split}",
        "      - {column: tags, target: tags, transform: split, colour: red}",
    )
    with pytest.raises(MapValidationError) as info:
        spec_from_text(bad, "bad.yaml")
    problems = info.value.problems
    text = str(info.value)
    lines = bad.splitlines()
    assert len(problems) == 1  # pydantic stops at the schema: the unknown key
    assert "unknown key" in text and "colour" in lines[problems[0].line - 1]
    fixed = bad.replace(", colour: red", "")
    with pytest.raises(MapValidationError) as info:
        spec_from_text(fixed, "bad.yaml")
    found = {p.message.split(";")[0][:40]: p for p in info.value.problems}
    assert len(info.value.problems) == 3, str(info.value)
    for p in info.value.problems:
        assert p.line is not None
    messages = " ".join(p.message for p in info.value.problems)
    assert (
        "unknown transform 'emial'" in messages
        and "camelCase" in messages
        and "no field 'stagee'" in messages
    )
    emial = next(p for p in info.value.problems if "emial" in p.message)
    assert "emial" in lines[emial.line - 1]
    assert found


def test_semantic_checks(tiny_map_text):
    bad = tiny_map_text.replace("companyId: {to: companies", "pointOfContactId: {to: companies")
    bad = bad.replace("gdpr: {type: SELECT, value_map: gdpr}", "gdpr: {type: SELECT}")
    with pytest.raises(MapValidationError) as info:
        spec_from_text(bad)
    messages = " ".join(p.message for p in info.value.problems)
    assert "has no relation field 'pointOfContactId'" in messages
    assert "needs options or a value_map" in messages


def test_duplicate_keys_are_reported():
    with pytest.raises(MapValidationError, match="duplicate key"):
        spec_from_text("source: x\nsource: y\nobjects: {}\n")


def test_required_schema(tiny_map_text):
    req = spec_from_text(tiny_map_text).required_schema()
    by_name = {(f.object, f.name): f for f in req.fields}
    assert by_name[("person", "tinyId")].type == FieldType.TEXT
    assert by_name[("company", "tinyCompanyKey")].type == FieldType.TEXT  # undeclared key field
    assert [o.value for o in by_name[("person", "gdpr")].options] == ["ACCEPTED"]
    stage = by_name[("opportunity", "stage")]
    assert [o.value for o in stage.options] == ["CLOSED_WON", "CLOSED_LOST"]


def test_confirmation_round_trip_and_change_refused(tmp_path, tiny_map_text):
    path = tmp_path / "map.yaml"
    path.write_text("# analyst's comment\n" + tiny_map_text)
    with pytest.raises(MapNotConfirmedError, match="not confirmed"):
        load_confirmed_map(path)
    confirm_map(path, "Ana")
    spec = load_confirmed_map(path)
    assert spec.confirmation.confirmed_by == "Ana"
    assert path.read_text().startswith("# analyst's comment")
    path.write_text(path.read_text().replace("# analyst's comment", "# reworded"))
    load_confirmed_map(path)  # comments are not content
    path.write_text(path.read_text().replace("reason: no email", "reason: no e-mail"))
    with pytest.raises(MapNotConfirmedError, match="changed after Ana confirmed it") as info:
        load_confirmed_map(path)
    assert info.value.line is not None
    confirm_map(path, "Ana")  # reconfirming replaces the block
    assert path.read_text().count("confirmation:") == 1
    require_confirmed(load_map(path))
