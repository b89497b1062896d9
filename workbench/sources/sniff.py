"""What a CSV export looks like before its records are read: encoding, delimiter, header.

Clients' exports come from Excel, from each CRM's own exporter and from hand edits, so nothing
is assumed: the encoding is checked over the whole file, the delimiter and the header row are
found from the first records, and every guess made is written into `notes`.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from workbench.errors import ExportReadError

SAMPLE_BYTES = 256 * 1024
SNIFF_RECORDS = 50
DELIMITERS = (",", ";", "\t", "|")
FALLBACK_ENCODINGS = ("cp1252", "cp1251", "latin_1", "koi8_r", "iso8859_15", "mac_roman")
BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive or an Excel .xlsx workbook",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\x1f\x8b": "a gzip archive",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"SQLite format 3": "a SQLite database",
}
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)
WIDE_LAYOUTS = ((4, "utf-32", "UTF-32"), (2, "utf-16", "UTF-16"))
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class CsvLayout:
    """How to read one export file; `header_end_line` is the last physical line of the header."""

    encoding: str
    delimiter: str
    header_end_line: int
    names: list[str]  # one per header field, made unique and non-empty
    unnamed_trailing: list[int] = field(default_factory=list)  # trailing fields with no header name
    dropped: set[int] = field(default_factory=set)  # of those, the ones dropped (always empty)
    notes: list[str] = field(default_factory=list)
    has_nul: bool = False  # some row holds NUL bytes: every row must be checked for them
    ends_with_newline: bool = True  # if not, the last record may be cut off inside quotes
    trailing_nul: int = 0  # NUL characters padding the end of the file (ignored when read)

    @property
    def width(self) -> int:
        return len(self.names)


def open_text(path: Path, encoding: str) -> IO[str]:
    """The file as text, line endings untouched (csv needs them to see embedded newlines)."""
    return open(path, encoding=encoding, newline="")


def sniff_layout(path: Path) -> CsvLayout:
    """Encoding, delimiter, title lines and header of one export file."""
    if not path.is_file():
        raise ExportReadError("no such file", file=path.name)
    with open(path, "rb") as f:
        head = f.read(SAMPLE_BYTES)
    whole = len(head) < SAMPLE_BYTES
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise ExportReadError(
            "the file is empty, expected a header row and records", file=path.name, line=1
        )
    wide = wide_encoding(head)
    _refuse_binary(path, head, wide)
    encoding, notes = detect_encoding(path, head, wide)
    sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=whole)
    lines = sample.splitlines(keepends=True)
    if not whole and len(lines) > 1:
        lines = lines[:-1]  # the sample may end mid-line
    delimiter = _detect_delimiter(lines)
    if delimiter != ",":
        notes.append(f"delimiter: {DELIMITER_NAMES[delimiter]}")
    try:
        header, header_end, titles = _find_header(lines, delimiter)
    except ExportReadError as exc:
        raise ExportReadError(exc.message, file=path.name, line=exc.line) from None
    if titles:
        shown = "; ".join(repr(t) for t in titles[:3])
        notes.append(f"skipped {len(titles)} title line(s) above the header: {shown}")
    names, unnamed, name_notes = _clean_names(header)
    has_nul, ends_with_newline, trailing_nul = _text_facts(path, encoding)
    if trailing_nul:
        notes.append(f"{trailing_nul} NUL byte(s) of padding after the last line ignored")
    return CsvLayout(
        has_nul=has_nul,
        ends_with_newline=ends_with_newline,
        trailing_nul=trailing_nul,
        encoding=encoding,
        delimiter=delimiter,
        header_end_line=header_end,
        names=names,
        unnamed_trailing=unnamed,
        notes=notes + name_notes,
    )


def _refuse_binary(path: Path, head: bytes, wide: tuple[str, str] | None) -> None:
    for magic, what in BINARY_SIGNATURES.items():
        if head.startswith(magic):
            raise ExportReadError(f"this is {what}, not a CSV export", file=path.name, line=1)
    if wide is not None:
        return  # UTF-16 and UTF-32 text hold NULs by nature
    lines = head.rstrip(b"\x00").split(b"\n")  # NUL padding at the end is not binary data
    dirty = [i for i, line in enumerate(lines) if _CONTROL.search(line)]
    if len(dirty) > max(1, len(lines) // 2):
        raise ExportReadError(
            f"binary data: {len(dirty)} of the first {len(lines)} lines hold NUL or control bytes,"
            " expected CSV text",
            file=path.name,
            line=dirty[0] + 1,
        )


def wide_encoding(head: bytes) -> tuple[str, str] | None:
    """(codec, how it was recognised) for UTF-16 or UTF-32 text, with or without a BOM.

    Excel's "Unicode Text" is UTF-16 LE with a BOM; other tools write it without one, or
    big-endian. Without a BOM the NUL bytes give it away: text in Latin or Cyrillic script has
    a NUL in one byte of (nearly) every UTF-16 code unit, and in three bytes of every UTF-32 one.
    """
    for bom, codec, label in WIDE_BOMS:  # UTF-32 first: its LE mark starts like UTF-16's
        if head.startswith(bom):
            return codec, f"encoding: {label} (with byte-order mark)"
    sample = head[: 64 * 1024]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    for size, codec, label in WIDE_LAYOUTS:
        lanes = [sample[i::size] for i in range(size)]
        nul_share = [lane.count(0) / len(lane) for lane in lanes]
        for text_lane, endian in ((0, "le"), (size - 1, "be")):
            others = [s for i, s in enumerate(nul_share) if i != text_lane]
            if nul_share[text_lane] < 0.05 and min(others) > 0.7:
                return (
                    f"{codec}-{endian}",
                    f"encoding: {label} {endian.upper()} (no byte-order mark)",
                )
    return None


def detect_encoding(
    path: Path, head: bytes, wide: tuple[str, str] | None = None
) -> tuple[str, list[str]]:
    """UTF-16/32 when the bytes say so, UTF-8 (with or without BOM) when the whole file
    decodes, else the best single-byte guess."""
    if wide is not None:
        codec, note = wide
        bad_at = _first_undecodable(path, codec)
        if bad_at is not None:
            raise ExportReadError(
                f"the file is {note.removeprefix('encoding: ')} text but breaks off at byte"
                f" {bad_at} (cut short or damaged)",
                file=path.name,
                line=_line_of_offset(path, bad_at, codec),
            )
        return codec, [note]
    if head.startswith(codecs.BOM_UTF8):
        candidate = "utf-8-sig"
    else:
        candidate = "utf-8"
    bad_at = _first_undecodable(path, candidate)
    if bad_at is None:
        return candidate, [
            "encoding: UTF-8 with byte-order mark"
        ] if candidate == "utf-8-sig" else []
    bad_line = _line_of_offset(path, bad_at)
    with open(path, "rb") as f:
        data = f.read(4 * 1024 * 1024)
    best = from_bytes(data, cp_isolation=list(FALLBACK_ENCODINGS)).best()
    guesses = ([best.encoding] if best is not None else []) + list(FALLBACK_ENCODINGS)
    for guess in guesses:
        if _first_undecodable(path, guess) is None:
            name = codecs.lookup(guess).name
            return name, [f"encoding: {name} (not valid UTF-8 from line {bad_line})"]
    raise ExportReadError("the file is in no known text encoding", file=path.name, line=bad_line)


def _first_undecodable(path: Path, encoding: str) -> int | None:
    """Byte offset of the first byte that does not decode, or None if the whole file does."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(path, "rb") as f:
        while chunk := f.read(8 * 1024 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + max(exc.start, 0)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return offset
    return None


def _text_facts(path: Path, encoding: str) -> tuple[bool, bool, int]:
    """Whether the text holds a NUL, whether it ends with a line break once any NUL padding
    at its end is set aside, and how many NULs that padding holds.

    Single-byte and UTF-8 files are scanned as bytes (a NUL byte is a NUL character there);
    UTF-16/32 ones as decoded text.
    """
    wide = encoding.startswith(("utf-16", "utf-32"))
    nul, breaks = ("\x00", "\r\n") if wide else (b"\x00", b"\r\n")
    has_nul = False
    run_nuls, run_first = 0, None  # the run of NULs and line breaks ending the file
    stream = open_text(path, encoding) if wide else open(path, "rb")
    with stream as f:
        while chunk := f.read(4 * 1024 * 1024):
            has_nul = has_nul or nul in chunk
            body = chunk.rstrip(nul + breaks)
            run = chunk[len(body) :]
            if body:
                run_nuls, run_first = 0, None
            run_nuls += run.count(nul)
            if run and run_first is None:
                run_first = run[:1]
    if run_nuls == 0:
        return has_nul, run_first is not None, 0
    return True, run_first in (breaks[:1], breaks[1:]), run_nuls


def _line_of_offset(path: Path, offset: int, encoding: str | None = None) -> int:
    """1-based line holding byte `offset` (counted in the file's own code units)."""
    newline = "\n".encode(encoding) if encoding else b"\n"
    for bom in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        newline = newline.removeprefix(bom) if len(newline) > len(bom) else newline
    with open(path, "rb") as f:
        data = f.read(offset)
    size = len(newline)
    if size == 1:
        return data.count(newline) + 1
    return sum(1 for i in range(0, len(data) - size + 1, size) if data[i : i + size] == newline) + 1


def _parse(lines: list[str], delimiter: str) -> list[tuple[list[str], int]]:
    """(fields, last physical line) of the first records of the sample."""
    out: list[tuple[list[str], int]] = []
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, strict=False)
    try:
        for fields in reader:
            out.append((fields, reader.line_num))
            if len(out) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass
    return out


