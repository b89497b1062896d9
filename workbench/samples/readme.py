"""data/samples/README.md: what each sample holds, written from the generated truth."""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from typing import Any

INTRO = """\
# Sample exports

Deterministic, deliberately messy exports of the source systems, with ground truth. Regenerate
with `python -m workbench.samples [--out data/samples] [--seed N]`; the default seed reproduces
every file here byte for byte (tests check it). This file is written by the generator: every
count below is read from the source's `truth/discovery.json`.

`workspace_members.json` lists the demo Twenty workspace's members. Most owners, users and
assignees in the samples are these members (their emails sometimes written in upper or title
case); a few are former staff who are not members (listed per source below).

## Ground truth (`<source>/truth/`)

| file | one row per | columns |
|---|---|---|
| `company_mentions.csv` | company name written in any file | `file, line, row_id, column, mention, company_id` — `company_id` is the true business (`CO…`); two mentions are the same company iff their ids are equal |
| `companies.csv` | real business | `company_id, name, legal_suffix, country, domain, similar_to` — `similar_to` names a *different* business with a look-alike name (a hard negative) |
| `people.csv` | contact row in a file | `file, line, row_id, person_id, duplicate_kind` — rows with the same `person_id` are the same person; `duplicate_kind` says how a repeat differs (`email_case`, `name_phone`, `name_company`, `name_only`, `batch_overlap`, `shared_email` marks a different person sharing an address) |
| `notes.csv` | note row | `file, line, row_id, contact, expected_status` — the true contact row (or empty) and the status the join rule must reach: email first, then normalised first+last name when it points at exactly one contact (`joined_by_email`, `joined_by_name`, `ambiguous`, `unmatched`) |
| `associations.csv` | deal / activity / transaction / order / task row | `file, line, row_id, company, contact, other, status` — true company and contact ids (source ids), `other` = product, owner or deal, `status` how it resolves (`by_id`, `by_email`, `by_name`, `unresolvable`) |
| `columns.csv` | column of every file | `file, column, object, field` — Twenty object (plural) and field path (`name.firstName`, `emails.primaryEmail`, `companyId`, …), `custom:<camelCase>` for a custom field, `source_id` for the key, `ignore`; inventory files say `inventory`, credential columns `secret` (never copied) |
| `discovery.json` | source | planted counts: rows per object, custom columns, tags, quality problems, owners not in the workspace |

Line numbers are physical lines (1 = header) where the row starts; quoted cells with line breaks
make a row span several lines.
"""


def write_readme(out_dir: Path) -> None:
    from workbench.samples import SAMPLE_SOURCES
    from workbench.samples.readme_text import SOURCE_TEXT

    parts = [INTRO]
    for name in SAMPLE_SOURCES:
        path = out_dir / name / "truth" / "discovery.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        parts.append(SOURCE_TEXT[name].rstrip() + "\n\n" + _counts(data))
    salesmate = out_dir / "salesmate" / "truth" / "discovery.json"
    if salesmate.is_file() and importlib.util.find_spec("workbench.samples.salesmate_truth"):
        section = importlib.import_module("workbench.samples.salesmate_truth").readme_section
        parts.append(section(json.loads(salesmate.read_text(encoding="utf-8"))))
    (out_dir / "README.md").write_text("\n".join(parts), encoding="utf-8", newline="\n")


def _counts(data: dict[str, Any]) -> str:
    lines = ["| object | files | rows | notes |", "|---|---|---|---|"]
    for obj, info in data["objects"].items():
        extra = {k: v for k, v in info.items() if k not in ("files", "rows")}
        lines.append(f"| {obj} | {', '.join(info['files'])} | {info['rows']} | {_flat(extra)} |")
    lines.append("")
    lines.append(
        "Custom columns (not in the standard schema): "
        + "; ".join(f"{obj}: {', '.join(cols)}" for obj, cols in data["custom_columns"].items())
    )
    lines.append("")
    lines.append("Planted problems:")
    lines.append("")
    for section, values in data.items():
        if section in ("source", "objects", "custom_columns") or not isinstance(values, dict):
            continue
        lines.append(f"- **{section}**: {_flat(values)}")
    return "\n".join(lines) + "\n"


def _flat(values: dict[str, Any]) -> str:
    out = []
    for k, v in values.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a}={b}" for a, b in v.items())
            out.append(f"{k}: {v}" if v else f"{k}: none")
        elif isinstance(v, list):
            out.append(f"{k}: {', '.join(str(x) for x in v) if v else 'none'}")
        else:
            out.append(f"{k}: {v}")
    return "; ".join(out)
