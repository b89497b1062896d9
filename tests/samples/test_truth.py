"""The ground truth points at real rows: every (file, line, row_id) and every column exists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workbench.samples import SAMPLE_SOURCES
from workbench.samples.common import is_ambiguous_date
from workbench.samples.truth import SAMPLES_DIR, read_discovery, read_truth, rows_by_line


def _row(source: str, file: str, line: str, cache: dict) -> dict[str, str]:
    if file not in cache:
        cache[file] = rows_by_line(SAMPLES_DIR / source / file)
    return cache[file][int(line)]


def _check_pointer(source: str, item: dict[str, str], cache: dict) -> dict[str, str]:
    row = _row(source, item["file"], item["line"], cache)
    first = next(iter(row.values()))
    assert item["row_id"] in (first, f"{item['file']}:{item['line']}"), item
    return row


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_truth_rows_point_at_real_rows(source: str) -> None:
    cache: dict = {}
    people = read_truth(source, "people.csv")
    assert people
    for item in people:
        _check_pointer(source, item, cache)
    for item in read_truth(source, "company_mentions.csv"):
        row = _check_pointer(source, item, cache)
        assert row[item["column"]] == item["mention"], item
    for item in read_truth(source, "associations.csv"):
        _check_pointer(source, item, cache)
    if (SAMPLES_DIR / source / "truth" / "notes.csv").exists():
        for item in read_truth(source, "notes.csv"):
            _check_pointer(source, item, cache)


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_columns_truth_covers_every_csv_column(source: str) -> None:
    described: dict[str, list[str]] = {}
    for item in read_truth(source, "columns.csv"):
        described.setdefault(item["file"], []).append(item["column"])
        assert item["object"] and item["field"], item
    root = SAMPLES_DIR / source
    for path in sorted(root.rglob("*.csv")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("truth/", "attachments/")):  # attachments are documents, not exports
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
        header = next(
            csv.reader([first], delimiter=";" if first.count(";") > first.count(",") else ",")
        )
        assert described.get(rel) == header, rel


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_company_truth_has_hard_negatives(source: str) -> None:
    companies = {c["company_id"]: c for c in read_truth(source, "companies.csv")}
    negatives = [c for c in companies.values() if c["similar_to"]]
    assert len(negatives) >= 5
    for c in negatives:
        twin = companies[c["similar_to"]]
        assert c["domain"] != twin["domain"]
    mentioned = {m["company_id"] for m in read_truth(source, "company_mentions.csv")}
    assert any(c["company_id"] in mentioned for c in negatives)


@pytest.mark.parametrize("source", SAMPLE_SOURCES)
def test_discovery_row_counts_match_files(source: str) -> None:
    discovery = read_discovery(source)
    for obj, info in discovery["objects"].items():
        csvs = [f for f in info["files"] if f.endswith(".csv")]
        if not csvs or "rows_in_files" in info:
            continue
        total = sum(len(rows_by_line(SAMPLES_DIR / source / f)) for f in csvs)
        assert total == info["rows"], obj


def test_ambiguous_date_rule() -> None:
    assert is_ambiguous_date("03/04/2021")
    assert not is_ambiguous_date("04/04/2021")
    assert not is_ambiguous_date("13/04/2021")
    assert not is_ambiguous_date("2021-03-04")


def test_workspace_members_file() -> None:
    import json

    members = json.loads(Path(SAMPLES_DIR / "workspace_members.json").read_text(encoding="utf-8"))
    assert members and all(set(m) == {"email", "firstName", "lastName"} for m in members)
