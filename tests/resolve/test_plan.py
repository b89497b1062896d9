import json

import polars as pl
import pytest
from resolve_samples import SOURCES, sample_members, sample_staged, truth

import workbench.resolve as resolve_package
from workbench.errors import ResolveError
from workbench.records import STAGED_SCHEMA, Staged, dumps
from workbench.resolve.plan import PlanParams, build_load_plan, objects_info, resolve_staged
from workbench.resolve.settled import staged_outcomes

INFO = {
    "companies": {"key_field": "companyKey", "derived": True},
    "contacts": "contactId",
    "deals": "dealId",
    "notes": "noteId",
    "users": "userId",
    "orders": "orderId",
    "products": "productId",
}
MEMBERS = [{"id": "u-1", "userEmail": "owner@agency.com", "name": "Owner"}]


def _ref(map_object: str, by: str, value: str, alt: str | None = None) -> dict[str, str | None]:
    return {"map_object": map_object, "by": by, "value": value, "alt": alt}


def _frame(map_object: str, target: str, rows: list[tuple[str, dict, dict]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "map_object": [map_object] * len(rows),
            "source_id": [r[0] for r in rows],
            "target": [target] * len(rows),
            "payload": [dumps(r[1]) for r in rows],
            "refs": [dumps(r[2]) for r in rows],
            "flags": [[] for _ in rows],
            "_file": [f"{map_object}.csv"] * len(rows),
            "_line": list(range(2, len(rows) + 2)),
        },
        schema=STAGED_SCHEMA,
    )


def _staged() -> Staged:
    def person(first: str, last: str, email: str, tags: list[str]) -> dict[str, object]:
        return {
            "name": {"firstName": first, "lastName": last},
            "emails": {"primaryEmail": email},
            "tags": tags,
        }

    return Staged(
        records={
            # listed out of load order on purpose
            "notes": _frame(
                "notes",
                "notes",
                [
                    (
                        "N1",
                        {"title": "a"},
                        {
                            "noteTargets.personId": _ref(
                                "contacts", "email_then_name", "ANN@acme.com", "Ann Lee"
                            )
                        },
                    ),
                    (
                        "N2",
                        {"title": "b"},
                        {
                            "noteTargets.personId": _ref(
                                "contacts", "email_then_name", "nobody@x.com", "No Body"
                            )
                        },
                    ),
                ],
            ),
            "products": _frame("products", "products", [("P1", {"name": "Widget"}, {})]),
            "orders": _frame(
                "orders",
                "orders",
                [
                    (
                        "O1",
                        {"name": "Order 1"},
                        {
                            "productId": _ref("products", "source_id", "P1"),
                            "personId": _ref("contacts", "source_id", "C2"),
                        },
                    )
                ],
            ),
            "companies": _frame(
                "companies",
                "companies",
                [
                    ("acme inc", {"name": "Acme Inc", "companyKey": "acme inc"}, {}),
                    ("acme, inc.", {"name": "ACME, Inc.", "companyKey": "acme, inc."}, {}),
                ],
            ),
            "contacts": _frame(
                "contacts",
                "people",
                [
                    (
                        "C1",
                        person("Ann", "Lee", "ann@acme.com", ["VIP"]),
                        {"companyId": _ref("companies", "name", "Acme Inc")},
                    ),
                    (
                        "C2",
                        person("Ann", "Lee", "Ann@Acme.com ", ["Client"]),
                        {"companyId": _ref("companies", "name", "acme")},
                    ),
                    (
                        "C3",
                        person("Bo", "Ng", "bo@x.com", []),
                        {"companyId": _ref("companies", "name", "Globex")},
                    ),
                ],
            ),
            "deals": _frame(
                "deals",
                "opportunities",
                [
                    (
                        "D1",
                        {"name": "Deal"},
                        {
                            "pointOfContactId": _ref("contacts", "name", "Ann Lee"),
                            "accountOwnerId": _ref("workspaceMembers", "email", "OWNER@agency.com"),
                        },
                    ),
                    (
                        "D2",
                        {"name": "Deal 2"},
                        {
                            "pointOfContactId": _ref("contacts", "source_id", "C1"),
                            "accountOwnerId": _ref("users", "source_id", "9"),
                        },
                    ),
                ],
            ),
            "users": _frame(
                "users",
                "workspaceMembers",
                [
                    ("9", {"userEmail": "left@agency.com"}, {}),
                    ("8", {"userEmail": "owner@agency.com"}, {}),
                ],
            ),
        }
    )


