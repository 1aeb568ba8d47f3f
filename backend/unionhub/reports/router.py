import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.reports import service
from unionhub.reports.schemas import Overview

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.get(
    "/overview",
    operation_id="reports-overview",
    response_model=Overview,
    responses=problem_responses(401, 403, 404, 422),
    summary="Counts of unions, members and enterprises in your scope, with chart series",
)
async def overview(
    principal: Annotated[Principal, Depends(require(Permission.UNIONS_READ))],
    session: SessionDep,
    union_id: Annotated[
        uuid.UUID | None, Query(description="Only this union and everything under it")
    ] = None,
) -> Overview:
    return await service.overview(session, principal, union_id)
