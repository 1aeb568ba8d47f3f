"""Import jobs: upload, validation, commit, cancel.

Every validation and every commit runs on the queue (core.queue), in a `unionhub worker`
process (imports.tasks) that has a memory limit (WORKER_MEMORY_MB) and gives each validation
a time limit; the web process only records the job and defers its work, so no file, however
crafted, is parsed where other users' requests are answered (issue 8). The web app polls
GET /imports/{id} for progress; a worker hears of a new job at once (LISTEN/NOTIFY), so a
small file's report is there within a poll or two. Every write happens in one transaction:
the commit pass writes all its rows in the work session, so a failure part-way - an error, a
killed worker - leaves nothing behind, and the pass can simply run again (imports.recovery).
"""

import hashlib
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit, queue
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import AppError, Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.pagination import Page, PageParams
from unionhub.core.text import clean_text
from unionhub.imports import engine, evaluation_import, jobs, spool, training_roster_import
from unionhub.imports import repository as repo
from unionhub.imports.engine import RowsInvalid
from unionhub.imports.enterprises_import import EnterprisesImporter
from unionhub.imports.jobs import SessionFactory
from unionhub.imports.members_import import MembersImporter
from unionhub.imports.models import ImportJob, ImportKind, ImportStatus
from unionhub.imports.readers import Sniffed, estimate_rows, sniff
from unionhub.imports.rows import (
    Cancelled,
    FileProblem,
    Importer,
    Progress,
    WritesWhileChecking,
    file_error,
)
from unionhub.imports.schemas import ImportJobSummary
from unionhub.imports.sheet_import import SheetKind

log = logging.getLogger("unionhub.imports")

S = ImportStatus
# Progress (and the heartbeat, and the check for a cancel) is recorded after at least this many
# rows and this many seconds since the last record. Each record is a short transaction the pass
# waits for: one per 1,000 rows was 100 per 100,000-row validation, 4.1 s of its 21.9 s at load
# average 8 (docs/benchmarks.md); twice a second is as often as anyone watching can tell.
PROGRESS_EVERY = 1_000
PROGRESS_SECONDS = 0.5

# The job's `result` key of an upload that asked its validation to commit a clean file.
COMMIT_IF_CLEAN = "commit_if_clean"

VALIDATE_TASK = "imports.validate"
COMMIT_TASK = "imports.commit"
# The database went away under the work (a restart, a failover): nothing was written, and the
# queue runs the task again a little later instead of failing the import.
RETRYABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError, ConnectionError)


# The sheets of one record (a course's roster, a round's results): see imports.sheet_import.
SHEETS: dict[str, SheetKind] = {
    k.kind: k for k in (training_roster_import.SHEET, evaluation_import.SHEET)
}


def importer_for(kind: str) -> Importer:
    """A register's importer (a sheet's needs its record: `importer_of`)."""
    if kind == ImportKind.MEMBERS.value:
        return MembersImporter()
    return EnterprisesImporter()


def permission_of(kind: str) -> Permission:
    sheet = SHEETS.get(kind)
    return sheet.permission if sheet else importer_for(kind).permission


async def importer_of(
    session: AsyncSession, principal: Principal, job: ImportJob, *, committing: bool = False
) -> Importer:
    """The job's importer; a sheet's is loaded for its record (which may answer 404, 403 or
    409 by now: the course was cancelled, the round published)."""
    sheet = SHEETS.get(job.kind)
    if sheet is None:
        return importer_for(job.kind)
    assert job.target_id is not None
    loaded = await sheet.load(session, principal, job.target_id, job.file_name, committing)
    return loaded.importer


def acting_union(principal: Principal, permission: Permission) -> uuid.UUID | None:
    """The highest union where the caller holds `permission`: who else may follow the job."""
    held = [a for a in principal.assignments if a.union_path in principal.paths_with(permission)]
    if not held:
        return None
    return min(held, key=lambda a: a.union_path.count(".")).union_id


def sniffed_of(job: ImportJob) -> Sniffed:
    result = job.result or {}
    return Sniffed(
        result.get("format", "xlsx"),
        result.get("encoding"),
        result.get("sheet"),
        tuple(result.get("sheets") or ()),
    )


