"""The universe of canonical companies behind the generated contact rows.

Each company has a canonical name, a country, a city, a canonical domain (some none, some shared
with a parent company) and, for the hard negatives, a `lookalike_group`: distinct companies whose
names are near-identical (Acme Consulting / Acme Consultants, the same name in two countries, a
subsidiary sharing its parent's domain, surnames a letter apart, the same trade name in two towns).
"""

from __future__ import annotations

import random
import unicodedata
import zlib
from dataclasses import dataclass, replace

import polars as pl

from benchmarks.matching.names import BRAND_STEMS, INDUSTRIES, SURNAMES
from benchmarks.matching.words import (
    COUNTRIES,
    COUNTRY_WEIGHTS,
)

# Real, distinct surnames a letter apart: both halves of a pair go to the same split.
SURNAME_PAIRS: tuple[tuple[str, str], ...] = (
    ("Stein", "Stine"), ("Meyers", "Myers"), ("Thompson", "Thomson"), ("Reid", "Reed"),
    ("Clarke", "Clark"), ("Kaplan", "Kaplin"), ("Schmitt", "Schmidt"), ("Maier", "Meier"),
    ("Jansen", "Janssen"), ("Smit", "Smits"), ("Leroy", "Lerois"), ("Dubois", "Duboix"),
    ("Lindqvist", "Lindquist"), ("Hansen", "Johansen"), ("Peters", "Peeters"),
)  # fmt: skip
_PARTNER = {a: b for a, b in SURNAME_PAIRS} | {b: a for a, b in SURNAME_PAIRS}
EXTRA_WORDS = ("North", "West", "Coastal", "Metro", "Home", "Medical", "Freight", "Premier")
ACRONYM_HEADS = ("Advanced", "Integrated", "International", "National", "Allied", "United",
                 "General", "Consolidated", "American", "Pacific", "Continental")  # fmt: skip
ACRONYM_MIDDLES = ("Business", "Micro", "Data", "Freight", "Power", "Water", "Medical",
                   "Home", "Transport", "Energy", "Control", "Packaging")  # fmt: skip
ACRONYM_TAILS = ("Machines", "Systems", "Devices", "Products", "Solutions", "Services",
                 "Industries", "Technologies", "Resources", "Partners")  # fmt: skip


@dataclass
class Company:
    """A canonical company; `words` are its name without a leading "The" or legal form."""

    company_id: str
    words: list[str]
    country: str
    city: str
    state: str
    language: str
    suffix: str | None = None
    the: bool = False
    domain: str | None = None
    parent_id: str | None = None
    lookalike_group: str | None = None
    lookalike_kind: str | None = None

    @property
    def name(self) -> str:
        core = " ".join((["The"] if self.the else []) + self.words)
        if not self.suffix:
            return core
        joiner = " " if self.suffix[0].isalpha() or self.suffix.startswith("&") else ""
        return core + joiner + self.suffix


def in_split(word: str, split: int) -> bool:
    """Stable vocabulary partition so dev and test universes share no distinctive word."""
    key = min(word, _PARTNER.get(word, word))
    return zlib.crc32(key.encode()) % 2 == split


def ascii_fold(text: str, german: bool = False) -> str:
    """Fold letters to ASCII the way people type them into a domain name."""
    if german:
        for src, dst in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
            text = text.replace(src, dst).replace(src.upper(), dst.capitalize())
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _labels(words: list[str], rng: random.Random, german: bool) -> list[str]:
    """Domain labels derived from name words, in the ways companies pick them, likeliest first."""
    tokens = [ascii_fold(w, german).lower() for w in words if w not in ("&", "and", "The")]
    tokens = ["".join(ch for ch in t if ch.isalnum() or ch == "-") for t in tokens]
    tokens = [t for t in tokens if t]
    styles = [
        "".join(tokens),
        "-".join(tokens),
        tokens[0],
        "".join(t[0] for t in tokens) + tokens[-1],
    ]
    if len(tokens) == 1:
        styles = styles[:1] * 4
    first = rng.choices(range(4), (0.45, 0.25, 0.15, 0.15))[0]
    ordered = [styles[first]] + [s for i, s in enumerate(styles) if i != first]
    return list(dict.fromkeys(ordered))


