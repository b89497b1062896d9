"""The map editor driven in-process: change a row, preview, confirm, read the YAML back."""

from __future__ import annotations

import yaml

from workbench.mapping import content_hash, load_confirmed_map, spec_from_text
from workbench.mapping.widgets import MapEditor


def test_editor_change_preview_confirm(tmp_path, tiny_export, tiny_map_text):
    spec = spec_from_text(tiny_map_text)
    path = tmp_path / "run" / "map.yaml"
    editor = MapEditor(spec, tiny_export, path=path)
    rows = {(r.col.table, r.col.column): r for r in editor.rows}
    assert rows[("contacts", "email")].target.value == "emails.primaryEmail"
    first = rows[("contacts", "first")]
    assert first.col.confidence == 1.0
    # make the deals' title a custom field instead of the name
    title = rows[("deals", "title")]
    title.custom.value = True
    title.custom_name.value = "dealTitle"
    title.custom_type.value = "TEXT"
    title.transform.value = "text"
    editor.preview_button.click()
    assert "quarantined" in editor.preview.value and "cy@" in editor.preview.value
    editor.who.value = ""
    editor.confirm_button.click()
    assert "needs the name" in editor.status.value
    editor.who.value = "Ana"
    editor.confirm_button.click()
    assert "Confirmed by Ana" in editor.status.value, editor.status.value
    saved = load_confirmed_map(path)
    assert saved.confirmation.confirmed_by == "Ana"
    assert saved.custom_fields["opportunities"]["dealTitle"].type == "TEXT"
    rules = [r for r in saved.objects["deals"].fields if "title" in r.inputs]
    assert [r.target for r in rules] == ["dealTitle"]
    assert "confirmation" in yaml.safe_load(path.read_text())


def test_picking_a_target_for_a_custom_field_row_takes_effect(tmp_path, tiny_export, tiny_map_text):
    """A custom-field row set to "ignore" in the dropdown must lose its rule on Confirm."""
    editor = MapEditor(spec_from_text(tiny_map_text), tiny_export, path=tmp_path / "map.yaml")
    rows = {(r.col.table, r.col.column): r for r in editor.rows}
    tags = rows[("contacts", "tags")]
    assert tags.custom.value and tags.target.value == "custom:tags"
    tags.target.value = "ignore"
    assert not tags.custom.value  # the checkbox follows the dropdown
    editor.who.value = "Ana"
    editor.confirm_button.click()
    assert "Confirmed by Ana" in editor.status.value, editor.status.value
    saved = load_confirmed_map(tmp_path / "map.yaml")
    assert not [r for r in saved.objects["contacts"].fields if "tags" in r.inputs]
    tags.target.value = "custom:tags"  # and back: the row is a custom field again
    assert tags.custom.value and tags.custom_name.value == "tags"


def test_confirming_untouched_rows_keeps_the_map_as_it_was(tmp_path, tiny_export, tiny_map_text):
    """Confirm without edits writes the same map: value maps, options and on_invalid survive."""
    spec = spec_from_text(tiny_map_text)
    editor = MapEditor(spec, tiny_export, path=tmp_path / "map.yaml")
    rows = {(r.col.table, r.col.column): r for r in editor.rows}
    assert rows[("contacts", "status")].custom_type.value == "SELECT"  # as the map declares it
    editor.who.value = "Ana"
    editor.preview_button.click()
    editor.confirm_button.click()
    saved = load_confirmed_map(tmp_path / "map.yaml")
    assert content_hash(saved) == content_hash(spec)
    status = [r for r in saved.objects["contacts"].fields if "status" in r.inputs]
    assert status and status[0].options == {"map": "gdpr"}
