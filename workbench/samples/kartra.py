"""Kartra sample export: contacts in three overlapping UI batches, companies, transactions,
subscriptions, calendar bookings, affiliates, and the sequence inventory.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Truth,
    company_entries,
    fmt_mixed_date,
    make_people,
    slug,
    start_source,
    write_csv,
)
from workbench.samples.contacts import ContactRow, Rates, contact_rows, quality_counts
from workbench.samples.kartra_more import write_activity_files

NAME = "kartra"
NA = "N/A"
STANDARD = [
    "id",
    "first_name",
    "middle_name",
    "last_name",
    "last_name2",
    "email",
    "phone",
    "phone_country_code",
    "ip",
    "address",
    "zip",
    "city",
    "state",
    "country",
    "company",
    "website",
    "facebook",
    "twitter",
    "linkedin",
    "date_joined",
    "score",
    "source",
    "blacklisted",
    "gdpr_lead_status",
    "tags",
    "lists",
]
CUSTOM_FIELDS: list[tuple[str, str, list[str]]] = [
    (
        "Industry",
        "drop_down",
        ["Coaching", "E-commerce", "Agency", "SaaS", "Health & Wellness", "Education", "Other"],
    ),
    ("Preferred Contact Method", "radio_button", ["Email", "Phone", "SMS"]),
    ("Newsletter Opt-In", "checkbox", ["yes", "no"]),
    ("Coaching Goals", "text_area", []),
    ("Renewal Date", "input_field", []),
    ("Referral Code", "input_field", []),
]
CUSTOM_TARGETS = {
    "Industry": "custom:industry",
    "Preferred Contact Method": "custom:preferredContactMethod",
    "Newsletter Opt-In": "custom:newsletterOptIn",
    "Coaching Goals": "custom:coachingGoals",
    "Renewal Date": "custom:renewalDate",
    "Referral Code": "custom:referralCode",
}
CONTACT_TARGETS = {
    "id": "source_id",
    "first_name": "name.firstName",
    "middle_name": "custom:middleName",
    "last_name": "name.lastName",
    "last_name2": "custom:lastName2",
    "email": "emails.primaryEmail",
    "phone": "phones.primaryPhoneNumber",
    "phone_country_code": "phones.primaryPhoneCallingCode",
    "ip": "custom:ipAddress",
    "address": "custom:address.addressStreet1",
    "zip": "custom:address.addressPostcode",
    "city": "city",
    "state": "custom:address.addressState",
    "country": "custom:address.addressCountry",
    "company": "companyId",
    "website": "custom:website",
    "facebook": "custom:facebook",
    "twitter": "xLink.primaryLinkUrl",
    "linkedin": "linkedinLink.primaryLinkUrl",
    "date_joined": "createdAt",
    "score": "custom:score",
    "source": "custom:leadSource",
    "blacklisted": "custom:blacklisted",
    "gdpr_lead_status": "custom:gdprLeadStatus",
    "tags": "custom:tags",
    "lists": "custom:lists",
    **CUSTOM_TARGETS,
}
# Tags as accounts accumulate them: near-duplicates, and behavioural tags for forms, webinars
# and membership but none for surveys (the audit must report surveys as absent).
TAGS = [
    ("VIP", 6),
    ("vip ", 2),
    ("V.I.P.", 1),
    ("customer", 10),
    ("Customer", 3),
    ("Hot Lead", 5),
    ("hot lead", 2),
    ("cold", 4),
    ("lead-magnet", 8),
    ("email_bounced", 2),
    ("podcast-listener", 4),
    ("form_completed_free_guide", 6),
    ("form-submitted-contact-us", 3),
    ("webinar_registered_2023", 5),
    ("webinar-attended", 3),
    ("membership_gold", 3),
    ("membership-access-academy", 2),
    ("refund-requested", 1),
]
NEAR_DUPLICATE_TAGS = [["VIP", "vip", "V.I.P."], ["customer", "Customer"], ["Hot Lead", "hot lead"]]
BEHAVIOURAL = {
    "forms": ["form_completed_free_guide", "form-submitted-contact-us"],
    "surveys": [],
    "webinars": ["webinar_registered_2023", "webinar-attended"],
    "membership": ["membership_gold", "membership-access-academy"],
}
LISTS = [
    "Newsletter",
    "Customers",
    "Webinar Attendees",
    "Prospects 2022",
    "Free Guide Leads",
    "Affiliates",
]
SOURCES = [
    "Opt-in form: Free Guide",
    "Checkout page",
    "Import",
    "API",
    "Manual entry",
    "Webinar registration",
]
BATCH_FILES = ["contacts_export_1.csv", "contacts_export_2.csv", "contacts_export_3.csv"]
OVERLAPS = (36, 24)  # rows repeated at the boundary of batch 1/2 and 2/3


def generate(out_dir: Path, seed: int) -> None:
    """Write data/samples/kartra/ and its truth/ for this seed."""
    root, rng, truth, companies = start_source(out_dir, seed, NAME, 150, hard_negatives=14)
    people = make_people(
        rng, 1080, companies, datetime(2017, 3, 1), datetime(2024, 10, 1), same_name_pairs=12
    )
    rows = contact_rows(rng, people, Rates())
    next_id = 1000
    for row in rows:
        next_id += rng.randint(1, 40)
        row.row_id = str(next_id)
    cells = [_contact_cells(rng, row) for row in rows]
    batch_info = _write_batches(rng, root, rows, cells, truth)
    company_info = _write_companies(rng, root, companies, people, truth)
    activity = write_activity_files(rng, root, rows, truth)
    _write_custom_field_schema(root, truth)
    activity["objects"] = {
        "companies": company_info,
        **activity["objects"],
        "custom_fields": {
            "files": ["custom_fields.csv"],
            "rows": len(CUSTOM_FIELDS),
            "inventory": True,
        },
    }
    discovery = _discovery(rows, cells, batch_info, activity)
    truth.write(root / "truth", discovery)


def _contact_cells(rng: random.Random, row: ContactRow) -> dict[str, str]:
    p = row.person
    city, state, zip_code, country = p.city
    tags = _pick_tags(rng)
    sep = "; " if rng.random() < 0.05 else rng.choice([", ", ", ", ","])
    handle = slug(p.first + p.last)[:14]
    goals = ""
    if rng.random() < 0.3:
        goals = rng.choice(
            [
                "Grow my list to 10k",
                "Launch my first course",
                "Book more discovery calls.\nAlso: fix my funnel",
                "Scale past $1M",
                'Get consistent, "high-ticket" clients',
            ]
        )
    renewal = (
        fmt_mixed_date(rng, p.created + timedelta(days=rng.randint(300, 900)))[0]
        if rng.random() < 0.4
        else ""
    )
    values = {
        "id": row.row_id,
        "first_name": row.first,
        "middle_name": rng.choice("ABCDEJKLMRS") + "." if rng.random() < 0.1 else "",
        "last_name": row.last,
        "last_name2": "",
        "email": row.email,
        "phone": row.phone,
        "phone_country_code": ("+1" if country in ("US", "CA") else "") if row.phone else "",
        "ip": f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "address": p.street if rng.random() < 0.6 else "",
        "zip": zip_code,
        "city": city,
        "state": state,
        "country": country,
        "company": row.company_text,
        "website": f"https://www.{p.company.domain}" if p.company and rng.random() < 0.35 else "",
        "facebook": f"https://facebook.com/{handle}" if rng.random() < 0.15 else "",
        "twitter": rng.choice([f"@{handle}", f"https://twitter.com/{handle}"])
        if rng.random() < 0.15
        else "",
        "linkedin": rng.choice(
            [f"https://www.linkedin.com/in/{handle}", f"linkedin.com/in/{handle}"]
        )
        if rng.random() < 0.3
        else "",
        "date_joined": row.created.strftime("%Y-%m-%d %H:%M:%S"),
        "score": str(rng.randint(0, 120)),
        "source": rng.choice(SOURCES),
        "blacklisted": "1" if rng.random() < 0.04 else "0",
        "gdpr_lead_status": rng.choice(["accepted", "accepted", "not_accepted", "", ""]),
        "tags": sep.join(tags),
        "lists": ", ".join(rng.sample(LISTS, rng.choice([0, 1, 1, 2, 3]))),
        "Industry": rng.choice(CUSTOM_FIELDS[0][2]) if rng.random() < 0.6 else "",
        "Preferred Contact Method": rng.choice(CUSTOM_FIELDS[1][2]) if rng.random() < 0.7 else "",
        "Newsletter Opt-In": rng.choice(["yes", "no"]),
        "Coaching Goals": goals,
        "Renewal Date": renewal,
        "Referral Code": f"REF-{rng.randint(1000, 9999)}" if rng.random() < 0.2 else "",
    }
    return {k: (v if v != "" else NA) for k, v in values.items()}


def _pick_tags(rng: random.Random) -> list[str]:
    names = [t for t, _ in TAGS]
    weights = [w for _, w in TAGS]
    picked: list[str] = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4])):
        tag = rng.choices(names, weights)[0]
        if tag not in picked:
            picked.append(tag)
    return picked


def _write_batches(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    cells: list[dict[str, str]],
    truth: Truth,
) -> dict[str, Any]:
    """Three UI exports, newest first inside each, overlapping at their boundaries."""
    n = len(rows)
    cut1, cut2 = n // 3, 2 * n // 3
    spans = [(0, cut1 + OVERLAPS[0]), (cut1, cut2 + OVERLAPS[1]), (cut2, n)]
    header = STANDARD + [c for c, _, _ in CUSTOM_FIELDS]
    header3 = STANDARD[:-2] + [c for c, _, _ in reversed(CUSTOM_FIELDS)] + STANDARD[-2:]
    overlaps: list[dict[str, Any]] = []
    stale: dict[int, dict[str, str]] = {}
    for k, i in enumerate(
        list(range(cut1, cut1 + OVERLAPS[0])) + list(range(cut2, cut2 + OVERLAPS[1]))
    ):
        if k % 3 == 0:  # edited between the two exports: the earlier batch holds older values
            old = dict(cells[i])
            old["score"] = str(max(0, int(cells[i]["score"]) - rng.randint(5, 30)))
            stale[i] = old
    lines: dict[tuple[int, int], int] = {}
    for b, (lo, hi) in enumerate(spans):
        cols = header3 if b == 2 else header
        order = list(range(hi - 1, lo - 1, -1))  # the UI lists newest first
        later = {i for i in order if b < 2 and i >= spans[b + 1][0]}
        data = [
            [(stale[i] if i in later and i in stale else cells[i])[c] for c in cols] for i in order
        ]
        starts = write_csv(root / BATCH_FILES[b], cols, data, newline="\r\n")
        for i, line in zip(order, starts, strict=True):
            lines[(b, i)] = line
            row = rows[i]
            kind = "batch_overlap" if i in later else (row.dup_kind or "")
            truth.person(BATCH_FILES[b], line, row.row_id, row.person.person_id, kind)
            if row.company:
                truth.mention(
                    BATCH_FILES[b],
                    line,
                    row.row_id,
                    "company",
                    row.company_text,
                    row.company.company_id,
                )
        truth.describe(BATCH_FILES[b], [(c, "people", CONTACT_TARGETS[c]) for c in cols])
    for b in (0, 1):
        for i in range(spans[b + 1][0], spans[b][1]):
            overlaps.append(
                {
                    "row_id": rows[i].row_id,
                    "earlier_file": BATCH_FILES[b],
                    "earlier_line": lines[(b, i)],
                    "later_file": BATCH_FILES[b + 1],
                    "later_line": lines[(b + 1, i)],
                    "changed": "yes" if i in stale else "no",
                }
            )
    write_csv(
        root / "truth" / "batch_overlaps.csv",
        list(overlaps[0].keys()),
        [list(o.values()) for o in overlaps],
    )
    return {
        "rows_in_files": sum(hi - lo for lo, hi in spans),
        "overlaps": len(overlaps),
        "overlaps_changed": len(stale),
        "rows_per_file": [hi - lo for lo, hi in spans],
    }


COMPANIES_COLS = [
    ("company_id", "source_id"),
    ("company_name", "name"),
    ("website", "domainName.primaryLinkUrl"),
    ("phone", "custom:phone"),
    ("address", "address.addressStreet1"),
    ("city", "address.addressCity"),
    ("zip", "address.addressPostcode"),
    ("country", "address.addressCountry"),
    ("industry", "custom:industry"),
    ("employees", "employees"),
    ("date_created", "createdAt"),
]


def _write_companies(
    rng: random.Random, root: Path, companies: list, people: list, truth: Truth
) -> dict[str, Any]:
    """Kartra's company records: one per business, plus duplicates typed differently."""
    used = sorted({p.company.company_id: p.company for p in people if p.company}.items())
    listed = [c for _, c in used] + [c for c in companies if c.company_id not in dict(used)][:10]
    records = company_entries(rng, listed, reentered_from=listed, reentered=22)
    header = [h for h, _ in COMPANIES_COLS]
    data = []
    for n, (c, text) in enumerate(records):
        created = datetime(2017, 1, 1) + timedelta(
            days=rng.randint(0, 2700), seconds=rng.randint(0, 86399)
        )
        data.append(
            [
                str(500 + n * 3),
                text,
                rng.choice([f"https://{c.domain}", f"www.{c.domain}", c.domain, NA]),
                NA,
                NA,
                NA,
                NA,
                c.country,
                c.industry,
                str(c.employees),
                created.strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    starts = write_csv(root / "companies.csv", header, data, newline="\r\n")
    for (c, text), line, row in zip(records, starts, data, strict=True):
        truth.mention("companies.csv", line, row[0], "company_name", text, c.company_id)
    truth.describe_object("companies.csv", "companies", COMPANIES_COLS)
    return {
        "files": ["companies.csv"],
        "rows": len(records),
        "companies": len({c.company_id for c, _ in records}),
        "duplicate_rows": len(records) - len({c.company_id for c, _ in records}),
    }


def _write_custom_field_schema(root: Path, truth: Truth) -> None:
    """The account's custom-field definitions as read during scoping (types drive the map)."""
    write_csv(
        root / "custom_fields.csv",
        ["field_name", "field_type", "options"],
        [[n, t, "|".join(o)] for n, t, o in CUSTOM_FIELDS],
    )
    truth.describe(
        "custom_fields.csv",
        [(c, "inventory", "inventory") for c in ("field_name", "field_type", "options")],
    )


def _discovery(
    rows: list[ContactRow],
    cells: list[dict[str, str]],
    batches: dict[str, Any],
    activity: dict[str, Any],
) -> dict[str, Any]:
    tag_counts: Counter[str] = Counter()
    for c in cells:
        if c["tags"] != NA:
            for t in c["tags"].replace(";", ",").split(","):
                if t.strip():
                    tag_counts[t.strip()] += 1
    list_counts = Counter(
        v.strip() for c in cells if c["lists"] != NA for v in c["lists"].split(",")
    )
    quality = quality_counts(rows, [c["Renewal Date"] for c in cells])
    for key in ("owners_not_in_workspace", "rows_owned_by_non_members"):
        quality.pop(key)
    return {
        "source": NAME,
        "objects": {
            "contacts": {"files": BATCH_FILES, "rows": len(rows), **batches},
            **activity["objects"],
        },
        "custom_columns": {"contacts": [c for c, _, _ in CUSTOM_FIELDS]},
        "contacts": {
            **quality,
            "na_cells": sum(1 for c in cells for v in c.values() if v == NA),
            "blacklisted": sum(1 for c in cells if c["blacklisted"] == "1"),
            "bounced_tagged": tag_counts["email_bounced"],
            "gdpr_status_missing": sum(1 for c in cells if c["gdpr_lead_status"] == NA),
            "semicolon_tag_rows": sum(1 for c in cells if ";" in c["tags"]),
        },
        "tags": {
            "column": "tags",
            "contacts_with_tags": sum(1 for c in cells if c["tags"] != NA),
            "values": dict(sorted(tag_counts.items())),
            "near_duplicates": NEAR_DUPLICATE_TAGS,
        },
        "lists": {"column": "lists", "values": dict(sorted(list_counts.items()))},
        "behavioural_tags": BEHAVIOURAL,
        "owners": activity["owners"],
        "workspace_members": [e for _, _, e in WORKSPACE_MEMBERS],
        "non_member_owner_pool": NON_MEMBER_OWNERS,
    }


__all__ = ["generate"]
