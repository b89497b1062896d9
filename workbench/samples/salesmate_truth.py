"""Ground truth of the Salesmate sample: links, columns and the planted counts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from workbench.samples.common import WORKSPACE_MEMBERS, Truth
from workbench.samples.salesmate_fields import FIELDS, OPP, OTHER_COLUMNS, PIPELINES, C, P, T
from workbench.sources.salesmate import MAX_ROWS, page_name


def where(records: list[dict[str, Any]], table: str) -> dict[int, tuple[str, int]]:
    """Record id → (page file, 1-based index in the page) once pages of MAX_ROWS are cut."""
    return {
        r["id"]: (f"{table}/{page_name(i // MAX_ROWS + 1)}", i % MAX_ROWS + 1)
        for i, r in enumerate(records)
    }


def text(value: Any) -> str:
    return "" if value is None else str(value)


def record_links(
    truth: Truth,
    table: str,
    records: list[dict[str, Any]],
    contact: str,
    company: str,
    other: str | None,
) -> None:
    """True contact/company (source ids) of every linked record; drops the private keys."""
    loc = where(records, table)
    for rec in records:
        status = rec["_status"]
        file, line = loc[rec["id"]]
        if table == "attachments":  # one target, named by the module column
            kind = {"Contact": "contact", "Company": "company", "Deal": "other"}[rec["module"]]
            value = str(rec["recordId"]) if kind != "other" else f"deal:{rec['recordId']}"
            truth.associate(file, line, str(rec["id"]), **{kind: value}, status=status)
            continue
        truth.associate(
            file,
            line,
            str(rec["id"]),
            contact=text(rec.get(contact)),
            company=text(rec.get(company)),
            other=f"deal:{rec[other]}" if other and rec.get(other) else "",
            status=status,
        )


def page_files(table: str, count: int) -> list[str]:
    return [f"{table}/{page_name(n)}" for n in range(1, max(1, -(-count // MAX_ROWS)) + 1)]


def columns_truth(truth: Truth, tables: dict[str, list[dict[str, Any]]]) -> None:
    """One row per column per file (`file` is the `_file` value the reader gives the rows)."""
    targets = {
        "contacts": P,
        "companies": C,
        "deals": OPP,
        "tasks": T,
        "emails": T,
        "products": "products",
    }
    described = {
        t: [(name, targets[t], target) for name, _, _, target in f] for t, f in FIELDS.items()
    }
    described |= OTHER_COLUMNS
    described["fields"] = [
        (c, "metadata", "ignore")
        for c in (
            "moduleName",
            "fieldName",
            "displayName",
            "fieldDataType",
            "isCustomField",
            "isRequired",
        )
    ]
    single = {"users": "users.json", "pipeline_stages": "pipelines.json", "fields": "fields.json"}
    for table, columns in described.items():
        files = [single[table]] if table in single else page_files(table, len(tables[table]))
        for file in files:
            truth.describe(file, columns)


def discovery_truth(
    tables: dict[str, list[dict[str, Any]]],
    users: list[dict[str, Any]],
    plants: Counter[str],
    people: list[dict[str, Any]],
) -> dict[str, Any]:
    """Planted counts, in the shape every sample's truth/discovery.json shares."""
    members = [e for _, _, e in WORKSPACE_MEMBERS]
    outsiders = [u["id"] for u in users if u["email"].lower() not in members]
    owner_cols = {
        "contacts": "owner",
        "companies": "owner",
        "deals": "owner",
        "tasks": "owner",
        "emails": "owner",
        "inbox_threads": "assignedTo",
        "attachments": "uploadedBy",
    }
    objects: dict[str, Any] = {
        t: {"files": page_files(t, len(r)), "rows": len(r)} for t, r in tables.items()
    }
    objects["deals"]["unresolvable"] = sum(
        1 for r in tables["deals"] if r["_status"] == "unresolvable"
    )
    objects["tasks"]["no_link"] = sum(1 for r in tables["tasks"] if r["_status"] == "no_link")
    objects["smart_flows"] |= {
        "inventory": True,
        "active": sum(1 for r in tables["smart_flows"] if r["status"] == "Active"),
    }
    objects["users"] = {"files": ["users.json"], "rows": len(users)}
    objects["pipeline_stages"] = {
        "files": ["pipelines.json"],
        "rows": sum(len(s) for _, s in PIPELINES),
        "pipelines": len(PIPELINES),
    }
    objects["fields"] = {
        "files": ["fields.json"],
        "rows": sum(len(f) for f in FIELDS.values()),
        "inventory": True,
    }
    tag_counts: Counter[str] = Counter()
    for rec in tables["contacts"]:
        for tag in (t.strip() for t in (rec["tags"] or "").split(",")):
            if tag:
                tag_counts[tag] += 1
    kinds = Counter(p["duplicate_kind"] for p in people if p["duplicate_kind"])
    return {
        "source": "salesmate",
        "objects": objects,
        "custom_columns": {
            t: [f for f, *_ in fields if "CustomField" in f]
            for t, fields in FIELDS.items()
            if any("CustomField" in f for f, *_ in fields)
        },
        "contacts": {
            "rows": len(tables["contacts"]),
            "people": len({p["person_id"] for p in people}),
            "duplicate_rows": sum(kinds.values()),
            "duplicate_rows_by_kind": dict(sorted(kinds.items())),
            "no_email": plants["no_email"] + plants["near_duplicate_name_phone"],
            "invalid_email": plants["invalid_email"],
            "invalid_phone": plants["invalid_phone"],
            "excel_mangled_phone": plants["excel_mangled_phone"],
            "duplicate_email_groups": plants["duplicate_email_groups"],
            "duplicate_email_rows": 2 * plants["duplicate_email_groups"],
            "same_name_different_people": plants["same_name_different_people"],
            "email_opt_out": sum(1 for r in tables["contacts"] if r["emailOptOut"]),
            "ambiguous_dates": 0,
        },
        "tags": {
            "column": "tags",
            "contacts_with_tags": sum(1 for r in tables["contacts"] if r["tags"]),
            "values": dict(sorted(tag_counts.items())),
            "near_duplicates": [["VIP", "vip"]],
        },
        "owners": {
            "columns": [f"{t}.{c}" for t, c in owner_cols.items()],
            "not_in_workspace": sorted(u["email"] for u in users if u["id"] in outsiders),
            "rows_owned_by_non_members": sum(
                1 for t, c in owner_cols.items() for r in tables[t] if r[c] in outsiders
            ),
        },
        "workspace_members": members,
    }


