"""Review of grey-band pairs in 03_resolve: evidence, and a merge / keep-apart button per pair.

Every click is written at once to `run_dir/decisions/<kind>.json`, so the answer survives the
kernel and is applied by every later run (headless ones read the file; no widget needed).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import polars as pl

from workbench.resolve.decisions import (
    Decisions,
    decisions_path,
    read_decisions,
    save_decisions,
)

_LIMIT = 200  # pairs shown at once; the rest wait for the next run


def _company_text(row: dict[str, Any]) -> str:
    return (
        f"<b>{html.escape(row['a_name'])}</b> ({row['a_rows']} rows; {html.escape(row['a_domains'] or 'no domain')})"
        f" ↔ <b>{html.escape(row['b_name'])}</b> ({row['b_rows']} rows; {html.escape(row['b_domains'] or 'no domain')})"
        f"<br><small>score {row['score']:.1f} · token sort {row['token_sort']:.0f} · squashed"
        f" {row['squashed']:.0f} · Jaro-Winkler {row['jaro_winkler']:.0f} · {html.escape(row['why'])}</small>"
    )


def _person_text(row: dict[str, Any]) -> str:
    return (
        f"<b>{html.escape(row['a'])}</b> {html.escape(row['a_name'] or '')} &lt;{html.escape(row['a_email'] or 'no email')}&gt;"
        f" ↔ <b>{html.escape(row['b'])}</b> {html.escape(row['b_name'] or '')} &lt;{html.escape(row['b_email'] or 'no email')}&gt;"
        f"<br><small>{html.escape(row['why'] or '')}</small>"
    )


class ReviewWidget:
    """Buttons for each grey-band pair.

    `ReviewWidget(resolved, run_dir)` shows the company and the people pairs of a
    `plan.Resolved`; `ReviewWidget(review_frame, run_dir, kind)` shows one review frame
    (a CompanyClusters.review with kind "companies", a PeopleDuplicates.review with "people").
    """

    def __init__(self, source: Any, run_dir: str | Path, kind: str = "companies") -> None:
        self.run_dir = Path(run_dir)
        if isinstance(source, pl.DataFrame):
            sections = [(kind, source)]
        else:
            sections = [
                (name, part.review)
                for name, part in (("companies", source.companies), ("people", source.people))
                if part is not None
            ]
        self.decisions: dict[str, Decisions] = {}
        self.buttons: dict[str, tuple[widgets.Button, widgets.Button]] = {}
        self.status: dict[str, widgets.HTML] = {}
        self.widget = widgets.VBox([self._section(name, review) for name, review in sections])

    def _section(self, kind: str, review: pl.DataFrame) -> widgets.VBox:
        path = decisions_path(self.run_dir, kind)
        self.decisions[kind] = read_decisions(path)
        describe = _company_text if kind == "companies" else _person_text
        rows = []
        for row in review.head(_LIMIT).iter_rows(named=True):
            pair = row["pair"]
            merge = widgets.Button(description="Merge", button_style="success", icon="compress")
            apart = widgets.Button(description="Keep apart", button_style="warning", icon="expand")
            status = widgets.HTML(self._status_text(kind, pair))
            merge.on_click(lambda _, r=row, k=kind: self.decide(k, r, "merge"))
            apart.on_click(lambda _, r=row, k=kind: self.decide(k, r, "apart"))
            self.buttons[pair] = (merge, apart)
            self.status[pair] = status
            rows.append(
                widgets.HBox(
                    [
                        widgets.HTML(describe(row), layout=widgets.Layout(width="70%")),
                        merge,
                        apart,
                        status,
                    ]
                )
            )
        heading = widgets.HTML(
            f"<h4>{review.height} {kind} pair(s) to review</h4>"
            f"<small>answers are saved to {html.escape(str(path))}"
            + (f"; showing the first {_LIMIT}" if review.height > _LIMIT else "")
            + "</small>"
        )
        return widgets.VBox([heading, *rows])

    def _status_text(self, kind: str, pair: str) -> str:
        answer = self.decisions[kind].get(pair)
        return {"merge": "✔ merge", "apart": "✘ keep apart"}.get(answer or "", "undecided")

    def decide(self, kind: str, row: dict[str, Any], answer: str) -> None:
        """Record an answer for one pair and write the decisions file at once."""
        evidence = {
            k: row.get(k) for k in ("a_name", "b_name", "score", "why") if row.get(k) is not None
        }
        self.decisions[kind].decide(row["a"], row["b"], answer, **evidence)
        save_decisions(self.run_dir, kind, self.decisions[kind])
        self.status[row["pair"]].value = self._status_text(kind, row["pair"])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