def _accounted(plan) -> list[str]:
    return [
        k for p in plan.phases for keys in p.records["source_keys"] for k in keys
    ] + plan.outcomes["source_key"].to_list()


def test_plan_orders_merges_links_and_accounts_for_every_row() -> None:
    staged = _staged()
    found = resolve_staged(staged, INFO, MEMBERS)
    plan = found.plan
    assert [p.name for p in plan.phases] == [
        "companies",
        "contacts",
        "deals",
        "notes",
        "noteTargets",
        "products",
        "orders",
    ]
    accounted = _accounted(plan)
    assert sorted(accounted) == sorted(
        f"{m}:{s}" for m, f in staged.records.items() for s in f["source_id"]
    )
    phases = {p.name: p for p in plan.phases}

    company = phases["companies"].records.row(0, named=True)
    assert company["source_keys"] == ["companies:acme inc", "companies:acme, inc."]
    contact = phases["contacts"].records.row(0, named=True)
    assert contact["source_keys"] == ["contacts:C1", "contacts:C2"]
    assert json.loads(contact["payload"])["tags"] == ["VIP", "Client"]
    assert json.loads(contact["refs"]) == {"companyId": "companies:acme inc"}
    assert phases["contacts"].key_field == "contactId"

    deals = {
        r["record_key"]: json.loads(r["refs"])
        for r in phases["deals"].records.iter_rows(named=True)
    }
    assert deals["deals:D1"] == {
        "pointOfContactId": "contacts:C1",
        "accountOwnerId": "twenty:u-1",
        "companyId": "companies:acme inc",
    }
    assert (
        "accountOwnerId" not in deals["deals:D2"]
    )  # user 9 is no member: loads without, queued owner
    assert found.owners.row(0, named=True)["owner_email"] == "left@agency.com"

    links = phases["noteTargets"].records.row(0, named=True)
    assert links["record_key"] == "noteTargets:N1|personId" and links["source_keys"] == []
    assert json.loads(links["refs"]) == {"noteId": "notes:N1", "personId": "contacts:C1"}
    assert json.loads(phases["orders"].records["refs"][0]) == {
        "productId": "products:P1",
        "personId": "contacts:C1",
    }

    outcomes = {r["source_key"]: r for r in plan.outcomes.iter_rows(named=True)}
    assert (
        outcomes["contacts:C3"]["outcome"] == "queued"
        and "Globex" in outcomes["contacts:C3"]["reason"]
    )
    assert outcomes["notes:N2"]["outcome"] == "queued"
    assert outcomes["users:8"]["merged_into"] == "twenty:u-1"
    assert outcomes["users:9"]["outcome"] == "queued"
    assert "contacts:C2" not in outcomes  # merged rows are in their survivor's source_keys


def test_placeholder_company_takes_unknown_companies_when_asked() -> None:
    plan = build_load_plan(
        _staged(),
        INFO,
        MEMBERS,
        params=PlanParams(placeholder_company="Unknown company (migration)"),
    )
    companies = next(p for p in plan.phases if p.name == "companies").records
    assert "companies:__placeholder__" in companies["record_key"].to_list()
    contacts = next(p for p in plan.phases if p.name == "contacts").records
    refs = {r["record_key"]: json.loads(r["refs"]) for r in contacts.iter_rows(named=True)}
    assert refs["contacts:C3"] == {"companyId": "companies:__placeholder__"}


def test_unknown_staged_object_is_refused() -> None:
    with pytest.raises(ResolveError, match="not in the map"):
        build_load_plan(_staged(), {"contacts": "contactId"})


def test_public_api_is_exported() -> None:
    for name in resolve_package.__all__:
        assert hasattr(resolve_package, name), name


RESOLVED = {"by_id", "by_email", "by_name", "by_company_id", "by_contact_name"}


