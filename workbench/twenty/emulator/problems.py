"""Error answers of the emulated server, in the shapes the real one uses.

One exception carries everything needed to render the error both as a REST body
(`{"statusCode", "error", "messages"}`) and as a GraphQL `errors[]` entry.
"""

from __future__ import annotations

from typing import Any


class ApiProblem(Exception):
    """An error answer. `gql_code` and `gql_extensions` are used when it surfaces through GraphQL."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        gql_code: str = "BAD_USER_INPUT",
        gql_extensions: dict[str, Any] | None = None,
        single_message: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.gql_code = gql_code
        self.gql_extensions = gql_extensions or {}
        self.single_message = single_message

    def rest_body(self) -> dict[str, Any]:
        if self.single_message:  # framework-level errors use `message` (a string)
            return {"statusCode": self.status, "message": self.message, "error": self.error}
        return {"statusCode": self.status, "error": self.error, "messages": [self.message]}

    def gql_error(self) -> dict[str, Any]:
        ext = {"code": self.gql_code, **self.gql_extensions}
        ext.setdefault("userFriendlyMessage", "An error occurred.")
        return {"message": self.message, "extensions": ext}


def bad_request(message: str) -> ApiProblem:
    return ApiProblem(400, "BadRequestException", message)


def server_error(message: str) -> ApiProblem:
    return ApiProblem(
        500, "InternalServerErrorException", message, gql_code="INTERNAL_SERVER_ERROR"
    )


def duplicate(label: str, value: str) -> ApiProblem:
    return ApiProblem(
        400,
        "UserInputError",
        f"Duplicate {label} with value {value}. Please set a unique one.",
        gql_extensions={
            "userFriendlyMessage": f"This {label.lower()} with value {value} is already taken. Please choose a different value.",
            "isExpected": True,
        },
    )


def unknown_field(field: str, object_name: str) -> ApiProblem:
    return ApiProblem(
        400,
        "Error",
        f'Field metadata for field "{field}" is missing in object metadata {object_name}',
    )


def entity_not_found(
    object_name: str, record_id: str, selected: list[str], *, select_first: bool = False
) -> ApiProblem:
    """TypeORM's message, which lists the selected columns (update puts `select` first)."""
    lines = "".join(f'        "{c}": true,\n' for c in selected).rstrip(",\n") + "\n"
    where = f'    "where": {{\n        "id": "{record_id}"\n    }}'
    select = f'    "select": {{\n{lines}    }}'
    parts = [select, where] if select_first else [where, select]
    message = (
        f'Could not find any entity of type "{object_name}" matching: {{\n'
        + ",\n".join(parts)
        + "\n}"
    )
    return ApiProblem(400, "EntityNotFoundError", message, gql_code="NOT_FOUND")


def metadata_input(
    message: str,
    *,
    sub_code: str = "INVALID_FIELD_INPUT",
    friendly: str | None = None,
    code: str = "BAD_USER_INPUT",
) -> ApiProblem:
    """A metadata validation error: HTTP 200 with errors[] on GraphQL, 400 on REST metadata."""
    return ApiProblem(
        400,
        "Bad Request",
        message,
        gql_code=code,
        gql_extensions={
            "subCode": sub_code,
            "userFriendlyMessage": friendly or "An error occurred.",
        },
    )
