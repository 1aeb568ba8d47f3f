"""The job runner of these tests: the production runner, with sessions on the test connection
and tasks started when the test says so.

The test's data lives in one uncommitted transaction on one connection, so background work
must use that connection too (it opens savepoint sessions on it, as requests do), and must
never run while a request uses it: a task started by a request is held until the test calls
`runner.drain()`, which then runs it as a real asyncio task and waits for it.
"""

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import _session_on
from unionhub.imports import spool
from unionhub.imports.jobs import JobRunner, Work, get_job_runner


class HeldRunner(JobRunner):
    def __init__(self, connection: AsyncConnection) -> None:
        super().__init__(session_factory=lambda: _session_on(connection))
        self.held: list[tuple[uuid.UUID, Work]] = []

    def submit(self, job_id: uuid.UUID, work: Work) -> None:
        self.held.append((job_id, work))

    async def drain(self) -> None:
        while self.held:
            job_id, work = self.held.pop(0)
            super().submit(job_id, work)
            await super().drain()


@pytest.fixture(autouse=True)
def private_spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's row spools in its own directory (removed by pytest), not in /tmp."""
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o700)
    monkeypatch.setattr(spool, "_directory", lambda: directory)
    return directory


@pytest.fixture
async def runner(
    app, client: AsyncClient, connection: AsyncConnection
) -> AsyncIterator[HeldRunner]:  # type: ignore[no-untyped-def]
    job_runner = HeldRunner(connection)
    app.dependency_overrides[get_job_runner] = lambda: job_runner
    yield job_runner
    await job_runner.drain()
