"""The map editor: one row per source column, a live preview, and the Confirm button.

Built on ipywidgets so it runs in JupyterLab and can be driven in-process by tests (set the
widgets' values, call `.click()` on the buttons, read the YAML back).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w

from workbench.errors import WorkbenchError
from workbench.mapping.catalog import STANDARD_OBJECTS
from workbench.mapping.confirm import confirm_map
from workbench.mapping.propose import ColumnProposal, Proposal, propose_map, synonyms
from workbench.mapping.registry import REGISTRY
from workbench.mapping.spec import MapSpec
from workbench.mapping.stage import StageParams, stage
from workbench.mapping.yamlio import dump_map
from workbench.sources.base import SourceExport
from workbench.twenty.model import FieldType

_CUSTOM_TYPES = [
    t.value for t in FieldType if t not in (FieldType.RELATION, FieldType.UUID, FieldType.FULL_NAME)
]


def _target_options(col: ColumnProposal) -> list[str]:
    fields = synonyms()["fields"]
    known = list((fields.get(col.object) or fields["custom"]).keys())
    if col.object in STANDARD_OBJECTS:
        known += [f for f in STANDARD_OBJECTS[col.object]["fields"] if f not in known]
    return list(dict.fromkeys([col.field, "ignore", *known]))


def _declared_type(declared: dict, col: ColumnProposal) -> str | None:
    """The type the map declares for the custom field a column feeds, if any."""
    if not col.field.startswith("custom:"):
        return None
    found = declared.get(col.object, {}).get(col.field.removeprefix("custom:").split(".")[0])
    return str(found.type.value if hasattr(found.type, "value") else found.type) if found else None


class ColumnRow:
    """The widgets of one column: target, transform, custom-field type and options.

    `declared_type` is the type the map already gives the column's custom field (a default map's
    columns carry none of their own), so the type dropdown shows it rather than TEXT.
    """

    def __init__(self, col: ColumnProposal, declared_type: str | None = None) -> None:
        self.col = col
        ctype = col.custom_type or declared_type
        self.target = w.Dropdown(
            options=_target_options(col), value=col.field, layout=w.Layout(width="230px")
        )
        self.transform = w.Dropdown(
            options=["", *sorted(REGISTRY)],
            value=col.transform or "",
            layout=w.Layout(width="110px"),
        )
        self.custom = w.Checkbox(
            value=col.field.startswith("custom:"),
            description="custom field",
            indent=False,
            layout=w.Layout(width="110px"),
        )
        self.custom_name = w.Text(
            value=col.field.removeprefix("custom:") if col.field.startswith("custom:") else "",
            placeholder="camelCaseName",
            layout=w.Layout(width="140px"),
        )
        self.custom_type = w.Dropdown(
            options=_CUSTOM_TYPES,
            value=ctype if ctype in _CUSTOM_TYPES else "TEXT",
            layout=w.Layout(width="105px"),
        )
        self.options = w.Text(
            value="", placeholder="select options, comma-separated", layout=w.Layout(width="150px")
        )
        # the checkbox decides in apply(); picking a target in the dropdown must move it too, or
        # a custom-field row set to "ignore" (or to a standard field) would keep its custom field
        self.target.observe(self._target_picked, names="value")
        # a row counts as edited only when the analyst moved a widget: comparing the widgets with
        # the proposal instead would mark untouched rows edited (a default map's custom fields
        # have no type of their own) and rebuild their rules, losing value maps and options
        self._proposed = (col.field, col.transform, col.custom_type)
        self._proposed_score = (col.confidence, col.evidence, col.edited)
        self._shown = self._choice()
        colour = "green" if col.confidence >= 0.9 else "orange" if col.confidence >= 0.7 else "red"
        label = f"<b>{html.escape(col.table)}.{html.escape(col.column)}</b>"
        conf = f"<span style='color:{colour}' title='{html.escape(col.evidence)}'>{col.confidence:.0%}</span>"
        self.box = w.HBox(
            [
                w.HTML(label, layout=w.Layout(width="210px")),
                self.target,
                self.transform,
                w.HTML(conf, layout=w.Layout(width="45px")),
                self.custom,
                self.custom_name,
                self.custom_type,
                self.options,
            ],
            layout=w.Layout(flex_flow="row wrap"),  # a narrow notebook wraps a row, never clips it
        )

    def _target_picked(self, change: dict) -> None:
        picked = str(change["new"])
        self.custom.value = picked.startswith("custom:")
        if self.custom.value:
            self.custom_name.value = picked.removeprefix("custom:")

    def _choice(self) -> tuple[str, str | None, str | None]:
        """(field, transform, custom type) as the widgets say now."""
        transform = self.transform.value or None
        if self.custom.value:
            name = self.custom_name.value.strip() or self.col.column
            return f"custom:{name}", transform, self.custom_type.value
        return self.target.value, transform, None

    def apply(self) -> None:
        """Write the widgets' values back into the column proposal."""
        col = self.col
        choice = self._choice()
        if choice == self._shown:  # untouched (or put back): the proposal stands as it was
            col.field, col.transform, col.custom_type = self._proposed
            col.confidence, col.evidence, col.edited = self._proposed_score
        else:
            col.field, col.transform, col.custom_type = choice
            col.confidence, col.evidence, col.edited = 1.0, "set by the analyst", True
        col_options = [o.strip() for o in self.options.value.split(",") if o.strip()]
        col.select_options = col_options  # type: ignore[attr-defined]


