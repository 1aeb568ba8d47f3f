"""SQL of the change feed: the events a caller may see, after a cursor, in (txid, id) order."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core.outbox import FEED_TYPES, ChangeEvent, visible_horizon


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


# The columns a page reads: plain rows, not ORM objects (a page holds up to 1,000 events,
# and loading them as entities tripled the time of a page).
EVENT_COLUMNS = (
    ChangeEvent.txid,
    ChangeEvent.id,
    ChangeEvent.action,
    ChangeEvent.entity_type,
    ChangeEvent.entity_id,
    ChangeEvent.union_id,
    ChangeEvent.changed,
    ChangeEvent.at,
)


async def page(
    session: AsyncSession,
    principal: Principal,
    after: tuple[int, int],
    types: Sequence[str],
    limit: int,
) -> list[Any]:
    """Rows (`Row`s) of EVENT_COLUMNS after `after`, in feed order."""
    stmt = (
        select(*EVENT_COLUMNS)
        .where(
            visible_horizon(),
            tuple_(ChangeEvent.txid, ChangeEvent.id) > tuple_(*after),
            feed_scope(principal),
        )
        .order_by(ChangeEvent.txid, ChangeEvent.id)
        .limit(limit)
    )
    if types:
        stmt = stmt.where(type_filter(types))
    return list((await session.execute(stmt)).all())


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
