"""The busiest read routes served without FastAPI's per-request machinery (issue 9).

A member list, search or detail is two short statements; around them FastAPI's request handler
(its dependency solver walking the route's dependency tree, the exit stacks, the per-request
endpoint context and telemetry hooks, the exception wrapping of the route) cost about a third of
a grassroots name search's CPU: more than the floor's whole request. `serve_directly` puts a
route of its own first in the application's routes for each named operation; it matches what
the operation's `APIRoute` matches (method GET, the same path) and does what FastAPI does for
such a route, in a straight line:

1. the request's session (`core.db.get_session`, or its override in the tests);
2. the caller (`auth.dependencies.CallerWith`: the bearer token, the principal, the
   permission; 401 and 403 as raised there);
3. the path and query parameters, read and validated by FastAPI's own function
   (`request_params_to_args`, as `core.params` keeps it): the same values, and the same
   422 (`RequestValidationError`, answered by the error handlers);
4. the endpoint, called with them; the session ends (committed, or rolled back on an
   error, which is thrown into it as FastAPI throws it: `CommitFirst` commits) before the
   answer is sent, as `Depends(get_session, scope="function")` does.

The operation keeps its `APIRoute` (the OpenAPI document, HEAD, and any request the direct
route does not match). Only a route of exactly that shape is served so: GET, path and query
parameters, one `CallerWith` dependency, an endpoint that returns a `Response`
(`core.pagination.json_response`); `serve_directly` refuses any other, so a new parameter
kind or dependency on such a route cannot be skipped silently.
"""

import contextlib
from collections.abc import AsyncGenerator, Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies import utils
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from unionhub.auth.dependencies import CallerWith
from unionhub.core.db import get_session


def _caller_dependency(route: APIRoute) -> Dependant:
    """The route's one dependency, a `CallerWith` (its only sub-dependency of any kind)."""
    dependant = route.dependant
    kinds = (dependant.header_params, dependant.cookie_params, dependant.body_params)
    if route.methods != {"GET"} or any(kinds) or len(dependant.dependencies) != 1:
        raise ValueError(f"{route.path}: not a GET of path and query parameters and a caller")
    caller = dependant.dependencies[0]
    if not isinstance(caller.call, CallerWith):
        raise ValueError(f"{route.path}: its dependency is not a CallerWith")
    return caller


class DirectRoute(BaseRoute):
    """An `APIRoute` of the hot read path, served as the module says."""

    def __init__(self, app: FastAPI, route: APIRoute) -> None:
        caller = _caller_dependency(route)
        self.app_with_overrides = app
        self.route = route
        assert caller.name is not None  # a parameter of the endpoint
        self.caller_name: str = caller.name
        self.check: CallerWith = caller.call  # type: ignore[assignment]
        self.path_fields = route.dependant.path_params
        self.query_fields = route.dependant.query_params
        self.endpoint: Callable[..., Any] = route.endpoint
        self.path = route.path

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != "GET":
            return Match.NONE, {}
        return self.route.matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        overrides = self.app_with_overrides.dependency_overrides
        sessions: Callable[[], AsyncGenerator[AsyncSession]] = overrides.get(
            get_session, get_session
        )
        held = sessions()
        session = await anext(held)
        try:
            values: dict[str, Any] = {self.caller_name: await self.check(request, session)}
            errors: list[Any] = []
            for fields, received in (
                (self.path_fields, request.path_params),
                (self.query_fields, request.query_params),
            ):
                if fields:
                    read, wrong = utils.request_params_to_args(fields, received)
                    values.update(read)
                    errors.extend(wrong)
            if errors:
                raise RequestValidationError(errors)
            response: Response = await self.endpoint(**values)
        except BaseException as error:
            # The session decides (rolls back, or commits a CommitFirst) and raises it again.
            with contextlib.suppress(StopAsyncIteration):
                await held.athrow(error)
            raise
        await _finish(held)
        await response(scope, receive, send)


async def _finish(held: AsyncGenerator[AsyncSession]) -> None:
    """Run the session dependency's code after its `yield` (the commit)."""
    try:
        await anext(held)
    except StopAsyncIteration:
        return
    raise RuntimeError("the session dependency yielded twice")


def serve_directly(app: FastAPI, *operation_ids: str) -> None:
    """Serve these operations (already included in `app`) by `DirectRoute`s, tried first."""
    found = {
        ctx.operation_id: ctx.original_route
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute) and ctx.operation_id in operation_ids
    }
    missing = set(operation_ids) - set(found)
    if missing:
        raise ValueError(f"no route with the operation ids {sorted(missing)}")
    for operation_id in reversed(operation_ids):
        app.router.routes.insert(0, DirectRoute(app, found[operation_id]))
