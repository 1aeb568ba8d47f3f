"""create_app(): routers, middleware, error handlers, health checks and the web app's files."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts

from unionhub.audit.router import router as audit_router
from unionhub.auth.direct_routes import serve_directly
from unionhub.auth.router import router as auth_router
from unionhub.cards.router import router as cards_router
from unionhub.changes.router import router as changes_router
from unionhub.changes.webhook_router import managed as client_webhooks_router
from unionhub.changes.webhook_router import router as webhooks_router
from unionhub.clients.router import router as clients_router
from unionhub.core import queue
from unionhub.core.client_calls import ClientCallsMiddleware
from unionhub.core.config import get_settings
from unionhub.core.db import (
    StatementKind,
    database_answers,
    dispose_engine,
    limit_statements_by_default,
)
from unionhub.core.docs import install_docs
from unionhub.core.errors import install_error_handlers
from unionhub.core.logging import configure_logging
from unionhub.core.middleware import EdgeMiddleware, parse_networks
from unionhub.core.openapi import install_openapi
from unionhub.core.params import install as keep_parameter_types
from unionhub.core.static import mount_spa
from unionhub.core.warm import WarmFreezer
from unionhub.enterprises.router import router as enterprises_router
from unionhub.evaluations import router as evaluations
from unionhub.evaluations.evidence_router import router as evaluation_evidence_router
from unionhub.evaluations.parts_router import router as evaluation_parts_router
from unionhub.files.router import router as files_router
from unionhub.imports.evaluation_export import router as evaluation_export_router
from unionhub.imports.router import router as imports_router
from unionhub.imports.training_export import router as training_export_router
from unionhub.imports.training_roster_export import router as roster_export_router
from unionhub.indicators.router import router as indicators_router
from unionhub.members.me_router import router as me_router
from unionhub.members.router import routers as members_routers
from unionhub.members.router import served_directly as members_served_directly
from unionhub.places.router import router as places_router
from unionhub.programmes.router import evaluations_summary_router
from unionhub.programmes.router import router as programmes_router
from unionhub.reports.periodic_router import router as periodic_reports_router
from unionhub.reports.router import router as reports_router
from unionhub.training import router as training
from unionhub.unions.router import router as unions_router
from unionhub.users.router import router as users_router
from unionhub.workflows import router as workflows

API_DESCRIPTION = """
UnionHub API for provincial labour federations (Liên đoàn Lao động tỉnh) and the unions under them.

* Sign in with the OAuth2 password flow at `POST /api/v1/auth/token`; send
  `Authorization: Bearer <access_token>`. Access tokens live 15 minutes; rotate with
  `POST /api/v1/auth/refresh`.
* Every read is scoped to the caller's part of the union tree; ids from elsewhere answer 404.
* Errors are RFC 9457 `application/problem+json` with a stable `code` (the `ErrorCode` enum),
  `params` (the values the message names: dates as ISO strings, numbers, the offending value)
  and an English `detail`; invalid input lists `errors[]` with `field`, `in`, `code`, `params`
  and `message`. Render messages from code and params.
* Edits take `If-Match: <ETag>`; a stale one answers 412 and changes nothing.
"""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # What start-up built (routes, ORM mappings, some 2,000 pydantic validators and
    # serializers) lives as long as the process. Frozen, the cyclic collector's full passes
    # skip it: they walked it all, 100 ms every few dozen requests (the p95 of every list).
    # What the first requests cache is frozen later, once warm (core.warm, EdgeMiddleware).
    gc.collect()
    gc.freeze()
    yield
    await queue.close()
    await dispose_engine()


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_json)
    # FastAPI walks each parameter's declared type on every request; kept per type instead.
    keep_parameter_types()
    # Requests are short: a statement running longer is cancelled, unless the request raised
    # the limit for a report or an export (core.db.statement_timeout).
    limit_statements_by_default(StatementKind.LIST)
    app = FastAPI(
        title="UnionHub API",
        version="0.1.0",
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        # Served by core.docs with local assets.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # BodyLimitMiddleware limits bodies: FastAPI's own limit answers in plain text.
        max_body_size=None,
        # No OpenTelemetry here (the access line and the request id are the observability):
        # off, FastAPI does not ask the global providers whether one is set up on every
        # request (issue 9: a twentieth of a grassroots search's framework CPU).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    install_error_handlers(app)

    # add_middleware puts each one outside the ones before it: the edge (request id, trusted
    # proxies, security headers, body limit) is outermost, so every line logged for the
    # request carries its id, and an integration client is known by its real address.
    app.add_middleware(ClientCallsMiddleware)
    app.add_middleware(
        EdgeMiddleware,
        trusted=parse_networks(settings.forwarded_allow_ips),
        max_bytes=settings.max_body_bytes,
        # Freezes the caches the first requests fill (issue 12); not in tests, whose process
        # runs thousands of requests through many apps and must collect what each one leaves.
        freezer=None if settings.environment == "test" else WarmFreezer(),
    )

    @app.get("/healthz", tags=["health"], operation_id="health-live", include_in_schema=True)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], operation_id="health-ready")
    async def readyz() -> JSONResponse:
        if not await database_answers():
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "ok"})

    # Routes are tried in this order, each router's in turn, until one matches: the member
    # register (most requests: the list, the detail, the search) first. Its paths are all
    # under /api/v1/members with typed ids, so it cannot take another router's path.
    for router in (
        *members_routers,
        auth_router,
        users_router,
        places_router,
        clients_router,
        changes_router,
        webhooks_router,
        client_webhooks_router,
        cards_router,
        unions_router,
        workflows.unions,
        audit_router,
        imports_router,
        files_router,
        enterprises_router,
        workflows.enterprises,
        me_router,
        reports_router,
        periodic_reports_router,
        indicators_router,
        programmes_router,
        evaluations_summary_router,
        evaluations.schemes_router,
        evaluations.rounds_router,
        evaluations.router,
        evaluation_evidence_router,
        evaluation_parts_router,
        evaluation_export_router,
        training_export_router,
        roster_export_router,
        training.router,
        training.qualifications_router,
        training.certificates_router,
        training.finance_router,
        training.me_router,
    ):
        app.include_router(router)

    _check_operation_ids(app)
    # The member list, search and detail without FastAPI's per-request machinery (issue 9).
    serve_directly(app, *members_served_directly)
    install_openapi(app)
    install_docs(app, "/api/v1/openapi.json", "UnionHub API")
    if settings.frontend_dist:
        mount_spa(app, Path(settings.frontend_dist))
    return app


def _check_operation_ids(app: FastAPI) -> None:
    """Stable, unique operation ids keep the generated client's names from churning."""
    seen: set[str] = set()
    # Included routers are nested nodes in app.routes; iter_route_contexts flattens them.
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        if not ctx.operation_id:
            raise RuntimeError(f"route {ctx.path} has no operation_id")
        if ctx.operation_id in seen:
            raise RuntimeError(f"duplicate operation_id {ctx.operation_id}")
        seen.add(ctx.operation_id)


app = create_app()
