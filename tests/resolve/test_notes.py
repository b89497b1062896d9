import polars as pl
import pytest
from resolve_samples import sample_export, truth

from workbench.errors import ResolveError
from workbench.resolve.notes import join_notes

CONTACTS = pl.DataFrame(
    {
        "id": ["1", "2", "3", "4", "5", "6"],
        "email": [
            "ann@acme.com",
            "bob@acme.com",
            "shared@home.net",
            "shared@home.net",
            None,
            "dan@x.com",
        ],
        "firstname": ["Ann", "Bob", "Cy", "Di", "Eve", "Dan"],
        "lastname": ["Lee", "Ray", "Fox", "Fox", "Stone", "Ray"],
    }
)


def _join(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    notes = pl.DataFrame(rows, schema={"email": pl.Utf8, "firstname": pl.Utf8, "lastname": pl.Utf8})
    return join_notes(notes, CONTACTS, contact_key_col="id")


def test_every_note_ends_joined_ambiguous_or_unmatched_with_a_reason() -> None:
    joined = _join(
        [
            {"email": " ANN@acme.com ", "firstname": None, "lastname": None},  # email, any case
            {
                "email": "old@acme.com",
                "firstname": "Eve",
                "lastname": "Stone",
            },  # email changed → name
            {
                "email": "shared@home.net",
                "firstname": "Di",
                "lastname": "Fox",
            },  # shared email, name decides
            {
                "email": "shared@home.net",
                "firstname": "Zed",
                "lastname": "Fox",
            },  # shared, name does not
            {"email": None, "firstname": "Bob", "lastname": "Ray"},  # one Bob Ray
            {"email": "gone@x.com", "firstname": "Nobody", "lastname": "Here"},
            {"email": None, "firstname": None, "lastname": None},
        ]
    )
    assert joined["join_status"].to_list() == [
        "joined",
        "joined",
        "joined",
        "ambiguous",
        "joined",
        "unmatched",
        "unmatched",
    ]
    assert joined["contact_key"].to_list() == ["1", "5", "4", None, "2", None, None]
    assert joined["join_by"].to_list()[:3] == ["email", "name", "email+name"]
    assert joined["join_reason"].null_count() == 0


def test_a_name_shared_by_two_contacts_is_ambiguous_never_a_guess() -> None:
    contacts = pl.concat(
        [
            CONTACTS,
            pl.DataFrame(
                {"id": ["7"], "email": ["bob2@y.com"], "firstname": ["BOB"], "lastname": ["ray "]}
            ),
        ]
    )
    notes = pl.DataFrame({"email": ["new@z.com"], "firstname": ["Bob"], "lastname": ["Ray"]})
    joined = join_notes(notes, contacts, contact_key_col="id")
    assert joined["join_status"][0] == "ambiguous" and joined["contact_row"][0] is None
    assert "matches 2 contacts" in joined["join_reason"][0]


def test_an_id_column_joins_first() -> None:
    notes = pl.DataFrame(
        {"cid": ["6"], "email": ["ann@acme.com"], "firstname": [None], "lastname": [None]}
    )
    joined = join_notes(notes, CONTACTS, id_col="cid", contact_id_col="id")
    assert joined["contact_key"][0] == "6" and joined["join_by"][0] == "id"


def test_missing_column_names_file_and_column() -> None:
    with pytest.raises(ResolveError) as caught:
        join_notes(pl.DataFrame({"mail": ["a"]}), CONTACTS, notes_file="Notes.csv")
    assert caught.value.file == "Notes.csv" and caught.value.column == "email"


def test_allclients_notes_join_accounts_for_every_note() -> None:
    export = sample_export("allclients")
    contacts, notes = export.tables["contacts"].frame, export.tables["notes"].frame
    joined = join_notes(notes, contacts, contact_key_col="id")
    expected = truth("allclients", "notes.csv")
    both = joined.join(expected, left_on=["_file", "_line"], right_on=["file", "line"], how="left")
    assert both["expected_status"].null_count() == 0
    want = both["expected_status"].str.replace(r"^joined_by_.*", "joined")
    counts = joined["join_status"].value_counts().sort("join_status").rows()
    right_status = int((both["join_status"] == want).sum())
    right_contact = int(
        (both["contact_key"].fill_null("") == both["expected_contact"].fill_null("")).sum()
    )
    wrongly_joined = both.filter((want != "joined") & (pl.col("join_status") == "joined")).height
    print(
        f"\nallclients notes: {joined.height}, {dict(counts)}; status right {right_status}, contact right {right_contact}, ambiguous joined {wrongly_joined}"
    )
    assert joined["join_status"].is_in(["joined", "ambiguous", "unmatched"]).all()
    assert right_status == right_contact == joined.height == notes.height
    assert wrongly_joined == 0