@pytest.mark.parametrize("source", SOURCES)
def test_sample_plans_account_for_every_row_and_rebuild_associations(source: str) -> None:
    staged, spec = sample_staged(source)
    found = resolve_staged(staged, objects_info(spec), sample_members())
    plan = found.plan
    accounted = _accounted(plan)
    settled_by_staging = staged_outcomes(staged).height  # quarantined and queued source rows
    assert (
        settled_by_staging
        == staged.queue.height + staged.quarantine.select("file", "line").n_unique()
    )
    assert len(accounted) == len(set(accounted))
    assert len(accounted) == sum(f.height for f in staged.records.values()) + settled_by_staging

    sources_of: dict[str, set[str]] = {}
    survivor: dict[str, str] = {}
    targets: dict[str, list[str]] = {}
    for phase in plan.phases:
        for row in phase.records.iter_rows(named=True):
            sources_of[row["record_key"]] = {k.split(":", 1)[1] for k in row["source_keys"]}
            survivor.update({k: row["record_key"] for k in row["source_keys"]})
            refs = json.loads(row["refs"])
            parent = refs.pop("noteId", None) or refs.pop("taskId", None)
            if phase.target in ("noteTargets", "taskTargets"):
                targets.setdefault(parent, []).extend(refs.values())
            else:
                targets.setdefault(row["record_key"], []).extend(refs.values())
    where = {
        (f, line): f"{m}:{s}"
        for frame in staged.records.values()
        for m, s, f, line in frame.select("map_object", "source_id", "_file", "_line").iter_rows()
    }
    held = {
        f"{m}:{s}"
        for frame in (staged.queue, staged.quarantine)
        for m, s in frame.select("map_object", "source_id").iter_rows()
    }
    held_ids = {key.split(":", 1)[1] for key in held}
    # targets this plan queues itself (e.g. a contact whose company id exists nowhere)
    held_ids |= {
        k.split(":", 1)[1]
        for k, o in zip(plan.outcomes["source_key"], plan.outcomes["outcome"], strict=True)
        if o == "queued"
    }
    outcome = dict(zip(plan.outcomes["source_key"], plan.outcomes["outcome"], strict=True))
    reason = dict(zip(plan.outcomes["source_key"], plan.outcomes["reason"], strict=True))
    tally: dict[str, int] = {
        "right": 0,
        "queued": 0,
        "held upstream": 0,
        "awaiting review": 0,
        "missed": 0,
        "wrong": 0,
    }
    for row in truth(source, "associations.csv").iter_rows(named=True):
        key = where.get((row["file"], row["line"]))
        if key is None:  # the row itself never reached resolution
            tally["held upstream"] += 1
            continue
        key = survivor.get(key, key)
        linked = targets.get(key, [])
        expected = [v for v in (row["company"], row["contact"]) if v and v != "N/A"]
        if key not in sources_of:
            assert outcome.get(key) == "queued", (key, row)
            if row["status"] not in RESOLVED:
                tally["queued"] += 1
            elif "will not load" in reason[key] or any(v in held_ids for v in expected):
                tally["held upstream"] += 1
            elif any(
                why in reason[key] for why in ("decide in review", "belongs to", "of them at")
            ):
                # a grey-band company spelling, or an address several contacts share: the
                # export alone cannot say which record is meant
                tally["awaiting review"] += 1
            else:
                tally["missed"] += 1
                print("MISSED", key, row, reason[key])
            continue
        missing = [v for v in expected if not any(v in sources_of.get(t, set()) for t in linked)]
        if row["status"] in RESOLVED and not missing:
            tally["right"] += 1
        elif all(v in held_ids for v in missing) or (
            row["status"] == "ambiguous" and row["contact"] in held_ids
        ):
            # the true target was queued at staging (no email), so its namesake is the only
            # contact resolution can see
            tally["held upstream"] += 1
        else:
            tally["wrong"] += 1
            print("WRONG", key, row, linked)
    print(
        f"\n{source}: phases {[(p.name, p.records.height) for p in plan.phases]}; associations {tally}; owners to invite {found.owners.height}"
    )
    assert tally["wrong"] == 0
    assert tally["missed"] == 0
