"""Export folders as clients really send them, built from the AllClients sample.

Each folder holds the kinds of damage a new user meets: Excel's "Unicode Text" (UTF-16 with a
BOM, tabs, .txt), UTF-16/32 without a BOM, .tsv, NUL bytes inside values and as padding, empty
and header-only files, a workbook and an image dropped in, a truncated last line, mixed line
endings, cp1252 text, and a folder with nothing readable at all.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "allclients"
CONTACT_ROWS = 150
NOTE_ROWS = 200


def _rows(name: str, limit: int | None = None) -> list[list[str]]:
    text = (SAMPLE / name).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows if limit is None else rows[: limit + 1]


def _csv(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def png() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def xlsx() -> bytes:
    """A zip with a workbook's first entry, as Excel's .xlsx starts."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def excel_unicode(root: Path) -> Path:
    """What Excel writes for "Unicode Text", plus its siblings and two files dropped in."""
    root.mkdir(parents=True)
    contacts = _rows("Contacts.csv", CONTACT_ROWS)
    (root / "Contacts.txt").write_bytes(
        b"\xff\xfe" + _csv(contacts, "\t").encode("utf-16-le")
    )  # Excel: UTF-16 LE with BOM, tab-separated, CRLF
    (root / "Notes.txt").write_bytes(_csv(_rows("Notes.csv", NOTE_ROWS), "\t").encode("utf-16-be"))
    (root / "Tasks.tsv").write_bytes(_csv(_rows("Tasks.csv", 80), "\t").encode("utf-16-le"))
    (root / "Users.txt").write_bytes(
        b"\xff\xfe\x00\x00" + _csv(_rows("Users.csv"), "\t").encode("utf-32-le")
    )
    (root / "Attachments.txt").write_text(_csv(_rows("Attachments.csv"), "\t"), encoding="utf-8")
    (root / "Contacts.xlsx").write_bytes(xlsx())
    (root / "logo.png").write_bytes(png())
    return root


def legacy(root: Path) -> Path:
    """A legacy exporter's damage: NULs, padding, cp1252, mixed endings, cut and empty files."""
    root.mkdir(parents=True)
    contacts = _rows("Contacts.csv", CONTACT_ROWS)
    first = contacts[0].index("firstname")
    contacts[5][first] = contacts[5][first][:2] + "\x00" + contacts[5][first][2:]
    contacts[9][first] = contacts[9][first][:1] + "\x00" + contacts[9][first][1:]
    (root / "Contacts.csv").write_bytes(_csv(contacts).encode("utf-8") + b"\x00" * 64)
    notes = _rows("Notes.csv", NOTE_ROWS)
    notes[3][4] = "Rendez-vous confirmé – café à 10h, coût 50 €"
    (root / "Notes.csv").write_bytes(_csv(notes).encode("cp1252", errors="replace"))
    tasks = _csv(_rows("Tasks.csv", 80), newline="\n").split("\n")
    mixed = "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(tasks) if line)
    (root / "Tasks.csv").write_text(mixed, encoding="utf-8", newline="")
    users = _csv(_rows("Users.csv"), newline="\n")
    (root / "Users.csv").write_text(users + 'U99,Cut,"Off in the mid', encoding="utf-8")
    (root / "Attachments.csv").write_text(_csv(_rows("Attachments.csv")), encoding="latin-1")
    (root / "Campaigns.csv").write_bytes(b"")
    (root / "Workflows.csv").write_text(
        ",".join(_rows("Workflows.csv")[0]) + "\n", encoding="utf-8"
    )
    return root


def mixed_generic(root: Path) -> Path:
    """A folder profiled without a source: every kind of file side by side."""
    root.mkdir(parents=True)
    excel = excel_unicode(root / "_e")
    old = legacy(root / "_l")
    for folder in (excel, old):
        for path in folder.iterdir():
            path.rename(root / f"{folder.name.strip('_')}_{path.name}")
        folder.rmdir()
    (root / "binary.csv").write_bytes(bytes(range(256)) * 8)
    (root / "notes.md").write_text("exported by the client's office manager\n", encoding="utf-8")
    return root


def nothing_readable(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "Contacts.xlsx").write_bytes(xlsx())
    (root / "scan.png").write_bytes(png())
    (root / "Contacts.csv").write_bytes(b"")
    (root / "Notes.csv").write_bytes(b"\x00" * 512)
    return root


def legacy_contacts_15() -> bytes:
    """The 15-contact file of a legacy exporter: `Er\\0ic` and one more NUL, 64 NULs of padding."""
    contacts = _rows("Contacts.csv", 15)
    first = contacts[0].index("firstname")
    last = contacts[0].index("lastname")
    contacts[3][first] = "Er\x00ic"
    contacts[11][last] = contacts[11][last][:2] + "\x00" + contacts[11][last][2:]
    return _csv(contacts).encode("utf-8") + b"\x00" * 64
