"""scope.html and summary.html of a Kartra run, opened in a real browser: every chart loads,
every table the notebooks put in the document is there and visible, and no Markdown shows raw."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from workbench.pipeline import NOTEBOOK_DIR
from workbench.reports.run_documents import SCOPE_NOTEBOOKS, SUMMARY_NOTEBOOKS

from .browser_lab import keep_artifact

DOCUMENTS = {"scope": SCOPE_NOTEBOOKS, "summary": SUMMARY_NOTEBOOKS}
_CAPTION = re.compile(r"show_(?:table|metrics)\(.*,\s*\"([^\"]+)\"", re.MULTILINE)
_FIGURE = re.compile(r"show_figure\(")
# Markdown that reached the page as text instead of being rendered
_RAW_MARKDOWN = {
    "bold markers": re.compile(r"\*\*"),
    "table rule": re.compile(r"\|\s*:?-{3,}"),
    "heading marks": re.compile(r"^\s*#{1,6}\s", re.MULTILINE),
    "code ticks": re.compile(r"`[^`\n]+`"),
}

_IMAGES = """() => Array.from(document.images, img => ({
    alt: img.alt, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
    shown: img.getBoundingClientRect().width}))"""
_TABLES = """() => Array.from(document.querySelectorAll('table'), t => ({
    caption: t.caption ? t.caption.innerText.trim() : '',
    rows: t.rows.length, width: t.getBoundingClientRect().width,
    height: t.getBoundingClientRect().height,
    hidden: getComputedStyle(t).display === 'none' || getComputedStyle(t).visibility === 'hidden'}))"""


def promised(kind: str) -> tuple[list[str], int]:
    """Table captions and the number of charts the notebooks' `kind`-tagged cells display."""
    captions: list[str] = []
    figures = 0
    for name in DOCUMENTS[kind]:
        notebook = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code" and kind in cell.metadata.get("tags", []):
                captions += _CAPTION.findall(cell.source)
                figures += len(_FIGURE.findall(cell.source))
    return captions, figures


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_document_renders_in_the_browser(kind: str, kartra_run: Path, page, tmp_path) -> None:
    path = kartra_run / f"{kind}.html"
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")

    captions, figures = promised(kind)
    assert captions, "the notebooks promise no table for this document"
    images = page.evaluate(_IMAGES)
    broken = [i for i in images if not (i["complete"] and i["width"] > 0 and i["shown"] > 0)]
    assert not broken, broken
    assert len(images) >= figures, (len(images), figures)
    if kind == "scope":
        assert figures >= 3  # completeness, tags, timeline

    tables = page.evaluate(_TABLES)
    source = path.read_text(encoding="utf-8")
    assert len(tables) == len(re.findall(r"<table\b", source)), "a table was lost in the markup"
    invisible = [t for t in tables if t["hidden"] or t["width"] == 0 or t["height"] == 0]
    assert not invisible, invisible
    shown = {t["caption"]: t for t in tables}
    missing = [c for c in captions if c not in shown]
    assert not missing, f"tables missing from {kind}.html: {missing}"
    assert all(shown[c]["rows"] >= 1 for c in captions)
    body = page.evaluate("() => document.body.getBoundingClientRect().width")
    too_wide = [t["caption"] for t in tables if t["width"] > body + 1]
    assert not too_wide, f"tables wider than the page in {kind}.html: {too_wide}"

    text = page.inner_text("body")
    raw = {name: rx.findall(text)[:3] for name, rx in _RAW_MARKDOWN.items() if rx.search(text)}
    assert not raw, f"raw Markdown in {kind}.html: {raw}"
    assert "Traceback" not in text

    shot = tmp_path / f"{kind}-document.png"
    page.screenshot(path=str(shot), full_page=True)
    keep_artifact(shot)
    assert shot.stat().st_size > 50_000
