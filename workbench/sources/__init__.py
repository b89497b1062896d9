"""Source systems: reading exports into raw tables (every cell text, provenance kept)."""

from workbench.sources.reader import ExportTable, read_csv_export

__all__ = ["ExportTable", "read_csv_export"]
