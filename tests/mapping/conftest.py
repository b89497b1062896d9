"""Fixtures of the mapping tests (defined in mapping_fixtures)."""

from mapping_fixtures import tiny_export, tiny_map_text  # noqa: F401
