"""Salesmate sample: the JSON pages its REST API v4 returns for a small, messy account.

Layout (chosen where Salesmate does not publish it) is described by `workbench.sources.salesmate`
and in data/samples/README.md. Ground truth goes to `truth/` like every other sample.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    INVALID_PHONES,
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Company,
    Person,
    Truth,
    company_mention,
    email_case_variant,
    excel_mangled,
    invalid_email,
    make_companies,
    make_people,
    rng_for,
    write_phone,
)
from workbench.samples.salesmate_activities import (
    make_attachments,
    make_emails,
    make_flows,
    make_products,
    make_tasks,
    make_threads,
)
from workbench.samples.salesmate_fields import (
    END,
    PIPELINES,
    START,
    assign_ids,
    field_definitions,
    linked,
    owner,
    pipelines,
    ts,
    when,
)
from workbench.samples.salesmate_truth import columns_truth, discovery_truth, record_links, where
from workbench.sources.salesmate import write_pages, write_reference

TAGS = ["vip", "newsletter", "webinar-2023", "trade show", "referral", "cold", "partner", "VIP "]
INTERESTS = ["Automation", "Reporting", "Integrations", "Mobile App", "Training"]
LOST = ["Price too high", "Went with competitor", "No budget", "No decision", "Timing"]
WON = ["Best features", "Price", "Relationship", "Support quality"]
USER_EXTRA = [
    ("Pat", "Former", NON_MEMBER_OWNERS[0]),
    ("Dana", "Whitfield", "dana.whitfield@demo-agency.com"),
]


def make_users() -> list[dict[str, Any]]:
    people = [(f, last, e) for f, last, e in WORKSPACE_MEMBERS[:6]] + USER_EXTRA
    users = []
    for i, (first, last, email) in enumerate(people, start=1):
        shown = email.title() if i == 3 else email  # Salesmate keeps the case a user typed
        users.append(
            {
                "id": i,
                "firstName": first,
                "lastName": last,
                "email": shown,
                "role": "Admin" if i == 1 else "Standard",
                "status": "Inactive" if email == NON_MEMBER_OWNERS[0] else "Active",
                "timeZone": "America/Chicago",
            }
        )
    return users


def website(rng: random.Random, domain: str) -> str | None:
    return rng.choice(
        [
            f"https://www.{domain}/",
            f"http://{domain}",
            domain,
            f"www.{domain}",
            f"https://{domain}/about",
            None,
        ]
    )


def make_companies_records(
    rng: random.Random, truth: Truth
) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """Company records; about one business in six exists twice or three times, written apart."""
    entities = make_companies(rng, 250, hard_negatives=14)
    truth.companies = entities
    raw: list[dict[str, Any]] = []
    for n, ent in enumerate(entities):
        copies = 1 + (rng.choice([1, 1, 2]) if n % 6 == 0 else 0)
        for k in range(copies):
            name = ent.display
            for _ in range(5 if k else 0):
                name, _kind = company_mention(rng, ent, messy=1.0)
                if name != ent.display:
                    break
            city = rng.choice(
                [
                    ("Austin", "TX", "78701"),
                    ("London", "", "EC1A 1BB"),
                    ("Berlin", "", "10115"),
                    ("Denver", "CO", "80202"),
                    ("Paris", "", "75001"),
                ]
            )
            created = ts(when(rng))
            raw.append(
                {
                    "name": name,
                    "website": website(rng, ent.domain),
                    "phone": write_phone(rng, f"+1512555{rng.randint(0, 9999):04d}")
                    if rng.random() < 0.7
                    else None,
                    "owner": owner(rng),
                    "billingAddressLine1": f"{rng.randint(1, 999)} Market St",
                    "billingCity": city[0],
                    "billingState": city[1] or None,
                    "billingZipCode": city[2],
                    "billingCountry": ent.country,
                    "linkedInHandle": f"https://linkedin.com/company/{ent.domain.split('.')[0]}"
                    if rng.random() < 0.4
                    else None,
                    "currency": rng.choice(["USD", "USD", "EUR", "GBP"]),
                    "tags": rng.choice(["", "customer", "prospect", "partner"]),
                    "description": None,
                    "createdAt": created,
                    "lastModifiedAt": created,
                    "textCustomField1": ent.industry,
                    "intCustomField1": ent.employees if rng.random() < 0.8 else None,
                    "decimalCustomField1": round(ent.employees * rng.uniform(50_000, 150_000), 2)
                    if rng.random() < 0.5
                    else None,
                    "textCustomField2": rng.choice(["Tier 1", "Tier 2", "Tier 3", None]),
                    "_entity": ent.company_id,
                }
            )
    records = assign_ids(rng, raw, 101)
    loc = where(records, "companies")
    by_entity: dict[str, list[int]] = {}
    for rec in records:
        ent_id = rec.pop("_entity")
        by_entity.setdefault(ent_id, []).append(rec["id"])
        file, line = loc[rec["id"]]
        truth.mention(file, line, str(rec["id"]), "name", rec["name"], ent_id)
    return records, by_entity


def contact_record(rng: random.Random, person: Person, company_ids: list[int]) -> dict[str, Any]:
    company = rng.choice(company_ids[:1] * 3 + company_ids) if company_ids else None
    created = person.created
    return {
        "firstName": person.first,
        "lastName": person.last,
        "name": f"{person.first} {person.last}",
        "email": person.email,
        "phone": write_phone(rng, person.phone),
        "mobile": write_phone(rng, person.phone[:-4] + f"{rng.randint(0, 9999):04d}")
        if rng.random() < 0.3
        else None,
        "jobTitle": person.job_title or None,
        "company": company,
        "owner": owner(rng),
        "type": rng.choice(["Lead", "Lead", "Customer", "Partner"]),
        "source": rng.choice(["Website", "Referral", "Trade Show", "Cold Call", None]),
        "tags": ", ".join(rng.sample(TAGS, rng.choice([0, 0, 1, 2]))),
        "description": None,
        "billingCity": person.city[0],
        "billingCountry": person.city[3],
        "linkedInHandle": f"https://www.linkedin.com/in/{person.first.lower()}-{person.last.lower()}"
        if rng.random() < 0.25
        else None,
        "twitterHandle": None,
        "emailOptOut": rng.random() < 0.08,
        "createdAt": ts(created),
        "lastModifiedAt": ts(min(END, created + timedelta(days=rng.randint(0, 300)))),
        "textCustomField1": rng.choice(["English", "English", "Spanish", "German", "French", None]),
        "textCustomField2": rng.choice(
            [None, None, None, "Bright Path Partners", "Keystone Referrals"]
        ),
        "intCustomField1": rng.randint(0, 10) if rng.random() < 0.4 else None,
        "decimalCustomField1": round(rng.uniform(100, 25_000), 2) if rng.random() < 0.5 else None,
        "dateCustomField1": f"{rng.randint(1955, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.3
        else None,
        "multiSelectCustomField1": ";".join(rng.sample(INTERESTS, rng.choice([0, 1, 2]))) or None,
        "checkboxCustomField1": rng.random() < 0.5,
    }


def make_contacts(
    rng: random.Random, truth: Truth, entities: list[Company], by_entity: dict[str, list[int]]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """Contacts with planted duplicates, missing and broken emails, and broken phones."""
    people = make_people(rng, 1100, entities, START, END, same_name_pairs=10)
    plants: Counter[str] = Counter()
    order = list(range(len(people)))
    rng.shuffle(order)
    no_email, bad_email = set(order[:55]), set(order[55:73])
    bad_phone, excel = set(order[73:93]), set(order[93:109])
    dup_email, dup_phone = order[109:154], order[154:166]
    raw: list[dict[str, Any]] = []
    for i, person in enumerate(people):
        ids = by_entity[person.company.company_id] if person.company else []
        rec = contact_record(rng, person, ids) | {"_person": person.person_id, "_dup": ""}
        if i in no_email:
            rec["email"] = None
            plants["no_email"] += 1
        elif i in bad_email:
            rec["email"] = next(
                e
                for e in (invalid_email(rng, person) for _ in range(50))
                if e not in ("none", "unknown@")
            )
            plants["invalid_email"] += 1
        if i in bad_phone:
            rec["phone"] = rng.choice(INVALID_PHONES)
            plants["invalid_phone"] += 1
        elif i in excel:
            rec["phone"] = excel_mangled(person.phone)
            plants["excel_mangled_phone"] += 1
        raw.append(rec)
        if i in dup_email or i in dup_phone:
            twin = contact_record(rng, person, ids) | {"_person": person.person_id}
            later = person.created + timedelta(days=rng.randint(20, 400))
            twin["createdAt"] = twin["lastModifiedAt"] = ts(min(END, later))
            if i in dup_email:
                twin["email"], twin["_dup"] = email_case_variant(rng, person.email), "email_case"
                plants["duplicate_email_groups"] += 1
            else:
                twin["email"], twin["_dup"] = None, "name_phone"
                twin["phone"] = rec["phone"] = write_phone(rng, person.phone)
                plants["near_duplicate_name_phone"] += 1
            raw.append(twin)
    records = assign_ids(rng, raw, 1)
    loc = where(records, "contacts")
    for rec in records:
        file, line = loc[rec["id"]]
        truth.person(file, line, str(rec["id"]), rec.pop("_person"), rec.pop("_dup"))
    plants["same_name_different_people"] = 10
    return records, plants


def gap_ids(records: list[dict[str, Any]]) -> list[int]:
    """Ids of records deleted from the account (references to them cannot resolve)."""
    ids = [r["id"] for r in records]
    have = set(ids)
    return [i for i in range(ids[0], ids[-1]) if i not in have]


def make_deals(rng: random.Random, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw = []
    deleted = gap_ids(contacts)
    for n in range(520):
        link = linked(rng, contacts)
        if n % 87 == 3:
            link = {"contact": rng.choice(deleted), "company": None, "_status": "unresolvable"}
        name, stages = PIPELINES[0] if rng.random() < 0.8 else PIPELINES[1]
        status = rng.choice(["Open"] * 6 + ["Won"] * 2 + ["Lost"] * 2)
        stage = stages[-1][0] if status == "Won" else rng.choice(stages)[0]
        created = when(rng)
        closed = created + timedelta(days=rng.randint(5, 200))
        raw.append(
            {
                "title": f"{rng.choice(['Annual plan', 'Pilot', 'Expansion', 'Renewal', 'Onboarding'])} – "
                f"{rng.choice(['Q1', 'Q2', 'Q3', 'Q4'])} {created.year}",
                "owner": owner(rng),
                "primaryContact": link["contact"],
                "primaryCompany": link["company"],
                "pipeline": name,
                "stage": stage,
                "status": status,
                "source": rng.choice(["Website", "Referral", "Outbound", None]),
                "priority": rng.choice(["High", "Medium", "Low"]),
                "estimatedCloseDate": closed.strftime("%Y-%m-%d"),
                "closedDate": closed.strftime("%Y-%m-%d") if status != "Open" else None,
                "dealValue": round(rng.uniform(500, 120_000), 2) if rng.random() < 0.95 else None,
                "currency": rng.choice(["USD", "USD", "USD", "EUR", "GBP"]),
                "lostReason": rng.choice(LOST) if status == "Lost" else None,
                "description": None,
                "tags": rng.choice(["", "", "upsell", "strategic"]),
                "createdAt": ts(created),
                "lastModifiedAt": ts(min(END, closed)),
                "textCustomField1": rng.choice(WON) if status == "Won" else None,
                "intCustomField1": rng.choice([5, 10, 25, 50, None]),
                "dateCustomField1": closed.strftime("%Y-%m-%d") if status == "Won" else None,
                "_status": link.get("_status", "by_id"),
            }
        )
    return assign_ids(rng, raw, 5001)


def generate(out_dir: Path, seed: int) -> None:
    """Write the Salesmate sample into out_dir/salesmate (pages, files, truth), byte for byte."""
    rng = rng_for(seed, "salesmate")
    root = Path(out_dir) / "salesmate"
    if root.exists():
        shutil.rmtree(root)
    truth = Truth()
    users = make_users()
    companies, by_entity = make_companies_records(rng, truth)
    contacts, plants = make_contacts(rng, truth, truth.companies, by_entity)
    deals = make_deals(rng, contacts)
    tables = {
        "companies": companies,
        "contacts": contacts,
        "deals": deals,
        "tasks": make_tasks(rng, contacts, deals),
        "emails": make_emails(rng, contacts, users, deals),
        "products": make_products(rng),
        "inbox_threads": make_threads(rng, contacts, users),
    }
    tables["attachments"], files = make_attachments(rng, contacts, companies, deals)
    tables["smart_flows"] = make_flows(rng, contacts)
    record_links(truth, "deals", deals, "primaryContact", "primaryCompany", None)
    record_links(truth, "tasks", tables["tasks"], "contact", "company", "deal")
    record_links(truth, "emails", tables["emails"], "contact", "company", "deal")
    record_links(truth, "inbox_threads", tables["inbox_threads"], "contact", "company", None)
    record_links(truth, "attachments", tables["attachments"], "recordId", "recordId", None)
    discovery = discovery_truth(tables, users, plants, truth.people)
    for records in tables.values():
        for rec in records:
            rec.pop("_status", None)
    columns_truth(truth, tables)
    for table, records in tables.items():
        write_pages(root / table, records)
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    write_reference(root, "users.json", users)
    write_reference(root, "pipelines.json", pipelines())
    write_reference(root, "fields.json", field_definitions())
    truth.write(root / "truth", discovery)
