"""The OpenAPI document as the server reads requests.

FastAPI declares an optional query or header parameter (`q: str | None = None`) as
`anyOf: [string, null]`, but a parameter is either sent as text or not sent at all: a generated
client or a contract test that sends `null` sends the text "null", which the server then reads
as a value (or refuses). The document is therefore rewritten once: parameters lose their null
branch; being optional is what `required: false` already says.
"""

from typing import Any

from fastapi import FastAPI

_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _without_null(schema: dict[str, Any]) -> None:
    branches = schema.get("anyOf")
    if not branches or {"type": "null"} not in branches:
        return
    rest = [b for b in branches if b != {"type": "null"}]
    del schema["anyOf"]
    if len(rest) == 1:
        schema.update(rest[0])
    else:
        schema["anyOf"] = rest


def parameters_without_null(document: dict[str, Any]) -> dict[str, Any]:
    for item in document.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            for parameter in operation.get("parameters", []):
                _without_null(parameter.get("schema", {}))
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve (and cache) the document with parameters_without_null applied."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = parameters_without_null(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
