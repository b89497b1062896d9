"""The analyst's review answers (merge / keep apart), kept in the run folder and reapplied.

`run_dir/decisions/companies.json` and `people.json` hold one entry per reviewed pair. Pairs are
named by stable keys (normalised company names, person record keys), so an answer given once
applies to every later run of the same export, headless ones included.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import ResolveError

DECISION_KINDS = ("companies", "people")
ANSWERS = ("merge", "apart")
_SEPARATOR = " || "


def pair_id(a: str, b: str) -> str:
    """One id for an unordered pair of keys."""
    first, second = sorted((a, b))
    return f"{first}{_SEPARATOR}{second}"


def split_pair(pair: str) -> tuple[str, str]:
    first, _, second = pair.partition(_SEPARATOR)
    return first, second


@dataclass
class Decisions:
    """Answers by pair id; `entries` keeps what was shown when the answer was given."""

    answers: dict[str, str] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, pair: str) -> str | None:
        return self.answers.get(pair)

    def pairs(self) -> Iterator[tuple[str, str]]:
        for pair in self.answers:
            yield split_pair(pair)

    def decide(self, a: str, b: str, answer: str, **evidence: Any) -> None:
        if answer not in ANSWERS:
            raise ResolveError(f"a review answer is 'merge' or 'apart', not {answer!r}")
        pair = pair_id(a, b)
        self.answers[pair] = answer
        self.entries[pair] = {
            "a": split_pair(pair)[0],
            "b": split_pair(pair)[1],
            "decision": answer,
            "decided_at": datetime.now(UTC).isoformat(timespec="seconds"),
            **{k: v for k, v in evidence.items() if v is not None},
        }

    def __len__(self) -> int:
        return len(self.answers)


def decisions_path(run_dir: str | Path, kind: str) -> Path:
    if kind not in DECISION_KINDS:
        raise ResolveError(f"decision kind is one of {', '.join(DECISION_KINDS)}, not {kind!r}")
    return Path(run_dir) / "decisions" / f"{kind}.json"


def read_decisions(path: str | Path) -> Decisions:
    """One decisions file; a missing file means no decisions yet. Reports every bad entry."""
    path = Path(path)
    if not path.is_file():
        return Decisions()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ResolveError(f"not a readable decisions file: {exc}", file=path, line=line) from exc
    items = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ResolveError('expected {"decisions": [...]}', file=path)
    decisions = Decisions()
    problems = []
    for position, item in enumerate(items):
        if not isinstance(item, dict) or not {"a", "b", "decision"} <= set(item):
            problems.append(f"entry {position}: needs a, b and decision")
        elif item["decision"] not in ANSWERS:
            problems.append(f"entry {position}: decision {item['decision']!r} is not merge/apart")
        else:
            pair = pair_id(str(item["a"]), str(item["b"]))
            decisions.answers[pair] = item["decision"]
            decisions.entries[pair] = dict(item)
    if problems:
        raise ResolveError("; ".join(problems), file=path)
    return decisions


def write_decisions(path: str | Path, decisions: Decisions) -> Path:
    """Write atomically, entries sorted by pair, so the file diffs cleanly."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = []
    for pair in sorted(decisions.answers):
        a, b = split_pair(pair)
        entry = {"a": a, "b": b, **decisions.entries.get(pair, {})}
        entry["decision"] = decisions.answers[pair]
        entries.append(entry)
    text = json.dumps({"decisions": entries}, indent=2, ensure_ascii=False) + "\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return path


def load_decisions(run_dir: str | Path) -> dict[str, Decisions]:
    """Every kind of decision kept in a run folder (empty where none were made)."""
    return {kind: read_decisions(decisions_path(run_dir, kind)) for kind in DECISION_KINDS}


def save_decisions(run_dir: str | Path, kind: str, decisions: Decisions) -> Path:
    return write_decisions(decisions_path(run_dir, kind), decisions)
