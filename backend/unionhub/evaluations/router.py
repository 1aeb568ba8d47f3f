"""Strength evaluations API: schemes, rounds, evaluations and the yearly summary."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.evaluations import reads, rounds, service
from unionhub.evaluations import repository as repo
from unionhub.evaluations.models import EvaluationStatus
from unionhub.evaluations.schemas import (
    EvaluationDetail,
    EvaluationRead,
    EvaluationUpdate,
    EventRead,
    OptionalNote,
    Reason,
    RoundCreate,
    RoundRead,
    SchemeCreate,
    SchemeRead,
    Todo,
)

schemes_router = APIRouter(prefix="/api/v1/evaluation-schemes", tags=["evaluations"])
rounds_router = APIRouter(prefix="/api/v1/evaluation-rounds", tags=["evaluations"])
router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])

Reader = Annotated[Principal, Depends(require(Permission.EVALUATIONS_READ))]
SchemeManager = Annotated[Principal, Depends(require(Permission.EVALUATION_SCHEMES_MANAGE))]
Appraiser = Annotated[Principal, Depends(require(Permission.EVALUATIONS_APPRAISE))]
Year = Annotated[int, Query(ge=2000, le=2100)]


# ------------------------------------------------------------------ schemes


@schemes_router.get(
    "",
    operation_id="evaluation-schemes-list",
    response_model=list[SchemeRead],
    responses=problem_responses(401, 403),
    summary="Evaluation schemes, newest first",
)
async def list_schemes(principal: Reader, session: SessionDep) -> list[SchemeRead]:
    return [SchemeRead.model_validate(s) for s in await repo.list_schemes(session)]


@schemes_router.post(
    "",
    operation_id="evaluation-schemes-create",
    response_model=SchemeRead,
    status_code=201,
    responses=problem_responses(401, 403, 422),
    summary="Add a scheme, or a new version of one (same code)",
)
async def create_scheme(
    body: SchemeCreate, principal: SchemeManager, session: SessionDep, response: Response
) -> SchemeRead:
    scheme = await rounds.create_scheme(session, principal, body)
    response.headers["Location"] = f"{schemes_router.prefix}/{scheme.id}"
    return SchemeRead.model_validate(scheme)


@schemes_router.get(
    "/{scheme_id}",
    operation_id="evaluation-schemes-get",
    response_model=SchemeRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One evaluation scheme",
)
async def get_scheme(scheme_id: uuid.UUID, principal: Reader, session: SessionDep) -> SchemeRead:
    return SchemeRead.model_validate(await rounds.load_scheme(session, scheme_id))


# ------------------------------------------------------------------ rounds


@rounds_router.get(
    "",
    operation_id="evaluation-rounds-list",
    response_model=Page[RoundRead],
    responses=problem_responses(401, 403, 422),
    summary="Evaluation rounds you can see",
)
async def list_rounds(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Page[RoundRead]:
    return await reads.list_rounds(session, principal, year, page)


@rounds_router.post(
    "",
    operation_id="evaluation-rounds-open",
    response_model=RoundRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Open a round for every unit under a union (ineligible ones listed with the reason)",
)
async def open_round(
    body: RoundCreate, principal: Appraiser, session: SessionDep, response: Response
) -> RoundRead:
    round_ = await rounds.open_round(session, principal, body)
    response.headers["Location"] = f"{rounds_router.prefix}/{round_.id}"
    return await reads.get_round(session, principal, round_.id)


@rounds_router.get(
    "/{round_id}",
    operation_id="evaluation-rounds-get",
    response_model=RoundRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One round with its evaluations counted per status",
)
async def get_round(round_id: uuid.UUID, principal: Reader, session: SessionDep) -> RoundRead:
    return await reads.get_round(session, principal, round_id)


@rounds_router.post(
    "/{round_id}/publish",
    operation_id="evaluation-rounds-publish",
    response_model=RoundRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Publish the round's results (every eligible unit approved); locks them",
)
async def publish_round(
    round_id: uuid.UUID, principal: Appraiser, session: SessionDep
) -> RoundRead:
    round_ = await rounds.publish_round(session, principal, round_id)
    return await reads.get_round(session, principal, round_.id)


@rounds_router.post(
    "/{round_id}/reopen",
    operation_id="evaluation-rounds-reopen",
    response_model=RoundRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Unlock a published round, with the reason",
)
async def reopen_round(
    round_id: uuid.UUID, body: Reason, principal: Appraiser, session: SessionDep
) -> RoundRead:
    round_ = await rounds.reopen_round(session, principal, round_id, body)
    return await reads.get_round(session, principal, round_.id)


# ------------------------------------------------------------------ evaluations


@router.get(
    "",
    operation_id="evaluations-list",
    response_model=Page[EvaluationRead],
    responses=problem_responses(401, 403, 422),
    summary="Evaluations in your scope",
)
async def list_evaluations(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    round_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    union_id: Annotated[
        uuid.UUID | None, Query(description="Only this union and the unions under it")
    ] = None,
    unit_id: Annotated[
        uuid.UUID | None,
        Query(description="Only this union's own ratings, every year (its rating history)"),
    ] = None,
    appraiser_union_id: Annotated[
        uuid.UUID | None, Query(description="Only units this union appraises")
    ] = None,
    status: Annotated[list[EvaluationStatus] | None, Query()] = None,
    level: Annotated[list[str] | None, Query(max_length=10)] = None,
    overdue: Annotated[
        bool,
        Query(
            description="Only the late ones in open rounds: not submitted by the self-assessment "
            "deadline in force for the unit, or not appraised by the appraisal deadline"
        ),
    ] = False,
) -> Page[EvaluationRead]:
    filters = repo.EvaluationFilters(
        round_id=round_id,
        year=year,
        union_id=union_id,
        unit_id=unit_id,
        appraiser_union_id=appraiser_union_id,
        status=[s.value for s in status] if status else None,
        level=level,
        overdue=date.today() if overdue else None,
    )
    return await reads.list_evaluations(session, principal, filters, page)


@router.get(
    "/todo",
    operation_id="evaluations-todo",
    response_model=Todo,
    responses=problem_responses(401, 403),
    summary="What waits for you in open rounds (overview and menu badge)",
)
async def todo(principal: Reader, session: SessionDep) -> Todo:
    return await reads.todo(session, principal)


async def _detail(
    session: SessionDep, principal: Principal, loaded: service.Loaded, response: Response
) -> EvaluationDetail:
    set_etag(response, loaded.evaluation.version)
    return await reads.detail_of(session, principal, loaded)


@router.get(
    "/{evaluation_id}",
    operation_id="evaluations-get",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 422),
    summary="One evaluation: both sides' points, the level each gives, suggested scores",
)
async def get_evaluation(
    evaluation_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> EvaluationDetail:
    loaded = await service.load(session, principal, evaluation_id)
    return await _detail(session, principal, loaded, response)


@router.get(
    "/{evaluation_id}/history",
    operation_id="evaluations-history",
    response_model=list[EventRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="Every step of the evaluation, oldest first",
)
async def history(
    evaluation_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[EventRead]:
    return await reads.history_of(session, principal, evaluation_id)


@router.patch(
    "/{evaluation_id}",
    operation_id="evaluations-update",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Save points, conditions and notes of the self-assessment or of the appraisal",
)
async def update(
    evaluation_id: uuid.UUID,
    body: EvaluationUpdate,
    principal: Reader,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EvaluationDetail:
    loaded = await service.update_scores(session, principal, evaluation_id, body, if_match)
    return await _detail(session, principal, loaded, response)


@router.post(
    "/{evaluation_id}/submit",
    operation_id="evaluations-submit",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Submit the self-assessment to the direct superior",
)
async def submit(
    evaluation_id: uuid.UUID,
    body: OptionalNote,
    principal: Reader,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EvaluationDetail:
    loaded = await service.submit(session, principal, evaluation_id, body, if_match)
    return await _detail(session, principal, loaded, response)


@router.post(
    "/{evaluation_id}/return",
    operation_id="evaluations-return",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Return a submission to the unit for revision, with the reason",
)
async def return_(
    evaluation_id: uuid.UUID,
    body: Reason,
    principal: Appraiser,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EvaluationDetail:
    loaded = await service.return_for_revision(session, principal, evaluation_id, body, if_match)
    return await _detail(session, principal, loaded, response)


@router.post(
    "/{evaluation_id}/approve",
    operation_id="evaluations-approve",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Approve the appraisal (hard conditions cap the level; the quota is checked)",
)
async def approve(
    evaluation_id: uuid.UUID,
    body: OptionalNote,
    principal: Appraiser,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EvaluationDetail:
    loaded = await service.approve(session, principal, evaluation_id, body, if_match)
    return await _detail(session, principal, loaded, response)


@router.post(
    "/{evaluation_id}/reopen",
    operation_id="evaluations-reopen",
    response_model=EvaluationDetail,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Take an approved rating back to appraisal, with the reason",
)
async def reopen(
    evaluation_id: uuid.UUID,
    body: Reason,
    principal: Appraiser,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> EvaluationDetail:
    loaded = await service.reopen(session, principal, evaluation_id, body, if_match)
    return await _detail(session, principal, loaded, response)
