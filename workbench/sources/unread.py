"""Which files of an export folder were not read, and why, in the analyst's terms.

Discovery lists every one of them (discovery.json `not_read`, the notebook, the console), so
nothing a client sent is silently ignored: an Excel workbook dropped beside the CSVs, a file
named unlike any export of the source, a file that is empty or damaged.
"""

from __future__ import annotations

from pathlib import Path

from workbench.sources.base import SourceExport, UnreadFile
from workbench.sources.export_files import TEXT_SUFFIXES, find_files, natural_key, text_patterns
from workbench.sources.schema import SourceSchema
from workbench.sources.sniff import BINARY_SIGNATURES

SHOWN = 8  # files named in one error sentence


def list_unread(export: SourceExport, schema: SourceSchema | None) -> list[UnreadFile]:
    """Every file of the export folder that was not read, with the reason, in folder order.

    Read means: a table was made from it, an object's pattern names it (inventory JSON,
    templates, API pages), or it sits in a folder the export keeps as assets (attachments).
    """
    root = export.root
    if not root.is_dir():
        return list(export.unread)
    taken = {Path(f).resolve() for t in export.tables.values() for f in t.files}
    specs = list(schema.objects.values()) if schema else []
    patterns = [p for spec in specs for p in text_patterns(spec.files)]
    if patterns:
        taken |= {f.resolve() for f in find_files(root, patterns)}
    asset_dirs = [a.resolve() for a in export.assets.values() if a.is_dir()]
    listed = {u.file for u in export.unread}
    out = list(export.unread)
    for path in folder_files(root):
        rel = path.relative_to(root).as_posix()
        full = path.resolve()
        if rel in listed or full in taken or any(full.is_relative_to(a) for a in asset_dirs):
            continue
        out.append(UnreadFile(rel, why_not_read(path, schema, root)))
    return sorted(out, key=lambda u: natural_key(Path(u.file)))


def folder_files(root: Path) -> list[Path]:
    return sorted((p for p in root.rglob("*") if p.is_file()), key=natural_key)


def why_not_read(path: Path, schema: SourceSchema | None, root: Path | None = None) -> str:
    """Why a file no object claims was left alone."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        return f"cannot be opened ({exc.strerror})"
    for magic, what in BINARY_SIGNATURES.items():
        if head.startswith(magic):
            if "Excel" in what:
                return f"this is {what}, not a text export; save it from Excel as CSV to include it"
            return f"this is {what}, not a text export"
    names = (
        [p for spec in schema.objects.values() for p in spec.files if "/" not in p]
        if schema
        else []
    )
    shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    if schema is not None and root is not None and path.parent.resolve() != root.resolve():
        return (  # whatever its type: one reason per subfolder reads best
            f"in the subfolder {path.parent.name}/; {schema.label} exports are read from the"
            f" top of the export folder, named like {shown}"
        )
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        kind = f"a {suffix} file" if suffix else "a file without an extension"
        return f"{kind}, not a CSV, TXT or TSV export"
    if schema is None:
        return "a text file that no object of this export claims"
    return f"named like none of the {schema.label} exports ({shown})"


def describe_unread(items: list[UnreadFile], limit: int = SHOWN) -> str:
    """One sentence naming the files and their reasons, for an error."""
    shown = "; ".join(str(u) for u in items[:limit])
    more = f"; and {len(items) - limit} more" if len(items) > limit else ""
    return f"Found {len(items)} file(s): {shown}{more}."


def display_lines(items: list[UnreadFile]) -> list[str]:
    """The list for a person: a subfolder whose files all share one reason is one line."""
    groups: dict[tuple[str, str], list[UnreadFile]] = {}
    for u in items:
        folder = u.file.rsplit("/", 1)[0] + "/" if "/" in u.file else ""
        key = (folder, u.reason) if u.line is None else (u.file, "")  # errors stay one a line
        groups.setdefault(key, []).append(u)
    lines = []
    for (folder, _), members in groups.items():
        if len(members) > 2:
            lines.append(f"{folder} ({len(members)} files): {members[0].reason}")
        else:
            lines.extend(str(u) for u in members)
    return lines
