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


def _score(a: str, b: str, domains=(set(), set(), set(), set())) -> float:
    base = float(base_scores([a], [b])[0])
    checks = _word_checks(*sorted((a, b)))
    return default_company_model().score(pair_features(a, b, base, checks, domains, (1, 1)))


def test_fitted_model_scores_hand_made_pairs_sensibly() -> None:
    model = default_company_model()
    site = ({"acme.com"}, set(), {"acme.com"}, set())
    assert _score("acme logistics", "acme logistcs", site) >= model.merge_at  # typo, one website
    assert _score("acme logistics", "acme logistcs") >= model.merge_at  # typo, no domain known
    assert _score("international business machines", "ibm", site) > _score(
        "international business machines", "ibm"
    )  # initials count with a domain in common
    unrelated = ({"orion.com"}, set(), {"northfreight.de"}, set())
    assert _score("orion industries", "orion industries", unrelated) < _score(
        "orion industries", "orion industries"
    )  # one name at two unrelated domains is less likely one company
    cctld = ({"orion.com"}, set(), {"orion.de"}, set())
    assert _score("orion industries", "orion industrie", cctld) > _score(
        "orion industries", "orion industrie", unrelated
    )  # the same domain label under another country code
    assert _score("summit health", "granite textiles") < model.review_at


def test_rules_kept_on_top_of_the_model() -> None:
    frame = pl.DataFrame(
        {
            "name": ["Studio 54", "Studio 45", "Riverbend Media", "Riverbend Media Group"],
            "email": ["a@gmail.com", "b@gmail.com", "c@gmail.com", "d@gmail.com"],
        }
    )
    result = dedupe_companies(frame, "name", None, "email")
    assert result.rows["cluster"].n_unique() == 4  # a number or an extra word: review
    assert result.review.height == 2


def test_a_broken_company_model_reports_every_problem() -> None:
    data = {"intercept": "x", "coefficients": {"name": 1.0, "shoe_size": 2.0}, "merge_at": 90}
    with pytest.raises(ConfigError) as caught:
        CompanyModel.from_dict(data)
    message = str(caught.value)
    for part in (
        "no coefficient for 'same_domain'",
        "unknown feature 'shoe_size'",
        "intercept",
        "review_at",
    ):
        assert part in message
    assert len(default_company_model().coefficients) == len(FEATURES)


def test_two_legal_forms_keep_alike_names_further_apart() -> None:
    """Orion Industries Inc and Orion Industries Ltd, no domain: two countries' companies."""
    model = default_company_model()
    a, b = "orion industries", "orion industries"
    base = float(base_scores([a], [b])[0])
    checks = _word_checks(a, b)
    none = (set(), set(), set(), set())

    def score(forms: tuple[dict[str, int], dict[str, int]]) -> float:
        features = pair_features(a, b, base, checks, none, (2, 2), forms=forms)
        return model.score(features)

    assert score(({"inc": 2}, {"ltd": 2})) < score(({}, {})) < score(({"inc": 2}, {"inc": 1}))
