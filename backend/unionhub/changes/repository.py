"""SQL of the change feed: the events a caller may see, after a cursor, in (txid, id) order."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    cast,
    false,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core.outbox import (
    FEED_TYPES,
    ChangeEvent,
    below_horizon,
    own_above_horizon,
    visible_horizon,
)


def feed_scope(principal: Principal) -> ColumnElement[bool]:
    """Events of records the caller could read: per entity type, its read permission at the
    record's union (through authz.scope)."""
    if principal.is_admin:
        return true()
    by_permission: dict[str, list[str]] = {}
    for entity_type, permission in FEED_TYPES.items():
        by_permission.setdefault(permission, []).append(entity_type)
    parts = [
        ChangeEvent.entity_type.in_(types)
        & in_scope(principal, ChangeEvent.union_id, Permission(p))
        for p, types in by_permission.items()
        if principal.has(Permission(p))
    ]
    return or_(*parts) if parts else false()


def type_filter(types: Sequence[str]) -> ColumnElement[bool]:
    """`member` matches every member event, `member.admit` that action only."""
    return or_(
        *[ChangeEvent.action == t if "." in t else ChangeEvent.entity_type == t for t in types]
    )


# The columns a page reads, as plain rows (a page holds up to 5,000 events; loading them as ORM
# entities tripled the time of a page), ids as text so the answer is written without a
# conversion per value (changes.service.item_of).
FEED_COLUMNS = (
    ChangeEvent.txid,
    ChangeEvent.id,
    ChangeEvent.action,
    ChangeEvent.entity_type,
    cast(ChangeEvent.entity_id, Text).label("entity_id"),
    cast(ChangeEvent.union_id, Text).label("union_id"),
    ChangeEvent.changed,
    ChangeEvent.at,
)


def _page_statement(
    columns: Sequence[Any],
    principal: Principal,
    after: tuple[int, int],
    types: Sequence[str],
    limit: int,
) -> Select[Any]:
    """The page as two ordered, limited branches merged: events below the horizon, and the
    reader's own transaction's above it. One `txid < horizon OR txid = own` made PostgreSQL
    read every event after the cursor through a bitmap and sort them for each page (paging
    100,000 events cost 100 such scans); each branch alone walks (txid, id) in order and stops
    at the limit (docs/benchmarks.md, "Change feed")."""

    def branch(visible: ColumnElement[bool]) -> Select[Any]:
        stmt = (
            select(*columns)
            .where(
                visible,
                # the first column alone, so the index range starts at the cursor
                ChangeEvent.txid >= after[0],
                tuple_(ChangeEvent.txid, ChangeEvent.id) > tuple_(*after),
                feed_scope(principal),
            )
            .order_by(ChangeEvent.txid, ChangeEvent.id)
            .limit(limit)
        )
        return stmt.where(type_filter(types)) if types else stmt

    both = union_all(branch(below_horizon()), branch(own_above_horizon())).subquery("feed")
    return select(*both.c).order_by(both.c.txid, both.c.id).limit(limit)


async def page(
    session: AsyncSession,
    principal: Principal,
    after: tuple[int, int],
    types: Sequence[str],
    limit: int,
) -> list[Any]:
    """Rows of FEED_COLUMNS after `after`, in feed order (the feed's pages and the webhook
    dispatcher's batches)."""
    result = await session.execute(_page_statement(FEED_COLUMNS, principal, after, types, limit))
    return list(result.all())


async def last_position(session: AsyncSession) -> tuple[int, int]:
    """The feed's current end for a new follower: every event that becomes visible later
    sorts after it (see core.outbox)."""
    row = (
        await session.execute(
            select(ChangeEvent.txid, ChangeEvent.id)
            .where(visible_horizon())
            .order_by(ChangeEvent.txid.desc(), ChangeEvent.id.desc())
            .limit(1)
        )
    ).one_or_none()
    return (row[0], row[1]) if row else (0, 0)
