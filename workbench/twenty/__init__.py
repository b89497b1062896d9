"""The destination: Twenty's API client, server capabilities, names, schema sync, emulator."""

from __future__ import annotations

from typing import Any

from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.client import TwentyClient
from workbench.twenty.metadata import FieldInfo, ObjectInfo
from workbench.twenty.model import (
    FieldSpec,
    FieldType,
    ObjectSpec,
    RelationSpec,
    SchemaRequirements,
    SelectOption,
)
from workbench.twenty.names import field_name, field_names, label, object_names, option_value
from workbench.twenty.ratelimit import ClientStats, RequestBudget
from workbench.twenty.rest_filters import Condition, FilterNotExpressible, write_filter
from workbench.twenty.schema import SchemaItem, SchemaPlan, apply_schema, plan_schema

_EMULATOR_NAMES = ("create_app", "emulator_transport", "FaultPlan")

__all__ = [
    "ClientStats",
    "Condition",
    "FieldInfo",
    "FieldSpec",
    "FieldType",
    "FilterNotExpressible",
    "ObjectInfo",
    "ObjectSpec",
    "RelationSpec",
    "RequestBudget",
    "SchemaItem",
    "SchemaPlan",
    "SchemaRequirements",
    "SelectOption",
    "ServerCapabilities",
    "TwentyClient",
    "apply_schema",
    "field_name",
    "field_names",
    "label",
    "object_names",
    "option_value",
    "plan_schema",
    "write_filter",
    *_EMULATOR_NAMES,
]


def __getattr__(name: str) -> Any:
    """The emulator is imported on first use: loading into a real workspace never needs it."""
    if name in _EMULATOR_NAMES:
        from workbench.twenty import emulator

        return getattr(emulator, name)
    raise AttributeError(f"module 'workbench.twenty' has no attribute {name!r}")
