"""Smart CRM Online sample export: companies with ids, contacts, deals, pipeline stages,
activities, notes and owners. No layout is published: every header here is chosen.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    Company,
    Truth,
    company_entries,
    count_multi,
    duplicate_company_records,
    first_record_per_company,
    fmt_mixed_date,
    make_people,
    member_email_as_written,
    start_source,
    write_company_file,
    write_csv,
)
from workbench.samples.contacts import ContactRow, Rates, contact_rows, quality_counts
from workbench.samples.smartcrm_more import write_deal_files

NAME = "smartcrm"
TAGS = ["Partner", "partner", "Enterprise", "SMB", "Trade Show 2023", "Churn Risk", "Newsletter"]
COMPANY_COLS = [
    ("Company ID", "source_id"),
    ("Company Name", "name"),
    ("Website", "domainName.primaryLinkUrl"),
    ("Industry", "custom:industry"),
    ("Employees", "employees"),
    ("Phone", "custom:phone"),
    ("City", "address.addressCity"),
    ("Country", "address.addressCountry"),
    ("Owner", "accountOwnerId"),
    ("Tags", "custom:tags"),
    ("Created Date", "createdAt"),
    ("Account Tier", "custom:accountTier"),
    ("Annual Revenue", "annualRecurringRevenue.amountMicros"),
]
CONTACT_COLS = [
    ("Contact ID", "source_id"),
    ("First Name", "name.firstName"),
    ("Last Name", "name.lastName"),
    ("Email", "emails.primaryEmail"),
    ("Phone", "phones.primaryPhoneNumber"),
    ("Job Title", "jobTitle"),
    ("Company ID", "companyId"),
    ("Company Name", "companyId"),
    ("City", "city"),
    ("Owner", "custom:owner"),
    ("Tags", "custom:tags"),
    ("Status", "custom:emailStatus"),
    ("Lead Source", "custom:leadSource"),
    ("Created Date", "createdAt"),
    ("Preferred Language", "custom:preferredLanguage"),
    ("Budget", "custom:budget"),
    ("Decision Maker", "custom:decisionMaker"),
    ("LinkedIn Profile", "linkedinLink.primaryLinkUrl"),
]
CUSTOM = {
    "companies": ["Account Tier", "Annual Revenue"],
    "contacts": ["Preferred Language", "Budget", "Decision Maker", "LinkedIn Profile"],
}


def generate(out_dir: Path, seed: int) -> None:
    """Write data/samples/smartcrm/ and its truth/ for this seed."""
    root, rng, truth, companies = start_source(out_dir, seed, NAME, 180, hard_negatives=16)
    records = _write_companies(rng, root, companies, truth)
    people = make_people(
        rng, 1080, companies, datetime(2016, 1, 1), datetime(2024, 8, 1), same_name_pairs=14
    )
    rows = contact_rows(rng, people, Rates())
    for n, row in enumerate(rows):
        row.row_id = f"CON-{10001 + n}"
    first_record = first_record_per_company(records)
    cells, contact_info = _write_contacts(rng, root, rows, first_record, truth)
    side = write_deal_files(rng, root, rows, records, first_record, truth)
    quality = quality_counts(rows, [c["Created Date"] for c in cells])
    discovery: dict[str, Any] = {
        "source": NAME,
        "objects": {
            "companies": {
                "files": ["Companies.csv"],
                "rows": len(records),
                "duplicate_records": duplicate_company_records(records),
            },
            "contacts": {"files": ["Contacts.csv"], "rows": len(rows), **contact_info},
            **side["objects"],
        },
        "custom_columns": CUSTOM,
        "contacts": {
            **quality,
            "unsubscribed": sum(1 for c in cells if c["Status"] == "Unsubscribed"),
            "bounced": sum(1 for c in cells if c["Status"] == "Bounced"),
        },
        "tags": {
            "column": "Tags",
            "values": count_multi([c["Tags"] for c in cells]),
            "near_duplicates": [["Partner", "partner"]],
        },
        "deals": side["deals"],
        "stages": side["stages"],
        "owners": side["owners"],
    }
    truth.write(root / "truth", discovery)


def _write_companies(
    rng: random.Random, root: Path, companies: list[Company], truth: Truth
) -> list[tuple[str, Company, str]]:
    """Company records; 20 businesses were entered twice under another spelling."""
    entries = company_entries(rng, companies, reentered_from=companies[:150], reentered=20)
    records = [(f"CMP-{1001 + n * 2}", c, text) for n, (c, text) in enumerate(entries)]
    data = []
    for rec_id, c, text in records:
        created = datetime(2015, 1, 1) + timedelta(days=rng.randint(0, 3300))
        data.append(
            [
                rec_id,
                text,
                rng.choice([f"https://www.{c.domain}", c.domain, f"http://{c.domain}/", ""]),
                c.industry,
                str(c.employees),
                rng.choice(["", "+1 555 0100", "020 7946 0000"]),
                rng.choice(["Austin", "London", "Berlin", "Toronto", ""]),
                c.country,
                member_email_as_written(rng, "alex.morgan@demo-agency.com")
                if rng.random() < 0.5
                else rng.choice(["casey.nguyen@demo-agency.com", "pat.former@demo-agency.com"]),
                ", ".join(rng.sample(TAGS, rng.choice([0, 1, 2]))),
                fmt_mixed_date(rng, created)[0],
                rng.choice(["", "Gold", "Silver", "Bronze"]),
                rng.choice(
                    ["", f"{rng.randint(1, 90) * 100000}", f"${rng.randint(1, 90)},000,000"]
                ),
            ]
        )
    write_company_file(root, truth, "Companies.csv", COMPANY_COLS, "Company Name", records, data)
    return records


def _write_contacts(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    first_record: dict[str, str],
    truth: Truth,
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    cells: list[dict[str, str]] = []
    refs: list[tuple[str, str]] = []  # (true company record id, how it resolves)
    for row in rows:
        comp_id, comp_name, status, true_rec = "", "", "none", ""
        if row.company:
            true_rec = first_record[row.company.company_id]
            roll = rng.random()
            if roll < 0.72:
                comp_id, status = true_rec, "by_id"
                comp_name = row.company_text if rng.random() < 0.5 else ""
            elif roll < 0.96:
                comp_name, status = row.company_text, "by_name"
            else:
                comp_id, status = f"CMP-{rng.randint(5000, 5999)}", "unresolvable"
            row.extra["company_name_written"] = comp_name
        refs.append((true_rec, status))
        cells.append(
            {
                "Contact ID": row.row_id,
                "First Name": row.first,
                "Last Name": row.last,
                "Email": row.email,
                "Phone": row.phone,
                "Job Title": row.person.job_title,
                "Company ID": comp_id,
                "Company Name": comp_name,
                "City": row.person.city[0],
                "Owner": row.owner,
                "Tags": ", ".join(rng.sample(TAGS, rng.choice([0, 0, 1, 2]))),
                "Status": rng.choices(["Active", "Unsubscribed", "Bounced"], [88, 7, 5])[0],
                "Lead Source": rng.choice(["Web", "Referral", "Trade show", "Cold call", ""]),
                "Created Date": fmt_mixed_date(rng, row.created)[0],
                "Preferred Language": rng.choice(["", "English", "German", "French", "english"]),
                "Budget": rng.choice(["", "5000", "10,000", "25k", "50000.00"]),
                "Decision Maker": rng.choice(["", "Yes", "No", "yes", "TRUE"]),
                "LinkedIn Profile": f"linkedin.com/in/{row.first.lower()}-{row.last.lower()}"
                if rng.random() < 0.2
                else "",
            }
        )
    header = [h for h, _ in CONTACT_COLS]
    starts = write_csv(root / "Contacts.csv", header, [[c[h] for h in header] for c in cells])
    for row, line, cell, (true_rec, status) in zip(rows, starts, cells, refs, strict=True):
        truth.person("Contacts.csv", line, row.row_id, row.person.person_id, row.dup_kind)
        if row.company and cell["Company Name"]:
            truth.mention(
                "Contacts.csv",
                line,
                row.row_id,
                "Company Name",
                cell["Company Name"],
                row.company.company_id,
            )
        if row.company:
            truth.associate(
                "Contacts.csv",
                line,
                row.row_id,
                company=true_rec,
                status=status if status != "unresolvable" else "unresolvable",
            )
    truth.describe_object("Contacts.csv", "people", CONTACT_COLS)
    statuses = [s for _, s in refs]
    return cells, {
        "company_by_id": statuses.count("by_id"),
        "company_by_name_only": statuses.count("by_name"),
        "company_id_dangling": statuses.count("unresolvable"),
        "no_company": statuses.count("none"),
    }
