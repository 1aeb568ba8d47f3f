"""The unions a member list is limited to: the caller's scope, a union's subtree (today's, or
the tree as it stood on a day), a sector; and how a list of them goes into a statement."""

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Select, Uuid, and_, any_, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import union_filter, union_ids_as_of
from unionhub.unions.models import Union, UnionPeriod


def union_in(column: Any, ids: "Select[uuid.UUID] | Collection[uuid.UUID]") -> Any:
    """`column IN (subquery)`, or `column = ANY($1)` for a list of ids (of unions, or of any
    uuid key): one array parameter instead of one per id (a province is 1,600 unions;
    rendering and binding that many parameters cost more than the query), the same statement
    text whatever the count (the connection's prepared statement is reused), and the plan
    still sees the actual ids."""
    if isinstance(ids, Select):
        return column.in_(ids)
    return column == any_(literal(list(ids), ARRAY(Uuid())))


def _subtree_now(root_id: uuid.UUID) -> Select[uuid.UUID]:
    root = aliased(Union)
    return (
        select(Union.id)
        .where(
            Union.path.descendant_of(select(root.path).where(root.id == root_id).scalar_subquery())
        )
        .correlate(None)
    )


def _subtree_as_of(root_id: uuid.UUID, day: date) -> Select[tuple[uuid.UUID]]:
    """The union and those under it in the tree as it stood on `day`."""
    live = and_(
        UnionPeriod.valid_from <= day,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > day),
    )
    tree = (
        select(UnionPeriod.union_id.label("id"))
        .where(live, UnionPeriod.union_id == root_id)
        .cte("member_subtree", recursive=True)
    )
    child = aliased(UnionPeriod)
    tree = tree.union(
        select(child.union_id).where(
            child.parent_id == tree.c.id,
            child.valid_from <= day,
            or_(child.valid_to.is_(None), child.valid_to > day),
        )
    )
    return select(tree.c.id)


def limited_to(
    principal: Principal,
    permission: Permission,
    *,
    union_id: uuid.UUID | None,
    include_subtree: bool,
    as_of: date | None,
    sector: str | None,
) -> Select[uuid.UUID] | None:
    """`SELECT id FROM unions WHERE ...` for the unions in scope (under `union_id`, of
    `sector`), as of today or of `as_of`; None when nothing limits (an admin, unfiltered)."""
    if principal.is_admin and union_id is None and not sector:
        return None
    if as_of is None:
        ids = select(Union.id).where(union_filter(principal, permission))
        if union_id is not None:
            ids = ids.where(
                Union.id.in_(_subtree_now(union_id)) if include_subtree else Union.id == union_id
            )
    else:
        ids = select(Union.id)
        if not principal.is_admin:
            ids = ids.where(Union.id.in_(union_ids_as_of(principal, as_of)))
        if union_id is not None:
            ids = ids.where(
                Union.id.in_(_subtree_as_of(union_id, as_of))
                if include_subtree
                else Union.id == union_id
            )
    if sector:
        ids = ids.where(Union.sector == sector)
    return ids.correlate(None)
