"""Written inventories: what never migrates as records, and what the admin must rebuild.

Rows come from the export's inventory objects (tables, or JSON in `inventory_data`); each
inventory is written as Markdown (details, nested steps spelled out) and CSV (one row per item).
Anything that looks like a credential is never copied.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from workbench.sources.base import SourceExport
from workbench.sources.schema import SourceSchema

GUIDES: dict[str, dict[str, str]] = yaml.safe_load(
    (Path(__file__).with_name("inventory_guides.yaml")).read_text(encoding="utf-8")
)
_CREDENTIAL = re.compile(
    r"pass(word|wd)?|secret|token|api[_ -]?key|access[_ -]?key|credential|auth|private[_ -]?key|smtp[_ -]?pass",
    re.IGNORECASE,
)
WITHHELD = "(credential not copied)"


@dataclass
class Inventory:
    """One written inventory: items of one kind with what to rebuild."""

    name: str
    title: str
    rebuild: str
    items: list[dict[str, Any]]
    withheld: list[str] = field(default_factory=list)  # credential fields left out

    def to_frame(self) -> pl.DataFrame:
        rows = [{k: _flat(v) for k, v in item.items()} for item in self.items]
        return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


def _flat(value: Any) -> str:
    """One CSV cell: nested step lists become a short readable summary."""
    if value is None:
        return ""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return f"{len(value)} item(s): " + "; ".join(_one_line(v) for v in value)
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return _one_line(value)
    return str(value)


def _one_line(item: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_flat(v)}" for k, v in item.items() if v not in (None, "", []))


def scrub(item: Any, withheld: set[str], path: str = "") -> Any:
    """Replace every credential-looking field (at any depth) by a marker."""
    if isinstance(item, dict):
        clean: dict[str, Any] = {}
        for key, value in item.items():
            where = f"{path}.{key}" if path else str(key)
            if _CREDENTIAL.search(str(key)) and value not in (None, ""):
                withheld.add(where)
                clean[key] = WITHHELD
            else:
                clean[key] = scrub(value, withheld, where)
        return clean
    if isinstance(item, list):
        return [scrub(v, withheld, path) for v in item]
    return item


def _items_of(export: SourceExport, name: str) -> list[dict[str, Any]]:
    if name in export.tables:
        frame = export.tables[name].frame.drop(["_file", "_line"], strict=False)
        return frame.to_dicts()
    data = export.inventory_data.get(name)
    if data is None:
        return []
    if isinstance(data, dict):
        for key in ("items", "data", name):
            if isinstance(data.get(key), list):
                return data[key]
        return [data]
    return list(data)


def build_inventories(export: SourceExport, schema: SourceSchema) -> list[Inventory]:
    """Every inventory object the export holds, scrubbed of credentials."""
    names = [n for n, spec in schema.objects.items() if spec.inventory]
    names += [n for n in export.inventory_data if n not in names]
    inventories = []
    for name in names:
        guide = GUIDES.get(name, GUIDES["default"])
        withheld: set[str] = set()
        items = [scrub(item, withheld) for item in _items_of(export, name)]
        inventories.append(
            Inventory(name, guide["title"], guide["rebuild"], items, sorted(withheld))
        )
    return inventories


def _markdown(inventory: Inventory, source_label: str) -> str:
    lines = [f"# {inventory.title} — {source_label}", "", f"**Items:** {len(inventory.items)}", ""]
    lines += ["## What to rebuild in Twenty", "", inventory.rebuild, ""]
    if inventory.withheld:
        lines += [f"Credentials were not copied: {', '.join(inventory.withheld)}.", ""]
    lines += ["## Items", ""]
    for number, item in enumerate(inventory.items, start=1):
        title = next(
            (str(item[k]) for k in ("name", "title", "subject", "label") if item.get(k)), None
        )
        lines.append(f"### {number}. {title or 'item'}")
        lines.append("")
        for key, value in item.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                lines.append(f"- **{key}**:")
                lines += [f"  {i}. {_one_line(v)}" for i, v in enumerate(value, start=1)]
            elif isinstance(value, str) and "\n" in value:
                lines += [
                    f"- **{key}**:",
                    "",
                    "  ```",
                    *[f"  {v}" for v in value.splitlines()],
                    "  ```",
                ]
            else:
                lines.append(f"- **{key}**: {_flat(value)}")
        lines.append("")
    return "\n".join(lines)


def write_inventories(inventories: list[Inventory], folder: Path, source_label: str) -> list[Path]:
    """Markdown + CSV per inventory; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for inventory in inventories:
        md = folder / f"{inventory.name}.md"
        md.write_text(_markdown(inventory, source_label), encoding="utf-8")
        out_csv = folder / f"{inventory.name}.csv"
        keys: list[str] = []
        for item in inventory.items:
            keys += [k for k in item if k not in keys]
        with out_csv.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*keys, "rebuild_in_twenty"])
            writer.writeheader()
            for item in inventory.items:
                writer.writerow(
                    {
                        **{k: _flat(item.get(k)) for k in keys},
                        "rebuild_in_twenty": inventory.rebuild,
                    }
                )
        written += [md, out_csv]
    (folder / "index.json").write_text(
        json.dumps(
            [
                {"name": i.name, "title": i.title, "items": len(i.items), "withheld": i.withheld}
                for i in inventories
            ],
            indent=2,
        ),
        encoding="utf-8",
    )
    return written


def inventories_frame(folder: Path) -> pl.DataFrame:
    """The inventories written into a run folder, as the documents list them."""
    index = folder / "index.json"
    items = json.loads(index.read_text(encoding="utf-8")) if index.exists() else []
    if not items:
        return pl.DataFrame({"inventories": ["none for this source"]})
    return pl.DataFrame(
        [
            {
                "inventory": i["title"],
                "items": i["items"],
                "files": f"inventories/{i['name']}.md, inventories/{i['name']}.csv",
                "credentials withheld": ", ".join(i["withheld"]),
            }
            for i in items
        ]
    )
