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

import yaml
from cleanco.clean import get_unique_terms
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


def _plain(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; '&' and '+' read as 'and'."""
    text = unidecode(text).casefold().replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHE.sub("", text).replace(".", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACE.sub(" ", text).strip()


@cache
def legal_suffixes() -> frozenset[tuple[str, ...]]:
    """Legal-entity forms of many countries (cleanco's table) as token tuples."""
    forms = {tuple(_plain(term).split()) for term in get_unique_terms()}
    return frozenset(form for form in forms if form and form not in _NOT_LEGAL_FORMS)


@cache
def _longest_suffix() -> int:
    return max(len(form) for form in legal_suffixes())


def company_tokens(name: str | None) -> list[str]:
    """The identifying words of a company name, in order (see `normalise_company_name`)."""
    if name is None:
        return []
    tokens = _plain(str(name)).split()
    ref = reference_data()
    articles = set(ref["leading_articles"])
    prefixes = set(ref["legal_prefixes"])
    while len(tokens) > 1 and (tokens[0] in articles or tokens[0] in prefixes):
        tokens = tokens[1:]
    abbreviations = ref["abbreviations"]
    tokens = [str(abbreviations.get(token, token)) for token in tokens]
    forms = legal_suffixes()
    stripped = True
    while stripped and len(tokens) > 1:
        stripped = False
        if tokens[-1] == "and":
            tokens = tokens[:-1]
            stripped = True
            continue
        for size in range(min(_longest_suffix(), len(tokens) - 1), 0, -1):
            if tuple(tokens[-size:]) in forms:
                tokens = tokens[:-size]
                stripped = True
                break
    return tokens


def normalise_company_name(name: str | None) -> str:
    """Case, accents, punctuation, spacing, a leading "The", & vs and, and legal suffixes removed.

    "The Acme Company, Inc." and "ACME & co" both become "acme"; an empty result means no name.
    """
    return " ".join(company_tokens(name))


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
    if domain in set(ref["domains"]):
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
    return _registrable(host) if host else None


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
    """Trimmed, lower-cased address, or None when it has no '@' between two non-empty parts."""
    if email is None:
        return None
    text = str(email).strip().strip("<>").strip()
    if text.casefold().startswith("mailto:"):
        text = text[7:]
    text = text.casefold()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or " " in text:
        return None
    return text


def normalise_person_name(*parts: str | None) -> str:
    """First and last name as one comparable string: "José  O'Neil" → "jose oneil"."""
    return " ".join(_plain(str(part)) for part in parts if part is not None and str(part).strip())


def normalise_phone(phone: str | None) -> str | None:
    """The last nine digits of a phone number: enough to match, blind to country-code style."""
    if phone is None:
        return None
    digits = re.sub(r"\D", "", str(phone))
    return digits[-9:] if len(digits) >= 7 else None


def clean_spelling(name: str | None) -> str:
    """A name as it should be displayed: trimmed, single spaces, nothing else changed."""
    return _SPACE.sub(" ", str(name)).strip() if name is not None else ""
