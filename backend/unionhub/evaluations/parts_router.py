"""/api/v1/evaluation-rounds/{id}/parts: a lower union's part of a round opened above it (its
own deadlines, publishing and reopening its units' results). Rules in evaluations.parts."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.evaluations import parts
from unionhub.evaluations.schemas import PartRead, PartSet, Reason

router = APIRouter(prefix="/api/v1/evaluation-rounds", tags=["evaluations"])

Reader = Annotated[Principal, Depends(require(Permission.EVALUATIONS_READ))]
Appraiser = Annotated[Principal, Depends(require(Permission.EVALUATIONS_APPRAISE))]
PART = "/{round_id}/parts/{union_id}"


@router.get(
    "/{round_id}/parts",
    operation_id="evaluation-rounds-parts-list",
    response_model=list[PartRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The parts lower unions run of the round (their deadlines, published or not)",
)
async def list_parts(round_id: uuid.UUID, principal: Reader, session: SessionDep) -> list[PartRead]:
    return await parts.list_parts(session, principal, round_id)


@router.put(
    PART,
    operation_id="evaluation-rounds-part-set",
    response_model=PartRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="A lower union's own deadlines for its units (none later than the round's)",
)
async def set_part(
    round_id: uuid.UUID,
    union_id: uuid.UUID,
    body: PartSet,
    principal: Appraiser,
    session: SessionDep,
) -> PartRead:
    return await parts.set_part(session, principal, round_id, union_id, body)


@router.post(
    f"{PART}/publish",
    operation_id="evaluation-rounds-part-publish",
    response_model=PartRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Publish the results of a lower union's units (all approved); locks them",
)
async def publish_part(
    round_id: uuid.UUID, union_id: uuid.UUID, principal: Appraiser, session: SessionDep
) -> PartRead:
    return await parts.publish_part(session, principal, round_id, union_id)


@router.post(
    f"{PART}/reopen",
    operation_id="evaluation-rounds-part-reopen",
    response_model=PartRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Unlock a lower union's published part, with the reason",
)
async def reopen_part(
    round_id: uuid.UUID,
    union_id: uuid.UUID,
    body: Reason,
    principal: Appraiser,
    session: SessionDep,
) -> PartRead:
    return await parts.reopen_part(session, principal, round_id, union_id, body)
