"""The standard data model of a fresh Twenty 1.7 workspace, as the recorded server exposed it.

Objects and fields are plain tuples here; `seed_metadata()` turns them into the metadata rows a new
workspace starts with. Only objects the workbench touches carry their full field list; the other
system objects keep their identity fields and the join columns the main objects point at, so that
every relation resolves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

NAMESPACE = uuid.UUID("5d1f1c2e-7c1b-4a8e-9d7e-0e3a6c1b2f10")

# Objects of a fresh workspace: nameSingular, namePlural, labelSingular, labelPlural, isSystem.
STANDARD_OBJECTS: list[tuple[str, str, str, str, bool]] = [
    (
        "messageChannelMessageAssociation",
        "messageChannelMessageAssociations",
        "Message Channel Message Association",
        "Message Channel Message Associations",
        True,
    ),
    ("company", "companies", "Company", "Companies", False),
    ("viewSort", "viewSorts", "View Sort", "View Sorts", True),
    ("workflowRun", "workflowRuns", "Workflow Run", "Workflow Runs", False),
    ("workspaceMember", "workspaceMembers", "Workspace Member", "Workspace Members", True),
    (
        "workflowAutomatedTrigger",
        "workflowAutomatedTriggers",
        "WorkflowAutomatedTrigger",
        "WorkflowAutomatedTriggers",
        True,
    ),
    ("timelineActivity", "timelineActivities", "Timeline Activity", "Timeline Activities", True),
    ("blocklist", "blocklists", "Blocklist", "Blocklists", True),
    (
        "calendarEventParticipant",
        "calendarEventParticipants",
        "Calendar event participant",
        "Calendar event participants",
        True,
    ),
    ("favorite", "favorites", "Favorite", "Favorites", True),
    ("attachment", "attachments", "Attachment", "Attachments", True),
    ("viewGroup", "viewGroups", "View Group", "View Groups", True),
    (
        "messageParticipant",
        "messageParticipants",
        "Message Participant",
        "Message Participants",
        True,
    ),
    ("calendarChannel", "calendarChannels", "Calendar Channel", "Calendar Channels", True),
    ("workflowVersion", "workflowVersions", "Workflow Version", "Workflow Versions", False),
    ("noteTarget", "noteTargets", "Note Target", "Note Targets", True),
    ("messageThread", "messageThreads", "Message Thread", "Message Threads", True),
    (
        "calendarChannelEventAssociation",
        "calendarChannelEventAssociations",
        "Calendar Channel Event Association",
        "Calendar Channel Event Associations",
        True,
    ),
    ("messageFolder", "messageFolders", "Message Folder", "Message Folders", True),
    ("taskTarget", "taskTargets", "Task Target", "Task Targets", True),
    ("connectedAccount", "connectedAccounts", "Connected Account", "Connected Accounts", True),
    ("message", "messages", "Message", "Messages", True),
    ("view", "views", "View", "Views", True),
    ("viewFilter", "viewFilters", "View Filter", "View Filters", True),
    ("favoriteFolder", "favoriteFolders", "Favorite Folder", "Favorite Folders", True),
    ("viewField", "viewFields", "View Field", "View Fields", True),
    ("messageChannel", "messageChannels", "Message Channel", "Message Channels", True),
    ("workflow", "workflows", "Workflow", "Workflows", False),
    ("calendarEvent", "calendarEvents", "Calendar event", "Calendar events", True),
    ("note", "notes", "Note", "Notes", False),
    ("task", "tasks", "Task", "Tasks", False),
    ("person", "people", "Person", "People", False),
    ("opportunity", "opportunities", "Opportunity", "Opportunities", False),
    ("viewFilterGroup", "viewFilterGroups", "View Filter Group", "View Filter Groups", True),
]

# Which bookkeeping fields an object carries besides id/createdAt/updatedAt/deletedAt.
WITH_ACTOR = {
    "company",
    "person",
    "opportunity",
    "note",
    "task",
    "workflow",
    "workflowRun",
    "workflowVersion",
}
WITH_POSITION = WITH_ACTOR | {"workspaceMember", "favorite", "view", "viewField", "favoriteFolder"}
WITH_SEARCH = WITH_ACTOR | {"workspaceMember"}
# Every bookkeeping field name; a client may still write these on a record.
BOOKKEEPING = frozenset(
    {"id", "createdAt", "updatedAt", "deletedAt", "position", "createdBy", "searchVector"}
)

STAGE_OPTIONS = [
    ("New", "NEW", "red"),
    ("Screening", "SCREENING", "purple"),
    ("Meeting", "MEETING", "sky"),
    ("Proposal", "PROPOSAL", "turquoise"),
    ("Customer", "CUSTOMER", "yellow"),
]
TASK_STATUS = [
    ("To do", "TODO", "sky"),
    ("In progress", "IN_PROGRESS", "purple"),
    ("Done", "DONE", "green"),
]
WM_DATE = [
    ("System", "SYSTEM"),
    ("Month First", "MONTH_FIRST"),
    ("Day First", "DAY_FIRST"),
    ("Year First", "YEAR_FIRST"),
]
WM_TIME = [("System", "SYSTEM"), ("24h", "HOUR_24"), ("12h", "HOUR_12")]
WM_NUMBER = [
    ("System", "SYSTEM"),
    ("Commas and dot", "COMMAS_AND_DOT"),
    ("Spaces and comma", "SPACES_AND_COMMA"),
    ("Dots and comma", "DOTS_AND_COMMA"),
    ("Apostrophe and dot", "APOSTROPHE_AND_DOT"),
]

# Data fields per object: (name, type, label, extra). extra may hold options/default/unique/nullable.
DATA_FIELDS: dict[str, list[tuple[str, str, str, dict]]] = {
    "company": [
        ("name", "TEXT", "Name", {}),
        ("domainName", "LINKS", "Domain Name", {"unique": True}),
        ("employees", "NUMBER", "Employees", {}),
        ("linkedinLink", "LINKS", "Linkedin", {}),
        ("xLink", "LINKS", "X", {}),
        ("annualRecurringRevenue", "CURRENCY", "ARR", {}),
        ("address", "ADDRESS", "Address", {}),
        ("idealCustomerProfile", "BOOLEAN", "ICP", {"default": False}),
    ],
    "person": [
        ("name", "FULL_NAME", "Name", {}),
        ("emails", "EMAILS", "Emails", {"unique": True}),
        ("linkedinLink", "LINKS", "Linkedin", {}),
        ("xLink", "LINKS", "X", {}),
        ("jobTitle", "TEXT", "Job Title", {}),
        ("phones", "PHONES", "Phones", {}),
        ("city", "TEXT", "City", {}),
        ("avatarUrl", "TEXT", "Avatar", {}),
    ],
    "opportunity": [
        ("name", "TEXT", "Name", {}),
        ("amount", "CURRENCY", "Amount", {}),
        ("closeDate", "DATE_TIME", "Close date", {}),
        ("stage", "SELECT", "Stage", {"options": STAGE_OPTIONS, "default": "NEW"}),
    ],
    "note": [("title", "TEXT", "Title", {}), ("bodyV2", "RICH_TEXT_V2", "Body", {})],
    "task": [
        ("title", "TEXT", "Title", {}),
        ("bodyV2", "RICH_TEXT_V2", "Body", {}),
        ("dueAt", "DATE_TIME", "Due Date", {}),
        ("status", "SELECT", "Status", {"options": TASK_STATUS, "default": "TODO"}),
    ],
    "attachment": [
        ("name", "TEXT", "Name", {}),
        ("fullPath", "TEXT", "Full path", {}),
        ("type", "TEXT", "Type", {}),
    ],
    "workspaceMember": [
        ("name", "FULL_NAME", "Name", {}),
        ("colorScheme", "TEXT", "Color Scheme", {"default": "System"}),
        ("locale", "TEXT", "Language", {"default": "en"}),
        ("avatarUrl", "TEXT", "Avatar Url", {}),
        ("userEmail", "TEXT", "User Email", {}),
        ("calendarStartDay", "NUMBER", "Start of the week", {"default": 7}),
        ("userId", "UUID", "User Id", {}),
        ("timeZone", "TEXT", "Time zone", {"default": "system"}),
        ("dateFormat", "SELECT", "Date format", {"options": WM_DATE, "default": "SYSTEM"}),
        ("timeFormat", "SELECT", "Time format", {"options": WM_TIME, "default": "SYSTEM"}),
        ("numberFormat", "SELECT", "Number format", {"options": WM_NUMBER, "default": "SYSTEM"}),
    ],
    "timelineActivity": [
        ("happensAt", "DATE_TIME", "Creation date", {}),
        ("name", "TEXT", "Event name", {}),
        ("properties", "RAW_JSON", "Event details", {}),
        ("linkedRecordCachedName", "TEXT", "Linked Record cached name", {}),
        ("linkedRecordId", "UUID", "Linked Record id", {}),
        ("linkedObjectMetadataId", "UUID", "Linked Object Metadata Id", {}),
    ],
    "messageParticipant": [
        ("handle", "TEXT", "Handle", {}),
        ("displayName", "TEXT", "Display Name", {}),
    ],
    "calendarEventParticipant": [
        ("handle", "TEXT", "Handle", {}),
        ("displayName", "TEXT", "Display Name", {}),
        ("isOrganizer", "BOOLEAN", "Is Organizer", {"default": False}),
    ],
    "workflow": [("name", "TEXT", "Name", {})],
    "favoriteFolder": [("name", "TEXT", "Name", {})],
    "view": [("name", "TEXT", "Name", {})],
}

# MANY_TO_ONE relations: (object, field name, target object, inverse field name on the target).
MANY_TO_ONE: list[tuple[str, str, str, str]] = [
    ("company", "accountOwner", "workspaceMember", "accountOwnerForCompanies"),
    ("person", "company", "company", "people"),
    ("opportunity", "pointOfContact", "person", "pointOfContactForOpportunities"),
    ("opportunity", "company", "company", "opportunities"),
    ("task", "assignee", "workspaceMember", "assignedTasks"),
    ("attachment", "author", "workspaceMember", "authoredAttachments"),
    ("messageParticipant", "person", "person", "messageParticipants"),
    ("messageParticipant", "workspaceMember", "workspaceMember", "messageParticipants"),
    ("calendarEventParticipant", "person", "person", "calendarEventParticipants"),
    ("calendarEventParticipant", "workspaceMember", "workspaceMember", "calendarEventParticipants"),
    ("timelineActivity", "workspaceMember", "workspaceMember", "timelineActivities"),
    ("favorite", "forWorkspaceMember", "workspaceMember", "favorites"),
]

# Objects every record object links to through these junction/system objects (target field names).
NOTE_LINKED = ("person", "company", "opportunity")
ACTIVITY_TARGETS = {"noteTarget": ("note", "noteTargets"), "taskTarget": ("task", "taskTargets")}
# System objects that point at every business object (and at custom objects once created).
LINKING_OBJECTS = {
    "attachment": "attachments",
    "timelineActivity": "timelineActivities",
    "favorite": "favorites",
}
LINKED_FROM_SYSTEM = ("person", "company", "opportunity", "note", "task", "workflow")


ICONS = {
    "company": "IconBuildingSkyscraper",
    "person": "IconUser",
    "opportunity": "IconTargetArrow",
    "note": "IconNotes",
    "task": "IconCheckbox",
    "workspaceMember": "IconUserCircle",
    "attachment": "IconFileImport",
}


def stable_id(*parts: str) -> str:
    """A deterministic uuid, so standard metadata ids are the same in every emulated workspace."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def metadata_id(custom: bool, *parts: str) -> str:
    """Standard metadata keeps one id in every workspace; what the analyst creates gets a new one."""
    return str(uuid.uuid4()) if custom else stable_id(*parts)


