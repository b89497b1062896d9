"""Smart CRM Online files that hang off contacts and companies: deals, stages, activities,
notes, owners."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Company,
    Truth,
    fmt_mixed_date,
    member_email_as_written,
    norm_name,
    write_csv,
)
from workbench.samples.contacts import ContactRow

# (order, name as the account wrote it, probability, suggested Twenty option value)
STAGES = [
    (1, "1-Prospecting", "10", "PROSPECTING"),
    (2, "Qualifying (BANT)", "20", "QUALIFYING"),
    (3, "Demo / Meeting", "40", "MEETING"),
    (4, "Proposal Sent!!", "60", "PROPOSAL"),
    (5, "Negotiation/Review", "75", "NEGOTIATION"),
    (6, "Verbal Yes", "90", "VERBAL_YES"),
    (7, "Closed Won", "100", "CLOSED_WON"),
    (8, "Closed - Lost", "0", "CLOSED_LOST"),
    (9, "On Hold", "", "ON_HOLD"),
]
UNLISTED_STAGE = ("Legacy - Won 2019", "LEGACY_WON_2019")
FMT = "%Y-%m-%d %H:%M"


def _owner(rng: random.Random) -> str:
    if rng.random() < 0.07:
        return rng.choice(NON_MEMBER_OWNERS)
    return member_email_as_written(rng, rng.choice(WORKSPACE_MEMBERS)[2])


def write_deal_files(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    records: list[tuple[str, Company, str]],
    first_record: dict[str, str],
    truth: Truth,
) -> dict[str, Any]:
    by_name: dict[str, list[ContactRow]] = {}
    for r in rows:
        by_name.setdefault(norm_name(r.first, r.last), []).append(r)
    stages = _stages(root, truth)
    deals, deal_info = _deals(rng, root, rows, records, first_record, by_name, truth)
    activities = _activities(rng, root, rows, deals, truth)
    notes = _notes(rng, root, rows, deals, truth)
    owners = _owners(root, truth)
    seen = [o.lower() for o in _read_owner_columns(root)]
    members = [e for _, _, e in WORKSPACE_MEMBERS]
    outside = sorted({o for o in seen if o and o not in members})
    return {
        "objects": {
            "deals": deal_info,
            "pipeline_stages": stages,
            "activities": activities,
            "notes": notes,
            "owners": owners,
        },
        "deals": {k: v for k, v in deal_info.items() if k not in ("files", "rows")},
        "stages": {"listed": len(STAGES), "used_but_unlisted": [UNLISTED_STAGE[0]]},
        "owners": {
            "not_in_workspace": outside,
            "rows_owned_by_non_members": sum(1 for o in seen if o in outside),
        },
    }


PIPELINE_STAGES_COLS = [
    ("Stage Order", "stage.position"),
    ("Stage Name", "stage.label"),
    ("Probability (%)", "custom:probability"),
    ("Pipeline", "custom:pipeline"),
]


def _stages(root: Path, truth: Truth) -> dict[str, Any]:
    header = [h for h, _ in PIPELINE_STAGES_COLS]
    write_csv(
        root / "Pipeline_Stages.csv", header, [[str(o), n, p, "Sales"] for o, n, p, _ in STAGES]
    )
    truth.describe_object("Pipeline_Stages.csv", "opportunities", PIPELINE_STAGES_COLS)
    renames = [[n, v] for _, n, _, v in STAGES] + [list(UNLISTED_STAGE)]
    write_csv(root / "truth" / "stage_renames.csv", ["source_stage", "twenty_stage"], renames)
    return {"files": ["Pipeline_Stages.csv"], "rows": len(STAGES)}


DEALS_COLS = [
    ("Deal ID", "source_id"),
    ("Deal Name", "name"),
    ("Company ID", "companyId"),
    ("Contact Name", "pointOfContactId"),
    ("Amount", "amount.amountMicros"),
    ("Currency", "amount.currencyCode"),
    ("Stage", "stage"),
    ("Close Date", "closeDate"),
    ("Owner", "ownerId"),
    ("Created Date", "createdAt"),
    ("Lost Reason", "custom:lostReason"),
    ("Deal Source", "custom:dealSource"),
    ("Contract Length (months)", "custom:contractLengthMonths"),
]


def _deals(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    records: list[tuple[str, Company, str]],
    first_record: dict[str, str],
    by_name: dict[str, list[ContactRow]],
    truth: Truth,
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    header = [h for h, _ in DEALS_COLS]
    data, refs = [], []
    with_company = [r for r in rows if r.company and not r.dup_kind]
    for n in range(520):
        row = rng.choice(with_company)
        roll = rng.random()
        comp_id, contact_name = "", ""
        company, contact, status = first_record[row.company.company_id], row.row_id, "by_company_id"
        if roll < 0.6:
            comp_id = company
            contact_name = f"{row.first} {row.last}" if rng.random() < 0.3 else ""
            contact = contact if contact_name else ""
        elif roll < 0.93:
            contact_name = (
                f"{row.first} {row.last}" if rng.random() < 0.8 else f"{row.last}, {row.first}"
            )
            hits = by_name.get(norm_name(row.first, row.last), [])
            status = "by_contact_name" if len(hits) == 1 else "ambiguous"
        else:
            contact_name = rng.choice(["Mystery Buyer", "Unknown Contact", "Greg from expo"])
            company, contact, status = "", "", "unresolvable"
        stage = rng.choices(
            [s[1] for s in STAGES] + [UNLISTED_STAGE[0]], [8, 7, 6, 6, 5, 3, 12, 9, 3, 2]
        )[0]
        created = row.created + timedelta(days=rng.randint(1, 500))
        close = created + timedelta(days=rng.randint(10, 200))
        deal_id = f"DL-{2001 + n}"
        data.append(
            [
                deal_id,
                f"{row.company.name} - {rng.choice(['Annual license', 'Pilot', 'Renewal', 'Expansion'])}",
                comp_id,
                contact_name,
                rng.choice([f"{rng.randint(1, 250) * 100}", f"{rng.randint(1, 250)},500.00"]),
                rng.choice(["USD", "USD", "EUR", "GBP"]),
                stage,
                fmt_mixed_date(rng, close)[0],
                _owner(rng),
                created.strftime(FMT),
                "Price" if stage == "Closed - Lost" and rng.random() < 0.6 else "",
                rng.choice(["", "Inbound", "Outbound", "Partner"]),
                rng.choice(["", "12", "24", "36"]),
            ]
        )
        refs.append((company, contact, status))
    starts = write_csv(root / "Deals.csv", header, data)
    for line, values, (company, contact, status) in zip(starts, data, refs, strict=True):
        truth.associate(
            "Deals.csv", line, values[0], company=company, contact=contact, status=status
        )
    truth.describe_object("Deals.csv", "opportunities", DEALS_COLS)
    counts = Counter(s for _, _, s in refs)
    from workbench.samples.common import is_ambiguous_date

    info = {
        "files": ["Deals.csv"],
        "rows": len(data),
        "resolution": dict(sorted(counts.items())),
        "ambiguous_close_dates": sum(1 for d in data if is_ambiguous_date(d[7])),
        "unlisted_stage_rows": sum(1 for d in data if d[6] == UNLISTED_STAGE[0]),
    }
    return [(d[0], r[1]) for d, r in zip(data, refs, strict=True)], info


ACTIVITIES_COLS = [
    ("Activity ID", "source_id"),
    ("Type", "custom:activityType"),
    ("Subject", "title"),
    ("Related To", "ignore"),
    ("Related ID", "taskTargets"),
    ("Activity Date", "dueAt"),
    ("Duration (min)", "custom:durationMinutes"),
    ("Disposition", "custom:disposition"),
    ("Direction", "custom:direction"),
    ("Start", "custom:startsAt"),
    ("End", "custom:endsAt"),
    ("Location", "custom:location"),
    ("Attendees", "bodyV2"),
    ("Owner", "assigneeId"),
    ("Description", "bodyV2"),
]


def _activities(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    deals: list[tuple[str, str]],
    truth: Truth,
) -> dict[str, Any]:
    header = [h for h, _ in ACTIVITIES_COLS]
    data, refs = [], []
    for n in range(1500):
        kind = rng.choices(["Call", "Email", "Meeting"], [5, 4, 2])[0]
        on_deal = rng.random() < 0.3
        if on_deal:
            deal_id, _ = rng.choice(deals)
            related, rel_id, ref = "Deal", deal_id, ("", deal_id)
        else:
            row = rng.choice(rows)
            related, rel_id, ref = "Contact", row.row_id, (row.row_id, "")
        status = "by_id"
        if rng.random() < 0.03:
            rel_id, ref, status = f"CON-{rng.randint(90000, 99999)}", ("", ""), "unresolvable"
            related = "Contact"
        when = rows[0].created + timedelta(days=rng.randint(30, 3000), minutes=rng.randint(0, 1400))
        base = [
            f"ACT-{50001 + n}",
            kind,
            "",
            related,
            rel_id,
            when.strftime(FMT),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            _owner(rng),
            "",
        ]
        if kind == "Call":
            base[2] = rng.choice(["Intro call", "Follow-up", "Check-in", "Pricing question"])
            base[6] = str(rng.choice([0, 1, 3, 5, 12, 25, 40]))
            base[7] = rng.choice(["Connected", "Left voicemail", "No answer", "Wrong number"])
            base[8] = rng.choice(["Outbound", "Outbound", "Inbound"])
        elif kind == "Email":
            base[2] = rng.choice(
                ["Re: proposal", "Quick question", "Invoice attached", "Meeting recap"]
            )
            base[8] = rng.choice(["Sent", "Received"])
            base[14] = rng.choice(
                ["Hi, following up on our call.", "Thanks — see attached.\nBest, Alex", ""]
            )
        else:
            start = when.replace(minute=rng.choice([0, 30]))
            base[2] = rng.choice(["Demo", "Quarterly review", "Kick-off", "Site visit"])
            base[9], base[10] = (
                start.strftime(FMT),
                (start + timedelta(minutes=rng.choice([30, 60, 90]))).strftime(FMT),
            )
            base[11] = rng.choice(["Zoom", "Client office", "Our office, room 2", "Café Müller"])
            base[12] = "; ".join(
                rng.sample(
                    ["Alex Morgan", "Jordan Blake", "client CFO", "client CTO", "Sam Fischer"], 2
                )
            )
        data.append(base)
        refs.append((ref, status))
    starts = write_csv(root / "Activities.csv", header, data)
    for line, values, ((contact, deal), status) in zip(starts, data, refs, strict=True):
        truth.associate(
            "Activities.csv", line, values[0], contact=contact, other=deal, status=status
        )
    truth.describe_object("Activities.csv", "tasks", ACTIVITIES_COLS)
    types = Counter(d[1] for d in data)
    return {
        "files": ["Activities.csv"],
        "rows": len(data),
        "by_type": dict(sorted(types.items())),
        "unresolvable": sum(1 for _, s in refs if s == "unresolvable"),
    }


NOTES_COLS = [
    ("Note ID", "source_id"),
    ("Related To", "ignore"),
    ("Related ID", "noteTargets"),
    ("Author Email", "createdBy"),
    ("Created", "createdAt"),
    ("Body", "bodyV2"),
]


def _notes(
    rng: random.Random,
    root: Path,
    rows: list[ContactRow],
    deals: list[tuple[str, str]],
    truth: Truth,
) -> dict[str, Any]:
    header = [h for h, _ in NOTES_COLS]
    data, refs = [], []
    for n in range(700):
        if rng.random() < 0.25:
            deal_id, _ = rng.choice(deals)
            related, rel_id, ref = "Deal", deal_id, ("", deal_id)
        else:
            row = rng.choice(rows)
            related, rel_id, ref = "Contact", row.row_id, (row.row_id, "")
        when = rows[0].created + timedelta(days=rng.randint(30, 3000), minutes=rng.randint(0, 1400))
        data.append(
            [
                f"NT-{7001 + n}",
                related,
                rel_id,
                _owner(rng),
                fmt_mixed_date(rng, when)[0],
                rng.choice(
                    [
                        "Budget approved for Q3.",
                        "Wants a discount; escalate.",
                        "Champion left the company.\nFind a new sponsor.",
                        "Sent contract v2.",
                    ]
                ),
            ]
        )
        refs.append(ref)
    starts = write_csv(root / "Notes.csv", header, data)
    for line, values, (contact, deal) in zip(starts, data, refs, strict=True):
        truth.associate("Notes.csv", line, values[0], contact=contact, other=deal, status="by_id")
    truth.describe_object("Notes.csv", "notes", NOTES_COLS)
    return {"files": ["Notes.csv"], "rows": len(data)}


OWNERS_COLS = [
    ("Owner ID", "source_id"),
    ("Name", "name"),
    ("Email", "userEmail"),
    ("Active", "ignore"),
]


def _owners(root: Path, truth: Truth) -> dict[str, Any]:
    data = [
        [f"OWN-{n + 1}", f"{f} {last}", e, "Yes"]
        for n, (f, last, e) in enumerate(WORKSPACE_MEMBERS)
    ]
    data += [
        [f"OWN-{len(data) + k + 1}", e.split("@")[0].replace(".", " ").title(), e, "No"]
        for k, e in enumerate(NON_MEMBER_OWNERS)
    ]
    header = [h for h, _ in OWNERS_COLS]
    write_csv(root / "Owners.csv", header, data)
    truth.describe_object("Owners.csv", "workspaceMembers", OWNERS_COLS)
    return {"files": ["Owners.csv"], "rows": len(data)}


def _read_owner_columns(root: Path) -> list[str]:
    """Every owner email as written in the files just produced."""
    import csv

    found: list[str] = []
    for name, column in (
        ("Companies.csv", "Owner"),
        ("Contacts.csv", "Owner"),
        ("Deals.csv", "Owner"),
        ("Activities.csv", "Owner"),
        ("Notes.csv", "Author Email"),
    ):
        with (root / name).open(encoding="utf-8", newline="") as fh:
            found += [r[column] for r in csv.DictReader(fh)]
    return found