class UniverseBuilder:
    """Draws companies for one split with a seeded generator; names are unique per city."""

    def __init__(self, split: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.split = split
        self.companies: list[Company] = []
        self.domains: set[str] = set()
        self.names: set[tuple[str, str]] = set()
        self.stems = [s for s in BRAND_STEMS if in_split(s, split)]
        self.heads = [h for h in ACRONYM_HEADS if in_split(h, split)]
        self.middles = [m for m in ACRONYM_MIDDLES if in_split(m, split)]
        self.surnames = {k: [s for s in v if in_split(s, split)] for k, v in SURNAMES.items()}
        self.groups = 0

    # -- names -------------------------------------------------------------------------
    def _words(self, lang: str) -> list[str]:
        rng = self.rng
        industry = rng.choice(INDUSTRIES[lang])[0].split()
        surname = rng.choice(self.surnames[lang] or self.surnames["en"]).split()
        pattern = rng.random()
        if lang != "en":
            if pattern < 0.55:
                return surname + industry
            if pattern < 0.8:
                return rng.choice(self.stems).split() + industry
            other = rng.choice(self.surnames[lang] or self.surnames["en"]).split()
            return surname + ["&"] + other
        if pattern < 0.3:
            return surname + industry
        if pattern < 0.6:
            return rng.choice(self.stems).split() + industry
        if pattern < 0.7:
            other = rng.choice(self.surnames["en"]).split()
            tail = [rng.choice(("Associates", "Partners", "Company", "Sons"))]
            return surname + ["&"] + other + (tail if rng.random() < 0.6 else [])
        if pattern < 0.76:
            return surname + ["Brothers"] + (industry if rng.random() < 0.5 else [])
        if pattern < 0.86:
            words = [rng.choice(self.heads), rng.choice(self.middles)]
            return words + [rng.choice(ACRONYM_TAILS)]
        if pattern < 0.93:
            return rng.choice(self.stems).split() + ["International"]
        return rng.choice(self.stems).split()

    def _place(self, country: str, avoid: str | None = None) -> tuple[str, str]:
        cities = [c for c in COUNTRIES[country].cities if c[0] != avoid] or list(
            COUNTRIES[country].cities
        )
        return self.rng.choice(cities)

    def _suffix(self, country: str) -> str | None:
        spec = COUNTRIES[country]
        if self.rng.random() >= spec.suffix_rate:
            return None
        weights = [1.0 / (i + 1) ** 1.3 for i in range(len(spec.suffixes))]
        return self.rng.choices(spec.suffixes, weights)[0]

    def _domain(self, company: Company, none_rate: float = 0.12) -> str | None:
        if self.rng.random() < none_rate:
            return None
        spec = COUNTRIES[company.country]
        tld = spec.tlds[0] if self.rng.random() < 0.8 else self.rng.choice(spec.tlds)
        labels = _labels(company.words, self.rng, company.language == "de")
        city = ascii_fold(company.city).lower().replace(" ", "")
        fallbacks = [f"{labels[0]}{n}" for n in range(2, 40)] + [f"{labels[0]}-{city}"]
        for label in labels + fallbacks:
            candidate = f"{label}.{tld}"
            # a label belongs to one split only, so dev and test never share a domain
            if in_split(label, self.split) and candidate not in self.domains:
                self.domains.add(candidate)
                return candidate
        return None  # no free domain of this split: the company has none

    def _register(self, company: Company) -> bool:
        key = (company.name.lower(), company.city)
        if key in self.names:
            return False
        self.names.add(key)
        self.companies.append(company)
        return True

    def _next_id(self) -> str:
        return f"{'DT'[self.split]}C{len(self.companies) + 1:05d}"

    # -- companies ---------------------------------------------------------------------
    def add_canonical(self) -> Company:
        """One ordinary company (retried until its name is new in its city)."""
        while True:
            country = self.rng.choices(list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values()))[0]
            spec = COUNTRIES[country]
            words = self._words(spec.language)
            city, state = self._place(country)
            company = Company(self._next_id(), words, country, city, state, spec.language)
            company.suffix = self._suffix(country)
            company.the = spec.language == "en" and self.rng.random() < 0.05
            if self._register(company):
                company.domain = self._domain(company)
                return company

    def add_lookalike(self, original: Company) -> Company | None:
        """A different company whose name is near-identical to `original`, or None."""
        rng = self.rng
        kinds = ["plural_form", "country_twin", "subsidiary", "extra_word", "same_name_city"]
        if any(w in _PARTNER for w in original.words):
            kinds += ["surname_variant"] * 4
        kind = rng.choice(kinds)
        twin = replace(original, company_id=self._next_id(), words=list(original.words),
                       domain=None, parent_id=None, lookalike_group=None, lookalike_kind=None)  # fmt: skip
        twin.city, twin.state = self._place(original.country, avoid=original.city)
        if kind == "plural_form":
            swapped = _cousin_industry(original.words, original.language)
            if swapped is None:
                return None
            twin.words = swapped
        elif kind == "country_twin":
            options = [c for c in COUNTRIES if c != original.country]
            if original.language != "en":
                options = [c for c in options if COUNTRIES[c].language == original.language]
            twin.country = rng.choice(options or ["US"])
            twin.city, twin.state = self._place(twin.country)
            twin.suffix = self._suffix(twin.country)
        elif kind == "subsidiary":
            if original.domain is None or original.parent_id is not None:
                return None
            twin.words = _lead(original.words) + [rng.choice(("Holdings", "Group"))]
            twin.city, twin.state = original.city, original.state
        elif kind == "extra_word":
            twin.words = [rng.choice(EXTRA_WORDS)] + original.words
        elif kind == "same_name_city":
            twin.suffix = original.suffix
        else:
            twin.words = [_PARTNER.get(w, w) for w in original.words]
        if not self._register(twin):
            return None
        if kind == "subsidiary":
            twin.domain = original.domain
            original.parent_id = twin.company_id
        else:
            twin.domain = self._domain(twin, none_rate=0.08)
        if original.lookalike_group is None:
            self.groups += 1
        original.lookalike_group = (
            original.lookalike_group or f"{'DT'[self.split]}L{self.groups:04d}"
        )
        original.lookalike_kind = original.lookalike_kind or kind
        twin.lookalike_group, twin.lookalike_kind = original.lookalike_group, kind
        return twin


