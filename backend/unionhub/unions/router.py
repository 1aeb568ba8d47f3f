import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import Day, SearchText
from unionhub.unions import reads, search, service, whereabouts
from unionhub.unions.models import Sector, UnionKind, UnionLevel, UnionStatus
from unionhub.unions.schemas import (
    UnionCreate,
    UnionDissolve,
    UnionEventRead,
    UnionRead,
    UnionSearch,
    UnionTree,
    UnionUpdate,
    UnionWhereabouts,
)

router = APIRouter(prefix="/api/v1/unions", tags=["unions"])

Reader = Annotated[Principal, Depends(require(Permission.UNIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.UNIONS_WRITE))]


@router.get(
    "",
    operation_id="unions-list",
    response_model=Page[UnionRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="List unions in your scope",
)
async def list_unions(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    parent_id: uuid.UUID | None = None,
    under_id: Annotated[
        uuid.UUID | None, Query(description="Only this union and everything under it")
    ] = None,
    level: Annotated[list[UnionLevel] | None, Query()] = None,
    kind: Annotated[list[UnionKind] | None, Query()] = None,
    sector: Sector | None = None,
    status: Annotated[list[UnionStatus] | None, Query()] = None,
    q: Annotated[
        SearchText | None,
        Query(description="Code or name, without accents or case: 'cai be' finds 'Cái Bè'"),
    ] = None,
    sort: reads.SortKey = "path",
) -> Page[UnionRead]:
    filters = reads.UnionFilters(
        parent_id=parent_id,
        under_id=under_id,
        level=[v.value for v in level] if level else None,
        kind=[v.value for v in kind] if kind else None,
        sector=sector.value if sector else None,
        status=[v.value for v in status] if status else None,
        q=q,
    )
    return await reads.list_unions(session, principal, filters, page, sort)


@router.get(
    "/search",
    operation_id="unions-search",
    response_model=UnionSearch,
    responses=problem_responses(401, 403, 422),
    summary="Find unions by name, best first (any word order, abbreviations, a past date's tree)",
)
async def search_unions(
    principal: Reader,
    session: SessionDep,
    q: Annotated[
        SearchText,
        Query(
            description="Words of the code or name in any order, without accents, with the usual "
            "abbreviations: 'ldld my tho', 'cdcs cty tnhh viet tien'"
        ),
    ],
    as_of: Annotated[
        Day | None, Query(description="Search the tree as it stood on this date (YYYY-MM-DD)")
    ] = None,
    active_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> UnionSearch:
    items = await search.search(
        session, principal, q, as_of=as_of, active_only=active_only, limit=limit
    )
    return UnionSearch(as_of=as_of, items=items)


@router.get(
    "/tree",
    operation_id="unions-tree",
    response_model=UnionTree,
    responses=problem_responses(401, 403, 404, 422),
    summary="The union tree (your subtree, or under root_id), today or on a past date",
)
async def get_tree(
    principal: Reader,
    session: SessionDep,
    root_id: uuid.UUID | None = None,
    depth: Annotated[int, Query(ge=1, le=10)] = 2,
    as_of: Annotated[
        Day | None, Query(description="The tree as it stood on this date (YYYY-MM-DD)")
    ] = None,
    include_inactive: bool = False,
) -> UnionTree:
    return await reads.tree(
        session,
        principal,
        root_id=root_id,
        depth=depth,
        as_of=as_of,
        include_inactive=include_inactive,
    )


@router.post(
    "",
    operation_id="unions-found",
    response_model=UnionRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Found a union (with its founding decision)",
)
async def found(
    body: UnionCreate, principal: Writer, session: SessionDep, response: Response
) -> UnionRead:
    union = await service.found(session, principal, body)
    set_etag(response, union.version)
    response.headers["Location"] = f"/api/v1/unions/{union.id}"
    return union


@router.get(
    "/{union_id:uuid}",
    operation_id="unions-get",
    response_model=UnionRead,
    responses=problem_responses(401, 404, 422),
    summary="One union",
)
async def get_union(
    union_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> UnionRead:
    union = await reads.get_union(session, principal, union_id)
    set_etag(response, union.version)
    return union


@router.get(
    "/{union_id:uuid}/whereabouts",
    operation_id="unions-whereabouts",
    response_model=UnionWhereabouts,
    responses=problem_responses(401, 404, 422),
    summary="Where a dissolved or merged union's units and members went",
)
async def get_whereabouts(
    union_id: uuid.UUID, principal: Reader, session: SessionDep
) -> UnionWhereabouts:
    return await whereabouts.whereabouts(session, principal, union_id)


@router.patch(
    "/{union_id:uuid}",
    operation_id="unions-update",
    response_model=UnionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Edit or rename a union (If-Match supported)",
)
async def update(
    union_id: uuid.UUID,
    body: UnionUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UnionRead:
    union = await service.edit(session, principal, union_id, body, if_match)
    set_etag(response, union.version)
    return union


@router.post(
    "/{union_id:uuid}/dissolve",
    operation_id="unions-dissolve",
    response_model=UnionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Dissolve a union (refused while it has active children or members)",
)
async def dissolve(
    union_id: uuid.UUID,
    body: UnionDissolve,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UnionRead:
    union = await service.dissolve(session, principal, union_id, body, if_match)
    set_etag(response, union.version)
    return union


@router.get(
    "/{union_id:uuid}/history",
    operation_id="unions-history",
    response_model=list[UnionEventRead],
    responses=problem_responses(401, 404, 422),
    summary="The dated events of a union (founded, renamed, moved, merged, dissolved)",
)
async def history(
    union_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[UnionEventRead]:
    return await service.events(session, principal, union_id)
