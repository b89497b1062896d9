"""Join a separately exported file (notes, tasks, any activity) to its contacts.

The rule, in order: the contact id when the file has one; the normalised email; then the
normalised first + last name when it points at exactly one contact. Several candidates make the
row "ambiguous", none "unmatched" — every row ends in exactly one of joined / ambiguous /
unmatched, with the reason, and nothing is joined on a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import polars as pl

from workbench.errors import ResolveError
from workbench.resolve.normalise import normalise_email, normalise_person_name

JOIN_STATUSES = ("joined", "ambiguous", "unmatched")
JOIN_COLUMNS: dict[str, pl.DataType] = {
    "contact_row": pl.Int64,
    "contact_key": pl.Utf8,
    "join_status": pl.Utf8,
    "join_by": pl.Utf8,
    "join_reason": pl.Utf8,
    "candidates": pl.Int64,
}


def _values(
    frame: pl.DataFrame, column: str | None, what: str, file: str | None
) -> list[str | None]:
    if column is None:
        return [None] * frame.height
    if column not in frame.columns:
        raise ResolveError(
            f"the {what} column is missing; the columns are {', '.join(frame.columns)}",
            file=file,
            column=column,
        )
    return frame[column].cast(pl.Utf8).to_list()


def _clean(value: str | None) -> str | None:
    return value.strip() if value is not None and value.strip() else None


def join_notes(
    notes: pl.DataFrame,
    contacts: pl.DataFrame,
    *,
    email_col: str | None = "email",
    first_col: str | None = "firstname",
    last_col: str | None = "lastname",
    contact_email_col: str | None = None,
    contact_first_col: str | None = None,
    contact_last_col: str | None = None,
    id_col: str | None = None,
    contact_id_col: str | None = None,
    contact_key_col: str | None = None,
    notes_file: str | None = None,
    contacts_file: str | None = None,
) -> pl.DataFrame:
    """`notes` with the JOIN_COLUMNS added: the contact row (0-based) and key, status, how, why.

    Contact columns default to the note columns' names; `id_col`/`contact_id_col` join by a
    contact id first when the file carries one; `contact_key_col` (default: contact_id_col)
    names the value reported as `contact_key`.
    """
    note_emails = _values(notes, email_col, "email", notes_file)
    note_first = _values(notes, first_col, "first name", notes_file)
    note_last = _values(notes, last_col, "last name", notes_file)
    note_ids = _values(notes, id_col, "contact id", notes_file)
    contact_emails = _values(contacts, contact_email_col or email_col, "email", contacts_file)
    contact_first = _values(contacts, contact_first_col or first_col, "first name", contacts_file)
    contact_last = _values(contacts, contact_last_col or last_col, "last name", contacts_file)
    contact_ids = _values(contacts, contact_id_col, "contact id", contacts_file)
    keys = _values(contacts, contact_key_col or contact_id_col, "contact key", contacts_file)

    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, list[int]] = defaultdict(list)
    names = [
        normalise_person_name(f, last) for f, last in zip(contact_first, contact_last, strict=True)
    ]
    for row, email in enumerate(contact_emails):
        if (normal := normalise_email(email)) is not None:
            by_email[normal].append(row)
        if names[row]:
            by_name[names[row]].append(row)
        if (identifier := _clean(contact_ids[row])) is not None:
            by_id[identifier].append(row)

    results = [
        _join_one(
            _clean(note_ids[i]),
            note_emails[i],
            normalise_person_name(note_first[i], note_last[i]),
            by_id,
            by_email,
            by_name,
            names,
        )
        for i in range(notes.height)
    ]
    added = pl.DataFrame(
        {
            "contact_row": [r[0] for r in results],
            "contact_key": [keys[r[0]] if r[0] is not None else None for r in results],
            "join_status": [r[1] for r in results],
            "join_by": [r[2] for r in results],
            "join_reason": [r[3] for r in results],
            "candidates": [r[4] for r in results],
        },
        schema=JOIN_COLUMNS,
    )
    return notes.drop([c for c in JOIN_COLUMNS if c in notes.columns]).hstack(added)


def _join_one(
    identifier: str | None,
    raw_email: str | None,
    name: str,
    by_id: dict[str, list[int]],
    by_email: dict[str, list[int]],
    by_name: dict[str, list[int]],
    names: Sequence[str],
) -> tuple[int | None, str, str | None, str, int]:
    """(contact row, status, joined by, reason, number of candidates) for one row."""
    if identifier is not None:
        found = by_id.get(identifier, [])
        if len(found) == 1:
            return found[0], "joined", "id", f"contact id {identifier}", 1
    email = normalise_email(raw_email)
    tried = []
    if email is not None:
        found = by_email.get(email, [])
        if len(found) == 1:
            return found[0], "joined", "email", f"email {email}", 1
        if len(found) > 1:
            same_name = [row for row in found if name and names[row] == name]
            if len(same_name) == 1:
                return (
                    same_name[0],
                    "joined",
                    "email+name",
                    f"email {email} shared by {len(found)} contacts; one has this name",
                    1,
                )
            return (
                None,
                "ambiguous",
                None,
                f"email {email} is shared by {len(found)} contacts and the name does not single one out",
                len(found),
            )
        tried.append(f"email {email} matches no contact")
    elif raw_email is not None and raw_email.strip():
        tried.append(f"email {raw_email.strip()!r} is not a valid address")
    else:
        tried.append("no email")
    if not name:
        return None, "unmatched", None, "; ".join([*tried, "no name"]), 0
    found = by_name.get(name, [])
    if len(found) == 1:
        return (
            found[0],
            "joined",
            "name",
            "; ".join([*tried, f"name {name!r} matches one contact"]),
            1,
        )
    if len(found) > 1:
        return (
            None,
            "ambiguous",
            None,
            "; ".join([*tried, f"name {name!r} matches {len(found)} contacts"]),
            len(found),
        )
    return None, "unmatched", None, "; ".join([*tried, f"name {name!r} matches no contact"]), 0


join_to_contacts = join_notes
"""The same machinery for any activity file (tasks, calls, orders) keyed by email or name."""
