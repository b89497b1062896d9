"""The destination package's public surface: what other stages import."""

from __future__ import annotations

import inspect

import workbench.twenty as twenty
from workbench.twenty import TwentyClient


def test_every_exported_name_resolves() -> None:
    assert len(twenty.__all__) == len(set(twenty.__all__))
    for name in twenty.__all__:
        assert getattr(twenty, name) is not None, name


def test_client_methods_keep_their_documented_signatures() -> None:
    expected = {
        "create": ["obj", "record"],
        "create_many": ["obj", "records"],
        "update": ["obj", "id", "patch"],
        "get": ["obj", "id"],
        "find": ["obj", "filter"],
        "count": ["obj", "filter"],
        "find_by_values": ["obj", "field", "values"],
        "find_in": ["obj", "field", "values"],
        "count_in": ["obj", "field", "values"],
        "delete": ["obj", "id"],
        "soft_delete": ["obj", "ids"],
        "restore": ["obj", "ids"],
        "destroy": ["obj", "ids"],
        "upsert_many": ["obj", "records"],
        "upload_file": ["path"],
        "list_objects": [],
        "create_field": ["spec", "object_id"],
        "create_relation": ["spec", "object_id", "target_object_id"],
        "create_object": ["spec"],
        "add_select_options": ["field_id", "existing_options", "new_options"],
        "workspace_members": [],
        "capabilities": [],
    }
    for method, params in expected.items():
        signature = inspect.signature(getattr(TwentyClient, method))
        positional = [
            p.name
            for p in signature.parameters.values()
            if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self"
        ]
        assert positional == params, method
    init = inspect.signature(TwentyClient.__init__).parameters
    for name, default in {
        "transport": None,
        "requests_per_minute": 100,
        "batch_size": 60,
        "timeout": 30,
        "max_retries": 6,
        "backoff": 0.5,
    }.items():
        assert init[name].default == default and init[name].kind is init[name].KEYWORD_ONLY
    assert "key_field" in inspect.signature(TwentyClient.create_many).parameters
