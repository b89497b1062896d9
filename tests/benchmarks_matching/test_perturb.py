"""Each error model does what its label says, on hand-picked names."""

from __future__ import annotations

import random

from benchmarks.matching.perturb import NAME_WEIGHTS, STRUCTURAL, TEXTUAL, Mention, perturb_name
from benchmarks.matching.universe import Company
from benchmarks.matching.words import SUFFIX_VARIANTS

ACME = Mention(False, ("Acme", "International", "Manufacturing"), "Inc", "en", "US", "Denver",
               "acme-intl.com")  # fmt: skip
PAIR = Mention(False, ("Baker", "&", "Howell", "Associates"), None, "en", "US")
MUELLER = Mention(False, ("Müller", "Maschinenbau"), "GmbH", "de", "DE")


def _all(kind: str, mention: Mention, n: int = 40) -> set[str]:
    """Every rendering the model gives over `n` seeds."""
    out = set()
    for seed in range(n):
        changed = STRUCTURAL[kind](mention, random.Random(seed))
        assert changed is not None, kind
        out.add(changed.render())
    return out


def test_legal_form_variants_differ_from_the_form_in_more_than_case() -> None:
    for form, variants in SUFFIX_VARIANTS.items():
        assert variants and all(v.casefold() != form.casefold() for v in variants), form


def test_legal_form_models() -> None:
    assert _all("suffix_dropped", ACME) == {"Acme International Manufacturing"}
    variants = _all("suffix_variant", ACME)
    assert {
        "Acme International Manufacturing, Inc.",
        "Acme International Manufacturing Incorporated",
    } <= variants
    assert all(
        v.split("Manufacturing")[1].strip(" ,") in {s.strip(" ,") for s in SUFFIX_VARIANTS["Inc"]}
        for v in variants
    )
    assert "Acme International Manufacturing Inc" not in _all("suffix_swapped", ACME)
    assert STRUCTURAL["suffix_added"](ACME, random.Random(0)) is None
    assert _all("suffix_added", PAIR) <= {
        f"Baker & Howell Associates {s}" for s in ("Inc", "LLC", "Corp", "Co", "LLP", "PC")
    }


def test_word_models() -> None:
    assert _all("abbreviation", ACME) >= {
        "Acme Intl Manufacturing Inc",
        "Acme International Mfg Inc",
    }
    assert _all("initials", ACME) <= {
        f"{i}{s}" for i in ("AIM", "A.I.M.", "A I M") for s in ("", " Inc")
    }
    assert _all("word_order", PAIR) == {"Howell & Baker Associates"}
    assert _all("ampersand", PAIR) == {"Baker and Howell Associates"}
    assert _all("leading_the", PAIR) == {"The Baker & Howell Associates"}
    assert _all("word_dropped", PAIR) <= {"Baker & Associates", "Baker & Howell"}
    added = _all("word_added", ACME)
    assert all(
        a.startswith("Acme International Manufacturing ") and a.endswith(" Inc") for a in added
    )
    assert _all("qualifier", ACME) >= {"Acme International Manufacturing Inc - Denver"}
    assert _all("name_is_domain", ACME) <= {
        "acme-intl.com",
        "Acme-intl.com",
        "www.acme-intl.com",
        "www.Acme-intl.com",
    }


def test_letters_and_encoding() -> None:
    assert _all("diacritics", MUELLER) == {"Muller Maschinenbau GmbH", "Mueller Maschinenbau GmbH"}
    assert TEXTUAL["mojibake"]("Müller GmbH", random.Random(0)) == "MÃ¼ller GmbH"
    assert TEXTUAL["mojibake"]("Acme Inc", random.Random(0)) == "Acme Inc"  # nothing to garble
    typo = TEXTUAL["typo_keyboard"]("Acme", random.Random(3))
    diff = [(a, b) for a, b in zip("Acme", typo, strict=True) if a != b]
    assert len(diff) == 1 and diff[0][1].lower() in "qwertyuiopasdfghjklzxcvbnm"
    assert sorted(TEXTUAL["typo_transpose"]("Northwind", random.Random(1))) == sorted("Northwind")
    assert len(TEXTUAL["typo_omission"]("Northwind", random.Random(1))) == len("Northwind") - 1
    assert len(TEXTUAL["typo_double"]("Northwind", random.Random(1))) == len("Northwind") + 1


def test_perturb_name_labels_only_what_changed() -> None:
    company = Company("X1", ["Acme", "&", "Müller", "International"], "US", "Denver", "CO", "en",
                      suffix="Inc", domain="acme.com")  # fmt: skip
    seen: set[str] = set()
    for seed in range(400):
        rng = random.Random(seed)
        text, kinds = perturb_name(company, rng, rng.choice((0, 1, 2, 3)))
        assert set(kinds) <= set(NAME_WEIGHTS) and len(kinds) == len(set(kinds))
        assert (text == company.name) == (not kinds), (seed, text, kinds)
        assert sum(k.startswith("suffix_") for k in kinds) <= 1
        assert sum(k.startswith("typo_") for k in kinds) <= 1
        seen |= set(kinds)
    assert seen == set(NAME_WEIGHTS) - {"suffix_added"}  # this name has a legal form already