class MapEditor:
    """Review a proposal (or a map) against an export, preview it, and confirm it to YAML."""

    def __init__(
        self,
        proposal: Proposal | MapSpec,
        export: SourceExport,
        *,
        path: str | Path | None = None,
        preview_rows: int = 5,
    ) -> None:
        if isinstance(proposal, MapSpec):
            proposal = propose_map(export, None, proposal)
        self.proposal = proposal
        self.export = export
        self.preview_rows = preview_rows
        declared = proposal.default_map.custom_fields if proposal.default_map else {}
        self.rows = [
            ColumnRow(c, _declared_type(declared, c))
            for c in proposal.columns
            if c.object != "inventory"
        ]
        labels = {"description_width": "initial"}  # the default width cuts "Confirmed by"
        self.who = w.Text(placeholder="your name", description="Confirmed by", style=labels)
        self.path = w.Text(value=str(path or "map.yaml"), description="Write to", style=labels)
        self.preview_button = w.Button(description="Preview", icon="eye")
        self.confirm_button = w.Button(description="Confirm", button_style="success", icon="check")
        self.preview = w.HTML()
        self.status = w.HTML()
        self.preview_button.on_click(lambda _: self.refresh_preview())
        self.confirm_button.on_click(lambda _: self.confirm())
        self.widget = w.VBox(
            [
                *(r.box for r in self.rows),
                w.HBox([self.preview_button, self.who, self.path, self.confirm_button]),
                self.status,
                self.preview,
            ]
        )

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    def spec(self) -> MapSpec:
        """The map as the widgets currently say (unconfirmed)."""
        for row in self.rows:
            row.apply()
        spec = self.proposal.to_map()
        for row in self.rows:
            opts = getattr(row.col, "select_options", [])
            name = row.col.field.removeprefix("custom:").split(".")[0]
            target = self.proposal.objects[row.col.table][1]
            declared = spec.custom_fields.get(target, {}).get(name)
            if declared is not None and opts:
                declared.options = opts
        return spec

    def refresh_preview(self) -> None:
        """Stage a few rows per object and show them; failing values in red."""
        try:
            spec = self.spec()
            staged = stage(self.export, spec, params=StageParams(limit=self.preview_rows))
        except WorkbenchError as exc:
            self.preview.value = f"<pre style='color:red'>{html.escape(str(exc))}</pre>"
            return
        parts = []
        for name, frame in staged.records.items():
            rows = "".join(
                f"<tr><td>{html.escape(r['source_id'])}</td><td><code>{html.escape(json.dumps(json.loads(r['payload']), ensure_ascii=False)[:400])}</code></td>"
                f"<td style='color:orange'>{html.escape('; '.join(r['flags']))}</td></tr>"
                for r in frame.head(self.preview_rows).iter_rows(named=True)
            )
            parts.append(f"<h4>{html.escape(name)}</h4><table>{rows}</table>")
        bad = "".join(
            f"<tr style='color:red'><td>{html.escape(r['map_object'])}</td><td>{r['line']}</td><td>{html.escape(r['column'])}</td><td>{html.escape(r['value'])}</td><td>{html.escape(r['reason'])}</td></tr>"
            for r in staged.quarantine.iter_rows(named=True)
        )
        if bad:
            parts.append(f"<h4 style='color:red'>Would be quarantined</h4><table>{bad}</table>")
        self.preview.value = "".join(parts)
        self.last_staged = staged

    def confirm(self) -> MapSpec | None:
        """Write the map as YAML with its confirmation block; the status line says what happened."""
        try:
            spec = self.spec()
            path = Path(self.path.value)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump_map(spec), encoding="utf-8")
            confirmed = confirm_map(path, self.who.value)
        except WorkbenchError as exc:
            self.status.value = f"<pre style='color:red'>{html.escape(str(exc))}</pre>"
            return None
        self.status.value = f"<span style='color:green'>Confirmed by {html.escape(self.who.value)} → {html.escape(str(path))}</span>"
        return confirmed
