"""Running import work in the background, with sessions of its own.

Why a runner object behind a dependency (and not a module-level switch): the work must open
its own database sessions, because it outlives the request. Production opens them from the
application's session maker; the tests, whose data lives in one uncommitted transaction on one
connection, override `get_job_runner` with a runner whose `session_factory` opens savepoint
sessions on that connection. Everything else - the task, the progress updates, the separate
transactions for progress and for the work - is the same code in both.

Work is started from a FastAPI background task, i.e. after the request has committed, so the
job row the work loads is always visible to it.
"""

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.core.db import get_sessionmaker

log = logging.getLogger("unionhub.imports")

SessionFactory = Callable[[], AsyncSession]
Work = Callable[[SessionFactory], Awaitable[None]]


class JobRunner:
    """Runs import work as asyncio tasks; keeps them referenced until they finish."""

    def __init__(self, session_factory: SessionFactory | None = None) -> None:
        self._factory = session_factory
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}

    def session(self) -> AsyncSession:
        """A new session outside any request (the caller closes it)."""
        if self._factory is not None:
            return self._factory()
        return get_sessionmaker()()

    async def start(self, job_id: uuid.UUID, work: Work) -> None:
        """For `BackgroundTasks.add_task`: runs after the response, so after the commit."""
        self.submit(job_id, work)

    def submit(self, job_id: uuid.UUID, work: Work) -> None:
        task = asyncio.create_task(self._run(job_id, work), name=f"import-{job_id}")
        self._tasks[job_id] = task
        task.add_done_callback(lambda _t: self._tasks.pop(job_id, None))

    async def _run(self, job_id: uuid.UUID, work: Work) -> None:
        try:
            await work(self.session)
        except Exception:
            # The work marks its job failed itself; this only keeps a crash from vanishing.
            log.exception("import job %s crashed", job_id)

    def running(self, job_id: uuid.UUID) -> bool:
        return job_id in self._tasks

    async def drain(self) -> None:
        """Wait until every submitted job has finished (tests; graceful shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)


_runner: JobRunner | None = None


def get_job_runner() -> JobRunner:
    """The process-wide runner (a dependency, so tests can swap in their own)."""
    global _runner
    if _runner is None:
        _runner = JobRunner()
    return _runner