def _lead(words: list[str]) -> list[str]:
    """The name's first distinctive word with its particles: "de Vries" of "de Vries Bouw"."""
    particles = {"de", "van", "von", "der", "den", "di", "da", "du", "le", "la"}
    n = 0
    while n < len(words) - 1 and words[n].lower() in particles:
        n += 1
    return words[: n + 1]


def _cousin_industry(words: list[str], language: str) -> list[str] | None:
    """Replace the industry words by their close cousin (Consulting → Consultants)."""
    text = " ".join(words)
    for plain, cousin in INDUSTRIES[language]:
        if text.endswith(" " + plain):
            return text[: -len(plain)].split() + cousin.split()
    return None


def build_universe(n_companies: int, split: int, seed: int, lookalike_rate: float = 0.09):
    """`n_companies` canonical companies for one split (0 = dev, 1 = test)."""
    builder = UniverseBuilder(split, seed)
    while len(builder.companies) < n_companies:
        original = builder.add_canonical()
        rate = lookalike_rate
        while len(builder.companies) < n_companies and builder.rng.random() < rate:
            if builder.add_lookalike(original) is None:
                break
            rate = 0.2  # a third member now and then
    return builder.companies[:n_companies]


def universe_frame(companies: list[Company]) -> pl.DataFrame:
    """The companies_<split>.csv table."""
    return pl.DataFrame(
        {
            "company_id": [c.company_id for c in companies],
            "name": [c.name for c in companies],
            "country": [c.country for c in companies],
            "city": [c.city for c in companies],
            "state": [c.state for c in companies],
            "domain": [c.domain for c in companies],
            "parent_id": [c.parent_id for c in companies],
            "lookalike_group": [c.lookalike_group for c in companies],
            "lookalike_kind": [c.lookalike_kind for c in companies],
        },
        schema={
            k: pl.Utf8
            for k in (
                "company_id",
                "name",
                "country",
                "city",
                "state",
                "domain",
                "parent_id",
                "lookalike_group",
                "lookalike_kind",
            )
        },  # fmt: skip
    )
