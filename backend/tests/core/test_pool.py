"""An exhausted connection pool: requests answer 503 with Retry-After, /readyz still answers."""

import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from unionhub.core import db as core_db
from unionhub.core.security import create_token
from unionhub.main import create_app


@pytest.fixture
async def tiny_pool(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[AsyncEngine]:
    """The application's engine replaced by one with a single connection and a short wait."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=0.3)
    monkeypatch.setattr(core_db, "_engine", engine)
    monkeypatch.setattr(core_db, "_sessionmaker", async_sessionmaker(engine))
    yield engine
    await engine.dispose()


async def test_pool_timeout_answers_503_with_retry_after(tiny_pool: AsyncEngine) -> None:
    app = create_app()  # no session override: requests use the application's pool
    token, _, _ = create_token(
        subject=uuid.uuid4(),
        token_type="access",
        session_id=uuid.uuid4(),
        ttl=timedelta(minutes=5),
    )
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        tiny_pool.connect() as held,
        AsyncClient(transport=transport, base_url="http://test") as c,
    ):
        await held.exec_driver_sql("SELECT 1")  # the only connection is taken
        r = await c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 503, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "service_busy"
        assert int(r.headers["retry-after"]) > 0

        # the readiness probe does not queue behind the pool: the database is up, only busy
        started = time.perf_counter()
        r = await c.get("/readyz")
        assert r.status_code == 200 and r.json()["database"] == "ok"
        assert time.perf_counter() - started < 2


async def test_readyz_reports_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from unionhub.core.config import get_settings

    await core_db.dispose_engine()
    monkeypatch.setattr(
        get_settings(), "database_url", "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    )
    try:
        ok = await core_db.database_answers(limit_seconds=1)
    finally:
        await core_db.dispose_engine()
    assert ok is False


async def test_an_unreachable_database_answers_503_not_500(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    monkeypatch.setattr(core_db, "_engine", down)
    monkeypatch.setattr(core_db, "_sessionmaker", async_sessionmaker(down))
    token, _, _ = create_token(
        subject=uuid.uuid4(), token_type="access", session_id=uuid.uuid4(), ttl=timedelta(minutes=5)
    )
    transport = ASGITransport(app=create_app(), raise_app_exceptions=False)
    try:
        async with AsyncClient(transport=transport, base_url="http://test") as c:
            r = await c.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    finally:
        await down.dispose()
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_unavailable"
    assert int(r.headers["retry-after"]) > 0


class _Overloaded(Exception):
    sqlstate = "53300"  # too_many_connections


async def test_database_out_of_connections_answers_503() -> None:
    from fastapi import APIRouter
    from sqlalchemy.exc import DBAPIError

    app = create_app()
    router = APIRouter()

    @router.get("/api/v1/_test/overloaded")
    async def overloaded() -> None:
        raise DBAPIError("SELECT 1", None, _Overloaded())

    app.include_router(router)
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as c:
        r = await c.get("/api/v1/_test/overloaded")
    assert r.status_code == 503, r.text
    assert r.json()["code"] == "service_unavailable"
    assert "retry-after" in r.headers


async def test_a_connection_left_inside_a_transaction_nobody_owns_is_replaced(
    database_url: str,
) -> None:
    """A cancel racing asyncpg's BEGIN leaves the server in a transaction SQLAlchemy never
    started; the pool must not hand that connection to the next request."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    event.listen(engine.sync_engine, "checkout", core_db._replace_closed)
    try:
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            stuck = raw.driver_connection
            assert stuck is not None
            await stuck.execute("BEGIN")  # what the race leaves behind
        # the same single-connection pool serves the next request
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not stuck
        assert stuck.is_closed()
    finally:
        await engine.dispose()
