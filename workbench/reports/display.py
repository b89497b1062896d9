"""Displays for notebook cells that read well both in JupyterLab and in the rendered documents."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from typing import Any

import polars as pl
from IPython.display import HTML, Markdown, display


def table_html(frame: pl.DataFrame, *, title: str | None = None, max_rows: int = 60) -> str:
    """A plain HTML table (no index, no dtype row) with a caption saying what was cut."""
    shown = frame.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for row in shown.iter_rows():
        cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row)
        rows.append(f"<tr>{cells}</tr>")
    if not rows:  # an empty table still says so in words, not as a bare header row
        rows.append(f'<tr><td colspan="{max(len(shown.columns), 1)}"><em>none</em></td></tr>')
    caption = f"<caption>{html.escape(title)}</caption>" if title else ""
    more = ""
    if frame.height > max_rows:
        more = f'<p class="wb-more">{frame.height - max_rows:,} more rows in the run folder.</p>'
    return (
        f'<table class="wb-table">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e15 else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def show_table(frame: pl.DataFrame, title: str | None = None, *, max_rows: int = 60) -> None:
    display(HTML(table_html(frame, title=title, max_rows=max_rows)))


def show_metrics(metrics: Mapping[str, Any], title: str | None = None) -> None:
    """Key figures as a two-column table."""
    frame = pl.DataFrame(
        {"figure": list(metrics.keys()), "value": [_cell(v) for v in metrics.values()]}
    )
    show_table(frame, title)


def show_markdown(text: str) -> None:
    display(Markdown(text))


def figure_html(figure: Any, *, alt: str = "chart") -> str:
    """A matplotlib figure as an inline PNG, so the HTML documents need no extra files."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="wb-chart" alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}"/>'


def show_figure(figure: Any, alt: str = "chart") -> None:
    import matplotlib.pyplot as plt

    display(HTML(figure_html(figure, alt=alt)))
    plt.close(figure)


def empty_chart(message: str) -> Any:
    """A small figure that says why there is no chart, so a document never has a hole."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 0.8))
    axis = figure.subplots()
    axis.axis("off")
    axis.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#57606a")
    return figure
