"""Altcraft sample export: profiles (`;`-separated), behavioural events, companies, segments,
campaigns, templates, channels, products, orders and forms.
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

from workbench.samples.altcraft_more import write_catalog_files
from workbench.samples.common import (
    Company,
    Truth,
    company_entries,
    count_multi,
    duplicate_company_records,
    first_record_per_company,
    fmt_mixed_date,
    make_people,
    start_source,
    write_company_file,
    write_csv,
)
from workbench.samples.contacts import ContactRow, Rates, contact_rows, quality_counts

NAME = "altcraft"
PROFILE_COLS = [
    ("profile_id", "source_id"),
    ("_fname", "name.firstName"),
    ("_lname", "name.lastName"),
    ("email", "emails.primaryEmail"),
    ("phones", "phones.primaryPhoneNumber"),
    ("_bdate", "custom:birthDate"),
    ("_sex", "custom:sex"),
    ("_regdate", "createdAt"),
    ("_city", "city"),
    ("sub_email", "custom:channelSubscriptions"),
    ("sub_sms", "custom:channelSubscriptions"),
    ("sub_push", "custom:channelSubscriptions"),
    ("control_group", "custom:controlGroup"),
    ("static_segments", "custom:segmentMembership"),
    ("company_id", "companyId"),
    ("loyalty_level", "custom:loyaltyLevel"),
    ("favourite_category", "custom:favouriteCategory"),
    ("app_version", "custom:appVersion"),
]
CUSTOM = ["loyalty_level", "favourite_category", "app_version"]
SEGMENTS = [
    "VIP buyers",
    "Newsletter EN",
    "Newsletter RU",
    "Black Friday 2023",
    "App users",
    "Lapsed 90d",
]
SUB_STATES = ["subscribed", "subscribed", "subscribed", "unsubscribed", "bounced", "suppressed", ""]


def generate(out_dir: Path, seed: int) -> None:
    """Write data/samples/altcraft/ and its truth/ for this seed."""
    root, rng, truth, companies = start_source(out_dir, seed, NAME, 120, hard_negatives=12)
    records = _write_companies(rng, root, companies, truth)
    people = make_people(
        rng, 1150, companies, datetime(2019, 1, 1), datetime(2024, 9, 1), same_name_pairs=12
    )
    rows = contact_rows(rng, people, Rates(no_email=0.08))
    for n, row in enumerate(rows):
        row.row_id = f"{rng.randint(1, 9)}{n:05d}"
    first_record = first_record_per_company(records)
    cells = _write_profiles(rng, root, rows, first_record, truth)
    side = write_catalog_files(rng, root, rows, truth)
    quality = quality_counts(rows, [c["_bdate"] for c in cells])
    quality.pop("owners_not_in_workspace")
    quality.pop("rows_owned_by_non_members")
    subs = {
        ch: {
            s or "(empty)": sum(1 for c in cells if c[f"sub_{ch}"] == s)
            for s in sorted(set(SUB_STATES))
        }
        for ch in ("email", "sms", "push")
    }
    discovery: dict[str, Any] = {
        "source": NAME,
        "objects": {
            "profiles": {"files": ["profiles.csv"], "rows": len(rows), "delimiter": ";"},
            "companies": {
                "files": ["companies.csv"],
                "rows": len(records),
                "duplicate_records": duplicate_company_records(records),
            },
            **side["objects"],
        },
        "custom_columns": {"profiles": CUSTOM},
        "profiles": {
            **quality,
            "unsubscribed_email": subs["email"]["unsubscribed"],
            "bounced_email": subs["email"]["bounced"],
            "control_group_members": sum(1 for c in cells if c["control_group"]),
            "phone_lists": sum(1 for c in cells if "," in c["phones"]),
        },
        "subscriptions": subs,
        "static_segments": {
            "column": "static_segments",
            "values": count_multi([c["static_segments"] for c in cells]),
        },
        "events": side["events"],
        "orders": side["orders"],
        "channels": side["channels"],
    }
    truth.write(root / "truth", discovery)


COMPANIES_COLS = [
    ("company_id", "source_id"),
    ("name", "name"),
    ("domain", "domainName.primaryLinkUrl"),
    ("industry", "custom:industry"),
    ("size", "employees"),
    ("city", "address.addressCity"),
    ("country", "address.addressCountry"),
]


def _write_companies(
    rng: random.Random, root: Path, companies: list[Company], truth: Truth
) -> list[tuple[str, Company, str]]:
    entries = company_entries(rng, companies, reentered_from=companies[:100], reentered=10)
    records = [(f"c{101 + n}", c, text) for n, (c, text) in enumerate(entries)]
    data = [
        [
            rid,
            text,
            rng.choice([c.domain, f"www.{c.domain}", ""]),
            c.industry,
            str(c.employees),
            rng.choice(["Moscow", "Berlin", "London", "Austin", ""]),
            c.country,
        ]
        for rid, c, text in records
    ]
    write_company_file(root, truth, "companies.csv", COMPANIES_COLS, "name", records, data)
    return records


def _write_profiles(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    first_record: dict[str, str],
    truth: Truth,
) -> list[dict[str, str]]:
    cells = []
    for row in rows:
        p = row.person
        phones = row.phone
        if phones and rng.random() < 0.08:
            phones = f"{phones}, +7 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
        bday = datetime(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
        reg = (
            row.created.strftime("%Y-%m-%dT%H:%M:%SZ")
            if rng.random() < 0.85
            else row.created.strftime("%d.%m.%Y %H:%M")
        )
        cells.append(
            {
                "profile_id": row.row_id,
                "_fname": row.first,
                "_lname": row.last,
                "email": row.email,
                "phones": phones,
                "_bdate": fmt_mixed_date(rng, bday)[0] if rng.random() < 0.6 else "",
                "_sex": rng.choice(["", "male", "female", "m", "f"]),
                "_regdate": reg,
                "_city": p.city[0],
                "sub_email": rng.choice(SUB_STATES) if row.email else "",
                "sub_sms": rng.choice(SUB_STATES) if row.phone else "",
                "sub_push": rng.choice(SUB_STATES + ["", ""]),
                "control_group": rng.choice(["", "", "", "", "", "", "CG-2023-Q4", "CG-Welcome"]),
                "static_segments": ", ".join(rng.sample(SEGMENTS, rng.choice([0, 1, 1, 2, 3]))),
                "company_id": first_record[p.company.company_id]
                if p.company and rng.random() < 0.8
                else "",
                "loyalty_level": rng.choice(["", "bronze", "silver", "gold", "Gold"]),
                "favourite_category": rng.choice(["", "shoes", "electronics", "books"]),
                "app_version": rng.choice(["", "3.2.1", "3.4.0", "4.0.0-beta"]),
            }
        )
    header = [h for h, _ in PROFILE_COLS]
    starts = write_csv(
        root / "profiles.csv", header, [[c[h] for h in header] for c in cells], delimiter=";"
    )
    for row, line, cell in zip(rows, starts, cells, strict=True):
        truth.person("profiles.csv", line, row.row_id, row.person.person_id, row.dup_kind)
        if cell["company_id"]:
            truth.associate(
                "profiles.csv", line, row.row_id, company=cell["company_id"], status="by_id"
            )
    truth.describe_object("profiles.csv", "people", PROFILE_COLS)
    return cells
