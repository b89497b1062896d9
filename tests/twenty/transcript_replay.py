"""Replaying recorded Twenty transcripts against the emulator and comparing answer shapes.

Ids the recording created are mapped to the ids the emulator created (learned by walking each
recorded answer beside the emulator's), and substituted into later requests. Bodies the recorder
elided or summarised are regenerated or summarised the same way before comparing.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MORE = re.compile(r"^\.\.\. (\d+) more")
BAD_JWT = ".".join(
    base64.urlsafe_b64encode(json.dumps(p).encode()).decode().rstrip("=")
    for p in (
        {"alg": "HS256", "typ": "JWT"},
        {"sub": "nobody", "type": "API_KEY"},
        {"sig": "forged"},
    )
)
TOKENS = {"<API_KEY>": "emulator", "garbage": "not-a-token", "jwt": BAD_JWT}


def shared_twenty_dir() -> Path | None:
    here = Path(__file__).resolve()
    for base in here.parents:
        candidate = base / "shared" / "twenty"
        if (candidate / "transcripts").is_dir():
            return candidate
    return None


def load_plan() -> dict:
    return yaml.safe_load((Path(__file__).with_name("transcript_replay.yaml")).read_text())


@dataclass
class Outcome:
    compared: int = 0
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Replayer:
    """One fresh workspace: replays files, learns the id map, compares answers."""

    def __init__(self, client: httpx.Client, transcripts: Path, plan: dict) -> None:
        self.client = client
        self.dir = transcripts
        self.plan = plan
        self.ids: dict[str, str] = {}

    # -- requests -----------------------------------------------------------------------------
    def substitute(self, value: Any) -> Any:
        if isinstance(value, str):
            if value in self.ids:
                return self.ids[value]
            return UUID.sub(lambda m: self.ids.get(m.group(0), m.group(0)), value)
        if isinstance(value, list):
            return [self.substitute(v) for v in value]
        if isinstance(value, dict):
            return {k: self.substitute(v) for k, v in value.items()}
        return value

    def build(self, name: str, index: int, request: dict, options: dict) -> dict:
        headers = {
            k: v for k, v in (request.get("headers") or {}).items() if k.lower() != "content-type"
        }
        auth = headers.get("Authorization")
        if auth:
            token = auth.split(" ", 1)[1]
            headers["Authorization"] = "Bearer " + TOKENS.get(
                options.get("token", token), TOKENS.get(token, token)
            )
        elif self.plan["files"].get(name, {}).get("add_auth"):
            headers["Authorization"] = "Bearer emulator"
        path = self.substitute(request["path"])
        query = {k: str(v) for k, v in self.substitute(request.get("query") or {}).items()}
        body = expand(self.substitute(request.get("body")))
        kwargs: dict[str, Any] = {"headers": headers, "params": query}
        if "upload" in options:
            up = options["upload"]
            operations = {
                "query": "mutation UploadFile($file: Upload!, $fileFolder: FileFolder) { uploadFile(file: $file, fileFolder: $fileFolder) { path token } }",
                "variables": {"file": None, "fileFolder": up["folder"]},
            }
            kwargs["data"] = {
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
            }
            kwargs["files"] = {
                "0": (up["filename"], b"%PDF-1.4 emulator test file", "application/pdf")
            }
        elif isinstance(body, str):
            kwargs["content"] = body.encode()
            headers["Content-Type"] = "application/json"
        elif body is not None:
            kwargs["content"] = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return {"method": request["method"], "url": path, **kwargs}

    # -- replay ---------------------------------------------------------------------------------
    def replay(self, name: str, outcome: Outcome | None) -> None:
        """Replay one file; with an outcome, compare and count, else only learn ids (setup)."""
        config = self.plan["files"].get(name, {})
        data = json.loads((self.dir / name).read_text())
        for index, item in enumerate(data["interactions"]):
            options = (config.get("interactions") or {}).get(index, {})
            reason = config.get("skip_all") or options.get("skip")
            if "request" not in item:
                reason = reason or "the recording omits this step"
            if reason:
                if outcome is not None:
                    outcome.skipped.append((name, index, reason))
                continue
            response = self.client.request(**self.build(name, index, item["request"], options))
            recorded = item["response"]
            actual = response.json() if response.content else ""
            if outcome is None:
                self.learn(recorded.get("body"), summarise(recorded.get("body"), actual))
                continue
            outcome.compared += 1
            where = f"{name}[{index}]"
            if response.status_code != recorded["status"]:
                outcome.failures.append(
                    f"{where}: status {response.status_code} != recorded {recorded['status']}: {response.text[:300]}"
                )
                continue
            expected = recorded.get("body")
            got = summarise(expected, actual)
            problems: list[str] = []
            compare(
                expected,
                got,
                "$",
                problems,
                set(options.get("ignore", [])),
                strict=not options.get("partial"),
            )
            outcome.failures += [f"{where}: {p}" for p in problems]
            self.learn(expected, got)

    def learn(self, recorded: Any, actual: Any) -> None:
        if isinstance(recorded, dict) and isinstance(actual, dict):
            for k in recorded.keys() & actual.keys():
                self.learn(recorded[k], actual[k])
        elif isinstance(recorded, list) and isinstance(actual, list):
            for r, a in pair(recorded, actual):
                self.learn(r, a)
        elif isinstance(recorded, str) and isinstance(actual, str) and recorded != actual:
            rec_ids, act_ids = UUID.findall(recorded), UUID.findall(actual)
            if rec_ids and len(rec_ids) == len(act_ids):
                for r, a in zip(rec_ids, act_ids, strict=True):
                    self.ids.setdefault(r, a)
            elif _is_cursor(recorded):
                self.ids.setdefault(recorded, actual)


def _is_cursor(text: str) -> bool:
    try:
        return isinstance(json.loads(base64.b64decode(text + "=" * (-len(text) % 4))), dict)
    except (ValueError, TypeError):
        return False


def expand(body: Any) -> Any:
    """Regenerate bodies the recorder elided ('... N more records', '<N records of shape {name}>')."""
    if isinstance(body, list) and body and isinstance(body[-1], str) and MORE.match(body[-1]):
        items = body[:-1]
        total = len(items) + int(MORE.match(body[-1]).group(1))
        first, second = json.dumps(items[0]), json.dumps(items[1]) if len(items) > 1 else None
        at = next(
            (i for i, (a, b) in enumerate(zip(first, second or first, strict=False)) if a != b),
            None,
        )
        return items + [
            json.loads(first[:at] + str(i) + first[at + 1 :]) if at is not None else items[0]
            for i in range(len(items), total)
        ]
    if isinstance(body, str):
        m = re.match(r"^<(\d+) records of shape \{name\}>$", body)
        if m:
            return [{"name": f"Generated {i}"} for i in range(int(m.group(1)))]
        m = re.match(r"^<array of (\d+) people, (\d+) bytes>$", body)
        if m:
            n, size = int(m.group(1)), int(m.group(2))
            pad = "x" * (size // n)
            return [{"name": {"firstName": f"Big{i}"}, "jobTitle": pad} for i in range(n)]
    if isinstance(body, dict):
        return {k: expand(v) for k, v in body.items()}
    return body


def summarise(recorded: Any, actual: Any) -> Any:
    """Reduce the emulator's answer to the summary the recorder kept, when it kept one."""
    if (
        not isinstance(recorded, dict)
        or not isinstance(actual, dict)
        or "data" in recorded
        or "errors" in recorded
    ):
        if (
            isinstance(recorded, dict)
            and "_all_nameSingular" in recorded
            and isinstance(actual, dict)
        ):
            return {
                **actual,
                "_all_nameSingular": sorted(o["nameSingular"] for o in actual["data"]["objects"]),
            }
        return actual
    rows = _rows(actual)
    out: dict[str, Any] = {}
    for key in recorded:
        if key == "records_on_page":
            out[key] = len(rows)
        elif key == "first_id":
            out[key] = rows[0]["id"] if rows else None
        elif key == "last_id":
            out[key] = rows[-1]["id"] if rows else None
        elif key == "count_on_page":
            out[key] = len(rows)
        elif key == "count":
            out[key] = len(rows) if "data" in actual else actual
        elif key == "created":
            out[key] = len(next(iter(actual.get("data", {}).values()), []) or [])
        elif key == "person_keys":
            out[key] = list(actual["data"]["person"].keys())
        elif key.endswith("_count"):
            out[key] = len(actual["data"]["person"].get(key[: -len("_count")]) or [])
        elif key == "totalCount":
            out[key] = actual.get("totalCount")
        elif key in actual:
            out[key] = actual[key]
    return out


