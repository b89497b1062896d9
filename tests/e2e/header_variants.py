"""A sample export re-written the way other people's exports arrive, and the pipeline run on it.

Three kinds of variant, all of one sample's files:
- `ui`: every standard header replaced by the label the source's web UI writes (its first listed
  alias in mappings/<source>/schema.yaml, else its name in Title Case words);
- `shuffled`: the columns of every file in a different order (every row re-written);
- `case`: every header re-cased and re-spaced as spreadsheets re-save them, with a UTF-8 BOM.

Only the header line changes for `ui` and `case`; the rows stay byte for byte as they were.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import shutil
from pathlib import Path
from typing import Any, Literal

from sample_loads import connect

from workbench.discovery import discover
from workbench.load import Ledger, reconcile, run_load
from workbench.mapping import load_default_map, stage
from workbench.records import LoadPlan
from workbench.resolve.plan import objects_info, resolve_staged
from workbench.sources.base import get_source
from workbench.sources.export_files import find_files
from workbench.sources.schema import ObjectSchema, SourceSchema, load_source_schema
from workbench.sources.sniff import sniff_layout
from workbench.twenty import apply_schema, plan_schema

ROOT = Path(__file__).resolve().parents[2]
Kind = Literal["ui", "shuffled", "case"]
BOM = "\ufeff"


def title_words(name: str) -> str:
    """`first_name` → `First Name`, `firstName` → `First Name`, `id` → `ID`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.strip("_")).replace("_", " ")
    return " ".join("ID" if w.lower() == "id" else w[:1].upper() + w[1:] for w in spaced.split())


def ui_label(header: str, spec: ObjectSchema | None) -> str:
    if spec is None or header not in spec.known_columns():
        return header  # a custom field keeps the name the account gave it
    aliases = spec.aliases.get(header)
    return aliases[0] if aliases else title_words(header)


def resaved(header: str, position: int) -> str:
    """What a spreadsheet re-save makes of a header, one of four ways by position."""
    words = title_words(header) if header == header.strip() else header
    styles = (
        lambda w: w.upper().replace(" ", "_"),
        lambda w: f" {w.lower()} ",
        lambda w: w.replace(" ", "").upper(),
        lambda w: w.lower().replace(" ", "-"),
    )
    return styles[position % len(styles)](words)


def _rename(header: str, position: int, kind: Kind, spec: ObjectSchema | None) -> str:
    if kind == "ui":
        return ui_label(header, spec)
    if kind == "case":
        return resaved(header, position)
    return header


def _object_of(path: Path, root: Path, schema: SourceSchema) -> ObjectSchema | None:
    for spec in schema.objects.values():
        if path in find_files(root, spec.files):
            return spec
    return None


def rewrite_csv(path: Path, kind: Kind, spec: ObjectSchema | None, seed: int) -> None:
    layout = sniff_layout(path)
    raw = path.read_bytes()
    text = raw.decode(layout.encoding)
    had_bom = text.startswith(BOM)
    text = text.removeprefix(BOM)
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    lines = text.split(newline)
    head_end = layout.header_end_line  # the header's last physical line (1-based)
    title, header_text = lines[: head_end - 1], newline.join(lines[head_end - 1 : head_end])
    body = newline.join(lines[head_end:])
    header = next(csv.reader([header_text], delimiter=layout.delimiter))
    order = list(range(len(header)))
    if kind == "shuffled":
        random.Random(seed).shuffle(order)
    names = [_rename(header[i], n, kind, spec) for n, i in enumerate(order)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=layout.delimiter, lineterminator=newline)
    writer.writerow(names)
    if kind == "shuffled":
        rows = csv.reader(io.StringIO(body, newline=""), delimiter=layout.delimiter)
        for row in rows:
            if len(row) == len(header):
                writer.writerow([row[i] for i in order])
            else:  # a ragged row stays as ragged as it was, its known cells moved
                writer.writerow([row[i] for i in order if i < len(row)] + row[len(header) :])
        new_body = out.getvalue()
        head = newline.join(title + [new_body.split(newline, 1)[0]]) + newline
        body = new_body.split(newline, 1)[1]
        if not text.endswith(newline):
            body = body.removesuffix(newline)
    else:
        head = newline.join(title + [out.getvalue().removesuffix(newline)]) + newline
    prefix = BOM if (kind == "case" or had_bom) else ""
    path.write_bytes((prefix + head + body).encode(layout.encoding.replace("-sig", "")))


