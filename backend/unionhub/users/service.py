"""Account management: who may see, create and change which accounts, and which roles they grant.

Visibility: an account is visible when at least one of its roles sits at a union inside the
caller's users:read scope (404 otherwise). Manageability: every one of its roles must sit inside
the caller's users:manage scope at a rank the caller could grant there (403 otherwise), so an
officer can never edit someone who outranks them or who also works elsewhere.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth import repository as auth_repo
from unionhub.auth.models import RoleAssignment, User
from unionhub.authz import principal_cache
from unionhub.authz.permissions import ROLE_RANK, Permission, Role, permissions_of
from unionhub.authz.principal import Assignment, Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.security import hash_password
from unionhub.unions.models import Union, UnionStatus
from unionhub.users import repository as repo
from unionhub.users.schemas import RoleGrant, UserCreate, UserRead, UserUpdate

M = Permission.USERS_MANAGE


def _not_found() -> NotFound:
    return NotFound("No user with this id.", code=ErrorCode.USER_NOT_FOUND)


def may_manage(principal: Principal, assignments: list[Assignment]) -> bool:
    return principal.is_admin or all(
        principal.holds_at(a.union_path, M)
        and ROLE_RANK[a.role] <= principal.max_rank_at(a.union_path)
        for a in assignments
    )


async def _load_manageable(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID
) -> tuple[User, list[Assignment]]:
    user = await repo.get_visible(session, principal, user_id, for_update=True)
    if user is None:
        raise _not_found()
    assignments = await auth_repo.assignments_of(session, user.id)
    if not may_manage(principal, assignments):
        raise Forbidden(
            "This account holds a role outside your scope or above your own; "
            "ask a higher-level officer.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    return user, assignments


async def _check_grant(
    session: AsyncSession, principal: Principal, grant: RoleGrant, prefix: str
) -> Union:
    """The union must be one the caller manages and the role no higher than they could hold."""
    union = await get_union_in_scope(session, principal, grant.union_id, M)
    if grant.role == Role.ADMIN and not principal.is_admin:
        raise Forbidden(
            "Only an administrator may grant the admin role.", code=ErrorCode.ROLE_ABOVE_OWN
        )
    if ROLE_RANK[grant.role] > principal.max_rank_at(union.path):
        raise Forbidden(
            "You cannot grant a role above your own at this union.", code=ErrorCode.ROLE_ABOVE_OWN
        )
    if union.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            f"{prefix}union_id", ErrorCode.UNION_INACTIVE, "The union is dissolved or merged."
        )
    return union


def _snapshot(user: User, assignments: list[Assignment]) -> dict[str, Any]:
    data = snapshot(user)
    data["roles"] = [{"role": a.role.value, "union_id": a.union_id} for a in assignments]
    return data


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    user: User,
    assignments: list[Assignment],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    # Scoped by the user's topmost assignment (assignments_of orders by union path).
    union_id = assignments[0].union_id if assignments else None
    await audit.record(
        session, principal, action, "user", user.id, union_id=union_id, before=before, after=after
    )


async def read(session: AsyncSession, user: User) -> UserRead:
    roles = await repo.roles_of(session, [user.id])
    return _to_read(user, roles.get(user.id, []))


def _to_read(user: User, roles: list[Any]) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        is_active=user.is_active,
        roles=roles,
        version=user.version,
        created_at=user.created_at,
        updated_at=user.updated_at,
    )


async def list_users(
    session: AsyncSession, principal: Principal, filters: repo.UserFilters, page: PageParams
) -> Page[UserRead]:
    """Accounts visible to the caller, by username, with their roles (three queries a page)."""

    async def with_roles(rows: list[Any]) -> list[UserRead]:
        users = [r[0] for r in rows]
        roles = await repo.roles_of(session, [u.id for u in users])
        return [_to_read(u, roles.get(u.id, [])) for u in users]

    return await paginate(session, repo.list_query(principal, filters), page, with_roles)


async def get_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> UserRead:
    user = await repo.get_visible(session, principal, user_id)
    if user is None:
        raise _not_found()
    return await read(session, user)


async def create_user(session: AsyncSession, principal: Principal, data: UserCreate) -> UserRead:
    """Create an account with its roles; every role must be one the caller may grant."""
    seen: set[tuple[Role, uuid.UUID]] = set()
    for i, grant in enumerate(data.roles):
        # Scope first: a caller without rights learns nothing about which usernames exist.
        await _check_grant(session, principal, grant, f"roles.{i}.")
        if (grant.role, grant.union_id) in seen:
            raise Unprocessable(
                f"roles.{i}",
                ErrorCode.DUPLICATE_ROLE,
                "The same role at the same union is listed twice.",
            )
        seen.add((grant.role, grant.union_id))
    if await repo.username_taken(session, data.username):
        raise Unprocessable(
            "username",
            ErrorCode.USERNAME_TAKEN,
            f"The username {data.username} is already in use.",
            params={"value": data.username},
        )
    user = User(
        username=data.username,
        full_name=data.full_name,
        email=data.email,
        password_hash=await run_in_threadpool(hash_password, data.password),
        is_active=data.is_active,
        version=1,
    )
    session.add(user)
    await session.flush()
    for grant in data.roles:
        principal_cache.forget_all()
        session.add(RoleAssignment(user_id=user.id, role=grant.role.value, union_id=grant.union_id))
    await session.flush()
    await session.refresh(user)
    assignments = await auth_repo.assignments_of(session, user.id)
    await _audit(
        session, principal, "user.create", user, assignments, after=_snapshot(user, assignments)
    )
    return await read(session, user)


async def update_user(
    session: AsyncSession,
    principal: Principal,
    user_id: uuid.UUID,
    data: UserUpdate,
    if_match: int | None,
) -> UserRead:
    """Edit name, email or active flag; deactivating ends every sign-in of the account."""
    user, assignments = await _load_manageable(session, principal, user_id)
    check_version(user, if_match, "account")
    requested = data.model_dump(exclude_unset=True)
    for key in ("full_name", "is_active"):
        if key in requested and requested[key] is None:
            raise Unprocessable(key, ErrorCode.REQUIRED, "This field cannot be removed.")
    changes = {k: v for k, v in requested.items() if getattr(user, k) != v}
    if not changes:
        return await read(session, user)
    if changes.get("is_active") is False and user.id == principal.user_id:
        raise Conflict(
            "You cannot deactivate your own account.", code=ErrorCode.CANNOT_DEACTIVATE_SELF
        )
    before = _snapshot(user, assignments)
    for key, value in changes.items():
        setattr(user, key, value)
    user.version += 1
    await session.flush()
    if changes.get("is_active") is False:
        await auth_repo.revoke_user_sessions(session, user.id, "deactivated", datetime.now(UTC))
    await session.refresh(user)
    await _audit(
        session,
        principal,
        "user.update",
        user,
        assignments,
        before=before,
        after=_snapshot(user, assignments),
    )
    return await read(session, user)


async def add_role(
    session: AsyncSession,
    principal: Principal,
    user_id: uuid.UUID,
    grant: RoleGrant,
    if_match: int | None,
) -> UserRead:
    """Grant a role at a union (the caller must manage both the account and that union)."""
    user, assignments = await _load_manageable(session, principal, user_id)
    check_version(user, if_match, "account")
    await _check_grant(session, principal, grant, "")
    if await repo.assignment_exists(session, user.id, grant.role.value, grant.union_id):
        raise Conflict(
            "The user already holds this role at this union.", code=ErrorCode.ROLE_EXISTS
        )
    before = _snapshot(user, assignments)
    principal_cache.forget_all()
    session.add(RoleAssignment(user_id=user.id, role=grant.role.value, union_id=grant.union_id))
    user.version += 1
    await session.flush()
    await session.refresh(user)
    after = await auth_repo.assignments_of(session, user.id)
    await _audit(
        session,
        principal,
        "user.add_role",
        user,
        after,
        before=before,
        after=_snapshot(user, after),
    )
    return await read(session, user)


async def remove_role(
    session: AsyncSession,
    principal: Principal,
    user_id: uuid.UUID,
    assignment_id: uuid.UUID,
    if_match: int | None,
) -> UserRead:
    """Withdraw a role; an account keeps at least one (deactivate it instead)."""
    user, assignments = await _load_manageable(session, principal, user_id)
    check_version(user, if_match, "account")
    if not any(a.id == assignment_id for a in assignments):
        raise NotFound(
            "This user holds no such role assignment.", code=ErrorCode.ASSIGNMENT_NOT_FOUND
        )
    remaining = [a for a in assignments if a.id != assignment_id]
    if not remaining:
        raise Conflict(
            "This is the user's only role; deactivate the account instead.",
            code=ErrorCode.LAST_ROLE,
        )
    if user.id == principal.user_id and not any(M in permissions_of(a.role) for a in remaining):
        raise Conflict(
            "You cannot remove your own last role that lets you manage users.",
            code=ErrorCode.OWN_LAST_MANAGE_ROLE,
        )
    before = _snapshot(user, assignments)
    principal_cache.forget_all()
    await session.execute(delete(RoleAssignment).where(RoleAssignment.id == assignment_id))
    user.version += 1
    await session.flush()
    await session.refresh(user)
    await _audit(
        session,
        principal,
        "user.remove_role",
        user,
        remaining,
        before=before,
        after=_snapshot(user, remaining),
    )
    return await read(session, user)


async def set_password(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, password: str
) -> None:
    """Set a new password; every sign-in of the account ends (but the caller's own, if self)."""
    user, assignments = await _load_manageable(session, principal, user_id)
    user.password_hash = await run_in_threadpool(hash_password, password)
    await session.flush()
    keep = principal.session_id if user.id == principal.user_id else None
    await auth_repo.revoke_user_sessions(
        session, user.id, "password_reset", datetime.now(UTC), keep=keep
    )
    # A reset is how a locked-out user gets back in, so the lock goes with the old password.
    await auth_repo.clear_throttle(session, f"user:{user.username}")
    await _audit(
        session,
        principal,
        "user.set_password",
        user,
        assignments,
        after={"password_changed": True, "sessions_revoked": True},
    )
