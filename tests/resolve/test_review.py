import json

import polars as pl

from workbench.resolve.companies import dedupe_companies
from workbench.resolve.decisions import load_decisions
from workbench.resolve.people import dedupe_people
from workbench.resolve.review import ReviewWidget

COMPANIES = pl.DataFrame(
    {
        "name": [
            "Acme Logistics",
            "Acme Logistics",
            "Acme Logistics Group",
            "Summit Dental",
            "Summit Dental of Madrid",
        ]
    }
)


def test_clicks_are_saved_and_applied_by_the_next_run(tmp_path) -> None:
    first = dedupe_companies(COMPANIES, "name")
    assert first.review.height == 2 and first.rows["cluster"].n_unique() == 4
    widget = ReviewWidget(first.review, tmp_path, "companies")
    merge_pair, apart_pair = first.review["pair"].to_list()
    widget.buttons[merge_pair][0].click()  # Merge
    widget.buttons[apart_pair][1].click()  # Keep apart
    saved = json.loads((tmp_path / "decisions" / "companies.json").read_text(encoding="utf-8"))
    assert sorted(d["decision"] for d in saved["decisions"]) == ["apart", "merge"]
    assert "merge" in widget.status[merge_pair].value

    # a later, headless run: no widget, the decisions file alone
    decisions = load_decisions(tmp_path)
    again = dedupe_companies(COMPANIES, "name", decisions=decisions["companies"])
    assert again.review.height == 0
    assert again.rows["cluster"].n_unique() == 3
    merged = set(first.review.filter(pl.col("pair") == merge_pair).select("a", "b").row(0))
    clusters = again.rows.filter(pl.col("normalised").is_in(list(merged)))["cluster"]
    assert clusters.n_unique() == 1

    # reopening shows the answers already given
    assert (
        "keep apart" in ReviewWidget(first.review, tmp_path, "companies").status[apart_pair].value
    )


def test_people_review_decisions_round_trip(tmp_path) -> None:
    people = pl.DataFrame(
        {
            "id": ["a", "b"],
            "email": ["x@a.com", "y@b.com"],
            "name": ["Bob Ray", "Bob Ray"],
            "phone": ["4155550100", "415-555-0100"],
        }
    )
    found = dedupe_people(
        people, email_col="email", name_col="name", phone_col="phone", key_col="id"
    )
    widget = ReviewWidget(found.review, tmp_path, "people")
    widget.buttons[found.review["pair"][0]][0].click()
    again = dedupe_people(
        people,
        email_col="email",
        name_col="name",
        phone_col="phone",
        key_col="id",
        decisions=load_decisions(tmp_path)["people"],
    )
    assert again.survivors()["b"] == "a"


def test_a_resolved_plan_shows_company_and_people_pairs(tmp_path) -> None:
    from resolve_samples import sample_members, sample_staged

    from workbench.resolve.plan import objects_info, resolve_staged

    staged, spec = sample_staged("kartra")
    resolved = resolve_staged(staged, objects_info(spec), sample_members())
    widget = ReviewWidget(resolved, tmp_path)
    assert len(widget.buttons) == min(resolved.companies.review.height, 200) + min(
        resolved.people.review.height, 200
    )
    pair = resolved.people.review["pair"][0]
    widget.buttons[pair][0].click()
    assert load_decisions(tmp_path)["people"].get(pair) == "merge"
    again = resolve_staged(
        staged,
        objects_info(spec),
        sample_members(),
        params=__import__("workbench.resolve.plan", fromlist=["PlanParams"]).PlanParams(
            run_dir=tmp_path
        ),
    )
    a, b = pair.split(" || ")
    assert again.people.survivors()[b] == a or again.people.survivors()[a] == b