@dataclass
class FieldDef:
    """One field of an object as the metadata API describes it."""

    name: str
    type: str
    label: str
    object: str
    id: str = ""
    is_custom: bool = False
    is_system: bool = False
    is_nullable: bool = True
    is_unique: bool = False
    default: object = None
    options: list[dict] | None = None
    settings: dict | None = None
    relation: dict | None = None  # {"kind", "target", "join", "inverse"}
    description: str | None = None
    icon: str | None = None
    created_at: str = ""

    @property
    def join_column(self) -> str | None:
        if self.relation and self.relation["kind"] == "MANY_TO_ONE":
            return self.relation["join"]
        return None


@dataclass
class ObjectDef:
    """One object (standard or custom) with its fields in display order."""

    name_singular: str
    name_plural: str
    label_singular: str
    label_plural: str
    id: str = ""
    is_custom: bool = False
    is_system: bool = False
    description: str | None = None
    icon: str | None = None
    created_at: str = ""
    fields: list[FieldDef] = field(default_factory=list)

    def field(self, name: str) -> FieldDef | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def join_fields(self) -> dict[str, FieldDef]:
        return {f.join_column: f for f in self.fields if f.join_column}


def _options(spec: list[tuple]) -> list[dict]:
    out = []
    for pos, item in enumerate(spec):
        label, value = item[0], item[1]
        color = item[2] if len(item) > 2 else "gray"
        out.append({"id": "", "color": color, "label": label, "value": value, "position": pos})
    return out


