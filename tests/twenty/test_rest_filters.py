"""The client writes filters Twenty 1.7 reads as meant, and finds records by any value exactly."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.load.reconcile import count_in, read_in
from workbench.twenty import FieldSpec, FieldType, TwentyClient
from workbench.twenty.emulator import emulator_transport
from workbench.twenty.rest_filters import (
    Condition,
    FilterNotExpressible,
    lookup_filters,
    write_filter,
)
from workbench.twenty.rest_grammar import parse_filter, text_meaning

# AllClients company keys and other values that trip the server's grammar.
AWKWARD = [
    "maple leaf engineering, inc.",
    "vanguard media, ltd.",
    "o'brien & sons",
    "o'brien, o'neil, llp",
    "acme (uk), ltd.",
    "acme (uk",
    "x) y (z",
    '"quoted", inc.',
    "brackets [1], [2",
    "line\nbreak",
    "100% pure_co\\op",
    "a:b[eq]:c",
    "Müller, GmbH",
    "plain",
]


def test_lists_are_written_without_spaces_and_several_conditions_inside_and() -> None:
    assert write_filter(Condition("kartraCompanyId", "in", ["554", "548"])) == (
        'kartraCompanyId[in]:["554","548"]'
    )
    assert write_filter(Condition("noteId", "eq", "n1"), Condition("personId", "eq", "p1")) == (
        'and(noteId[eq]:"n1",personId[eq]:"p1")'
    )
    assert write_filter(Condition("tags", "containsAny", ["A", "B"], quoted=False)) == (
        "tags[containsAny]:[A,B]"
    )
    assert write_filter(Condition("employees", "gte", 10), Condition("x", "is", "NULL")) == (
        "and(employees[gte]:10,x[is]:NULL)"
    )


@pytest.mark.parametrize(
    "condition",
    [
        Condition("k", "in", ["vanguard media, ltd."]),  # split on the comma
        Condition("k", "eq", "acme (uk"),  # parentheses counted over the whole filter
        Condition("k", "eq", "line\nbreak"),  # JavaScript's . stops at line breaks
        Condition("k", "eq", '"x"', quoted=False),  # the server would strip those quotes
        Condition("k", "between", "1"),
    ],
)
def test_what_the_server_would_misread_is_never_written(condition: Condition) -> None:
    with pytest.raises(FilterNotExpressible):
        write_filter(condition)


def test_an_apostrophe_does_not_swallow_the_next_condition() -> None:
    with pytest.raises(FilterNotExpressible, match="misread"):
        write_filter(Condition("a", "eq", "o'brien"), Condition("b", "eq", "x,y"))


def _asked(meaning: tuple) -> list[tuple[str, object]]:
    if meaning[0] in ("and", "or"):
        return [pair for m in meaning[1] for pair in _asked(m)]
    return [(meaning[2], meaning[3])]


def test_lookups_read_back_as_exactly_the_values_asked_for() -> None:
    lookups = lookup_filters("allclientsCompanyKey", AWKWARD, max_items=5)
    asked = [v for lk in lookups for v in lk.values]
    assert sorted(asked) == sorted(AWKWARD)
    for lk in lookups:
        read = _asked(text_meaning(parse_filter(lk.filter)))
        if lk.exact and read[0][0] == "in":
            assert read == [("in", list(lk.values))]
        elif lk.exact:
            assert read == [("eq", v) for v in lk.values]
        else:
            assert [op for op, _ in read] == ["like"] and len(lk.values) == 1
    commas = [lk for lk in lookups if "vanguard media, ltd." in lk.values][0]
    assert commas.filter.startswith(
        "or("
    ) and 'allclientsCompanyKey[eq]:"vanguard media, ltd."' in (commas.filter)
    alone = [lk for lk in lookups if "o'brien, o'neil, llp" in lk.values][0]
    assert alone.filter == "allclientsCompanyKey[eq]:\"o'brien, o'neil, llp\""
    assert {v for lk in lookups if not lk.exact for v in lk.values} == {
        "acme (uk",
        "line\nbreak",
    }


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TwentyClient]:
    transport = emulator_transport(tmp_path / "w.sqlite")
    with TwentyClient(
        "http://twenty-emulator",
        "emulator",
        transport=transport,
        progress=False,
        requests_per_minute=100_000,
    ) as c:
        company = next(o for o in c.list_objects() if o.name_singular == "company")
        spec = FieldSpec("company", "allclientsCompanyKey", "Key", FieldType.TEXT)
        c.create_field(spec, company.id)
        yield c


def test_every_awkward_value_is_found_exactly_once(client: TwentyClient) -> None:
    decoys = ["acme _uk", "line_break", "100% pure_co\\op2", "vanguard media"]
    rows = [{"name": v, "allclientsCompanyKey": v} for v in AWKWARD + decoys]
    client.create_many("companies", rows)
    found = client.find_by_values("companies", "allclientsCompanyKey", AWKWARD + ["absent, inc."])
    assert set(found) == set(AWKWARD)
    assert all(found[v]["allclientsCompanyKey"] == v for v in AWKWARD)
    assert count_in(client, "companies", "allclientsCompanyKey", AWKWARD) == len(AWKWARD)
    read = read_in(client, "companies", "allclientsCompanyKey", AWKWARD)
    assert sorted(r["allclientsCompanyKey"] for r in read) == sorted(AWKWARD)


def test_random_values_from_the_grammar_alphabet_are_found_exactly(client: TwentyClient) -> None:
    rng = random.Random(17)
    alphabet = "ab ,()[]\"':%_\\\n&.é+=#?/"
    values = sorted(
        {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))) for _ in range(150)}
    )
    values = [v for v in values if v.strip()]
    client.create_many("companies", [{"name": "r", "allclientsCompanyKey": v} for v in values])
    half = values[::2]
    assert count_in(client, "companies", "allclientsCompanyKey", half) == len(half)
    got = sorted(
        r["allclientsCompanyKey"]
        for r in read_in(client, "companies", "allclientsCompanyKey", half)
    )
    assert got == sorted(half)


def test_no_module_writes_a_filter_by_hand() -> None:
    """Filters are written by rest_filters.write_filter only; the grammar model and the
    emulator (which reads filters) are the other modules allowed to spell the syntax."""
    root = Path(__file__).parents[2] / "workbench"
    allowed = {"twenty/rest_filters.py", "twenty/rest_grammar.py"}
    syntax = re.compile(r"\[(eq|neq|in|containsAny|is|gt|gte|lt|lte|startsWith|like|ilike)\]:")
    offenders = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in allowed or rel.startswith("twenty/emulator/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if syntax.search(code) or re.search(r"\bfilter\s*=\s*f[\"']", code):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
