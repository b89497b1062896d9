"""Salesmate sample: the JSON pages its REST API v4 returns for a small, messy account.

Layout (chosen where Salesmate does not publish it) is described by `workbench.sources.salesmate`
and in data/samples/README.md. Ground truth goes to `truth/` like every other sample.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta
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
from workbench.sources.salesmate import (
    FILES_DIR,
    MAX_ROWS,
    MODULES_BY_TABLE,
    page_name,
    write_pages,
    write_reference,
)

START = datetime(2021, 1, 4, tzinfo=UTC)
END = datetime(2024, 6, 28, tzinfo=UTC)

# (fieldName, label, Salesmate type, Twenty target) per module; custom fields are the
# `…CustomFieldN` names. Targets use the truth/columns.csv vocabulary.
P, C, O, T = "people", "companies", "opportunities", "tasks"
FIELDS: dict[str, list[tuple[str, str, str, str]]] = {
    "contacts": [
        ("id", "Contact ID", "Number", "source_id"), ("firstName", "First Name", "Text", "name.firstName"),
        ("lastName", "Last Name", "Text", "name.lastName"), ("name", "Name", "Text", "ignore"),
        ("email", "Email", "Email", "emails.primaryEmail"), ("phone", "Phone", "Phone", "phones.primaryPhoneNumber"),
        ("mobile", "Mobile", "Phone", "phones.additionalPhones"), ("jobTitle", "Job Title", "Text", "jobTitle"),
        ("company", "Company", "Lookup", "companyId"), ("owner", "Owner", "Lookup", "custom:contactOwner"),
        ("type", "Type", "Select", "custom:contactType"), ("source", "Source", "Select", "custom:leadSource"),
        ("tags", "Tags", "Tags", "custom:tags"), ("description", "Description", "TextArea", "custom:description"),
        ("billingCity", "City", "Text", "city"), ("billingCountry", "Country", "Text", "custom:country"),
        ("linkedInHandle", "LinkedIn", "Url", "linkedinLink.primaryLinkUrl"),
        ("twitterHandle", "Twitter", "Url", "xLink.primaryLinkUrl"),
        ("emailOptOut", "Email Opt Out", "Checkbox", "custom:emailOptOut"),
        ("createdAt", "Created At", "DateTime", "createdAt"), ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
        ("textCustomField1", "Preferred Language", "Text", "custom:preferredLanguage"),
        ("textCustomField2", "Referral Partner", "Text", "custom:referralPartner"),
        ("intCustomField1", "NPS Score", "Number", "custom:npsScore"),
        ("decimalCustomField1", "Lifetime Value", "Decimal", "custom:lifetimeValue"),
        ("dateCustomField1", "Birthday", "Date", "custom:birthday"),
        ("multiSelectCustomField1", "Interests", "MultiSelect", "custom:interests"),
        ("checkboxCustomField1", "Newsletter Opt-in", "Checkbox", "custom:newsletterOptIn"),
    ],
    "companies": [
        ("id", "Company ID", "Number", "source_id"), ("name", "Name", "Text", "name"),
        ("website", "Website", "Url", "domainName.primaryLinkUrl"), ("phone", "Phone", "Phone", "custom:phone"),
        ("owner", "Owner", "Lookup", "accountOwnerId"),
        ("billingAddressLine1", "Address", "Text", "address.addressStreet1"),
        ("billingCity", "City", "Text", "address.addressCity"), ("billingState", "State", "Text", "address.addressState"),
        ("billingZipCode", "Zip Code", "Text", "address.addressPostcode"),
        ("billingCountry", "Country", "Text", "address.addressCountry"),
        ("linkedInHandle", "LinkedIn", "Url", "linkedinLink.primaryLinkUrl"),
        ("currency", "Currency", "Select", "custom:currency"), ("tags", "Tags", "Tags", "custom:tags"),
        ("description", "Description", "TextArea", "custom:description"),
        ("createdAt", "Created At", "DateTime", "createdAt"), ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
        ("textCustomField1", "Industry", "Select", "custom:industry"),
        ("intCustomField1", "Employees", "Number", "employees"),
        ("decimalCustomField1", "Annual Revenue", "Decimal", "annualRecurringRevenue.amountMicros"),
        ("textCustomField2", "Revenue Tier", "Select", "custom:revenueTier"),
    ],
    "deals": [
        ("id", "Deal ID", "Number", "source_id"), ("title", "Title", "Text", "name"),
        ("owner", "Owner", "Lookup", "ownerId"), ("primaryContact", "Primary Contact", "Lookup", "pointOfContactId"),
        ("primaryCompany", "Primary Company", "Lookup", "companyId"), ("pipeline", "Pipeline", "Select", "custom:pipeline"),
        ("stage", "Stage", "Select", "stage"), ("status", "Status", "Select", "custom:dealStatus"),
        ("source", "Source", "Select", "custom:source"), ("priority", "Priority", "Select", "custom:priority"),
        ("estimatedCloseDate", "Expected Close Date", "Date", "closeDate"),
        ("closedDate", "Closed Date", "Date", "custom:closedDate"),
        ("dealValue", "Deal Value", "Currency", "amount.amountMicros"),
        ("currency", "Currency", "Select", "amount.currencyCode"),
        ("lostReason", "Lost Reason", "Select", "custom:lostReason"),
        ("description", "Description", "TextArea", "custom:description"), ("tags", "Tags", "Tags", "custom:tags"),
        ("createdAt", "Created At", "DateTime", "createdAt"), ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
        ("textCustomField1", "Won Reason", "Select", "custom:wonReason"),
        ("intCustomField1", "Seats", "Number", "custom:seats"),
        ("dateCustomField1", "Contract Start", "Date", "custom:contractStart"),
    ],
    "tasks": [
        ("id", "Activity ID", "Number", "source_id"), ("title", "Title", "Text", "title"),
        ("type", "Type", "Select", "custom:taskType"), ("description", "Description", "TextArea", "bodyV2.markdown"),
        ("dueDate", "Due Date", "DateTime", "dueAt"), ("duration", "Duration", "Number", "custom:durationMinutes"),
        ("status", "Status", "Select", "status"), ("priority", "Priority", "Select", "custom:priority"),
        ("owner", "Assigned To", "Lookup", "assigneeId"), ("contact", "Contact", "Lookup", "taskTargets.personId"),
        ("company", "Company", "Lookup", "taskTargets.companyId"), ("deal", "Deal", "Lookup", "taskTargets.opportunityId"),
        ("completedAt", "Completed At", "DateTime", "custom:completedAt"), ("tags", "Tags", "Tags", "custom:tags"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("textCustomField1", "Outcome", "Select", "custom:outcome"),
    ],
    "emails": [
        ("id", "Email ID", "Number", "source_id"), ("subject", "Subject", "Text", "title"),
        ("bodyPreview", "Body", "TextArea", "bodyV2.markdown"), ("fromEmail", "From", "Email", "custom:fromEmail"),
        ("toEmails", "To", "Text", "custom:toEmails"), ("ccEmails", "Cc", "Text", "custom:ccEmails"),
        ("direction", "Direction", "Select", "custom:direction"), ("sentAt", "Sent At", "DateTime", "createdAt"),
        ("owner", "Owner", "Lookup", "assigneeId"), ("contact", "Contact", "Lookup", "taskTargets.personId"),
        ("company", "Company", "Lookup", "taskTargets.companyId"), ("deal", "Deal", "Lookup", "taskTargets.opportunityId"),
        ("threadId", "Thread ID", "Text", "custom:emailThreadId"), ("openCount", "Opens", "Number", "custom:openCount"),
        ("clickCount", "Clicks", "Number", "custom:clickCount"),
    ],
    "products": [
        ("id", "Product ID", "Number", "source_id"), ("name", "Name", "Text", "name"), ("sku", "SKU", "Text", "custom:sku"),
        ("unitPrice", "Unit Price", "Currency", "custom:unitPrice"), ("currency", "Currency", "Select", "custom:currency"),
        ("category", "Category", "Select", "custom:category"), ("isActive", "Active", "Checkbox", "custom:isActive"),
        ("description", "Description", "TextArea", "custom:description"), ("owner", "Owner", "Lookup", "ignore"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("textCustomField1", "Vendor", "Text", "custom:vendor"), ("decimalCustomField1", "Cost", "Decimal", "custom:cost"),
    ],
}
THREAD = "custom:teamInboxThreads"
OTHER_COLUMNS: dict[str, list[tuple[str, str, str]]] = {  # column, object, field
    "inbox_threads": [("id", P, THREAD), ("inboxName", P, THREAD), ("channel", P, THREAD),
                      ("subject", P, THREAD), ("status", P, THREAD), ("assignedTo", P, THREAD),
                      ("contact", P, "personId"), ("company", C, "companyId"),
                      ("participants", P, THREAD), ("messageCount", P, THREAD),
                      ("firstMessageAt", P, THREAD), ("lastMessageAt", P, THREAD), ("messages", P, THREAD)],
    "attachments": [("id", "attachments", "source_id"), ("fileName", "attachments", "name"),
                    ("contentType", "attachments", "type"), ("fileSize", "attachments", "ignore"),
                    ("module", "attachments", "ignore"),
                    ("recordId", "attachments", "personId|companyId|opportunityId"),
                    ("path", "attachments", "fullPath"), ("uploadedBy", "attachments", "ignore"),
                    ("createdAt", "attachments", "createdAt")],
    "smart_flows": [(c, "inventory", "smart_flows") for c in
                    ("id", "name", "status", "triggerType", "module", "description", "steps",
                     "enrolledContacts", "enrolledContactIds", "createdBy", "createdAt", "lastModifiedAt")],
    "users": [("id", "workspaceMembers", "source_id"), ("firstName", "workspaceMembers", "name.firstName"),
              ("lastName", "workspaceMembers", "name.lastName"), ("email", "workspaceMembers", "userEmail"),
              ("role", "workspaceMembers", "ignore"), ("status", "workspaceMembers", "ignore"),
              ("timeZone", "workspaceMembers", "ignore")],
    "pipeline_stages": [("pipeline", O, "custom:pipeline"), ("pipelineId", O, "ignore"),
                        ("stageOrder", O, "stage.position"), ("stage", O, "stage"),
                        ("probability", O, "custom:stageProbability"), ("rottingDays", O, "ignore")],
}
PIPELINES = [
    ("Sales Pipeline", [("Lead In", 10), ("Contact Made", 20), ("Demo Scheduled", 40),
                        ("Proposal Made", 60), ("Negotiations Started", 80)]),
    ("Renewals", [("Renewal Due", 30), ("Quote Sent", 60), ("Verbal Yes", 90)]),
]
TAGS = ["vip", "newsletter", "webinar-2023", "trade show", "referral", "cold", "partner", "VIP "]
INTERESTS = ["Automation", "Reporting", "Integrations", "Mobile App", "Training"]
LOST = ["Price too high", "Went with competitor", "No budget", "No decision", "Timing"]
WON = ["Best features", "Price", "Relationship", "Support quality"]
USER_EXTRA = [("Pat", "Former", NON_MEMBER_OWNERS[0]), ("Dana", "Whitfield", "dana.whitfield@demo-agency.com")]


def owner(rng: random.Random) -> int:
    """A user id; users 7 and 8 (not workspace members) own about one record in twenty."""
    return rng.choice([1, 2, 3, 4, 5, 6] * 6 + [7, 8])


def ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def when(rng: random.Random, start: datetime = START, end: datetime = END) -> datetime:
    return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


def assign_ids(rng: random.Random, records: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    """Ids grow with creation time and skip numbers (deleted records), as in a live account."""
    records.sort(key=lambda r: r["createdAt"])
    next_id = start
    out = []
    for record in records:
        out.append({"id": next_id} | record)
        next_id += 1 if rng.random() < 0.9 else rng.randint(2, 4)
    return out


def where(records: list[dict[str, Any]], table: str) -> dict[int, tuple[str, int]]:
    """Record id → (page file, 1-based index in the page) once pages of MAX_ROWS are cut."""
    return {r["id"]: (f"{table}/{page_name(i // MAX_ROWS + 1)}", i % MAX_ROWS + 1)
            for i, r in enumerate(records)}


def make_users() -> list[dict[str, Any]]:
    people = [(f, last, e) for f, last, e in WORKSPACE_MEMBERS[:6]] + USER_EXTRA
    users = []
    for i, (first, last, email) in enumerate(people, start=1):
        shown = email.title() if i == 3 else email  # Salesmate keeps the case a user typed
        users.append({"id": i, "firstName": first, "lastName": last, "email": shown,
                      "role": "Admin" if i == 1 else "Standard",
                      "status": "Inactive" if email == NON_MEMBER_OWNERS[0] else "Active",
                      "timeZone": "America/Chicago"})
    return users


def website(rng: random.Random, domain: str) -> str | None:
    return rng.choice([f"https://www.{domain}/", f"http://{domain}", domain, f"www.{domain}",
                       f"https://{domain}/about", None])


def make_companies_records(rng: random.Random, truth: Truth) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
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
            city = rng.choice([("Austin", "TX", "78701"), ("London", "", "EC1A 1BB"),
                               ("Berlin", "", "10115"), ("Denver", "CO", "80202"), ("Paris", "", "75001")])
            created = ts(when(rng))
            raw.append({
                "name": name, "website": website(rng, ent.domain),
                "phone": write_phone(rng, f"+1512555{rng.randint(0, 9999):04d}") if rng.random() < 0.7 else None,
                "owner": owner(rng), "billingAddressLine1": f"{rng.randint(1, 999)} Market St",
                "billingCity": city[0], "billingState": city[1] or None, "billingZipCode": city[2],
                "billingCountry": ent.country,
                "linkedInHandle": f"https://linkedin.com/company/{ent.domain.split('.')[0]}" if rng.random() < 0.4 else None,
                "currency": rng.choice(["USD", "USD", "EUR", "GBP"]),
                "tags": rng.choice(["", "customer", "prospect", "partner"]),
                "description": None, "createdAt": created, "lastModifiedAt": created,
                "textCustomField1": ent.industry,
                "intCustomField1": ent.employees if rng.random() < 0.8 else None,
                "decimalCustomField1": round(ent.employees * rng.uniform(50_000, 150_000), 2) if rng.random() < 0.5 else None,
                "textCustomField2": rng.choice(["Tier 1", "Tier 2", "Tier 3", None]),
                "_entity": ent.company_id,
            })
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
        "firstName": person.first, "lastName": person.last, "name": f"{person.first} {person.last}",
        "email": person.email, "phone": write_phone(rng, person.phone),
        "mobile": write_phone(rng, person.phone[:-4] + f"{rng.randint(0, 9999):04d}") if rng.random() < 0.3 else None,
        "jobTitle": person.job_title or None, "company": company, "owner": owner(rng),
        "type": rng.choice(["Lead", "Lead", "Customer", "Partner"]),
        "source": rng.choice(["Website", "Referral", "Trade Show", "Cold Call", None]),
        "tags": ", ".join(rng.sample(TAGS, rng.choice([0, 0, 1, 2]))),
        "description": None, "billingCity": person.city[0], "billingCountry": person.city[3],
        "linkedInHandle": f"https://www.linkedin.com/in/{person.first.lower()}-{person.last.lower()}"
        if rng.random() < 0.25 else None,
        "twitterHandle": None, "emailOptOut": rng.random() < 0.08,
        "createdAt": ts(created), "lastModifiedAt": ts(min(END, created + timedelta(days=rng.randint(0, 300)))),
        "textCustomField1": rng.choice(["English", "English", "Spanish", "German", "French", None]),
        "textCustomField2": rng.choice([None, None, None, "Bright Path Partners", "Keystone Referrals"]),
        "intCustomField1": rng.randint(0, 10) if rng.random() < 0.4 else None,
        "decimalCustomField1": round(rng.uniform(100, 25_000), 2) if rng.random() < 0.5 else None,
        "dateCustomField1": f"{rng.randint(1955, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.3 else None,
        "multiSelectCustomField1": ";".join(rng.sample(INTERESTS, rng.choice([0, 1, 2]))) or None,
        "checkboxCustomField1": rng.random() < 0.5,
    }


def make_contacts(rng: random.Random, truth: Truth, entities: list[Company],
                  by_entity: dict[str, list[int]]) -> tuple[list[dict[str, Any]], Counter[str]]:
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
            rec["email"] = next(e for e in (invalid_email(rng, person) for _ in range(50))
                                if e not in ("none", "unknown@"))
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


def linked(rng: random.Random, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    contact = rng.choice(contacts)
    return {"contact": contact["id"], "company": contact["company"]}


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
        raw.append({
            "title": f"{rng.choice(['Annual plan', 'Pilot', 'Expansion', 'Renewal', 'Onboarding'])} – "
                     f"{rng.choice(['Q1', 'Q2', 'Q3', 'Q4'])} {created.year}",
            "owner": owner(rng), "primaryContact": link["contact"], "primaryCompany": link["company"],
            "pipeline": name, "stage": stage, "status": status,
            "source": rng.choice(["Website", "Referral", "Outbound", None]),
            "priority": rng.choice(["High", "Medium", "Low"]),
            "estimatedCloseDate": closed.strftime("%Y-%m-%d"),
            "closedDate": closed.strftime("%Y-%m-%d") if status != "Open" else None,
            "dealValue": round(rng.uniform(500, 120_000), 2) if rng.random() < 0.95 else None,
            "currency": rng.choice(["USD", "USD", "USD", "EUR", "GBP"]),
            "lostReason": rng.choice(LOST) if status == "Lost" else None,
            "description": None, "tags": rng.choice(["", "", "upsell", "strategic"]),
            "createdAt": ts(created), "lastModifiedAt": ts(min(END, closed)),
            "textCustomField1": rng.choice(WON) if status == "Won" else None,
            "intCustomField1": rng.choice([5, 10, 25, 50, None]),
            "dateCustomField1": closed.strftime("%Y-%m-%d") if status == "Won" else None,
            "_status": link.get("_status", "resolved"),
        })
    return assign_ids(rng, raw, 5001)


def make_tasks(rng: random.Random, contacts: list[dict[str, Any]], deals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw = []
    for _ in range(700):
        link = linked(rng, contacts) if rng.random() < 0.8 else {"contact": None, "company": None}
        deal = rng.choice(deals) if rng.random() < 0.3 else None
        created = when(rng)
        done = rng.random() < 0.55
        kind = rng.choice(["Call", "Meeting", "Task", "Follow up", "Email"])
        raw.append({
            "title": f"{kind}: {rng.choice(['intro', 'demo', 'pricing', 'check-in', 'contract review'])}",
            "type": kind, "description": rng.choice([None, "Discuss next steps.", "Send the deck first."]),
            "dueDate": ts(created + timedelta(days=rng.randint(1, 30))), "duration": rng.choice([15, 30, 45, 60]),
            "status": "Completed" if done else "Open", "priority": rng.choice(["High", "Medium", "Low"]),
            "owner": owner(rng), "contact": link["contact"],
            "company": link["company"] if rng.random() < 0.5 else None, "deal": deal["id"] if deal else None,
            "completedAt": ts(created + timedelta(days=rng.randint(1, 40))) if done else None,
            "tags": "", "createdAt": ts(created),
            "textCustomField1": rng.choice(["Interested", "No answer", "Left voicemail", None]) if done else None,
            "_status": "resolved" if link["contact"] or deal else "unlinked",
        })
    return assign_ids(rng, raw, 20001)


def make_emails(rng: random.Random, contacts: list[dict[str, Any]], users: list[dict[str, Any]],
                deals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with_email = [c for c in contacts if c["email"] and "@" in c["email"]]
    raw = []
    for n in range(600):
        contact = rng.choice(with_email)
        user = users[owner(rng) - 1]
        inbound = rng.random() < 0.4
        sent = when(rng)
        deal = rng.choice(deals) if rng.random() < 0.2 else None
        subject = rng.choice(["Quick question", "Proposal", "Re: pricing", "Meeting notes", "Follow-up"])
        raw.append({
            "subject": subject, "bodyPreview": f"Hi {contact['firstName']}, about {subject.lower()}…",
            "fromEmail": contact["email"].strip() if inbound else user["email"],
            "toEmails": user["email"] if inbound else contact["email"].strip(),
            "ccEmails": None if rng.random() < 0.8 else users[0]["email"],
            "direction": "Inbound" if inbound else "Outbound", "sentAt": ts(sent), "owner": user["id"],
            "contact": contact["id"], "company": contact["company"], "deal": deal["id"] if deal else None,
            "threadId": f"thr-{n // 2 + 1:05d}", "openCount": 0 if inbound else rng.randint(0, 6),
            "clickCount": 0 if inbound else rng.randint(0, 2), "createdAt": ts(sent), "_status": "resolved",
        })
    return assign_ids(rng, raw, 40001)


def make_products(rng: random.Random) -> list[dict[str, Any]]:
    raw = []
    for n in range(60):
        line = rng.choice(["Starter", "Growth", "Scale", "Add-on", "Service"])
        price = rng.choice([49, 99, 199, 499, 1500, 4000]) * 1.0
        raw.append({
            "name": f"{line} {rng.choice(['Plan', 'Seat', 'Onboarding', 'Support', 'Storage'])} {n + 1}",
            "sku": f"SKU-{n + 1:04d}", "unitPrice": price, "currency": "USD",
            "category": "Services" if line == "Service" else "Subscriptions", "isActive": rng.random() < 0.85,
            "description": None, "owner": 1, "createdAt": ts(when(rng)),
            "textCustomField1": rng.choice(["In-house", "Partner Co", None]),
            "decimalCustomField1": round(price * rng.uniform(0.2, 0.6), 2),
        })
    return assign_ids(rng, raw, 301)


def make_threads(rng: random.Random, contacts: list[dict[str, Any]], users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with_email = [c for c in contacts if c["email"] and "@" in c["email"]]
    raw = []
    for _ in range(160):
        contact = rng.choice(with_email)
        first = when(rng)
        messages = []
        at = first
        for k in range(rng.randint(1, 5)):
            agent = users[rng.randrange(6)]
            from_contact = k % 2 == 0
            messages.append({"from": contact["email"].strip() if from_contact else agent["email"],
                             "to": "support@demo-agency.com" if from_contact else contact["email"].strip(),
                             "sentAt": ts(at), "body": rng.choice(["Can you help with my invoice?",
                                                                    "Thanks, looking into it.", "Any update?",
                                                                    "Resolved, closing this.", "Please call me."])})
            at += timedelta(hours=rng.randint(1, 48))
        raw.append({
            "inboxName": rng.choice(["Support", "Sales", "Billing"]), "channel": rng.choice(["Email", "Chat", "SMS"]),
            "subject": rng.choice(["Invoice question", "Login trouble", "Upgrade", "Cancel request"]),
            "status": rng.choice(["Open", "Closed", "Closed"]), "assignedTo": owner(rng),
            "contact": contact["id"], "company": contact["company"],
            "participants": ", ".join(sorted({m["from"] for m in messages})),
            "messageCount": len(messages), "firstMessageAt": ts(first), "lastMessageAt": messages[-1]["sentAt"],
            "messages": messages, "createdAt": ts(first), "_status": "resolved",
        })
    records = assign_ids(rng, raw, 7001)
    for r in records:
        del r["createdAt"]
    return records


def make_attachments(rng: random.Random, contacts: list[dict[str, Any]], companies: list[dict[str, Any]],
                     deals: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    raw, files = [], {}
    for n in range(80):
        module, target = rng.choice([("Contact", contacts), ("Company", companies), ("Deal", deals)])
        record = rng.choice(target)
        kind = rng.choice([("txt", "text/plain"), ("csv", "text/csv"), ("md", "text/markdown")])
        name = f"{rng.choice(['contract', 'quote', 'notes', 'invoice', 'brief'])}-{n + 1:03d}.{kind[0]}"
        if kind[0] == "csv":
            body = f"item,qty,price\nlicence,{rng.randint(1, 50)},{rng.choice([49, 99, 199])}\n"
        else:
            body = f"{module} {record['id']}: {rng.choice(['signed copy', 'call summary', 'pricing draft'])}\n"
        raw.append({"fileName": name, "contentType": kind[1], "fileSize": len(body.encode()),
                    "module": module, "recordId": record["id"], "uploadedBy": owner(rng),
                    "createdAt": ts(when(rng)), "_body": body, "_status": "resolved"})
    records = assign_ids(rng, raw, 9001)
    for rec in records:
        rec["path"] = f"{FILES_DIR}/{rec['id']}-{rec['fileName']}"
        files[rec["path"]] = rec.pop("_body").encode()
    return [{k: r[k] for k in ("id", "fileName", "contentType", "fileSize", "module", "recordId", "path",
                               "uploadedBy", "createdAt", "_status")} for r in records], files


def make_flows(rng: random.Random, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = ["Welcome series", "Demo no-show follow-up", "Trial ending", "Win-back 90 days",
             "Webinar reminders", "Deal won → onboarding", "Lead nurture (cold)", "Renewal reminder"]
    triggers = ["Contact created", "Activity overdue", "Field updated", "Date based", "Form submitted",
                "Deal stage changed", "Tag added", "Date based"]
    raw = []
    for name, trigger in zip(names, triggers, strict=True):
        enrolled = sorted(rng.sample([c["id"] for c in contacts], rng.randint(0, 60)))
        steps = [{"type": t, "detail": d} for t, d in rng.sample(
            [("Send email", "template: welcome"), ("Wait", "2 days"), ("Create task", "call the contact"),
             ("Condition", "email opened?"), ("Update field", "type = Customer"), ("Send SMS", "reminder")], 3)]
        raw.append({"name": name, "status": rng.choice(["Active", "Active", "Paused", "Draft"]),
                    "triggerType": trigger, "module": "Deal" if "Deal" in trigger else "Contact",
                    "description": f"{trigger} → " + " → ".join(s["type"] for s in steps),
                    "steps": steps, "enrolledContacts": len(enrolled), "enrolledContactIds": enrolled,
                    "createdBy": rng.randint(1, 6), "createdAt": ts(when(rng)), "lastModifiedAt": None})
    for r in raw:
        r["lastModifiedAt"] = r["createdAt"]
    return assign_ids(rng, raw, 1)


def field_definitions() -> list[dict[str, Any]]:
    """What `getAllVisibleFields` answers: every visible field of every module."""
    out = []
    for table, fields in FIELDS.items():
        module = MODULES_BY_TABLE[table].module_name
        for name, label, kind, _ in fields:
            out.append({"moduleName": module, "fieldName": name, "displayName": label, "fieldDataType": kind,
                        "isCustomField": "CustomField" in name, "isRequired": name in ("firstName", "name", "title")})
    return out


def pipelines() -> list[dict[str, Any]]:
    return [{"id": n, "name": name, "isDefault": n == 1,
             "stages": [{"stage": s, "probability": p, "rottingDays": 30 if p < 50 else None} for s, p in stages]}
            for n, (name, stages) in enumerate(PIPELINES, start=1)]


def text(value: Any) -> str:
    return "" if value is None else str(value)


def record_links(truth: Truth, table: str, records: list[dict[str, Any]], contact: str, company: str,
                 other: str | None) -> None:
    """True contact/company (source ids) of every linked record; drops the private keys."""
    loc = where(records, table)
    for rec in records:
        status = rec.pop("_status")
        file, line = loc[rec["id"]]
        if table == "attachments":  # one target, named by the module column
            kind = {"Contact": "contact", "Company": "company", "Deal": "other"}[rec["module"]]
            value = str(rec["recordId"]) if kind != "other" else f"deal:{rec['recordId']}"
            truth.associate(file, line, str(rec["id"]), **{kind: value}, status=status)
            continue
        truth.associate(file, line, str(rec["id"]), contact=text(rec.get(contact)), company=text(rec.get(company)),
                        other=f"deal:{rec[other]}" if other and rec.get(other) else "", status=status)


def columns_truth(truth: Truth) -> None:
    targets = {"contacts": P, "companies": C, "deals": O, "tasks": T, "emails": T, "products": "products"}
    for table, fields in FIELDS.items():
        truth.describe(table, [(name, targets[table], target) for name, _, _, target in fields])
    for table, columns in OTHER_COLUMNS.items():
        truth.describe(table, columns)
    truth.describe("fields", [(c, "metadata", "ignore") for c in
                              ("moduleName", "fieldName", "displayName", "fieldDataType", "isCustomField", "isRequired")])


def discovery_truth(tables: dict[str, list[dict[str, Any]]], users: list[dict[str, Any]],
                    plants: Counter[str]) -> dict[str, Any]:
    members = {e.lower() for _, _, e in WORKSPACE_MEMBERS}
    outsiders = sorted(u["id"] for u in users if u["email"].lower() not in members)
    owner_col = {"contacts": "owner", "companies": "owner", "deals": "owner", "tasks": "owner", "emails": "owner"}
    tag_counts: Counter[str] = Counter()
    for rec in tables["contacts"]:
        for tag in (t for t in (rec["tags"] or "").split(",") if t.strip()):
            tag_counts[tag.strip()] += 1
    return {
        "source": "salesmate",
        "rows": {t: len(r) for t, r in tables.items()} | {"users": len(users),
                                                          "pipeline_stages": sum(len(s) for _, s in PIPELINES)},
        "custom_columns": {t: [f for f, *_ in fields if "CustomField" in f] for t, fields in FIELDS.items()},
        "tags": {"contacts.tags": dict(sorted(tag_counts.items()))},
        "contacts": dict(sorted(plants.items())),
        "duplicate_email_rows": 2 * plants["duplicate_email_groups"],
        "users_not_in_workspace": [u["email"] for u in users if u["id"] in outsiders],
        "records_owned_by_non_members": {t: sum(1 for r in tables[t] if r[c] in outsiders)
                                         for t, c in owner_col.items()},
        "unresolvable_deals": sum(1 for r in tables["deals"] if r.get("_status") == "unresolvable"),
        "ambiguous_dates": 0,
    }


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
        "companies": companies, "contacts": contacts, "deals": deals, "tasks": make_tasks(rng, contacts, deals),
        "emails": make_emails(rng, contacts, users, deals), "products": make_products(rng),
        "inbox_threads": make_threads(rng, contacts, users),
    }
    tables["attachments"], files = make_attachments(rng, contacts, companies, deals)
    tables["smart_flows"] = make_flows(rng, contacts)
    discovery = discovery_truth(tables, users, plants)
    record_links(truth, "deals", deals, "primaryContact", "primaryCompany", None)
    record_links(truth, "tasks", tables["tasks"], "contact", "company", "deal")
    record_links(truth, "emails", tables["emails"], "contact", "company", "deal")
    record_links(truth, "inbox_threads", tables["inbox_threads"], "contact", "company", None)
    record_links(truth, "attachments", tables["attachments"], "recordId", "recordId", None)
    columns_truth(truth)
    for table, records in tables.items():
        write_pages(root / table, records)
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    write_reference(root, "users.json", users)
    write_reference(root, "pipelines.json", pipelines())
    write_reference(root, "fields.json", field_definitions())
    truth.write(root / "truth", discovery)
