"""The Salesmate extractor against the emulated account: same tables, changes noticed, key kept."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from workbench.errors import ConfigError
from workbench.settings import Settings
from workbench.sources.salesmate import load_module_records, read_export
from workbench.sources.salesmate_api import (
    LOG_FILE,
    SalesmateAPIError,
    SalesmateAuthError,
    SalesmateExtractor,
)
from workbench.sources.salesmate_emulator import AccountChange, create_app, emulator_transport

ROOT = Path(__file__).resolve().parents[2] / "data" / "samples" / "salesmate"
LINK, KEY = "demo-agency", "sm-key-7f3a9c1e5b2d"


def extractor(app, **kwargs) -> tuple[SalesmateExtractor, list[float]]:
    sleeps: list[float] = []
    ex = SalesmateExtractor(
        LINK, KEY, transport=emulator_transport(app), sleep=sleeps.append, **kwargs
    )
    return ex, sleeps


def exported_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "truth" not in p.parts and p.name != LOG_FILE
    }


def content(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop("_file", "_line")


def gap_after(table: str, at_least: int) -> int:
    ids = {r["id"] for r in load_module_records(ROOT, table)}
    return next(i for i in range(at_least, max(ids)) if i not in ids)


def test_extraction_with_429s_and_5xx_reproduces_the_committed_pages(tmp_path: Path) -> None:
    app = create_app(
        ROOT,
        link_name=LINK,
        access_key=KEY,
        faults={2: 429, 5: 503, 6: 503, 9: 429},
        retry_after=None,
    )
    ex, sleeps = extractor(app, backoff=0.5)
    with ex:
        report = ex.extract(tmp_path)
    print("requests", report.requests, "retries", dict(report.retries), "files", report.files)
    assert exported_files(tmp_path) == exported_files(ROOT)
    assert dict(report.retries) == {"429": 2, "503": 2}
    assert sleeps == [0.5, 0.5, 1.0, 0.5]
    assert report.findings() == []
    log = json.loads((tmp_path / LOG_FILE).read_text(encoding="utf-8"))
    assert log["modules"]["contacts"]["records"] == 1157


def test_retry_after_header_is_honoured(tmp_path: Path) -> None:
    app = create_app(ROOT, link_name=LINK, access_key=KEY, faults={1: 429}, retry_after="7")
    ex, sleeps = extractor(app)
    with ex:
        ex.extract(tmp_path)
    assert sleeps == [7.0]


def test_a_record_restored_mid_export_is_found_and_repeats_dropped(tmp_path: Path) -> None:
    restored_id = gap_after("contacts", 1)
    restored = {
        "id": restored_id,
        "firstName": "Restored",
        "lastName": "Contact",
        "email": "restored.contact@example.com",
    }
    app = create_app(
        ROOT,
        link_name=LINK,
        access_key=KEY,
        faults={4: 429},
        changes=[AccountChange("contacts", after_pages=2, insert=restored)],
    )
    ex, _ = extractor(app)
    with ex:
        report = ex.extract(tmp_path)
    contacts = report.modules["contacts"]
    print("findings:", report.findings())
    assert contacts.repeated_ids and contacts.found_on_requery == [restored_id]
    assert (contacts.first_total, contacts.last_total, contacts.records) == (1157, 1158, 1158)
    got, want = read_export(tmp_path).tables, read_export(ROOT).tables
    assert sorted(got) == sorted(want)
    new = got["contacts"].frame
    assert new.filter(pl.col("id") == str(restored_id))["firstName"].to_list() == ["Restored"]
    assert_frame_equal(
        content(new.filter(pl.col("id") != str(restored_id))), content(want["contacts"].frame)
    )
    for name in sorted(set(want) - {"contacts"}):
        assert_frame_equal(got[name].frame, want[name].frame)


def test_a_record_deleted_mid_export_is_reported_and_the_skipped_one_recovered(
    tmp_path: Path,
) -> None:
    records = load_module_records(ROOT, "deals")
    deleted = records[10]["id"]
    skipped = records[250]["id"]  # first record of page 2 moves back onto page 1: never served
    app = create_app(
        ROOT,
        link_name=LINK,
        access_key=KEY,
        changes=[AccountChange("deals", after_pages=1, delete_id=deleted)],
    )
    ex, _ = extractor(app)
    with ex:
        report = ex.extract(tmp_path)
    deals = report.modules["deals"]
    assert deals.gone_on_requery == [deleted] and deals.found_on_requery == [skipped]
    got = content(read_export(tmp_path).tables["deals"].frame)
    want = content(read_export(ROOT).tables["deals"].frame).filter(pl.col("id") != str(deleted))
    assert_frame_equal(got, want)


def test_the_access_key_never_reaches_logs_or_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(
        ROOT,
        link_name=LINK,
        access_key=KEY,
        faults={3: 503},
        changes=[AccountChange("contacts", 1, delete_id=5)],
    )
    ex, _ = extractor(app)
    with ex:
        ex.extract(tmp_path)
    assert KEY not in repr(ex) and KEY not in caplog.text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_a_refused_key_is_an_auth_error_without_the_key(tmp_path: Path) -> None:
    app = create_app(ROOT, link_name=LINK, access_key="the-right-key")
    ex, _ = extractor(app)
    with ex, pytest.raises(SalesmateAuthError) as err:
        ex.extract(tmp_path)
    assert err.value.status == 401 and KEY not in str(err.value)


def test_a_server_that_keeps_failing_stops_after_the_retries(tmp_path: Path) -> None:
    app = create_app(ROOT, link_name=LINK, access_key=KEY, faults={n: 503 for n in range(1, 10)})
    ex, sleeps = extractor(app, max_retries=3)
    with ex, pytest.raises(SalesmateAPIError, match="after 3 retries"):
        ex.extract(tmp_path)
    assert sleeps == [1.0, 2.0, 4.0]


def test_settings_come_from_the_environment_only() -> None:
    with pytest.raises(ConfigError):
        SalesmateExtractor.from_settings(Settings())
    with pytest.raises(ConfigError, match="rows"):
        SalesmateExtractor(LINK, KEY, rows=300)
    ex = SalesmateExtractor.from_settings(
        Settings(salesmate_link_name=f"{LINK}.salesmate.io", salesmate_access_key=KEY)
    )
    assert ex.link_name == LINK
    ex.close()


def test_emulator_checks_headers_and_page_size() -> None:
    app = create_app(ROOT, link_name=LINK, access_key=KEY)
    headers = {"accessToken": KEY, "x-linkname": f"{LINK}.salesmate.io"}
    with httpx.Client(transport=emulator_transport(app), base_url="https://x.salesmate.io") as http:
        ok = http.post(
            "/apis/company/v4/search", params={"rows": 250, "from": 250}, json={}, headers=headers
        )
        assert ok.status_code == 200
        assert ok.json()["Data"]["totalRows"] == 302 and len(ok.json()["Data"]["data"]) == 52
        big = http.post("/apis/company/v4/search", params={"rows": 251}, json={}, headers=headers)
        assert big.status_code == 400
        wrong = http.post(
            "/apis/company/v4/search", json={}, headers=headers | {"x-linkname": "other"}
        )
        assert wrong.status_code == 401
        odd = http.post(
            "/apis/company/v4/search",
            headers=headers,
            json={"filterQuery": {"group": {"rules": [{"field": "id", "condition": "NEAR"}]}}},
        )
        assert odd.status_code == 400