def _rows(actual: dict) -> list[dict]:
    data = actual.get("data")
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                return value
    return []


def _key(item: Any, key: str) -> Any:
    """A list element's pairing key, looking inside GraphQL `{"node": …}` edges."""
    if isinstance(item, dict) and isinstance(item.get("node"), dict):
        item = item["node"]
    return item.get(key) if isinstance(item, dict) else None


def pair(recorded: list, actual: list) -> list[tuple[Any, Any]]:
    """Pair list elements by a natural key (object and field names, option values), else by index."""
    recorded = [r for r in recorded if not (isinstance(r, str) and MORE.match(r))]
    for key in ("nameSingular", "name", "value"):
        keys = [_key(r, key) for r in recorded]
        if recorded and all(isinstance(k, str) for k in keys) and len(set(keys)) == len(keys):
            index = {_key(a, key): a for a in actual if isinstance(_key(a, key), str)}
            if all(k in index for k in keys):
                return [(r, index[k]) for r, k in zip(recorded, keys, strict=True)]
    return list(zip(recorded, actual, strict=False))


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def normalise_message(text: str) -> str:
    text = UUID.sub("<id>", text)
    text = re.sub(r"workspace_[a-z0-9]+", "<schema>", text)
    return re.sub(r"\b(FK|IDX_UNIQUE)_[0-9a-f]+", r"\1_<hash>", text)


