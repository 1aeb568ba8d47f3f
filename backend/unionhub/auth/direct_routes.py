"""The busiest read routes served without FastAPI's per-request machinery (issue 9).

A member list, search or detail is two short statements; around them FastAPI's request handler
(its dependency solver walking the route's dependency tree, the exit stacks, the per-request
endpoint context and telemetry hooks, the exception wrapping of the route) cost about a third of
a grassroots name search's CPU: more than the floor's whole request. `serve_directly` puts a
route of its own first in the application's routes for each named operation; it matches what
the operation's `APIRoute` matches (method GET, the same path) and does what FastAPI does for
such a route, in a straight line:

1. the request's session (`core.db.request_session`: `get_session`'s, made only when the
   request first needs it; or the tests' override of `get_session`);
2. the caller (`auth.dependencies.CallerWith`: the bearer token, the principal, the
   permission; 401 and 403 as raised there);
3. the path and query parameters, read and validated by FastAPI's own function
   (`request_params_to_args`, as `core.params` keeps it): the same values, and the same
   422 (`RequestValidationError`, answered by the error handlers);
4. the endpoint, called with them; the session ends (committed, or rolled back on an
   error, which is thrown into it as FastAPI throws it: `CommitFirst` commits) before the
   answer is sent, as `Depends(get_session, scope="function")` does.

Such a request also enters the application by a shorter way (`DirectDoor`): the same error
page for a crash (`ServerErrorMiddleware`), the same user middleware (the edge, the client
calls) and the same exception handlers (`ExceptionMiddleware`), around the direct route alone:
not the layers that do nothing for it (FastAPI's exception telemetry, off in `main`; its body
limit, which the edge does; the exit stack kept for uploaded files) nor the router's walk.

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
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from unionhub.auth.dependencies import CallerWith
from unionhub.core.db import get_session, request_session


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
        # The request's session made only if the request needs one (`RequestSession`),
        # unless the tests replace the session dependency with their own.
        sessions: Callable[[], AsyncGenerator[AsyncSession]] = overrides.get(
            get_session, request_session
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


class DirectDoor:
    """The application's middleware stack (`app.build_middleware_stack`) with a shorter way in
    for a request a `DirectRoute` of the router serves (see the module): per such route, the
    layers FastAPI builds that act on it, in FastAPI's order, around the route alone. Any other
    request (or method) goes through `full`, FastAPI's own stack."""

    def __init__(self, app: FastAPI, full: ASGIApp) -> None:
        self.full = full
        self.router = app.router
        # The direct routes the router holds when the stack is built (its first request).
        routes = [r for r in app.router.routes if isinstance(r, DirectRoute)]
        error_handler = None
        handlers: dict[Any, Any] = {}
        for key, value in app.exception_handlers.items():
            if key in (500, Exception):
                error_handler = value
            else:
                handlers[key] = value
        self.doors: list[tuple[DirectRoute, ASGIApp]] = []
        for route in routes:
            inner: ASGIApp = ExceptionMiddleware(route.handle, handlers=handlers, debug=app.debug)
            for cls, args, kwargs in reversed(app.user_middleware):
                inner = cls(inner, *args, **kwargs)
            door = ServerErrorMiddleware(inner, handler=error_handler, debug=app.debug)
            self.doors.append((route, door))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            for route, door in self.doors:
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    # What the router puts in the scope of the route it chose.
                    scope.setdefault("router", self.router)
                    scope.update(child_scope)
                    await door(scope, receive, send)
                    return
        await self.full(scope, receive, send)


def _with_door(app: FastAPI) -> None:
    """`app` builds its middleware stack inside a `DirectDoor` (once, at its first request,
    as FastAPI builds it: middleware and handlers added before then are in both ways)."""
    build = app.build_middleware_stack

    def build_with_door() -> ASGIApp:
        return DirectDoor(app, build())

    app.build_middleware_stack = build_with_door  # type: ignore[method-assign]


def serve_directly(app: FastAPI, *operation_ids: str) -> None:
    """Serve these operations (already included in `app`) by `DirectRoute`s, tried first,
    entered by a `DirectDoor`."""
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
    if not getattr(app.state, "direct_door", False):
        app.state.direct_door = True
        _with_door(app)
