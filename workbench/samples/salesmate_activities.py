"""Salesmate sample records that hang off contacts: tasks, emails, inbox threads, files, flows."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from workbench.samples.salesmate_fields import assign_ids, linked, owner, ts, when
from workbench.sources.salesmate import FILES_DIR


def make_tasks(
    rng: random.Random, contacts: list[dict[str, Any]], deals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    raw = []
    for _ in range(700):
        link = linked(rng, contacts) if rng.random() < 0.8 else {"contact": None, "company": None}
        deal = rng.choice(deals) if rng.random() < 0.3 else None
        created = when(rng)
        done = rng.random() < 0.55
        kind = rng.choice(["Call", "Meeting", "Task", "Follow up", "Email"])
        raw.append(
            {
                "title": f"{kind}: {rng.choice(['intro', 'demo', 'pricing', 'check-in', 'contract review'])}",
                "type": kind,
                "description": rng.choice([None, "Discuss next steps.", "Send the deck first."]),
                "dueDate": ts(created + timedelta(days=rng.randint(1, 30))),
                "duration": rng.choice([15, 30, 45, 60]),
                "status": "Completed" if done else "Open",
                "priority": rng.choice(["High", "Medium", "Low"]),
                "owner": owner(rng),
                "contact": link["contact"],
                "company": link["company"] if rng.random() < 0.5 else None,
                "deal": deal["id"] if deal else None,
                "completedAt": ts(created + timedelta(days=rng.randint(1, 40))) if done else None,
                "tags": "",
                "createdAt": ts(created),
                "textCustomField1": rng.choice(["Interested", "No answer", "Left voicemail", None])
                if done
                else None,
                "_status": "by_id" if link["contact"] or deal else "no_link",
            }
        )
    return assign_ids(rng, raw, 20001)


def make_emails(
    rng: random.Random,
    contacts: list[dict[str, Any]],
    users: list[dict[str, Any]],
    deals: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    with_email = [c for c in contacts if c["email"] and "@" in c["email"]]
    raw = []
    for n in range(600):
        contact = rng.choice(with_email)
        user = users[owner(rng) - 1]
        inbound = rng.random() < 0.4
        sent = when(rng)
        deal = rng.choice(deals) if rng.random() < 0.2 else None
        subject = rng.choice(
            ["Quick question", "Proposal", "Re: pricing", "Meeting notes", "Follow-up"]
        )
        raw.append(
            {
                "subject": subject,
                "bodyPreview": f"Hi {contact['firstName']}, about {subject.lower()}…",
                "fromEmail": contact["email"].strip() if inbound else user["email"],
                "toEmails": user["email"] if inbound else contact["email"].strip(),
                "ccEmails": None if rng.random() < 0.8 else users[0]["email"],
                "direction": "Inbound" if inbound else "Outbound",
                "sentAt": ts(sent),
                "owner": user["id"],
                "contact": contact["id"],
                "company": contact["company"],
                "deal": deal["id"] if deal else None,
                "threadId": f"thr-{n // 2 + 1:05d}",
                "openCount": 0 if inbound else rng.randint(0, 6),
                "clickCount": 0 if inbound else rng.randint(0, 2),
                "createdAt": ts(sent),
                "_status": "by_id",
            }
        )
    records = assign_ids(rng, raw, 40001)
    for r in records:
        del r["createdAt"]  # the API gives sentAt only
    return records


def make_products(rng: random.Random) -> list[dict[str, Any]]:
    raw = []
    for n in range(60):
        line = rng.choice(["Starter", "Growth", "Scale", "Add-on", "Service"])
        price = rng.choice([49, 99, 199, 499, 1500, 4000]) * 1.0
        raw.append(
            {
                "name": f"{line} {rng.choice(['Plan', 'Seat', 'Onboarding', 'Support', 'Storage'])} {n + 1}",
                "sku": f"SKU-{n + 1:04d}",
                "unitPrice": price,
                "currency": "USD",
                "category": "Services" if line == "Service" else "Subscriptions",
                "isActive": rng.random() < 0.85,
                "description": None,
                "owner": 1,
                "createdAt": ts(when(rng)),
                "textCustomField1": rng.choice(["In-house", "Partner Co", None]),
                "decimalCustomField1": round(price * rng.uniform(0.2, 0.6), 2),
            }
        )
    return assign_ids(rng, raw, 301)


def make_threads(
    rng: random.Random, contacts: list[dict[str, Any]], users: list[dict[str, Any]]
) -> list[dict[str, Any]]:
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
            messages.append(
                {
                    "from": contact["email"].strip() if from_contact else agent["email"],
                    "to": "support@demo-agency.com" if from_contact else contact["email"].strip(),
                    "sentAt": ts(at),
                    "body": rng.choice(
                        [
                            "Can you help with my invoice?",
                            "Thanks, looking into it.",
                            "Any update?",
                            "Resolved, closing this.",
                            "Please call me.",
                        ]
                    ),
                }
            )
            at += timedelta(hours=rng.randint(1, 48))
        raw.append(
            {
                "inboxName": rng.choice(["Support", "Sales", "Billing"]),
                "channel": rng.choice(["Email", "Chat", "SMS"]),
                "subject": rng.choice(
                    ["Invoice question", "Login trouble", "Upgrade", "Cancel request"]
                ),
                "status": rng.choice(["Open", "Closed", "Closed"]),
                "assignedTo": owner(rng),
                "contact": contact["id"],
                "company": contact["company"],
                "participants": ", ".join(sorted({m["from"] for m in messages})),
                "messageCount": len(messages),
                "firstMessageAt": ts(first),
                "lastMessageAt": messages[-1]["sentAt"],
                "messages": messages,
                "createdAt": ts(first),
                "_status": "by_id",
            }
        )
    records = assign_ids(rng, raw, 7001)
    for r in records:
        del r["createdAt"]
    return records


def make_attachments(
    rng: random.Random,
    contacts: list[dict[str, Any]],
    companies: list[dict[str, Any]],
    deals: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    raw, files = [], {}
    for n in range(80):
        module, target = rng.choice(
            [("Contact", contacts), ("Company", companies), ("Deal", deals)]
        )
        record = rng.choice(target)
        kind = rng.choice([("txt", "text/plain"), ("csv", "text/csv"), ("md", "text/markdown")])
        name = f"{rng.choice(['contract', 'quote', 'notes', 'invoice', 'brief'])}-{n + 1:03d}.{kind[0]}"
        if kind[0] == "csv":
            body = f"item,qty,price\nlicence,{rng.randint(1, 50)},{rng.choice([49, 99, 199])}\n"
        else:
            body = f"{module} {record['id']}: {rng.choice(['signed copy', 'call summary', 'pricing draft'])}\n"
        raw.append(
            {
                "fileName": name,
                "contentType": kind[1],
                "fileSize": len(body.encode()),
                "module": module,
                "recordId": record["id"],
                "uploadedBy": owner(rng),
                "createdAt": ts(when(rng)),
                "_body": body,
                "_status": "by_id",
            }
        )
    records = assign_ids(rng, raw, 9001)
    for rec in records:
        rec["path"] = f"{FILES_DIR}/{rec['id']}-{rec['fileName']}"
        files[rec["path"]] = rec.pop("_body").encode()
    return [
        {
            k: r[k]
            for k in (
                "id",
                "fileName",
                "contentType",
                "fileSize",
                "module",
                "recordId",
                "path",
                "uploadedBy",
                "createdAt",
                "_status",
            )
        }
        for r in records
    ], files


def make_flows(rng: random.Random, contacts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = [
        "Welcome series",
        "Demo no-show follow-up",
        "Trial ending",
        "Win-back 90 days",
        "Webinar reminders",
        "Deal won → onboarding",
        "Lead nurture (cold)",
        "Renewal reminder",
    ]
    triggers = [
        "Contact created",
        "Activity overdue",
        "Field updated",
        "Date based",
        "Form submitted",
        "Deal stage changed",
        "Tag added",
        "Date based",
    ]
    raw = []
    for name, trigger in zip(names, triggers, strict=True):
        enrolled = sorted(rng.sample([c["id"] for c in contacts], rng.randint(0, 60)))
        steps = [
            {"type": t, "detail": d}
            for t, d in rng.sample(
                [
                    ("Send email", "template: welcome"),
                    ("Wait", "2 days"),
                    ("Create task", "call the contact"),
                    ("Condition", "email opened?"),
                    ("Update field", "type = Customer"),
                    ("Send SMS", "reminder"),
                ],
                3,
            )
        ]
        raw.append(
            {
                "name": name,
                "status": rng.choice(["Active", "Active", "Paused", "Draft"]),
                "triggerType": trigger,
                "module": "Deal" if "Deal" in trigger else "Contact",
                "description": f"{trigger} → " + " → ".join(s["type"] for s in steps),
                "steps": steps,
                "enrolledContacts": len(enrolled),
                "enrolledContactIds": enrolled,
                "createdBy": rng.randint(1, 6),
                "createdAt": ts(when(rng)),
                "lastModifiedAt": None,
            }
        )
    for r in raw:
        r["lastModifiedAt"] = r["createdAt"]
    return assign_ids(rng, raw, 1)
