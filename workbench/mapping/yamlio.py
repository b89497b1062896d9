"""Reading and writing map files, keeping the YAML line of every key for error messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from workbench.errors import MapValidationError
from workbench.mapping.spec import MapSpec

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map: where (YAML path and line) and what."""

    path: Path_
    message: str
    line: int | None = None

    @property
    def field(self) -> str:
        return ".".join(str(p) for p in self.path) or "(top level)"

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: {self.message}"


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[Problem]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(path + (key,), f"duplicate key (first at line {seen[key]})", line)
                )
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            _walk(item, path + (i,), lines, problems)


def parse_yaml(text: str, file: str | Path) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """(data, line of every key path, duplicate-key problems); syntax errors raise with line."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise MapValidationError(
            f"not valid YAML: {exc.problem or exc}", file=file, line=line
        ) from exc
    except yaml.YAMLError as exc:
        raise MapValidationError(f"not valid YAML: {exc}", file=file) from exc
    lines: dict[Path_, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems)
    return data, lines, problems


def line_of(lines: dict[Path_, int], path: Iterable[Any]) -> int | None:
    """The line of the longest prefix of `path` present in the file."""
    parts = tuple(path)
    for end in range(len(parts), -1, -1):
        if parts[:end] in lines:
            return lines[parts[:end]]
    return None


def raise_problems(problems: list[Problem], file: str | Path | None) -> None:
    if not problems:
        return
    problems = sorted(problems, key=lambda p: (p.line or 0, p.field))
    body = "\n".join(f"  - {p}" for p in problems)
    noun = "problem" if len(problems) == 1 else "problems"
    err = MapValidationError(
        f"{len(problems)} {noun} in the map:\n{body}",
        file=file,
        line=problems[0].line,
        column=problems[0].field,
    )
    err.problems = problems  # type: ignore[attr-defined]
    raise err


def _pydantic_problems(exc: ValidationError, lines: dict[Path_, int]) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(
            p
            for p in err["loc"]
            if not (isinstance(p, str) and ("[" in p or p in ("str", "OptionSpec", "list")))
        )
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (a typo?)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        out.append(Problem(loc, msg, line_of(lines, loc)))
    return out


def spec_from_text(text: str, file: str | Path = "<map>", *, check: bool = True) -> MapSpec:
    """Parse and validate a map; every problem is reported at once, each with its line."""
    from workbench.mapping.checks import check_map

    data, lines, problems = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise_problems(
            [Problem((), "a map must be a YAML mapping with `source` and `objects`", 1)], file
        )
    try:
        spec = MapSpec.model_validate(data)
    except ValidationError as exc:
        raise_problems(problems + _pydantic_problems(exc, lines), file)
        raise  # unreachable: raise_problems raised
    if check:
        problems += [Problem(p.path, p.message, line_of(lines, p.path)) for p in check_map(spec)]
    raise_problems(problems, file)
    spec._file = str(file)  # type: ignore[attr-defined]
    spec._lines = lines  # type: ignore[attr-defined]
    return spec


def load_map(path: str | Path) -> MapSpec:
    """Load and validate a map file (confirmed or not); see `load_confirmed_map` for runs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MapValidationError(f"cannot read the map: {exc.strerror}", file=path) from exc
    return spec_from_text(text, path)


def dump_map(spec: MapSpec) -> str:
    """The map as YAML, defaults left out so the file stays short enough to review."""
    data = spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"source": spec.source, **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
