"""The client's metadata methods: read the data model, add objects, fields, relations, options.

Creating metadata is not idempotent (a second createOneField with the same name fails), so
when an answer is lost the client re-reads the data model before deciding to send again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from workbench.errors import TwentyAPIError, TwentyError
from workbench.twenty.metadata import (
    CREATE_FIELD,
    CREATE_OBJECT,
    LIST_OBJECTS,
    OBJECT_FIELDS,
    UPDATE_FIELD,
    FieldInfo,
    ObjectInfo,
    field_input,
    fields_are_inline,
    merged_options,
    object_input,
    relation_input,
)
from workbench.twenty.model import FieldSpec, ObjectSpec, RelationSpec, SelectOption
from workbench.twenty.retry import AGAIN

if TYPE_CHECKING:
    from collections.abc import Callable

_Created = TypeVar("_Created", FieldInfo, ObjectInfo)


class MetadataMethods:
    """Mixed into TwentyClient; relies on its `_rest`, `_graphql` and `_objects` cache."""

    _objects: list[ObjectInfo] | None
    _rest: Callable[..., Any]
    _graphql: Callable[..., Any]

    def list_objects(self, *, refresh: bool = False) -> list[ObjectInfo]:
        """Every object with its fields (REST /rest/metadata/objects, GraphQL where it falls short)."""
        if self._objects is not None and not refresh:
            return self._objects
        try:
            body = self._rest("GET", "/rest/metadata/objects")
        except TwentyAPIError:
            body = None
        nodes = ((body or {}).get("data") or {}).get("objects") if isinstance(body, dict) else None
        more = (
            bool(((body or {}).get("pageInfo") or {}).get("hasNextPage"))
            if isinstance(body, dict)
            else True
        )
        if not isinstance(nodes, list) or more:
            nodes = self._graphql_objects()
        objects = []
        for node in nodes:
            if not isinstance(node, dict):
                continue
            if not fields_are_inline(node) and not node.get("isSystem"):
                node = {**node, "fields": self._graphql_fields(str(node.get("id")))}
            objects.append(ObjectInfo.from_api(node))
        self._objects = objects
        return objects

    def _graphql_objects(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            data = self._graphql(LIST_OBJECTS, {"after": after}, endpoint="/metadata")
            connection = (data or {}).get("objects") or {}
            nodes.extend(e.get("node", {}) for e in connection.get("edges", []))
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return nodes
            after = info["endCursor"]

    def _graphql_fields(self, object_id: str) -> list[dict[str, Any]]:
        data = self._graphql(OBJECT_FIELDS, {"id": object_id}, endpoint="/metadata")
        connection = ((data or {}).get("object") or {}).get("fields") or {}
        return [e.get("node", {}) for e in connection.get("edges", [])]

    def object_info(self, name: str, *, refresh: bool = False) -> ObjectInfo:
        """An object by singular or plural name."""
        for info in self.list_objects(refresh=refresh):
            if name in (info.name_singular, info.name_plural):
                return info
        if not refresh:
            return self.object_info(name, refresh=True)
        raise TwentyAPIError(f"object {name!r} does not exist in the workspace", status=400)

    def _field_named(self, object_id: str, name: str) -> FieldInfo | None:
        for info in self.list_objects(refresh=True):
            if info.id == object_id:
                return info.field(name)
        return None

    def _create_field_input(self, payload: dict[str, Any]) -> FieldInfo:
        return self._create_once(
            CREATE_FIELD,
            {"input": {"field": payload}},
            "createOneField",
            FieldInfo,
            lambda: self._field_named(payload["objectMetadataId"], payload["name"]),
        )

    def _create_once(
        self,
        mutation: str,
        variables: dict[str, Any],
        answer_key: str,
        kind: type[_Created],
        existing: Callable[[], _Created | None],
    ) -> _Created:
        """Send a non-idempotent metadata creation; when its answer is lost, send it again only
        if `existing` does not find what the first attempt may already have created."""

        def recover(error: TwentyError) -> Any:
            found = existing()
            return found if found is not None else AGAIN

        data = self._graphql(
            mutation,
            variables,
            endpoint="/metadata",
            write=True,
            idempotent=False,
            recover=recover,
        )
        self._objects = None
        if isinstance(data, kind):
            return data
        return kind.from_api((data or {}).get(answer_key) or {})

    def create_field(self, spec: FieldSpec, object_id: str) -> FieldInfo:
        """Add a custom field to the object `object_id` (FACTS 44)."""
        return self._create_field_input(field_input(spec, object_id))

    def create_relation(
        self, spec: RelationSpec, object_id: str, target_object_id: str
    ) -> FieldInfo:
        """A MANY_TO_ONE field `spec.name` (join column `<name>Id`) and its inverse (FACTS 47)."""
        return self._create_field_input(relation_input(spec, object_id, target_object_id))

    def create_object(self, spec: ObjectSpec) -> ObjectInfo:
        """A custom object, usable over REST at once (FACTS 46, 49)."""

        def existing() -> ObjectInfo | None:
            return next(
                (
                    info
                    for info in self.list_objects(refresh=True)
                    if info.name_singular == spec.name_singular
                ),
                None,
            )

        return self._create_once(
            CREATE_OBJECT,
            {"input": {"object": object_input(spec)}},
            "createOneObject",
            ObjectInfo,
            existing,
        )

    def add_select_options(
        self, field_id: str, existing_options: list[dict[str, Any]], new_options: list[SelectOption]
    ) -> list[dict[str, Any]]:
        """Add options to a SELECT/MULTI_SELECT field, keeping every existing one (FACTS 48)."""
        merged = merged_options(existing_options, new_options)
        if len(merged) == len(existing_options):
            return list(existing_options)
        data = self._graphql(
            UPDATE_FIELD,
            {"input": {"id": field_id, "update": {"options": merged}}},
            endpoint="/metadata",
            write=True,
            idempotent=True,
        )
        self._objects = None
        return list(((data or {}).get("updateOneField") or {}).get("options") or merged)
