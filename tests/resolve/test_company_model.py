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


def test_features_of_a_batch_of_pairs_are_each_pairs_own() -> None:
    """Scoring pairs in one batch gives every pair the features it has on its own."""
    from workbench.resolve.company_pairs import _build_nodes, _pair_matrix

    names = ["Acme Tools Inc", "ACME Tools Ltd", "Acme Tools", "A.T. Inc", "Acme Holdings Inc",
             "Orion Industries GmbH", "Orion Industries Inc", "Acme Tools Inc", "Northwind Co"]  # fmt: skip
    sites = ["acme.com", "", "acmetools.co.uk", "", "acme.com", "orion.de", "orion.com", "", ""]
    mails = ["jo@acme.com", "al@gmail.com", "", "x@acme.com", "", "", "y@orion-us.com",
             "z@yahoo.com", "q@northwind.com"]  # fmt: skip
    towns = ["Leeds", "Leeds", "York", "Leeds", "Hull", "Köln", "Austin", "York", "Leeds"]
    _, _, _, nodes, _, _ = _build_nodes(names, sites, mails, towns, town_floor=0.0)
    count = len(nodes.keys)
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    keys, spread = nodes.keys, nodes.spread
    base = base_scores([keys[i] for i, _ in pairs], [keys[j] for _, j in pairs]).tolist()
    checks = [_word_checks(*sorted((keys[i], keys[j]))) for i, j in pairs]
    batch = _pair_matrix(nodes, [(i, j, b) for (i, j), b in zip(pairs, base, strict=True)], checks)
    assert batch.shape == (len(pairs), len(FEATURES))
    for row, (i, j), b, c in zip(batch.tolist(), pairs, base, checks, strict=True):
        alone = pair_features(
            keys[i], keys[j], b, c,
            (nodes.websites[i], nodes.mail[i], nodes.websites[j], nodes.mail[j]),
            (nodes.rows[i], nodes.rows[j]),
            (spread[keys[i]], spread[keys[j]]),
            (nodes.cities[i], nodes.cities[j]),
            (nodes.domain_towns[i], nodes.domain_towns[j]),
            (nodes.forms[i], nodes.forms[j]),
        )  # fmt: skip
        assert tuple(row) == alone, (keys[i], keys[j])
    # The evidence is varied enough to mean something: domains, towns and forms all differ.
    for feature in ("same_website", "domains_differ", "towns_differ", "legal_forms_differ"):
        assert batch[:, FEATURES.index(feature)].any(), feature
