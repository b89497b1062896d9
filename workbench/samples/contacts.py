"""Contact rows as an export writes them: duplicates, missing and broken emails and phones.

Shared by every source generator so each plants the same kinds of mess, counted the same way.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from workbench.samples.common import (
    INVALID_PHONES,
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Company,
    Person,
    company_mention,
    email_case_variant,
    excel_mangled,
    invalid_email,
    is_ambiguous_date,
    member_email_as_written,
    norm_name,
    strip_accents,
    write_phone,
)

DUP_KINDS = ("email_case", "name_phone", "name_company")


@dataclass
class ContactRow:
    """One contact row: the person behind it and the values as written."""

    person: Person
    first: str
    last: str
    email: str
    phone: str
    company: Company | None
    company_text: str
    created: datetime
    owner: str = ""
    dup_kind: str = ""  # "" for a person's first row, else how the duplicate differs
    flags: list[str] = field(default_factory=list)
    row_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rates:
    """Share of rows that get each planted problem."""

    duplicates: float = 0.07
    no_email: float = 0.04
    invalid_email: float = 0.025
    invalid_phone: float = 0.03
    excel_phone: float = 0.025
    no_phone: float = 0.12
    non_member_owner: float = 0.05


def contact_rows(rng: random.Random, people: Sequence[Person], rates: Rates) -> list[ContactRow]:
    """Rows for these people, with duplicates and planted problems, ordered by creation."""
    rows: list[ContactRow] = []
    for person in people:
        rows.append(_row(rng, person, ""))
        if rng.random() < rates.duplicates:
            rows.append(_row(rng, person, DUP_KINDS[len(rows) % 3]))
    for row in rows:
        if row.dup_kind == "email_case":
            continue  # keep these as pure same-email duplicates
        roll = rng.random()
        if roll < rates.no_email:
            row.email = ""
            row.flags.append("no_email")
        elif roll < rates.no_email + rates.invalid_email:
            row.email = invalid_email(rng, row.person)
            row.flags.append("invalid_email")
        if row.dup_kind == "name_phone":
            continue  # the phone is what identifies these duplicates
        roll = rng.random()
        if roll < rates.invalid_phone:
            row.phone = rng.choice(INVALID_PHONES)
            row.flags.append("invalid_phone")
        elif roll < rates.invalid_phone + rates.excel_phone:
            row.phone = excel_mangled(row.person.phone)
            row.flags.append("excel_phone")
        elif roll < rates.invalid_phone + rates.excel_phone + rates.no_phone:
            row.phone = ""
            row.flags.append("no_phone")
    for row in rows:
        if rng.random() < rates.non_member_owner:
            row.owner = rng.choice(NON_MEMBER_OWNERS)
        else:
            row.owner = member_email_as_written(rng, rng.choice(WORKSPACE_MEMBERS)[2])
    rows.sort(key=lambda r: (r.created, r.person.person_id, r.dup_kind))
    return rows


def _row(rng: random.Random, person: Person, dup_kind: str) -> ContactRow:
    company_text = company_mention(rng, person.company)[0] if person.company else ""
    row = ContactRow(
        person=person,
        first=person.first,
        last=person.last,
        email=person.email,
        phone=write_phone(rng, person.phone),
        company=person.company,
        company_text=company_text,
        created=person.created,
        dup_kind=dup_kind,
    )
    if not dup_kind:
        return row
    row.created = person.created + timedelta(days=rng.randint(20, 700), minutes=rng.randint(1, 900))
    if dup_kind == "email_case":
        row.email = email_case_variant(rng, person.email)
    elif dup_kind == "name_phone":
        row.first = strip_accents(person.first) if rng.random() < 0.5 else person.first.upper()
        row.email = (
            ""
            if rng.random() < 0.3
            else f"{person.first[0].lower()}{strip_accents(person.last).lower().replace(' ', '')}{rng.randint(1, 99)}@gmail.com"
        )
    else:  # name_company
        row.last = strip_accents(person.last)
        row.email = (
            ""
            if rng.random() < 0.3
            else f"{strip_accents(person.first).lower()}.{rng.randint(10, 99)}@outlook.com"
        )
        row.phone = ""
        if person.company is None:
            row.dup_kind = "name_only"
    return row


def norm_email(email: str) -> str:
    return email.strip().lower()


def quality_counts(rows: Sequence[ContactRow], date_values: Sequence[str] = ()) -> dict[str, Any]:
    """The planted problems among contact rows, counted the way discovery should count them."""
    flags = Counter(f for r in rows for f in r.flags)
    emails = Counter(
        norm_email(r.email) for r in rows if r.email and "invalid_email" not in r.flags
    )
    dup_rows = sum(n for n in emails.values() if n > 1)
    owners = Counter(norm_email(r.owner) for r in rows if r.owner)
    members = [e for _, _, e in WORKSPACE_MEMBERS]
    not_members = sorted(e for e in owners if e not in members)
    return {
        "rows": len(rows),
        "people": len({r.person.person_id: 1 for r in rows}),
        "duplicate_rows": sum(1 for r in rows if r.dup_kind),
        "duplicate_rows_by_kind": dict(
            sorted(Counter(r.dup_kind for r in rows if r.dup_kind).items())
        ),
        "no_email": sum(1 for r in rows if not r.email.strip()),
        "invalid_email": flags["invalid_email"],
        "invalid_phone": flags["invalid_phone"],
        "excel_mangled_phone": flags["excel_phone"],
        "no_phone": sum(1 for r in rows if not r.phone.strip()),
        "duplicate_email_groups": sum(1 for n in emails.values() if n > 1),
        "duplicate_email_rows": dup_rows,
        "ambiguous_dates": sum(1 for v in date_values if is_ambiguous_date(v)),
        "owners_not_in_workspace": not_members,
        "rows_owned_by_non_members": sum(n for e, n in owners.items() if e in not_members),
    }


class JoinIndex:
    """Contacts by normalised email and by normalised first+last name."""

    def __init__(self, contacts: list[ContactRow]) -> None:
        self.by_email: dict[str, list[ContactRow]] = {}
        self.by_name: dict[str, list[ContactRow]] = {}
        for c in contacts:
            if c.email.strip():
                self.by_email.setdefault(norm_email(c.email), []).append(c)
            self.by_name.setdefault(norm_name(c.first, c.last), []).append(c)

    def expected(self, note_email: str, first: str, last: str) -> tuple[str, str]:
        """(status, contact row id) under the rule: email first, then normalised first+last
        name when it points at exactly one contact. Several contacts on one email are narrowed
        by name."""
        name = norm_name(first, last)
        hits = self.by_email.get(norm_email(note_email), []) if note_email.strip() else []
        if len(hits) == 1:
            return "joined_by_email", hits[0].row_id
        if len(hits) > 1:
            named = [c for c in hits if norm_name(c.first, c.last) == name]
            return ("joined_by_email", named[0].row_id) if len(named) == 1 else ("ambiguous", "")
        hits = self.by_name.get(name, [])
        if len(hits) == 1:
            return "joined_by_name", hits[0].row_id
        return ("ambiguous", "") if hits else ("unmatched", "")