README_TEXT = """\
## Salesmate (`salesmate/`)

**Layout.** The JSON answers of Salesmate's REST API v4, one folder per module with pages of
250 records (`contacts/page-0001.json` …), each page exactly the search answer
`{"Status": "success", "Data": {"data": [...], "totalRows": N, "totalPages": N}}`, records in id
order. Known from public docs: the search endpoints `POST /apis/{contact|company|deal}/v4/search`
(`rows` ≤ 250, `from`, body with `displayingFields`, `filterQuery`, `sort`; deals add
`moduleId: 4`), users `GET /apis/core/v4/users`, pipelines `GET /apis/v3/apps/dealPipeline`,
field definitions `GET /apis/v3/fields/getAllVisibleFields`, headers `accessToken` and
`x-linkname`, custom field names (`textCustomField1`, `intCustomField1`, `decimalCustomField1`,
`dateCustomField1`, `multiSelectCustomField1`, `checkboxCustomField1`), deal fields
`primaryContact`, `dealValue`. Chosen (not published): the search paths of tasks
(`/apis/activity/v4/search`), emails, products, Team Inbox threads (`conversation`), attachments
and Smart Flows, the attachment download `GET /apis/attachment/v4/{id}/download`, the field names
of those modules, the `LESS_THAN` id filter rule, and the shapes of `users.json`,
`pipelines.json` (pipelines with ordered stages and probabilities) and `fields.json`. Timestamps
are UTC ISO 8601 (`2022-03-04T15:20:11.000Z`), so no date is ambiguous. Owners are user ids
(`users.json`). Attachments keep their bytes in `attachments/files/<id>-<fileName>`. Smart Flows
are an inventory (trigger, steps, enrolled contact ids). `workbench.sources.salesmate` reads it
all into raw tables (`_file` = page file, `_line` = 1-based record index in the page);
`workbench.sources.salesmate_api.SalesmateExtractor` writes the same layout from a live account.

**Truth specifics.** `columns.csv` has one block per page file (`file` = the rows' `_file`);
`company_mentions.csv` has one row per company record (Salesmate keeps duplicate company records
written apart — "ACME Corp." beside "Acme Corporation"); `associations.csv` gives contact and
company as Salesmate ids, `other` = `deal:<id>`, status `by_id`, `unresolvable` (a deal whose
primary contact was deleted) or `no_link` (a task linked to nothing).
"""


def readme_section(discovery: dict[str, Any]) -> str:
    """The Salesmate section of data/samples/README.md, counts read from truth/discovery.json."""
    lines = [README_TEXT, "| object | files | rows |", "|---|---|---|"]
    for name, info in discovery["objects"].items():
        files = info["files"]
        shown = files[0] if len(files) == 1 else f"{files[0]} … {files[-1]}"
        lines.append(f"| {name} | {shown} | {info['rows']} |")
    lines.append("")
    lines.append(
        "Custom columns (not in the standard schema): "
        + "; ".join(f"{t}: {', '.join(c)}" for t, c in discovery["custom_columns"].items())
    )
    lines.append("")
    lines.append("Planted problems:")
    lines.append("")
    contacts = discovery["contacts"]
    lines.append(
        "- **contacts**: "
        + "; ".join(f"{k}: {v}" for k, v in contacts.items() if not isinstance(v, dict))
    )
    lines.append(
        "- **duplicates by kind**: "
        + ", ".join(f"{k}={v}" for k, v in contacts["duplicate_rows_by_kind"].items())
    )
    lines.append(
        "- **tags** (`contacts.tags`, comma-separated, near-duplicates VIP/vip): "
        + ", ".join(f"{k}={v}" for k, v in discovery["tags"]["values"].items())
    )
    owners = discovery["owners"]
    lines.append(
        f"- **users not in the workspace**: {', '.join(owners['not_in_workspace'])} "
        f"(own {owners['rows_owned_by_non_members']} records)"
    )
    lines.append(
        f"- **deals whose primary contact was deleted**: "
        f"{discovery['objects']['deals']['unresolvable']}"
    )
    return "\n".join(lines) + "\n"
