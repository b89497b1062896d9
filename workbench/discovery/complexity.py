"""Complexity grade A–D per dimension and overall, and a timeline estimate.

Every grade comes from a threshold table below (data, not code paths) applied to inputs that
are shown beside the grade, so the analyst can see why a migration is a "B".
"""

from __future__ import annotations

from dataclasses import dataclass, field

GRADES = "ABCD"

# (lowest value for the grade, grade): a ratio of objects that map 1:1 to Twenty.
OBJECT_COMPATIBILITY = ((0.85, "A"), (0.55, "B"), (0.35, "C"), (0.0, "D"))
# (highest share of custom columns, grade); an unconfirmed map is never better than C.
FIELD_MAPPING = ((0.05, "A"), (0.15, "B"), (0.35, "C"), (1.0, "D"))
UNCONFIRMED_MAP_BEST = "C"
# (highest number of migrating objects, grade).
OBJECT_COUNT = ((4, "A"), (8, "B"), (12, "C"), (10**9, "D"))
# (highest total records, grade); over 2M records are scoped individually.
DATA_VOLUME = ((50_000, "A"), (500_000, "B"), (2_000_000, "C"), (10**12, "D"))
# (highest minutes of API time to load everything, grade) at the destination's request rate.
LOAD_MINUTES = ((10, "A"), (60, "B"), (240, "C"), (10**9, "D"))

# What each source's extraction allows (seeds, "API constraints" / "Data volume sensitivity").
SOURCE_API: dict[str, tuple[str, str]] = {
    "kartra": ("B", "no bulk API; UI CSV exports; API ceiling of 20 calls per second per app"),
    "allclients": ("B", "no bulk API; rate limits not publicly documented"),
    "smartcrm": ("B", "no public API; CSV exports only"),
    "altcraft": ("B", "bulk export API; request limits configurable and unpublished (HTTP 429)"),
    "salesmate": ("B", "REST v4, 250 rows per page; rate limits not published"),
}
SOURCE_BULK: dict[str, tuple[str, str]] = {
    "kartra": ("B", "no bulk API: exports arrive in UI batches"),
    "allclients": ("B", "no bulk API: CSV exports"),
    "smartcrm": ("B", "no bulk API: CSV exports"),
    "altcraft": ("A", "bulk export API streams large volumes"),
    "salesmate": ("B", "no bulk API: paged REST extraction"),
}
# Timeline: weeks added to the source's base range when a condition holds.
TIMELINE_RULES: tuple[tuple[str, str, int, tuple[int, int]], ...] = (
    ("records", "more than 10,000 records", 10_000, (1, 2)),
    ("records", "more than 100,000 records", 100_000, (2, 3)),
    ("custom_fields", "more than 20 custom fields", 20, (1, 1)),
    ("tag_groups", "more than 50 distinct tags", 50, (1, 2)),
    ("batches", "more than 3 export batches to reassemble", 3, (1, 2)),
)
DEFAULT_WEEKS = (3, 5)


@dataclass
class Grade:
    dimension: str
    grade: str
    reason: str
    inputs: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "dimension": self.dimension,
            "grade": self.grade,
            "reason": self.reason,
            "inputs": self.inputs,
        }


@dataclass
class Complexity:
    compatibility: str  # "7 of 10"
    compatibility_pct: int | None
    dimensions: list[Grade]
    overall: str
    timeline_weeks: tuple[int, int]
    timeline_reasons: list[str]

    def to_json(self) -> dict[str, object]:
        return {
            "compatibility": self.compatibility,
            "compatibility_pct": self.compatibility_pct,
            "dimensions": [d.to_json() for d in self.dimensions],
            "overall": self.overall,
            "timeline_weeks": list(self.timeline_weeks),
            "timeline_reasons": self.timeline_reasons,
        }


def _at_least(value: float, table: tuple[tuple[float, str], ...]) -> str:
    return next(g for bound, g in table if value >= bound)


def _at_most(value: float, table: tuple[tuple[float, str], ...]) -> str:
    return next(g for bound, g in table if value <= bound)


