"""The registry of value transforms, by name, so a map can say `transform: phone`.

A transform takes the cell (text, or a dict of texts for several columns), its options and a
context; it returns the value in Twenty's shape, `None` for empty, or raises `Invalid` with a
reason. Non-fatal notes go through `ctx.flag()`. A client quirk is one decorated function away:

    @register_transform("strip_hash", options={"keep"})
    def strip_hash(value, options, ctx): ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import MapValidationError


class Invalid(Exception):
    """The value cannot become what the target field needs; the reason says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass
class Context:
    """Reading parameters for one export, plus the flags of the value being transformed."""

    region: str = "US"
    date_order: str = "MDY"
    timezone: str = "UTC"
    currency: str = "USD"
    decimal_comma: bool = False
    value_maps: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def flag(self, note: str) -> None:
        self.flags.append(note)


TransformFn = Callable[[Any, dict[str, Any], Context], Any]
PrepareFn = Callable[[list[Any], dict[str, Any], Context], dict[str, Any]]


@dataclass(frozen=True)
class Transform:
    name: str
    fn: TransformFn
    options: frozenset[str]
    multi: bool  # takes several columns (a dict) rather than one text
    prepare: PrepareFn | None  # looks at the whole column first (e.g. day/month order)
    doc: str


REGISTRY: dict[str, Transform] = {}


def register_transform(
    name: str,
    *,
    options: Iterable[str] = (),
    multi: bool = False,
    prepare: PrepareFn | None = None,
) -> Callable[[TransformFn], TransformFn]:
    """Register `fn` under `name`; `options` are the option names a map may pass it."""

    def wrap(fn: TransformFn) -> TransformFn:
        REGISTRY[name] = Transform(
            name, fn, frozenset(options), multi, prepare, (fn.__doc__ or "").strip()
        )
        return fn

    return wrap


def get_transform(name: str) -> Transform:
    if name not in REGISTRY:
        raise MapValidationError(
            f"unknown transform {name!r}; known: {', '.join(sorted(REGISTRY))}"
        )
    return REGISTRY[name]


def run_transform(
    name: str, value: Any, options: dict[str, Any] | None = None, ctx: Context | None = None
) -> tuple[Any, list[str], str | None]:
    """Apply one transform to one value: (value, flags, error reason or None)."""
    ctx = ctx or Context()
    ctx.flags = []
    transform = get_transform(name)
    opts = dict(options or {})
    if transform.prepare is not None:
        opts = transform.prepare([value], opts, ctx)
    try:
        return transform.fn(value, opts, ctx), list(ctx.flags), None
    except Invalid as exc:
        return None, list(ctx.flags), exc.reason
