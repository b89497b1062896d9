"""Mapping: the declarative YAML map, its proposal, transforms, validation, staging and editor."""

from workbench.mapping import transforms as _transforms  # noqa: F401  (registers built-ins)
from workbench.mapping.confirm import (
    confirm_map,
    content_hash,
    load_confirmed_map,
    require_confirmed,
)
from workbench.mapping.propose import ColumnProposal, Proposal, propose_map
from workbench.mapping.registry import Context, Invalid, register_transform, run_transform
from workbench.mapping.spec import MapSpec
from workbench.mapping.stage import StageParams, resolve_columns, row_accounting, stage
from workbench.mapping.yamlio import dump_map, load_map, spec_from_text

MAPPINGS_DIR = __import__("pathlib").Path(__file__).resolve().parents[2] / "mappings"


def default_map_path(source: str) -> "__import__('pathlib').Path":
    """Where the shipped default map of a source system lives."""
    return MAPPINGS_DIR / source / "map.yaml"


def load_default_map(source: str) -> MapSpec:
    """The shipped, confirmed default map of a source system."""
    return load_confirmed_map(default_map_path(source))


__all__ = [
    "ColumnProposal",
    "Context",
    "Invalid",
    "MapSpec",
    "Proposal",
    "StageParams",
    "confirm_map",
    "content_hash",
    "default_map_path",
    "dump_map",
    "load_confirmed_map",
    "load_default_map",
    "load_map",
    "propose_map",
    "register_transform",
    "require_confirmed",
    "resolve_columns",
    "row_accounting",
    "run_transform",
    "spec_from_text",
    "stage",
]
