"""The register exports, /api/v1/members/export and /api/v1/enterprises/export (same filters
as the lists; the screen's visible columns under a title block, or without `columns` the import
layout, so an exported file can be edited and imported again),
and their file-job forms (POST .../export-jobs) for large lists (imports.export_jobs)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.schemas import Day, SearchText
from unionhub.core.text import clean_text
from unionhub.enterprises.models import OperatingStatus, Ownership
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.enterprises.repository import SortKey as EnterpriseSortKey
from unionhub.files.schemas import FileJobRead
from unionhub.imports import export, export_jobs
from unionhub.imports.export_view import (
    ENTERPRISE_VIEW,
    MEMBER_VIEW,
    ExportRequest,
    checked_request,
)
from unionhub.imports.jobs import SessionFactory, get_session_factory
from unionhub.imports.schemas import ExportFormat
from unionhub.imports.sheets import CSV_TYPE, XLSX_TYPE, disposition
from unionhub.members.models import Gender, MemberStatus
from unionhub.members.repository import MemberFilters, SortKey
from unionhub.unions.models import Sector

router = APIRouter()

MemberReader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
EnterpriseReader = Annotated[Principal, Depends(require(Permission.ENTERPRISES_READ))]
Sessions = Annotated[SessionFactory, Depends(get_session_factory)]


def member_filters(
    q: Annotated[SearchText | None, Query()] = None,
    union_id: uuid.UUID | None = None,
    include_subtree: bool = True,
    status: Annotated[list[MemberStatus] | None, Query()] = None,
    gender: Gender | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=120)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=120)] = None,
    admitted_from: Day | None = None,
    admitted_to: Day | None = None,
    enterprise_id: uuid.UUID | None = None,
    sector: Sector | None = None,
    is_cadre: bool | None = None,
    as_of: Day | None = None,
) -> MemberFilters:
    """The member list's filters, as query parameters (the export and the export job)."""
    return MemberFilters(
        q=q,
        union_id=union_id,
        include_subtree=include_subtree,
        status=[s.value for s in status] if status else None,
        gender=gender.value if gender else None,
        age_min=age_min,
        age_max=age_max,
        admitted_from=admitted_from,
        admitted_to=admitted_to,
        enterprise_id=enterprise_id,
        sector=sector.value if sector else None,
        is_cadre=is_cadre,
        as_of=as_of,
    )


MemberListFilters = Annotated[MemberFilters, Depends(member_filters)]

Columns = Annotated[
    list[str] | None,
    Query(
        description="The list's visible columns, in the screen's order: the file holds these "
        "under a title block. Without them, the import layout (a file that re-imports)."
    ),
]


def member_request(
    principal: MemberReader,
    columns: Columns = None,
    unmasked: Annotated[
        bool,
        Query(description="Personal data unmasked (members:pii; needs `purpose`)"),
    ] = False,
    purpose: Annotated[
        str | None,
        Query(max_length=500, description="Why the unmasked data is needed (audited)"),
    ] = None,
    sort: Annotated[
        SortKey | None,
        Query(
            description="With `columns`: the rows in the list's order (its sort key); "
            "without it, in the order the members were entered"
        ),
    ] = None,
) -> ExportRequest:
    """What the member file holds, checked: 422 for an unknown column or an unmasked file
    without a purpose, 403 for an unmasked file without members:pii."""
    return checked_request(
        principal, MEMBER_VIEW, columns, unmasked=unmasked, purpose=purpose, sort=sort
    )


def enterprise_request(
    principal: EnterpriseReader,
    columns: Columns = None,
    sort: Annotated[
        EnterpriseSortKey | None,
        Query(
            description="With `columns`: the rows in the list's order (its sort key); "
            "without it, in the order the enterprises were entered"
        ),
    ] = None,
) -> ExportRequest:
    return checked_request(principal, ENTERPRISE_VIEW, columns, sort=sort)


