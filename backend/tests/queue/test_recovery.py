"""Import jobs on the PostgreSQL queue: a job whose worker died is run again by another
worker, and one whose work is lost for good ends in a clear state the officer can act on.

These tests commit (the queue's connections must see the jobs), so they work on rows of their
own and remove them afterwards.
"""

import hashlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.imports.helpers import member, personal_id, table, xlsx_bytes
from unionhub.core import queue
from unionhub.core.db import dispose_engine
from unionhub.imports import jobs, recovery, spool
from unionhub.imports.models import ImportJob

pytestmark = pytest.mark.asyncio(loop_scope="session")

_CLEAN_QUEUE = (
    "TRUNCATE procrastinate_jobs, procrastinate_workers, "
    "procrastinate_events, procrastinate_periodic_defers"
)


@pytest.fixture
async def sessions(
    engine: AsyncEngine, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Committing sessions on the test database, the real queue, and a clean slate after."""
    directory = tmp_path / "spool"
    directory.mkdir(mode=0o700)
    monkeypatch.setattr(spool, "_directory", lambda: directory)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    await queue.ensure_open()
    # A clean queue before, too: jobs that other tests committed (file jobs, webhook deliveries)
    # would otherwise be the ones a worker here takes first.
    async with maker() as s:
        await s.execute(text(_CLEAN_QUEUE))
        await s.commit()
    with jobs.use_sessions(maker):
        try:
            yield maker
        finally:
            async with maker() as s:
                await s.execute(delete(ImportJob))
                await s.execute(text("DELETE FROM audit_log WHERE entity_type = 'import_job'"))
                await s.execute(text(_CLEAN_QUEUE))
                await s.commit()
            await queue.close()
            await dispose_engine()


async def add_job(
    maker: async_sessionmaker[AsyncSession],
    status: str,
    *,
    commit_if_clean: bool = False,
    **values: Any,
) -> uuid.UUID:
    # A file the system actor validates to the end: one row, for a union that does not exist.
    content = xlsx_bytes(
        table([member("Nguyễn Văn A", date(1990, 1, 1), personal_id(1990, False, 1), "NO-SUCH")])
    )
    job = ImportJob(
        kind="members",
        status=status,
        file_name="a.xlsx",
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        mode="create",
        total_rows=1,
        done_rows=0,
        valid_rows=values.pop("valid_rows", 0),
        error_count=0,
        errors=[],
        result={
            "format": "xlsx",
            "encoding": None,
            **({"commit_if_clean": True} if commit_if_clean else {}),
        },
        heartbeat_at=datetime.now(UTC),
        **values,
    )
    async with maker() as s:
        s.add(job)
        await s.commit()
    return job.id


async def get(maker: async_sessionmaker[AsyncSession], job_id: uuid.UUID) -> ImportJob:
    async with maker() as s:
        job = await s.get(ImportJob, job_id)
        assert job is not None
        return job


async def start_on_a_worker_that_dies(job_id: uuid.UUID, task: str = "imports.validate") -> int:
    """Queue the job, let a worker take it, and let that worker fall silent (as kill -9 does)."""
    manager = queue.queue.job_manager
    await queue.defer(task, lock=jobs.lock_of(job_id), job_id=str(job_id))
    worker_id = await manager.register_worker()
    taken = await manager.fetch_job(queues=None, worker_id=worker_id)
    assert taken is not None and taken.status == "doing"
    await queue.queue.connector.execute_query_async(
        query="UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'"
    )
    assert taken.id is not None
    return taken.id


async def run_a_worker() -> None:
    await queue.queue.run_worker_async(
        wait=False, install_signal_handlers=False, listen_notify=False, delete_jobs="successful"
    )


async def test_a_job_whose_worker_died_is_resumed_by_another(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    job_id = await add_job(sessions, "validating")
    queued = await start_on_a_worker_that_dies(job_id)
    # The dead worker's job goes back to the queue (retried, not failed).
    assert await queue.recover_stalled_jobs() == []
    [job] = await queue.queue.job_manager.list_jobs_async(lock=jobs.lock_of(job_id))
    assert job.status == "todo" and job.attempts == 1 and job.id == queued
    await run_a_worker()
    job_row = await get(sessions, job_id)
    assert job_row.status == "validated"
    assert [e["code"] for e in job_row.errors] == ["union_not_found"]


async def test_a_one_pass_job_whose_worker_died_ends_as_its_validation(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Uploaded with commit_if_clean: its run is a validation (that may write), so a dead
    # worker's job is run again as one, on connections of its own (the checks' lookups apart).
    job_id = await add_job(sessions, "validating", commit_if_clean=True)
    await start_on_a_worker_that_dies(job_id)
    assert await queue.recover_stalled_jobs() == []
    await run_a_worker()
    job_row = await get(sessions, job_id)
    # The file has an error: nothing written, the report as a validation's.
    assert job_row.status == "validated" and job_row.result["commit_if_clean"] is True
    assert [e["code"] for e in job_row.errors] == ["union_not_found"]


async def test_a_job_that_kills_its_workers_is_given_up_with_a_reason(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    job_id = await add_job(sessions, "validating")
    for _ in range(queue.MAX_STALLED_RUNS - 1):
        await start_on_a_worker_that_dies(job_id)
        assert await queue.recover_stalled_jobs() == []
        await queue.queue.connector.execute_query_async(
            query="UPDATE procrastinate_jobs SET status = 'todo' WHERE status = 'doing'"
        )
    # The last run dies too: the queue fails the job, and the import ends with the reason.
    manager = queue.queue.job_manager
    worker_id = await manager.register_worker()
    assert await manager.fetch_job(queues=None, worker_id=worker_id) is not None
    await queue.queue.connector.execute_query_async(
        query="UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'"
    )
    assert len(await queue.recover_stalled_jobs()) == 1
    later = datetime.now(UTC) + timedelta(seconds=recovery.SILENT_SECONDS + 1)
    # Queued once by the upload, so once more, then given up.
    assert await recovery.recover(later) == {"requeued": [], "ended": [job_id]}
    job = await get(sessions, job_id)
    assert job.status == "failed"
    assert [e["code"] for e in job.errors] == ["import_interrupted"]


async def test_lost_work_is_queued_again_then_ended(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    validating = await add_job(sessions, "validating")
    committing = await add_job(sessions, "committing", valid_rows=1)
    busy = await add_job(sessions, "validating")
    await queue.defer("imports.validate", lock=jobs.lock_of(busy), job_id=str(busy))
    now = datetime.now(UTC)
    # Recently queued jobs are not lost yet.
    assert await recovery.recover(now) == {"requeued": [], "ended": []}

    # Never queued (the web process died before queueing them): queued now.
    later = now + timedelta(seconds=recovery.SILENT_SECONDS + 1)
    result = await recovery.recover(later)
    assert sorted(result["requeued"]) == sorted([validating, committing])
    assert result["ended"] == []

    # That run failed as well: the validation fails with its reason; the commit, which wrote
    # nothing, goes back to validated so that the officer can commit again.
    await queue.queue.connector.execute_query_async(
        query="UPDATE procrastinate_jobs SET status = 'failed' WHERE lock <> %(busy)s",
        busy=jobs.lock_of(busy),
    )
    result = await recovery.recover(later + timedelta(seconds=recovery.SILENT_SECONDS + 1))
    assert sorted(result["ended"]) == sorted([validating, committing])
    assert (await get(sessions, validating)).status == "failed"
    job = await get(sessions, committing)
    assert job.status == "validated" and job.result["commit_refused"] == "interrupted"
    # The job whose run is still waiting in the queue is left alone throughout.
    assert (await get(sessions, busy)).status == "validating"
