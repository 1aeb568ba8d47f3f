import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import SearchText
from unionhub.users import service
from unionhub.users.repository import UserFilters
from unionhub.users.schemas import PasswordSet, RoleGrant, UserCreate, UserRead, UserUpdate

router = APIRouter(prefix="/api/v1/users", tags=["users"])

Reader = Annotated[Principal, Depends(require(Permission.USERS_READ))]
Manager = Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]


@router.get(
    "",
    operation_id="users-list",
    response_model=Page[UserRead],
    responses=problem_responses(401, 403, 422),
    summary="List the accounts in your scope",
)
async def list_users(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[
        SearchText | None,
        Query(
            description="Username or full name, without accents or case: 'nguyen' finds 'Nguyễn'"
        ),
    ] = None,
    role: Annotated[Role | None, Query(description="Only users holding this role")] = None,
    union_id: Annotated[
        uuid.UUID | None, Query(description="Only users holding a role at this union")
    ] = None,
    is_active: bool | None = None,
) -> Page[UserRead]:
    filters = UserFilters(q=q, role=role, union_id=union_id, is_active=is_active)
    return await service.list_users(session, principal, filters, page)


@router.post(
    "",
    operation_id="users-create",
    response_model=UserRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Create an account with its roles",
)
async def create_user(
    body: UserCreate, principal: Manager, session: SessionDep, response: Response
) -> UserRead:
    user = await service.create_user(session, principal, body)
    set_etag(response, user.version)
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return user


@router.get(
    "/{user_id:uuid}",
    operation_id="users-get",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="One account with its roles",
)
async def get_user(
    user_id: uuid.UUID, principal: Reader, session: SessionDep, response: Response
) -> UserRead:
    user = await service.get_user(session, principal, user_id)
    set_etag(response, user.version)
    return user


@router.patch(
    "/{user_id:uuid}",
    operation_id="users-update",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Edit name, email or active flag (If-Match supported; deactivating signs the user out)",
)
async def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UserRead:
    user = await service.update_user(session, principal, user_id, body, if_match)
    set_etag(response, user.version)
    return user


@router.post(
    "/{user_id:uuid}/roles",
    operation_id="users-add-role",
    response_model=UserRead,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Grant a role at a union (no higher than your own there)",
)
async def add_role(
    user_id: uuid.UUID,
    body: RoleGrant,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UserRead:
    user = await service.add_role(session, principal, user_id, body, if_match)
    set_etag(response, user.version)
    return user


@router.delete(
    "/{user_id:uuid}/roles/{assignment_id:uuid}",
    operation_id="users-remove-role",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Withdraw a role assignment",
)
async def remove_role(
    user_id: uuid.UUID,
    assignment_id: uuid.UUID,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> UserRead:
    user = await service.remove_role(session, principal, user_id, assignment_id, if_match)
    set_etag(response, user.version)
    return user


@router.put(
    "/{user_id:uuid}/password",
    operation_id="users-set-password",
    status_code=204,
    responses=problem_responses(401, 403, 404, 422),
    summary="Set a user's password (ends all their sign-ins)",
)
async def set_password(
    user_id: uuid.UUID, body: PasswordSet, principal: Manager, session: SessionDep
) -> None:
    await service.set_password(session, principal, user_id, body.password)
