"""File jobs: start one (within the caller's cap), follow it, download it; the worker's build.

The generic half of every file a worker builds (issue 8: large exports; reports next). A
cross-domain module with a file to offer brings the other half:

- a `Builder`: given a session, the principal and the job's params, it writes the file (and
  its audit entry) and returns it with its row count;
- a queue task that calls `build(job_id, its_builder)`;
- an endpoint that checks what it must and calls `start(..., task=<that task>)`.

Everything else is here: the record the web app polls (GET /file-jobs/{id}), the per-user cap
(MAX_ACTIVE files queued or building; 429 past it), the download (only by whoever asked for
it), failures recorded on the job, and expiry (KEEP after it is ready; files.tasks sweeps).
A build whose worker died is run again by the queue (core.queue.recover_stalled): a build
writes nothing but its own job row, so running it twice is harmless.
"""

import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO, Any, Protocol

from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth.repository import load_actor
from unionhub.authz.principal import Principal
from unionhub.core import queue
from unionhub.core.db import work_sessions
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, NotFound, TooManyRequests
from unionhub.files.models import FileJob, FileJobStatus

log = logging.getLogger("unionhub.files")

S = FileJobStatus
# Files one user may have queued or building at once (the direct exports have their own
# slots, imports.export); a ready file no longer counts.
MAX_ACTIVE = 2
RETRY_AFTER_SECONDS = 30
KEEP = timedelta(hours=24)
RETRYABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError, ConnectionError)


@dataclass
class Built:
    """A built file (an open binary file, read from its start) and how many rows it holds."""

    file: IO[bytes]
    rows: int


class Builder(Protocol):
    async def __call__(
        self, session: AsyncSession, principal: Principal, params: dict[str, Any]
    ) -> Built: ...


def lock_of(job_id: uuid.UUID) -> str:
    return f"file:{job_id}"


async def start(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str,
    task: str,
    params: dict[str, Any],
    file_name: str,
    media_type: str,
) -> FileJob:
    """Record a file job for the caller and queue its build (429 past the caller's cap)."""
    if principal.user_id is None:
        raise Conflict(
            "Only a signed-in user can ask for a file.", code=ErrorCode.PERMISSION_DENIED
        )
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"file-jobs:{principal.user_id}"},
    )
    active = await session.scalar(
        select(func.count()).where(
            FileJob.created_by == principal.user_id,
            FileJob.status.in_([S.QUEUED.value, S.BUILDING.value]),
        )
    )
    if (active or 0) >= MAX_ACTIVE:
        raise TooManyRequests(
            f"You already have {MAX_ACTIVE} files being prepared; wait until one is ready.",
            code=ErrorCode.TOO_MANY_EXPORTS,
            params={"max": MAX_ACTIVE, "retry_after": RETRY_AFTER_SECONDS},
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            extra={"retry_after": RETRY_AFTER_SECONDS},
        )
    job = FileJob(
        kind=kind,
        task=task,
        status=S.QUEUED.value,
        params=params,
        file_name=file_name,
        media_type=media_type,
        created_by=principal.user_id,
        expires_at=datetime.now(UTC) + KEEP,
    )
    session.add(job)
    await session.flush()
    # Committed before it is queued: a worker may take it at once and must find it.
    await session.commit()
    try:
        await queue.defer(task, lock=lock_of(job.id), job_id=str(job.id))
    except Exception:
        # The queue is unreachable: the job must not wait for ever (nor count against the cap).
        log.exception("could not queue file job %s", job.id)
        job.status = S.FAILED.value
        job.error = {"code": ErrorCode.FILE_BUILD_FAILED.value, "message": "Could not queue it."}
        job.finished_at = datetime.now(UTC)
        await session.flush()
    return job