def _worse(*grades: str) -> str:
    return max(grades, key=GRADES.index)


def grade_complexity(
    *,
    source: str | None,
    mapped_1to1: int | None,
    total_objects: int | None,
    columns: int,
    custom_columns: int,
    records: int,
    migrating_objects: int,
    tag_groups: int = 0,
    batches: int = 1,
    base_weeks: tuple[int, int] | None = None,
    requests_per_minute: int = 100,
    batch_size: int = 60,
    map_confirmed: bool = False,
) -> Complexity:
    """Grades from the tables above; every input used is kept beside its grade."""
    dims: list[Grade] = []
    if mapped_1to1 is not None and total_objects:
        ratio = mapped_1to1 / total_objects
        dims.append(Grade("object compatibility", _at_least(ratio, OBJECT_COMPATIBILITY),
                          f"{mapped_1to1} of {total_objects} objects map 1:1",
                          {"mapped_1to1": mapped_1to1, "total": total_objects, "ratio": round(ratio, 3)}))  # fmt: skip
    custom_share = custom_columns / columns if columns else 0.0
    field_grade = _at_most(custom_share, FIELD_MAPPING)
    reason = f"{custom_columns} of {columns} columns are custom"
    if not map_confirmed:
        field_grade = _worse(field_grade, UNCONFIRMED_MAP_BEST)
        reason += "; the map is proposed from defaults and confirmed during the sample migration"
    dims.append(Grade("field mapping clarity", field_grade, reason,
                      {"columns": columns, "custom_columns": custom_columns,
                       "custom_share": round(custom_share, 3), "map_confirmed": map_confirmed}))  # fmt: skip
    dims.append(Grade("timeline complexity", _at_most(migrating_objects, OBJECT_COUNT),
                      f"{migrating_objects} objects to migrate", {"objects": migrating_objects}))  # fmt: skip
    requests = -(-records // batch_size) if records else 0
    minutes = requests / requests_per_minute
    load_grade = _at_most(minutes, LOAD_MINUTES)
    api_grade, api_reason = SOURCE_API.get(
        source or "", ("B", "unknown source: assumed CSV exports")
    )
    dims.append(Grade("API constraints", _worse(api_grade, load_grade),
                      f"{api_reason}; about {minutes:.0f} min of Twenty API time",
                      {"source_grade": api_grade, "requests": requests,
                       "requests_per_minute": requests_per_minute, "load_minutes": round(minutes, 1)}))  # fmt: skip
    bulk_grade, bulk_reason = SOURCE_BULK.get(source or "", ("B", "no known bulk API"))
    volume_grade = _at_most(records, DATA_VOLUME)
    dims.append(Grade("data volume", _worse(bulk_grade, volume_grade), f"{records:,} records; {bulk_reason}",
                      {"records": records, "bulk_grade": bulk_grade, "volume_grade": volume_grade}))  # fmt: skip
    points = [len(GRADES) - GRADES.index(d.grade) for d in dims]
    mean = sum(points) / len(points)
    overall = GRADES[len(GRADES) - int(mean + 0.5)]
    worst = max(GRADES.index(d.grade) for d in dims)
    overall = _worse(overall, GRADES[max(worst - 1, 0)])  # never two grades better than the worst
    low, high = base_weeks or DEFAULT_WEEKS
    reasons = [f"base {low}–{high} weeks for this source"]
    facts = {
        "records": records,
        "custom_fields": custom_columns,
        "tag_groups": tag_groups,
        "batches": batches,
    }
    for key, text, bound, (add_low, add_high) in TIMELINE_RULES:
        if facts[key] > bound:
            low, high = low + add_low, high + add_high
            reasons.append(f"+{add_low}–{add_high} weeks: {text} ({facts[key]:,})")
    compat = (
        f"{mapped_1to1} of {total_objects}"
        if mapped_1to1 is not None and total_objects
        else "unknown"
    )
    pct = (
        round(100 * mapped_1to1 / total_objects)
        if mapped_1to1 is not None and total_objects
        else None
    )
    return Complexity(compat, pct, dims, overall, (low, high), reasons)
