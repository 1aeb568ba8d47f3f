"""Imports of one record's sheet - a round's results, a course's roster - that run within the
request: the file holds at most a few thousand rows, bounded by the record (the round's units,
the course's seats). The register imports' two passes (`engine.scan`) on a job that is never
stored: a dry run that reports every problem by row and column, and an all-or-nothing commit
that writes only when every row passes, the checks run once more against what is stored now.
"""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import File, UploadFile
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.schemas import OutputModel
from unionhub.imports import engine
from unionhub.imports.models import ImportJob
from unionhub.imports.readers import MAX_FILE_BYTES, FileTooLarge, estimate_rows, sniff
from unionhub.imports.rows import FileProblem, Importer

Upload = Annotated[UploadFile, File(description=".xlsx or .csv, at most 20 MB")]


class ImportProblem(OutputModel):
    row: int | None
    column: str | None
    field: str | None
    code: ErrorCode
    message: str
    params: dict[str, Any] = Field(default_factory=dict)


class SheetImportReport(OutputModel):
    """The same report as a register import's: every problem by row and column."""

    dry_run: bool
    committed: bool
    file_name: str
    sheet: str | None
    total_rows: int
    valid_rows: int
    error_count: int
    errors: list[ImportProblem]
    counts: dict[str, int]


async def read_upload(file: UploadFile) -> bytes:
    content = await file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return content


async def _noop(done: int, total: int) -> None:
    return None


async def check_or_commit(
    session: AsyncSession,
    principal: Principal,
    importer: Callable[[], Importer],
    file_name: str,
    content: bytes,
    *,
    dry_run: bool,
) -> tuple[dict[str, Any], int | None]:
    """The report's fields, and the rows written (None when nothing was: a dry run, or a
    commit refused because some row has a problem). `importer` makes a fresh importer per
    pass; its summary's `counts` become the report's."""
    first = importer()
    sniffed = sniff(content, file_name)
    job = ImportJob(
        id=uuid.uuid4(), kind=first.kind, mode="update", content=content, file_name=file_name
    )
    job.total_rows = estimate_rows(content, sniffed)

    def report(
        errors: list[dict[str, Any]], total: int, valid: int, count: int, counts: dict[str, int]
    ) -> dict[str, Any]:
        return {
            "dry_run": dry_run,
            "committed": not dry_run and count == 0,
            "file_name": file_name,
            "sheet": sniffed.sheet,
            "total_rows": total,
            "valid_rows": valid,
            "error_count": count,
            # A problem of the whole file may carry no params; the report always has them.
            "errors": [{**e, "params": e.get("params") or {}} for e in errors],
            "counts": counts,
        }

    try:
        found, _ = await engine.scan(
            session, principal, job, first, sniffed, _noop, write=False, valid_only=False
        )
    except FileProblem as exc:
        return report(exc.errors, 0, 0, len(exc.errors), {}), None
    if dry_run or found.error_count:
        valid = found.total - found.bad_rows
        return report(found.errors, found.total, valid, found.error_count, {}), None
    try:
        written, summary = await engine.scan(
            session, principal, job, importer(), sniffed, _noop, write=True, valid_only=False
        )
    except engine.RowsInvalid as exc:
        bad = exc.report
        valid = bad.total - bad.bad_rows
        return report(bad.errors, bad.total, valid, bad.error_count, {}), None
    return report([], written.total, written.total, 0, summary["counts"]), written.total