def _rename_keys(record: Any, kind: Kind, spec: ObjectSchema | None, order: list[int]) -> Any:
    if not isinstance(record, dict):
        return record
    items = list(record.items())
    if kind == "shuffled":
        items = [items[i] for i in order if i < len(items)] + items[len(order) :]
    return {_rename(k, n, kind, spec): v for n, (k, v) in enumerate(items)}


def rewrite_pages(path: Path, kind: Kind, spec: ObjectSchema | None, seed: int) -> None:
    """A Salesmate answer page with its records' keys renamed or re-ordered."""
    answer = json.loads(path.read_text(encoding="utf-8"))
    records = answer["Data"]["data"]
    width = max((len(r) for r in records if isinstance(r, dict)), default=0)
    order = list(range(width))
    random.Random(seed).shuffle(order)
    answer["Data"]["data"] = [_rename_keys(r, kind, spec, order) for r in records]
    text = json.dumps(answer, indent=1, ensure_ascii=False) + "\n"
    path.write_text((BOM if kind == "case" else "") + text, encoding="utf-8")


def write_variant(source: str, kind: Kind, out: Path) -> Path:
    """The sample of `source` copied to `out` with its headers (or keys) re-written."""
    root = ROOT / "data" / "samples" / source
    shutil.copytree(root, out, ignore=shutil.ignore_patterns("truth"))
    schema = load_source_schema(source)
    for seed, path in enumerate(sorted(out.rglob("*"))):
        if path.suffix.lower() == ".csv" and path.parent == out:
            rewrite_csv(path, kind, _object_of(path, out, schema), seed)
        elif source == "salesmate" and path.name.startswith("page-") and path.suffix == ".json":
            rewrite_pages(path, kind, schema.objects.get(path.parent.name), seed)
        elif source == "salesmate" and path.name == "users.json" and kind != "case":
            answer = json.loads(path.read_text(encoding="utf-8"))
            spec = schema.objects["users"]
            answer["Data"] = [_rename_keys(u, kind, spec, []) for u in answer["Data"]]
            path.write_text(json.dumps(answer, indent=1) + "\n", encoding="utf-8")
    return out


def plan_digest(plan: LoadPlan, members: list[dict[str, Any]]) -> dict[str, str]:
    """Each phase's records and the plan's early outcomes, as order-free fingerprints.

    Workspace member ids differ between two emulated workspaces: they count by their email.
    """
    ids = {str(m.get("id")): str(m.get("userEmail")) for m in members}
    pattern = re.compile("|".join(map(re.escape, ids))) if ids else None
    digests = {}
    frames = {p.name: p.records for p in plan.phases} | {"outcomes": plan.outcomes}
    for name, frame in frames.items():
        rows = [json.dumps(r, sort_keys=True, default=str) for r in frame.to_dicts()]
        if pattern is not None:
            rows = [pattern.sub(lambda m: ids[m.group(0)], r) for r in rows]
        digests[name] = hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()[:16]
    return digests


def outcomes(source: str, export_dir: Path, db: Path, *, load: bool = True) -> dict[str, Any]:
    """Read → discover → stage → resolve (→ load → reconcile): the counts each stage ends with.

    Besides the counts, the plan's fingerprint: equal fingerprints mean the variant would send
    Twenty exactly what the original sends.
    """
    export = get_source(source).read_export(export_dir)
    schema = load_source_schema(source)
    found = discover(export, schema)
    spec = load_default_map(source)
    staged = stage(export, spec)
    result: dict[str, Any] = {
        "rows": {n: o.rows for n, o in found.objects.items()},
        "custom_fields": {n: len(o.custom_fields) for n, o in found.objects.items()},
        "quarantined_on_read": {n: t.quarantine.height for n, t in export.tables.items()},
        "staged": {n: f.height for n, f in sorted(staged.records.items())},
        "quarantine": staged.quarantine.height,
        "queue": staged.queue.height,
    }
    with connect(db) as client:
        apply_schema(client, plan_schema(spec.required_schema(), client.list_objects()))
        members = client.workspace_members()
        plan = resolve_staged(staged, objects_info(spec), members).plan
        result["plan"] = {p.name: p.records.height for p in plan.phases}
        result["plan_outcomes"] = plan.outcomes.group_by("outcome").len().sort("outcome").rows()
        result["plan_digest"] = plan_digest(plan, members)
        if not load:
            return result
        with Ledger(db.parent) as ledger:
            report = run_load(plan, client, ledger, mode="full")
            assert report.ok, report
            rec = reconcile(plan, client, ledger, spot_check=10)
            assert rec.ok, rec.problems
            result["reconciled"] = rec.objects.to_dicts()
    return result
