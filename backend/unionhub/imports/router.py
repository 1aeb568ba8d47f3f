"""/api/v1/imports: templates, upload, report, commit, cancel (the register exports are in
imports.export_router). Each endpoint parses its input, calls one service function and shapes
the answer; where the work runs (here or on a worker) is the service's decision.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from unionhub.auth.dependencies import CurrentPrincipal, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, problem_responses
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.imports import service, sheet_import, templates
from unionhub.imports.error_sheet import error_workbook
from unionhub.imports.export_router import router as export_router
from unionhub.imports.models import ImportJob, ImportKind, ImportStatus
from unionhub.imports.readers import MAX_FILE_BYTES, FileTooLarge
from unionhub.imports.repository import FOLLOWERS
from unionhub.imports.schemas import ImportCommit, ImportJobRead, ImportJobSummary, ImportMode
from unionhub.imports.sheets import CSV_TYPE, XLSX_TYPE, disposition

router = APIRouter(tags=["imports"])

Importer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]
MemberReader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
PREFIX = "/api/v1/imports"


async def may_import(principal: CurrentPrincipal) -> Principal:
    """Dependency of one job's routes: the caller may import something (a register, a course's
    roster, a round's results); which jobs they see is `repository.visible`."""
    if not any(principal.has(p) for p in FOLLOWERS.values()):
        raise Forbidden("Your role does not allow importing.", code=ErrorCode.PERMISSION_DENIED)
    return principal


Follower = Annotated[Principal, Depends(may_import)]


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
    summary="The import template (.xlsx): Vietnamese headers, an example row, instructions",
)
async def template_xlsx(kind: ImportKind, principal: MemberReader) -> Response:
    content = await run_in_threadpool(templates.xlsx_template, kind.value)
    return Response(
        content, media_type=XLSX_TYPE, headers=disposition(templates.file_name(kind.value, "xlsx"))
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
        headers=disposition(templates.file_name(kind.value, "csv")),
    )


@router.post(
    PREFIX,
    operation_id="imports-create",
    response_model=ImportJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 413, 422),
    summary="Upload a spreadsheet: validates every row in the background, and commits a clean "
    "file in the same pass when asked (commit_if_clean)",
)
async def create_import(
    principal: Importer,
    session: SessionDep,
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
    sheet: Annotated[
        str | None,
        Form(
            min_length=1,
            max_length=31,
            description="The sheet to read (by name; the report lists the workbook's sheets); "
            "default: the first visible sheet",
        ),
    ] = None,
    commit_if_clean: Annotated[
        bool,
        Form(
            description="false (default): validate only; the job ends `validated` and "
            "POST /imports/{id}/commit writes it. true (members imports only): validate and "
            "write in one pass and one transaction; a file without errors ends `committed` "
            "with no second call, a file with any error ends `validated` with the full "
            "report and nothing written (docs/api.md)",
        ),
    ] = False,
) -> ImportJobRead:
    content = await file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.",
            params={"max_mb": MAX_FILE_BYTES // (1024 * 1024)},
        )
    job = await service.upload(
        session,
        principal,
        kind=kind.value,
        mode=mode,
        file_name=file.filename or "upload",
        content=content,
        sheet=sheet,
        commit_if_clean=commit_if_clean,
    )
    response.headers["Location"] = f"{PREFIX}/{job.id}"
    return _read(job)


@router.get(
    PREFIX,
    operation_id="imports-list",
    response_model=Page[ImportJobSummary],
    responses=problem_responses(401, 403, 422),
    summary="Import jobs you started or that belong to your unions, newest first (the "
    "registers' unless `kind` names another)",
)
async def list_imports(
    principal: Importer,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    kind: ImportKind | None = None,
    status: Annotated[list[ImportStatus] | None, Query()] = None,
) -> Page[ImportJobSummary]:
    return await service.list_jobs(
        session,
        principal,
        page,
        kind.value if kind else None,
        [s.value for s in status] if status else None,
    )


@router.get(
    f"{PREFIX}/{{job_id}}",
    operation_id="imports-get",
    response_model=ImportJobRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="Status, progress and the row-by-row report of an import",
)
async def get_import(job_id: uuid.UUID, principal: Follower, session: SessionDep) -> ImportJobRead:
    return _read(await service.load(session, principal, job_id))


@router.get(
    f"{PREFIX}/{{job_id}}/errors.xlsx",
    operation_id="imports-errors-xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX_TYPE: {}}}, **problem_responses(401, 403, 404, 409, 422)},
    summary="The rows with errors, as in the file, with a 'Lỗi' column",
)
async def error_rows(
    job_id: uuid.UUID, principal: Follower, session: SessionDep
) -> StreamingResponse:
    job = await service.error_rows_of(session, principal, job_id)
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
    principal: Follower,
    session: SessionDep,
) -> ImportJobRead:
    return _read(await service.commit(session, principal, job_id, body.valid_only))


@router.delete(
    f"{PREFIX}/{{job_id}}",
    operation_id="imports-cancel",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Cancel an import (a running one stops and writes nothing); its file is discarded",
)
async def cancel_import(job_id: uuid.UUID, principal: Follower, session: SessionDep) -> Response:
    await service.cancel(session, principal, job_id)
    return Response(status_code=204)


# ------------------------------------------------------------------ one record's sheet

RosterManager = Annotated[Principal, Depends(require(Permission.TRAINING_MANAGE))]
Appraiser = Annotated[Principal, Depends(require(Permission.EVALUATIONS_APPRAISE))]
SHEET_SUMMARY = (
    "(the export's layout) on the queue: the dry run's report on GET /imports/{id}; "
    "POST /imports/{id}/commit writes every row or none"
)


async def _sheet(
    session: SessionDep,
    principal: Principal,
    response: Response,
    file: UploadFile,
    kind: ImportKind,
    target_id: uuid.UUID,
) -> ImportJobRead:
    content = await sheet_import.read_upload(file)
    name = file.filename or "upload.xlsx"
    job = await service.upload_sheet(
        session, principal, kind.value, target_id, file_name=name, content=content
    )
    response.headers["Location"] = f"{PREFIX}/{job.id}"
    return _read(job)


@router.post(
    "/api/v1/training/courses/{course_id:uuid}/roster/import",
    operation_id="training-roster-import",
    tags=["training"],
    response_model=ImportJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    summary=f"Import the roster, attendance and results from .xlsx/.csv {SHEET_SUMMARY}",
)
async def import_course_roster(
    course_id: uuid.UUID,
    principal: RosterManager,
    session: SessionDep,
    response: Response,
    file: sheet_import.Upload,
) -> ImportJobRead:
    return await _sheet(session, principal, response, file, ImportKind.TRAINING_ROSTER, course_id)


@router.post(
    "/api/v1/evaluation-rounds/{round_id:uuid}/import",
    operation_id="evaluation-rounds-import",
    tags=["evaluations"],
    response_model=ImportJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 409, 413, 422),
    summary=f"Import the round's results from .xlsx/.csv {SHEET_SUMMARY}",
)
async def import_round(
    round_id: uuid.UUID,
    principal: Appraiser,
    session: SessionDep,
    response: Response,
    file: sheet_import.Upload,
) -> ImportJobRead:
    return await _sheet(session, principal, response, file, ImportKind.ROUND_RESULTS, round_id)


router.include_router(export_router)
