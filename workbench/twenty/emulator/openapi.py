"""A small but valid OpenAPI 3.1.1 document for the workspace, custom objects included."""

from __future__ import annotations

from typing import Any

from workbench.twenty.emulator.records import Workspace, data_fields
from workbench.twenty.emulator.standard import FieldDef, ObjectDef
from workbench.twenty.emulator.values import COMPOSITES

SCALARS: dict[str, dict[str, Any]] = {
    "TEXT": {"type": "string"},
    "NUMBER": {"type": "number"},
    "BOOLEAN": {"type": "boolean"},
    "DATE_TIME": {"type": "string", "format": "date-time"},
    "DATE": {"type": "string", "format": "date"},
    "UUID": {"type": "string", "format": "uuid"},
    "POSITION": {"type": "number"},
    "ARRAY": {"type": "array", "items": {"type": "string"}},
    "RAW_JSON": {"type": "object"},
    "TS_VECTOR": {"type": "string"},
}


def field_schema(f: FieldDef) -> dict[str, Any]:
    if f.type in COMPOSITES:
        return {
            "type": "object",
            "properties": {k: {"type": ["string", "null"]} for k in COMPOSITES[f.type]},
        }
    if f.type in ("SELECT", "RATING"):
        return {"type": "string", "enum": [o["value"] for o in f.options or []]}
    if f.type == "MULTI_SELECT":
        return {
            "type": "array",
            "items": {"type": "string", "enum": [o["value"] for o in f.options or []]},
        }
    return dict(SCALARS.get(f.type, {"type": "string"}))


def object_schema(obj: ObjectDef) -> dict[str, Any]:
    props = {f.name: field_schema(f) for f in data_fields(obj)}
    props.update({join: {"type": "string", "format": "uuid"} for join in obj.join_fields()})
    return {
        "type": "object",
        "description": obj.description or obj.label_singular,
        "properties": props,
    }


def _op(summary: str, ref: str | None = None, *, many: bool = False) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            "200": {"description": "Successful operation"},
            "400": {"description": "Bad request"},
        },
    }
    if ref:
        schema: dict[str, Any] = {"$ref": f"#/components/schemas/{ref}"}
        op["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": schema} if many else schema
                }
            },
        }
    return op


def core_document(ws: Workspace) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    id_param = [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "uuid"},
        }
    ]
    for obj in ws.model.objects.values():
        name = obj.name_singular[:1].upper() + obj.name_singular[1:]
        schemas[name] = object_schema(obj)
        paths[f"/{obj.name_plural}"] = {
            "get": _op(f"Find many {obj.name_plural}"),
            "post": _op(f"Create one {obj.name_singular}", name),
        }
        paths[f"/{obj.name_plural}/{{id}}"] = {
            "parameters": id_param,
            "get": _op(f"Find one {obj.name_singular}"),
            "patch": _op(f"Update one {obj.name_singular}", name),
            "delete": _op(f"Delete one {obj.name_singular}"),
        }
        paths[f"/batch/{obj.name_plural}"] = {
            "post": _op(f"Create many {obj.name_plural}", name, many=True)
        }
    return _document("Twenty Api", paths, schemas)


def metadata_document(ws: Workspace) -> dict[str, Any]:
    paths = {
        "/objects": {"get": _op("Find many objects"), "post": _op("Create one object")},
        "/fields": {"get": _op("Find many fields"), "post": _op("Create one field")},
    }
    return _document("Twenty Metadata Api", paths, {})


def _document(title: str, paths: dict, schemas: dict) -> dict[str, Any]:
    return {
        "openapi": "3.1.1",
        "info": {"title": title, "version": "v0.1"},
        "servers": [{"url": "http://localhost:3000/rest/", "description": "Emulated Twenty"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearerAuth": []}],
        "paths": paths,
    }
