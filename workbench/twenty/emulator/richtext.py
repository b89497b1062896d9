"""Markdown to BlockNote JSON, the conversion Twenty does for RICH_TEXT_V2 fields.

Covers what CRM notes contain: headings, paragraphs, bullet/numbered/check lists, quotes, code
blocks, and inline bold, italic, strike, code and links.
"""

from __future__ import annotations

import json
import re
import uuid

_PROPS = {"textColor": "default", "backgroundColor": "default", "textAlignment": "left"}
_INLINE = re.compile(
    r"(\*\*(.+?)\*\*|__(.+?)__|~~(.+?)~~|`([^`]+)`|\[([^\]]+)\]\(([^)]+)\)|\*([^*]+)\*|_([^_]+)_)"
)


def inline_content(text: str) -> list[dict]:
    """Split one line of markdown into BlockNote styled text runs."""
    runs: list[dict] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append({"type": "text", "text": text[pos : m.start()], "styles": {}})
        bold, bold2, strike, code, link_text, href, italic, italic2 = m.group(
            2, 3, 4, 5, 6, 7, 8, 9
        )
        if bold or bold2:
            runs.append({"type": "text", "text": bold or bold2, "styles": {"bold": True}})
        elif strike:
            runs.append({"type": "text", "text": strike, "styles": {"strike": True}})
        elif code:
            runs.append({"type": "text", "text": code, "styles": {"code": True}})
        elif link_text:
            runs.append(
                {
                    "type": "link",
                    "href": href,
                    "content": [{"type": "text", "text": link_text, "styles": {}}],
                }
            )
        else:
            runs.append({"type": "text", "text": italic or italic2, "styles": {"italic": True}})
        pos = m.end()
    if pos < len(text):
        runs.append({"type": "text", "text": text[pos:], "styles": {}})
    return runs


def _block(kind: str, content: list | str, **props: object) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": kind,
        "props": {**_PROPS, **props},
        "content": content,
        "children": [],
    }


def markdown_to_blocks(markdown: str) -> list[dict]:
    blocks: list[dict] = []
    lines = markdown.replace("\r\n", "\n").split("\n")
    paragraph: list[str] = []
    i = 0

    def flush() -> None:
        if paragraph:
            blocks.append(_block("paragraph", inline_content(" ".join(paragraph))))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            code: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                code.append(lines[i])
                i += 1
            blocks.append(
                _block(
                    "codeBlock",
                    [{"type": "text", "text": "\n".join(code), "styles": {}}],
                    language="text",
                )
            )
        elif not stripped:
            flush()
        elif m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            flush()
            blocks.append(
                _block("heading", inline_content(m.group(2)), level=min(len(m.group(1)), 3))
            )
        elif m := re.match(r"^[-*+]\s+\[([ xX])\]\s+(.*)$", stripped):
            flush()
            blocks.append(
                _block("checkListItem", inline_content(m.group(2)), checked=m.group(1) != " ")
            )
        elif m := re.match(r"^[-*+]\s+(.*)$", stripped):
            flush()
            blocks.append(_block("bulletListItem", inline_content(m.group(1))))
        elif m := re.match(r"^\d+[.)]\s+(.*)$", stripped):
            flush()
            blocks.append(_block("numberedListItem", inline_content(m.group(1))))
        elif m := re.match(r"^>\s?(.*)$", stripped):
            flush()
            blocks.append(_block("quote", inline_content(m.group(1))))
        else:
            paragraph.append(stripped)
        i += 1
    flush()
    return blocks


def markdown_to_blocknote(markdown: str) -> str:
    """The `blocknote` string Twenty stores next to the markdown (compact JSON)."""
    return json.dumps(markdown_to_blocks(markdown), separators=(",", ":"), ensure_ascii=False)
