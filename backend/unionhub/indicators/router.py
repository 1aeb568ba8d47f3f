"""Indicators API: the catalogue, a value with its groups, and the records behind it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import Day
from unionhub.indicators import service
from unionhub.indicators.catalogue import KEYS
from unionhub.indicators.schemas import (
    GroupBy,
    IndicatorDefinition,
    IndicatorRecord,
    IndicatorValue,
)

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"])

# Each indicator checks its own permission (members, enterprises, evaluations) on the union.
Reader = Annotated[Principal, Depends(require(Permission.UNIONS_READ))]
Key = Annotated[str, Path(pattern=r"^[a-z_]{1,40}$", description=f"One of: {', '.join(KEYS)}")]
UnionId = Annotated[
    uuid.UUID | None,
    Query(description="The union counted with everything under it (default: your top union)"),
]
AsOf = Annotated[Day | None, Query(description="The day of a level (default: `to`, or today)")]
From = Annotated[
    Day | None, Query(alias="from", description="First day of the period (default: 1 January)")
]
To = Annotated[Day | None, Query(description="Last day of the period, inclusive (default: today)")]
MinWorkers = Annotated[
    int | None,
    Query(ge=1, le=10_000, description="enterprises_with_union: the worker threshold N (20)"),
]


def _parameters(min_workers: int | None) -> dict[str, int]:
    return {} if min_workers is None else {"min_workers": min_workers}


@router.get(
    "",
    operation_id="indicators-list",
    response_model=list[IndicatorDefinition],
    responses=problem_responses(401, 403),
    summary="The indicator catalogue, with definitions in Vietnamese and English",
)
async def list_indicators(principal: Reader) -> list[IndicatorDefinition]:
    return service.catalogue()


@router.get(
    "/{key}",
    operation_id="indicators-value",
    response_model=IndicatorValue,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="An indicator for a union: value, numerator, denominator and groups",
)
async def get_value(
    key: Key,
    principal: Reader,
    session: SessionDep,
    union_id: UnionId = None,
    as_of: AsOf = None,
    period_from: From = None,
    to: To = None,
    group_by: Annotated[GroupBy | None, Query()] = None,
    min_workers: MinWorkers = None,
) -> IndicatorValue:
    return await service.value(
        session,
        principal,
        key,
        union_id,
        as_of,
        period_from,
        to,
        group_by,
        _parameters(min_workers),
    )


@router.get(
    "/{key}/records",
    operation_id="indicators-records",
    response_model=Page[IndicatorRecord],
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="The records an indicator counts, page by page",
)
async def get_records(
    key: Key,
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    union_id: UnionId = None,
    as_of: AsOf = None,
    period_from: From = None,
    to: To = None,
    min_workers: MinWorkers = None,
    child_id: Annotated[
        uuid.UUID | None, Query(description="Only the records under this child (in their tree)")
    ] = None,
    in_numerator: Annotated[
        bool | None, Query(description="Only the records in (true) or out of (false) the numerator")
    ] = None,
) -> Page[IndicatorRecord]:
    return await service.records_page(
        session,
        principal,
        key,
        union_id,
        as_of,
        period_from,
        to,
        _parameters(min_workers),
        child_id,
        in_numerator,
        page,
    )
