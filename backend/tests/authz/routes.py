"""Every endpoint the app serves, however deeply its router is included.

Since FastAPI 0.137 `app.routes` holds one opaque node per included router instead of the
routes themselves, so a plain `for r in app.routes` finds almost nothing and every guard built
on it passes vacuously. `iter_route_contexts` is FastAPI's public way to flatten the tree.
"""

import re
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")
_CONVERTOR = re.compile(r":[a-z]+}")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    operation_id: str | None
    route: APIRoute

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def path_params(self) -> list[str]:
        return _PARAM.findall(self.path)

    @property
    def body_type(self) -> Any:
        field = self.route.body_field
        return field.field_info.annotation if field is not None else None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def endpoints(app: FastAPI) -> list[Endpoint]:
    out: list[Endpoint] = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if not isinstance(route, APIRoute) or not ctx.path:
            continue
        for method in sorted(ctx.methods or ()):
            if method == "HEAD":
                continue
            # The path as the OpenAPI and the client spell it: `{id}`, not `{id:uuid}`.
            out.append(Endpoint(method, _CONVERTOR.sub("}", ctx.path), ctx.operation_id, route))
    return out
