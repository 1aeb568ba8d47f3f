"""The queue tasks of imports (run by `unionhub worker`; deferred by imports.service)."""

import logging
import uuid

from procrastinate import RetryStrategy

from unionhub.core.queue import queue
from unionhub.files import service as files
from unionhub.imports import export_jobs, recovery, service

# Only a lost database is worth another try (nothing was written); the work records every
# other failure on the job itself.
log = logging.getLogger("unionhub.imports")

RETRY = RetryStrategy(max_attempts=3, wait=10, retry_exceptions=set(service.RETRYABLE))
FILE_RETRY = RetryStrategy(max_attempts=3, wait=10, retry_exceptions=set(files.RETRYABLE))


@queue.task(name=service.VALIDATE_TASK, queue="imports", retry=RETRY)
async def validate_import(job_id: str) -> None:
    log.info("task %s started for import job %s", service.VALIDATE_TASK, job_id)
    await service.run_validation(uuid.UUID(job_id))


@queue.task(name=service.COMMIT_TASK, queue="imports", retry=RETRY)
async def commit_import(job_id: str) -> None:
    log.info("task %s started for import job %s", service.COMMIT_TASK, job_id)
    await service.run_commit(uuid.UUID(job_id))


@queue.periodic(cron="* * * * * */15", periodic_id="recover-imports")
@queue.task(name="imports.recover", queueing_lock="imports.recover")
async def recover_imports(timestamp: int) -> None:
    """Every 15 s on some worker: imports whose work was lost are queued again or ended."""
    await recovery.recover()


@queue.task(name=export_jobs.MEMBERS_TASK, queue="files", retry=FILE_RETRY)
async def export_members_file(job_id: str) -> None:
    await files.build(uuid.UUID(job_id), export_jobs.build_members)


@queue.task(name=export_jobs.ENTERPRISES_TASK, queue="files", retry=FILE_RETRY)
async def export_enterprises_file(job_id: str) -> None:
    await files.build(uuid.UUID(job_id), export_jobs.build_enterprises)
