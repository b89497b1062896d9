"""Writing REST `filter=` values that Twenty 1.7 reads as meant, and looking records up by value.

`write_filter` is the one place the workbench writes a filter. It writes the grammar the
server parses (no spaces, quoted text, an explicit `and(...)` around several conditions) and
then reads its own text back with the server's parser model (`rest_grammar`): a filter the
server would refuse or misread is never sent; `FilterNotExpressible` says why instead.

`lookup_filters` turns "records whose field is one of these values" into filters that are
exact on the server: values the grammar carries inside an `[in]` list go in lists; values
holding a comma (the server splits `[in]` lists on every comma, inside quotes too) go as quoted
`[eq]` conditions in `or(...)` (the quotes protect their commas), or alone when a quote or
bracket in the value would unprotect the comma between conditions; a value even `[eq]` cannot
carry (a line break, an unbalanced parenthesis) is asked with `[like]`, each awkward character
a `_` wildcard, and the caller keeps only records whose value is exactly the one asked for.
(GraphQL's JSON filter would carry any value too, but needs a field selection per object and
counts against the GraphQL rate limit, FACTS 50; REST stays exact without it.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from workbench.errors import TwentyError
from workbench.twenty.rest_grammar import (
    COMPARATORS,
    LINE_TERMINATORS,
    LIST_COMPARATORS,
    FilterGrammarError,
    parse_filter,
    text_meaning,
)

# Values per filter are capped by their URL-encoded size: Node's HTTP parser refuses request
# heads over 16 KB, and proxies in front of a server may allow less.
MAX_FILTER_BYTES = 6000
MAX_LIST_ITEMS = 200
# Characters the grammar treats specially (rest_grammar); in a `like` pattern each becomes `_`.
_AWKWARD = set(",()[]\"'" + LINE_TERMINATORS)
_LIKE_SPECIAL = set("\\%_")  # Postgres LIKE: backslash is the default escape character


class FilterNotExpressible(TwentyError):
    """The server's REST grammar cannot carry this filter as meant."""


@dataclass(frozen=True)
class Condition:
    """`field[op]:value`. Text is sent quoted unless `quoted=False` (SELECT and MULTI_SELECT
    values must go bare: the server checks them against the options before unquoting)."""

    field: str
    op: str
    value: Any
    quoted: bool = True


@dataclass(frozen=True)
class Lookup:
    """One request's filter and the values it asks for. `exact=False`: a `like` pattern that may
    also match other values, so only records holding one of `values` exactly count."""

    filter: str
    values: tuple[str, ...]
    exact: bool


def _scalar(value: Any, quoted: bool) -> tuple[str, str]:
    """(text sent, text the server should read) for one value."""
    if isinstance(value, bool):
        text = "true" if value else "false"
        return text, text
    if isinstance(value, int | float):
        return repr(value), repr(value)
    text = str(value)
    return (f'"{text}"' if quoted else text), text


def _condition(c: Condition) -> tuple[str, tuple]:
    if c.op not in COMPARATORS:
        raise FilterNotExpressible(f"{c.field}: the server knows no comparator {c.op!r}")
    path = tuple(c.field.split("."))
    if c.op == "is":
        if c.value not in ("NULL", "NOT_NULL"):
            raise FilterNotExpressible(f"{c.field}[is] takes NULL or NOT_NULL, not {c.value!r}")
        return f"{c.field}[is]:{c.value}", ("cmp", path, "is", c.value)
    if c.op in LIST_COMPARATORS:
        if isinstance(c.value, str | bytes) or not isinstance(c.value, Iterable):
            raise FilterNotExpressible(f"{c.field}[{c.op}] takes a list of values")
        values = list(c.value)
        if not values:
            raise FilterNotExpressible(f"{c.field}[{c.op}] needs at least one value")
        pairs = [_scalar(v, c.quoted) for v in values]
        text = "[" + ",".join(p[0] for p in pairs) + "]"
        return f"{c.field}[{c.op}]:{text}", ("cmp", path, c.op, [p[1] for p in pairs])
    text, meant = _scalar(c.value, c.quoted)
    return f"{c.field}[{c.op}]:{text}", ("cmp", path, c.op, meant)


def _flatten(node: tuple) -> tuple:
    """and(x) / or(x) with one condition means x."""
    if node[0] in ("and", "or"):
        inner = [_flatten(n) for n in node[1]]
        return inner[0] if len(inner) == 1 else (node[0], inner)
    if node[0] == "not":
        return ("not", _flatten(node[1]))
    return node


