"""The register exports as file jobs (files.service): built by a queue worker, downloaded when
ready. The web app asks for one when the list is large (EXPORT_JOB_MIN_ROWS and more); a
smaller list is sent at once by GET /members/export (imports.export). Same filters, same file,
same masking and audit entry; the caller's identifier-search limit is counted when it is asked
for, the audit entry is written when it is built (with the row count of that moment)."""

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.files import service as files
from unionhub.files.models import FileJob
from unionhub.imports import export
from unionhub.imports.export_view import ExportRequest
from unionhub.imports.sheets import CSV_TYPE, XLSX_TYPE
from unionhub.members import id_search
from unionhub.members.repository import MemberFilters

P = Permission
# The web app's threshold: lists at least this long are exported through a file job.
EXPORT_JOB_MIN_ROWS = 20_000
MEMBERS_TASK = "imports.export_members_file"
ENTERPRISES_TASK = "imports.export_enterprises_file"

_member_filters = TypeAdapter(MemberFilters)
_enterprise_filters = TypeAdapter(EnterpriseFilters)


def _params(filters: Any, fmt: str, request: ExportRequest) -> dict[str, Any]:
    data = asdict(filters)
    data.pop("today", None)
    return {"filters": audit.jsonable(data), "format": fmt, **request.params()}


async def start_members(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> FileJob:
    """Ask a worker for the members file (429 past the caller's file or search limits)."""
    await id_search.check(session, principal, filters.q)
    return await files.start(
        session,
        principal,
        kind="members_export",
        task=MEMBERS_TASK,
        params=_params(filters, fmt, request),
        file_name=export.export_file_name("members", fmt),
        media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
    )


async def start_enterprises(
    session: AsyncSession,
    principal: Principal,
    filters: EnterpriseFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> FileJob:
    return await files.start(
        session,
        principal,
        kind="enterprises_export",
        task=ENTERPRISES_TASK,
        params=_params(filters, fmt, request),
        file_name=export.export_file_name("enterprises", fmt),
        media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
    )


def _today(filters: dict[str, Any]) -> dict[str, Any]:
    return {**filters, "today": date.today()}


async def build_members(
    session: AsyncSession, principal: Principal, params: dict[str, Any]
) -> files.Built:
    """files.Builder of the members file, with the roles the caller holds when it runs."""
    filters = _member_filters.validate_python(_today(params["filters"]))
    fh, rows = await export.members_file(
        session, principal, filters, params["format"], ExportRequest.of(params)
    )
    return files.Built(fh, rows)


async def build_enterprises(
    session: AsyncSession, principal: Principal, params: dict[str, Any]
) -> files.Built:
    filters = _enterprise_filters.validate_python(params["filters"])
    fh, rows = await export.enterprises_file(
        session, principal, filters, params["format"], ExportRequest.of(params)
    )
    return files.Built(fh, rows)
