"""The unions a member list is limited to: the caller's scope, a union's subtree (today's, or
the tree as it stood on a day), a sector; and how a list of them goes into a statement."""

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Uuid, any_, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import BindParameter

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import subtree_ids, union_filter
from unionhub.unions.models import Union


def union_in(
    column: Any, ids: "Select[uuid.UUID] | Collection[uuid.UUID] | BindParameter[Any]"
) -> Any:
    """`column IN (subquery)`, or `column = ANY($1)` for a list of ids (of unions, or of any
    uuid key): one array parameter instead of one per id (a province is 1,600 unions;
    rendering and binding that many parameters cost more than the query), the same statement
    text whatever the count (the connection's prepared statement is reused), and the plan
    still sees the actual ids."""
    if isinstance(ids, Select):
        return column.in_(ids)
    if isinstance(ids, BindParameter):
        # A statement built once (the hot read path): the ids come with each execution.
        return column == any_(ids)
    return column == any_(literal(list(ids), ARRAY(Uuid())))


def union_in_hashed(column: Any, ids: "BindParameter[Any]") -> ColumnElement[bool]:
    """`column` is one of the ids in the array parameter `ids`, checked by hashing the ids once
    per execution whatever the plan: `(column IN (SELECT unnest($ids))) IS TRUE`.

    For a statement run under a generic plan (`fetch_driver(generic=True)`). There `column =
    ANY($ids)` walks the whole array for each row it checks: PostgreSQL hashes the array of an
    ANY only when it is a constant, which a generic plan's parameter is not. On the 1M bench
    data a district's (152 unions) commonest full names took twice as long that way, and a
    scope of 1,000 unions four times. `IS TRUE` keeps PostgreSQL from turning the IN into a
    join, whose order it would choose from a guessed number of ids; the IN stays a filter on
    the rows found, over a hash of the ids built once (a "hashed SubPlan")."""
    listed: ColumnElement[bool] = column.in_(select(func.unnest(ids)))
    return listed.is_(True)


def union_ids_param(name: str = "union_ids") -> "BindParameter[Any]":
    """The bound parameter of a statement built once that takes a list of union ids."""
    return bindparam(name, type_=ARRAY(Uuid()))


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
    ids = select(Union.id).where(union_filter(principal, permission, as_of=as_of))
    if union_id is not None:
        ids = ids.where(
            Union.id.in_(subtree_ids(union_id, as_of=as_of))
            if include_subtree
            else Union.id == union_id
        )
    if sector:
        ids = ids.where(Union.sector == sector)
    return ids.correlate(None)
