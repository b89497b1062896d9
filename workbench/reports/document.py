"""The client documents, rendered from executed notebooks.

A notebook cell tagged `scope` (or `summary`) contributes to that document: markdown cells as
prose, code cells by their outputs only. Code never appears; secrets are redacted and a
document still holding one is refused.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader, select_autoescape
from nbconvert.filters.markdown import markdown2html

from workbench.errors import PipelineError

DOCUMENT_TITLES = {
    "scope": "Migration scope document",
    "summary": "Migration summary",
}


@dataclass
class Section:
    heading: str
    anchor: str
    body: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _output_html(output: dict, notebook: Path) -> str:
    kind = output.get("output_type")
    if kind == "error":
        raise PipelineError(
            f"a cell meant for the document failed: {output.get('ename')}", notebook=str(notebook)
        )
    if kind not in ("display_data", "execute_result"):
        return ""  # streams are working chatter, not document content
    data = output.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        return ""  # progress bars and widgets mean nothing on paper
    if "text/html" in data:
        return (
            "".join(data["text/html"]) if isinstance(data["text/html"], list) else data["text/html"]
        )
    if "image/png" in data:
        return f'<img class="wb-chart" src="data:image/png;base64,{data["image/png"].strip()}"/>'
    if "image/svg+xml" in data:
        svg = data["image/svg+xml"]
        encoded = base64.b64encode(svg.encode()).decode()
        return f'<img class="wb-chart" src="data:image/svg+xml;base64,{encoded}"/>'
    if "text/markdown" in data:
        return markdown2html(data["text/markdown"])
    if "text/plain" in data:
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def collect_html(notebooks: list[Path], tag: str) -> str:
    """The document body: tagged markdown as prose, tagged code cells by their outputs."""
    parts: list[str] = []
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if tag not in cell.get("metadata", {}).get("tags", []):
                continue
            if cell.cell_type == "markdown":
                parts.append(markdown2html(cell.source))
            elif cell.cell_type == "code":
                parts.extend(_output_html(o, path) for o in cell.get("outputs", []))
    body = "\n".join(p for p in parts if p)
    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", body)


def table_of_contents(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Give every h2 an anchor and list them for the contents box."""
    entries: list[tuple[str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        text = re.sub(r"<[^>]+>", "", match.group(2))
        slug = f"{_slug(text)}-{len(entries) + 1}"
        entries.append((slug, html.unescape(text)))
        return f'<h2 id="{slug}"{match.group(1)}>{match.group(2)}</h2>'

    body = re.sub(r"<h2([^>]*)>(.*?)</h2>", anchor, body, flags=re.DOTALL)
    return body, entries


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return text


def render_document(
    kind: str,
    notebooks: list[Path],
    out_path: Path,
    *,
    facts: dict[str, str],
    secrets: list[str] | None = None,
) -> Path:
    """Render the scope document or the migration summary into one self-contained HTML file."""
    env = Environment(
        loader=PackageLoader("workbench.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    body, contents = table_of_contents(collect_html(notebooks, kind))
    page = env.get_template("document.html.j2").render(
        title=DOCUMENT_TITLES[kind],
        kind=kind,
        facts=facts,
        body=body,
        contents=contents,
        rendered_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    page = redact(page, secrets or [])
    out_path.write_text(page, encoding="utf-8")
    return out_path