async def create_job(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str,
    mode: str,
    file_name: str,
    content: bytes,
    sheet: str | None = None,
    target_id: uuid.UUID | None = None,
    union_id: uuid.UUID | None = None,
    commit_if_clean: bool = False,
) -> ImportJob:
    """Check the upload and record the job (status validating); the caller validates it. A
    sheet import names its record (`target_id`) and the record's union (`union_id`). With
    `commit_if_clean` the validation also writes the rows, kept if no row has an error."""
    permission = permission_of(kind)
    if not principal.has(permission):
        raise Forbidden(
            f"Your role does not include the permission {permission.value}.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    if commit_if_clean and not isinstance(importer_for(kind), WritesWhileChecking):
        raise Unprocessable(
            "commit_if_clean",
            ErrorCode.INVALID_CHOICE,
            "Only a members import can be committed by its validation; upload with "
            "commit_if_clean=false and commit the validated import.",
            params={"expected": "false"},
        )
    sniffed = sniff(content, file_name, sheet)
    spool.sweep()
    name = clean_text(file_name.replace("\\", "/").rsplit("/", 1)[-1])[:255] or "upload"
    job = ImportJob(
        kind=kind,
        status=S.VALIDATING.value,
        file_name=name,
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        mode=mode,
        total_rows=estimate_rows(content, sniffed),
        done_rows=0,
        valid_rows=0,
        error_count=0,
        errors=[],
        result={
            "format": sniffed.format,
            "encoding": sniffed.encoding,
            "sheet": sniffed.sheet,
            "sheets": list(sniffed.sheets),
            **({COMMIT_IF_CLEAN: True} if commit_if_clean else {}),
        },
        target_id=target_id,
        union_id=union_id or acting_union(principal, permission),
        created_by=None if principal.system else principal.user_id,
        heartbeat_at=datetime.now(UTC),
    )
    session.add(job)
    await session.flush()
    await audit.record(
        session,
        principal,
        "import.create",
        "import_job",
        job.id,
        union_id=job.union_id,
        after={
            "kind": kind,
            "mode": mode,
            "file_name": name,
            "file_sha256": job.file_sha256,
            **({"target_id": str(target_id)} if target_id else {}),
            **({COMMIT_IF_CLEAN: True} if commit_if_clean else {}),
        },
    )
    return job


async def upload(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str,
    mode: str,
    file_name: str,
    content: bytes,
    sheet: str | None = None,
    commit_if_clean: bool = False,
) -> ImportJob:
    """Record an upload and queue its validation for a worker (which also commits a clean
    file when `commit_if_clean`: docs/adr/0015)."""
    job = await create_job(
        session,
        principal,
        kind=kind,
        mode=mode,
        file_name=file_name,
        content=content,
        sheet=sheet,
        commit_if_clean=commit_if_clean,
    )
    await _enqueue(session, job, VALIDATE_TASK)
    return job


async def upload_sheet(
    session: AsyncSession,
    principal: Principal,
    kind: str,
    target_id: uuid.UUID,
    *,
    file_name: str,
    content: bytes,
) -> ImportJob:
    """Record a sheet for a record (a course's roster, a round's results) and queue its dry
    run; the record is checked first (404, 403, 409 at once, not in the report)."""
    loaded = await SHEETS[kind].load(session, principal, target_id, file_name, False)
    job = await create_job(
        session,
        principal,
        kind=kind,
        mode="update",
        file_name=file_name,
        content=content,
        target_id=target_id,
        union_id=loaded.union_id,
    )
    await _enqueue(session, job, VALIDATE_TASK)
    return job


async def commit(
    session: AsyncSession, principal: Principal, job_id: uuid.UUID, valid_only: bool
) -> ImportJob:
    """Mark a validated import committing and queue its commit for a worker."""
    job = await start_commit(session, principal, job_id, valid_only)
    await _enqueue(session, job, COMMIT_TASK)
    return job


async def _enqueue(session: AsyncSession, job: ImportJob, task: str) -> None:
    """Commit the job, then queue its work: a worker may pick it up at once and must find it.

    A queue that cannot be reached leaves the job committed and waiting; the recovery task
    queues it as soon as the queue answers again (imports.recovery).
    """
    job.heartbeat_at = datetime.now(UTC)
    await session.commit()
    try:
        await queue.defer(task, lock=jobs.lock_of(job.id), job_id=str(job.id))
    except Exception:
        log.exception("could not queue import job %s; the recovery task will", job.id)


async def list_jobs(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    kind: str | None,
    status: list[str] | None,
) -> Page[ImportJobSummary]:
    rows, total = await repo.list_page(session, principal, kind, status, page.offset, page.size)
    items = [ImportJobSummary.model_validate(row) for row in rows]
    return Page[ImportJobSummary].build(items, total, page)


async def _noop(done: int, total: int) -> None:
    return None


async def validate(
    session: AsyncSession, principal: Principal, job: ImportJob, progress: Progress = _noop
) -> None:
    """The validation pass; leaves the job validated (with its report) or failed - or, asked
    to commit a clean file (`COMMIT_IF_CLEAN`) and finding no error, committed: its rows are
    written in `session`'s transaction (not committed here)."""
    one_pass = bool((job.result or {}).get(COMMIT_IF_CLEAN))
    try:
        report, summary = await engine.scan(
            session,
            principal,
            job,
            await importer_of(session, principal, job),
            sniffed_of(job),
            progress,
            write=False,
            valid_only=False,
            spool_path=spool.path_for(job.id, job.file_sha256),
            commit_if_clean=one_pass,
        )
    except FileProblem as exc:
        engine.fail_job(job, exc.errors)
        return
    except AppError as exc:
        # A sheet's record closed since the upload (the course cancelled, the round published).
        engine.fail_job(job, [record_problem(exc)])
        return
    if report.written:
        if await repo.locked_status(session, job.id) != S.VALIDATING.value:
            raise Cancelled()
        # As the two steps would leave it: validated, then committed with valid_only false.
        engine.apply_report(job, report, {})
        job.result = {**job.result, "valid_only": False}
        await _committed(session, principal, job, report, summary)
        return
    engine.apply_report(job, report, summary)
    job.status = S.VALIDATED.value
    job.finished_at = datetime.now(UTC)


def _progress(sessions: SessionFactory, job_id: uuid.UUID, running: str) -> Progress:
    last = 0
    last_at = time.monotonic()

    async def progress(done: int, total: int) -> None:
        nonlocal last, last_at
        if done - last < PROGRESS_EVERY or time.monotonic() - last_at < PROGRESS_SECONDS:
            return
        last = done
        # Its own short transaction, so pollers see it while the work's transaction is open.
        async with sessions() as s:
            status = await repo.set_progress(s, job_id, done, total)
            await s.commit()
        last_at = time.monotonic()
        if status != running:
            raise Cancelled()

    return progress


async def run_validation(job_id: uuid.UUID) -> None:
    """The queued validation of a job (a worker's task). Does nothing unless the job is still
    waiting for it, so running it twice - a retry, a resumed job - is harmless."""
    sessions = jobs.sessions()
    async with sessions() as session:
        try:
            job = await session.get(ImportJob, job_id)
            if job is None or job.status != S.VALIDATING.value:
                return
            principal = await jobs.actor(session, job.created_by)
            if principal is None or not principal.has(permission_of(job.kind)):
                await session.rollback()
                await _fail(sessions, job_id, [_NO_ACTOR], S.VALIDATING.value)
                return
            await validate(session, principal, job, _progress(sessions, job_id, S.VALIDATING.value))
            if job.status != S.COMMITTED.value and (
                await repo.locked_status(session, job_id) != S.VALIDATING.value
            ):
                raise Cancelled()
            await session.commit()
        except Cancelled:
            await session.rollback()
            await _stopped(sessions, job_id)
        except IntegrityError:
            # Writing a clean file (COMMIT_IF_CLEAN): someone added the same person or card
            # number since the checks ran. Nothing was written.
            await session.rollback()
            await _fail(sessions, job_id, [_CHANGED], S.VALIDATING.value)
        except RETRYABLE:
            await session.rollback()
            raise
        except MemoryError:
            await session.rollback()
            await _fail(sessions, job_id, [_TOO_COMPLEX], S.VALIDATING.value)
        except Exception:
            await session.rollback()
            await _fail(
                sessions,
                job_id,
                [file_error(ErrorCode.INTERNAL_ERROR, "Validation failed.")],
                S.VALIDATING.value,
            )
            raise


# The worker's memory limit (WORKER_MEMORY_MB) was reached: trying again would only fail again.
_TOO_COMPLEX = file_error(
    ErrorCode.FILE_TOO_COMPLEX,
    "Reading this file needs more memory than an import may use; split it into smaller files.",
)


def record_problem(exc: AppError) -> dict[str, Any]:
    """A sheet's record refused the work (gone from the scope, closed): the job's error."""
    return file_error(exc.code, exc.detail or exc.title, params=exc.params)


_NO_ACTOR = file_error(
    ErrorCode.PERMISSION_DENIED,
    "The account that started this import may no longer import these records.",
)


async def _fail(
    sessions: SessionFactory, job_id: uuid.UUID, errors: list[dict[str, Any]], running: str
) -> None:
    """Fail a job that is still `running` (validating or committing); a job another run has
    finished or cancelled meanwhile keeps its state."""
    async with sessions() as s:
        await repo.mark_failed(s, job_id, errors, S.FAILED.value, running)
        await s.commit()


async def _stopped(sessions: SessionFactory, job_id: uuid.UUID) -> None:
    """After a cancelled run's rollback: the job must not look as if it were still running."""
    async with sessions() as s:
        await repo.set_cancelled(s, job_id)
        await s.commit()


async def load(
    session: AsyncSession,
    principal: Principal,
    job_id: uuid.UUID,
    *,
    for_update: bool = False,
    with_content: bool = False,
) -> ImportJob:
    job = await repo.get_visible(
        session, principal, job_id, for_update=for_update, with_content=with_content
    )
    if job is None:
        raise NotFound("No import job with this id.", code=ErrorCode.IMPORT_NOT_FOUND)
    return job


async def error_rows_of(
    session: AsyncSession, principal: Principal, job_id: uuid.UUID
) -> ImportJob:
    """The job with its file, detached from the session (the error workbook streams after
    the request's session has closed)."""
    job = await load(session, principal, job_id, with_content=True)
    if job.content is None:
        raise Conflict(
            "The uploaded file of this import was discarded.", code=ErrorCode.IMPORT_FILE_GONE
        )
    session.expunge(job)
    return job


async def start_commit(
    session: AsyncSession, principal: Principal, job_id: uuid.UUID, valid_only: bool
) -> ImportJob:
    """Check the job may be committed and mark it committing (the caller runs the pass)."""
    job = await load(session, principal, job_id, for_update=True)
    if not principal.has(permission_of(job.kind)):
        raise Forbidden(
            "Your role does not allow importing these records.", code=ErrorCode.PERMISSION_DENIED
        )
    if job.kind in SHEETS:
        # One record's sheet is all or nothing; its record must still take it (403, 409).
        valid_only = False
        await importer_of(session, principal, job)
    if job.status != S.VALIDATED.value:
        raise Conflict(
            f"The import is {job.status}; only a validated import can be committed.",
            code=ErrorCode.IMPORT_NOT_VALIDATED,
        )
    if job.error_count and not valid_only:
        raise Conflict(
            f"{job.result.get('bad_rows', job.error_count)} rows have errors; fix the file, or "
            "commit with valid_only to import only the rows without errors.",
            code=ErrorCode.IMPORT_HAS_ERRORS,
        )
    if job.valid_rows == 0:
        raise Conflict("No row of this file can be imported.", code=ErrorCode.IMPORT_NOTHING_VALID)
    job.status = S.COMMITTING.value
    job.done_rows = 0
    job.result = {**job.result, "valid_only": valid_only}
    await session.flush()
    return job


async def commit_pass(
    session: AsyncSession, principal: Principal, job: ImportJob, progress: Progress
) -> None:
    """Write the rows of a job marked committing, in `session`'s transaction (not committed
    here): `run_commit`'s work, also timed by `unionhub_dev.bench.profile_import --commit`."""
    report, summary = await engine.scan(
        session,
        principal,
        job,
        await importer_of(session, principal, job, committing=True),
        sniffed_of(job),
        progress,
        write=True,
        valid_only=bool(job.result.get("valid_only")),
        spool_path=spool.path_for(job.id, job.file_sha256),
    )
    if await repo.locked_status(session, job.id) != S.COMMITTING.value:
        raise Cancelled()
    # The rows left out by a "valid rows only" commit: the report says "skipped N bad rows".
    engine.apply_report(job, report, {})
    await _committed(session, principal, job, report, summary)


async def _committed(
    session: AsyncSession,
    principal: Principal,
    job: ImportJob,
    report: engine.Report,
    summary: dict[str, Any],
) -> None:
    """The rows are written (a commit pass, or a one-pass import of a clean file): mark the
    job committed, with the audit entries of a commit, in the same transaction."""
    job.result = {**job.result, **summary, "skipped_rows": report.bad_rows}
    spool.remove(job.id, job.file_sha256)
    job.status = S.COMMITTED.value
    job.finished_at = datetime.now(UTC)
    await audit.record(
        session,
        principal,
        "import.commit",
        "import_job",
        job.id,
        union_id=job.union_id,
        after={
            "kind": job.kind,
            "mode": job.mode,
            "file_name": job.file_name,
            "valid_only": bool(job.result.get("valid_only")),
            "rows": report.total,
            "skipped_rows": report.bad_rows,
            **summary,
        },
    )
    sheet = SHEETS.get(job.kind)
    if sheet is not None and job.target_id is not None:
        # The record's own history names the file, as entering the rows by hand would.
        await audit.record(
            session,
            principal,
            sheet.action,
            sheet.entity,
            job.target_id,
            union_id=job.union_id,
            after={
                "file_name": job.file_name,
                "file_sha256": job.file_sha256,
                "rows": report.total,
                **summary.get("counts", {}),
            },
        )
    await session.flush()


def _refused(job: ImportJob, report: engine.Report) -> None:
    """Commit-everything found rows that no longer pass: back to validated, new report."""
    engine.apply_report(job, report, {})
    job.status = S.VALIDATED.value
    job.result = {**job.result, "commit_refused": "rows_invalid"}


_CHANGED = file_error(
    ErrorCode.REGISTER_CHANGED,
    "The register changed while importing (a record was added by someone else); nothing was "
    "imported. Upload the file again.",
)


async def run_commit(job_id: uuid.UUID) -> None:
    """The queued commit of a job (a worker's task); harmless to run again, like
    run_validation: a run cut short wrote nothing, and a finished one left `committed`."""
    sessions = jobs.sessions()
    running = S.COMMITTING.value
    async with sessions() as session:
        try:
            job = await session.get(ImportJob, job_id)
            if job is None or job.status != running:
                return
            principal = await jobs.actor(session, job.created_by)
            if principal is None or not principal.has(permission_of(job.kind)):
                await session.rollback()
                await _fail(sessions, job_id, [_NO_ACTOR], running)
                return
            await commit_pass(session, principal, job, _progress(sessions, job_id, running))
            await session.commit()
        except Cancelled:
            await session.rollback()
            await _stopped(sessions, job_id)
        except RowsInvalid as exc:
            await session.rollback()
            job = await session.get(ImportJob, job_id, populate_existing=True)
            assert job is not None
            if job.status == running:
                _refused(job, exc.report)
            await session.commit()
        except FileProblem as exc:
            await session.rollback()
            await _fail(sessions, job_id, exc.errors, running)
        except AppError as exc:
            await session.rollback()
            await _fail(sessions, job_id, [record_problem(exc)], running)
        except IntegrityError:
            await session.rollback()
            await _fail(sessions, job_id, [_CHANGED], running)
        except RETRYABLE:
            await session.rollback()
            raise
        except MemoryError:
            await session.rollback()
            await _fail(sessions, job_id, [_TOO_COMPLEX], running)
        except Exception:
            await session.rollback()
            await _fail(
                sessions,
                job_id,
                [file_error(ErrorCode.INTERNAL_ERROR, "The import failed.")],
                running,
            )
            raise


async def cancel(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> ImportJob:
    """Cancel a job (a running pass stops at its next progress step, writing nothing) and
    drop the uploaded file. A committed job stays: it is the record of what was imported."""
    job = await load(session, principal, job_id, for_update=True)
    if job.status == S.COMMITTED.value:
        raise Conflict("A committed import cannot be cancelled.", code=ErrorCode.IMPORT_COMMITTED)
    before = job.status
    spool.remove(job.id, job.file_sha256)
    job.status = S.CANCELLED.value
    job.content = None
    job.finished_at = datetime.now(UTC)
    await audit.record(
        session,
        principal,
        "import.cancel",
        "import_job",
        job.id,
        union_id=job.union_id,
        before={"status": before},
        after={"status": job.status},
    )
    await session.flush()
    return job
