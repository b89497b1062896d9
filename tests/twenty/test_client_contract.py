"""Contract: every request shape the client sends is one the emulator was taught, and parses.

The shapes are generated from the client, not listed by hand: every public operation of
`TwentyClient` (found by introspection; a new one fails this test until it is driven here)
and the loader, reconciliation and rollback on a small plan run through a transport that
records each request. Each recorded request must then name a route the emulator declares
(`rest.ROUTES`), use only query parameters it implements for that route (`query.PARAMETERS`),
pass its strict REST query parsing (the server's grammar, SERVER_RULES.md), and each GraphQL
root field must be one the emulator resolves.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import graphql
import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "load"))

from synthetic import build_plan, prepare_workspace  # noqa: E402

from workbench.load import Ledger, reconcile, rollback, run_load  # noqa: E402
from workbench.twenty import (  # noqa: E402
    FieldSpec,
    FieldType,
    ObjectSpec,
    RelationSpec,
    SelectOption,
    TwentyClient,
)
from workbench.twenty import rest_grammar as grammar  # noqa: E402
from workbench.twenty.emulator import FaultPlan, emulator_transport  # noqa: E402
from workbench.twenty.emulator import query as q  # noqa: E402
from workbench.twenty.emulator.filters import (  # noqa: E402
    OPERATORS,
    check_filter_paths,
    parse_rest_filter,
)
from workbench.twenty.emulator.gql import resolve_name  # noqa: E402
from workbench.twenty.emulator.problems import ApiProblem  # noqa: E402
from workbench.twenty.emulator.rest import ROUTES  # noqa: E402
from workbench.twenty.emulator.store import Store  # noqa: E402

# Public members that send nothing of their own.
NOT_REQUESTS = {
    "close": "closes the HTTP client",
    "from_settings": "builds a client with its own transport; its requests are the others'",
}
AWKWARD_KEYS = [
    "vanguard media, ltd.",
    "maple leaf engineering, inc.",
    "o'brien, llp",
    "o'brien (uk",
    "a\nb",
    "ok",
]
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass
class Recorded:
    method: str
    path: str
    raw_query: str
    body: Any
    status: int
    answer: Any


@dataclass
class Recorder(httpx.BaseTransport):
    """Passes requests on to the emulator and keeps each one with its answer."""

    inner: httpx.BaseTransport
    seen: list[Recorded] = field(default_factory=list)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        kind = request.headers.get("content-type", "")
        body: Any = "multipart" if kind.startswith("multipart/") else None
        if content and body is None:
            body = json.loads(content)
        response = self.inner.handle_request(request)
        response.read()
        try:
            answer = response.json()
        except ValueError:
            answer = None
        self.seen.append(
            Recorded(
                request.method,
                request.url.path,
                request.url.query.decode(),
                body,
                response.status_code,
                answer,
            )
        )
        return response


def _driver() -> dict[str, Callable[[TwentyClient, SimpleNamespace], Any]]:
    """One call per public operation, in an order where each finds what it needs."""

    def create_schema(c: TwentyClient, s: SimpleNamespace) -> None:
        s.company = c.object_info("companies")
        spec = FieldSpec("company", "allclientsCompanyKey", "Key", FieldType.TEXT)
        c.create_field(spec, s.company.id)

    def create_object(c: TwentyClient, s: SimpleNamespace) -> None:
        s.event = c.create_object(
            ObjectSpec("behaviorEvent", "behaviorEvents", "Behavior Event", "Behavior Events")
        )

    def create_relation(c: TwentyClient, s: SimpleNamespace) -> None:
        person = c.object_info("people")
        rel = RelationSpec("behaviorEvent", "person", "Person", "person", "Behavior Events")
        c.create_relation(rel, s.event.id, person.id)

    def add_select_options(c: TwentyClient, s: SimpleNamespace) -> None:
        info = c.object_info("opportunities", refresh=True)
        stage = info.field("stage")
        c.add_select_options(stage.id, stage.options, [SelectOption("Won Back", "WON_BACK", 9)])

    def create_many(c: TwentyClient, s: SimpleNamespace) -> None:
        rows = [{"name": k, "allclientsCompanyKey": k} for k in AWKWARD_KEYS]
        s.ids = [
            r["id"] for r in c.create_many("companies", rows, key_field="allclientsCompanyKey")
        ]

    def upload_file(c: TwentyClient, s: SimpleNamespace) -> None:
        path = s.tmp / "note.txt"
        path.write_text("hello", encoding="utf-8")
        c.upload_file(path)

    return {
        "capabilities": lambda c, s: c.capabilities(),
        "list_objects": lambda c, s: c.list_objects(),
        "object_info": create_schema,
        "create_field": lambda c, s: None,  # driven inside object_info's step
        "create_object": create_object,
        "create_relation": create_relation,
        "add_select_options": add_select_options,
        "create_many": create_many,
        "create": lambda c, s: s.ids.append(c.create("companies", {"name": "One"})["id"]),
        "update": lambda c, s: c.update("companies", s.ids[-1], {"name": "One, renamed"}),
        "get": lambda c, s: (
            c.get("companies", s.ids[0], depth=1),
            c.get("companies", UUID_MISSING),
        ),
        "find": lambda c, s: list(c.find("companies", page_size=2)),
        "count": lambda c, s: c.count("companies"),
        "find_in": lambda c, s: list(c.find_in("companies", "allclientsCompanyKey", AWKWARD_KEYS)),
        "count_in": lambda c, s: c.count_in("companies", "allclientsCompanyKey", AWKWARD_KEYS),
        "find_by_values": lambda c, s: c.find_by_values("companies", "id", s.ids),
        "upsert_many": lambda c, s: c.upsert_many("companies", [{"id": s.ids[0], "name": "Up"}]),
        "soft_delete": lambda c, s: c.soft_delete("companies", s.ids[:2]),
        "restore": lambda c, s: c.restore("companies", s.ids[:2]),
        "destroy": lambda c, s: c.destroy("companies", s.ids[:1]),
        "delete": lambda c, s: c.delete("companies", s.ids[1]),
        "upload_file": upload_file,
        "workspace_members": lambda c, s: c.workspace_members(),
    }


UUID_MISSING = "00000000-0000-4000-8000-000000000000"


def _client(transport: httpx.BaseTransport) -> TwentyClient:
    return TwentyClient(
        "http://twenty-emulator",
        "emulator",
        transport=transport,
        requests_per_minute=100_000,
        batch_size=10,
        backoff=0.001,
        progress=False,
    )


def _template(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] != "rest":
        return "/" + "/".join(
            "{path}" if i and parts[0] == "files" else p for i, p in enumerate(parts)
        )
    if parts[1] in ("metadata", "open-api"):
        return "/rest/" + "/".join("{id}" if UUID.fullmatch(p) else p for p in parts[1:])
    if parts[1] == "batch":
        return "/rest/batch/{object}"
    return "/rest/{object}" + ("/{id}" if len(parts) > 2 else "")


def _filter_shape(node: Any) -> str:
    if isinstance(node, grammar.Predicate):
        value = node.value
        kind = "quoted" if value[:1] == '"' else "list" if value[:1] == "[" else "bare"
        return f"[{node.comparator}]:{kind}"
    if node[0] == "not":
        return f"not({_filter_shape(node[1])})"
    return f"{node[0]}({','.join(_filter_shape(n) for n in node[1])})"


def _half_quoted(text: str) -> bool:
    return (text[:1] in "\"'") != (text[-1:] in "\"'") or text != text.strip()


def _misreadings(node: Any) -> list[str]:
    """Values the server would cut where the writer did not mean it: an item or value quoted at
    one end only, or with blanks around it (what a split inside quotes or after ", " leaves)."""
    if isinstance(node, grammar.Predicate):
        if node.comparator in grammar.LIST_COMPARATORS and node.value[:1] == "[":
            items = grammar.list_items(node.value, node.comparator)
            return [f"{node.source}: item {i!r}" for i in items if _half_quoted(i)]
        bad = node.comparator != "is" and _half_quoted(node.value)
        return [f"{node.source}: value {node.value!r}"] if bad else []
    if node[0] == "not":
        return _misreadings(node[1])
    return [m for n in node[1] for m in _misreadings(n)]


def _root_fields(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return ["uploadFile"]  # the multipart upload: its operation is a form part
    document = graphql.parse(body["query"])
    return [
        sel.name.value
        for definition in document.definitions
        for sel in definition.selection_set.selections
    ]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Recorded], Path]:
    tmp = tmp_path_factory.mktemp("contract")
    db = tmp / "emulator.sqlite"
    recorder = Recorder(emulator_transport(db))
    driver = _driver()
    public = {
        n for n, m in inspect.getmembers(TwentyClient) if callable(m) and not n.startswith("_")
    }
    missing = public - set(driver) - set(NOT_REQUESTS)
    assert not missing, f"public client operations the contract does not drive: {sorted(missing)}"
    state = SimpleNamespace(tmp=tmp)
    with _client(recorder) as client:
        for _name, step in driver.items():
            step(client, state)
    # the load path on a small plan, with answers lost after commit so settling runs too
    run = tmp / "run"
    faults = FaultPlan(drop_after_commit=0.35, seed=3)
    loader = Recorder(emulator_transport(db, faults=faults))
    with _client(loader) as client, Ledger(run) as ledger:
        prepare_workspace(client)
        plan = build_plan()
        assert run_load(plan, client, ledger, mode="full").ok
    with _client(recorder) as client, Ledger(run) as ledger:
        assert reconcile(plan, client, ledger).ok
        assert rollback(ledger, client).ok
    return recorder.seen + loader.seen, db


def test_every_request_shape_is_one_the_emulator_was_taught(
    recorded: tuple[list[Recorded], Path],
) -> None:
    seen, db = recorded
    model = Store(db).model()
    ws = SimpleNamespace(model=model)
    shapes: set[tuple] = set()
    problems: list[str] = []
    for r in seen:
        route = (r.method, _template(r.path))
        if route not in ROUTES:
            problems.append(f"{r.method} {r.path}: no such route in the emulator")
            continue
        params = q.parse_query(r.raw_query)
        taught = q.PARAMETERS.get(route, {})
        for name in params:
            if name not in taught:
                problems.append(f"{r.method} {r.path}?{r.raw_query}: parameter {name!r} not taught")
        shape: tuple = (*route, tuple(sorted(params)))
        if route == ("GET", "/rest/{object}"):
            obj = model.by_plural(r.path.split("/")[2])
            try:
                text = q.text_param(params, "filter")
                if text is not None:
                    node = parse_rest_filter(text, obj)
                    check_filter_paths(node, obj)
                    tree = grammar.parse_filter(text)
                    shape += (_filter_shape(tree),)
                    problems += [f"would be misread: {m}" for m in _misreadings(tree)]
                    ops = re.findall(r"\[(\w+)\]:", text)
                    problems += [
                        f"{text}: comparator {o} not compiled" for o in ops if o not in OPERATORS
                    ]
                q.limit_of(params)
                q.order_of(params, obj)
                q.depth_of(params)
                for cursor in ("starting_after", "ending_before"):
                    if q.text_param(params, cursor):
                        q.decode_cursor(params[cursor])
            except ApiProblem as exc:
                problems.append(f"GET {r.path}?{r.raw_query}: refused: {exc.message}")
        if route in {("GET", "/rest/{object}/{id}")}:
            try:
                q.depth_of(params)
            except ApiProblem as exc:
                problems.append(f"GET {r.path}?{r.raw_query}: refused: {exc.message}")
        if route == ("POST", "/graphql"):
            for root in _root_fields(r.body):
                if root != "uploadFile" and resolve_name(ws, root) is None:
                    problems.append(f"/graphql root field {root!r} unknown to the emulator")
                shape += (re.sub(r"[A-Z]\w*$", "{Object}", root),)
        if route == ("POST", "/metadata"):
            shape += tuple(_root_fields(r.body))
            errors = (r.answer or {}).get("errors") or []
            problems += [
                f"/metadata: {e.get('message')}"
                for e in errors
                if (e.get("extensions") or {}).get("code") == "GRAPHQL_VALIDATION_FAILED"
            ]
        if isinstance(r.body, list | dict) and route[1].startswith("/rest"):
            shape += ("array" if isinstance(r.body, list) else "object",)
        shapes.add(shape)
    print(f"\n{len(seen)} requests, {len(shapes)} shapes:")
    for shape in sorted(shapes, key=str):
        print("  ", *shape)
    assert not problems, "\n".join(problems)


def test_no_answer_was_a_refusal_of_the_query_grammar(
    recorded: tuple[list[Recorded], Path],
) -> None:
    grammar_errors = ("'filter'", "limit '", "'depth=", "'order_by'", "Invalid cursor", "field '")
    refusals = [
        f"{r.method} {r.path}?{r.raw_query}: {m}"
        for r in recorded[0]
        if r.status == 400 and isinstance(r.answer, dict)
        for m in r.answer.get("messages") or [r.answer.get("message")]
        if isinstance(m, str) and m.startswith(grammar_errors)
    ]
    assert not refusals, "\n".join(refusals)


def test_the_lookups_took_every_filter_shape_they_need(
    recorded: tuple[list[Recorded], Path],
) -> None:
    filters = [
        q.text_param(q.parse_query(r.raw_query), "filter") for r in recorded[0] if r.method == "GET"
    ]
    shapes = {_filter_shape(grammar.parse_filter(f)) for f in filters if f}
    # lists for plain values, or() of quoted eq for values holding a comma, a quoted eq alone
    # where quotes in the value forbid grouping, like for a line break or an unbalanced
    # parenthesis, and() around the links a lost write is recognised by
    assert {"and([in]:list)", "and([eq]:quoted)", "and([like]:quoted)"} <= shapes, shapes
    assert "or([eq]:quoted,[eq]:quoted)" in shapes, shapes
    assert any(s.startswith("and([eq]:quoted,[eq]:quoted") for s in shapes), shapes


@pytest.mark.parametrize(
    "text",
    [
        'kartraCompanyId[in]:["554", "548"]',  # json.dumps puts a space after each comma
        'allclientsCompanyKey[in]:["vanguard media, ltd."]',  # split inside the quotes
    ],
)
def test_the_contract_flags_filters_the_server_would_misread(text: str) -> None:
    tree = grammar.parse_filter(text)
    assert _misreadings(tree)