def _detect_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most records into the same number of fields (more than one)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(f) for f, _ in _parse(lines, delimiter) if any(x.strip() for x in f)]
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (round(hits / len(counts), 1), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _find_header(lines: list[str], delimiter: str) -> tuple[list[str], int, list[str]]:
    """The header row (the first record that fills at least half the usual width), its last
    physical line, and the title lines above it."""
    records = [(f, end) for f, end in _parse(lines, delimiter) if any(x.strip() for x in f)]
    if not records:
        raise ExportReadError("the file is empty, expected a header row and records", line=1)
    filled = [sum(1 for x in f if x.strip()) for f, _ in records]
    width = Counter(len(f) for f, _ in records).most_common(1)[0][0]
    need = max(2, math.ceil(width / 2)) if width > 1 else 1
    for i, (fields, end) in enumerate(records):
        if filled[i] >= need:
            titles = [delimiter.join(x for x in f if x.strip()) for f, _ in records[:i]]
            return fields, end, titles
    fields, end = records[0]
    return fields, end, []


def _clean_names(header: list[str]) -> tuple[list[str], list[int], list[str]]:
    """Header names stripped, empty ones named by position, duplicates numbered."""
    notes: list[str] = []
    stripped = [h.replace("\ufeff", "").replace("\x00", "").strip() for h in header]
    last_named = max((i for i, h in enumerate(stripped) if h), default=-1)
    unnamed = list(range(last_named + 1, len(stripped)))
    names: list[str] = []
    seen: Counter[str] = Counter()
    for i, name in enumerate(stripped):
        if not name:
            name = f"Column {i + 1}"
            if i <= last_named:
                notes.append(f"header field {i + 1} has no name; called {name!r}")
        if name in seen or name in names:
            base, n = name, seen[name] + 1
            while f"{base} ({n})" in names or f"{base} ({n})" in stripped:
                n += 1
            seen[name] = n
            name = f"{base} ({n})"
            notes.append(f"duplicate header {base!r} (field {i + 1}) renamed {name!r}")
        else:
            seen[name] = 1
        names.append(name)
    return names, unnamed, notes
