import polars as pl
import pytest
from resolve_samples import sample_export, truth

from workbench.errors import ResolveError
from workbench.resolve.decisions import Decisions
from workbench.resolve.people import dedupe_people

PEOPLE = pl.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f", "g"],
        "email": [
            "Ann@Acme.com",
            " ann@acme.com",
            "home@family.net",
            "home@family.net",
            "bob@x.com",
            "bob@y.com",
            "carl@z.com",
        ],
        "first": ["Ann", "Ann", "Cy", "Di", "Bob", "Bob", "Carl"],
        "last": ["Lee", "Lee", "Fox", "Fox", "Ray", "Ray", "Ray"],
        "phone": [None, None, None, None, "+1 415 555 0100", "(415) 555-0100", None],
        "company": [None] * 7,
    }
)


def _dedupe(**kwargs: object):
    return dedupe_people(
        PEOPLE,
        email_col="email",
        first_col="first",
        last_col="last",
        phone_col="phone",
        company_col="company",
        key_col="id",
        **kwargs,
    )


def test_same_email_merges_and_a_shared_mailbox_does_not() -> None:
    found = _dedupe()
    survivors = found.survivors()
    assert survivors["b"] == "a"  # same address, any case or spacing
    assert survivors["d"] == "d"  # another person at the same address
    assert found.rows.filter(pl.col("key") == "d")["email_shared_with"][0] == "c"


def test_near_duplicates_are_flagged_by_default_and_merged_on_request() -> None:
    flagged = _dedupe()
    assert flagged.survivors()["f"] == "f"
    assert flagged.review.select("a", "b", "why").row(0) == ("e", "f", "same name and phone")
    merged = _dedupe(policy="merge")
    assert merged.survivors()["f"] == "e" and merged.review.height == 0


def test_decisions_override_the_policy() -> None:
    answers = Decisions()
    answers.decide("e", "f", "apart")
    answers.decide("g", "e", "merge")
    found = _dedupe(policy="merge", decisions=answers)
    assert found.survivors()["f"] == "f"
    assert found.survivors()["g"] == "e"


def test_bad_policy_is_refused() -> None:
    with pytest.raises(ResolveError, match="merge' or 'flag"):
        _dedupe(policy="guess")


@pytest.mark.parametrize(
    ("source", "columns"),
    [
        (
            "allclients",
            {
                "email_col": "email",
                "first_col": "firstname",
                "last_col": "lastname",
                "phone_col": "phone1",
                "company_col": "company",
                "key_col": "id",
            },
        ),
        (
            "kartra",
            {
                "email_col": "email",
                "first_col": "first_name",
                "last_col": "last_name",
                "phone_col": "phone",
                "company_col": "company",
                "key_col": "id",
            },
        ),
    ],
)
def test_sample_duplicates_by_email_are_all_real(source: str, columns: dict[str, str]) -> None:
    contacts = sample_export(source).tables["contacts"].frame
    people = contacts.join(
        truth(source, "people.csv"),
        left_on=["_file", "_line"],
        right_on=["file", "line"],
        how="left",
    )
    flagged = dedupe_people(people, **columns)
    metrics = flagged.metrics(people["person_id"].to_list())
    kinds = people.filter(pl.col("duplicate_kind").is_in(["name_phone", "name_company"])).height
    print(
        f"\n{source} people: {people.height} rows, email merges {flagged.rows['merged_by'].drop_nulls().len()}, near-duplicates for review {flagged.review.height} (planted {kinds}); {metrics}"
    )
    assert metrics.precision == 1.0
    assert flagged.review.height >= kinds * 0.8