def bookkeeping_fields(obj: str) -> list[tuple[str, str, str, dict]]:
    """id, timestamps and, where the object has them, position, createdBy and searchVector."""
    out: list[tuple[str, str, str, dict]] = []
    if obj in WITH_POSITION:
        out.append(("position", "POSITION", "Position", {"nullable": False}))
    if obj in WITH_ACTOR:
        out.append(("createdBy", "ACTOR", "Created by", {"nullable": False}))
    if obj in WITH_SEARCH:
        out.append(("searchVector", "TS_VECTOR", "Search vector", {}))
    out += [
        ("id", "UUID", "Id", {"nullable": False}),
        ("createdAt", "DATE_TIME", "Creation date", {"nullable": False}),
        ("updatedAt", "DATE_TIME", "Last update", {"nullable": False}),
        ("deletedAt", "DATE_TIME", "Deleted at", {}),
    ]
    return out


def relation_pairs() -> list[tuple[str, str, str, str]]:
    """Every standard MANY_TO_ONE relation: (object, field, target, inverse field on target)."""
    pairs = list(MANY_TO_ONE)
    for junction, (activity, inverse) in ACTIVITY_TARGETS.items():
        pairs.append((junction, activity, activity, inverse))
        for target in NOTE_LINKED:
            pairs.append((junction, target, target, inverse))
    for system, inverse in LINKING_OBJECTS.items():
        for target in LINKED_FROM_SYSTEM:
            pairs.append((system, target, target, inverse))
    return pairs


