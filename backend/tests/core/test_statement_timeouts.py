"""Time limits per kind of request: short for the web app's lists, longer for reports and
exports; a statement over its limit answers 503 busy, not 500."""

import pytest
from fastapi import APIRouter
from httpx import ASGITransport, AsyncClient
from sqlalchemy import Float, bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.core import db as core_db
from unionhub.core.db import StatementKind, fetch_driver, statement_timeout
from unionhub.main import create_app


async def test_a_report_raises_the_limit_for_its_transaction(db: AsyncSession) -> None:
    await statement_timeout(db, StatementKind.REPORT)
    assert await db.scalar(text("SHOW statement_timeout")) == "30s"
    await statement_timeout(db, StatementKind.LIST)
    assert await db.scalar(text("SHOW statement_timeout")) == "5s"


def test_the_web_app_limits_every_connection_it_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core_db, "_default_kind", None)
    custom = "force_custom_plan"
    assert "statement_timeout" not in core_db._server_settings(custom)  # workers, commands
    core_db.limit_statements_by_default(StatementKind.LIST)
    # The generic-plan pool's connections are limited as the application pool's are.
    for plans in (custom, "force_generic_plan"):
        settings = core_db._server_settings(plans)
        assert (settings["statement_timeout"], settings["jit"]) == ("5000", "off")
        assert settings["plan_cache_mode"] == plans


async def test_a_statement_over_its_limit_answers_busy(db: AsyncSession) -> None:
    app = create_app()
    router = APIRouter()

    @router.get("/api/v1/_test/slow")
    async def slow() -> None:
        # A real cancellation by the server, as a list over its limit gets.
        await db.execute(text("SET LOCAL statement_timeout = 10"))
        await db.execute(text("SELECT pg_sleep(1)"))

    app.include_router(router)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/api/v1/_test/slow")
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_busy"
    assert int(r.headers["retry-after"]) > 0


async def test_a_read_on_the_driver_over_its_limit_answers_busy_too(db: AsyncSession) -> None:
    # A built-once statement read on the driver (core.db.fetch_driver) fails as SQLAlchemy's
    # own execution would: DBAPIError with the server's code, answered 503, not 500.
    slow_stmt = select(func.pg_sleep(bindparam("seconds", type_=Float)).label("slept"))
    app = create_app()
    router = APIRouter()

    @router.get("/api/v1/_test/slow-driver")
    async def slow() -> None:
        await db.execute(text("SET LOCAL statement_timeout = 10"))
        await fetch_driver(db, slow_stmt, {"seconds": 1.0})

    app.include_router(router)
    assert len(await fetch_driver(db, slow_stmt, {"seconds": 0.0})) == 1
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/api/v1/_test/slow-driver")
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_busy"
