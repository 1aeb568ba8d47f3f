"""Tests run on a real PostgreSQL database built by the migrations; each test is rolled back.

DATABASE_URL names the test database (the Makefile points it at `unionhub_test`); it is
dropped and rebuilt with `alembic upgrade head` once per run. Under pytest-xdist (`make
test-backend` runs `-n auto`) each worker has a database of its own, the name plus the
worker's id (`unionhub_test_gw0`, ...), set here before anything reads the settings: the
tests' own throwaway databases (`<name>_migrations`, `<name>_replicas`, ...) follow it.
"""

import os
import re

os.environ.setdefault("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/unionhub_test")
# A pytest-xdist worker (`gw0`, `gw1`, ...) appends its id to the database's name.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["DATABASE_URL"] = re.sub(
        r"(?<=/)([^/?]+)(?=\?|$)", rf"\1_{worker}", os.environ["DATABASE_URL"], count=1
    )
os.environ["ENVIRONMENT"] = "test"
os.environ["ARGON2_TIME_COST"] = "1"
os.environ["ARGON2_MEMORY_KIB"] = "1024"
os.environ["ARGON2_PARALLELISM"] = "1"
os.environ["LOG_LEVEL"] = "WARNING"

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    create_async_engine,
)

from tests.factories import Factory
from unionhub.core.config import get_settings
from unionhub.core.db import CommitFirst, get_session
from unionhub.imports import convert_pool
from unionhub.main import create_app

BACKEND = Path(__file__).resolve().parents[1]


async def _recreate_database(url: str, create: bool = True) -> None:
    u = make_url(url)
    assert u.database and "test" in u.database, f"refusing to wipe non-test database {u.database}"
    conn = await asyncpg.connect(
        user=u.username or "postgres",
        password=u.password,
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        database="postgres",
    )
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{u.database}' AND pid <> pg_backend_pid()"
        )
        await conn.execute(f'DROP DATABASE IF EXISTS "{u.database}"')
        if create:
            await conn.execute(f'CREATE DATABASE "{u.database}"')
    finally:
        await conn.close()


@pytest.fixture(scope="session", autouse=True)
def _no_helper_left() -> Iterator[None]:
    """The imports' conversion helper (imports.convert_pool) ends with the session: a
    pytest-xdist worker ends with `os._exit`, which left it running after `make test`."""
    yield
    convert_pool.shutdown()


@pytest.fixture(scope="session")
def database_url() -> str:
    url = get_settings().database_url
    asyncio.run(_recreate_database(url))
    cfg = Config(str(BACKEND / "alembic.ini"))
    command.upgrade(cfg, "head")
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_async_engine(database_url, pool_size=5)
    yield eng
    await eng.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection per test, inside a transaction that is rolled back afterwards."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            await trans.rollback()


def _session_on(conn: AsyncConnection) -> AsyncSession:
    # Commits and rollbacks become savepoint releases and rollbacks inside the test transaction.
    return AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
async def db(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """The session factories and assertions use; requests get sessions of their own."""
    session = _session_on(connection)
    try:
        yield session
    finally:
        await session.close()


@pytest.fixture(scope="session")
def app():  # type: ignore[no-untyped-def]
    return create_app()


@asynccontextmanager
async def client_for(
    app: FastAPI, db: AsyncSession, connection: AsyncConnection
) -> AsyncIterator[AsyncClient]:
    """An HTTP client on `app` whose requests share the test's rolled-back transaction."""

    async def _session() -> AsyncIterator[AsyncSession]:
        await db.flush()
        async with _session_on(connection) as session:
            try:
                yield session
                await session.commit()
            except CommitFirst:
                await session.commit()
                raise
            except BaseException:
                await session.rollback()
                raise

    app.dependency_overrides[get_session] = _session
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as c:
            yield c
    finally:
        app.dependency_overrides.clear()


@pytest.fixture
async def client(app, db: AsyncSession, connection: AsyncConnection) -> AsyncIterator[AsyncClient]:  # type: ignore[no-untyped-def]
    async with client_for(app, db, connection) as c:
        yield c


@pytest.fixture
def factory(db: AsyncSession, client: AsyncClient) -> Factory:
    return Factory(db, client)


# The files that take a minute or so (servers or databases of their own, a province built, the
# demo loaded), handed out first: `--dist loadfile` gives the workers files in the order they
# were collected, and one of these left to the end kept one worker busy two minutes after the
# other had finished. The order of everything else is kept.
_LONG_FIRST = (
    "tests/test_replicas.py",
    "tests/test_integration_e2e.py",
    "tests/imports/test_export_live.py",
    "tests/indicators/test_compute_many.py",
    "tests/programmes/test_progress_batched.py",
    "tests/demo/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, p in enumerate(_LONG_FIRST) if path.startswith(p)), len(_LONG_FIRST))

    items.sort(key=rank)
