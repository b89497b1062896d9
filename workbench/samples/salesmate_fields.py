"""Salesmate's field definitions for the sample, and the helpers every record maker shares.

One table (API name, label, type, Twenty target) drives `fields.json` (what
`getAllVisibleFields` answers), the standard schema and truth/columns.csv, so they cannot drift.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from workbench.sources.salesmate import MODULES_BY_TABLE

# (fieldName, label, Salesmate type, Twenty target) per module; custom fields are the
# `…CustomFieldN` names. Targets use the truth/columns.csv vocabulary.
P, C, OPP, T = "people", "companies", "opportunities", "tasks"
# fmt: off
FIELDS: dict[str, list[tuple[str, str, str, str]]] = {
    "contacts": [
        ("id", "Contact ID", "Number", "source_id"),
        ("firstName", "First Name", "Text", "name.firstName"),
        ("lastName", "Last Name", "Text", "name.lastName"), ("name", "Name", "Text", "ignore"),
        ("email", "Email", "Email", "emails.primaryEmail"),
        ("phone", "Phone", "Phone", "phones.primaryPhoneNumber"),
        ("mobile", "Mobile", "Phone", "phones.additionalPhones"),
        ("jobTitle", "Job Title", "Text", "jobTitle"),
        ("company", "Company", "Lookup", "companyId"),
        ("owner", "Owner", "Lookup", "custom:contactOwner"),
        ("type", "Type", "Select", "custom:contactType"),
        ("source", "Source", "Select", "custom:leadSource"),
        ("tags", "Tags", "Tags", "custom:tags"),
        ("description", "Description", "TextArea", "custom:description"),
        ("billingCity", "City", "Text", "city"),
        ("billingCountry", "Country", "Text", "custom:country"),
        ("linkedInHandle", "LinkedIn", "Url", "linkedinLink.primaryLinkUrl"),
        ("twitterHandle", "Twitter", "Url", "xLink.primaryLinkUrl"),
        ("emailOptOut", "Email Opt Out", "Checkbox", "custom:emailOptOut"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
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
        ("website", "Website", "Url", "domainName.primaryLinkUrl"),
        ("phone", "Phone", "Phone", "custom:phone"), ("owner", "Owner", "Lookup", "accountOwnerId"),
        ("billingAddressLine1", "Address", "Text", "address.addressStreet1"),
        ("billingCity", "City", "Text", "address.addressCity"),
        ("billingState", "State", "Text", "address.addressState"),
        ("billingZipCode", "Zip Code", "Text", "address.addressPostcode"),
        ("billingCountry", "Country", "Text", "address.addressCountry"),
        ("linkedInHandle", "LinkedIn", "Url", "linkedinLink.primaryLinkUrl"),
        ("currency", "Currency", "Select", "custom:currency"),
        ("tags", "Tags", "Tags", "custom:tags"),
        ("description", "Description", "TextArea", "custom:description"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
        ("textCustomField1", "Industry", "Select", "custom:industry"),
        ("intCustomField1", "Employees", "Number", "employees"),
        ("decimalCustomField1", "Annual Revenue", "Decimal", "annualRecurringRevenue.amountMicros"),
        ("textCustomField2", "Revenue Tier", "Select", "custom:revenueTier"),
    ],
    "deals": [
        ("id", "Deal ID", "Number", "source_id"), ("title", "Title", "Text", "name"),
        ("owner", "Owner", "Lookup", "ownerId"),
        ("primaryContact", "Primary Contact", "Lookup", "pointOfContactId"),
        ("primaryCompany", "Primary Company", "Lookup", "companyId"),
        ("pipeline", "Pipeline", "Select", "custom:pipeline"),
        ("stage", "Stage", "Select", "stage"), ("status", "Status", "Select", "custom:dealStatus"),
        ("source", "Source", "Select", "custom:source"),
        ("priority", "Priority", "Select", "custom:priority"),
        ("estimatedCloseDate", "Expected Close Date", "Date", "closeDate"),
        ("closedDate", "Closed Date", "Date", "custom:closedDate"),
        ("dealValue", "Deal Value", "Currency", "amount.amountMicros"),
        ("currency", "Currency", "Select", "amount.currencyCode"),
        ("lostReason", "Lost Reason", "Select", "custom:lostReason"),
        ("description", "Description", "TextArea", "custom:description"),
        ("tags", "Tags", "Tags", "custom:tags"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("lastModifiedAt", "Last Modified At", "DateTime", "ignore"),
        ("textCustomField1", "Won Reason", "Select", "custom:wonReason"),
        ("intCustomField1", "Seats", "Number", "custom:seats"),
        ("dateCustomField1", "Contract Start", "Date", "custom:contractStart"),
    ],
    "tasks": [
        ("id", "Activity ID", "Number", "source_id"), ("title", "Title", "Text", "title"),
        ("type", "Type", "Select", "custom:taskType"),
        ("description", "Description", "TextArea", "bodyV2.markdown"),
        ("dueDate", "Due Date", "DateTime", "dueAt"),
        ("duration", "Duration", "Number", "custom:durationMinutes"),
        ("status", "Status", "Select", "status"),
        ("priority", "Priority", "Select", "custom:priority"),
        ("owner", "Assigned To", "Lookup", "assigneeId"),
        ("contact", "Contact", "Lookup", "taskTargets.personId"),
        ("company", "Company", "Lookup", "taskTargets.companyId"),
        ("deal", "Deal", "Lookup", "taskTargets.opportunityId"),
        ("completedAt", "Completed At", "DateTime", "custom:completedAt"),
        ("tags", "Tags", "Tags", "custom:tags"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("textCustomField1", "Outcome", "Select", "custom:outcome"),
    ],
    "emails": [
        ("id", "Email ID", "Number", "source_id"), ("subject", "Subject", "Text", "title"),
        ("bodyPreview", "Body", "TextArea", "bodyV2.markdown"),
        ("fromEmail", "From", "Email", "custom:fromEmail"),
        ("toEmails", "To", "Text", "custom:toEmails"),
        ("ccEmails", "Cc", "Text", "custom:ccEmails"),
        ("direction", "Direction", "Select", "custom:direction"),
        ("sentAt", "Sent At", "DateTime", "createdAt"), ("owner", "Owner", "Lookup", "assigneeId"),
        ("contact", "Contact", "Lookup", "taskTargets.personId"),
        ("company", "Company", "Lookup", "taskTargets.companyId"),
        ("deal", "Deal", "Lookup", "taskTargets.opportunityId"),
        ("threadId", "Thread ID", "Text", "custom:emailThreadId"),
        ("openCount", "Opens", "Number", "custom:openCount"),
        ("clickCount", "Clicks", "Number", "custom:clickCount"),
    ],
    "products": [
        ("id", "Product ID", "Number", "source_id"), ("name", "Name", "Text", "name"),
        ("sku", "SKU", "Text", "custom:sku"),
        ("unitPrice", "Unit Price", "Currency", "custom:unitPrice"),
        ("currency", "Currency", "Select", "custom:currency"),
        ("category", "Category", "Select", "custom:category"),
        ("isActive", "Active", "Checkbox", "custom:isActive"),
        ("description", "Description", "TextArea", "custom:description"),
        ("owner", "Owner", "Lookup", "ignore"),
        ("createdAt", "Created At", "DateTime", "createdAt"),
        ("textCustomField1", "Vendor", "Text", "custom:vendor"),
        ("decimalCustomField1", "Cost", "Decimal", "custom:cost"),
    ],
}
THREAD = "custom:teamInboxThreads"
OTHER_COLUMNS: dict[str, list[tuple[str, str, str]]] = {  # column, object, field
    "inbox_threads": [
        ("id", "people", "custom:teamInboxThreads"),
        ("inboxName", "people", "custom:teamInboxThreads"),
        ("channel", "people", "custom:teamInboxThreads"),
        ("subject", "people", "custom:teamInboxThreads"),
        ("status", "people", "custom:teamInboxThreads"),
        ("assignedTo", "people", "custom:teamInboxThreads"), ("contact", "people", "personId"),
        ("company", "companies", "companyId"),
        ("participants", "people", "custom:teamInboxThreads"),
        ("messageCount", "people", "custom:teamInboxThreads"),
        ("firstMessageAt", "people", "custom:teamInboxThreads"),
        ("lastMessageAt", "people", "custom:teamInboxThreads"),
        ("messages", "people", "custom:teamInboxThreads"),
    ],
    "attachments": [
        ("id", "attachments", "source_id"), ("fileName", "attachments", "name"),
        ("contentType", "attachments", "type"), ("fileSize", "attachments", "ignore"),
        ("module", "attachments", "ignore"),
        ("recordId", "attachments", "personId|companyId|opportunityId"),
        ("path", "attachments", "fullPath"), ("uploadedBy", "attachments", "ignore"),
        ("createdAt", "attachments", "createdAt"),
    ],
    "smart_flows": [
        ("id", "inventory", "smart_flows"), ("name", "inventory", "smart_flows"),
        ("status", "inventory", "smart_flows"), ("triggerType", "inventory", "smart_flows"),
        ("module", "inventory", "smart_flows"), ("description", "inventory", "smart_flows"),
        ("steps", "inventory", "smart_flows"), ("enrolledContacts", "inventory", "smart_flows"),
        ("enrolledContactIds", "inventory", "smart_flows"),
        ("createdBy", "inventory", "smart_flows"), ("createdAt", "inventory", "smart_flows"),
        ("lastModifiedAt", "inventory", "smart_flows"),
    ],
    "users": [
        ("id", "workspaceMembers", "source_id"),
        ("firstName", "workspaceMembers", "name.firstName"),
        ("lastName", "workspaceMembers", "name.lastName"),
        ("email", "workspaceMembers", "userEmail"), ("role", "workspaceMembers", "ignore"),
        ("status", "workspaceMembers", "ignore"), ("timeZone", "workspaceMembers", "ignore"),
    ],
    "pipeline_stages": [
        ("pipeline", "opportunities", "custom:pipeline"), ("pipelineId", "opportunities", "ignore"),
        ("stageOrder", "opportunities", "stage.position"), ("stage", "opportunities", "stage"),
        ("probability", "opportunities", "custom:stageProbability"),
        ("rottingDays", "opportunities", "ignore"),
    ],
}
# fmt: on
PIPELINES = [
    (
        "Sales Pipeline",
        [
            ("Lead In", 10),
            ("Contact Made", 20),
            ("Demo Scheduled", 40),
            ("Proposal Made", 60),
            ("Negotiations Started", 80),
        ],
    ),
    ("Renewals", [("Renewal Due", 30), ("Quote Sent", 60), ("Verbal Yes", 90)]),
]


def field_definitions() -> list[dict[str, Any]]:
    """What `getAllVisibleFields` answers: every visible field of every module."""
    out = []
    for table, fields in FIELDS.items():
        module = MODULES_BY_TABLE[table].module_name
        for name, label, kind, _ in fields:
            out.append(
                {
                    "moduleName": module,
                    "fieldName": name,
                    "displayName": label,
                    "fieldDataType": kind,
                    "isCustomField": "CustomField" in name,
                    "isRequired": name in ("firstName", "name", "title"),
                }
            )
    return out


def pipelines() -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "name": name,
            "isDefault": n == 1,
            "stages": [
                {"stage": s, "probability": p, "rottingDays": 30 if p < 50 else None}
                for s, p in stages
            ],
        }
        for n, (name, stages) in enumerate(PIPELINES, start=1)
    ]


START = datetime(2021, 1, 4, tzinfo=UTC)
END = datetime(2024, 6, 28, tzinfo=UTC)


def owner(rng: random.Random) -> int:
    """A user id; users 7 and 8 (not workspace members) own about one record in twenty."""
    return rng.choice([1, 2, 3, 4, 5, 6] * 6 + [7, 8])


def ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def when(rng: random.Random, start: datetime = START, end: datetime = END) -> datetime:
    return start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


def assign_ids(
    rng: random.Random, records: list[dict[str, Any]], start: int
) -> list[dict[str, Any]]:
    """Ids grow with creation time and skip numbers (deleted records), as in a live account."""
    records.sort(key=lambda r: r["createdAt"])
    next_id = start
    out = []
    for record in records:
        out.append({"id": next_id} | record)
        next_id += 1 if rng.random() < 0.9 else rng.randint(2, 4)
    return out


def linked(rng: random.Random, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    contact = rng.choice(contacts)
    return {"contact": contact["id"], "company": contact["company"]}
