"""Union cadres: the posts of a union, and a member's posts."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.members import cadres
from unionhub.members.schemas import CadreCreate, CadreEnd, CadreRead, CadreUpdate

router = APIRouter(tags=["union cadres"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]
_WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 422)


@router.get(
    "/api/v1/unions/{union_id:uuid}/cadres",
    operation_id="unions-cadres",
    response_model=list[CadreRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The union's cadres: posts held today, or every post with include_past",
)
async def union_cadres(
    union_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    include_past: Annotated[bool, Query(description="Also posts that have ended")] = False,
) -> list[CadreRead]:
    return await cadres.union_cadres(session, principal, union_id, include_past)


@router.get(
    "/api/v1/members/{member_id:uuid}/cadre-posts",
    operation_id="cadres-list",
    response_model=list[CadreRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The posts a member holds or held",
)
async def member_posts(
    member_id: uuid.UUID, principal: Reader, session: SessionDep
) -> list[CadreRead]:
    return await cadres.member_posts(session, principal, member_id)


@router.post(
    "/api/v1/members/{member_id:uuid}/cadre-posts",
    operation_id="cadres-create",
    response_model=CadreRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Record a post the member holds in their union or a union above it",
)
async def create_post(
    member_id: uuid.UUID,
    body: CadreCreate,
    principal: Writer,
    session: SessionDep,
    response: Response,
) -> CadreRead:
    post = await cadres.create_post(session, principal, member_id, body)
    set_etag(response, post.version)
    return post


@router.patch(
    "/api/v1/members/cadre-posts/{post_id:uuid}",
    operation_id="cadres-update",
    response_model=CadreRead,
    responses=_WRITE_ERRORS,
    summary="Correct a post's dates, decision or full-time flag (If-Match)",
)
async def update_post(
    post_id: uuid.UUID,
    body: CadreUpdate,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> CadreRead:
    post = await cadres.update_post(session, principal, post_id, body, if_match)
    set_etag(response, post.version)
    return post


@router.post(
    "/api/v1/members/cadre-posts/{post_id:uuid}/end",
    operation_id="cadres-end",
    response_model=CadreRead,
    responses=_WRITE_ERRORS,
    summary="End a post (to_date: the last day in it)",
)
async def end_post(
    post_id: uuid.UUID,
    body: CadreEnd,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> CadreRead:
    post = await cadres.end_post(session, principal, post_id, body, if_match)
    set_etag(response, post.version)
    return post