def custom_object_links(singular: str) -> list[tuple[str, str, str, str]]:
    """Relations a new custom object gets: the junction and system objects point at it."""
    links = [
        (junction, singular, singular, inverse)
        for junction, (_, inverse) in ACTIVITY_TARGETS.items()
    ]
    links += [(system, singular, singular, inverse) for system, inverse in LINKING_OBJECTS.items()]
    return links


def make_field(
    obj: str, name: str, type_: str, label: str, extra: dict, *, custom: bool = False
) -> FieldDef:
    from workbench.twenty.emulator.values import default_for  # local: values imports FieldDef

    system = name in BOOKKEEPING
    f = FieldDef(
        name=name,
        type=type_,
        label=label,
        object=obj,
        id=metadata_id(custom, "field", obj, name),
        is_custom=custom,
        is_system=system and name not in {"createdAt", "updatedAt", "deletedAt"},
        is_nullable=extra.get("nullable", type_ not in ("TEXT",) and name != "id"),
        is_unique=extra.get("unique", False),
        options=_options(extra["options"]) if "options" in extra else None,
    )
    if f.options:
        for opt in f.options:
            opt["id"] = metadata_id(custom, "option", obj, name, opt["value"])
    f.default = extra["default"] if "default" in extra else default_for(f)
    return f


def relation_field(
    obj: str,
    name: str,
    target: str,
    kind: str,
    other: str,
    *,
    custom: bool = False,
    label: str | None = None,
) -> FieldDef:
    """A RELATION field; for MANY_TO_ONE `other` is unused and the join column is `<name>Id`."""
    f = FieldDef(
        name=name,
        type="RELATION",
        label=label or name[:1].upper() + name[1:],
        object=obj,
        id=metadata_id(custom, "field", obj, name),
        is_custom=custom,
    )
    if kind == "MANY_TO_ONE":
        f.relation = {"kind": kind, "target": target, "join": f"{name}Id", "inverse": other}
        f.settings = {"relationType": kind, "onDelete": "SET_NULL", "joinColumnName": f"{name}Id"}
    else:
        f.relation = {"kind": kind, "target": target, "join": None, "inverse": other}
        f.settings = {"relationType": kind}
    return f


def standard_objects(now: str) -> list[ObjectDef]:
    """The 34 objects of a fresh workspace with their fields and relations."""
    objects: dict[str, ObjectDef] = {}
    for singular, plural, label, label_plural, system in STANDARD_OBJECTS:
        o = ObjectDef(
            singular,
            plural,
            label,
            label_plural,
            id=stable_id("object", singular),
            is_system=system,
            created_at=now,
            description=f"A {label.lower()}",
            icon=ICONS.get(singular, "IconBox"),
        )
        for name, type_, flabel, extra in DATA_FIELDS.get(singular, []) + bookkeeping_fields(
            singular
        ):
            o.fields.append(make_field(singular, name, type_, flabel, extra))
        objects[singular] = o
    for obj, name, target, inverse in relation_pairs():
        add_relation(objects, obj, name, target, inverse)
    for o in objects.values():
        for f in o.fields:
            f.created_at = now
    return list(objects.values())


def add_relation(
    objects: dict[str, ObjectDef],
    obj: str,
    name: str,
    target: str,
    inverse: str,
    *,
    custom: bool = False,
    label: str | None = None,
    inverse_label: str | None = None,
) -> FieldDef:
    """Add a MANY_TO_ONE field on `obj` and its ONE_TO_MANY inverse on `target`."""
    forward = relation_field(obj, name, target, "MANY_TO_ONE", inverse, custom=custom, label=label)
    objects[obj].fields.append(forward)
    if objects[target].field(inverse) is None:
        back = relation_field(
            target, inverse, obj, "ONE_TO_MANY", name, custom=custom, label=inverse_label
        )
        back.relation["inverse"] = name
        objects[target].fields.append(back)
    return forward
