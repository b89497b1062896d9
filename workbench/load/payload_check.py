"""The last look at a body before it joins a batch: mend or drop what Twenty would refuse.

Twenty refuses a whole record for one bad phone or link URL, and a batch is all-or-nothing
(FACTS 26), so one such value costs a split batch (log2(batch) extra requests) and the record.
Mapping builds phones Twenty accepts, but bodies also come from hand-written maps (a column
mapped straight to `phones.primaryPhoneCountryCode`), from merges in resolve and from plans
staged by an earlier version. Checking here, on the exact body that is sent, catches them all;
the rules are `workbench.twenty.payload_rules`, the same ones the emulator refuses with.

A phone is mended when its number can be read (the calling code first, then the country code):
the codes are re-derived so they agree. One that cannot be read is dropped; a bad URL is dropped
from its links; a choice value the workspace has no option for is dropped; a unique value
(person email, company domain) another record holds moves to the additional values. Each change
leaves a flag on the record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import phonenumbers

from workbench.twenty.payload_rules import (
    COUNTRY_CODES,
    PayloadRefused,
    check_links,
    check_phone,
    check_phones,
    countries_for_calling_code,
    is_valid_url,
    phone_parts,
)

_PHONE_KEYS = ("primaryPhoneNumber", "primaryPhoneCallingCode", "primaryPhoneCountryCode")
_LINK_KEYS = ("primaryLinkUrl", "secondaryLinks")


def mend_payload(
    body: dict[str, Any], choices: dict[str, list[str]] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """`body` with every phone, link and choice value Twenty accepts, and a flag per change.

    `choices` maps the target's SELECT, MULTI_SELECT and RATING fields to the option values the
    workspace holds (a value outside them is Postgres' "invalid input value for enum", a 400).
    """
    flags: list[str] = []
    out = _mend_choices(body, choices or {}, flags)
    for key, value in body.items():
        if not isinstance(value, dict):
            continue
        if any(k in value for k in _PHONE_KEYS) or "additionalPhones" in value:
            mended = _mend_phones(key, value, flags)
        elif any(k in value for k in _LINK_KEYS):
            mended = _mend_links(key, value, flags)
        else:
            continue
        if mended is not value:
            out = dict(out) if out is body else out
            if mended is None:
                out.pop(key)
            else:
                out[key] = mended
    return out, flags


def _mend_choices(
    body: dict[str, Any], choices: dict[str, list[str]], flags: list[str]
) -> dict[str, Any]:
    """A choice value the field has no option for is dropped (a whole SELECT value, or the
    missing items of a MULTI_SELECT list), flagged; the record loads without it."""
    out = body
    for key, allowed in choices.items():
        value = body.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            kept = [v for v in value if v in allowed]
            if len(kept) == len(value):
                continue
            flags.append(f"{key}: {[v for v in value if v not in allowed]} dropped: no such option")
            out = {**out, key: kept}
        elif value not in allowed:
            flags.append(f"{key}: {value!r} dropped: no such option")
            out = {k: v for k, v in out.items() if k != key}
    return out


def choice_options(info: Any) -> dict[str, list[str]]:
    """SELECT / MULTI_SELECT / RATING field → its option values, from an ObjectInfo."""
    out: dict[str, list[str]] = {}
    for f in getattr(info, "fields", None) or []:
        if f.type in ("SELECT", "MULTI_SELECT", "RATING"):
            values = list(f.option_values)
            if not values and f.type == "RATING":
                values = [f"RATING_{i}" for i in range(1, 6)]
            if values:
                out[f.name] = values
    return out


def _accepted(check: Callable[[dict[str, Any]], Any], value: dict[str, Any]) -> bool:
    try:
        check(value)
    except PayloadRefused:
        return False
    return True


def _mend_phones(field: str, value: dict[str, Any], flags: list[str]) -> dict[str, Any] | None:
    if _accepted(check_phones, value):
        return value
    out = copy.deepcopy(value)
    number = out.get("primaryPhoneNumber")
    calling, country = out.get("primaryPhoneCallingCode"), out.get("primaryPhoneCountryCode")
    try:
        check_phone(number, calling, country)
    except PayloadRefused as exc:
        if number:
            fixed = mend_phone(number, calling, country)
            for key in _PHONE_KEYS:
                out.pop(key, None)
            if fixed is None:
                flags.append(
                    f"{field}: {number!r} dropped: Twenty cannot read it as a phone number"
                )
            else:
                out.update({f"primaryPhone{k[:1].upper()}{k[1:]}": v for k, v in fixed.items()})
                _note_change(field, value, out, flags)
        else:
            flags.append(f"{field}: phone codes dropped ({exc.message})")
            out.pop("primaryPhoneCallingCode", None)
            out.pop("primaryPhoneCountryCode", None)
    kept = []
    for item in out.get("additionalPhones") or []:
        item = item if isinstance(item, dict) else {}
        try:
            check_phone(item.get("number"), item.get("callingCode"), item.get("countryCode"))
            kept.append(item)
            continue
        except PayloadRefused:
            pass
        fixed = mend_phone(item.get("number"), item.get("callingCode"), item.get("countryCode"))
        if fixed is None:
            flags.append(f"{field}: additional phone {item.get('number')!r} dropped")
        else:
            flags.append(f"{field}: additional phone {item.get('number')!r} sent as {fixed}")
            kept.append(fixed)
    if "additionalPhones" in out:
        out["additionalPhones"] = kept or None
    if not any(out.get(k) for k in (*_PHONE_KEYS, "additionalPhones")):
        return None
    try:
        check_phones(out)
    except PayloadRefused as exc:  # nothing left to mend: do not let it cost the record
        flags.append(f"{field} dropped: {exc.message}")
        return None
    return out


def mend_phone(number: Any, calling: Any, country: Any) -> dict[str, str] | None:
    """{number, countryCode?, callingCode?} Twenty accepts for a phone whose codes disagree,
    read with the calling code's region first, then the country's; None when unreadable."""
    if not isinstance(number, str) or not number.strip():
        return None
    hints: list[str | None] = []
    if isinstance(calling, str) and countries_for_calling_code(calling):
        code = int(calling.lstrip("+"))
        hints.append(phonenumbers.region_code_for_country_code(code))
    if isinstance(country, str) and country in COUNTRY_CODES:
        hints.append(country)
    hints.append(None)
    for hint in hints:
        try:
            parsed = phonenumbers.parse(number, hint)
        except phonenumbers.NumberParseException:
            continue
        fixed = phone_parts(parsed, hint or "")
        try:
            check_phone(fixed["number"], fixed.get("callingCode"), fixed.get("countryCode"))
        except PayloadRefused:
            continue
        return fixed
    return None


def _note_change(
    field: str, before: dict[str, Any], after: dict[str, Any], flags: list[str]
) -> None:
    was = "/".join(str(before.get(k) or "") for k in _PHONE_KEYS[1:])
    now = "/".join(str(after.get(k) or "") for k in _PHONE_KEYS[1:])
    flags.append(
        f"{field}: codes of {before.get('primaryPhoneNumber')!r} disagreed ({was}); sent as "
        f"{after.get('primaryPhoneNumber')!r} {now or 'without codes'}"
    )


def _mend_links(field: str, value: dict[str, Any], flags: list[str]) -> dict[str, Any] | None:
    if _accepted(check_links, value):
        return value
    out = copy.deepcopy(value)
    primary = out.get("primaryLinkUrl")
    if isinstance(primary, str) and primary and not is_valid_url(primary):
        flags.append(f"{field}: {primary!r} dropped: not a URL Twenty accepts")
        out["primaryLinkUrl"] = None
        out.pop("primaryLinkLabel", None)
    links = []
    for link in out.get("secondaryLinks") or []:
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str) and url and not is_valid_url(url):
            flags.append(f"{field}: {url!r} dropped: not a URL Twenty accepts")
            continue
        links.append(link)
    if "secondaryLinks" in out:
        out["secondaryLinks"] = links or None
    if not out.get("primaryLinkUrl") and not out.get("secondaryLinks"):
        return None
    return out


# Twenty's unique fields on standard objects (FACTS 30-31): a second record with the same
# value is refused, a whole batch with it. The additional values are not unique-checked.
UNIQUE_FIELDS: dict[str, tuple[str, str, str]] = {
    "people": ("emails", "primaryEmail", "additionalEmails"),
    "companies": ("domainName", "primaryLinkUrl", "secondaryLinks"),
}


def unique_form(target: str, value: Any) -> str | None:
    """A unique value as Twenty compares it: emails lower-cased, URLs without a trailing /."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lower()
    return text[:-1] if target == "companies" and text.endswith("/") else text


class UniqueValues:
    """The unique values (person email, company domain) records of this migration hold, so a
    second record with one keeps it as an additional value instead of being refused."""

    def __init__(self, target: str, held: dict[str, str]) -> None:
        self.target = target
        self.spec = UNIQUE_FIELDS.get(target)
        self.holders = dict(held)  # unique form -> record key

    @classmethod
    def from_ledger(cls, target: str, rows: list[dict[str, Any]]) -> UniqueValues:
        """Values held by records of `target` Twenty already has (created or updated)."""
        held: dict[str, str] = {}
        spec = UNIQUE_FIELDS.get(target)
        if spec:
            for row in rows:
                if row.get("target") != target or not row.get("twenty_id") or not row.get("body"):
                    continue
                value = (json.loads(row["body"]).get(spec[0]) or {}).get(spec[1])
                form = unique_form(target, value)
                if form:
                    held.setdefault(form, row["record_key"])
        return cls(target, held)

    def claim(self, record_key: str, body: dict[str, Any], flags: list[str]) -> dict[str, Any]:
        """`body`, its unique value moved to the additional values when another record has it."""
        if self.spec is None:
            return body
        field, primary, additional = self.spec
        value = body.get(field)
        form = unique_form(
            self.target, (value or {}).get(primary) if isinstance(value, dict) else None
        )
        if form is None:
            return body
        holder = self.holders.setdefault(form, record_key)
        if holder == record_key:
            return body
        moved = dict(value)
        moved[primary] = ""
        extra = list(moved.get(additional) or [])
        if self.target == "people":
            extra.insert(0, value[primary])
        else:
            extra.insert(0, {"url": value[primary], "label": value.get("primaryLinkLabel") or ""})
            moved["primaryLinkLabel"] = ""
        moved[additional] = extra
        flags.append(
            f"{field}: {value[primary]!r} is already the {primary} of {holder}; "
            f"sent as an additional value"
        )
        return {**body, field: moved}
