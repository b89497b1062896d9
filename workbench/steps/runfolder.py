"""Where each artifact lives in a run folder, in one place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.records import dumps


class RunFolder:
    """Paths of a run's artifacts (see docs/architecture.md, "Run folder")."""

    def __init__(self, run_dir: str | Path) -> None:
        self.root = Path(run_dir).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    @property
    def discovery_json(self) -> Path:
        return self.root / "discovery.json"

    @property
    def map_yaml(self) -> Path:
        return self.root / "map.yaml"

    @property
    def staged(self) -> Path:
        return self.root / "staged"

    @property
    def quarantine_csv(self) -> Path:
        return self.root / "quarantine.csv"

    @property
    def plan(self) -> Path:
        return self.root / "plan"

    @property
    def decisions(self) -> Path:
        return self.root / "decisions"

    @property
    def schema_decisions(self) -> Path:
        """Fields the map meets in the destination with another type, and what was chosen."""
        return self.decisions / "schema.json"

    @property
    def destination_schema(self) -> Path:
        """The destination's objects and fields as 02_mapping read them."""
        return self.root / "destination_schema.json"

    @property
    def resolution(self) -> Path:
        return self.root / "resolution"

    @property
    def ledger(self) -> Path:
        return self.root / "ledger.sqlite"

    @property
    def server_json(self) -> Path:
        return self.root / "server.json"

    @property
    def reconciliation(self) -> Path:
        return self.root / "reconciliation"

    @property
    def inventories(self) -> Path:
        return self.root / "inventories"

    @property
    def run_json(self) -> Path:
        return self.root / "run.json"

    def write_json(self, path: Path, data: Any) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(json.loads(dumps(data)), indent=2, ensure_ascii=False), encoding="utf-8"
        )
        return path

    def read_json(self, path: Path) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))

    def remember(self, **facts: Any) -> None:
        """Facts later notebooks need (source, export folder, labels) in run.json."""
        current = self.read_json(self.run_json) if self.run_json.exists() else {}
        current.update(facts)
        self.write_json(self.run_json, current)

    def files_holding(self, secrets: list[str]) -> list[Path]:
        """Every file of the run folder that contains one of `secrets` (should be none)."""
        needles = [s.encode() for s in secrets if s and len(s) >= 6]
        if not needles:
            return []
        found = []
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix not in (".lock",):
                data = path.read_bytes()
                if any(n in data for n in needles):
                    found.append(path)
        return found

    def facts(self) -> dict[str, Any]:
        return self.read_json(self.run_json) if self.run_json.exists() else {}
