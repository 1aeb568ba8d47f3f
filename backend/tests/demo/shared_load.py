"""One demo load shared by the tests of a module, each test rolled back to it."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tests.conftest import _session_on
from unionhub_dev.demo.generator import load_demo


def demo_loaded_once(seed: int, scale: float) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The fixtures `loaded, connection = demo_loaded_once(SEED, SCALE)` for a module: the demo
    is loaded once (an outer transaction, rolled back after the module's last test) and each
    test runs in a savepoint rolled back after it, so it sees the load as it was written. A
    test that needs an empty database belongs in another module."""

    @pytest.fixture(scope="module")
    async def loaded(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
        async with engine.connect() as conn:
            outer = await conn.begin()
            session = _session_on(conn)
            try:
                await load_demo(seed, scale, session=session)
                await session.commit()  # a savepoint released: the outer transaction keeps it
                await session.close()
                yield conn
            finally:
                await outer.rollback()

    @pytest.fixture
    async def connection(loaded: AsyncConnection) -> AsyncIterator[AsyncConnection]:
        test = await loaded.begin_nested()
        try:
            yield loaded
        finally:
            await test.rollback()

    return loaded, connection
