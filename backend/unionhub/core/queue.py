"""The job queue: procrastinate, on the application's own PostgreSQL.

Background work (imports today; large exports, reports, webhook deliveries and reminders
next) is deferred as procrastinate jobs and run by `unionhub worker` processes, any number of
them on any machine that reaches the database. The web process only defers: a job survives the
process that deferred it, and a worker that dies mid-job is noticed by the others through its
missing heartbeat (`recover_stalled`, a periodic task every worker runs).

procrastinate keeps its own tables (`procrastinate_*`); the Alembic revision
`procrastinate_queue` creates them from the installed version's schema, which is why the
version is pinned to one minor release: an upgrade comes with a new revision applying its
migrations.

The modules with tasks are listed in TASK_MODULES; the worker imports them. Code that defers
names the task (`defer("imports.validate", ...)`), so it needs no import of the task module.
"""

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

import procrastinate
import psycopg_pool
from procrastinate import exceptions as queue_errors
from sqlalchemy.engine import make_url

from unionhub.core.config import get_settings
from unionhub.core.db import dispose_engine

log = logging.getLogger("unionhub.queue")

TASK_MODULES = [
    "unionhub.imports.tasks",
    "unionhub.changes.tasks",
    "unionhub.changes.webhook_tasks",
    "unionhub.files.tasks",
    "unionhub.reports.tasks",
    "unionhub.members.tasks",
]
# A worker writes its heartbeat every WORKER_HEARTBEAT_SECONDS (5 s); one silent for
# WORKER_STALLED_SECONDS (20 s) is taken for dead and its jobs are handed to the others (see
# recover_stalled).


def conninfo(database_url: str) -> str:
    """The libpq connection string of the application's database URL (any SQLAlchemy driver)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _connector() -> procrastinate.PsycopgConnector:
    settings = get_settings()
    return procrastinate.PsycopgConnector(
        conninfo=conninfo(settings.database_url),
        min_size=1,
        max_size=settings.queue_pool_size,
        kwargs={"application_name": "unionhub-queue"},
    )


queue = procrastinate.App(connector=_connector(), import_paths=TASK_MODULES)

# The connector whose pool this process opened (tests swap in another connector).
_opened: object | None = None
_open_lock = asyncio.Lock()


async def ensure_open() -> None:
    """Open the queue's connection pool once per process (the web process opens it when it
    first defers a job)."""
    global _opened
    if _opened is queue.connector:
        return
    async with _open_lock:
        if _opened is not queue.connector:
            await queue.open_async()
            _opened = queue.connector


async def close() -> None:
    global _opened
    if _opened is queue.connector:
        await queue.close_async()
    _opened = None


AlreadyQueued = queue_errors.AlreadyEnqueued


async def defer(
    task: str, *, lock: str, delay_seconds: int | None = None, **kwargs: Any
) -> int | None:
    """Queue `task` with `kwargs`; at most one waiting job per `lock`, one running per `lock`.

    Returns the job id, or None when the same work is already waiting (deferring twice is
    harmless: the second would find nothing to do).
    """
    await ensure_open()
    try:
        options: dict[str, Any] = {"lock": lock, "queueing_lock": lock}
        if delay_seconds:
            options["schedule_in"] = {"seconds": delay_seconds}
        job_id: int = await queue.configure_task(task, **options).defer_async(**kwargs)
    except AlreadyQueued:
        return None
    return job_id


async def run_worker(
    *,
    concurrency: int = 1,
    queues: Iterable[str] = (),
    name: str = "worker",
    wait: bool = True,
) -> None:
    """Run a worker until SIGINT/SIGTERM (or, with wait=False, until the queue is empty).

    On SIGTERM the running jobs are given `shutdown_graceful_timeout` to finish; a job cut
    short rolls back (every job writes in one transaction) and is picked up again.
    """
    global _opened
    # Its own pool, sized for its jobs: one connection each, one listening for new jobs, one
    # for the heartbeat and one spare for the periodic deferrer.
    settings = get_settings()
    pool = psycopg_pool.AsyncConnectionPool(
        conninfo(settings.database_url),
        min_size=1,
        max_size=concurrency + 3,
        open=False,
        kwargs={"application_name": f"unionhub-{name}"},
        check=psycopg_pool.AsyncConnectionPool.check_connection,
    )
    await pool.open(wait=True)
    await queue.open_async(pool)
    _opened = queue.connector
    try:
        options: dict[str, Any] = {"queues": list(queues)} if queues else {}
        await queue.run_worker_async(
            **options,
            concurrency=concurrency,
            name=name,
            wait=wait,
            update_heartbeat_interval=settings.worker_heartbeat_seconds,
            stalled_worker_timeout=settings.worker_stalled_seconds,
            shutdown_graceful_timeout=settings.worker_shutdown_seconds,
            install_signal_handlers=True,
            delete_jobs="successful",
        )
    finally:
        await close()
        await pool.close()
        await dispose_engine()


# A job whose worker died is run again this many times in all; then it is failed, and the
# domain's own recovery gives its record a final state (a file that kills every worker
# reading it must not kill them forever).
MAX_STALLED_RUNS = 3


@queue.periodic(cron="* * * * * */10", periodic_id="recover-stalled")
@queue.task(name="queue.recover_stalled", queueing_lock="queue.recover_stalled", pass_context=False)
async def recover_stalled(timestamp: int) -> None:
    """Every 10 s on some worker: jobs left running by a worker that stopped sending its
    heartbeat go back to the queue (or, after MAX_STALLED_RUNS, are failed)."""
    await recover_stalled_jobs()


async def recover_stalled_jobs() -> list[int]:
    """Hand the jobs of dead workers back to the queue; returns the ids of those it failed."""
    manager = queue.job_manager
    failed: list[int] = []
    stalled = get_settings().worker_stalled_seconds
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled):
        assert job.id is not None
        if job.attempts + 1 < MAX_STALLED_RUNS:
            log.warning("job %s (%s): its worker died; running it again", job.id, job.task_name)
            await manager.retry_job(job)
        else:
            log.error(
                "job %s (%s): its worker died %d times; failed",
                job.id,
                job.task_name,
                job.attempts + 1,
            )
            await manager.finish_job(job, status=procrastinate.jobs.Status.FAILED, delete_job=False)
            failed.append(job.id)
    return failed
