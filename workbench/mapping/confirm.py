"""Confirmation: nothing loads from a map an analyst has not confirmed, or that changed since.

The confirmation block holds who, when, and a hash of the map's content without the block; the
hash is taken over the parsed content, so comments and formatting may change freely.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import yaml

from workbench.errors import MapNotConfirmedError, MapValidationError
from workbench.mapping.spec import MapSpec
from workbench.mapping.yamlio import load_map, parse_yaml, spec_from_text


def content_hash(spec: MapSpec) -> str:
    text = json.dumps(spec.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _without_block(text: str, file: str | Path) -> str:
    """The file's text with its top-level `confirmation:` block cut out, comments kept."""
    _, lines, _ = parse_yaml(text, file)
    start = lines.get(("confirmation",))
    if start is None:
        return text
    rows = text.splitlines(keepends=True)
    end = start
    while end < len(rows) and (rows[end][:1] in (" ", "\t") or not rows[end].strip()):
        end += 1
    return "".join(rows[: start - 1] + rows[end:])


def confirm_text(
    text: str, who: str, file: str | Path = "<map>", when: datetime | None = None
) -> str:
    """The map text with a fresh confirmation block at its end."""
    if not who or not who.strip():
        raise MapNotConfirmedError("a confirmation needs the name of who confirms", file=file)
    body = _without_block(text, file).rstrip("\n") + "\n"
    spec = spec_from_text(body, file)
    block = {
        "confirmation": {
            "confirmed_by": who.strip(),
            "confirmed_at": (when or datetime.now(UTC)).isoformat(timespec="seconds"),
            "content_hash": content_hash(spec),
        }
    }
    return body + "\n" + yaml.safe_dump(block, sort_keys=False, allow_unicode=True)


def confirm_map(path: str | Path, who: str) -> MapSpec:
    """Validate the map at `path`, write its confirmation block, and return it confirmed."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MapValidationError("no map file here; expected a YAML map", file=path) from None
    except IsADirectoryError:
        raise MapValidationError("this is a folder; expected a YAML map file", file=path) from None
    except UnicodeDecodeError as exc:
        raise MapValidationError(
            f"not UTF-8 text (byte {exc.start}); expected a YAML map", file=path
        ) from None
    path.write_text(confirm_text(text, who, path), encoding="utf-8")
    return load_map(path)


def require_confirmed(spec: MapSpec) -> MapSpec:
    """Raise MapNotConfirmedError unless the map is confirmed and unchanged since."""
    file = getattr(spec, "_file", None)
    lines = getattr(spec, "_lines", {})
    if spec.confirmation is None:
        raise MapNotConfirmedError(
            "the map is not confirmed: review it and confirm it (confirm_map or the editor's "
            "Confirm button) before staging or loading",
            file=file,
        )
    actual = content_hash(spec)
    if actual != spec.confirmation.content_hash:
        raise MapNotConfirmedError(
            f"the map changed after {spec.confirmation.confirmed_by} confirmed it on "
            f"{spec.confirmation.confirmed_at}: its content no longer matches the confirmed hash; "
            "review the changes and confirm again",
            file=file,
            line=lines.get(("confirmation",)),
            column="confirmation.content_hash",
        )
    return spec


def load_confirmed_map(path: str | Path) -> MapSpec:
    """The map at `path`, validated and confirmed (for papermill runs); fails clearly if not."""
    return require_confirmed(load_map(path))
