"""Programmes API: programmes and resolutions, their targets, allocations and progress."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import Day
from unionhub.evaluations.schemas import GroupBy, Summary, SummaryYears
from unionhub.programmes import evaluation_summary, service
from unionhub.programmes import progress as progresses
from unionhub.programmes.schemas import (
    AllocationCreate,
    AllocationHandover,
    AllocationRead,
    AllocationUpdate,
    ProgrammeCreate,
    ProgrammeDetail,
    ProgrammeProgress,
    ProgrammeRead,
    ProgrammeUpdate,
    ProportionalAllocation,
    TargetCreate,
    TargetRead,
    TargetUpdate,
)

router = APIRouter(prefix="/api/v1/programmes", tags=["programmes"])

Reader = Annotated[Principal, Depends(require(Permission.UNIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.PROGRAMMES_WRITE))]
P = "/{programme_id:uuid}"
T = P + "/targets/{target_id:uuid}"
A = P + "/allocations/{allocation_id:uuid}"


@router.get(
    "",
    operation_id="programmes-list",
    response_model=Page[ProgrammeRead],
    responses=problem_responses(401, 403, 422),
    summary="Programmes you can see: your subtree's and those of the unions above you",
)
async def list_programmes(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: Annotated[uuid.UUID | None, Query(description="Only this union's")] = None,
) -> Page[ProgrammeRead]:
    return await service.list_programmes(session, principal, union_id, page)


@router.post(
    "",
    operation_id="programmes-create",
    response_model=ProgrammeDetail,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Add a programme or congress resolution with its targets",
)
async def create_programme(
    body: ProgrammeCreate, principal: Writer, session: SessionDep, response: Response
) -> ProgrammeDetail:
    programme = await service.create_programme(session, principal, body)
    response.headers["Location"] = f"{router.prefix}/{programme.id}"
    set_etag(response, programme.version)
    return programme


@router.get(
    P,
    operation_id="programmes-get",
    response_model=ProgrammeDetail,
    responses=problem_responses(401, 403, 404, 422),
    summary="A programme with its targets and allocations",
)
async def get_programme(
    programme_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> ProgrammeDetail:
    programme = await service.detail(session, principal, programme_id)
    set_etag(response, programme.version)
    return programme


@router.patch(
    P,
    operation_id="programmes-update",
    response_model=ProgrammeDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Edit a programme (If-Match); an early end sets actual_end and end_reason",
)
async def update_programme(
    programme_id: uuid.UUID,
    body: ProgrammeUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> ProgrammeDetail:
    programme = await service.update_programme(session, principal, programme_id, body, if_match)
    set_etag(response, programme.version)
    return programme


@router.delete(
    P,
    operation_id="programmes-delete",
    status_code=204,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Delete a programme with its targets and allocations (If-Match)",
)
async def delete_programme(
    programme_id: uuid.UUID, principal: Writer, session: SessionDep, if_match: IfMatch
) -> Response:
    await service.delete_programme(session, principal, programme_id, if_match)
    return Response(status_code=204)


@router.get(
    P + "/progress",
    operation_id="programmes-progress",
    response_model=ProgrammeProgress,
    responses=problem_responses(401, 403, 404, 422),
    summary="Progress of every target for a union and each of its children, on a day",
)
async def get_progress(
    programme_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    union_id: Annotated[
        uuid.UUID | None, Query(description="The owner (default) or a union under it")
    ] = None,
    as_of: Annotated[
        Day | None, Query(description="Default: today (at most the term's end)")
    ] = None,
) -> ProgrammeProgress:
    return await progresses.progress(session, principal, programme_id, union_id, as_of)


@router.post(
    P + "/targets",
    operation_id="programmes-targets-create",
    response_model=TargetRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Add a target",
)
async def add_target(
    programme_id: uuid.UUID, body: TargetCreate, principal: Writer, session: SessionDep
) -> TargetRead:
    return await service.add_target(session, principal, programme_id, body)


@router.patch(
    T,
    operation_id="programmes-targets-update",
    response_model=TargetRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Edit a target (If-Match)",
)
async def update_target(
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    body: TargetUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> TargetRead:
    target = await service.update_target(
        session, principal, programme_id, target_id, body, if_match
    )
    set_etag(response, target.version)
    return target


@router.delete(
    T,
    operation_id="programmes-targets-delete",
    status_code=204,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Delete a target with its allocations (If-Match)",
)
async def delete_target(
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch,
) -> Response:
    await service.delete_target(session, principal, programme_id, target_id, if_match)
    return Response(status_code=204)


@router.post(
    T + "/allocations",
    operation_id="programmes-allocations-create",
    response_model=AllocationRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 422),
    summary="Allocate part of a target to a child union by hand",
)
async def add_allocation(
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    body: AllocationCreate,
    principal: Writer,
    session: SessionDep,
) -> AllocationRead:
    return await service.add_allocation(session, principal, programme_id, target_id, body)


@router.post(
    T + "/allocations/proportional",
    operation_id="programmes-allocations-proportional",
    response_model=list[AllocationRead],
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Allocate a target to every child in proportion to members or enterprises",
)
async def allocate_proportionally(
    programme_id: uuid.UUID,
    target_id: uuid.UUID,
    body: ProportionalAllocation,
    principal: Writer,
    session: SessionDep,
) -> list[AllocationRead]:
    return await service.allocate_proportionally(session, principal, programme_id, target_id, body)


@router.patch(
    A,
    operation_id="programmes-allocations-update",
    response_model=AllocationRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Adjust an allocation (If-Match)",
)
async def update_allocation(
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    body: AllocationUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> AllocationRead:
    allocation = await service.update_allocation(
        session, principal, programme_id, allocation_id, body, if_match
    )
    set_etag(response, allocation.version)
    return allocation


@router.delete(
    A,
    operation_id="programmes-allocations-delete",
    status_code=204,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Remove an open allocation given by hand or in proportion (If-Match)",
)
async def delete_allocation(
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch,
) -> Response:
    await service.delete_allocation(session, principal, programme_id, allocation_id, if_match)
    return Response(status_code=204)


@router.post(
    A + "/hand-over",
    operation_id="programmes-allocations-hand-over",
    response_model=list[AllocationRead],
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Close an allocation on a reorganisation and hand it to successors (If-Match)",
)
async def hand_over(
    programme_id: uuid.UUID,
    allocation_id: uuid.UUID,
    body: AllocationHandover,
    principal: Writer,
    session: SessionDep,
    if_match: IfMatch,
) -> list[AllocationRead]:
    return await service.hand_over(session, principal, programme_id, allocation_id, body, if_match)


# ------------------------------------------------------------------ the evaluations summary
# On the evaluations' paths, here because "strong" and the targets are the programme's.

evaluations_summary_router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])
EvaluationsReader = Annotated[Principal, Depends(require(Permission.EVALUATIONS_READ))]
Year = Annotated[int, Query(ge=2000, le=2100)]
ProgrammeQuery = Annotated[
    uuid.UUID | None,
    Query(
        description="The programme whose strong levels and targets apply (default: the "
        "programme of the union or of the nearest union above it whose term covers the year)"
    ),
]


@evaluations_summary_router.get(
    "/summary",
    operation_id="evaluations-summary",
    response_model=Summary,
    responses=problem_responses(401, 403, 404, 422),
    summary="A year's figures under a union, by the tree of that year: eligible, rated, per "
    "level, strong count and share, state and non-state",
)
async def summary(
    principal: EvaluationsReader,
    session: SessionDep,
    year: Year,
    union_id: Annotated[
        uuid.UUID | None, Query(description="Default: the union of your (first) role")
    ] = None,
    group_by: GroupBy | None = None,
    programme_id: ProgrammeQuery = None,
) -> Summary:
    return await evaluation_summary.summary(
        session, principal, year, union_id, group_by, programme_id
    )


@evaluations_summary_router.get(
    "/summary/years",
    operation_id="evaluations-summary-years",
    response_model=SummaryYears,
    responses=problem_responses(401, 403, 404, 422),
    summary="The summary's state, non-state and total figures for each year of a range, each "
    "by the tree of that year (the chart of the years)",
)
async def summary_years(
    principal: EvaluationsReader,
    session: SessionDep,
    from_year: Year = 2018,
    to_year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Default: the current year")
    ] = None,
    union_id: Annotated[
        uuid.UUID | None, Query(description="Default: the union of your (first) role")
    ] = None,
    programme_id: ProgrammeQuery = None,
) -> SummaryYears:
    return await evaluation_summary.summary_years(
        session, principal, from_year, to_year, union_id, programme_id
    )
