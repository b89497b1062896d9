"""AllClients sample export: Contacts.csv, Notes.csv (not joined), tasks, users, attachments,
workflows, email templates and campaigns.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.samples.allclients_more import write_side_files
from workbench.samples.common import (
    count_multi,
    fmt_mixed_date,
    make_people,
    start_source,
    us_datetime,
    write_csv,
)
from workbench.samples.contacts import ContactRow, Rates, contact_rows, quality_counts

NAME = "allclients"
STANDARD = [
    "id",
    "firstname",
    "lastname",
    "company",
    "email",
    "phone1",
    "phone1note",
    "otherfirstname",
    "otheremail",
    "address1",
    "city",
    "state",
    "postalcode",
    "birthday",
    "website",
    "tags",
    "groups",
    "user",
    "emailstatus",
    "adddate",
    "editdate",
]
CUSTOM = ["Referral Source", "Policy Number", "Annual Premium", "Renewal Date", "Client Tier"]
TARGETS = {
    "id": "source_id",
    "firstname": "name.firstName",
    "lastname": "name.lastName",
    "company": "companyId",
    "email": "emails.primaryEmail",
    "phone1": "phones.primaryPhoneNumber",
    "phone1note": "custom:phoneNote",
    "otherfirstname": "custom:spouseFirstName",
    "otheremail": "emails.additionalEmails",
    "address1": "custom:address.addressStreet1",
    "city": "city",
    "state": "custom:address.addressState",
    "postalcode": "custom:address.addressPostcode",
    "birthday": "custom:birthday",
    "website": "custom:website",
    "tags": "custom:tags",
    "groups": "custom:groups",
    "user": "custom:owner",
    "emailstatus": "custom:emailStatus",
    "adddate": "createdAt",
    "editdate": "updatedAt",
    "Referral Source": "custom:referralSource",
    "Policy Number": "custom:policyNumber",
    "Annual Premium": "custom:annualPremium",
    "Renewal Date": "custom:renewalDate",
    "Client Tier": "custom:clientTier",
}
TAGS = [
    "Client",
    "Prospect",
    "VIP",
    "Referral Partner",
    "Hot",
    "hot",
    "Newsletter",
    "Past Client",
    "Do Not Call",
    "Seminar 2022",
]
GROUPS = ["VIP Clients", "Referral Partners", "Book Club", "Golf Outing 2023"]
SHARED_EMAIL_PAIRS = 10


def generate(out_dir: Path, seed: int) -> None:
    """Write data/samples/allclients/ and its truth/ for this seed."""
    root, rng, truth, companies = start_source(out_dir, seed, NAME, 140, hard_negatives=14)
    people = make_people(
        rng, 1100, companies, datetime(2013, 6, 1), datetime(2024, 9, 1), same_name_pairs=14
    )
    shared: list[str] = []
    for k in range(SHARED_EMAIL_PAIRS):  # spouses sharing one family address
        a, b = people[40 + k * 50], people[41 + k * 50]
        b.email, b.last = a.email, a.last
        shared.append(b.person_id)
    rows = contact_rows(rng, people, Rates(duplicates=0.06))
    for n, row in enumerate(rows):
        row.row_id = str(30001 + n * 3 + rng.randint(0, 2))
    cells = [_cells(rng, row) for row in rows]
    header = STANDARD[:5] + ["Referral Source"] + STANDARD[5:19] + CUSTOM[1:] + STANDARD[19:]
    starts = write_csv(
        root / "Contacts.csv",
        header,
        [[c[h] for h in header] for c in cells],
        newline="\r\n",
        encoding="utf-8-sig",
    )
    for row, line in zip(rows, starts, strict=True):
        kind = row.dup_kind or ("shared_email" if row.person.person_id in shared else "")
        truth.person("Contacts.csv", line, row.row_id, row.person.person_id, kind)
        if row.company:
            truth.mention(
                "Contacts.csv",
                line,
                row.row_id,
                "company",
                row.company_text,
                row.company.company_id,
            )
    truth.describe("Contacts.csv", [(h, "people", TARGETS[h]) for h in header])
    side = write_side_files(rng, root, rows, truth)
    discovery = _discovery(rows, cells, side, shared)
    truth.write(root / "truth", discovery)


def _cells(rng: random.Random, row: ContactRow) -> dict[str, str]:
    p = row.person
    added = row.created
    edited = added + timedelta(days=rng.randint(0, 900), seconds=rng.randint(0, 86399))
    bday = datetime(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
    status = rng.choices(["Active", "Unsubscribed", "Bounced", ""], [80, 7, 5, 8])[0]
    premium = rng.choice(
        [
            "",
            f"{rng.randint(300, 9000)}",
            f"${rng.randint(300, 9000):,}.00",
            f"{rng.randint(300, 9000)}.50",
        ]
    )
    row.extra["emailstatus"] = status
    return {
        "id": row.row_id,
        "firstname": row.first,
        "lastname": row.last,
        "company": row.company_text,
        "email": row.email,
        "phone1": row.phone,
        "phone1note": rng.choice(["", "", "Mobile", "Work", "Home", "cell - text ok"])
        if row.phone
        else "",
        "otherfirstname": rng.choice(["", "", "", "Chris", "Pat", "Alex", "Jordan"]),
        "otheremail": "",
        "address1": p.street if rng.random() < 0.5 else "",
        "city": p.city[0],
        "state": p.city[1],
        "postalcode": p.city[2],
        "birthday": rng.choice(["", "", bday.strftime("%m/%d"), bday.strftime("%m/%d/%Y")]),
        "website": f"www.{p.company.domain}" if p.company and rng.random() < 0.3 else "",
        "tags": ", ".join(rng.sample(TAGS, rng.choice([0, 1, 1, 2, 3]))),
        "groups": ", ".join(rng.sample(GROUPS, rng.choice([0, 0, 0, 1, 2]))),
        "user": row.owner,
        "emailstatus": status,
        "adddate": us_datetime(added),
        "editdate": us_datetime(edited),
        "Referral Source": rng.choice(
            ["", "Google", "Referral", "Seminar", "Facebook", "referral"]
        ),
        "Policy Number": f"POL-{rng.randint(100000, 999999)}" if rng.random() < 0.4 else "",
        "Annual Premium": premium,
        "Renewal Date": fmt_mixed_date(rng, edited + timedelta(days=200))[0]
        if rng.random() < 0.5
        else "",
        "Client Tier": rng.choice(["", "Gold", "Silver", "Bronze", "gold"]),
    }


def _discovery(
    rows: list[ContactRow], cells: list[dict[str, str]], side: dict[str, Any], shared: list[str]
) -> dict[str, Any]:
    quality = quality_counts(rows, [c["Renewal Date"] for c in cells])
    quality.pop("owners_not_in_workspace")
    quality.pop("rows_owned_by_non_members")
    return {
        "source": NAME,
        "objects": {"contacts": {"files": ["Contacts.csv"], "rows": len(rows)}, **side["objects"]},
        "custom_columns": {"contacts": CUSTOM},
        "contacts": {
            **quality,
            "shared_email_pairs": len(shared),
            "unsubscribed": sum(1 for c in cells if c["emailstatus"] == "Unsubscribed"),
            "bounced": sum(1 for c in cells if c["emailstatus"] == "Bounced"),
            "distinct_company_texts": len({c["company"] for c in cells if c["company"]}),
            "distinct_companies": len({r.company.company_id for r in rows if r.company}),
        },
        "tags": {
            "column": "tags",
            "values": count_multi([c["tags"] for c in cells]),
            "near_duplicates": [["Hot", "hot"]],
        },
        "groups": {"column": "groups", "values": count_multi([c["groups"] for c in cells])},
        "notes": side["notes"],
        "owners": side["owners"],
        "attachments": side["attachments"],
    }
