"""Background work in these tests: the production tasks, queued through procrastinate and run
by a procrastinate worker when the test says so.

The test's data lives in one uncommitted transaction on one connection, which the queue's own
connections could not see; so the queue is procrastinate's in-memory connector, and the tasks
open savepoint sessions on the test's connection (as requests do). A job queued by a request
waits until the test calls `runner.drain()`, which runs a worker until the queue is empty:
work never runs while a request uses the connection. The same tasks on the PostgreSQL queue
are exercised by tests/queue (recovery) and tests/test_replicas.py (several processes).
"""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from procrastinate.testing import InMemoryConnector
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.conftest import _session_on
from unionhub.core import queue
from unionhub.imports import jobs, spool


class QueueRunner:
    _active: "QueueRunner | None" = None

    def __init__(self, connector: InMemoryConnector) -> None:
        self.connector = connector

    @classmethod
    def active(cls) -> "QueueRunner":
        """The runner of the running test (tests.imports.helpers drains it after a 202)."""
        assert cls._active is not None, "an import test needs the `runner` fixture"
        return cls._active

    @property
    def queued(self) -> list[dict[str, Any]]:
        """The queue's jobs, as rows (task_name, args, status, lock, ...)."""
        return list(self.connector.jobs.values())

    async def drain(self) -> None:
        """Run a worker until every queued job has run."""
        await queue.queue.run_worker_async(
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            delete_jobs="successful",
        )


@pytest.fixture(autouse=True)
def private_spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's row spools in its own directory (removed by pytest), not in /tmp."""
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o700)
    monkeypatch.setattr(spool, "_directory", lambda: directory)
    return directory


@pytest.fixture
async def runner(client: AsyncClient, connection: AsyncConnection) -> AsyncIterator[QueueRunner]:
    connector = InMemoryConnector()
    with (
        queue.queue.replace_connector(connector),
        jobs.use_sessions(lambda: _session_on(connection)),
    ):
        job_runner = QueueRunner(connector)
        QueueRunner._active = job_runner
        try:
            yield job_runner
            await job_runner.drain()
        finally:
            QueueRunner._active = None
    await queue.close()
