"""Record operations only GraphQL offers on the 1.7 line: soft delete, restore, destroy,
upsert (FACTS 28, 32) and file upload (FACTS 56)."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from workbench.twenty import capabilities as caps_module
from workbench.twenty.capabilities import ServerCapabilities
from workbench.twenty.metadata import ObjectInfo
from workbench.twenty.retry import body_of, graphql_error
from workbench.twenty.shapes import STANDARD_SINGULARS, chunks, first_value


class GraphQLRecordMethods:
    """Mixed into TwentyClient; relies on its `_graphql`, `_rest`, `_attempt` and batching."""

    _caps: ServerCapabilities | None
    _attempt: Callable[..., Any]
    _with_retries: Callable[..., Any]
    _rest: Callable[..., Any]
    _graphql: Callable[..., Any]
    _split: Callable[..., Any]
    _batch_limit: Callable[[], int]
    capabilities: Callable[[], ServerCapabilities]
    object_info: Callable[..., ObjectInfo]

    def _names(self, obj: str) -> tuple[str, str]:
        """(Singular, Plural) capitalised, as GraphQL names types and operations."""
        singular = STANDARD_SINGULARS.get(obj)
        if singular is None:
            info = self.object_info(obj)
            singular = info.name_singular
        return singular[:1].upper() + singular[1:], obj[:1].upper() + obj[1:]

    def _by_ids(
        self, obj: str, operation: str, ids: Iterable[str], selection: str
    ) -> list[dict[str, Any]]:
        singular, plural = self._names(obj)
        field = f"{operation}{plural}"
        query = f"mutation Records($ids: [UUID!]) {{ {field}(filter: {{id: {{in: $ids}}}}) {{ {selection} }} }}"
        out: list[dict[str, Any]] = []
        for chunk in chunks(list(ids), self._graphql_cap()):
            data = self._graphql(query, {"ids": chunk}, write=True, records=len(chunk))
            out.extend((data or {}).get(field) or [])
        return out

    def _graphql_cap(self) -> int:
        return self._caps.graphql_batch_cap if self._caps else caps_module.GRAPHQL_BATCH_CAP

    def soft_delete(self, obj: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Set deletedAt (GraphQL only; REST DELETE is hard)."""
        return self._by_ids(obj, "delete", ids, "id deletedAt")

    def restore(self, obj: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        return self._by_ids(obj, "restore", ids, "id deletedAt")

    def destroy(self, obj: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Hard delete, soft-deleted records included."""
        return self._by_ids(obj, "destroy", ids, "id")

    def upsert_many(self, obj: str, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create or update by id and unique fields (email, domain): REST when the server can,
        else GraphQL `upsert: true` (FACTS 27–29). Soft-deleted matches stay deleted."""
        rows = list(records)
        if not rows:
            return []
        caps = self.capabilities()
        resendable = all("id" in r for r in rows)
        out: list[dict[str, Any]] = []
        if caps.rest_upsert:
            for batch in self._split(rows, self._batch_limit()):
                body = self._rest(
                    "POST",
                    f"/rest/batch/{obj}",
                    params={"upsert": "true"},
                    json=batch,
                    write=True,
                    idempotent=resendable,
                    records=len(batch),
                )
                out.extend(first_value(body) or [])
            return out
        singular, plural = self._names(obj)
        query = (
            f"mutation Upsert($data: [{singular}CreateInput!]!) "
            f"{{ create{plural}(data: $data, upsert: true) {{ id createdAt updatedAt deletedAt }} }}"
        )
        for batch in self._split(rows, caps.graphql_batch_cap):
            data = self._graphql(
                query, {"data": batch}, write=True, idempotent=resendable, records=len(batch)
            )
            out.extend((data or {}).get(f"create{plural}") or [])
        return out

    def upload_file(self, path: Path, *, folder: str = "Attachment") -> str:
        """Upload a file (GraphQL multipart, FACTS 56); returns the `fullPath` for an attachment."""
        path = Path(path)
        content = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        operations = {
            "query": "mutation UploadFile($file: Upload!, $fileFolder: FileFolder) "
            "{ uploadFile(file: $file, fileFolder: $fileFolder) { path token } }",
            "variables": {"file": None, "fileFolder": folder},
        }
        form = {"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})}

        def send() -> str:
            response = self._attempt(
                "POST", "/graphql", data=form, files={"0": (path.name, content, mime)}, write=True
            )
            body = body_of(response)
            error = graphql_error(body, path="/graphql", status=response.status_code)
            if error is not None:
                raise error
            return body["data"]["uploadFile"]["path"]

        # Sending the same file twice leaves an unused copy, never a wrong record: safe to resend.
        return self._with_retries(send, idempotent=True)