async def get(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> FileJob:
    """The caller's own file job (anyone else's answers 404: a file is for who asked for it)."""
    job = await session.scalar(
        select(FileJob).where(FileJob.id == job_id, FileJob.created_by == principal.user_id)
    )
    if job is None:
        raise NotFound("No file with this id.", code=ErrorCode.FILE_JOB_NOT_FOUND)
    return job


# A download is read from the database in slices of this size, each in a short session of its
# own, so a file in flight costs the web process one slice of memory and holds no connection or
# transaction while a slow client reads (issue 8: nothing waits on the client with a transaction
# open). The file is immutable once ready; a sweep that removes it mid-download ends the stream.
CHUNK = 1024 * 1024


@dataclass
class Download:
    """A ready file to send: its name, type and exact size, and its content as slices."""

    job_id: uuid.UUID
    file_name: str
    media_type: str
    size: int

    async def chunks(self) -> AsyncIterator[bytes]:
        sessions = work_sessions()
        sent = 0
        while sent < self.size:
            async with sessions() as s:
                piece = await s.scalar(
                    select(func.substring(FileJob.content, sent + 1, CHUNK)).where(
                        FileJob.id == self.job_id
                    )
                )
            if not piece:
                # Removed by the sweep while being sent: stop short (the client sees a
                # truncated body against Content-Length, never someone else's bytes).
                log.warning("file job %s vanished during its download", self.job_id)
                return
            sent += len(piece)
            yield bytes(piece)


async def download(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> Download:
    """The caller's ready file, to be streamed (its content is not loaded here)."""
    job = await get(session, principal, job_id)
    if job.status != S.READY.value:
        raise Conflict(f"The file is {job.status}, not ready.", code=ErrorCode.FILE_NOT_READY)
    size = await session.scalar(
        select(func.octet_length(FileJob.content)).where(FileJob.id == job.id)
    )
    if size is None:
        raise NotFound("The file has expired.", code=ErrorCode.FILE_JOB_NOT_FOUND)
    return Download(job.id, job.file_name, job.media_type, size)


def _read(fh: IO[bytes]) -> bytes:
    try:
        fh.seek(0)
        return fh.read()
    finally:
        fh.close()


async def build(job_id: uuid.UUID, builder: Builder) -> None:
    """The queued build of a file job (a worker's task)."""
    sessions: Callable[[], AsyncSession] = work_sessions()
    async with sessions() as s:
        job = await s.get(FileJob, job_id, with_for_update=True)
        if job is None or job.status not in (S.QUEUED.value, S.BUILDING.value):
            return
        job.status = S.BUILDING.value
        params, user_id = dict(job.params), job.created_by
        await s.commit()
    try:
        async with sessions() as s:
            principal = await load_actor(s, user_id)
            if principal is None:
                await _fail(
                    sessions, job_id, ErrorCode.PERMISSION_DENIED, "The account was deactivated."
                )
                return
            built = await builder(s, principal, params)
            data = await run_in_threadpool(_read, built.file)
            job = await s.get(FileJob, job_id, with_for_update=True)
            if job is None or job.status != S.BUILDING.value:
                await s.rollback()
                return
            job.content = data
            job.size = len(data)
            job.rows = built.rows
            job.status = S.READY.value
            job.finished_at = datetime.now(UTC)
            job.expires_at = datetime.now(UTC) + KEEP
            await s.commit()
    except RETRYABLE:
        raise
    except Exception:
        log.exception("file job %s failed", job_id)
        await _fail(sessions, job_id, ErrorCode.FILE_BUILD_FAILED, "The file could not be built.")
        raise


async def _fail(
    sessions: Callable[[], AsyncSession], job_id: uuid.UUID, code: ErrorCode, message: str
) -> None:
    async with sessions() as s:
        job = await s.get(FileJob, job_id, with_for_update=True)
        if job is not None and job.status in (S.QUEUED.value, S.BUILDING.value):
            job.status = S.FAILED.value
            job.error = {"code": code.value, "message": message}
            job.finished_at = datetime.now(UTC)
        await s.commit()


async def sweep(session: AsyncSession) -> int:
    """Drop expired files (their record and content); returns how many."""
    result = await session.execute(delete(FileJob).where(FileJob.expires_at < func.now()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
