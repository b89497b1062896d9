"""The ASGI app: routing, the API key check, body limits, throttling and injected faults.

`create_app(db_path)` answers like a Twenty 1.7 server; `version="2.x"` switches the points
FACTS.md marks as version-dependent (REST upsert, a 60-record batch cap, 429 instead of
GraphQL 200 throttling, a working startsWith). A client tells them apart the way it would a real
server: `GET /client-config` carries `appVersion`, as Twenty's public client-config does.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import sqlite3
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from workbench.twenty.emulator import gql, rest
from workbench.twenty.emulator.faults import FaultPlan, RateLimit
from workbench.twenty.emulator.gqlcore import parse_operation
from workbench.twenty.emulator.metadata import run_metadata_field
from workbench.twenty.emulator.problems import ApiProblem
from workbench.twenty.emulator.query import parse_query
from workbench.twenty.emulator.records import Workspace
from workbench.twenty.emulator.store import Store

BODY_LIMIT = 10 * 1024 * 1024
DEFAULT_KEY = "emulator"
JSON_TYPE = "application/json; charset=utf-8"
API_PREFIXES = ("/rest", "/graphql", "/metadata")


class ConnectionDropped(Exception):
    """Raised after a committed write when the fault plan drops the connection."""


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    content = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
    return Response(content, status_code=status, media_type=JSON_TYPE, headers=headers)


def js_json_error(text: str, exc: json.JSONDecodeError) -> str:
    """Python's JSON error in the words of Node's JSON.parse, which the real server uses."""
    where = f"in JSON at position {exc.pos} (line {exc.lineno} column {exc.colno})"
    if exc.msg.startswith("Expecting ',' delimiter"):
        return f"Expected ',' or '}}' after property value {where}"
    if exc.msg.startswith("Expecting property name"):
        return f"Expected double-quoted property name {where}"
    if exc.pos >= len(text):
        return "Unexpected end of JSON input"
    return f"Unexpected token '{text[exc.pos]}', \"{text[max(0, exc.pos - 10) : exc.pos + 10]}\" is not valid JSON"


class Emulator:
    """Holds the store and settings; its methods are the route handlers."""

    def __init__(
        self,
        db_path: str | Path,
        *,
        faults: FaultPlan | None,
        members: list[dict] | None,
        rate_limit: RateLimit | None,
        version: str,
        api_key: str | None,
        api_key_name: str,
    ) -> None:
        self.store = Store(db_path, members=members)
        self.faults = faults
        self.rate_limit = rate_limit
        self.version = version
        self.modern = not version.startswith("1.")
        self.keys = {DEFAULT_KEY} | ({api_key} if api_key else set())
        self.api_key_name = api_key_name

    @property
    def app_version(self) -> str:
        parts = self.version.replace("x", "0").split(".")
        return ".".join((parts + ["0", "0"])[:3])

    def workspace(self) -> Workspace:
        return Workspace(self.store, self.store.model(), self.api_key_name, self.modern)

    # -- auth ------------------------------------------------------------------------------
    def auth_problem(self, request: Request) -> ApiProblem | None:
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token:
            return ApiProblem(
                403,
                "FORBIDDEN_EXCEPTION",
                "Missing authentication token",
                gql_code="UNAUTHENTICATED",
            )
        if token in self.keys:
            return None
        if _looks_like_jwt(token):
            return ApiProblem(
                400, "INVALID_INPUT", "Unknown token error.", gql_code="UNAUTHENTICATED"
            )
        return ApiProblem(401, "UNAUTHENTICATED", "No payload", gql_code="UNAUTHENTICATED")

    def throttle(self, request: Request, bucket: str) -> float | None:
        if self.faults is not None and self.faults.graphql_throttled(bucket):
            return self.faults.retry_after
        if self.rate_limit is not None:
            return self.rate_limit.hit(request.headers.get("authorization", ""), bucket)
        return None

    # -- routes -----------------------------------------------------------------------------
    async def healthz(self, request: Request) -> Response:
        return json_response(200, {"status": "ok", "info": {}, "error": {}, "details": {}})

    async def client_config(self, request: Request) -> Response:
        return json_response(
            200,
            {
                "appVersion": self.app_version,
                "isMultiWorkspaceEnabled": False,
                "api": {"mutationMaximumAffectedRecords": 100},
            },
        )

    async def files(self, request: Request) -> Response:
        return json_response(
            400, {"statusCode": 400, "message": "Folder  is not allowed", "error": "Bad Request"}
        )

    async def rest(self, request: Request) -> Response:
        path = request.path_params["path"].strip("/")
        if path.startswith("open-api/") or path == "open-api":
            problem = self.auth_problem(request)
            if problem:
                return json_response(
                    problem.status,
                    {
                        "statusCode": problem.status,
                        "messages": [problem.message],
                        "error": problem.error,
                    },
                )
        problem = self.auth_problem(request)
        if problem is not None:
            return json_response(
                problem.status,
                {
                    "statusCode": problem.status,
                    "messages": [problem.message],
                    "error": problem.error,
                },
            )
        parts = [p for p in path.split("/") if p]
        if not parts:
            return json_response(
                400,
                ApiProblem(
                    400, "BadRequestException", "object '' not found. eg: companies"
                ).rest_body(),
            )
        if self.modern and parts[0] not in ("metadata", "open-api"):
            retry = self.throttle(
                request,
                "rest:" + (parts[1] if parts[0] == "batch" and len(parts) > 1 else parts[0]),
            )
            if retry is not None:
                return too_many(retry)
        body: Any = None
        if request.method in ("POST", "PATCH", "PUT"):
            raw = await request.body()
            if len(raw) > BODY_LIMIT:
                return json_response(500, None)
            if raw.strip():
                text = raw.decode("utf-8", errors="replace")
                try:
                    body = json.loads(text)
                except json.JSONDecodeError as exc:
                    return json_response(
                        400,
                        {
                            "statusCode": 400,
                            "message": js_json_error(text, exc),
                            "error": "Bad Request",
                        },
                    )
        raw_query = request.url.query
        query = parse_query(raw_query)
        try:
            status, answer = rest.handle(
                self.workspace(), request.method, parts, query, raw_query, body
            )
        except ApiProblem as p:
            return json_response(p.status, p.rest_body())
        except sqlite3.IntegrityError as exc:
            return json_response(
                500,
                {
                    "statusCode": 500,
                    "error": "InternalServerErrorException",
                    "messages": [str(exc)],
                },
            )
        return json_response(status, answer)

    async def graphql(self, request: Request) -> Response:
        problem = self.auth_problem(request)
        if problem is not None:
            return json_response(200, {"errors": [unauthenticated(problem)]})
        files: dict[str, tuple[str, str, bytes]] = {}
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await request.form()
            parts: dict[str, tuple[str, str, bytes]] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    parts[key] = (
                        value.filename or key,
                        value.content_type or "application/octet-stream",
                        await value.read(),
                    )
            payload, files = gql.multipart_payload(
                str(form.get("operations", "{}")), str(form.get("map", "{}")), parts
            )
        else:
            raw = await request.body()
            if len(raw) > BODY_LIMIT:
                return json_response(500, None)
            try:
                payload = json.loads(raw or b"{}")
            except json.JSONDecodeError as exc:
                return json_response(
                    400,
                    {
                        "statusCode": 400,
                        "message": js_json_error(raw.decode(errors="replace"), exc),
                        "error": "Bad Request",
                    },
                )
        try:
            status, body = gql.execute(
                self.workspace(), payload, lambda name: self.throttle(request, name), files
            )
        except gql.Throttled as t:
            return too_many(t.retry_after)
        except ApiProblem as p:
            return json_response(p.status, {"errors": [p.gql_error()]})
        return json_response(status, body)

    async def metadata(self, request: Request) -> Response:
        problem = self.auth_problem(request)
        if problem is not None:
            return json_response(200, {"errors": [unauthenticated(problem)]})
        try:
            payload = json.loads(await request.body() or b"{}")
            op = parse_operation(
                payload.get("query") or "", payload.get("variables"), payload.get("operationName")
            )
        except json.JSONDecodeError:
            return json_response(
                400,
                {"statusCode": 400, "message": "Unexpected token in JSON", "error": "Bad Request"},
            )
        except ApiProblem as p:
            return json_response(p.status, {"errors": [p.gql_error()]})
        data: dict[str, Any] = {}
        errors: list[dict] = []
        for field in op.fields:
            retry = self.throttle(request, "metadata:" + field.name)
            if retry is not None:
                if self.modern:
                    return too_many(retry)
                errors.append(gql.THROTTLED)
                continue
            try:
                data[field.key] = run_metadata_field(
                    self.workspace(), field.name, field.args, field.selection, op.fragments
                )
            except ApiProblem as p:
                if p.gql_extensions.pop("_http400", False):
                    return json_response(400, {"errors": [p.gql_error()]})
                if p.error == "GraphQLValidation":
                    return json_response(
                        400,
                        {"errors": [{"message": p.message, "extensions": {"code": p.gql_code}}]},
                    )
                errors.append(p.gql_error())
            finally:
                self.store.invalidate()
        if errors:
            return json_response(200, {"errors": errors, "data": None})
        return json_response(200, {"data": data})


def _looks_like_jwt(token: str) -> bool:
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return isinstance(header, dict) and "alg" in header


def unauthenticated(problem: ApiProblem) -> dict:
    return {
        "message": problem.message,
        "extensions": {
            "userFriendlyMessage": "You must be authenticated to perform this action.",
            "subCode": "UNAUTHENTICATED",
            "code": "UNAUTHENTICATED",
        },
    }


def too_many(retry_after: float) -> Response:
    body = {"statusCode": 429, "error": "ThrottlerException", "messages": ["Too many requests."]}
    return json_response(429, body, headers={"Retry-After": f"{retry_after:g}"})


class FaultLayer:
    """Wraps the app: latency, 429 bursts, 5xx, and dropping the answer to a committed write."""

    def __init__(self, app: Starlette, plan: FaultPlan | None) -> None:
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        if scope["type"] != "http" or plan is None or not scope["path"].startswith(API_PREFIXES):
            await self.app(scope, receive, send)
            return
        if plan.latency:
            await asyncio.sleep(plan.latency)
        if plan.draw(plan.rate_429):
            await too_many(plan.retry_after)(scope, receive, send)
            return
        if plan.draw(plan.rate_5xx):
            body = {
                "statusCode": 503,
                "error": "ServiceUnavailableException",
                "messages": ["Service Unavailable"],
            }
            await json_response(503, body)(scope, receive, send)
            return
        if scope["method"] != "GET" and plan.draw(plan.drop_after_commit):

            async def swallow(message: dict) -> None:
                return None

            await self.app(scope, receive, swallow)
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1024")],
                }
            )
            raise ConnectionDropped("connection dropped after the write was committed")
        await self.app(scope, receive, send)


def create_app(
    db_path: str | Path,
    *,
    faults: FaultPlan | None = None,
    members: list[dict] | None = None,
    rate_limit: RateLimit | None = None,
    version: str = "1.7",
    api_key: str | None = None,
    api_key_name: str = "emulator",
) -> FaultLayer:
    """An emulated Twenty workspace stored in `db_path` (created, with `members`, when new).

    Accepts the bearer token "emulator" and `api_key`; other tokens are refused as the real
    server refuses them.
    """
    emu = Emulator(
        db_path,
        faults=faults,
        members=members,
        rate_limit=rate_limit,
        version=version,
        api_key=api_key,
        api_key_name=api_key_name,
    )
    routes = [
        Route("/healthz", emu.healthz, methods=["GET"]),
        Route("/client-config", emu.client_config, methods=["GET"]),
        Route("/graphql", emu.graphql, methods=["POST"]),
        Route("/metadata", emu.metadata, methods=["POST"]),
        Route("/files/{path:path}", emu.files, methods=["GET"]),
        Route("/rest/{path:path}", emu.rest, methods=["GET", "POST", "PATCH", "PUT", "DELETE"]),
    ]
    app = FaultLayer(Starlette(routes=routes), faults)
    app.emulator = emu  # type: ignore[attr-defined]
    return app
