"""Import jobs whose background work was lost get a final state, or their work queued again.

The queue itself hands the job of a dead worker to another one (core.queue.recover_stalled).
What it cannot see is an import whose work is queued nowhere: never queued (the web process
died between committing the job and queueing it, or the queue was unreachable), or failed in
the queue after its retries (a worker killed again and again, the database gone for long).
Such an import, validating or committing with no sign of life for SILENT_SECONDS and nothing
waiting or running for it, is queued again once; after that it ends:

- a validation ends `failed` with the error `import_interrupted` (upload the file again);
- a commit goes back to `validated` with `result.commit_refused = "interrupted"`: nothing of
  it was written (the commit is one transaction), and the officer can commit again.
"""

import logging
import uuid
from datetime import UTC, datetime, timedelta

from procrastinate.jobs import Status as QueueStatus
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit, queue
from unionhub.core.error_codes import ErrorCode
from unionhub.imports import jobs
from unionhub.imports import repository as repo
from unionhub.imports.models import ImportStatus
from unionhub.imports.rows import file_error

log = logging.getLogger("unionhub.imports")

S = ImportStatus
SILENT_SECONDS = 60.0
TASK_OF = {S.VALIDATING.value: "imports.validate", S.COMMITTING.value: "imports.commit"}
_LIVE = {QueueStatus.TODO.value, QueueStatus.DOING.value}

INTERRUPTED = file_error(
    ErrorCode.IMPORT_INTERRUPTED,
    "Checking the file was interrupted (the server stopped) and could not be resumed; "
    "nothing was imported. Upload the file again.",
)


async def recover(now: datetime | None = None) -> dict[str, list[uuid.UUID]]:
    """One pass; returns the ids it queued again and those it ended."""
    now = now or datetime.now(UTC)
    sessions = jobs.sessions()
    done: dict[str, list[uuid.UUID]] = {"requeued": [], "ended": []}
    async with sessions() as session:
        silent = await repo.silent_running(session, now - timedelta(seconds=SILENT_SECONDS))
    for job_id, status in silent:
        runs = list(await queue.queue.job_manager.list_jobs_async(lock=jobs.lock_of(job_id)))
        if any(run.status in _LIVE for run in runs):
            continue
        if not runs:
            log.warning("import job %s was %s with nothing queued; queueing it", job_id, status)
            async with sessions() as session:
                if await repo.touch_running(session, job_id, status):
                    await session.commit()
                    await queue.defer(
                        TASK_OF[status], lock=jobs.lock_of(job_id), job_id=str(job_id)
                    )
                    done["requeued"].append(job_id)
            continue
        async with sessions() as session:
            if await _end(session, job_id, status):
                await session.commit()
                done["ended"].append(job_id)
    return done


async def _queue(job_id: uuid.UUID, status: str) -> None:
    await queue.defer(TASK_OF[status], lock=jobs.lock_of(job_id), job_id=str(job_id))


async def _end(session: AsyncSession, job_id: uuid.UUID, status: str) -> bool:
    job = await repo.lock_running(session, job_id, status)
    if job is None:
        return False
    log.error("import job %s: its %s was lost; ending it", job_id, status)
    if status == S.VALIDATING.value:
        job.status = S.FAILED.value
        job.errors = [INTERRUPTED]
        job.error_count = 1
        job.finished_at = datetime.now(UTC)
    else:
        job.status = S.VALIDATED.value
        job.done_rows = job.valid_rows
        job.result = {**job.result, "commit_refused": "interrupted"}
    await audit.record(
        session,
        Principal.system_actor("worker"),
        "import.interrupted",
        "import_job",
        job.id,
        union_id=job.union_id,
        before={"status": status},
        after={"status": job.status},
    )
    await session.flush()
    return True
