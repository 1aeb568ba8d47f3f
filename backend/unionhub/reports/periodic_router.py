"""Periodic reports API: /report-templates, /report-requests and /reports (the overview's
router keeps /reports/overview)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.files.schemas import FileJobRead
from unionhub.reports import exports, periodic
from unionhub.reports.models import ReportStatus
from unionhub.reports.schemas import (
    ExportFormat,
    ReportEdit,
    ReportRead,
    ReportRequestCreate,
    ReportRequestRead,
    ReportSummary,
    ReportTemplateCreate,
    ReportTemplateRead,
    RequestStatus,
    ReturnBody,
)

router = APIRouter(prefix="/api/v1", tags=["reports"])

Reader = Annotated[Principal, Depends(require(Permission.REPORTS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.REPORTS_WRITE))]
Reviewer = Annotated[Principal, Depends(require(Permission.REPORTS_REVIEW))]
Designer = Annotated[Principal, Depends(require(Permission.REPORT_TEMPLATES_MANAGE))]
T = "/report-templates"
Q = "/report-requests"
R = "/reports/{report_id:uuid}"


@router.get(
    T,
    operation_id="report-templates-list",
    response_model=list[ReportTemplateRead],
    responses=problem_responses(401, 403, 422),
    summary="Report templates (the latest version of each, or every version)",
)
async def list_templates(
    principal: Reader,
    session: SessionDep,
    all_versions: Annotated[bool, Query(description="Every version, not only the latest")] = False,
) -> list[ReportTemplateRead]:
    return await periodic.list_templates(session, all_versions)


@router.get(
    T + "/{template_id:uuid}",
    operation_id="report-templates-get",
    response_model=ReportTemplateRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="A report template version",
)
async def get_template(
    template_id: uuid.UUID, principal: Reader, session: SessionDep
) -> ReportTemplateRead:
    return await periodic.get_template(session, template_id)


@router.post(
    T,
    operation_id="report-templates-create",
    response_model=ReportTemplateRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
    summary="Add a report template, or a new version of one (the same code)",
)
async def create_template(
    body: ReportTemplateCreate, principal: Designer, session: SessionDep
) -> ReportTemplateRead:
    return await periodic.create_template(session, principal, body)


@router.get(
    Q,
    operation_id="report-requests-list",
    response_model=Page[ReportRequestRead],
    responses=problem_responses(401, 403, 422),
    summary="Report requests sent by your unions or to them, newest first",
)
async def list_requests(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: Annotated[uuid.UUID | None, Query(description="Only those this union sent")] = None,
) -> Page[ReportRequestRead]:
    return await periodic.list_requests(session, principal, union_id, page)


@router.post(
    Q,
    operation_id="report-requests-create",
    response_model=ReportRequestRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Send a report request down to direct children (default: all of them)",
)
async def create_request(
    body: ReportRequestCreate, principal: Reviewer, session: SessionDep, response: Response
) -> ReportRequestRead:
    created = await periodic.create_request(session, principal, body)
    response.headers["Location"] = f"{router.prefix}{Q}/{created.id}"
    return created


@router.get(
    Q + "/{request_id:uuid}",
    operation_id="report-requests-get",
    response_model=ReportRequestRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="A report request",
)
async def get_request(
    request_id: uuid.UUID, principal: Reader, session: SessionDep
) -> ReportRequestRead:
    return await periodic.get_request(session, principal, request_id)


@router.get(
    Q + "/{request_id:uuid}/status",
    operation_id="report-requests-status",
    response_model=RequestStatus,
    responses=problem_responses(401, 403, 404, 422),
    summary="Where each unit asked stands: counts, late and missing reports",
)
async def request_status(
    request_id: uuid.UUID, principal: Reader, session: SessionDep
) -> RequestStatus:
    return await periodic.request_status(session, principal, request_id)


@router.get(
    "/reports",
    operation_id="reports-list",
    response_model=Page[ReportSummary],
    responses=problem_responses(401, 403, 422),
    summary="Reports of the units in your scope",
)
async def list_reports(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    request_id: uuid.UUID | None = None,
    union_id: Annotated[uuid.UUID | None, Query(description="Only this unit's")] = None,
    status: ReportStatus | None = None,
    consolidated: bool | None = None,
) -> Page[ReportSummary]:
    return await periodic.list_reports(
        session,
        principal,
        page,
        request_id=request_id,
        union_id=union_id,
        status=status,
        consolidated=consolidated,
    )


def _answer(response: Response, report: ReportRead) -> ReportRead:
    set_etag(response, report.version)
    return report


@router.get(
    R,
    operation_id="reports-get",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="A report with its figures (computed and corrected), lists and text",
)
async def get_report(
    report_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> ReportRead:
    return _answer(response, await periodic.get_report(session, principal, report_id))


@router.post(
    R + "/generate",
    operation_id="reports-generate",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Compute the unit's report from the records now (corrections and text are kept)",
)
async def generate(
    report_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    return _answer(response, await periodic.generate(session, principal, report_id, if_match))


@router.patch(
    R + "/values",
    operation_id="reports-edit",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Correct figures (with a reason; the computed one is kept) and write the text",
)
async def edit(
    report_id: uuid.UUID,
    body: ReportEdit,
    principal: Reader,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    return _answer(response, await periodic.edit(session, principal, report_id, body, if_match))


@router.post(
    R + "/submit",
    operation_id="reports-submit",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Send the report up for review",
)
async def submit(
    report_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    return _answer(response, await periodic.submit(session, principal, report_id, if_match))


@router.post(
    R + "/return",
    operation_id="reports-return",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Send a submitted report back to its unit with comments",
)
async def return_report(
    report_id: uuid.UUID,
    body: ReturnBody,
    principal: Reviewer,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    report = await periodic.return_report(session, principal, report_id, body.comment, if_match)
    return _answer(response, report)


@router.post(
    R + "/approve",
    operation_id="reports-approve",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Approve a submitted report (or finalise your consolidated one): it is locked",
)
async def approve(
    report_id: uuid.UUID,
    principal: Reviewer,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    return _answer(response, await periodic.approve(session, principal, report_id, if_match))


@router.post(
    R + "/consolidate",
    operation_id="reports-consolidate",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Your own report: the approved children's reports added up, plus your own records",
)
async def consolidate(
    report_id: uuid.UUID,
    principal: Reviewer,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
) -> ReportRead:
    return _answer(response, await periodic.consolidate(session, principal, report_id, if_match))


@router.post(
    R + "/export-jobs",
    operation_id="reports-export-job",
    response_model=FileJobRead,
    status_code=202,
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="The report as .xlsx or PDF in the official layout: a worker builds it; poll "
    "/file-jobs/{id}",
)
async def export_job(
    report_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    format: ExportFormat = "xlsx",
) -> FileJobRead:
    return FileJobRead.model_validate(await exports.start(session, principal, report_id, format))
