"""The job runner of these tests: the production runner, with sessions on the test connection.

The test's data lives in one uncommitted transaction, so background work must use that
connection too; it opens savepoint sessions on it exactly as requests do. Tests call
`runner.drain()` after a request that starts background work, before touching the database
again (one connection cannot run two statements at once).
"""

from collections.abc import AsyncIterator

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import _session_on
from unionhub.imports.jobs import JobRunner, get_job_runner


@pytest.fixture
async def runner(app, client: AsyncClient, connection: AsyncConnection) -> AsyncIterator[JobRunner]:  # type: ignore[no-untyped-def]
    job_runner = JobRunner(session_factory=lambda: _session_on(connection))
    app.dependency_overrides[get_job_runner] = lambda: job_runner
    yield job_runner
    await job_runner.drain()
