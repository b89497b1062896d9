"""A small in-memory Twenty behind httpx.MockTransport, for client tests that need exact control.

It answers only what the client sends, with the shapes FACTS.md records, and lets a test script
failures: `fail` holds callables tried before each request; one that returns a Response (or
raises an httpx error) replaces the normal answer.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx

API_KEY = "test-key-3f9a-never-printed"
SINGULAR = {"people": "person", "companies": "company", "opportunities": "opportunity"}
IN_FILTER = re.compile(r"^([\w.]+)\[in\]:\[(.*)\]$")


def value_at(record: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


class FakeTwenty:
    def __init__(
        self,
        *,
        version: str | None = "1.7.0",
        rest_upsert: bool = False,
        batch_cap: int | None = None,
        soft_rest_delete: bool = False,
    ) -> None:
        self.version = version
        self.rest_upsert = rest_upsert
        self.batch_cap = batch_cap
        self.soft_rest_delete = soft_rest_delete
        self.records: dict[str, dict[str, dict[str, Any]]] = {}
        self.requests: list[httpx.Request] = []
        self.fail: list[Callable[[httpx.Request], httpx.Response | None]] = []
        self.objects: list[dict[str, Any]] = [
            self._object("person", "people", ["name", "emails", "city", "jobTitle"]),
            self._object("company", "companies", ["name", "domainName", "employees"]),
        ]

    # -------------------------------------------------------------- plumbing
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return httpx.Response(
                401,
                json={"statusCode": 401, "messages": ["No payload"], "error": "UNAUTHENTICATED"},
            )
        if self.fail:
            answer = self.fail.pop(0)(request)
            if answer is not None:
                return answer
        return self.route(request)

    def route(self, request: httpx.Request) -> httpx.Response:
        """The normal answer (a failure hook may call it to commit before failing)."""
        path = request.url.path
        if path == "/client-config":
            if self.version is None:
                return httpx.Response(
                    404, json={"statusCode": 404, "message": "Cannot GET /client-config"}
                )
            return httpx.Response(
                200,
                json={"appVersion": self.version, "api": {"mutationMaximumAffectedRecords": 200}},
            )
        if path == "/rest/metadata/objects":
            return httpx.Response(
                200, json={"data": {"objects": self.objects}, "pageInfo": {"hasNextPage": False}}
            )
        if path.startswith("/rest/batch/"):
            return self._batch(request, path.removeprefix("/rest/batch/"))
        if path.startswith("/rest/"):
            return self._rest(request, path.removeprefix("/rest/").split("/"))
        if path == "/graphql":
            return self._graphql(json.loads(request.content))
        if path == "/metadata":
            return self._metadata(json.loads(request.content))
        return httpx.Response(404)

    def paths(self, method: str | None = None) -> list[str]:
        return [r.url.path for r in self.requests if method is None or r.method == method]

    # -------------------------------------------------------------- REST
    def _store(self, obj: str) -> dict[str, dict[str, Any]]:
        return self.records.setdefault(obj, {})

    def _new(self, obj: str, body: dict[str, Any]) -> dict[str, Any]:
        record = {"id": body.get("id") or str(uuid.uuid4()), "deletedAt": None, **body}
        self._store(obj)[record["id"]] = record
        return record

    def _batch(self, request: httpx.Request, obj: str) -> httpx.Response:
        body = json.loads(request.content)
        if self.batch_cap is not None and len(body) > self.batch_cap:
            return _error(
                400,
                "BadRequestException",
                f"Maximum number of records per batch is {self.batch_cap}",
            )
        if any("workbenchCapabilityProbeNoSuchField" in r for r in body):
            return _error(
                400,
                "Error",
                'Field metadata for field "workbenchCapabilityProbeNoSuchField" is missing',
            )
        upsert = self.rest_upsert and request.url.params.get("upsert") == "true"
        created = []
        for record in body:
            if upsert and record.get("id") in self._store(obj):
                self._store(obj)[record["id"]].update(record)
                created.append(self._store(obj)[record["id"]])
            else:
                created.append(self._new(obj, record))
        return httpx.Response(201, json={"data": {f"create{obj.capitalize()}": created}})

    def _rest(self, request: httpx.Request, parts: list[str]) -> httpx.Response:
        obj = parts[0]
        store = self._store(obj)
        singular = SINGULAR.get(obj, obj)
        if len(parts) == 1 and request.method == "POST":
            body = json.loads(request.content)
            if body.get("id") in store:
                if self.rest_upsert and request.url.params.get("upsert") == "true":
                    store[body["id"]].update(body)
                    return httpx.Response(
                        200, json={"data": {f"create{singular}": store[body["id"]]}}
                    )
                return _error(400, "BadRequestException", "Record already exists")
            return httpx.Response(201, json={"data": {f"create{singular}": self._new(obj, body)}})
        if len(parts) == 1 and request.method == "GET":
            return self._list(request, obj)
        record = store.get(parts[1])
        if record is None or record.get("deletedAt"):
            if request.method == "GET":
                return _error(400, "BadRequestException", "Record not found")
            return _error(
                400, "EntityNotFoundError", f'Could not find any entity of type "{singular}"'
            )
        if request.method == "PATCH":
            record.update(json.loads(request.content))
            return httpx.Response(200, json={"data": {f"update{singular}": record}})
        if request.method == "DELETE":
            if self.soft_rest_delete:
                record["deletedAt"] = "2026-01-01T00:00:00.000Z"
            else:
                del store[parts[1]]
            return httpx.Response(200, json={"data": {f"delete{singular}": {"id": parts[1]}}})
        return httpx.Response(200, json={"data": {singular: record}})

    def _list(self, request: httpx.Request, obj: str) -> httpx.Response:
        rows = [r for r in self._store(obj).values() if not r.get("deletedAt")]
        flt = request.url.params.get("filter")
        if flt:
            match = IN_FILTER.match(flt)
            assert match, f"fake understands only [in] filters, got {flt}"
            wanted = {str(v) for v in json.loads("[" + match.group(2) + "]")}
            rows = [r for r in rows if str(value_at(r, match.group(1))) in wanted]
        rows.sort(key=lambda r: r["id"])
        total = len(rows)
        after = request.url.params.get("starting_after")
        if after:
            rows = [r for r in rows if r["id"] > after]
        limit = min(int(request.url.params.get("limit", 60)), 200)
        page = rows[:limit]
        info = {
            "hasNextPage": len(rows) > limit,
            "startCursor": page[0]["id"] if page else None,
            "endCursor": page[-1]["id"] if page else None,
        }
        return httpx.Response(
            200, json={"data": {obj: page}, "pageInfo": info, "totalCount": total}
        )

    # -------------------------------------------------------------- GraphQL
    def _graphql(self, payload: dict[str, Any]) -> httpx.Response:
        query, variables = payload["query"], payload.get("variables") or {}
        root = re.search(r"\{\s*(\w+)", query).group(1)
        if root == "companies":  # the capability probe's soft-deleted lookup
            hits = [
                r
                for r in self._store("companies").values()
                if r["id"] == variables["id"] and r.get("deletedAt")
            ]
            return _data({root: {"edges": [{"node": {"id": r["id"]}} for r in hits]}})
        op = re.match(r"(create|delete|restore|destroy)([A-Z]\w*)", root)
        verb, plural = op.group(1), op.group(2)
        obj = plural[:1].lower() + plural[1:]
        if obj == "company" and verb == "destroy":  # destroyCompany(id)
            self._store("companies").pop(variables["id"], None)
            return _data({root: {"id": variables["id"]}})
        store = self._store(obj)
        if verb == "create":
            out = []
            for record in variables["data"]:
                match = record.get("id") in store and store[record["id"]]
                if not match and "emails" in record:
                    email = record["emails"]["primaryEmail"].lower()
                    match = next(
                        (r for r in store.values() if value_at(r, "emails.primaryEmail") == email),
                        None,
                    )
                if match:
                    match.update({k: v for k, v in record.items() if k != "id"})
                    out.append(match)
                else:
                    out.append(self._new(obj, record))
            return _data({root: [{"id": r["id"], "deletedAt": r.get("deletedAt")} for r in out]})
        ids = variables["ids"]
        hits = [store[i] for i in ids if i in store]
        for record in hits:
            if verb == "delete":
                record["deletedAt"] = "2026-01-01T00:00:00.000Z"
            elif verb == "restore":
                record["deletedAt"] = None
            else:
                del store[record["id"]]
        return _data({root: [{"id": r["id"], "deletedAt": r.get("deletedAt")} for r in hits]})

    # -------------------------------------------------------------- metadata
    @staticmethod
    def _object(
        singular: str, plural: str, field_names: list[str], custom: bool = False
    ) -> dict[str, Any]:
        return {
            "id": str(uuid.uuid4()),
            "nameSingular": singular,
            "namePlural": plural,
            "isCustom": custom,
            "isSystem": False,
            "fields": [
                {
                    "id": str(uuid.uuid4()),
                    "name": n,
                    "type": "TEXT",
                    "isCustom": False,
                    "options": None,
                }
                for n in ["id", "createdAt", *field_names]
            ],
        }

    def _metadata(self, payload: dict[str, Any]) -> httpx.Response:
        query, variables = payload["query"], payload.get("variables") or {}
        root = re.search(r"\{\s*(\w+)", query).group(1)
        if root == "createOneObject":
            spec = variables["input"]["object"]
            if any(o["nameSingular"] == spec["nameSingular"] for o in self.objects):
                return _data({root: None}, errors=[("Object already exists", "CONFLICT")])
            node = self._object(spec["nameSingular"], spec["namePlural"], ["name"], custom=True)
            self.objects.append(node)
            return _data(
                {root: {k: node[k] for k in ("id", "nameSingular", "namePlural", "isCustom")}}
            )
        if root == "createOneField":
            spec = variables["input"]["field"]
            owner = next(o for o in self.objects if o["id"] == spec["objectMetadataId"])
            if any(f["name"] == spec["name"] for f in owner["fields"]):
                return _data(
                    None, errors=[(f'Name "{spec["name"]}" is not available', "BAD_USER_INPUT")]
                )
            options = [{**o, "id": str(uuid.uuid4())} for o in spec.get("options") or []] or None
            node = {
                "id": str(uuid.uuid4()),
                "name": spec["name"],
                "type": spec["type"],
                "isCustom": True,
                "options": options,
            }
            owner["fields"].append(node)
            if spec["type"] == "RELATION":
                owner["fields"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "name": spec["name"] + "Id",
                        "type": "UUID",
                        "options": None,
                    }
                )
            return _data({root: node})
        if root == "updateOneField":
            update = variables["input"]
            for owner in self.objects:
                for node in owner["fields"]:
                    if node["id"] == update["id"]:
                        node["options"] = [
                            {**o, "id": o.get("id") or str(uuid.uuid4())}
                            for o in update["update"]["options"]
                        ]
                        return _data({root: node})
        raise AssertionError(f"fake does not answer {root}")


def _error(status: int, error: str, message: str) -> httpx.Response:
    return httpx.Response(
        status, json={"statusCode": status, "error": error, "messages": [message]}
    )


def _data(data: Any, errors: list[tuple[str, str]] | None = None) -> httpx.Response:
    body: dict[str, Any] = {"data": data}
    if errors:
        body["errors"] = [{"message": m, "extensions": {"code": c}} for m, c in errors]
    return httpx.Response(200, json=body)


def drop_after_commit(fake: FakeTwenty) -> Callable[[httpx.Request], httpx.Response | None]:
    """Apply the request, then lose the answer, as a dropped connection does."""

    def hook(request: httpx.Request) -> httpx.Response | None:
        fake.route(request)
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response", request=request
        )

    return hook


def answer(
    status: int, body: Any = None, headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """Answer the next request with this, whatever it asks."""
    if isinstance(body, (dict, list)):
        return lambda request: httpx.Response(status, json=body, headers=headers)
    return lambda request: httpx.Response(status, content=body or b"", headers=headers)


def raise_(exc_type: type[httpx.HTTPError]) -> Callable[[httpx.Request], httpx.Response]:
    def hook(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return hook


def passes(request: httpx.Request) -> None:
    """Let the next request through untouched."""
    return None


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(fake: FakeTwenty, clock: FakeClock | None = None, **kwargs: Any):
    """A client on the fake, sleeping on a fake clock (never really)."""
    from workbench.twenty.client import TwentyClient

    clock = clock or FakeClock()
    kwargs.setdefault("progress", False)
    return TwentyClient(
        "http://twenty.test",
        API_KEY,
        transport=fake.transport(),
        sleep=clock.sleep,
        clock=clock,
        **kwargs,
    )
