"""Header resolution: API names, UI labels and re-saved headers all reach later stages as the
schema's field names; unknown headers stay; a file lacking a required field is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from workbench.discovery import discover
from workbench.errors import MapValidationError, WorkbenchError
from workbench.samples.truth import SAMPLES_DIR
from workbench.sources.base import SOURCE_NAMES, get_source
from workbench.sources.headers import (
    HeaderError,
    align_custom_headers,
    resolve_names,
    resolve_table,
)
from workbench.sources.reader import ExportTable
from workbench.sources.salesmate import write_pages
from workbench.sources.schema import (
    ObjectSchema,
    form_clashes,
    load_source_schema,
    normalise_header,
)
from workbench.steps.discovery import DiscoveryStep

AC_CONTACTS = (
    "Contact ID,First Name,Last Name,Other First Name,Other Last Name,Company,Email,Other Email,"
    "Phone 1,Phone 1 Note,Phone 2,Phone 2 Note,Address,City,State,Postal Code,Birthday,Category,"
    "Source,Flag,Add Date"
)
AC_NOTES = "Note ID,Email,First Name,Last Name,Note Date,Added By,Note"


def _table(headers: list[str], name: str = "contacts") -> ExportTable:
    frame = pl.DataFrame({h: ["x"] for h in headers}).with_columns(
        pl.lit("f.csv").alias("_file"), pl.lit(2, dtype=pl.Int64).alias("_line")
    )
    return ExportTable(object=name, files=[Path("f.csv")], frame=frame)


def _allclients(tmp_path: Path, contacts: str, notes: str | None = None) -> Path:
    row = ",".join(["1", "Ann", "Lee", "", "", "Acme Inc.", "ann@acme.com"] + [""] * 14)
    (tmp_path / "Contacts.csv").write_text(f"{contacts}\n{row}\n", encoding="utf-8")
    if notes is not None:
        (tmp_path / "Notes.csv").write_text(
            f"\ufeff{notes}\n1,ann@acme.com,Ann,Lee,2/15/2014,me@x.com,Called\n", encoding="utf-8"
        )
    return tmp_path


@pytest.mark.parametrize(
    "header",
    ["First Name", "first_name", "FIRST-NAME", "\ufeffFirstName", "  first  name ", "Fïrst.Name"],
)
def test_normalising_ignores_case_spaces_punctuation_accents_and_bom(header) -> None:
    assert normalise_header(header) == "firstname"


@pytest.mark.parametrize("source", SOURCE_NAMES)
def test_every_schema_loads_with_unambiguous_header_forms(source) -> None:
    schema = load_source_schema(source)
    assert all(not form_clashes(n, o) for n, o in schema.objects.items())
    assert any(o.aliases for o in schema.objects.values())
    assert all(o.aliases_basis for o in schema.objects.values() if o.aliases)


def test_a_form_naming_two_fields_is_refused(tmp_path) -> None:
    spec = ObjectSchema(columns=["id", "email"], aliases={"id": ["E-mail"]})
    assert form_clashes("contacts", spec) == [
        "contacts: header form 'E-mail' names both 'email' and 'id'"
    ]
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "schema.yaml").write_text(
        "source: demo\nlabel: Demo\nobjects:\n  contacts:\n    columns: [id, email]\n"
        "    aliases: {id: [Email]}\n"
    )
    with pytest.raises(MapValidationError, match="names both"):
        load_source_schema("demo", tmp_path)


def test_exact_then_normalised_then_alias_and_unknown_headers_stay() -> None:
    spec = load_source_schema("allclients").objects["contacts"]
    table = _table(["Contact ID", "First Name", "email", "Email", "Referral Source", "Address"])
    matches = resolve_table(table, spec)
    assert table.frame.columns == [
        "id", "firstname", "email", "Email", "Referral Source", "address1", "_file", "_line",
    ]  # fmt: skip
    assert {(m.header, m.field, m.how) for m in matches} == {
        ("Contact ID", "id", "alias"),
        ("First Name", "firstname", "normalised"),
        ("email", "email", "exact"),
        ("Address", "address1", "alias"),
    }


def test_the_better_of_two_claims_wins_and_the_first_breaks_ties() -> None:
    spec = load_source_schema("kartra").objects["contacts"]
    chosen = resolve_names(["Zip Code", "ZIP", "zip_code"], spec)
    assert chosen == {"ZIP": ("zip", "normalised")}
    chosen = resolve_names(["Postal Code", "Zip Code"], spec)
    assert chosen == {"Postal Code": ("zip", "alias")}


def test_allclients_web_ui_export_reads_as_the_api_names(tmp_path) -> None:
    export = get_source("allclients").read_export(_allclients(tmp_path, AC_CONTACTS, AC_NOTES))
    contacts = export.tables["contacts"].frame
    assert contacts.row(0, named=True) | {"_file": None} == contacts.row(0, named=True) | {
        "id": "1", "firstname": "Ann", "lastname": "Lee", "company": "Acme Inc.",
        "email": "ann@acme.com", "_file": None,
    }  # fmt: skip
    assert {"otherlastname", "phone2note", "address1", "postalcode", "adddate", "flag"} <= set(
        contacts.columns
    )
    assert export.tables["notes"].columns == [
        "noteid", "email", "firstname", "lastname", "notedate", "user", "note",
    ]  # fmt: skip
    found = discover(export, load_source_schema("allclients"))
    assert found.objects["contacts"].custom_fields == []  # every UI column is a standard field
    doc = json.loads(json.dumps(found.to_json()))
    notes = {h["header"]: (h["field"], h["how"]) for h in doc["headers"]["notes"]}
    assert notes["Added By"] == ("user", "alias") and notes["Note Date"] == (
        "notedate",
        "normalised",
    )


def test_discovery_step_shows_what_was_matched_to_what(tmp_path) -> None:
    export = get_source("allclients").read_export(_allclients(tmp_path, AC_CONTACTS, AC_NOTES))
    schema = load_source_schema("allclients")
    step = DiscoveryStep(
        "allclients",
        "AllClients",
        export,
        schema,
        discover(export, schema),
        [],
        None,  # type: ignore[arg-type]
    )
    table = step.headers()
    row = table.filter(pl.col("header in the export") == "Contact ID").row(0, named=True)
    assert row["read as"] == "id" and row["matched by"] == "a known label of this field"
    assert "documented" in row["where the labels come from"]
    assert "**notes**: 7 standard field(s) found" in step.headers_markdown()


def test_missing_required_fields_are_one_error_with_the_closest_headers(tmp_path) -> None:
    notes = "Note ID,E-Mail Addr,Given Name,Last Name,Note Date,Added By,Note"
    contacts = AC_CONTACTS.replace("Contact ID", "Kontakt")
    with pytest.raises(HeaderError) as caught:
        get_source("allclients").read_export(_allclients(tmp_path, contacts, notes))
    error = caught.value
    assert isinstance(error, WorkbenchError) and error.line == 1
    text = str(error)
    assert "Contacts.csv (contacts): no header for 'id'" in text
    assert "Notes.csv (notes): no header for 'email' (closest: 'E-Mail Addr')" in text
    assert "'firstname' (closest: 'Given Name')" in text
    assert "mappings/allclients/schema.yaml" in text


def test_batches_spelling_a_custom_column_differently_stack_into_one() -> None:
    spec = load_source_schema("kartra").objects["contacts"]
    first, second = _table(["id", "Coaching Goals"]), _table(["ID", "COACHING_GOALS"])
    for table in (first, second):
        resolve_table(table, spec)
    matches = align_custom_headers([first, second], spec)
    assert second.frame.columns == ["id", "Coaching Goals", "_file", "_line"]
    assert [(m.header, m.field, m.how) for m in matches] == [
        ("COACHING_GOALS", "Coaching Goals", "custom")
    ]


def test_salesmate_pages_with_ui_labels_and_a_bom(tmp_path) -> None:
    records = [
        {"Contact ID": 1, "First Name": "Ann", "Email": "ann@acme.com", "Created On": "2021-01-04"},
        {"Contact ID": 2, "First Name": "Bob", "Email": "bob@x.com", "Created On": "2021-01-05"},
    ]
    (page,) = write_pages(tmp_path / "contacts", records)
    page.write_text("\ufeff" + page.read_text(encoding="utf-8"), encoding="utf-8")
    export = get_source("salesmate").read_export(tmp_path)
    table = export.tables["contacts"]
    assert table.quarantine.height == 0
    assert table.columns == ["id", "firstName", "email", "createdAt"]
    assert table.frame["id"].to_list() == ["1", "2"]


def test_salesmate_pages_without_any_id_are_a_header_error(tmp_path) -> None:
    write_pages(tmp_path / "contacts", [{"Kontakt": 1, "Email": "a@b.c"}])
    with pytest.raises(HeaderError, match="no header for 'id'"):
        get_source("salesmate").read_export(tmp_path)


def test_salesmate_pages_from_two_tools_meet_in_one_table(tmp_path) -> None:
    """Page 1 keyed by the API's names, page 2 by the UI's labels: one column per field."""
    api = [{"id": i, "firstName": f"A{i}", "email": f"a{i}@x.com"} for i in (1, 2)]
    ui = [{"Contact ID": i, "First Name": f"A{i}", "Email": f"a{i}@x.com"} for i in (3, 4)]
    write_pages(tmp_path / "contacts", api + ui, rows=2)
    table = get_source("salesmate").read_export(tmp_path).tables["contacts"]
    assert table.columns == ["id", "firstName", "email"]
    assert table.frame["id"].to_list() == ["1", "2", "3", "4"]
    assert table.frame["email"].null_count() == 0


def test_the_error_points_at_the_header_line_below_title_lines(tmp_path) -> None:
    notes = "Note ID,Mail,Given Name,Last Name,Note Date,Added By,Note"
    (tmp_path / "Notes.csv").write_text(
        f"Notes export\nAcme Insurance\n{notes}\n"
        + "".join(f"{i},a@b.c,Ann,Lee,2/15/2014,me@x.com,Hi\n" for i in range(1, 4)),
        encoding="utf-8",
    )
    _allclients(tmp_path, AC_CONTACTS)
    with pytest.raises(HeaderError) as caught:
        get_source("allclients").read_export(tmp_path)
    assert caught.value.file == "Notes.csv" and caught.value.line == 3


def test_the_header_table_says_when_nothing_was_renamed_or_no_schema_was_used() -> None:
    from workbench.reports.headers import header_table, headers_markdown

    schema = load_source_schema("smartcrm")
    export = get_source("smartcrm").read_export(SAMPLES_DIR / "smartcrm")
    assert header_table(export.headers, schema).row(0) == (
        "every header already uses the schema's names",
    )
    assert "**contacts**: 14 standard field(s) found, 14 by their own name." in headers_markdown(
        export.headers
    )
    assert header_table([], schema).row(0) == ("no source schema: every header kept as written",)
