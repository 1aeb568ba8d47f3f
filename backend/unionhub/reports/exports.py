"""A report's .xlsx or PDF as a file job (files.service): asked for here, built by a queue
worker with the asker's roles as they are when it runs, downloaded from
/file-jobs/{id}/download."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_unscoped
from unionhub.core import audit
from unionhub.files import service as files
from unionhub.files.models import FileJob
from unionhub.reports import pdf, periodic, xlsx

TASK = "reports.export_report_file"
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
WRITERS = {"xlsx": xlsx.build, "pdf": pdf.build}


async def start(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, fmt: str
) -> FileJob:
    """Queue the report's file (404 outside the caller's scope, 429 past their file cap)."""
    report = await periodic.get_report(session, principal, report_id)
    return await files.start(
        session,
        principal,
        kind="report_export",
        task=TASK,
        params={"report_id": str(report.id), "format": fmt},
        file_name=f"bao-cao-{report.period_to:%Y-%m-%d}-{str(report.id)[-8:]}.{fmt}",
        media_type=MEDIA_TYPES[fmt],
    )


async def build(session: AsyncSession, principal: Principal, params: dict[str, Any]) -> files.Built:
    """files.Builder of a report's file (.xlsx or PDF: the same content)."""
    report = await periodic.get_report(session, principal, uuid.UUID(params["report_id"]))
    upper = None
    if report.consolidated:
        asker = await get_union_unscoped(
            session, report.union_id, reason="the parent's name on a report read through the scope"
        )
        if asker is not None and asker.parent_id is not None:
            parent = await get_union_unscoped(
                session, asker.parent_id, reason="the parent's name in a report's title block"
            )
            upper = parent.name if parent is not None else None
    else:
        upper = report.requester_union_name
    # Drawing the file is CPU work: off the event loop. Jobs of before PDF had no format.
    write = WRITERS[params.get("format", "xlsx")]
    fh, rows = await run_in_threadpool(write, report, upper, date.today())
    await audit.record(
        session,
        principal,
        "report.export",
        "report",
        report.id,
        union_id=report.union_id,
        after={"format": params["format"], "status": report.status.value},
    )
    return files.Built(fh, rows)
