"""The destination's data model as plain data: read once through the client, kept in the run.

The mapping stage must not talk to Twenty itself (data flows one way), so 02_mapping asks this
module for the workspace's objects and fields and hands the list to the map proposal and the
conflict decisions. A copy is written to the run folder so the decisions can be reviewed later.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.twenty.metadata import FieldInfo, ObjectInfo

if TYPE_CHECKING:
    from workbench.twenty.client import TwentyClient


def read_destination(client: TwentyClient) -> list[ObjectInfo]:
    """Every object of the workspace with its fields, read fresh (custom fields included)."""
    return list(client.list_objects(refresh=True))


def write_destination(objects: list[ObjectInfo], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [asdict(o) for o in objects]
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_destination(path: str | Path) -> list[ObjectInfo]:
    """What `write_destination` wrote."""
    out = []
    for item in json.loads(Path(path).read_text(encoding="utf-8")):
        fields = [FieldInfo(**f) for f in item.pop("fields", [])]
        out.append(ObjectInfo(**item, fields=fields))
    return out
