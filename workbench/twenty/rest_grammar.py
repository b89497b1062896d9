"""Twenty 1.7's REST `filter=` grammar, read exactly as its server reads it.

One model of the server's parser serves two sides: the emulator parses with it (so it accepts,
refuses and misreads what the server does), and the client checks every filter it writes
against it before sending (so a value the grammar cannot carry is never sent as one).

Each function follows one file of the server at commit d3a7241 (paths under
packages/twenty-server/src/engine/api/rest/core/query-builder/utils/filter-utils/); the rules
are listed in workbench/twenty/emulator/SERVER_RULES.md. What the server gets wrong is kept:
  - an `[in]` list is split on every comma, inside quotes too, and items are not trimmed;
  - quotes are stripped only when the first and last character both are quotes, never unescaped;
  - `"`, `'`, `[` and `]` toggle "inside" flags that protect a comma between conditions, so an
    odd count of them in one value swallows the commas after it;
  - a filter holding both `(` and `)` is not wrapped in `and(...)`, so `a[eq]:1,b[eq]:(2)`
    reads as one condition whose value is `1,b[eq]:(2)`;
  - JavaScript's `.` does not match line terminators, so a value holding one is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from workbench.errors import TwentyError

COMPARATORS = (
    "eq",
    "neq",
    "in",
    "containsAny",
    "is",
    "gt",
    "gte",
    "lt",
    "lte",
    "startsWith",
    "like",
    "ilike",
)
LIST_COMPARATORS = ("in", "containsAny")
CONJUNCTIONS = ("or", "and", "not")
LINE_TERMINATORS = "\n\r\u2028\u2029"  # what JavaScript's `.` does not match
_ANY = f"[^{LINE_TERMINATORS}]"
_CONJUNCTION_RE = re.compile(rf"(or|and|not)\(({_ANY}+)\)")
_BASE_RE = re.compile(rf"({_ANY}+)\[({_ANY}+)\]:({_ANY}+)")
_ENUM_LIST_RE = re.compile(rf"\[{_ANY}*\]")


class FilterGrammarError(TwentyError):
    """The server would refuse this filter with HTTP 400 and this message."""


@dataclass(frozen=True)
class Predicate:
    """One `field[comparator]:value` as the server cut it; `value` is the raw text."""

    fields: tuple[str, ...]
    comparator: str
    value: str
    source: str


# A parsed filter: a Predicate, or ("and" | "or", [nodes]), or ("not", node).
Node = Predicate | tuple


def check_parentheses(text: str) -> None:
    """check-filter-query.utils.ts: '(' and ')' are counted over the whole text, values too."""
    diff = text.count("(") - text.count(")")
    if diff == 0:
        return
    if diff > 0:
        hint = f"{diff} close bracket{'s are' if diff > 1 else ' is'}"
    else:
        hint = f"{-diff} open bracket{'s are' if -diff > 1 else ' is'}"
    raise FilterGrammarError(f"'filter' invalid. {hint} missing in the query")


def with_default_conjunction(text: str) -> str:
    """add-default-conjunction.utils.ts: wrapped in and(...) unless it holds both ( and )."""
    if "(" in text and ")" in text:
        return text
    return f"and({text})"


def split_content(text: str) -> list[str]:
    """parse-filter-content.utils.ts: the conditions of `conj(...)`, cut at top-level commas.

    Brackets and both kinds of quote are toggles, not nesting: each `[` or `]` flips one flag.
    """
    in_brackets = in_double = in_single = False
    depth = 0
    parts: list[str] = []
    current: list[str] = []
    for c in text:
        keep = depth >= 1
        if c == "(":
            depth += 1
        if c == ")":
            depth -= 1
            keep = depth >= 1
        if c in "[]":
            in_brackets = not in_brackets
        if c == '"':
            in_double = not in_double
        if c == "'":
            in_single = not in_single
        if c == "," and depth == 1 and not (in_brackets or in_double or in_single):
            parts.append("".join(current))
            current = []
            keep = False
        if keep:
            current.append(c)
    parts.append("".join(current))
    return parts


def parse_base(text: str) -> Predicate:
    """parse-base-filter.utils.ts: field path up to the first `[`, comparator up to the next
    `]`, value from the first `:` after it to the very end."""
    if not _BASE_RE.fullmatch(text):
        raise FilterGrammarError(f"'filter' invalid for '{text}'. eg: price[gte]:10")
    fields, comparator, value = [], [], []
    fill_fields, fill_comparator, fill_value = True, False, False
    for c in text:
        if fill_value:
            value.append(c)
        if c == "]" and not fill_value:
            fill_comparator = False
        if c == ":" and not fill_comparator:
            fill_value = True
        if fill_comparator:
            comparator.append(c)
        if c == "[" and fill_fields:
            fill_fields = False
            fill_comparator = True
        if fill_fields:
            fields.append(c)
    op = "".join(comparator)
    if op not in COMPARATORS:
        raise FilterGrammarError(
            f"'filter' invalid for '{text}', comparator {op} not in {', '.join(COMPARATORS)}"
        )
    return Predicate(tuple("".join(fields).split(".")), op, "".join(value), text)


def _parse(text: str, leaf: Callable[[Predicate], Any] | None) -> Any:
    """parse-filter.utils.ts; `leaf` (the emulator's field checks) runs on each condition as
    soon as it is cut, so errors come in the server's order."""
    match = _CONJUNCTION_RE.fullmatch(text)
    if match:
        conjunction = match.group(1)
        children = [_parse(part, leaf) for part in split_content(text)]
        if conjunction == "not":
            if len(children) > 1:
                raise FilterGrammarError(
                    "'filter' invalid. 'not' conjunction should contain only 1 condition. eg: not(field[eq]:1)"
                )
            return ("not", children[0])
        return (conjunction, children)
    predicate = parse_base(text)
    return leaf(predicate) if leaf is not None else predicate


def parse_filter(text: str, leaf: Callable[[Predicate], Any] | None = None) -> Any:
    """filter-input.factory.ts: the whole `filter=` value, as the server turns it into a tree."""
    check_parentheses(text)
    return _parse(with_default_conjunction(text), leaf)


def strip_quotes(value: str) -> str:
    """format-field-values.utils.ts: one pair of surrounding quotes (either kind, even mixed)
    is dropped when both ends are quotes; nothing inside is unescaped."""
    if value[:1] in ('"', "'") and value[-1:] in ('"', "'"):
        return value[1:-1]
    return value


def list_items(value: str, comparator: str) -> list[str]:
    """format-field-values.utils.ts for `in` / `containsAny`: `[` … `]` split on every comma."""
    if not (value.startswith("[") and value.endswith("]")):
        raise FilterGrammarError(
            f"'filter' invalid for '{comparator}' operator. Received '{value}' but array value "
            f"expected eg: 'field[{comparator}]:[value_1,value_2]'"
        )
    return value[1:-1].split(",")


def enum_items(value: str) -> list[str]:
    """check-filter-enum-values.ts: the values a SELECT / MULTI_SELECT filter names, unquoted."""
    return value[1:-1].split(",") if _ENUM_LIST_RE.fullmatch(value) else [value]


def text_meaning(node: Node) -> tuple:
    """What a parsed filter asks of text fields: ("cmp", path, op, value | [values]) leaves.

    The client compares this with what it meant; the emulator types values per field itself.
    """
    if isinstance(node, Predicate):
        if node.comparator in LIST_COMPARATORS:
            items = list_items(node.value, node.comparator)
            return ("cmp", node.fields, node.comparator, [strip_quotes(i) for i in items])
        if node.comparator == "is":
            return ("cmp", node.fields, "is", node.value)
        return ("cmp", node.fields, node.comparator, strip_quotes(node.value))
    kind, inner = node
    if kind == "not":
        return ("not", text_meaning(inner))
    return (kind, [text_meaning(n) for n in inner])
