"""The map proposal for a client's actual export: the default map first, fuzzy matching after.

Headers are compared with a synonym table (`synonyms.yaml`, data) by rapidfuzz, and the values
of each column are looked at (emails, phones, dates, numbers, flags) to back or doubt a match.
A proposal is never confirmed: the analyst reviews it (MapEditor) and confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from rapidfuzz import fuzz

from workbench.mapping.catalog import camel_case, singular_of
from workbench.mapping.spec import MapSpec
from workbench.sources.base import SourceExport

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")
ACCEPT = 80.0  # header score from which a standard field is proposed rather than a custom one


@lru_cache(maxsize=1)
def synonyms() -> dict[str, Any]:
    return yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8"))


def words(header: str) -> str:
    """'billingZipCode' / 'Billing Zip-Code' / '_regdate' → 'billing zip code' / 'regdate'."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", header)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def header_score(header: str, synonym: str) -> float:
    a, b = words(header), words(synonym)
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return 100.0
    return float(fuzz.token_sort_ratio(a, b))


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^[+(]?[\d][\d\s().\-]{6,}$|^\d(\.\d+)?E\+\d+$", re.I)
_DATE = re.compile(
    r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?$|^[A-Z][a-z]{2} \d{1,2}, \d{4}$"
)
_NUMBER = re.compile(r"^[-+]?[$€£]?\s?\d[\d,. ]*%?$")
_BOOL = {"0", "1", "yes", "no", "true", "false", "y", "n"}
_URL = re.compile(r"^(https?://|www\.)\S+$|^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.I)


def value_kind(values: list[str]) -> str:
    """The kind most non-empty sample values have: email, phone, date, bool, number, url, list, text."""
    vals = [v.strip() for v in values if v and v.strip() and v.strip() not in ("N/A", "null", "-")]
    if not vals:
        return "empty"
    share = lambda test: sum(1 for v in vals if test(v)) / len(vals)  # noqa: E731
    if share(lambda v: bool(_EMAIL.match(v))) > 0.6:
        return "email"
    if share(lambda v: v.lower() in _BOOL) > 0.95:
        return "bool"
    if share(lambda v: bool(_DATE.match(v))) > 0.6:
        return "date"
    if share(lambda v: bool(_NUMBER.match(v))) > 0.9:
        return "number"
    if share(lambda v: bool(_PHONE.match(v))) > 0.6:
        return "phone"
    if share(lambda v: bool(_URL.match(v))) > 0.6:
        return "url"
    if share(lambda v: "," in v or ";" in v) > 0.3 and max(len(v) for v in vals) < 300:
        return "list"
    return "text"


_EXPECTED_KIND = {
    "emails.primaryEmail": "email", "phones.primaryPhoneNumber": "phone", "createdAt": "date",
    "dueAt": "date", "closeDate": "date", "employees": "number", "amount.amountMicros": "number",
}  # fmt: skip
_CUSTOM_TYPE = {
    "email": "EMAILS", "phone": "PHONES", "date": "DATE_TIME", "bool": "BOOLEAN",
    "number": "NUMBER", "url": "LINKS", "list": "ARRAY", "text": "TEXT", "empty": "TEXT",
}  # fmt: skip
_TRANSFORM = {
    "EMAILS": "email", "PHONES": "phone", "DATE_TIME": "datetime", "DATE": "date",
    "BOOLEAN": "boolean", "NUMBER": "number", "LINKS": "url", "ARRAY": "split", "TEXT": "text",
}  # fmt: skip


@dataclass
class ColumnProposal:
    """One export column and the Twenty field proposed for it."""

    table: str
    column: str
    map_object: str
    object: str  # Twenty object (plural), or "inventory"
    field: str  # name.firstName, companyId, createdAt, source_id, custom:<name>, ignore, inventory
    transform: str | None
    confidence: float  # 0..1
    evidence: str
    custom_type: str | None = None
    samples: list[str] = field(default_factory=list)
    from_default: bool = False
    edited: bool = False  # changed by the analyst (a default-map choice is then replaced)


@dataclass
class Proposal:
    """A proposed map: every column with target, transform, confidence; never confirmed."""

    source: str
    columns: list[ColumnProposal]
    default_map: MapSpec | None
    objects: dict[str, tuple[str, str]]  # table -> (map object, Twenty object)

    def to_frame(self) -> pl.DataFrame:
        rows = [
            {
                "table": c.table, "column": c.column, "map_object": c.map_object,
                "object": c.object, "field": c.field, "transform": c.transform or "",
                "confidence": round(c.confidence, 2), "evidence": c.evidence,
                "custom_type": c.custom_type or "", "samples": ", ".join(c.samples[:3]),
                "from_default": c.from_default,
            }
            for c in self.columns
        ]  # fmt: skip
        return pl.DataFrame(rows)

    def to_map(self) -> MapSpec:
        from workbench.mapping.assemble import proposal_to_map

        return proposal_to_map(self)


def _table_target(table: str, schema: Any) -> str:
    obj = schema.objects.get(table) if schema is not None else None
    if obj is not None and obj.inventory:
        return "inventory"
    best, score = camel_case(table), 0.0
    for target, names in synonyms()["tables"].items():
        for name in names:
            s = header_score(table, name)
            if s > score:
                best, score = target, s
    return best if score >= 85 else camel_case(table)


def _candidates(target: str) -> dict[str, list[str]]:
    fields = synonyms()["fields"]
    return fields.get(target) or fields["custom"]


def _custom_name(column: str, target: str, labels: dict[str, str], table: str = "") -> str:
    names = synonyms().get("custom_names", {})
    key = words(column).replace(" ", "_")
    for scoped in (f"{key}@{table}", f"{key}@{target}"):
        if scoped in names:
            return names[scoped]
    if column in labels:
        return camel_case(labels[column])
    return names.get(key) or camel_case(column)


def _field_labels(export: SourceExport, table: str) -> dict[str, str]:
    """Display names of custom fields, when the export carries its field definitions."""
    defs = export.tables.get("fields")
    if defs is None or not {"fieldName", "displayName"} <= set(defs.columns):
        return {}
    frame = defs.frame
    if "isCustomField" in frame.columns:
        frame = frame.filter(pl.col("isCustomField").str.to_lowercase().is_in(["true", "1", "yes"]))
    if "moduleName" in frame.columns:
        module = singular_of(table).lower()
        frame = frame.filter(pl.col("moduleName").str.to_lowercase() == module)
    return dict(zip(frame["fieldName"].to_list(), frame["displayName"].to_list(), strict=True))


def propose_column(
    table: str,
    column: str,
    target: str,
    values: list[str],
    *,
    key: str | None,
    created: str | None,
    labels: dict[str, str],
) -> ColumnProposal:
    """The best Twenty field for one column of a table that becomes `target`."""
    kind = value_kind(values)
    samples = [v for v in values if v and v != "N/A"][:3]
    if column == key:
        return ColumnProposal(
            table,
            column,
            "",
            target,
            "source_id",
            None,
            1.0,
            "key column of the standard schema",
            samples=samples,
        )
    custom_names = synonyms().get("custom_names", {})
    header_key = words(column).replace(" ", "_")
    best, best_score, best_syn = None, 0.0, ""
    if target == "metadata":
        return ColumnProposal(
            table,
            column,
            "",
            target,
            "ignore",
            None,
            0.9,
            "field definitions: read by discovery, not loaded",
            samples=samples,
        )
    label = labels.get(column)
    for fld, names in _candidates(target).items():
        for name in names:
            s = max(header_score(column, name), header_score(label, name) if label else 0.0)
            if fld == "source_id" and s < 100:
                continue  # a record's own id is named exactly, never guessed
            expected = _EXPECTED_KIND.get(fld)
            if (
                expected
                and kind not in (expected, "empty")
                and not (expected == "number" and kind == "phone")
            ):
                s -= 30
            if words(column).endswith(" id") != words(name).endswith(" id") and s < 100:
                s -= 30  # 'product id' is not 'product'
            if s > best_score:
                best, best_score, best_syn = fld, s, name
    scoped = any(
        k in custom_names for k in (header_key, f"{header_key}@{target}", f"{header_key}@{table}")
    )
    if scoped and best_score < 100:
        best_score = 0.0
    elif column == created and best_score < 100:
        return ColumnProposal(
            table,
            column,
            "",
            target,
            "createdAt",
            "datetime",
            1.0,
            "creation date in the standard schema",
            samples=samples,
        )
    if best is not None and best_score >= ACCEPT:
        if best.startswith("custom:"):
            ctype = "ADDRESS" if best.startswith("custom:address.") else _CUSTOM_TYPE[kind]
            return ColumnProposal(
                table,
                column,
                "",
                target,
                best,
                "text",
                best_score / 100,
                f"header ~ {best_syn!r} ({best_score:.0f})",
                custom_type=ctype,
                samples=samples,
            )
        transform = _standard_transform(best, kind)
        return ColumnProposal(
            table,
            column,
            "",
            target,
            best,
            transform,
            best_score / 100,
            f"header ~ {best_syn!r} ({best_score:.0f}); values look like {kind}",
            samples=samples,
        )
    ctype = _CUSTOM_TYPE[kind]
    name = _custom_name(column, target, labels, table)
    note = f"best standard match {best!r} only {best_score:.0f}" if best else "no standard match"
    return ColumnProposal(
        table,
        column,
        "",
        target,
        f"custom:{name}",
        _TRANSFORM[ctype],
        0.5,
        f"{note}; values look like {kind} → new {ctype} field",
        custom_type=ctype,
        samples=samples,
    )


def _standard_transform(fld: str, kind: str) -> str | None:
    root = fld.split(".")[0]
    if fld == "ignore" or fld.endswith("Id") or fld == "source_id":
        return None
    if root in ("emails",):
        return "email"
    if root == "phones":
        return "phone"
    if fld.endswith("primaryLinkUrl"):
        return "domain" if root == "domainName" else "url"
    if root in ("amount", "annualRecurringRevenue"):
        return "currency"
    if root in ("createdAt", "dueAt", "closeDate"):
        return "datetime"
    if root == "employees":
        return "number"
    if root == "bodyV2":
        return "long_text"
    if root in ("stage", "status"):
        return "select"
    return "text"


def propose_map(
    export: SourceExport,
    schema: Any = None,
    default_map: MapSpec | None = None,
    discovery: Any = None,
    existing: list[Any] | None = None,
) -> Proposal:
    """A proposal for every column of every table; the default map's choices come first.

    `existing` is the destination's model (`ObjectInfo`s, read by `workbench.twenty`): a custom
    field it already holds is reused where its type can hold the values, else renamed.
    """
    columns: list[ColumnProposal] = []
    objects: dict[str, tuple[str, str]] = {}
    used: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    if default_map is not None:
        for name, obj in default_map.objects.items():
            if obj.source_table:
                objects.setdefault(obj.source_table, (name, obj.target or "inventory"))
                for col in obj.columns_used():
                    used.setdefault((obj.source_table, col), []).append((name, obj))
    for table_name, table in export.tables.items():
        if table_name not in objects:
            objects[table_name] = (table_name, _table_target(table_name, schema))
        map_object, target = objects[table_name]
        sobj = schema.objects.get(table_name) if schema is not None else None
        labels = _field_labels(export, table_name)
        for column in table.columns:
            values = table.frame[column].head(200).to_list()
            if (table_name, column) in used:
                name, obj = used[(table_name, column)][0]
                columns.append(_from_default(default_map, table_name, column, name, obj, values))
                continue
            if target == "inventory":
                columns.append(
                    ColumnProposal(
                        table_name,
                        column,
                        map_object,
                        "inventory",
                        "inventory",
                        None,
                        1.0,
                        "inventory object in the standard schema",
                    )
                )
                continue
            prop = propose_column(
                table_name,
                column,
                target,
                values,
                key=sobj.key if sobj else None,
                created=sobj.created_at if sobj else None,
                labels=labels,
            )
            prop.map_object = map_object
            columns.append(prop)
    if existing:
        from workbench.mapping.conflicts import against_destination

        against_destination(columns, existing, export.source)
    return Proposal(export.source, columns, default_map, objects)


def _from_default(
    spec: MapSpec, table: str, column: str, name: str, obj: Any, values: list[str]
) -> ColumnProposal:
    samples = [v for v in values if v and v != "N/A"][:3]
    target = obj.target or "inventory"

    def done(fld: str, transform: str | None) -> ColumnProposal:
        return ColumnProposal(
            table,
            column,
            name,
            target,
            fld,
            transform,
            1.0,
            "default map",
            samples=samples,
            from_default=True,
        )

    if obj.inventory:
        return done("inventory", None)
    if column == obj.source_key:
        return done("source_id", None)
    if obj.created_at and column == obj.created_at.column:
        return done("createdAt", obj.created_at.transform)
    for rule in obj.fields:
        if column in rule.inputs:
            root = rule.target.split(".")[0]
            custom = root in spec.custom_fields.get(target, {})
            return done(("custom:" if custom else "") + rule.target, rule.transform)
    for key, rel in obj.relations.items():
        if column in rel.inputs:
            return done(key, None)
    return done("ignore", None)
