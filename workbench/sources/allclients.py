"""AllClients: Contacts.csv and Notes.csv from the Data Migration menu, plus the side files.

Notes are not joined to contacts in the export (they carry the contact's email and name); the
join happens in resolve. Attachments and email templates are folders of files: they travel as
assets, with the templates also listed as inventory data.
"""

from __future__ import annotations

from pathlib import Path

from workbench.sources.base import SourceExport
from workbench.sources.export_files import find_files, read_by_schema, require
from workbench.sources.schema import load_source_schema

NAME = "allclients"
LABEL = "AllClients"
ASSET_FOLDERS = {"attachments": ("attachments", "files", "Attachments")}


def read_export(root: Path) -> SourceExport:
    """Read an AllClients export folder; Contacts.csv is required, everything else optional."""
    schema = load_source_schema(NAME)
    root = Path(root)
    export = read_by_schema(root, schema)
    export.check_headers()
    require(export, "contacts", schema.objects["contacts"])
    for asset, names in ASSET_FOLDERS.items():
        folder = next((root / n for n in names if (root / n).is_dir()), None)
        if folder is not None:
            export.assets[asset] = folder
    templates = find_files(root, schema.objects["email_templates"].files)
    if templates:
        export.assets["email_templates"] = templates[0].parent
        export.inventory_data["email_templates"] = [
            {
                "name": path.stem,
                "file": path.relative_to(root).as_posix(),
                "bytes": path.stat().st_size,
            }
            for path in templates
        ]
    _note_attachment_gaps(export)
    return export


def _note_attachment_gaps(export: SourceExport) -> None:
    """Say which indexed files are missing and which files nobody indexed."""
    folder = export.assets.get("attachments")
    index = export.tables.get("attachments")
    if folder is None or index is None or "path" not in index.frame.columns:
        return
    listed = {str(p).strip().replace("\\", "/") for p in index.frame["path"].to_list() if p}
    present = {p.relative_to(export.root).as_posix() for p in folder.rglob("*") if p.is_file()}
    missing = sorted(listed - present)
    unindexed = sorted(present - listed)
    if missing:
        export.notes.append(
            f"attachments: {len(missing)} indexed file(s) not in the folder: " + ", ".join(missing)
        )
    if unindexed:
        export.notes.append(
            f"attachments: {len(unindexed)} file(s) in the folder not in the index: "
            + ", ".join(unindexed)
        )
