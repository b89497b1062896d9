"""Extractor for Salesmate's REST API v4: every module, paged, into the JSON page layout.

Offset paging over a live account repeats a record when one is inserted before the current
offset and skips one when a record is deleted. Pages are requested in id order; the extractor
drops repeats by id, notices a change of `totalRows` between pages, and then re-queries the
window of ids read before the change to find what was missed or has gone. Everything it
noticed is in the report and in `extraction_log.json` (which never holds the access key).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any

import httpx

from workbench.errors import ConfigError, ExportError
from workbench.settings import Settings
from workbench.sources.salesmate import (
    ATTACHMENT_DOWNLOAD,
    FILES_DIR,
    MAX_ROWS,
    MODULES,
    REFERENCE_FILES,
    Module,
    dump_json,
    write_pages,
    write_reference,
)

log = logging.getLogger(__name__)
LOG_FILE = "extraction_log.json"
FIELD_MODULES = {m.module_name for m in MODULES}


class SalesmateAPIError(ExportError):
    """Salesmate answered with an error, or not at all after every retry."""

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None) -> None:
        self.status = status
        self.path = path
        super().__init__(message, file=path)


class SalesmateAuthError(SalesmateAPIError):
    """The access key or link name was refused (401/403)."""


@dataclass
class ModuleReport:
    """What paging one module saw, including the account changing under it."""

    table: str
    pages: int = 0
    records: int = 0
    first_total: int | None = None
    last_total: int | None = None
    repeated_ids: list[int] = field(default_factory=list)
    found_on_requery: list[int] = field(default_factory=list)
    gone_on_requery: list[int] = field(default_factory=list)
    requeries: int = 0
    verified: bool = True

    def findings(self) -> list[str]:
        out = []
        if self.first_total != self.last_total:
            out.append(
                f"{self.table}: totalRows changed {self.first_total} → {self.last_total} "
                "during the export"
            )
        if self.repeated_ids:
            out.append(
                f"{self.table}: {len(self.repeated_ids)} record(s) repeated across pages "
                f"(ids {self.repeated_ids}); kept once"
            )
        if self.found_on_requery:
            out.append(
                f"{self.table}: re-query found {len(self.found_on_requery)} record(s) the "
                f"pages had skipped or that arrived mid-export (ids {self.found_on_requery})"
            )
        if self.gone_on_requery:
            out.append(
                f"{self.table}: {len(self.gone_on_requery)} record(s) deleted mid-export "
                f"(ids {self.gone_on_requery}); left out"
            )
        if not self.verified:
            out.append(
                f"{self.table}: the account kept changing; counts could not be verified — "
                "run the extraction again or a delta later"
            )
        return out


@dataclass
class ExtractionReport:
    link_name: str
    rows: int
    modules: dict[str, ModuleReport] = field(default_factory=dict)
    requests: int = 0
    retries: Counter[str] = field(default_factory=Counter)
    files: int = 0
    started_at: str = ""
    finished_at: str = ""

    def findings(self) -> list[str]:
        return [f for m in self.modules.values() for f in m.findings()]

    def to_json(self) -> dict[str, Any]:
        return {
            "link_name": self.link_name,
            "rows": self.rows,
            "requests": self.requests,
            "retries": dict(sorted(self.retries.items())),
            "files": self.files,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "modules": {k: asdict(v) for k, v in self.modules.items()},
            "findings": self.findings(),
        }


class SalesmateExtractor:
    """Pulls a whole Salesmate account. Build it with `from_settings`; the key stays in memory."""

    def __init__(
        self,
        link_name: str,
        access_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        rows: int = MAX_ROWS,
        max_retries: int = 6,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        max_requeries: int = 3,
    ) -> None:
        link = link_name.strip().removeprefix("https://").split(".salesmate.io")[0].strip("/")
        if not link or not access_key:
            raise ConfigError("set SALESMATE_LINK_NAME and SALESMATE_ACCESS_KEY in the environment")
        if not 1 <= rows <= MAX_ROWS:
            raise ConfigError(f"rows must be between 1 and {MAX_ROWS} (Salesmate's page limit)")
        self.link_name = link
        self._key = access_key
        self.rows = rows
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.max_requeries = max_requeries
        self._client = httpx.Client(
            base_url=f"https://{link}.salesmate.io",
            headers={
                "accessToken": access_key,
                "x-linkname": f"{link}.salesmate.io",
                "Content-Type": "application/json",
            },
            transport=transport,
            timeout=timeout,
        )
        self.report = ExtractionReport(link_name=link, rows=rows)

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> SalesmateExtractor:
        if not settings.salesmate_link_name or not settings.salesmate_access_key:
            raise ConfigError("set SALESMATE_LINK_NAME and SALESMATE_ACCESS_KEY in the environment")
        return cls(settings.salesmate_link_name, settings.salesmate_access_key, **kwargs)

    def __repr__(self) -> str:
        return (
            f"SalesmateExtractor(link_name={self.link_name!r}, access_key=<set>, rows={self.rows})"
        )

    def __enter__(self) -> SalesmateExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ HTTP

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "<access key>") if self._key else text

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One call with backoff on 429, 5xx and dropped connections (limits are unpublished)."""
        for attempt in range(self.max_retries + 1):
            self.report.requests += 1
            try:
                response = self._client.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                reason, wait = type(exc).__name__, None
            else:
                status = response.status_code
                if status in (401, 403):
                    raise SalesmateAuthError(
                        f"Salesmate refused the access key for link name {self.link_name!r} "
                        f"({status}); check SALESMATE_LINK_NAME / SALESMATE_ACCESS_KEY",
                        status=status,
                        path=path,
                    )
                if status != 429 and status < 500:
                    if status >= 400:
                        raise SalesmateAPIError(
                            f"{method} {path} answered {status}: {self._redact(response.text[:300])}",
                            status=status,
                            path=path,
                        )
                    return response
                reason, wait = str(status), _retry_after(response)
            self.report.retries[reason] += 1
            if attempt == self.max_retries:
                break
            delay = min(self.max_backoff, wait if wait is not None else self.backoff * 2**attempt)
            log.info("%s %s: %s, retrying in %.1fs", method, path, reason, delay)
            self.sleep(delay)
        raise SalesmateAPIError(
            f"{method} {path}: still failing ({reason}) after {self.max_retries} retries", path=path
        )

    def _json(self, response: httpx.Response, path: str) -> dict[str, Any]:
        try:
            answer = response.json()
        except json.JSONDecodeError as exc:
            raise SalesmateAPIError(f"{path}: answer is not JSON", path=path) from exc
        if not isinstance(answer, dict) or str(answer.get("Status", "")).lower() != "success":
            raise SalesmateAPIError(
                f"{path}: unexpected answer {self._redact(str(answer)[:300])}", path=path
            )
        return answer

    def search(
        self,
        module: Module,
        offset: int,
        rules: list[dict[str, Any]],
        fields: list[str],
        rows: int | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of a module in id order: (records, totalRows)."""
        body: dict[str, Any] = {
            "displayingFields": fields,
            "filterQuery": {"group": {"operator": "AND", "rules": rules}},
            "sort": {"fieldName": "id", "order": "asc"},
        }
        if module.module_id is not None:
            body["moduleId"] = module.module_id
        params = {"rows": rows or self.rows, "from": offset}
        answer = self._json(
            self._request("POST", module.path, params=params, json=body), module.path
        )
        data = answer.get("Data") or {}
        records, total = data.get("data"), data.get("totalRows")
        if not isinstance(records, list) or not isinstance(total, int):
            raise SalesmateAPIError(
                f"{module.path}: answer has no Data.data / Data.totalRows", path=module.path
            )
        return records, total

    # ------------------------------------------------------------------ paging

    def _page_through(
        self, module: Module, rules: list[dict[str, Any]], fields: list[str], rep: ModuleReport
    ) -> list[tuple[list[dict[str, Any]], int]]:
        pages: list[tuple[list[dict[str, Any]], int]] = []
        offset = 0
        while True:
            records, total = self.search(module, offset, rules, fields)
            pages.append((records, total))
            rep.pages += 1
            log.info(
                "%s from=%d: %d records (totalRows %d)", module.table, offset, len(records), total
            )
            offset += self.rows
            if not records or offset >= total:
                return pages

    def fetch_module(self, module: Module, fields: list[str]) -> list[dict[str, Any]]:
        """Every record of a module exactly once, in id order, with what changed reported."""
        rep = ModuleReport(module.table)
        self.report.modules[module.table] = rep
        pages = self._page_through(module, [], fields, rep)
        merged: dict[int, dict[str, Any]] = {}
        signal = 0  # last page that shows the account changed (totalRows moved or a repeat)
        for n, (records, total) in enumerate(pages):
            if n and total != pages[n - 1][1]:
                signal = n
            for record in records:
                if record["id"] in merged:
                    rep.repeated_ids.append(record["id"])
                    signal = max(signal, n)
                else:
                    merged[record["id"]] = record
        rep.first_total, rep.last_total = pages[0][1], pages[-1][1]
        boundary = pages[signal][0][0]["id"] if signal and pages[signal][0] else None
        total = rep.last_total
        for _ in range(self.max_requeries):
            if not signal and len(merged) == total:
                break
            self._requery(module, fields, merged, boundary, rep)
            _, total = self.search(module, 0, [], fields, rows=1)
            rep.last_total = total
            signal, boundary = 0, None  # a second round re-reads the whole module
        else:
            rep.verified = len(merged) == total
        rep.records = len(merged)
        return [merged[k] for k in sorted(merged)]

    def _requery(
        self,
        module: Module,
        fields: list[str],
        merged: dict[int, dict[str, Any]],
        boundary: int | None,
        rep: ModuleReport,
    ) -> None:
        """Re-read ids below `boundary` (all ids when None) and reconcile with what was kept."""
        rules = (
            []
            if boundary is None
            else [{"field": "id", "condition": "LESS_THAN", "value": boundary}]
        )
        rep.requeries += 1
        now: dict[int, dict[str, Any]] = {}
        for records, _ in self._page_through(module, rules, fields, rep):
            for record in records:
                now.setdefault(record["id"], record)
        window = [k for k in merged if boundary is None or k < boundary]
        for key in sorted(set(now) - set(merged)):
            merged[key] = now[key]
            rep.found_on_requery.append(key)
        for key in sorted(set(window) - set(now)):
            del merged[key]
            rep.gone_on_requery.append(key)

    # ------------------------------------------------------------------ export

    def extract(self, out_dir: str | Path) -> ExtractionReport:
        """Write every module as pages, the reference answers, attachment files and the log."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        self.report.started_at = _now()
        reference: dict[str, Any] = {}
        for name, path in REFERENCE_FILES.items():
            reference[name] = self._json(self._request("GET", path), path).get("Data")
            write_reference(out, name, reference[name])
        defined: dict[str, list[str]] = {}
        for item in reference.get("fields.json") or []:
            if isinstance(item, dict) and item.get("moduleName") in FIELD_MODULES:
                defined.setdefault(item["moduleName"], []).append(str(item.get("fieldName")))
        for module in MODULES:
            records = self.fetch_module(module, defined.get(module.module_name, []))
            write_pages(out / module.table, records, self.rows)
            if module.table == "attachments":
                self._download(out, records)
        self.report.finished_at = _now()
        (out / LOG_FILE).write_text(self._redact(dump_json(self.report.to_json())), "utf-8")
        for finding in self.report.findings():
            log.warning(finding)
        return self.report

    def _download(self, out: Path, records: list[dict[str, Any]]) -> None:
        for record in records:
            name = PurePath(str(record.get("fileName") or "file")).name
            target = out / FILES_DIR / f"{record['id']}-{name}"
            response = self._request("GET", ATTACHMENT_DOWNLOAD.format(id=record["id"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(response.content)
            self.report.files += 1


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