MemberExport = Annotated[ExportRequest, Depends(member_request)]
EnterpriseExport = Annotated[ExportRequest, Depends(enterprise_request)]


@router.get(
    "/api/v1/members/export",
    operation_id="members-export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {XLSX_TYPE: {}, CSV_TYPE: {}}},
        **problem_responses(401, 403, 404, 422, 429),
    },
    summary="Export the members list (same filters): the screen's columns, or the import layout",
    tags=["members"],
)
async def export_members(
    principal: MemberReader,
    session: SessionDep,
    sessions: Sessions,
    filters: MemberListFilters,
    request: MemberExport,
    format: ExportFormat = "xlsx",
) -> StreamingResponse:
    download = await export.export_members(session, principal, sessions, filters, format, request)
    return _stream(download, "members", format)


@router.post(
    "/api/v1/members/export-jobs",
    operation_id="members-export-job",
    response_model=FileJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="Export a large members list: a worker builds the file; poll /file-jobs/{id}",
    tags=["members"],
)
async def export_members_job(
    principal: MemberReader,
    session: SessionDep,
    filters: MemberListFilters,
    request: MemberExport,
    format: ExportFormat = "xlsx",
) -> FileJobRead:
    job = await export_jobs.start_members(session, principal, filters, format, request)
    return FileJobRead.model_validate(job)


def enterprise_filters(
    q: Annotated[SearchText | None, Query()] = None,
    ownership: Annotated[list[Ownership] | None, Query()] = None,
    operating_status: Annotated[list[OperatingStatus] | None, Query()] = None,
    responsible_union_id: uuid.UUID | None = None,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    industrial_zone: Annotated[str | None, Query(max_length=255)] = None,
    has_union: bool | None = None,
    eligible: bool | None = None,
    min_workers: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> EnterpriseFilters:
    """The enterprise list's filters, as query parameters (the export and the export job)."""
    return EnterpriseFilters(
        q=q,
        ownership=[o.value for o in ownership] if ownership else None,
        operating_status=[s.value for s in operating_status] if operating_status else None,
        responsible_union_id=responsible_union_id,
        commune_code=commune_code,
        industrial_zone=clean_text(industrial_zone) if industrial_zone else None,
        has_union=has_union,
        eligible=eligible,
        min_workers=min_workers,
    )


EnterpriseListFilters = Annotated[EnterpriseFilters, Depends(enterprise_filters)]


@router.get(
    "/api/v1/enterprises/export",
    operation_id="enterprises-export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {XLSX_TYPE: {}, CSV_TYPE: {}}},
        **problem_responses(401, 403, 404, 422, 429),
    },
    summary="Export the enterprises list (same filters): the screen's columns or the import layout",
    tags=["enterprises"],
)
async def export_enterprises(
    principal: EnterpriseReader,
    session: SessionDep,
    sessions: Sessions,
    filters: EnterpriseListFilters,
    request: EnterpriseExport,
    format: ExportFormat = "xlsx",
) -> StreamingResponse:
    download = await export.export_enterprises(
        session, principal, sessions, filters, format, request
    )
    return _stream(download, "enterprises", format)


@router.post(
    "/api/v1/enterprises/export-jobs",
    operation_id="enterprises-export-job",
    response_model=FileJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="Export a large enterprises list: a worker builds the file; poll /file-jobs/{id}",
    tags=["enterprises"],
)
async def export_enterprises_job(
    principal: EnterpriseReader,
    session: SessionDep,
    filters: EnterpriseListFilters,
    request: EnterpriseExport,
    format: ExportFormat = "xlsx",
) -> FileJobRead:
    job = await export_jobs.start_enterprises(session, principal, filters, format, request)
    return FileJobRead.model_validate(job)


def _stream(download: export.Download, kind: str, fmt: str) -> StreamingResponse:
    headers = {
        **disposition(export.export_file_name(kind, fmt)),
        "X-Total-Count": str(download.rows),
    }
    return export.DownloadResponse(
        download, media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE, headers=headers
    )
