"""The queue task of reports (run by `unionhub worker`): a report's file."""

import uuid

from procrastinate import RetryStrategy

from unionhub.core.queue import queue
from unionhub.files import service as files
from unionhub.reports import exports

RETRY = RetryStrategy(max_attempts=3, wait=10, retry_exceptions=set(files.RETRYABLE))


@queue.task(name=exports.TASK, queue="files", retry=RETRY)
async def export_report_file(job_id: str) -> None:
    await files.build(uuid.UUID(job_id), exports.build)
