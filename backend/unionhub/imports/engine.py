"""The two passes over an uploaded file: validation (the report) and commit (the writes).

Both stream the file in batches of rows: a worker thread reads and converts a batch (pure
Python, no database), then the event loop runs the batch's database checks (one query per
kind of lookup per batch) and, when committing, writes the good rows with COPY. Memory stays
flat whatever the file size: only the current batch, the duplicate keys seen so far and the
first MAX_STORED_ERRORS errors are held.
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Text, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.imports import spool
from unionhub.imports.headers import HEADER_SCAN_ROWS, HeaderMap, Layout
from unionhub.imports.models import ImportJob, ImportStatus
from unionhub.imports.readers import MAX_ROWS, FileRejected, Sniffed, open_rows
from unionhub.imports.xlsx_reader import Cell

log = logging.getLogger("unionhub.imports")

BATCH_ROWS = 1_000
# Errors kept in the job row for the report; the count goes on beyond it.
MAX_STORED_ERRORS = 10_000

Problem = tuple[str, str, str]  # field, code, message
Progress = Callable[[int, int], Awaitable[None]]


def any_of(column: Any, values: Iterable[str]) -> ColumnElement[bool]:
    """`column = ANY($1)` with one array parameter: a batch's 1,000 keys compile and plan as
    one value, where IN (...) would render 1,000 parameters."""
    clause: ColumnElement[bool] = column == any_(literal(list(values), ARRAY(Text)))
    return clause


class Row:
    """One data row: converted values, problems, and what the commit will do with it."""

    __slots__ = ("action", "changes", "errors", "number", "target_id", "values")

    def __init__(self, number: int) -> None:
        self.number = number
        self.values: dict[str, Any] = {}
        self.errors: list[Problem] = []
        self.action = "create"  # create | update | unchanged
        self.target_id: uuid.UUID | None = None
        self.changes: dict[str, Any] | None = None

    def fail(self, field: str, code: str, message: str) -> None:
        self.errors.append((field, code, message))


class Importer(Protocol):
    """What one kind of import (members, enterprises) plugs into the passes."""

    kind: str
    layout: Layout
    permission: Permission

    def header_problems(self, header: HeaderMap) -> list[Problem]: ...

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        """A data row from its cells (pure; runs in a worker thread). None: a blank row."""

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Any: ...

    async def check(
        self, session: AsyncSession, ctx: Any, rows: list[Row], header: HeaderMap
    ) -> None:
        """Database checks and in-file duplicates, in row order across batches."""

    async def preload(
        self, session: AsyncSession, ctx: Any, batches: Callable[[], Iterator[list[Row]]]
    ) -> None:
        """Commit pass only, before the first batch: look up at once what the checks of all
        batches will need (`batches()` reads the rows once more; blocking, use a thread)."""

    async def write(self, session: AsyncSession, ctx: Any, rows: list[Row]) -> None:
        """Write error-free rows (commit pass only). May return before the database is done
        with them, so the next batch is checked meanwhile: `finish` waits for it."""

    async def finish(self, session: AsyncSession, ctx: Any) -> None:
        """Wait for writes still running (raising their error); a no-op when none is."""

    def summary(self, ctx: Any) -> dict[str, Any]: ...


class FileProblem(Exception):
    """The file as a whole cannot be imported (no header, missing columns, too many rows)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0]["message"] if errors else "file problem")
        self.errors = errors


class Cancelled(Exception):
    """The job was cancelled while it ran."""


def file_error(
    code: str, message: str, row: int | None = None, column: str | None = None
) -> dict[str, Any]:
    return {"row": row, "column": column, "field": None, "code": code, "message": message}


class Source:
    """Reads and converts rows of the file, batch by batch (blocking; call in a thread)."""

    def __init__(
        self,
        content: bytes,
        sniffed: Sniffed,
        importer: Importer,
        today: date,
        spool_to: spool.SpoolWriter | None = None,
    ) -> None:
        self.rows: Iterator[tuple[int, list[Cell]]] = open_rows(content, sniffed)
        self.importer = importer
        self.today = today
        self.header: HeaderMap | None = None
        self.count = 0
        self.seen = 0
        self.spool_to = spool_to

    def batch(self, size: int = BATCH_ROWS) -> list[Row]:
        out: list[Row] = []
        try:
            for number, cells in self.rows:
                if self.header is None:
                    self._find_header(number, cells)
                    continue
                row = self.importer.convert(self.header, number, cells, self.today)
                if row is None:
                    continue
                self.count += 1
                if self.count > MAX_ROWS:
                    raise FileProblem(
                        [file_error("too_many_rows", f"A file may hold at most {MAX_ROWS:,} rows.")]
                    )
                out.append(row)
                if len(out) >= size:
                    break
        except FileRejected as exc:
            raise FileProblem([file_error(exc.code, exc.detail or exc.title)]) from None
        if self.header is None:
            raise FileProblem([_no_header(self.importer.layout)])
        if self.spool_to is not None and out:
            self.spool_to.add([(r.number, r.values, r.errors) for r in out])
        return out

    def _find_header(self, number: int, cells: list[Cell]) -> None:
        self.seen += 1
        found = self.importer.layout.find_header(number, cells)
        if found is None:
            if self.seen >= HEADER_SCAN_ROWS:
                raise FileProblem([_no_header(self.importer.layout)])
            return
        problems = [
            file_error(
                "missing_column", f"The column '{c.header}' is missing.", found.row, c.header
            )
            for c in found.missing
        ]
        problems += [
            file_error("duplicate_column", f"The column '{h}' appears twice.", found.row, h)
            for h in found.duplicates
        ]
        problems += [
            file_error(code, message, found.row, found.label(fld, self.importer.layout.columns))
            for fld, code, message in self.importer.header_problems(found)
        ]
        if problems:
            raise FileProblem(problems)
        self.header = found
        if self.spool_to is not None:
            self.spool_to.add(found)


