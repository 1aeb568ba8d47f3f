"""The two passes over an uploaded file: validation (the report) and commit (the writes).

Both stream the file in batches of rows (sources): a worker thread reads and converts a batch
(pure Python, no database), then the event loop runs the batch's database checks (one query
per kind of lookup per batch). The commit replays the batches the validation spooled, looks
the whole file's keys up first (the importer's preload), and writes the good rows with COPY
while it checks the next batch. Memory stays flat whatever the file size: a batch or two, the
keys of the file and the first MAX_STORED_ERRORS errors are held.
"""

import asyncio
import contextlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import jsonable_params
from unionhub.imports import convert_pool, gc_pause, jobs, spool
from unionhub.imports.headers import HeaderMap, Layout
from unionhub.imports.models import ImportJob, ImportStatus
from unionhub.imports.readers import Sniffed
from unionhub.imports.rows import (
    BATCH_ROWS,
    COMMIT_BATCH_ROWS,
    MAX_STORED_ERRORS,
    FileProblem,
    Importer,
    Progress,
    Row,
    WritesWhileChecking,
    file_error,
)
from unionhub.imports.sources import Reader, Replay, Source, batches_of, commit_reader

log = logging.getLogger("unionhub.imports")


@dataclass
class Report:
    """The validation report as it accumulates."""

    layout: Layout
    header: HeaderMap | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    total: int = 0
    # Rows of the file read as its numbering row or footer, not as data (validation only).
    ignored_rows: list[int] = field(default_factory=list)
    # The pass wrote every row (a commit, or a one-pass import of a clean file).
    written: bool = False

    def add(self, row: Row) -> None:
        self.total += 1
        if not row.errors:
            return
        self.bad_rows += 1
        for problem in row.errors:
            self.error_count += 1
            if len(self.errors) < MAX_STORED_ERRORS:
                fld = problem.field
                column = self.header.label(fld, self.layout.columns) if self.header else fld
                self.errors.append(
                    {
                        "row": row.number,
                        "column": column,
                        "field": fld,
                        "code": problem.code.value,
                        "message": problem.message,
                        "params": jsonable_params(problem.params),
                    }
                )


async def scan(
    session: AsyncSession,
    principal: Principal,
    job: ImportJob,
    importer: Importer,
    sniffed: Sniffed,
    progress: Progress,
    *,
    write: bool,
    valid_only: bool,
    spool_path: Path | None = None,
    commit_if_clean: bool = False,
) -> tuple[Report, dict[str, Any]]:
    """One pass over the file. With `write`, error-free rows are written batch by batch
    (all rows must be error-free unless `valid_only`). Validation spools the converted rows
    to `spool_path`; the commit replays them from there when they are still there.

    A validation with `commit_if_clean` (an importer that `WritesWhileChecking`) also writes
    each batch while the file has had no error so far, the next batch being checked while the
    database writes it (docs/adr/0015). The first row with an error undoes the writes (to a
    savepoint) and the rest of the file is only validated: the report is the validation's.
    With no error at all, the rows are written, in the session's transaction, when this
    returns (`Report.written`).

    The cyclic garbage collector is held off while the pass runs (gc_pause: a third of a
    large pass's CPU went to its collections)."""
    with gc_pause.paused():
        writer: spool.SpoolWriter | None = None
        reader: Reader | None = None
        keys: Any = None
        if write:
            reader = await run_in_threadpool(commit_reader, job, sniffed, importer, spool_path)
            source = await run_in_threadpool(reader)
            if spool_path is not None:
                keys = await run_in_threadpool(spool.keys, spool_path)
        else:
            assert job.content is not None
            if spool_path is not None:
                writer = spool.SpoolWriter(spool_path)
            converter = convert_pool.for_pass(importer, job.total_rows or 0)
            source = Source(job.content, sniffed, importer, date.today(), writer, converter)
        try:
            report, summary, keys = await _scan(
                session,
                principal,
                job,
                importer,
                source,
                progress,
                reader=reader,
                keys=keys,
                valid_only=valid_only,
                commit_if_clean=commit_if_clean and not write,
            )
        except BaseException:
            if writer is not None:
                writer.discard()
            raise
        if writer is not None:
            writer.publish(keys)
        return report, summary


