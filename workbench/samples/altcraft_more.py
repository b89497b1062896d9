"""Altcraft files beside profiles: events, products, orders, campaigns, templates, channels,
dynamic segments and forms."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from workbench.samples.common import Truth, write_csv, write_json
from workbench.samples.contacts import ContactRow

FMT = "%Y-%m-%dT%H:%M:%SZ"
EVENT_TYPES = ["page_view", "email_open", "link_click", "purchase", "app_open", "cart_add"]
SECRET_COLUMNS = ["api_key", "access_token", "smtp_password"]


def write_catalog_files(
    rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth
) -> dict[str, Any]:
    events = _events(rng, root, rows, truth)
    products = _products(rng, root, truth)
    orders = _orders(rng, root, rows, products, truth)
    inventories = _inventories(rng, root, truth)
    return {
        "objects": {
            "events": events["object"],
            "products": {"files": ["products.csv"], "rows": len(products)},
            "orders": orders["object"],
            **inventories["objects"],
        },
        "events": events["counts"],
        "orders": orders["counts"],
        "channels": inventories["channels"],
    }


def _events(rng: random.Random, root: Path, rows: list[ContactRow], truth: Truth) -> dict[str, Any]:
    data, statuses = [], []
    for n in range(4200):
        row = rng.choice(rows)
        pid, status = row.row_id, "by_id"
        if rng.random() < 0.02:
            pid, status = f"9{rng.randint(900000, 999999)}", "unresolvable"
        kind = rng.choice(EVENT_TYPES)
        when = row.created + timedelta(days=rng.randint(0, 600), seconds=rng.randint(0, 86399))
        props: dict[str, Any] = {}
        if kind == "page_view":
            props = {"url": rng.choice(["/", "/sale", "/product/42", "/blog/tips"])}
        elif kind in ("email_open", "link_click"):
            props = {"campaign_id": f"cmp{rng.randint(1, 24)}"}
        elif kind in ("purchase", "cart_add"):
            props = {"sku": f"SKU-{rng.randint(1, 60):03d}", "value": rng.randint(5, 400)}
        data.append(
            [
                f"ev{100000 + n}",
                pid,
                kind,
                when.strftime(FMT),
                json.dumps(props, ensure_ascii=False, sort_keys=True) if props else "",
            ]
        )
        statuses.append(status)
    starts = write_csv(
        root / "events.csv",
        ["event_id", "profile_id", "event_type", "event_date", "properties"],
        data,
    )
    for line, values, status in zip(starts, data, statuses, strict=True):
        truth.associate(
            "events.csv",
            line,
            values[0],
            contact=values[1] if status == "by_id" else "",
            status=status,
        )
    truth.describe(
        "events.csv",
        [
            ("event_id", "behaviorEvents", "source_id"),
            ("profile_id", "behaviorEvents", "personId"),
            ("event_type", "behaviorEvents", "custom:eventType"),
            ("event_date", "behaviorEvents", "custom:eventDate"),
            ("properties", "behaviorEvents", "custom:eventProperties"),
        ],
    )
    return {
        "object": {"files": ["events.csv"], "rows": len(data)},
        "counts": {
            "by_type": dict(sorted(Counter(d[2] for d in data).items())),
            "unknown_profile": statuses.count("unresolvable"),
        },
    }


PRODUCTS_COLS = [
    ("product_id", "source_id"),
    ("sku", "custom:sku"),
    ("name", "name"),
    ("price", "custom:price.amountMicros"),
    ("currency", "custom:price.currencyCode"),
    ("category", "custom:category"),
    ("description", "custom:description"),
]


def _products(rng: random.Random, root: Path, truth: Truth) -> list[list[str]]:
    cats = ["shoes", "electronics", "books", "home"]
    data = [
        [
            f"p{n + 1}",
            f"SKU-{n + 1:03d}",
            f"{rng.choice(['Classic', 'Pro', 'Mini', 'Eco'])} {rng.choice(['Sneaker', 'Lamp', 'Novel', 'Headphones', 'Mug'])} {n + 1}",
            f"{rng.randint(5, 400)}.{rng.choice(['00', '99', '50'])}",
            rng.choice(["USD", "EUR", "RUB"]),
            rng.choice(cats),
            rng.choice(["", "Best seller", "Limited edition; ships in 2 weeks"]),
        ]
        for n in range(60)
    ]
    header = [h for h, _ in PRODUCTS_COLS]
    write_csv(root / "products.csv", header, data)
    truth.describe_object("products.csv", "products", PRODUCTS_COLS)
    return data


ORDERS_COLS = [
    ("order_id", "source_id"),
    ("profile_id", "personId"),
    ("product_id", "productId"),
    ("order_date", "custom:orderDate"),
    ("quantity", "custom:quantity"),
    ("total_amount", "custom:totalAmount.amountMicros"),
    ("currency", "custom:totalAmount.currencyCode"),
    ("status", "custom:status"),
]


def _orders(
    rng: random.Random, root: Path, rows: list[ContactRow], products: list[list[str]], truth: Truth
) -> dict[str, Any]:
    data, refs = [], []
    for n in range(900):
        row = rng.choice(rows)
        product = rng.choice(products)
        pid, prod, status = row.row_id, product[0], "by_id"
        roll = rng.random()
        if roll < 0.02:
            pid, status = f"9{rng.randint(900000, 999999)}", "unresolvable"
        elif roll < 0.04:
            prod, status = f"p{rng.randint(900, 999)}", "unresolvable"
        qty = rng.choice([1, 1, 1, 2, 3])
        when = row.created + timedelta(days=rng.randint(1, 700), seconds=rng.randint(0, 86399))
        data.append(
            [
                f"ord-{200000 + n * 3}",
                pid,
                prod,
                when.strftime(FMT),
                str(qty),
                f"{float(product[3]) * qty:.2f}",
                product[4],
                rng.choice(["paid", "paid", "shipped", "cancelled", "refunded"]),
            ]
        )
        refs.append((pid if pid == row.row_id else "", prod if prod == product[0] else "", status))
    header = [h for h, _ in ORDERS_COLS]
    starts = write_csv(root / "orders.csv", header, data)
    for line, values, (contact, prod, status) in zip(starts, data, refs, strict=True):
        truth.associate("orders.csv", line, values[0], contact=contact, other=prod, status=status)
    truth.describe_object("orders.csv", "orders", ORDERS_COLS)
    return {
        "object": {"files": ["orders.csv"], "rows": len(data)},
        "counts": {
            "unresolvable": sum(1 for r in refs if r[2] == "unresolvable"),
            "unknown_profile": sum(1 for r in refs if not r[0]),
            "unknown_product": sum(1 for r in refs if not r[1]),
        },
    }


def _inventories(rng: random.Random, root: Path, truth: Truth) -> dict[str, Any]:
    camp_cols = [
        "campaign_id",
        "name",
        "channel",
        "status",
        "sent_at",
        "segment",
        "sent",
        "delivered",
        "opened",
        "clicked",
        "unsubscribed",
    ]
    camps = []
    for n in range(24):
        sent = rng.randint(200, 9000)
        camps.append(
            [
                f"cmp{n + 1}",
                f"{rng.choice(['Spring', 'Summer', 'Autumn', 'Winter'])} {rng.choice(['sale', 'digest', 'launch'])} #{n + 1}",
                rng.choice(["email", "email", "sms", "push"]),
                rng.choice(["sent", "sent", "draft"]),
                f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
                rng.choice(["VIP buyers", "Newsletter EN", "All"]),
                str(sent),
                str(int(sent * 0.97)),
                str(int(sent * rng.uniform(0.1, 0.4))),
                str(int(sent * rng.uniform(0.01, 0.08))),
                str(rng.randint(0, 40)),
            ]
        )
    write_csv(root / "campaigns.csv", camp_cols, camps)
    truth.describe(
        "campaigns.csv",
        [
            ("campaign_id", "opportunities", "source_id"),
            ("name", "opportunities", "name"),
            ("channel", "opportunities", "custom:channel"),
            ("status", "opportunities", "stage"),
            ("sent_at", "opportunities", "closeDate"),
            ("segment", "opportunities", "custom:segment"),
            ("sent", "opportunities", "custom:sendCount"),
            ("delivered", "opportunities", "custom:deliveredCount"),
            ("opened", "opportunities", "custom:openCount"),
            ("clicked", "opportunities", "custom:clickCount"),
            ("unsubscribed", "opportunities", "custom:unsubscribeCount"),
        ],
    )
    tpl_cols = ["template_id", "name", "channel", "subject", "body", "variant", "language"]
    tpls = [
        [
            f"tpl{n + 1}",
            f"Template {n // 2 + 1}",
            rng.choice(["email", "sms", "push"]),
            rng.choice(["Your weekly picks", "Sale ends tonight", "Welcome, {{_fname}}!"]),
            f"<p>Hello {{{{_fname}}}},</p>\n<p>{rng.choice(['New arrivals', 'Last chance', 'Thanks for joining'])}</p>",
            "A" if n % 2 == 0 else "B",
            rng.choice(["en", "ru"]),
        ]
        for n in range(16)
    ]
    write_csv(root / "message_templates.csv", tpl_cols, tpls)
    truth.describe("message_templates.csv", [(c, "inventory", "inventory") for c in tpl_cols])
    ch_cols = ["channel_id", "type", "name", "sender", "provider", *SECRET_COLUMNS, "status"]
    chans = [
        [
            f"ch{n + 1}",
            kind,
            name,
            sender,
            provider,
            f"example-api-key-{n + 1:04d}",
            f"example-token-{n + 1:04d}" if kind != "email" else "",
            "example-password" if kind == "email" else "",
            "active",
        ]
        for n, (kind, name, sender, provider) in enumerate(
            [
                ("email", "Main newsletter", "news@shop.example", "Altcraft MTA"),
                ("email", "Transactional", "orders@shop.example", "SMTP relay"),
                ("sms", "SMS RU", "SHOP", "SMS gateway"),
                ("push", "Mobile app", "ShopApp", "FCM"),
                ("telegram", "Telegram bot", "@shop_bot", "Telegram"),
                ("whatsapp", "WhatsApp", "+10000000000", "WABA"),
            ]
        )
    ]
    write_csv(root / "channels.csv", ch_cols, chans)
    truth.describe(
        "channels.csv",
        [(c, "inventory", "secret" if c in SECRET_COLUMNS else "inventory") for c in ch_cols],
    )
    segments = [
        {"segment_id": f"dseg{n + 1}", "name": name, "rules": rules}
        for n, (name, rules) in enumerate(
            [
                (
                    "Active last 30 days",
                    {
                        "operator": "AND",
                        "conditions": [
                            {"field": "last_activity", "op": "within_days", "value": 30}
                        ],
                    },
                ),
                (
                    "Email engaged",
                    {
                        "operator": "AND",
                        "conditions": [
                            {"field": "sub_email", "op": "eq", "value": "subscribed"},
                            {"field": "event_count:email_open", "op": "gt", "value": 5},
                        ],
                    },
                ),
                (
                    "High spenders",
                    {
                        "operator": "OR",
                        "conditions": [
                            {"field": "orders.total_amount", "op": "gt", "value": 500},
                            {"field": "loyalty_level", "op": "in", "value": ["gold", "silver"]},
                        ],
                    },
                ),
                (
                    "Cart abandoners",
                    {
                        "operator": "AND",
                        "conditions": [
                            {"field": "event:cart_add", "op": "within_days", "value": 3},
                            {"field": "event:purchase", "op": "not_within_days", "value": 3},
                        ],
                    },
                ),
                (
                    "Push only",
                    {
                        "operator": "AND",
                        "conditions": [
                            {"field": "sub_push", "op": "eq", "value": "subscribed"},
                            {"field": "email", "op": "is_empty"},
                        ],
                    },
                ),
                (
                    "Birthday this month",
                    {
                        "operator": "AND",
                        "conditions": [{"field": "_bdate", "op": "month_is", "value": "current"}],
                    },
                ),
            ]
        )
    ]
    write_json(root / "dynamic_segments.json", segments)
    forms = [
        {
            "form_id": f"form{n + 1}",
            "name": name,
            "fields": fields,
            "submit_action": action,
            "submissions": rng.randint(10, 3000),
        }
        for n, (name, fields, action) in enumerate(
            [
                (
                    "Newsletter signup",
                    [{"name": "email", "type": "email", "required": True}],
                    "subscribe:Newsletter EN",
                ),
                (
                    "Contest entry",
                    [
                        {"name": "_fname", "type": "text", "required": True},
                        {"name": "phones", "type": "phone", "required": False},
                    ],
                    "add_to_segment:Black Friday 2023",
                ),
                (
                    "Feedback",
                    [
                        {"name": "email", "type": "email", "required": False},
                        {"name": "rating", "type": "select", "options": ["1", "2", "3", "4", "5"]},
                    ],
                    "store_event:feedback",
                ),
                (
                    "Back in stock",
                    [
                        {"name": "email", "type": "email", "required": True},
                        {"name": "sku", "type": "hidden"},
                    ],
                    "store_event:waitlist",
                ),
            ]
        )
    ]
    write_json(root / "forms.json", forms)
    return {
        "objects": {
            "campaigns": {"files": ["campaigns.csv"], "rows": len(camps)},
            "message_templates": {
                "files": ["message_templates.csv"],
                "rows": len(tpls),
                "inventory": True,
            },
            "channels": {"files": ["channels.csv"], "rows": len(chans), "inventory": True},
            "dynamic_segments": {
                "files": ["dynamic_segments.json"],
                "rows": len(segments),
                "inventory": True,
            },
            "forms": {"files": ["forms.json"], "rows": len(forms), "inventory": True},
        },
        "channels": {"secret_columns": SECRET_COLUMNS},
    }
