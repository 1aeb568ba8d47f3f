"""Routes of the cross-domain work. Same paths and operation ids as if each sat with its
domain (`/unions/{id}/move`, `/unions/{id}/merge`, `/enterprises/{id}/found-union`); main.py
includes this router."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.enterprises.schemas import FoundUnion, FoundUnionResult
from unionhub.unions.schemas import UnionMerge, UnionMove, UnionRead
from unionhub.workflows import enterprise_union, union_merge, union_move

unions = APIRouter(prefix="/api/v1/unions", tags=["unions"])
enterprises = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises"])

UnionWriter = Annotated[Principal, Depends(require(Permission.UNIONS_WRITE))]
EnterpriseWriter = Annotated[Principal, Depends(require(Permission.ENTERPRISES_WRITE))]


@unions.post(
    "/{union_id:uuid}/move",
    operation_id="unions-move",
    response_model=UnionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Move a union and its whole subtree under another parent",
)
async def move(
    union_id: uuid.UUID,
    body: UnionMove,
    principal: UnionWriter,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UnionRead:
    union = await union_move.move(session, principal, union_id, body, if_match)
    set_etag(response, union.version)
    return union


@unions.post(
    "/{union_id:uuid}/merge",
    operation_id="unions-merge",
    response_model=UnionRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Merge a union into another (its children and members move to the target)",
)
async def merge(
    union_id: uuid.UUID,
    body: UnionMerge,
    principal: UnionWriter,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UnionRead:
    union = await union_merge.merge(session, principal, union_id, body, if_match)
    set_etag(response, union.version)
    return union


@enterprises.post(
    "/{enterprise_id:uuid}/found-union",
    operation_id="enterprises-found-union",
    response_model=FoundUnionResult,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Found the enterprise's grassroots union, with its founding members",
)
async def found_union(
    enterprise_id: uuid.UUID,
    body: FoundUnion,
    principal: EnterpriseWriter,
    session: SessionDep,
    response: Response,
) -> FoundUnionResult:
    result = await enterprise_union.found_enterprise_union(session, principal, enterprise_id, body)
    response.headers["Location"] = f"/api/v1/unions/{result.union.id}"
    return result
