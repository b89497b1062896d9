"""Kartra's files beside contacts: transactions, subscriptions, bookings, affiliates, sequences."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import (
    NON_MEMBER_OWNERS,
    WORKSPACE_MEMBERS,
    Truth,
    member_email_as_written,
    write_csv,
    write_json,
)
from workbench.samples.contacts import ContactRow

NA = "N/A"
PRODUCTS = [
    ("201", "Signature Coaching Program", "997.00"),
    ("202", "Lead Magnet Masterclass", "47.00"),
    ("203", "Funnel Blueprint Course", "297.00"),
    ("204", "VIP Day Intensive", "2500.00"),
    ("205", "Inner Circle Membership", "49.00"),
    ("206", "Done-For-You Templates", "127.00"),
]
RECURRING = [
    ("205", "Inner Circle Membership", "49.00", "monthly"),
    ("207", "Academy Annual Pass", "490.00", "yearly"),
    ("208", "Mastermind Monthly", "199.00", "monthly"),
]
CALENDARS = ["Discovery Call", "Strategy Session", "Onboarding Call", "VIP Day Booking"]
FMT = "%Y-%m-%d %H:%M:%S"


def write_activity_files(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    """Write the non-contact files; return their discovery entries."""
    firsts = [r for r in rows if not r.dup_kind]
    objects = {
        "transactions": _transactions(rng, root, firsts, truth),
        "subscriptions": _subscriptions(rng, root, firsts, truth),
    }
    bookings, owners = _bookings(rng, root, firsts, truth)
    objects["calendar_bookings"] = bookings
    objects["affiliates"] = _affiliates(rng, root, firsts, truth)
    objects["sequences"] = _sequences(rng, root)
    return {"objects": objects, "owners": owners}


def _buyer(
    rng: random.Random, rows: list[ContactRow], status_roll: float
) -> tuple[str, str, str, str, str]:
    """(lead_id, email, first, last, truth status) for a transaction-like row."""
    row = rng.choice(rows)
    if status_roll < 0.02:  # the lead was deleted before the export
        return (
            str(rng.randint(900000, 999999)),
            f"deleted.lead{rng.randint(1, 999)}@example.com",
            "Former",
            "Lead",
            "unresolvable",
        )
    if status_roll < 0.04 and row.email and "invalid_email" not in row.flags:
        return NA, row.email.strip().lower(), row.first, row.last, "by_email"
    return row.row_id, row.email or NA, row.first, row.last, "by_id"


TRANSACTION_COLS = [
    ("transaction_id", "source_id"),
    ("transaction_date", "createdAt"),
    ("transaction_type", "custom:transactionType"),
    ("transaction_full_amount", "amount.amountMicros"),
    ("currency", "amount.currencyCode"),
    ("transaction_parent_id", "custom:parentTransactionId"),
    ("lead_id", "pointOfContactId"),
    ("lead_email", "ignore"),
    ("first_name", "ignore"),
    ("last_name", "ignore"),
    ("product_id", "custom:productId"),
    ("product_name", "name"),
    ("payment_method", "custom:paymentMethod"),
]


def _write_lead_rows(
    root: Path,
    truth: Truth,
    file: str,
    header: list[str],
    data: list[list[str]],
    statuses: list[str],
    *,
    other_column: str = "",
) -> None:
    """Write a file whose rows point at a lead and record the lead each row belongs to
    (none when the lead was deleted before the export)."""
    starts = write_csv(root / file, header, data, newline="\r\n")
    lead_at = header.index("lead_id")
    for line, row, status in zip(starts, data, statuses, strict=True):
        truth.associate(
            file,
            line,
            row[0],
            contact=row[lead_at] if status != "unresolvable" else "",
            other=row[header.index(other_column)].lower() if other_column else "",
            status=status,
        )


def _transactions(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    header = [h for h, _ in TRANSACTION_COLS]
    data: list[list[str]] = []
    targets: list[tuple[str, str]] = []
    tid = 70000
    for _ in range(720):
        lead, email, first, last, status = _buyer(rng, rows, rng.random())
        pid, pname, amount = rng.choice(PRODUCTS)
        owner_row = next((r for r in rows if r.row_id == lead), None)
        when = (owner_row.created if owner_row else rows[0].created) + timedelta(
            days=rng.randint(0, 400), seconds=rng.randint(0, 86399)
        )
        tid += rng.randint(1, 9)
        currency = "USD" if rng.random() < 0.9 else "EUR"
        method = rng.choice(["Stripe", "PayPal", "Authorize.net", "Stripe"])
        buyer = [lead, email, first, last, pid, pname, method]
        data.append([str(tid), when.strftime(FMT), "sale", amount, currency, NA, *buyer])
        targets.append((lead, status))
        if rng.random() < 0.08:
            kind = rng.choice(["refund", "partial_refund"])
            refund = (
                amount if kind == "refund" else f"{float(amount) * rng.choice([0.25, 0.5]):.2f}"
            )
            tid += 1
            refunded_at = when + timedelta(days=rng.randint(1, 30))
            data.append(
                [str(tid), refunded_at.strftime(FMT), kind, refund, currency, data[-1][0], *buyer]
            )
            targets.append((lead, status))
    order = sorted(range(len(data)), key=lambda i: data[i][1])
    data = [data[i] for i in order]
    targets = [targets[i] for i in order]
    _write_lead_rows(root, truth, "transactions.csv", header, data, [s for _, s in targets])
    truth.describe_object("transactions.csv", "opportunities", TRANSACTION_COLS)
    types = [r[2] for r in data]
    return {
        "files": ["transactions.csv"],
        "rows": len(data),
        "by_type": {t: types.count(t) for t in ("sale", "refund", "partial_refund")},
        "unresolvable": sum(1 for _, s in targets if s == "unresolvable"),
        "resolved_by_email_only": sum(1 for _, s in targets if s == "by_email"),
    }


SUBSCRIPTION_COLS = [
    ("transaction_subscription_id", "source_id"),
    ("lead_id", "pointOfContactId"),
    ("lead_email", "ignore"),
    ("product_id", "custom:productId"),
    ("product_name", "name"),
    ("subscription_status", "stage"),
    ("start_date", "createdAt"),
    ("cancelled_date", "custom:cancelledDate"),
    ("next_payment_date", "closeDate"),
    ("payments_left", "custom:paymentsLeft"),
    ("recurring_amount", "amount.amountMicros"),
    ("frequency", "custom:billingFrequency"),
]


def _subscriptions(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    header = [h for h, _ in SUBSCRIPTION_COLS]
    data: list[list[str]] = []
    statuses: list[str] = []
    for n in range(240):
        lead, email, _, _, status = _buyer(rng, rows, rng.random())
        pid, pname, amount, freq = rng.choice(RECURRING)
        start = rows[0].created + timedelta(days=rng.randint(200, 2700))
        sub_status = rng.choices(["active", "cancelled", "paused"], [6, 3, 1])[0]
        cancelled = (
            (start + timedelta(days=rng.randint(30, 400))).strftime(FMT)
            if sub_status == "cancelled"
            else NA
        )
        nxt = (
            (start + timedelta(days=30 * rng.randint(1, 24))).strftime(FMT)
            if sub_status == "active"
            else NA
        )
        data.append(
            [
                f"S{30000 + n * 7}",
                lead,
                email,
                pid,
                pname,
                sub_status,
                start.strftime(FMT),
                cancelled,
                nxt,
                rng.choice([NA, "0", "3", "6", "11"]),
                amount,
                freq,
            ]
        )
        statuses.append(status)
    _write_lead_rows(root, truth, "subscriptions.csv", header, data, statuses)
    truth.describe_object("subscriptions.csv", "opportunities", SUBSCRIPTION_COLS)
    by = [r[5] for r in data]
    return {
        "files": ["subscriptions.csv"],
        "rows": len(data),
        "by_status": {s: by.count(s) for s in ("active", "cancelled", "paused")},
        "unresolvable": statuses.count("unresolvable"),
    }


BOOKING_COLS = [
    ("booking_id", "source_id"),
    ("calendar_name", "title"),
    ("lead_id", "taskTargets.personId"),
    ("lead_email", "ignore"),
    ("lead_name", "ignore"),
    ("booking_start", "dueAt"),
    ("booking_end", "custom:bookingEnd"),
    ("timezone", "custom:timezone"),
    ("booking_status", "status"),
    ("host_email", "assigneeId"),
    ("booking_notes", "bodyV2"),
]


def _bookings(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> tuple[dict[str, Any], dict[str, Any]]:
    header = [h for h, _ in BOOKING_COLS]
    data: list[list[str]] = []
    statuses: list[str] = []
    for n in range(300):
        lead, email, first, last, status = _buyer(rng, rows, rng.random())
        start = rows[0].created + timedelta(days=rng.randint(100, 2750), hours=rng.randint(0, 9))
        start = start.replace(minute=rng.choice([0, 15, 30, 45]), second=0)
        host = (
            rng.choice(NON_MEMBER_OWNERS)
            if rng.random() < 0.08
            else member_email_as_written(rng, rng.choice(WORKSPACE_MEMBERS)[2])
        )
        data.append(
            [
                f"B{4000 + n}",
                rng.choice(CALENDARS),
                lead,
                email,
                f"{first} {last}",
                start.strftime(FMT),
                (start + timedelta(minutes=rng.choice([30, 45, 60]))).strftime(FMT),
                "America/New_York",
                rng.choice(["booked", "completed", "completed", "cancelled", "no_show"]),
                host,
                rng.choice([NA, NA, "Wants help with launch", "Rescheduled once"]),
            ]
        )
        statuses.append(status)
    _write_lead_rows(
        root, truth, "calendar_bookings.csv", header, data, statuses, other_column="host_email"
    )
    truth.describe_object("calendar_bookings.csv", "tasks", BOOKING_COLS)
    hosts = [r[9].lower() for r in data]
    members = [e for _, _, e in WORKSPACE_MEMBERS]
    outside = sorted({h for h in hosts if h not in members})
    owners = {
        "columns": ["calendar_bookings.host_email"],
        "not_in_workspace": outside,
        "rows_owned_by_non_members": sum(1 for h in hosts if h in outside),
    }
    return {
        "files": ["calendar_bookings.csv"],
        "rows": len(data),
        "unresolvable": statuses.count("unresolvable"),
    }, owners


AFFILIATE_COLS = [
    ("affiliate_id", "source_id"),
    ("lead_id", "personId"),
    ("email", "ignore"),
    ("first_name", "name"),
    ("last_name", "name"),
    ("joined_date", "createdAt"),
    ("commission_rate", "custom:commissionRate"),
    ("affiliate_status", "custom:affiliateStatus"),
    ("referrals", "custom:referrals"),
    ("payout_method", "custom:payoutMethod"),
]


def _affiliates(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    header = [h for h, _ in AFFILIATE_COLS]
    chosen = rng.sample([r for r in rows if r.email and not r.flags], 40)
    data = [
        [
            f"A{700 + n}",
            r.row_id,
            r.email,
            r.first,
            r.last,
            (r.created + timedelta(days=rng.randint(5, 300))).strftime(FMT),
            rng.choice(["30%", "40%", "50%", "25%"]),
            rng.choice(["approved", "approved", "pending", "suspended"]),
            str(rng.randint(0, 60)),
            rng.choice(["PayPal", "Bank transfer", NA]),
        ]
        for n, r in enumerate(chosen)
    ]
    starts = write_csv(root / "affiliates.csv", header, data, newline="\r\n")
    for line, row in zip(starts, data, strict=True):
        truth.associate("affiliates.csv", line, row[0], contact=row[1], status="by_id")
    truth.describe_object("affiliates.csv", "affiliates", AFFILIATE_COLS)
    return {"files": ["affiliates.csv"], "rows": len(data)}


def _sequences(rng: random.Random, root: Path) -> dict[str, Any]:
    """Sequence definitions as written down during scoping: Kartra cannot export them."""
    names = [
        "Free Guide Nurture",
        "Webinar Reminder",
        "Post-Purchase Onboarding",
        "Cart Abandonment",
        "Membership Welcome",
        "Re-engagement",
        "Affiliate Launch Kit",
        "Black Friday 2023",
    ]
    triggers = [
        ("tag_applied", "lead-magnet"),
        ("webinar_registered", "webinar_registered_2023"),
        ("product_purchased", "Signature Coaching Program"),
        ("checkout_abandoned", "Funnel Blueprint Course"),
        ("membership_granted", "Academy"),
        ("inactive_days", "90"),
        ("list_subscribed", "Affiliates"),
        ("list_subscribed", "Newsletter"),
    ]
    sequences = []
    for n, name in enumerate(names):
        steps = []
        for s in range(rng.randint(3, 9)):
            step: dict[str, Any] = {
                "step": s + 1,
                "delay": f"{rng.choice([0, 1, 2, 3, 7])} days",
                "action": rng.choice(
                    [
                        "send_email",
                        "send_email",
                        "send_sms",
                        "apply_tag",
                        "subscribe_to_list",
                        "wait_until",
                    ]
                ),
            }
            if step["action"] == "send_email":
                step["subject"] = rng.choice(
                    ["Your guide is here", "Quick question", "Last chance", "Welcome aboard"]
                )
            if rng.random() < 0.3:
                step["condition"] = rng.choice(
                    [
                        "opened previous email",
                        "has tag customer",
                        "not purchased Funnel Blueprint Course",
                    ]
                )
            steps.append(step)
        kind, value = triggers[n]
        sequences.append(
            {
                "sequence_id": f"SEQ{n + 1:02d}",
                "name": name,
                "status": "active" if n < 6 else "inactive",
                "trigger": {"type": kind, "value": value},
                "enrolled_contacts": rng.randint(20, 900),
                "steps": steps,
            }
        )
    write_json(root / "sequences.json", sequences)
    return {
        "files": ["sequences.json"],
        "rows": len(sequences),
        "inventory": True,
        "active": sum(1 for s in sequences if s["status"] == "active"),
    }