async def _scan(
    session: AsyncSession,
    principal: Principal,
    job: ImportJob,
    importer: Importer,
    source: "Source | Replay",
    progress: Progress,
    *,
    reader: Reader | None,
    keys: Any,
    valid_only: bool,
    commit_if_clean: bool = False,
) -> tuple[Report, dict[str, Any], Any]:
    """With a `reader` (the commit), error-free rows are written: while the database writes
    one batch, the next is checked and prepared (the database works in its own process).
    With `commit_if_clean` (a validation), so are the batches until a row has an error."""
    write = reader is not None
    one_pass: WritesWhileChecking | None = None
    if commit_if_clean:
        if not isinstance(importer, WritesWhileChecking):
            raise TypeError(f"a {importer.kind} import cannot be committed while validated")
        one_pass = importer
    writing = False  # one pass: batches written so far, none with an error
    if write:
        # Each row written fires foreign key checks, prepared statements of their own: with
        # the connection's force_custom_plan (core.db) each would be planned again, row by
        # row (10 s more for 100,000 members). Reset for this transaction only.
        await session.execute(text("SET LOCAL plan_cache_mode = auto"))
    ctx = await importer.begin(session, principal, job)
    report = Report(importer.layout)
    estimate = job.total_rows
    pending: asyncio.Future[list[Row]] | None = None
    lookups = contextlib.AsyncExitStack()
    try:
        if one_pass is not None:
            session_of_lookups = await lookups.enter_async_context(jobs.sessions()())
            await one_pass.writes_while_checking(session, ctx, session_of_lookups)
        if reader is not None:
            await importer.preload(session, ctx, keys, lambda: batches_of(reader))
        # The next batch is read (in a thread) while this one is checked and written.
        sizes = _commit_sizes() if write or one_pass else itertools.repeat(BATCH_ROWS)
        pending = asyncio.ensure_future(run_in_threadpool(source.batch, next(sizes)))
        while True:
            rows = await pending
            report.header = source.header
            if isinstance(source, Source):
                report.ignored_rows = source.ignored
            if not rows:
                break
            pending = asyncio.ensure_future(run_in_threadpool(source.batch, next(sizes)))
            assert source.header is not None
            await importer.check(session, ctx, rows, source.header)
            for row in rows:
                report.add(row)
            done, total = report.total, max(estimate, report.total)
            if write:
                if report.error_count and not valid_only:
                    raise RowsInvalid(report)
                # Progress may share the connection (the tests' sessions do): it waits for
                # the moment the connection is free.
                await importer.write(
                    session, ctx, [r for r in rows if not r.errors], partial(progress, done, total)
                )
            elif one_pass is not None and not report.error_count:
                if not writing:
                    await _start_writing(session, one_pass, ctx)
                    writing = True
                await importer.write(session, ctx, rows, partial(progress, done, total))
            else:
                if one_pass is not None:
                    if writing:
                        await _undo_writes(session, one_pass, ctx)
                        writing = False
                    # Only validated from here on (the report is the validation's).
                    await one_pass.stop_writing(session, ctx)
                    one_pass = None
                await progress(done, total)
        if write or writing:
            await importer.finish(session, ctx)
            await importer.complete(session, ctx)
            report.written = True
    except BaseException:
        if write or writing:
            # A write still running must end before the caller rolls back; its own error,
            # if any, is second to the one on its way.
            with contextlib.suppress(Exception):
                await importer.finish(session, ctx)
        raise
    finally:
        # A thread cannot be cancelled: let a read in flight finish, and drop its result.
        if pending is not None:
            if not pending.done():
                await asyncio.wait([pending])
            if not pending.cancelled() and pending.exception() is not None:
                log.debug("read ahead dropped: %r", pending.exception())
        await lookups.aclose()
    if report.total == 0:
        raise FileProblem(
            [file_error(ErrorCode.FILE_NO_ROWS, "The file has a header but no data rows.")]
        )
    return report, importer.summary(ctx), None if write else importer.commit_keys(ctx)


# The savepoint a one-pass import's writes go back to when a row has an error.
_WRITES = "import_writes"


async def _start_writing(session: AsyncSession, importer: "WritesWhileChecking", ctx: Any) -> None:
    """Before a one-pass import's first write: a savepoint to undo the writes to, and the
    commit's settings (SET LOCAL, undone with them)."""
    await session.flush()
    await session.execute(text(f"SAVEPOINT {_WRITES}"))
    await session.execute(text("SET LOCAL plan_cache_mode = auto"))
    await importer.start_writing(session, ctx)


async def _undo_writes(session: AsyncSession, importer: "WritesWhileChecking", ctx: Any) -> None:
    """A row has an error: nothing will be committed. Undo what was written (the database
    stops holding those rows and their locks; the next batches' checks see the register as
    the validation alone would); the importer forgets what it counted."""
    await importer.finish(session, ctx)
    await session.execute(text(f"ROLLBACK TO SAVEPOINT {_WRITES}"))
    await session.execute(text(f"RELEASE SAVEPOINT {_WRITES}"))
    await importer.undo_writes(session, ctx)


def _commit_sizes() -> Iterator[int]:
    """The commit's batch sizes: the database waits for the first batch to be prepared, so
    it is small; the next one is prepared while the first is written, and so on."""
    yield BATCH_ROWS
    yield 2 * BATCH_ROWS
    yield from itertools.repeat(COMMIT_BATCH_ROWS)


class RowsInvalid(Exception):
    """Committing everything was asked, and some rows no longer pass (the register changed)."""

    def __init__(self, report: Report) -> None:
        super().__init__("rows invalid")
        self.report = report


def apply_report(job: ImportJob, report: Report, summary: dict[str, Any]) -> None:
    job.total_rows = report.total
    job.done_rows = report.total
    job.valid_rows = report.total - report.bad_rows
    job.error_count = report.error_count
    job.errors = report.errors
    job.result = {
        **(job.result or {}),
        **summary,
        "header_row": report.header.row if report.header else None,
        "ignored_columns": report.header.ignored if report.header else [],
        "bad_rows": report.bad_rows,
        **({"ignored_rows": report.ignored_rows} if report.ignored_rows else {}),
        "errors_truncated": report.error_count > len(report.errors),
    }


def fail_job(
    job: ImportJob, errors: list[dict[str, Any]], status: str = ImportStatus.FAILED
) -> None:
    job.status = status
    job.errors = errors
    job.error_count = len(errors)
    job.finished_at = datetime.now(UTC)
