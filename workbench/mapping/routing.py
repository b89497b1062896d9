"""Objects a run delivers as a CSV report instead of loading them (a notebook parameter).

Some objects are optional phases (Altcraft's behavioural events) or may be wanted as a report
rather than records (Altcraft campaigns with their send/open/click counts). Their rows still end
in exactly one outcome: queued, with the report file named in the reason.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from workbench.errors import ConfigError
from workbench.mapping.spec import MapSpec
from workbench.records import QUEUE_SCHEMA, Staged
from workbench.sources.base import SourceExport


def deliver_as_report(
    staged: Staged, export: SourceExport, spec: MapSpec, objects: list[str], folder: Path
) -> tuple[Staged, list[Path]]:
    """Move the staged rows of `objects` to the queue and write their source rows to CSV."""
    unknown = [name for name in objects if name not in spec.objects]
    if unknown:
        raise ConfigError(
            f"deliver_as_report names {unknown}, which the map does not have; "
            f"its objects are {', '.join(spec.objects)}"
        )
    written: list[Path] = []
    records = dict(staged.records)
    queued = [staged.queue]
    for name in objects:
        frame = records.pop(name, None)
        table_name = spec.objects[name].source_table or name
        table = export.tables.get(table_name)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.csv"
        if table is not None:
            table.frame.write_csv(path)
            written.append(path)
        if frame is None or frame.height == 0:
            continue
        reason = (
            f"delivered as a CSV report (reports/{path.name}) instead of loaded, as the run asked"
        )
        queued.append(
            frame.select(
                "map_object",
                "source_id",
                pl.col("_file").alias("file"),
                pl.col("_line").alias("line"),
                pl.lit(None, pl.Utf8).alias("column"),
                pl.lit(None, pl.Utf8).alias("value"),
                pl.lit(reason).alias("reason"),
            ).select([pl.col(c).cast(t) for c, t in QUEUE_SCHEMA.items()])
        )
    return Staged(records=records, quarantine=staged.quarantine, queue=pl.concat(queued)), written
