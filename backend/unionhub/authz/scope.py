"""The one place that decides what a caller may see: every query in every domain builds on it.

Rule: a role held at a union applies to that union and everything under it (the current tree,
by ltree path). Reads through the scope answer 404 for anything outside, so an id from a sibling
subtree reveals nothing; a union the caller can see but not change answers 403.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.db import ltree_array
from unionhub.core.errors import Forbidden, NotFound
from unionhub.unions.models import Union, UnionPeriod


def union_filter(
    principal: Principal, permission: Permission = Permission.UNIONS_READ
) -> ColumnElement[bool]:
    """Predicate on `Union` rows: those under a union where the caller holds `permission`."""
    if principal.is_admin:
        return true()
    paths = principal.paths_with(permission)
    if not paths:
        return false()
    predicate: ColumnElement[bool] = Union.path.descendant_of(ltree_array(paths))
    return predicate


def scoped_union_ids(
    principal: Principal, permission: Permission = Permission.UNIONS_READ
) -> Select[uuid.UUID]:
    """`SELECT id FROM unions WHERE <in scope>`: for other domains' `union_id IN (...)`."""
    return select(Union.id).where(union_filter(principal, permission))


def in_scope(
    principal: Principal,
    union_id_column: Any,
    permission: Permission = Permission.UNIONS_READ,
) -> ColumnElement[bool]:
    """Predicate for any table with a union id column."""
    if principal.is_admin:
        return true()
    predicate: ColumnElement[bool] = union_id_column.in_(scoped_union_ids(principal, permission))
    return predicate


async def get_union_in_scope(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    permission: Permission = Permission.UNIONS_READ,
    *,
    for_update: bool = False,
) -> Union:
    """Load a union the caller may see (404 otherwise); 403 if seen but `permission` is missing."""
    # populate_existing: a subtree move rewrites paths in SQL, so a union already held by this
    # session must be reloaded rather than trusted.
    stmt = (
        select(Union)
        .where(Union.id == union_id, union_filter(principal))
        .execution_options(populate_existing=True)
    )
    if for_update:
        stmt = stmt.with_for_update()
    union = (await session.execute(stmt)).scalar_one_or_none()
    if union is None:
        raise NotFound("No union with this id.", code="union_not_found")
    if permission != Permission.UNIONS_READ and not await may(
        session, principal, union, permission
    ):
        raise Forbidden(
            "Your role does not allow this action on this union.", code="permission_denied"
        )
    return union


async def may(
    session: AsyncSession, principal: Principal, union: Union, permission: Permission
) -> bool:
    if principal.is_admin:
        return True
    return any(
        union.path == p or union.path.startswith(p + ".") for p in principal.paths_with(permission)
    )


def union_ids_as_of(principal: Principal, as_of: date) -> Select[uuid.UUID]:
    """Unions under the caller's assigned unions in the tree as it stood on `as_of`.

    Past trees are walked through `union_periods` (a recursive query over a few thousand rows);
    the current tree never needs recursion.
    """
    live = and_(
        UnionPeriod.valid_from <= as_of,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > as_of),
    )
    if principal.is_admin:
        return select(UnionPeriod.union_id).where(live)
    roots = [a.union_id for a in principal.assignments]
    if not roots:
        return select(UnionPeriod.union_id).where(literal(False))
    base = select(UnionPeriod.union_id.label("id")).where(live, UnionPeriod.union_id.in_(roots))
    tree = base.cte("scope_tree", recursive=True)
    child = aliased(UnionPeriod)
    tree = tree.union(
        select(child.union_id).where(
            child.parent_id == tree.c.id,
            child.valid_from <= as_of,
            or_(child.valid_to.is_(None), child.valid_to > as_of),
        )
    )
    return select(tree.c.id)
