"""AllClients files beside Contacts.csv: notes, tasks, users, attachments, inventories."""

from __future__ import annotations

import random
import struct
import zlib
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Truth,
    member_email_as_written,
    slug,
    us_datetime,
    write_csv,
)
from workbench.samples.contacts import ContactRow, JoinIndex

NOTE_TEXTS = [
    "Called, left voicemail.",
    "Met at the spring seminar; interested in the family plan.",
    "Sent quote for renewal.\nFollow up next week.",
    "Prefers email, not phone.",
    'Asked about "bundle" discount, said she\'d think about it.',
    "Policy renewed, paid by check.",
    "Referral from existing client, very warm lead.",
    "Spouse handles the paperwork, ask for her.",
    "Moved to a new address, updated.",
]
SYSTEM_TEXTS = [
    '[[System]] Email "Welcome aboard" sent by workflow New Client Onboarding',
    "[[System]] Contact added to group VIP Clients",
    "[[System]] Unsubscribed via email link",
]


def write_side_files(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    users = _users(rng, root, truth)
    notes = _notes(rng, root, rows, truth)
    tasks, task_owners = _tasks(rng, root, rows, truth)
    attachments = _attachments(rng, root, rows, truth)
    inventories = _inventories(rng, root, truth)
    owners_seen = [r.owner.lower() for r in rows] + task_owners
    members = [e for _, _, e in WORKSPACE_MEMBERS]
    outside = sorted({o for o in owners_seen if o and o not in members})
    return {
        "objects": {
            "notes": notes["object"],
            "tasks": tasks,
            "users": users,
            "attachments": attachments["object"],
            **inventories,
        },
        "notes": notes["counts"],
        "owners": {
            "columns": ["Contacts.csv user", "Tasks.csv assignedto"],
            "not_in_workspace": outside,
            "contact_rows_owned_by_non_members": sum(1 for r in rows if r.owner.lower() in outside),
            "task_rows_assigned_to_non_members": sum(1 for o in task_owners if o in outside),
        },
        "attachments": attachments["counts"],
    }


def _users(rng: random.Random, root: Path, truth: Truth) -> dict[str, Any]:
    data = [
        [f"U{n + 1}", f, last, e, "Admin" if n == 0 else "User", "Active"]
        for n, (f, last, e) in enumerate(WORKSPACE_MEMBERS)
    ]
    for k, email in enumerate(NON_MEMBER_OWNERS):
        local = email.split("@")[0].split(".")
        data.append(
            [
                f"U{len(data) + 1}",
                local[0].title(),
                (local[1] if len(local) > 1 else "").title(),
                email,
                "User",
                "Inactive" if k < 2 else "Active",
            ]
        )
    write_csv(
        root / "Users.csv",
        ["userid", "firstname", "lastname", "email", "role", "status"],
        data,
        newline="\r\n",
        encoding="utf-8-sig",
    )
    truth.describe(
        "Users.csv",
        [
            ("userid", "workspaceMembers", "source_id"),
            ("firstname", "workspaceMembers", "name.firstName"),
            ("lastname", "workspaceMembers", "name.lastName"),
            ("email", "workspaceMembers", "userEmail"),
            ("role", "workspaceMembers", "ignore"),
            ("status", "workspaceMembers", "ignore"),
        ],
    )
    return {"files": ["Users.csv"], "rows": len(data), "not_in_workspace": len(NON_MEMBER_OWNERS)}


def _notes(rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth) -> dict[str, Any]:
    index = JoinIndex(rows)
    shared_names = [r for r in rows if len(index.by_name.get(_name(r), [])) > 1]
    data: list[list[str]] = []
    planned: list[tuple[str, str]] = []  # (planted kind, true contact row id)
    for _ in range(1400):
        kind = rng.choices(["current", "changed", "same_name", "deleted"], [82, 9, 3, 6])[0]
        row = rng.choice(shared_names if kind == "same_name" else rows)
        first, last = row.first, row.last
        if kind == "current":
            email = row.email if rng.random() < 0.8 else row.email.upper()
        elif kind == "deleted":
            first, last = (
                rng.choice(["Gregory", "Yolanda", "Bartholomew"]),
                rng.choice(["Quill", "Fairweather"]),
            )
            email = f"{slug(first)}.{slug(last)}{rng.randint(1, 999)}@earthlink.net"
        else:  # the contact's email changed since the note was written
            email = f"{slug(first)}{rng.randint(1, 99)}@oldisp.net"
            if rng.random() < 0.3:
                first, last = first.upper(), last.upper()
        when = row.created + timedelta(days=rng.randint(0, 1500), seconds=rng.randint(0, 86399))
        text = rng.choice(SYSTEM_TEXTS) if rng.random() < 0.12 else rng.choice(NOTE_TEXTS)
        author = member_email_as_written(rng, rng.choice(WORKSPACE_MEMBERS)[2])
        data.append([email, first, last, us_datetime(when), text, author])
        planned.append((kind, "" if kind == "deleted" else row.row_id))
    starts = write_csv(
        root / "Notes.csv",
        ["email", "firstname", "lastname", "notedate", "note", "user"],
        data,
        newline="\r\n",
        encoding="utf-8-sig",
    )
    statuses: Counter[str] = Counter()
    for line, values, (kind, contact) in zip(starts, data, planned, strict=True):
        status, matched = index.expected(values[0], values[1], values[2])
        statuses[status] += 1
        truth.notes.append(
            {
                "file": "Notes.csv",
                "line": line,
                "row_id": f"Notes.csv:{line}",
                "contact": contact,
                "planted": kind,
                "expected_status": status,
                "expected_contact": matched,
            }
        )
    truth.describe(
        "Notes.csv",
        [
            ("email", "notes", "noteTargets.personId"),
            ("firstname", "notes", "noteTargets.personId"),
            ("lastname", "notes", "noteTargets.personId"),
            ("notedate", "notes", "createdAt"),
            ("note", "notes", "bodyV2"),
            ("user", "notes", "createdBy"),
        ],
    )
    return {
        "object": {"files": ["Notes.csv"], "rows": len(data)},
        "counts": {
            "system_prefixed": sum(1 for d in data if d[4].startswith("[[System]]")),
            "planted": dict(sorted(Counter(k for k, _ in planned).items())),
            "expected_status": dict(sorted(statuses.items())),
            "multi_line": sum(1 for d in data if "\n" in d[4]),
        },
    }


def _name(row: ContactRow) -> str:
    from workbench.samples.common import norm_name

    return norm_name(row.first, row.last)


TASKS_COLS = [
    ("taskid", "source_id"),
    ("contactid", "taskTargets.personId"),
    ("contactemail", "ignore"),
    ("title", "title"),
    ("duedate", "dueAt"),
    ("status", "status"),
    ("priority", "custom:priority"),
    ("assignedto", "assigneeId"),
    ("completeddate", "custom:completedAt"),
    ("description", "bodyV2"),
]


def _tasks(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> tuple[dict[str, Any], list[str]]:
    header = [h for h, _ in TASKS_COLS]
    data: list[list[str]] = []
    statuses: list[str] = []
    owners: list[str] = []
    trues: list[str] = []
    for n in range(620):
        row = rng.choice(rows)
        roll = rng.random()
        contact_id, email, status = row.row_id, row.email, "by_id"
        if roll < 0.05:
            contact_id, email, status = (
                str(rng.randint(90000, 99999)),
                "gone@example.org",
                "unresolvable",
            )
        elif roll < 0.13 and row.email and "invalid_email" not in row.flags:
            contact_id, status = "", "by_email"
        due = row.created + timedelta(days=rng.randint(1, 1200))
        state = rng.choice(["Open", "Completed", "Completed", "Overdue"])
        assignee = (
            rng.choice(NON_MEMBER_OWNERS)
            if rng.random() < 0.07
            else member_email_as_written(rng, rng.choice(WORKSPACE_MEMBERS)[2])
        )
        done = (
            us_datetime(due + timedelta(hours=rng.randint(1, 72))) if state == "Completed" else ""
        )
        data.append(
            [
                f"T{5000 + n}",
                contact_id,
                email,
                rng.choice(
                    [
                        "Follow up call",
                        "Send renewal quote",
                        "Birthday card",
                        "Check in after claim",
                        "Annual review",
                    ]
                ),
                f"{due.month}/{due.day}/{due.year}",
                state,
                rng.choice(["High", "Normal", "Low"]),
                assignee,
                done,
                rng.choice(["", "", "Discuss umbrella policy", "Needs signature"]),
            ]
        )
        statuses.append(status)
        trues.append("" if status == "unresolvable" else row.row_id)
        owners.append(assignee.lower())
    starts = write_csv(root / "Tasks.csv", header, data, newline="\r\n", encoding="utf-8-sig")
    for line, values, status, contact in zip(starts, data, statuses, trues, strict=True):
        truth.associate(
            "Tasks.csv", line, values[0], contact=contact, other=values[7].lower(), status=status
        )
    truth.describe_object("Tasks.csv", "tasks", TASKS_COLS)
    return {
        "files": ["Tasks.csv"],
        "rows": len(data),
        "unresolvable": statuses.count("unresolvable"),
        "by_email_only": statuses.count("by_email"),
    }, owners


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real (tiny, single-colour) PNG, built byte for byte the same every time."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _attachments(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    folder = root / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    chosen = rng.sample([r for r in rows if not r.dup_kind], 14)
    data = []
    for n, row in enumerate(chosen):
        kind = n % 3
        if kind == 0:
            name, body = f"headshot_{row.row_id}.png", _png(4, 4, (rng.randrange(256), 90, 160))
        elif kind == 1:
            name = f"signed policy {row.row_id}.txt"
            body = f"Policy summary for {row.first} {row.last}\r\nSigned: yes\r\n".encode()
        else:
            name = f"quote_{row.row_id}.csv"
            body = f"item,amount\r\nHome,{rng.randint(400, 2000)}\r\nAuto,{rng.randint(300, 1500)}\r\n".encode()
        if n != 5:  # one indexed file never made it into the download
            (folder / name).write_bytes(body)
        uploaded = row.created + timedelta(days=rng.randint(1, 600), seconds=rng.randint(0, 86399))
        data.append(
            [
                f"F{800 + n}",
                row.row_id,
                name,
                f"attachments/{name}",
                us_datetime(uploaded),
                str(len(body)),
            ]
        )
    (folder / "unindexed scan.txt").write_bytes(b"Scanned page, no contact recorded\r\n")
    starts = write_csv(
        root / "Attachments.csv",
        ["fileid", "contactid", "filename", "path", "uploaddate", "sizebytes"],
        data,
        newline="\r\n",
        encoding="utf-8-sig",
    )
    for line, values in zip(starts, data, strict=True):
        truth.associate(
            "Attachments.csv",
            line,
            values[0],
            contact=values[1],
            other=values[3],
            status="missing_file" if values[0] == "F805" else "by_id",
        )
    truth.describe(
        "Attachments.csv",
        [
            ("fileid", "attachments", "source_id"),
            ("contactid", "attachments", "personId"),
            ("filename", "attachments", "name"),
            ("path", "attachments", "fullPath"),
            ("uploaddate", "attachments", "createdAt"),
            ("sizebytes", "attachments", "ignore"),
        ],
    )
    return {
        "object": {"files": ["Attachments.csv"], "rows": len(data)},
        "counts": {
            "files_in_folder": len(data),
            "indexed_but_missing": 1,
            "in_folder_not_indexed": 1,
        },
    }


def _inventories(rng: random.Random, root: Path, truth: Truth) -> dict[str, Any]:
    flows = [
        ("New Client Onboarding", "Contact added with tag Client"),
        ("Birthday Greetings", "Birthday is today"),
        ("Renewal Reminder", "Renewal Date in 30 days"),
        ("Seminar Follow-up", "Tag Seminar 2022 added"),
        ("Lapsed Client Win-back", "No activity 180 days"),
        ("Referral Thank You", "Group Referral Partners joined"),
        ("Web Lead Nurture", "Web form submitted"),
    ]
    wf = [
        [
            f"W{n + 1}",
            name,
            "Active" if n < 5 else "Inactive",
            trig,
            rng.choice(["none", "Tag is not Do Not Call", "Email status is Active"]),
            "; ".join(
                rng.sample(
                    [
                        "Send email",
                        "Create task",
                        "Add tag",
                        "Send SMS",
                        "Notify user",
                        "Move to group",
                    ],
                    3,
                )
            ),
            rng.choice(["0 days", "1 day", "3 days; 7 days", "14 days"]),
            str(rng.randint(0, 600)),
        ]
        for n, (name, trig) in enumerate(flows)
    ]
    wf_cols = [
        "workflowid",
        "name",
        "status",
        "trigger",
        "conditions",
        "actions",
        "delays",
        "enrolledcontacts",
    ]
    write_csv(root / "Workflows.csv", wf_cols, wf, newline="\r\n", encoding="utf-8-sig")
    truth.describe("Workflows.csv", [(c, "inventory", "inventory") for c in wf_cols])
    templates = [
        "Welcome aboard",
        "Happy Birthday",
        "Renewal notice",
        "Seminar invitation",
        "Monthly newsletter",
        "Thank you for the referral",
    ]
    for name in templates:
        html = (
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{name}</title></head>\n'
            f"<body><h1>{name}</h1>\n<p>Hi {{{{FirstName}}}},</p>\n<p>Warm regards from the team — "
            f'{{{{UserName}}}}</p>\n<a href="{{{{UnsubscribeLink}}}}">Unsubscribe</a></body></html>\n'
        )
        path = root / "email_templates" / f"{name}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8", newline="\n")
    camp = [
        [
            f"CMP{n + 1}",
            f"{rng.choice(['Spring', 'Summer', 'Fall', 'Winter'])} {rng.choice(['Newsletter', 'Promo', 'Seminar invite'])} {2019 + n % 5}",
            rng.choice(["Sent", "Sent", "Draft", "Scheduled"]),
            f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{2019 + n % 5}",
            rng.choice(["VIP Clients", "All contacts", "Referral Partners", "Book Club"]),
            rng.choice(templates),
            str(s := rng.randint(100, 1200)),
            str(int(s * rng.uniform(0.15, 0.5))),
            str(int(s * rng.uniform(0.01, 0.1))),
        ]
        for n in range(12)
    ]
    camp_cols = [
        "campaignid",
        "name",
        "status",
        "senddate",
        "group",
        "template",
        "sent",
        "opened",
        "clicked",
    ]
    write_csv(root / "Campaigns.csv", camp_cols, camp, newline="\r\n", encoding="utf-8-sig")
    truth.describe("Campaigns.csv", [(c, "inventory", "inventory") for c in camp_cols])
    return {
        "workflows": {"files": ["Workflows.csv"], "rows": len(wf), "inventory": True},
        "email_templates": {
            "files": [f"email_templates/{t}.html" for t in templates],
            "rows": len(templates),
            "inventory": True,
        },
        "campaigns": {"files": ["Campaigns.csv"], "rows": len(camp), "inventory": True},
    }
