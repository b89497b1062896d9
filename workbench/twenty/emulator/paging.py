"""Ordering and cursor pagination: `order_by=`, base64 JSON cursors, keyset conditions."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from workbench.twenty.emulator.filters import column, lookup_field, sql_value
from workbench.twenty.emulator.problems import ApiProblem, bad_request
from workbench.twenty.emulator.standard import ObjectDef

DIRECTIONS = {"AscNullsFirst", "AscNullsLast", "DescNullsFirst", "DescNullsLast"}


@dataclass
class OrderKey:
    path: list[str]
    direction: str  # one of DIRECTIONS

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def ascending(self) -> bool:
        return self.direction.startswith("Asc")

    @property
    def nulls_first(self) -> bool:
        return self.direction.endswith("NullsFirst")

    def flipped(self) -> OrderKey:
        d = ("Desc" if self.ascending else "Asc") + (
            "NullsLast" if self.nulls_first else "NullsFirst"
        )
        return OrderKey(self.path, d)


def parse_order_by(text: str | None, obj: ObjectDef) -> list[OrderKey]:
    """`order_by=field[Dir],…`; the id is always the last tie-breaker."""
    keys: list[OrderKey] = []
    for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
        name, _, rest = part.partition("[")
        direction = rest.rstrip("]") if rest else "AscNullsFirst"
        if direction not in DIRECTIONS:
            raise bad_request(
                f"'order_by' direction '{direction}' should be in {', '.join(sorted(DIRECTIONS))}"
            )
        path = name.split(".")
        lookup_field(obj, path)
        keys.append(OrderKey(path, direction))
    if not any(k.path == ["id"] for k in keys):
        keys.append(OrderKey(["id"], "AscNullsFirst"))
    return keys


def order_sql(keys: list[OrderKey], obj: ObjectDef) -> str:
    parts = []
    for k in keys:
        expr, _ = column(obj, k.path)
        parts.append(
            f"{expr} {'ASC' if k.ascending else 'DESC'} NULLS {'FIRST' if k.nulls_first else 'LAST'}"
        )
    return ", ".join(parts)


def encode_cursor(record: dict, keys: list[OrderKey]) -> str:
    payload: dict[str, Any] = {}
    for k in keys:
        value: Any = record
        for part in k.path:
            value = value.get(part) if isinstance(value, dict) else None
        payload[k.name] = value
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> dict:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.b64decode(padded))
        if not isinstance(payload, dict):
            raise ValueError
        return payload
    except (ValueError, TypeError):
        raise bad_request(f"Invalid cursor: {cursor}") from None


def after_cursor(keys: list[OrderKey], cursor: dict, obj: ObjectDef) -> tuple[str, list[Any]]:
    """Keyset condition 'comes after the cursor' for the given ordering, built as the server
    builds it (engine/api/utils/compute-cursor-arg-filter.utils.ts,
    build-cursor-cumulative-where-conditions.utils.ts, build-cursor-where-condition.utils.ts):
    one branch per cursor key, in the cursor's own key order, each "earlier keys equal, this
    key beyond"; a null in the cursor compares as SQL NULL, so it matches nothing.

    createdAt compares the stored microseconds with the cursor's milliseconds, as the real
    server does, so rows sharing a batch timestamp repeat or vanish under order_by=createdAt.
    Orderings on composite sub-fields keep the emulator's own walk (not modelled).
    """
    if any(len(k.path) > 1 for k in keys):
        return _composite_after_cursor(keys, cursor, obj)
    by_name = {k.name: k for k in keys}
    entries = list(cursor.items())
    ors: list[str] = []
    params: list[Any] = []
    for i, (name, value) in enumerate(entries):
        ands: list[str] = []
        for prev, prev_value in entries[:i]:
            expr, kind = _cursor_column(obj, prev)
            ands.append(f"{expr} = ?")
            params.append(sql_value(kind, prev_value))
        expr, kind = _cursor_column(obj, name)
        key = by_name.get(name)
        if key is None:
            raise ApiProblem(400, "Error", "Invalid cursor")
        ands.append(f"{expr} {'>' if key.ascending else '<'} ?")
        params.append(sql_value(kind, value))
        ors.append("(" + " AND ".join(ands) + ")")
    return ("(" + " OR ".join(ors) + ")" if ors else "1"), params


def _cursor_column(obj: ObjectDef, name: str) -> tuple[str, str]:
    """Cursor keys are looked up by field name only: a join column is not found."""
    if obj.field(name) is None:
        raise ApiProblem(400, "Error", f"Field metadata not found for key: {name}")
    return column(obj, [name])


def _composite_after_cursor(
    keys: list[OrderKey], cursor: dict, obj: ObjectDef
) -> tuple[str, list[Any]]:
    """The emulator's keyset walk for composite orderings (nulls placed by the direction)."""
    ors: list[str] = []
    params: list[Any] = []
    for i, key in enumerate(keys):
        ands: list[str] = []
        local: list[Any] = []
        for prev in keys[:i]:
            expr, kind = column(obj, prev.path)
            v = cursor.get(prev.name)
            if v is None:
                ands.append(f"{expr} IS NULL")
            else:
                ands.append(f"{expr} = ?")
                local.append(sql_value(kind, v))
        expr, kind = column(obj, key.path)
        v = cursor.get(key.name)
        if v is None:
            ands.append(f"{expr} IS NOT NULL" if key.nulls_first else "0")
        else:
            cmp = ">" if key.ascending else "<"
            extra = f" OR {expr} IS NULL" if not key.nulls_first else ""
            ands.append(f"({expr} {cmp} ?{extra})")
            local.append(sql_value(kind, v))
        ors.append("(" + " AND ".join(ands) + ")")
        params += local
    return "(" + " OR ".join(ors) + ")", params
