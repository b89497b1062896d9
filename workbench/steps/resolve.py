"""03_resolve: dedupe, joins, associations and owners → the load plan in the run folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from workbench.mapping.conflicts import load_run_map
from workbench.records import read_staged, write_plan
from workbench.resolve.plan import PlanParams, Resolved, objects_info, resolve_staged
from workbench.settings import Settings
from workbench.steps.load import destination, destination_label
from workbench.steps.runfolder import RunFolder

PLACEHOLDER_NAME = "Unassigned (migration placeholder)"


@dataclass
class ResolveStep:
    run: RunFolder
    resolved: Resolved
    members: list[dict[str, Any]]
    destination: str

    def summary_line(self) -> str:
        plan = self.resolved.plan
        records = sum(p.records.height for p in plan.phases)
        return (
            f"{records:,} records in {len(plan.phases)} phases; {plan.outcomes.height:,} source rows "
            f"settled before the load; {len(self.members)} workspace members read from {self.destination}"
        )

    def _outcomes(self, outcome: str) -> pl.DataFrame:
        return self.resolved.plan.outcomes.filter(pl.col("outcome") == outcome)

    def resolution_counts(self) -> pl.DataFrame:
        rows: list[dict[str, Any]] = []
        companies = self.resolved.companies
        if companies is not None:
            mentions = companies.rows.filter(pl.col("cluster").is_not_null()).height
            rows.append({"what": "company mentions", "found": mentions})
            rows.append({"what": "companies after dedupe", "found": companies.clusters.height})
            rows.append({"what": "company pairs for review", "found": companies.review.height})
        people = self.resolved.people
        if people is not None:
            merged = people.rows.filter(pl.col("survivor") != pl.col("key")).height
            rows.append({"what": "contacts merged into another (same person)", "found": merged})
            rows.append(
                {"what": "possible duplicate people for review", "found": people.review.height}
            )
        refs = self.resolved.references
        if refs.height:
            for how, n in refs.group_by("how").len().sort("len", descending=True).iter_rows():
                rows.append({"what": f"links rebuilt: {how or 'not resolved'}", "found": n})
        rows.append({"what": "owners not in the workspace", "found": self.resolved.owners.height})
        for outcome in ("merged", "queued", "rejected"):
            rows.append(
                {
                    "what": f"source rows {outcome} before the load",
                    "found": self._outcomes(outcome).height,
                }
            )
        return pl.DataFrame(rows)

    def strategy_markdown(self) -> str:
        rules = self.resolved.companies.rules if self.resolved.companies else None
        lines = [
            "- **Companies** are matched on a normalised name (case, accents, punctuation, a leading "
            "“The”, & and “and”, legal suffixes such as Inc., LLC, GmbH, Ltd) and on their web domain "
            "(from websites and contact emails; free-mail domains never count). Same domain merges; "
            "different real domains keep companies apart; look-alike names are scored with fuzzy "
            "matching inside blocks, and every member of a cluster must match its centre, so chains "
            "of near-matches never merge unrelated companies.",
        ]
        if rules is not None:
            lines.append(
                f"  Pairs scoring {rules.merge_at:g}+ merge; {rules.review_at:g}–{rules.merge_at:g} go to review."
            )
        lines += [
            "- **People** with the same email (any case or spacing) become one record that keeps every "
            "source id and the union of tags; same name with the same phone or company is proposed "
            "for review, not merged blindly.",
            "- **Notes and activities** join their contact by email first, then by first + last name "
            "when exactly one contact has it; several candidates make a note *ambiguous*, none "
            "*unmatched* — both are listed in reconciliation, never dropped.",
            "- **Deals and activities** link by source id, else by name, else wait in the "
            "reconciliation queue with the reason.",
            "- **Owners** match workspace members by email; records of unknown owners load without "
            "the owner and the owner is listed to invite.",
        ]
        return "\n".join(lines)

    def links_summary(self) -> pl.DataFrame:
        """Per relation: how many links were rebuilt and how, and why the rest were not."""
        refs = self.resolved.references
        if refs.height == 0:
            return pl.DataFrame({"links": ["no relations in this map"]})
        outcome = (
            pl.when(pl.col("resolved").is_not_null())
            .then(pl.format("joined by {}", pl.col("how")))
            .when(pl.col("how") == "ambiguous")
            .then(pl.lit("ambiguous (several candidates)"))
            .when(pl.col("how") == "unavailable")
            .then(pl.lit("target not loaded (queued or rejected)"))
            .otherwise(pl.lit("no match (unmatched)"))
        )
        table = (
            refs.with_columns(outcome.alias("result"))
            .group_by("field", "result")
            .len()
            .pivot(on="result", index="field", values="len")
            .fill_null(0)
            .sort("field")
        )
        results = sorted(c for c in table.columns if c != "field")
        joined = [c for c in results if c.startswith("joined")]
        return table.select("field", *joined, *[c for c in results if c not in joined])

    def company_clusters(self) -> pl.DataFrame:
        companies = self.resolved.companies
        if companies is None:
            return pl.DataFrame({"company clusters": ["no companies in this export"]})
        frame = companies.clusters.filter(pl.col("spellings").list.len() > 1)
        return frame.select(
            "canonical_name",
            "rows",
            pl.col("spellings").list.join(" | ").alias("spellings"),
            "domain",
        ).sort("rows", descending=True)

    def review_queue(self) -> pl.DataFrame:
        frames = []
        if self.resolved.companies is not None and self.resolved.companies.review.height:
            frames.append(
                self.resolved.companies.review.with_columns(pl.lit("companies").alias("kind"))
            )
        if self.resolved.people is not None and self.resolved.people.review.height:
            frames.append(self.resolved.people.review.with_columns(pl.lit("people").alias("kind")))
        if not frames:
            return pl.DataFrame({"review": ["nothing waits for review"]})
        return pl.concat(frames, how="diagonal_relaxed")

    def unresolved(self) -> pl.DataFrame:
        refs = self.resolved.references
        missing = refs.filter(pl.col("resolved").is_null())
        if missing.height == 0:
            return pl.DataFrame({"unresolved links": ["none"]})
        return missing.select("record_key", "field", "by", "value", "reason")

    def plan_table(self) -> pl.DataFrame:
        rows = [
            {
                "order": i + 1,
                "phase": p.name,
                "Twenty object": p.target,
                "records": p.records.height,
                "source rows folded in": int(p.records["source_keys"].list.len().sum() or 0),
            }
            for i, p in enumerate(self.resolved.plan.phases)
        ]
        return pl.DataFrame(rows)

    def review_widget(self) -> Any:
        from workbench.resolve.review import ReviewWidget

        return ReviewWidget(self.resolved, self.run.root)


def run(
    source: str,
    export_dir: str | Path,
    run_dir: str | Path,
    *,
    merge_policy: str = "flag",
    placeholder_company: bool = False,
) -> ResolveStep:
    """Resolve the staged records into a load plan; reviews saved in the run folder apply."""
    folder = RunFolder(run_dir)
    settings = Settings.from_env()
    spec = load_run_map(folder.map_yaml, folder.schema_decisions)
    staged = read_staged(folder.staged)
    with destination(folder, settings=settings) as client:
        members = client.workspace_members()
    params = PlanParams(
        people_policy=merge_policy,  # type: ignore[arg-type]
        placeholder_company=PLACEHOLDER_NAME if placeholder_company else None,
        run_dir=folder.root,
    )
    resolved = resolve_staged(staged, objects_info(spec), members, params=params)
    write_plan(resolved.plan, folder.plan)
    folder.resolution.mkdir(parents=True, exist_ok=True)
    resolved.references.write_csv(folder.resolution / "links.csv")
    resolved.owners.with_columns(pl.col("record_keys").list.join(" ")).with_columns(
        pl.col("fields").list.join(" ")
    ).write_csv(folder.resolution / "owners_to_invite.csv")
    if resolved.companies is not None:
        resolved.companies.clusters.with_columns(pl.col("spellings").list.join(" | ")).write_csv(
            folder.resolution / "company_clusters.csv"
        )
    return ResolveStep(folder, resolved, members, destination_label(settings))