def write_filter(*conditions: Condition, any_of: bool = False) -> str:
    """The `filter=` value for all `conditions` (any one of them with `any_of`), checked
    against the server's grammar; raises FilterNotExpressible if the server would misread it."""
    if not conditions:
        raise FilterNotExpressible("a filter needs at least one condition")
    written = [_condition(c) for c in conditions]
    if len(written) == 1:
        text, meant = written[0]  # bare: the server only wraps it when it holds no parenthesis
    else:
        conj = "or" if any_of else "and"
        text = f"{conj}({','.join(w[0] for w in written)})"
        meant = (conj, [w[1] for w in written])
    try:
        read = _flatten(text_meaning(parse_filter(text)))
    except FilterGrammarError as exc:
        raise FilterNotExpressible(f"the server would refuse {text!r}: {exc.message}") from None
    if read != _flatten(meant):
        raise FilterNotExpressible(f"the server would misread {text!r}")
    return text


def fits_in_list(value: str) -> bool:
    """Whether `value` survives as one quoted `[in]` item whatever else is in the list: no
    comma (items are split on every comma), no line terminator, and parentheses and brackets
    that leave the parser's counters where they were."""
    return (
        value != ""
        and "," not in value
        and not any(t in value for t in LINE_TERMINATORS)
        and value.count("(") == value.count(")")
        and (value.count("[") + value.count("]")) % 2 == 0
    )


def fits_in_or(value: str) -> bool:
    """Whether `value` survives as one quoted `[eq]` among others in `or(...)`: commas are
    protected by its quotes as long as it holds no quote or bracket (toggles), no line
    terminator, and no `)` that would close the `or(` before its own `(`."""
    depth = 0
    for ch in value:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return (
        value != ""
        and depth == 0
        and not any(ch in value for ch in "\"'[]")
        and not any(t in value for t in LINE_TERMINATORS)
    )


def like_pattern(value: str) -> str:
    """A `like` pattern matching `value` and any value differing only where the grammar could not
    carry a character (each such character becomes `_`)."""
    out = []
    for ch in value:
        if ch in _LIKE_SPECIAL:
            out.append("\\" + ch)
        elif ch in _AWKWARD:
            out.append("_")
        else:
            out.append(ch)
    return "".join(out)


def _single(field: str, value: str) -> Lookup:
    try:
        return Lookup(write_filter(Condition(field, "eq", value)), (value,), True)
    except FilterNotExpressible:
        pattern = write_filter(Condition(field, "like", like_pattern(value)))
        return Lookup(pattern, (value,), False)


def _encoded(value: str) -> int:
    return len(quote(value, safe="")) + 9  # the quotes and the comma, percent-encoded


def _grouped(
    field: str, values: list[str], max_items: int, max_bytes: int, *, listed: bool
) -> list[Lookup]:
    """`values` in as few filters as fit: one `[in]` list each (`listed`), or `or(...)` of
    quoted `[eq]`; a group the grammar would misread after all is asked value by value."""
    out: list[Lookup] = []
    chunk: list[str] = []
    size = 0
    extra = 0 if listed else len(quote(field, safe="")) + 12  # each [eq] repeats the field
    for value in [*values, None]:
        length = _encoded(value) + extra if value is not None else 0
        if chunk and (value is None or len(chunk) >= max_items or size + length > max_bytes):
            try:
                if listed:
                    text = write_filter(Condition(field, "in", chunk))
                else:
                    text = write_filter(*(Condition(field, "eq", v) for v in chunk), any_of=True)
                out.append(Lookup(text, tuple(chunk), True))
            except FilterNotExpressible:
                out.extend(_single(field, v) for v in chunk)
            chunk, size = [], 0
        if value is not None:
            chunk.append(value)
            size += length
    return out


def lookup_filters(
    field: str,
    values: Iterable[Any],
    *,
    max_items: int = MAX_LIST_ITEMS,
    max_bytes: int = MAX_FILTER_BYTES,
) -> list[Lookup]:
    """Filters that together find every record whose `field` is one of `values` (sorted,
    unique): `[in]` lists where the grammar carries the values, `or(...)` of quoted `[eq]`
    for values holding a comma, and one filter each for the rest."""
    unique = sorted({str(v) for v in values if v is not None})
    listed = [v for v in unique if fits_in_list(v)]
    rest = [v for v in unique if not fits_in_list(v)]
    ored = [v for v in rest if fits_in_or(v)]
    alone = [v for v in rest if not fits_in_or(v)]
    return [
        *_grouped(field, listed, max_items, max_bytes, listed=True),
        *_grouped(field, ored, max_items, max_bytes, listed=False),
        *(_single(field, v) for v in alone),
    ]
