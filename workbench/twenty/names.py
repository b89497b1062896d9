"""Source names → names Twenty accepts.

Twenty refuses a field or object name unless it is camelCase ASCII starting with a lower-case
letter, at most 63 characters, and neither reserved nor already used on the object (FACTS 45).
Select option values must be UPPER_SNAKE_CASE. Exports name things `altcraft_profile_id__c`,
`Custom Field 3`, `GDPR Status`, `1st purchase` or `Città`, so every name goes through here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from unidecode import unidecode

MAX_NAME_LENGTH = 63

# Fields every Twenty object already has; a custom field cannot take these names.
SYSTEM_FIELD_NAMES = frozenset(
    {
        "id",
        "name",
        "createdAt",
        "updatedAt",
        "deletedAt",
        "createdBy",
        "updatedBy",
        "position",
        "searchVector",
    }
)

# Twenty's RESERVED_METADATA_NAME_KEYWORDS: core object names and a few type words.
RESERVED_NAMES = frozenset(
    {
        "approvedAccessDomain",
        "approvedAccessDomains",
        "appToken",
        "appTokens",
        "billingCustomer",
        "billingCustomers",
        "billingEntitlement",
        "billingEntitlements",
        "billingMeter",
        "billingMeters",
        "billingProduct",
        "billingProducts",
        "billingSubscription",
        "billingSubscriptions",
        "billingSubscriptionItem",
        "billingSubscriptionItems",
        "featureFlag",
        "featureFlags",
        "job",
        "jobs",
        "keyValuePair",
        "keyValuePairs",
        "postgresCredential",
        "postgresCredentials",
        "twoFactorMethod",
        "twoFactorMethods",
        "user",
        "users",
        "userWorkspace",
        "userWorkspaces",
        "workspace",
        "workspaces",
        "role",
        "roles",
        "plan",
        "plans",
        "event",
        "events",
        "field",
        "fields",
        "link",
        "links",
        "currency",
        "currencies",
        "fullNames",
        "address",
        "addresses",
        "type",
        "types",
        "object",
        "objects",
        "index",
        "relation",
        "relations",
        "aggregate",
    }
)

UNAVAILABLE_NAMES = SYSTEM_FIELD_NAMES | RESERVED_NAMES

_VALID_NAME = re.compile(r"^[a-z][a-zA-Z0-9]*$")
_VALID_OPTION = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
# Salesforce-style suffixes carry no meaning for an analyst: `score__c` is just "score".
_SALESFORCE_SUFFIX = re.compile(r"__(c|r|pc|x)$", re.IGNORECASE)
# Word boundaries inside identifiers: `leadScore`, `HTTPStatus`, `field3`.
_CAMEL_SPLIT = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+[a-z]*")


def words(text: str) -> list[str]:
    """The words of a source name, ASCII only, in order."""
    ascii_text = unidecode(_SALESFORCE_SUFFIX.sub("", text.strip()))
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", ascii_text):
        out.extend(_CAMEL_SPLIT.findall(chunk))
    return out


def is_valid_name(name: str) -> bool:
    """True when Twenty would accept `name` as a field or object name (ignoring duplicates)."""
    return (
        bool(_VALID_NAME.match(name))
        and len(name) <= MAX_NAME_LENGTH
        and name not in UNAVAILABLE_NAMES
    )


def is_valid_option_value(value: str) -> bool:
    return bool(_VALID_OPTION.match(value)) and len(value) <= MAX_NAME_LENGTH


def _camel(parts: list[str]) -> str:
    if not parts:
        return ""
    head, *tail = parts
    return head.lower() + "".join(p[:1].upper() + p[1:].lower() for p in tail)


def _fit(base: str, suffix: str = "") -> str:
    return base[: MAX_NAME_LENGTH - len(suffix)] + suffix


def field_name(source: str, taken: Iterable[str] = (), *, prefix: str = "field") -> str:
    """A valid, unused Twenty name for the source field `source`.

    Deterministic: the same source name and the same `taken` names give the same answer.
    Reserved names get Twenty's own `Custom` suffix (`type` → `typeCustom`); a name that starts
    with a digit gets `prefix` in front (`1st purchase` → `field1stPurchase`); a name with no
    letters at all becomes `customField`; collisions get a counter (`email2`).
    """
    used = set(taken)
    name = _camel(words(source)) or "custom" + prefix[:1].upper() + prefix[1:]
    if name[0].isdigit():
        name = prefix + name
    name = _fit(name)
    if name in UNAVAILABLE_NAMES:
        name = _fit(name, "Custom")
    if name not in used:
        return name
    counter = 2
    while _fit(name, str(counter)) in used or _fit(name, str(counter)) in UNAVAILABLE_NAMES:
        counter += 1
    return _fit(name, str(counter))


def field_names(sources: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Translate many source names at once; each result is unique among them and `taken`."""
    used = set(taken)
    out: dict[str, str] = {}
    for source in sources:
        if source in out:
            continue
        out[source] = field_name(source, used)
        used.add(out[source])
    return out


def object_names(label_singular: str, label_plural: str | None = None) -> tuple[str, str]:
    """(nameSingular, namePlural) for a custom object, e.g. "Behavior Event" → behaviorEvent(s)."""
    singular = field_name(label_singular, prefix="object")
    plural = field_name(label_plural, prefix="object") if label_plural else _plural(singular)
    if plural == singular:
        plural = _fit(singular, "List")
    return singular, plural


def _plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return _fit(word, "es")
    if re.search(r"[^aeiou]y$", word):
        return _fit(word[:-1], "ies")
    return _fit(word, "s")


def option_value(label: str, taken: Iterable[str] = ()) -> str:
    """UPPER_SNAKE_CASE option value for a select label: `Closed – won` → `CLOSED_WON`."""
    used = set(taken)
    value = "_".join(w.upper() for w in words(label)) or "OPTION"
    if value[0].isdigit():
        value = "OPTION_" + value
    value = value[:MAX_NAME_LENGTH].rstrip("_")
    if value not in used:
        return value
    counter = 2
    while f"{value[: MAX_NAME_LENGTH - len(str(counter)) - 1]}_{counter}" in used:
        counter += 1
    return f"{value[: MAX_NAME_LENGTH - len(str(counter)) - 1]}_{counter}"


def label(source: str) -> str:
    """A readable label for a field created from a source name: `gdpr_status__c` → `Gdpr Status`.

    Labels are free text in Twenty; this only tidies separators and keeps the source's letters
    (accents included), because an analyst recognises the original name.
    """
    text = _SALESFORCE_SUFFIX.sub("", source.strip())
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text) if " " not in text else text
    text = re.sub(r"[_\s]+", " ", text).strip()
    if not text:
        return "Field"
    if text.islower() or text.isupper():
        return " ".join(w[:1].upper() + w[1:].lower() for w in text.split(" "))
    return text[:1].upper() + text[1:]