def _ignored(path: str, ignore: set[str]) -> bool:
    """`[*]` in an ignore entry stands for any list position (row order can follow generated ids)."""
    return path in ignore or any(
        "[*]" in pattern and re.fullmatch(re.escape(pattern).replace(r"\[\*\]", r"\[\d+\]"), path)
        for pattern in ignore
    )


def compare(
    expected: Any, got: Any, path: str, problems: list[str], ignore: set[str], *, strict: bool
) -> None:
    """Same shape: keys, value kinds, list emptiness, error names/codes and error messages."""
    if _ignored(path, ignore) or (
        isinstance(expected, str) and expected.startswith("<") and expected.endswith(">")
    ):
        return
    if expected is None and path == "$":
        return  # the recorder kept the status but not the body
    if isinstance(expected, dict) and isinstance(got, dict):
        missing = [k for k in expected if k not in got]
        extra = [k for k in got if k not in expected] if strict else []
        if missing:
            problems.append(f"{path}: missing keys {missing}")
        if extra:
            problems.append(f"{path}: unexpected keys {extra}")
        for k in expected:
            if k not in got:
                continue
            sub = f"{path}.{k}"
            if k in ("error", "code", "subCode") and isinstance(expected[k], str):
                if expected[k] != got[k]:
                    problems.append(f"{sub}: {got[k]!r} != recorded {expected[k]!r}")
            elif k in ("message", "messages") and sub not in ignore:
                exp = expected[k] if isinstance(expected[k], list) else [expected[k]]
                act = got[k] if isinstance(got[k], list) else [got[k]]
                if [normalise_message(str(m)) for m in exp] != [
                    normalise_message(str(m)) for m in act
                ]:
                    problems.append(f"{sub}: {act!r} != recorded {exp!r}")
            elif k in ("person_keys", "_all_nameSingular"):
                if set(expected[k]) != set(got[k]):
                    problems.append(f"{sub}: differs by {sorted(set(expected[k]) ^ set(got[k]))}")
            else:
                compare(expected[k], got[k], sub, problems, ignore, strict=strict)
        return
    if isinstance(expected, list) and isinstance(got, list):
        shown = [e for e in expected if not (isinstance(e, str) and MORE.match(e))]
        if bool(shown) != bool(got):
            problems.append(f"{path}: {len(got)} items, recorded {len(shown)}")
        for i, (e, g) in enumerate(pair(expected, got)):
            compare(e, g, f"{path}[{i}]", problems, ignore, strict=strict)
        return
    if _kind(expected) != _kind(got):
        problems.append(
            f"{path}: {_kind(got)} {str(got)[:80]!r} != recorded {_kind(expected)} {str(expected)[:80]!r}"
        )
