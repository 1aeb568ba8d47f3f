"""Every SQL statement of account management, built on the scoped "visible users" predicate."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import MemberAccount, RoleAssignment, User
from unionhub.auth.schemas import AssignmentRead
from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, unscoped
from unionhub.core.text import contains, fold
from unionhub.unions.models import Union


@dataclass
class UserFilters:
    q: str | None = None
    role: Role | None = None
    union_id: uuid.UUID | None = None
    is_active: bool | None = None


def _assigned_in_scope(principal: Principal, permission: Permission) -> ColumnElement[bool]:
    return in_scope(principal, RoleAssignment.union_id, permission)


def visible(principal: Principal) -> ColumnElement[bool]:
    """Users with at least one role at a union inside the caller's users:read scope. Members'
    own accounts are no one's to manage here (they hold no role and may get none)."""
    not_member = User.id.not_in(select(MemberAccount.user_id))
    if principal.is_admin:
        # Admins also see accounts left without any role.
        return not_member
    return not_member & User.id.in_(
        select(RoleAssignment.user_id).where(_assigned_in_scope(principal, Permission.USERS_READ))
    )


def _filtered(principal: Principal, filters: UserFilters) -> Select[Any]:
    stmt = select(User).where(visible(principal))
    if filters.q and fold(filters.q):
        pattern = contains(fold(filters.q))
        # full_name is stored NFC with accents; unaccent + ILIKE makes "nguyen" find "Nguyễn".
        stmt = stmt.where(
            User.username.ilike(pattern) | func.unaccent(User.full_name).ilike(pattern)
        )
    if filters.role is not None or filters.union_id is not None:
        # Only assignments the caller can see count, so a filter reveals nothing outside scope.
        sub = select(RoleAssignment.user_id).where(
            _assigned_in_scope(principal, Permission.USERS_READ)
        )
        if filters.role is not None:
            sub = sub.where(RoleAssignment.role == filters.role.value)
        if filters.union_id is not None:
            sub = sub.where(RoleAssignment.union_id == filters.union_id)
        stmt = stmt.where(User.id.in_(sub))
    if filters.is_active is not None:
        stmt = stmt.where(User.is_active.is_(filters.is_active))
    return stmt


def list_query(principal: Principal, filters: UserFilters) -> Select[Any]:
    """The visible accounts matching `filters`, by username."""
    return _filtered(principal, filters).order_by(User.username, User.id)


async def get_visible(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, *, for_update: bool = False
) -> User | None:
    stmt = select(User).where(User.id == user_id, visible(principal))
    if for_update:
        stmt = stmt.with_for_update(of=User)
    return (await session.execute(stmt)).scalar_one_or_none()


async def roles_of(
    session: AsyncSession, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[AssignmentRead]]:
    """Role assignments of several users in one query, topmost union first."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(
            RoleAssignment.user_id,
            RoleAssignment.id,
            RoleAssignment.role,
            RoleAssignment.union_id,
            Union.name,
        )
        .join(Union, Union.id == RoleAssignment.union_id)
        .where(RoleAssignment.user_id.in_(user_ids))
        .order_by(Union.path, RoleAssignment.role)
    )
    out: dict[uuid.UUID, list[AssignmentRead]] = defaultdict(list)
    for user_id, assignment_id, role, union_id, union_name in rows:
        out[user_id].append(
            AssignmentRead(id=assignment_id, role=role, union_id=union_id, union_name=union_name)
        )
    return out


async def username_taken(session: AsyncSession, username: str) -> bool:
    return bool(await session.scalar(select(func.count()).where(User.username == username)))


async def get_assignment(
    session: AsyncSession, user_id: uuid.UUID, assignment_id: uuid.UUID
) -> RoleAssignment | None:
    return (
        await session.execute(
            select(RoleAssignment).where(
                RoleAssignment.id == assignment_id, RoleAssignment.user_id == user_id
            )
        )
    ).scalar_one_or_none()


async def assignment_exists(
    session: AsyncSession, user_id: uuid.UUID, role: str, union_id: uuid.UUID
) -> bool:
    return bool(
        await session.scalar(
            select(func.count()).where(
                RoleAssignment.user_id == user_id,
                RoleAssignment.role == role,
                RoleAssignment.union_id == union_id,
            )
        )
    )


async def top_union(session: AsyncSession) -> Union | None:
    """The top-level union (the province federation): the first one founded without a parent."""
    return (
        await session.execute(
            unscoped(
                select(Union).where(Union.parent_id.is_(None)).order_by(Union.tree_key).limit(1),
                reason="setting up the first administrator, before any scope exists",
            )
        )
    ).scalar_one_or_none()
