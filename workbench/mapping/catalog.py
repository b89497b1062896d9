"""What the mapping stage knows of Twenty's data model: standard objects, their fields and shapes.

Recorded from the server described in /work/shared/twenty (OpenAPI of a 1.7 workspace); the map
is validated against this plus the custom fields and objects it declares itself.
"""

from __future__ import annotations

import re

from unidecode import unidecode

from workbench.twenty.model import FieldType as T

# Sub-fields of composite types and the scalar type each holds.
COMPOSITES: dict[T, dict[str, str]] = {
    T.FULL_NAME: {"firstName": "text", "lastName": "text"},
    T.EMAILS: {"primaryEmail": "email", "additionalEmails": "list"},
    T.PHONES: {
        "primaryPhoneNumber": "text",
        "primaryPhoneCountryCode": "text",
        "primaryPhoneCallingCode": "text",
        "additionalPhones": "list",
    },
    T.LINKS: {"primaryLinkUrl": "text", "primaryLinkLabel": "text", "secondaryLinks": "list"},
    T.CURRENCY: {"amountMicros": "int", "currencyCode": "text"},
    T.ADDRESS: {
        "addressStreet1": "text",
        "addressStreet2": "text",
        "addressCity": "text",
        "addressPostcode": "text",
        "addressState": "text",
        "addressCountry": "text",
        "addressLat": "number",
        "addressLng": "number",
    },
    T.RICH_TEXT_V2: {"markdown": "text"},
}

FILE_PATH_KEY = "_file_path"  # payload key of an attachment's file, for the loader to upload

# Standard objects by plural REST name: singular name, fields (name -> type), relation fields.
STANDARD_OBJECTS: dict[str, dict] = {
    "people": {
        "singular": "person",
        "fields": {
            "name": T.FULL_NAME,
            "emails": T.EMAILS,
            "phones": T.PHONES,
            "linkedinLink": T.LINKS,
            "xLink": T.LINKS,
            "jobTitle": T.TEXT,
            "city": T.TEXT,
            "avatarUrl": T.TEXT,
        },
        "relations": {"companyId": "companies"},
    },
    "companies": {
        "singular": "company",
        "fields": {
            "name": T.TEXT,
            "domainName": T.LINKS,
            "linkedinLink": T.LINKS,
            "xLink": T.LINKS,
            "employees": T.NUMBER,
            "annualRecurringRevenue": T.CURRENCY,
            "address": T.ADDRESS,
            "idealCustomerProfile": T.BOOLEAN,
        },
        "relations": {"accountOwnerId": "workspaceMembers"},
    },
    "opportunities": {
        "singular": "opportunity",
        "fields": {
            "name": T.TEXT,
            "amount": T.CURRENCY,
            "stage": T.SELECT,
            "closeDate": T.DATE_TIME,
        },
        "relations": {"companyId": "companies", "pointOfContactId": "people"},
    },
    "tasks": {
        "singular": "task",
        "fields": {
            "title": T.TEXT,
            "bodyV2": T.RICH_TEXT_V2,
            "status": T.SELECT,
            "dueAt": T.DATE_TIME,
        },
        "relations": {"assigneeId": "workspaceMembers"},
        "junction": "taskTargets",
    },
    "notes": {
        "singular": "note",
        "fields": {"title": T.TEXT, "bodyV2": T.RICH_TEXT_V2},
        "relations": {},
        "junction": "noteTargets",
    },
    "attachments": {
        "singular": "attachment",
        "fields": {
            "name": T.TEXT,
            "fullPath": T.TEXT,
            "type": T.TEXT,
            # Not a Twenty field: the file's path relative to the export folder. The loader
            # uploads that file (FACTS 56), sets fullPath from the answer and drops this key.
            FILE_PATH_KEY: T.TEXT,
        },
        "relations": {
            "personId": "people",
            "companyId": "companies",
            "opportunityId": "opportunities",
            "noteId": "notes",
            "taskId": "tasks",
        },
    },
    # Never created (FACTS 21: an API key could create members without users). A source whose
    # records name their owner by user id (Salesmate) stages its users table here so resolve
    # can read each user's email and match it to an existing member.
    "workspaceMembers": {
        "singular": "workspaceMember",
        "fields": {"name": T.FULL_NAME, "userEmail": T.TEXT},
        "relations": {},
        "lookup": True,
    },
}

STANDARD_OPTIONS: dict[tuple[str, str], list[str]] = {
    ("opportunities", "stage"): ["NEW", "SCREENING", "MEETING", "PROPOSAL", "CUSTOMER"],
    ("tasks", "status"): ["TODO", "IN_PROGRESS", "DONE"],
}

# Fields every record has; a map may set createdAt (Twenty keeps it), never the others.
SYSTEM_FIELDS = {
    "id",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "createdBy",
    "position",
    "searchVector",
}
RESERVED_NAMES = SYSTEM_FIELDS | {"type"}
JUNCTION_FIELDS = {"personId": "people", "companyId": "companies", "opportunityId": "opportunities"}
WORKSPACE_MEMBERS = "workspaceMembers"

# Lengths the workbench keeps text under (Twenty stores TEXT unbounded; a 10 MB request body is
# its hard limit, so one huge cell must not sink a batch of 60 records).
TEXT_LIMIT = 10_000
NAME_LIMIT = 63  # field, object and select-option names
LABEL_LIMIT = 255

CAMEL_RE = re.compile(r"^[a-z][a-zA-Z0-9]*$")
UPPER_SNAKE_RE = re.compile(r"^[A-Z0-9]+(_[A-Z0-9]+)*$")


def camel_case(text: str) -> str:
    """A header as a Twenty field name: ASCII camelCase, starting with a letter, ≤ 63 chars."""
    words = re.findall(r"[A-Za-z0-9]+", unidecode(text))
    split: list[str] = []
    for word in words:  # keep existing camelCase humps: "leadScore" -> lead, Score
        split.extend(re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", word))
    if not split:
        return "field"
    name = split[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in split[1:])
    if not name[0].isalpha():
        name = "f" + name
    return name[:NAME_LIMIT]


def upper_snake(text: str) -> str:
    """A select label as Twenty's option value: UPPER_SNAKE_CASE ASCII."""
    words = re.findall(r"[A-Za-z0-9]+", unidecode(str(text)))
    return "_".join(w.upper() for w in words)[:NAME_LIMIT] or "EMPTY"


def singular_of(plural: str) -> str:
    """Best-effort singular of a plural REST name, for objects the map declares."""
    if plural in STANDARD_OBJECTS:
        return STANDARD_OBJECTS[plural]["singular"]
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    if plural.endswith("ses") or plural.endswith("xes"):
        return plural[:-2]
    return plural[:-1] if plural.endswith("s") else plural
