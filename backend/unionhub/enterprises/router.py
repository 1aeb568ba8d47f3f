import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import CURSOR_DESCRIPTION, CursorPage, Page, PageParams, page_params
from unionhub.core.schemas import SearchText
from unionhub.core.text import clean_text
from unionhub.enterprises import gap, reads, service
from unionhub.enterprises import repository as repo
from unionhub.enterprises.models import OperatingStatus, Ownership
from unionhub.enterprises.schemas import (
    EnterpriseCreate,
    EnterpriseRead,
    EnterpriseUpdate,
    GapReport,
    SurveyCreate,
    SurveyRead,
)

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])

Reader = Annotated[Principal, Depends(require(Permission.ENTERPRISES_READ))]
Writer = Annotated[Principal, Depends(require(Permission.ENTERPRISES_WRITE))]
ResponsibleUnion = Annotated[
    uuid.UUID | None,
    Query(description="Only enterprises of this union and the unions under it"),
]
OwnershipFilter = Annotated[list[Ownership] | None, Query()]


@router.get(
    "",
    operation_id="enterprises-list",
    response_model=CursorPage[EnterpriseRead],
    responses=problem_responses(401, 403, 422),
    summary="List enterprises in your scope",
)
async def list_enterprises(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        SearchText | None,
        Query(description="Name without accents ('may my tho') or a tax-code prefix"),
    ] = None,
    ownership: OwnershipFilter = None,
    operating_status: Annotated[list[OperatingStatus] | None, Query()] = None,
    responsible_union_id: ResponsibleUnion = None,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    industrial_zone: Annotated[str | None, Query(max_length=255)] = None,
    has_union: bool | None = None,
    eligible: Annotated[
        bool | None,
        Query(description="Operating, 20+ workers and no union (a founding target)"),
    ] = None,
    min_workers: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    sort: repo.SortKey = "name",
    cursor: Annotated[
        str | None,
        Query(
            max_length=512,
            pattern=r"^[A-Za-z0-9_\-]+$",
            description=CURSOR_DESCRIPTION + " (name order only)",
        ),
    ] = None,
) -> Page[EnterpriseRead]:
    filters = repo.EnterpriseFilters(
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
    return await reads.list_enterprises(session, principal, filters, page, sort, cursor)


@router.post(
    "",
    operation_id="enterprises-create",
    response_model=EnterpriseRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Register an enterprise",
)
async def create(
    body: EnterpriseCreate, principal: Writer, session: SessionDep, response: Response
) -> EnterpriseRead:
    enterprise = await service.create_enterprise(session, principal, body)
    set_etag(response, enterprise.version)
    response.headers["Location"] = f"{router.prefix}/{enterprise.id}"
    return enterprise


@router.get(
    "/unionization-gap",
    operation_id="enterprises-unionization-gap",
    response_model=GapReport,
    responses=problem_responses(401, 403, 422),
    summary="Enterprises that should have a grassroots union and do not, by responsible union",
)
async def unionization_gap(
    principal: Reader,
    session: SessionDep,
    ownership: OwnershipFilter = None,
    min_workers: Annotated[
        int,
        Query(
            ge=1,
            le=1_000_000,
            description="Worker threshold; 20 is the founding target, a lower value also "
            "lists smaller enterprises",
        ),
    ] = repo.FOUNDING_MIN_WORKERS,
    responsible_union_id: ResponsibleUnion = None,
) -> Response:
    document = await gap.unionization_gap_json(
        session,
        principal,
        min_workers=min_workers,
        ownership=[o.value for o in ownership] if ownership else None,
        responsible_union_id=responsible_union_id,
    )
    # Already the GapReport shape (built by PostgreSQL); re-validating tens of thousands of
    # rows in Python would cost more than the query.
    return Response(document, media_type="application/json")


@router.get(
    "/{enterprise_id:uuid}",
    operation_id="enterprises-get",
    response_model=EnterpriseRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One enterprise",
)
async def get_enterprise(
    enterprise_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> EnterpriseRead:
    enterprise = await service.get_enterprise(session, principal, enterprise_id)
    set_etag(response, enterprise.version)
    return enterprise


@router.patch(
    "/{enterprise_id:uuid}",
    operation_id="enterprises-update",
    response_model=EnterpriseRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Edit an enterprise (If-Match supported)",
)
async def update(
    enterprise_id: uuid.UUID,
    body: EnterpriseUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EnterpriseRead:
    enterprise = await service.update_enterprise(session, principal, enterprise_id, body, if_match)
    set_etag(response, enterprise.version)
    return enterprise


@router.get(
    "/{enterprise_id:uuid}/surveys",
    operation_id="enterprises-surveys-list",
    response_model=list[SurveyRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="Worker survey history, newest first",
)
async def list_surveys(
    enterprise_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[SurveyRead]:
    return await service.survey_history(session, principal, enterprise_id)


@router.post(
    "/{enterprise_id:uuid}/surveys",
    operation_id="enterprises-surveys-create",
    response_model=SurveyRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Record a worker survey (the latest by date is the current size)",
)
async def create_survey(
    enterprise_id: uuid.UUID,
    body: SurveyCreate,
    principal: Writer,
    session: SessionDep,
    response: Response,
) -> SurveyRead:
    survey, version = await service.add_survey(session, principal, enterprise_id, body)
    set_etag(response, version)
    return survey
