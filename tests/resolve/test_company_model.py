import polars as pl
import pytest

from workbench.errors import ConfigError
from workbench.resolve.blocking import _word_checks, base_scores
from workbench.resolve.companies import dedupe_companies
from workbench.resolve.company_model import (
    FEATURES,
    CompanyModel,
    default_company_model,
    pair_features,
)


def _score(a: str, b: str, domains=(set(), set(), set(), set()), towns=({}, {})) -> float:
    base = float(base_scores([a], [b])[0])
    features = pair_features(
        a, b, base, _word_checks(*sorted((a, b))), domains, (1, 1), (1, 1), towns
    )
    return default_company_model().score(features)


def test_fitted_model_scores_hand_made_pairs_sensibly() -> None:
    model = default_company_model()
    site = ({"acme.com"}, set(), {"acme.com"}, set())
    assert _score("acme logistics", "acme logistcs", site) >= model.merge_at  # typo, one website
    assert _score("international business machines", "ibm", site) > _score(
        "international business machines", "ibm"
    )  # initials count only with a domain in common
    twins = ({"orion.com"}, set(), {"orionindustries.ie"}, set())
    apart = _score("orion industries", "orion industries", twins, ({"boston": 3}, {"dublin": 2}))
    together = _score(
        "orion industries",
        "orion industries",
        (set(), set(), set(), set()),
        ({"boston": 3}, {"boston": 1}),
    )
    assert apart < model.merge_at <= together  # one name, other domain and town: two companies
    assert _score("summit health", "granite textiles") < model.review_at


def test_pipeline_clusters_use_the_town() -> None:
    frame = pl.DataFrame(
        {
            "name": ["Granite Labs", "Granite Labs Inc", "Granite Labs", "Granite Labs LLC"],
            "email": ["a@gmail.com", "b@gmail.com", "c@gmail.com", "d@gmail.com"],
            "city": ["Tulsa", "Tulsa", "Raleigh", "Raleigh"],
        }
    )
    rows = dedupe_companies(frame, "name", None, "email", city_col="city").rows
    clusters = rows["cluster"].to_list()
    assert clusters[0] == clusters[1] and clusters[2] == clusters[3]


def test_a_broken_company_model_reports_every_problem() -> None:
    data = {"intercept": "x", "coefficients": {"name": 1.0, "shoe_size": 2.0}, "merge_at": 90}
    with pytest.raises(ConfigError) as caught:
        CompanyModel.from_dict(data)
    message = str(caught.value)
    for part in (
        "no coefficient for 'same_town'",
        "unknown feature 'shoe_size'",
        "intercept",
        "review_at",
    ):
        assert part in message
    assert len(default_company_model().coefficients) == len(FEATURES)
