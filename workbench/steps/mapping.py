"""02_mapping: the proposal, the confirmed map, and the staged records for resolution."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from workbench.errors import MapValidationError, TwentyError
from workbench.mapping import (
    MapSpec,
    Proposal,
    StageParams,
    default_map_path,
    load_confirmed_map,
    propose_map,
    row_accounting,
    stage,
)
from workbench.mapping.conflicts import (
    FieldConflict,
    apply_decisions,
    decide,
    find_conflicts,
    write_decisions,
)
from workbench.mapping.conflicts import to_frame as conflicts_frame
from workbench.mapping.routing import deliver_as_report as route_to_report
from workbench.mapping.stage import resolve_columns
from workbench.records import Staged, reason_kind, staged_flags, write_staged
from workbench.sources.base import SourceExport, get_source
from workbench.sources.schema import SourceSchema, load_source_schema
from workbench.steps.runfolder import RunFolder

# export_locale → the date order that decides 03/04/2021
LOCALE_DATE_ORDER = {"en_US": "MDY", "en_CA": "MDY", "en_PH": "MDY"}


def date_order_for(locale: str) -> str:
    """Month first for US-style locales, year first for ISO-style ones, day first elsewhere."""
    if locale in LOCALE_DATE_ORDER:
        return LOCALE_DATE_ORDER[locale]
    if locale.lower() in ("iso", "ymd", "sv_se", "zh_cn", "ja_jp", "ko_kr", "hu_hu", "lt_lt"):
        return "YMD"
    return "DMY"


@dataclass
class MappingStep:
    source: str
    export: SourceExport
    schema: SourceSchema
    spec: MapSpec
    map_file: Path
    proposal_result: Proposal
    run: RunFolder
    staged: Staged | None = None
    accounting: pl.DataFrame = field(default_factory=pl.DataFrame)
    reports: list[Path] = field(default_factory=list)
    confirmed: MapSpec | None = None  # the map as confirmed; `spec` is it with the decisions
    conflicts: list[FieldConflict] = field(default_factory=list)
    destination_note: str = ""

    def check_destination(self, decisions: dict[str, str] | None = None) -> pl.DataFrame:
        """Read the destination's fields; decide each one the map meets with another type.

        `decisions` (a papermill parameter) names a choice per conflict; the others keep the
        proposal. Recorded in decisions/schema.json, applied to `spec` for staging and loading.
        """
        from workbench.steps.load import destination
        from workbench.twenty.existing import read_destination, write_destination

        self.confirmed = self.confirmed or self.spec
        try:
            with destination(self.run) as client:
                objects = read_destination(client)
        except TwentyError as exc:
            self.destination_note = (
                f"The destination's fields could not be read ({exc.message}); schema sync in "
                "04_load will still refuse a field that exists with another type."
            )
            return conflicts_frame([])
        write_destination(objects, self.run.destination_schema)
        self.proposal_result = propose_map(
            self.export, self.schema, self.confirmed, existing=objects
        )
        self.conflicts = decide(find_conflicts(self.confirmed, objects), decisions)
        return self._record()

    def _record(self) -> pl.DataFrame:
        assert self.confirmed is not None
        write_decisions(self.conflicts, self.run.schema_decisions)
        self.spec = apply_decisions(self.confirmed, self.conflicts)
        n = len(self.conflicts)
        self.destination_note = (
            f"{n} field{'s' if n != 1 else ''} of the map already exist in the destination with "
            "another type; each is decided below (change with the `schema_decisions` parameter, "
            'e.g. {"person.leadSource": "new field"}, or the widget)'
            if n
            else "No field of the map exists in the destination with another type."
        )
        return conflicts_frame(self.conflicts)

    def decision_widget(self) -> Any:
        """One dropdown per conflict; changing one records the decision at once."""
        import ipywidgets as w

        rows = []
        for conflict in self.conflicts:
            pick = w.Dropdown(options=conflict.choices, value=conflict.choice, description="")

            def changed(event: Any, c: FieldConflict = conflict) -> None:
                decide([c], {c.key: event["new"]}, by="widget")
                self._record()

            pick.observe(changed, names="value")
            label = f"{conflict.key}: map wants {conflict.wanted}, exists as {conflict.existing}"
            rows.append(w.HBox([w.Label(label), pick]))
        return w.VBox(rows or [w.Label("no conflicts")])

    def summary_line(self) -> str:
        who = self.spec.confirmation.confirmed_by if self.spec.confirmation else "nobody"
        return (
            f"map {self.map_file.name} for {self.source}: {len(self.spec.objects)} objects, "
            f"confirmed by {who}; copied to {self.run.map_yaml}"
        )

    def editor(self) -> Any:
        """The widget editor; Confirm writes the YAML map into the run folder."""
        from workbench.mapping.widgets import MapEditor

        return MapEditor(self.proposal_result, self.export, path=self.run.map_yaml)

    def proposal(self) -> pl.DataFrame:
        frame = self.proposal_result.to_frame()
        return frame.filter(~pl.col("from_default")).drop("from_default") if frame.height else frame

    def confirmation_markdown(self) -> str:
        c = self.spec.confirmation
        if c is None:
            return "**The map is not confirmed.** Nothing loads until the analyst confirms it."
        return (
            f"Map confirmed by **{c.confirmed_by}** on {c.confirmed_at} "
            f"(content hash `{c.content_hash[:12]}…`). A map changed after confirmation is refused."
        )

    def matrix(self) -> pl.DataFrame:
        """Every source column → Twenty object and field, with its transform."""
        rows: list[dict[str, str]] = []
        for name, obj in self.spec.objects.items():
            source = obj.source_table or name
            if obj.inventory:
                rows.append(_row(source, "(whole object)", "inventory", obj.inventory, ""))
                continue
            target = obj.target or ""
            if obj.derive_from:
                rows.append(
                    _row(
                        source,
                        obj.derive_from.column,
                        target,
                        "name (one per distinct company)",
                        "dedupe",
                    )
                )
            elif obj.source_key:
                rows.append(
                    _row(source, obj.source_key, target, obj.source_key_field or "", "source id")
                )
            if obj.created_at:
                rows.append(
                    _row(
                        source, obj.created_at.column, target, "createdAt", obj.created_at.transform
                    )
                )
            for rule in obj.fields:
                inputs = ", ".join(rule.inputs) if rule.inputs else f"constant {rule.const!r}"
                rows.append(_row(source, inputs, target, rule.target, rule.transform))
            for relation_field, rel in obj.relations.items():
                inputs = ", ".join(rel.inputs)
                rows.append(
                    _row(source, inputs, target, relation_field, f"link to {rel.to} by {rel.by}")
                )
            for rule in obj.queue:
                rows.append(
                    _row(source, ", ".join(rule.inputs), "reconciliation queue", "", rule.reason)
                )
        return pl.DataFrame(rows)

    def schema_requirements(self) -> pl.DataFrame:
        needs = self.spec.required_schema()
        rows = [
            {
                "kind": "custom object",
                "object": o.name_plural,
                "name": o.name_singular,
                "type": "OBJECT",
                "options": "",
            }
            for o in needs.objects
        ]
        rows += [
            {
                "kind": "custom field",
                "object": f.object,
                "name": f.name,
                "type": str(f.type),
                "options": ", ".join(o.label for o in f.options[:10])
                + (" …" if len(f.options) > 10 else ""),
            }
            for f in needs.fields
        ]
        rows += [
            {
                "kind": "relation",
                "object": r.object,
                "name": r.name,
                "type": f"→ {r.target}",
                "options": "",
            }
            for r in needs.relations
        ]
        return pl.DataFrame(rows)

    def stage(
        self,
        *,
        export_locale: str = "en_US",
        default_region: str | None = None,
        deliver_as_report: list[str] | None = None,
    ) -> Staged:
        """Transform and validate every row; write staged records and the quarantine."""
        params = StageParams(region=default_region, date_order=date_order_for(export_locale))
        staged = stage(self.export, self.spec, params=params)
        if deliver_as_report:
            staged, self.reports = route_to_report(
                staged, self.export, self.spec, list(deliver_as_report), self.run.root / "reports"
            )
        write_staged(staged, self.run.staged)
        staged.quarantine.write_csv(self.run.quarantine_csv)
        self.accounting = row_accounting(self.export, self.spec, staged)
        self.accounting.write_csv(self.run.root / "staging_accounting.csv")
        self.staged = staged
        return staged

    def staged_line(self) -> str:
        assert self.staged is not None
        records = sum(f.height for f in self.staged.records.values())
        balanced = bool(self.accounting["balanced"].all()) if self.accounting.height else True
        reports = (
            f"; delivered as CSV reports: {', '.join(p.name for p in self.reports)}"
            if self.reports
            else ""
        )
        return (
            f"staged {records:,} records{reports}; quarantined {self.staged.quarantine.height:,} values; "
            f"queued {self.staged.queue.height:,} rows; every row accounted for: {balanced}"
        )

    def outcome_counts(self) -> pl.DataFrame:
        return self.accounting

    def quarantine_summary(self) -> pl.DataFrame:
        assert self.staged is not None
        q = pl.concat(
            [
                self.staged.quarantine.with_columns(pl.lit("quarantined").alias("outcome")),
                self.staged.queue.with_columns(pl.lit("queued").alias("outcome")),
            ]
        )
        if q.height == 0:
            return pl.DataFrame({"quarantine": ["nothing quarantined"]})
        # reasons quote the value, so group by what was wrong rather than by the exact text
        kind = reason_kind(pl.col("reason"))
        return (
            q.with_columns(kind.alias("problem"))
            .group_by("map_object", "outcome", "column", "problem")
            .agg(pl.len().alias("rows"), pl.col("value").drop_nulls().head(3).alias("examples"))
            .sort("rows", descending=True)
        )

    def flag_summary(self) -> pl.DataFrame:
        assert self.staged is not None
        flags = staged_flags(self.staged)
        if flags.height == 0:
            return pl.DataFrame({"flags": ["none"]})
        return (
            flags.group_by("map_object", pl.col("field").alias("column(s)"))
            .agg(pl.len().alias("values"), pl.col("flag").head(2).alias("examples"))
            .sort("values", descending=True)
        )

    def quarantine_examples(self) -> pl.DataFrame:
        assert self.staged is not None
        return self.staged.quarantine.select(
            "map_object", "file", "line", "column", "value", "reason"
        )


def _row(source: str, column: str, target: str, field_name: str, how: str) -> dict[str, str]:
    return {
        "source object": source,
        "source column(s)": column,
        "Twenty object": target,
        "Twenty field": field_name,
        "how": how,
    }


def prepare(
    source: str, export_dir: str | Path, run_dir: str | Path, *, map_path: str | Path | None = None
) -> MappingStep:
    """Load the export and the confirmed map (copied into the run folder), and propose."""
    module = get_source(source)
    folder = RunFolder(run_dir)
    export = module.read_export(Path(export_dir))
    schema = load_source_schema(module.NAME)
    if map_path:
        chosen = Path(map_path)
    elif folder.map_yaml.exists():  # confirmed earlier in this run (the widget editor writes it)
        chosen = folder.map_yaml
    else:
        chosen = default_map_path(module.NAME)
    spec = load_confirmed_map(chosen)
    if chosen == default_map_path(module.NAME):
        _check_default_map_fits(spec, export, module.NAME)
    if chosen.resolve() != folder.map_yaml.resolve():
        shutil.copyfile(chosen, folder.map_yaml)
    proposal = propose_map(export, schema, spec)
    return MappingStep(module.NAME, export, schema, spec, chosen, proposal, folder)


def _check_default_map_fits(spec: MapSpec, export: SourceExport, source: str) -> None:
    """The default map was confirmed for the sample export; another client's export that lacks
    its columns needs its own map, and the error says how to get one."""
    try:
        resolve_columns(spec, export)
    except MapValidationError as exc:
        raise MapValidationError(
            f"{exc.message}\nThe default {source} map was written for the sample export and "
            "this export lacks the columns above. Open notebooks/02_mapping.ipynb in JupyterLab "
            "(`.venv/bin/jupyter lab`) to review the proposal for this export and press "
            "Confirm, or pass a confirmed map with --map.",
            file=exc.file,
            line=exc.line,
            column=exc.column,
        ) from None
