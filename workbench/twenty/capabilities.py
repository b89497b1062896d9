"""What the destination server supports, detected once per client and kept in `server.json`.

Detection, cheapest first; nothing is left behind in the workspace:

1. `GET /client-config` — Twenty's public configuration endpoint. Its `appVersion` names the
   release and `api.mutationMaximumAffectedRecords` the GraphQL per-call cap. Reads nothing
   from the workspace.
2. A release whose behaviour FACTS.md documents (the 1.7 line) is not probed further: no REST
   upsert, no REST batch cap, REST DELETE is a hard delete, GraphQL throttles with HTTP 200
   "Too many requests." and REST is not throttled.
3. Any other or unknown release is probed:
   - *REST upsert*: create a company with a fresh id, POST the same id again with
     `?upsert=true`. A success means REST upserts; "Record already exists" means it does not.
   - *Hard delete*: REST DELETE that company, then ask GraphQL for it among soft-deleted
     records. Absent means the delete was hard; present means soft, and it is then destroyed.
   - *Batch cap*: POST 201 records that all name a field that does not exist. A server with a
     per-call cap refuses the size ("… maximum … 60 …") before looking at fields; one without
     refuses the unknown field. Either way nothing is created (a batch is all-or-nothing); if a
     server did create them, they are destroyed at once.
   The client also learns at run time: a batch refused for its size teaches the cap, and a 429
   records that the server throttles with 429.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import TwentyAPIError, TwentyAuthError, TwentyError
from workbench.twenty.retry import batch_cap_in

if TYPE_CHECKING:
    from workbench.twenty.client import TwentyClient

DOCUMENTED_VERSIONS = re.compile(r"^v?1\.7(\.|$)")
GRAPHQL_BATCH_CAP = 200
MAX_PAGE_SIZE = 200
PROBE_NAME = "Workbench capability probe"
CAP_PROBE_SIZE = 201
CAP_PROBE_FIELD = "workbenchCapabilityProbeNoSuchField"


@dataclass
class ServerCapabilities:
    """Facts about one destination server that change how the client talks to it."""

    version: str | None = None
    rest_upsert: bool = False
    rest_batch_cap: int | None = None
    throttles_with_429: bool | None = None
    rest_delete_is_hard: bool = True
    graphql_batch_cap: int = GRAPHQL_BATCH_CAP
    max_page_size: int = MAX_PAGE_SIZE
    base_url: str | None = None
    source: str = "assumed"  # documented | probed | assumed
    notes: list[str] = field(default_factory=list)
    detected_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def write(self, path: str | Path) -> Path:
        """Write `server.json` (it holds no secret: no key, no header)."""
        path = Path(path)
        path.write_text(self.to_json() + "\n", encoding="utf-8")
        return path

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServerCapabilities:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def read(cls, path: str | Path) -> ServerCapabilities:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _read_client_config(client: TwentyClient, caps: ServerCapabilities) -> None:
    try:
        body = client._rest("GET", "/client-config")
    except TwentyAuthError:
        raise
    except TwentyError as exc:
        caps.notes.append(f"GET /client-config answered no version ({exc.message})")
        return
    if not isinstance(body, dict):
        caps.notes.append("GET /client-config answered no JSON object")
        return
    version = body.get("appVersion")
    caps.version = str(version) if version else None
    cap = (body.get("api") or {}).get("mutationMaximumAffectedRecords")
    if isinstance(cap, int) and cap > 0:
        caps.graphql_batch_cap = cap
    caps.notes.append(f"GET /client-config: appVersion={caps.version!r}")


def _probe_upsert_and_delete(client: TwentyClient, caps: ServerCapabilities) -> None:
    probe_id = str(uuid.uuid4())
    client._rest("POST", "/rest/companies", json={"id": probe_id, "name": PROBE_NAME}, write=True)
    deleted = False
    try:
        try:
            client._rest(
                "POST",
                "/rest/companies",
                params={"upsert": "true"},
                json={"id": probe_id, "name": PROBE_NAME + " (upsert)"},
                write=True,
            )
            caps.rest_upsert = True
        except TwentyAPIError:
            caps.rest_upsert = False
        caps.notes.append(
            f"probe: POST ?upsert=true on an existing id → rest_upsert={caps.rest_upsert}"
        )
        client._rest("DELETE", f"/rest/companies/{probe_id}", write=True)
        deleted = True
        found = client._graphql(
            "query Probe($id: UUID!) { companies(filter: {id: {eq: $id}, deletedAt: {is: NOT_NULL}}) "
            "{ edges { node { id } } } }",
            {"id": probe_id},
        )
        edges = ((found or {}).get("companies") or {}).get("edges") or []
        caps.rest_delete_is_hard = not edges
        caps.notes.append(
            f"probe: REST DELETE then soft-deleted lookup → hard={caps.rest_delete_is_hard}"
        )
        if edges:
            client._graphql(
                "mutation Destroy($id: UUID!) { destroyCompany(id: $id) { id } }",
                {"id": probe_id},
                write=True,
            )
    finally:
        if not deleted:
            try:
                client._rest("DELETE", f"/rest/companies/{probe_id}", write=True)
            except TwentyError:
                caps.notes.append(f"probe company {probe_id} could not be removed")


def _probe_batch_cap(client: TwentyClient, caps: ServerCapabilities) -> None:
    body = [{CAP_PROBE_FIELD: i} for i in range(CAP_PROBE_SIZE)]
    try:
        created = client._rest("POST", "/rest/batch/companies", json=body, write=True)
    except TwentyAPIError as exc:
        caps.rest_batch_cap = batch_cap_in(exc.messages)
        caps.notes.append(
            f"probe: batch of {CAP_PROBE_SIZE} refused ({'; '.join(exc.messages)[:120]}) "
            f"→ rest_batch_cap={caps.rest_batch_cap}"
        )
        return
    ids = [r.get("id") for r in _first_value(created) or [] if isinstance(r, dict)]
    if ids:
        client._graphql(
            "mutation Destroy($ids: [UUID!]) { destroyCompanies(filter: {id: {in: $ids}}) { id } }",
            {"ids": ids},
            write=True,
        )
    caps.rest_batch_cap = None
    caps.notes.append(f"probe: batch of {CAP_PROBE_SIZE} accepted and destroyed → no cap below it")


def _first_value(body: Any) -> Any:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and data:
        return next(iter(data.values()))
    return None


def detect(client: TwentyClient) -> ServerCapabilities:
    """Find out what the server behind `client` supports (see the module docstring)."""
    caps = ServerCapabilities(
        base_url=client.base_url, detected_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    _read_client_config(client, caps)
    if caps.version and DOCUMENTED_VERSIONS.match(caps.version):
        caps.source = "documented"
        caps.rest_upsert = False
        caps.rest_batch_cap = None
        caps.rest_delete_is_hard = True
        caps.throttles_with_429 = False
        caps.notes.append("release 1.7: behaviour as recorded in FACTS.md, no write probes")
        return caps
    caps.source = "probed"
    _probe_upsert_and_delete(client, caps)
    _probe_batch_cap(client, caps)
    return caps