class Replay:
    """The batches a validation spooled, as Source gives them (blocking; call in a thread)."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items
        self.header: HeaderMap | None = next(items, None)

    def batch(self) -> list[Row]:
        rows: list[Row] = []
        for number, values, errors in next(self.items, []):
            row = Row(number)
            row.values = values
            row.errors = errors
            rows.append(row)
        return rows


def _replay(path: Path) -> Replay | None:
    items = spool.replay(path)
    return Replay(items) if items is not None else None


Reader = Callable[[], "Source | Replay"]


def _commit_reader(
    job: ImportJob, sniffed: Sniffed, importer: Importer, path: Path | None
) -> Reader:
    """How the commit reads the rows (twice: the preload, then the pass): from the spool the
    validation left, or else from a spool made now (the file is converted once more), or
    else (no private spool directory) from the file each time. Blocking; call in a thread."""
    assert job.content is not None
    content = job.content
    today = date.today()
    if path is not None and not spool.available(path):
        writer = spool.SpoolWriter(path)
        source = Source(content, sniffed, importer, today, writer)
        try:
            while source.batch():
                pass
        except BaseException:
            writer.discard()
            raise
        writer.publish()
    if path is not None and spool.available(path):
        return lambda: _replay(path) or Source(content, sniffed, importer, today)
    return lambda: Source(content, sniffed, importer, today)


def batches_of(reader: Reader) -> Iterator[list[Row]]:
    source = reader()
    while rows := source.batch():
        yield rows


def _no_header(layout: Layout) -> dict[str, Any]:
    return file_error(
        "header_not_found",
        "No header row was found in the first rows; use the template's headers: "
        + ", ".join(layout.headers[:6])
        + ", ...",
    )


@dataclass
class Report:
    """The validation report as it accumulates."""

    layout: Layout
    header: HeaderMap | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    bad_rows: int = 0
    total: int = 0

    def add(self, row: Row) -> None:
        self.total += 1
        if not row.errors:
            return
        self.bad_rows += 1
        for fld, code, message in row.errors:
            self.error_count += 1
            if len(self.errors) < MAX_STORED_ERRORS:
                column = self.header.label(fld, self.layout.columns) if self.header else fld
                self.errors.append(
                    {
                        "row": row.number,
                        "column": column,
                        "field": fld,
                        "code": code,
                        "message": message,
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
) -> tuple[Report, dict[str, Any]]:
    """One pass over the file. With `write`, error-free rows are written batch by batch
    (all rows must be error-free unless `valid_only`). Validation spools the converted rows
    to `spool_path`; the commit replays them from there when they are still there."""
    writer: spool.SpoolWriter | None = None
    reader: Reader | None = None
    if write:
        reader = await run_in_threadpool(_commit_reader, job, sniffed, importer, spool_path)
        source = await run_in_threadpool(reader)
    else:
        assert job.content is not None
        if spool_path is not None:
            writer = spool.SpoolWriter(spool_path)
        source = Source(job.content, sniffed, importer, date.today(), writer)
    try:
        report, summary = await _scan(
            session,
            principal,
            job,
            importer,
            source,
            progress,
            reader=reader,
            valid_only=valid_only,
        )
    except BaseException:
        if writer is not None:
            writer.discard()
        raise
    if writer is not None:
        writer.publish()
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
    valid_only: bool,
) -> tuple[Report, dict[str, Any]]:
    """With a `reader` (the commit), error-free rows are written: while the database writes
    one batch, the next is checked and prepared (the database works in its own process)."""
    write = reader is not None
    ctx = await importer.begin(session, principal, job)
    report = Report(importer.layout)
    estimate = job.total_rows
    pending: asyncio.Future[list[Row]] | None = None
    try:
        if reader is not None:
            await importer.preload(session, ctx, lambda: batches_of(reader))
        # The next batch is read (in a thread) while this one is checked and written.
        pending = asyncio.ensure_future(run_in_threadpool(source.batch))
        while True:
            rows = await pending
            report.header = source.header
            if not rows:
                break
            pending = asyncio.ensure_future(run_in_threadpool(source.batch))
            assert source.header is not None
            await importer.check(session, ctx, rows, source.header)
            for row in rows:
                report.add(row)
            if write:
                if report.error_count and not valid_only:
                    raise RowsInvalid(report)
                await importer.write(session, ctx, [r for r in rows if not r.errors])
            await progress(report.total, max(estimate, report.total))
        if write:
            await importer.finish(session, ctx)
    except BaseException:
        if write:
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
    if report.total == 0:
        raise FileProblem([file_error("file_no_rows", "The file has a header but no data rows.")])
    return report, importer.summary(ctx)


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
        "errors_truncated": report.error_count > len(report.errors),
    }


def fail_job(
    job: ImportJob, errors: list[dict[str, Any]], status: str = ImportStatus.FAILED
) -> None:
    job.status = status
    job.errors = errors
    job.error_count = len(errors)
    job.finished_at = datetime.now(UTC)
