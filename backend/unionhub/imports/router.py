"""/api/v1/imports (templates, upload, report, commit, cancel) and the register exports
/api/v1/members/export and /api/v1/enterprises/export.

This router is included before the members and enterprises routers, so /members/export is
matched before /members/{member_id}.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import Conflict, problem_responses
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import SearchText
from unionhub.core.text import clean_text
from unionhub.enterprises.models import OperatingStatus, Ownership
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.imports import export, repository, service, templates
from unionhub.imports.error_sheet import error_workbook
from unionhub.imports.jobs import JobRunner, get_job_runner
from unionhub.imports.models import ImportJob, ImportKind, ImportStatus
from unionhub.imports.readers import MAX_FILE_BYTES, FileTooLarge
from unionhub.imports.schemas import (
    ExportFormat,
    ImportCommit,
    ImportJobRead,
    ImportJobSummary,
    ImportMode,
)
from unionhub.imports.sheets import CSV_TYPE, XLSX_TYPE, disposition
from unionhub.members.models import Gender, MemberStatus
from unionhub.members.repository import MemberFilters
from unionhub.unions.models import Sector

router = APIRouter(tags=["imports"])

Importer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]
MemberReader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
EnterpriseReader = Annotated[Principal, Depends(require(Permission.ENTERPRISES_READ))]
Runner = Annotated[JobRunner, Depends(get_job_runner)]
PREFIX = "/api/v1/imports"


def _read(job: ImportJob) -> ImportJobRead:
    data = {c.key: getattr(job, c.key) for c in ImportJob.__table__.columns if c.key != "content"}
    return ImportJobRead.model_validate(
        {**data, "errors_truncated": bool((job.result or {}).get("errors_truncated"))}
    )


@router.get(
    f"{PREFIX}/templates/{{kind}}.xlsx",
    operation_id="imports-template-xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX_TYPE: {}}}, **problem_responses(401, 403, 422)},
    summary="The import template (.xlsx) with the Vietnamese headers",
)
async def template_xlsx(kind: ImportKind, principal: MemberReader) -> Response:
    content = await run_in_threadpool(templates.xlsx_template, kind.value)
    return Response(
        content, media_type=XLSX_TYPE, headers=disposition(f"mau-nhap-{kind.value}.xlsx")
    )


@router.get(
    f"{PREFIX}/templates/{{kind}}.csv",
    operation_id="imports-template-csv",
    response_class=Response,
    responses={200: {"content": {CSV_TYPE: {}}}, **problem_responses(401, 403, 422)},
    summary="The import template (.csv, UTF-8 with BOM)",
)
async def template_csv(kind: ImportKind, principal: MemberReader) -> Response:
    return Response(
        templates.csv_template(kind.value),
        media_type=CSV_TYPE,
        headers=disposition(f"mau-nhap-{kind.value}.csv"),
    )


@router.post(
    PREFIX,
    operation_id="imports-create",
    response_model=ImportJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 413, 422),
    summary="Upload a spreadsheet: validates every row (large files in the background)",
)
async def create_import(
    principal: Importer,
    session: SessionDep,
    runner: Runner,
    background: BackgroundTasks,
    response: Response,
    file: Annotated[UploadFile, File(description=".xlsx or .csv, at most 20 MB")],
    kind: Annotated[ImportKind, Form()],
    mode: Annotated[
        ImportMode,
        Form(
            description="create: new records only; update: "
            "also update the records matched by ID / tax code"
        ),
    ] = "create",
) -> ImportJobRead:
    content = await file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    job = await service.create_job(
        session,
        principal,
        kind=kind.value,
        mode=mode,
        file_name=file.filename or "upload",
        content=content,
    )
    if service.runs_inline(job):
        await service.validate(session, principal, job)
    else:
        background.add_task(runner.start, job.id, service.validation_work(job.id, principal))
    await session.flush()
    response.headers["Location"] = f"{PREFIX}/{job.id}"
    return _read(job)


@router.get(
    PREFIX,
    operation_id="imports-list",
    response_model=Page[ImportJobSummary],
    responses=problem_responses(401, 403, 422),
    summary="Import jobs you started or that belong to your unions, newest first",
)
async def list_imports(
    principal: Importer,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    kind: ImportKind | None = None,
    status: Annotated[list[ImportStatus] | None, Query()] = None,
) -> Page[ImportJobSummary]:
    stmt = repository.list_query(
        principal, kind.value if kind else None, [s.value for s in status] if status else None
    )
    total = await repository.count(session, stmt)
    rows = await session.execute(
        stmt.order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
        .offset(page.offset)
        .limit(page.size)
    )
    items = [ImportJobSummary.model_validate(dict(r._mapping)) for r in rows]
    return Page[ImportJobSummary].build(items, total, page)


@router.get(
    f"{PREFIX}/{{job_id}}",
    operation_id="imports-get",
    response_model=ImportJobRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="Status, progress and the row-by-row report of an import",
)
async def get_import(job_id: uuid.UUID, principal: Importer, session: SessionDep) -> ImportJobRead:
    return _read(await service.load(session, principal, job_id))


@router.get(
    f"{PREFIX}/{{job_id}}/errors.xlsx",
    operation_id="imports-errors-xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX_TYPE: {}}}, **problem_responses(401, 403, 404, 409, 422)},
    summary="The rows with errors, as in the file, with a 'Lỗi' column",
)
async def error_rows(
    job_id: uuid.UUID, principal: Importer, session: SessionDep
) -> StreamingResponse:
    job = await service.load(session, principal, job_id, with_content=True)
    if job.content is None:
        raise Conflict("The uploaded file of this import was discarded.", code="import_file_gone")
    # The stream outlives the session: it works on the loaded job, detached.
    session.expunge(job)
    return StreamingResponse(
        error_workbook(job), media_type=XLSX_TYPE, headers=disposition(f"loi-{job.id}.xlsx")
    )


@router.post(
    f"{PREFIX}/{{job_id}}/commit",
    operation_id="imports-commit",
    response_model=ImportJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Write the validated rows (all or nothing, or only the valid ones)",
)
async def commit_import(
    job_id: uuid.UUID,
    body: ImportCommit,
    principal: Importer,
    session: SessionDep,
    runner: Runner,
    background: BackgroundTasks,
) -> ImportJobRead:
    job = await service.start_commit(session, principal, job_id, body.valid_only)
    if job.total_rows <= service.INLINE_MAX_ROWS:
        await service.commit_inline(session, principal, job)
    else:
        background.add_task(runner.start, job.id, service.commit_work(job.id, principal))
    return _read(job)


@router.delete(
    f"{PREFIX}/{{job_id}}",
    operation_id="imports-cancel",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Cancel an import (a running one stops and writes nothing); its file is discarded",
)
async def cancel_import(job_id: uuid.UUID, principal: Importer, session: SessionDep) -> Response:
    await service.cancel(session, principal, job_id)
    return Response(status_code=204)


@router.get(
    "/api/v1/members/export",
    operation_id="members-export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {XLSX_TYPE: {}, CSV_TYPE: {}}},
        **problem_responses(401, 403, 404, 422),
    },
    summary="Export the members list (same filters) in the import layout",
    tags=["members"],
)
async def export_members(
    principal: MemberReader,
    session: SessionDep,
    runner: Runner,
    format: ExportFormat = "xlsx",
    q: Annotated[SearchText | None, Query()] = None,
    union_id: uuid.UUID | None = None,
    include_subtree: bool = True,
    status: Annotated[list[MemberStatus] | None, Query()] = None,
    gender: Gender | None = None,
    age_min: Annotated[int | None, Query(ge=0, le=120)] = None,
    age_max: Annotated[int | None, Query(ge=0, le=120)] = None,
    admitted_from: date | None = None,
    admitted_to: date | None = None,
    enterprise_id: uuid.UUID | None = None,
    sector: Sector | None = None,
    is_cadre: bool | None = None,
    as_of: date | None = None,
) -> StreamingResponse:
    filters = MemberFilters(
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
    body, rows = await export.export_members(session, principal, runner.session, filters, format)
    return _stream(body, rows, "members", format)


@router.get(
    "/api/v1/enterprises/export",
    operation_id="enterprises-export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {XLSX_TYPE: {}, CSV_TYPE: {}}},
        **problem_responses(401, 403, 404, 422),
    },
    summary="Export the enterprises list (same filters) in the import layout",
    tags=["enterprises"],
)
async def export_enterprises(
    principal: EnterpriseReader,
    session: SessionDep,
    runner: Runner,
    format: ExportFormat = "xlsx",
    q: Annotated[SearchText | None, Query()] = None,
    ownership: Annotated[list[Ownership] | None, Query()] = None,
    operating_status: Annotated[list[OperatingStatus] | None, Query()] = None,
    responsible_union_id: uuid.UUID | None = None,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    industrial_zone: Annotated[str | None, Query(max_length=255)] = None,
    has_union: bool | None = None,
    eligible: bool | None = None,
    min_workers: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> StreamingResponse:
    filters = EnterpriseFilters(
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
    body, rows = await export.export_enterprises(
        session, principal, runner.session, filters, format
    )
    return _stream(body, rows, "enterprises", format)


def _stream(body: AsyncIterator[bytes], rows: int, kind: str, fmt: str) -> StreamingResponse:
    headers = {**disposition(export.export_file_name(kind, fmt)), "X-Total-Count": str(rows)}
    return StreamingResponse(
        body,
        media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
        headers=headers,
    )
