"""Every SQL statement of the union tree, built on the scoped base query."""

import uuid
from datetime import date

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, union_filter, unscoped
from unionhub.enterprises.models import Enterprise
from unionhub.unions.models import Union, UnionEvent, UnionPeriod, UnionStatus

Parent = aliased(Union)


def scoped_query(
    principal: Principal, permission: Permission = Permission.UNIONS_READ
) -> Select[Union, str]:
    """Unions the caller may see, with the parent's name."""
    return (
        select(Union, Parent.name.label("parent_name"))
        .outerjoin(Parent, Parent.id == Union.parent_id)
        .where(union_filter(principal, permission))
    )


async def next_tree_key(session: AsyncSession) -> int:
    value = await session.scalar(
        text("SELECT nextval(pg_get_serial_sequence('unions', 'tree_key'))")
    )
    return int(value)


async def enterprise_visible(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID
) -> bool:
    """Whether the enterprise exists within the caller's scope (by its responsible union)."""
    return bool(
        await session.scalar(
            select(func.count()).where(
                Enterprise.id == enterprise_id,
                in_scope(principal, Enterprise.responsible_union_id, Permission.ENTERPRISES_READ),
            )
        )
    )


async def enterprise_union(
    session: AsyncSession, enterprise_id: uuid.UUID, *, exclude: uuid.UUID | None = None
) -> uuid.UUID | None:
    """The active union already founded in this enterprise, if any (other than `exclude`)."""
    stmt = unscoped(
        select(Union.id).where(
            Union.enterprise_id == enterprise_id, Union.status == UnionStatus.ACTIVE.value
        ),
        reason="one active union per enterprise, whoever founded it",
    )
    if exclude is not None:
        stmt = stmt.where(Union.id != exclude)
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def code_exists(session: AsyncSession, code: str) -> bool:
    return bool(await session.scalar(select(func.count()).where(Union.code == code)))


async def current_period(session: AsyncSession, union_id: uuid.UUID) -> UnionPeriod | None:
    return (
        await session.execute(
            select(UnionPeriod)
            .where(UnionPeriod.union_id == union_id, UnionPeriod.valid_to.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()


async def first_valid_from(session: AsyncSession, union_id: uuid.UUID) -> date | None:
    return await session.scalar(
        select(func.min(UnionPeriod.valid_from)).where(UnionPeriod.union_id == union_id)
    )


async def last_child_change(session: AsyncSession, union_id: uuid.UUID) -> date | None:
    """The latest day any union joined, changed or left while under this one."""
    latest: date | None = await session.scalar(
        select(
            func.max(
                func.greatest(
                    UnionPeriod.valid_from,
                    func.coalesce(UnionPeriod.valid_to, UnionPeriod.valid_from),
                )
            )
        ).where(UnionPeriod.parent_id == union_id)
    )
    return latest


async def active_children(session: AsyncSession, union_id: uuid.UUID) -> list[Union]:
    return list(
        (
            await session.execute(
                unscoped(
                    select(Union)
                    .where(Union.parent_id == union_id, Union.status == UnionStatus.ACTIVE.value)
                    .order_by(Union.code)
                    .with_for_update(),
                    reason="the children of a union the caller changes, loaded through the scope",
                )
            )
        ).scalars()
    )


async def child_counts(session: AsyncSession, parent_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not parent_ids:
        return {}
    rows = await session.execute(
        select(Union.parent_id, func.count())
        .where(Union.parent_id.in_(parent_ids), Union.status == UnionStatus.ACTIVE.value)
        .group_by(Union.parent_id)
    )
    return {r[0]: int(r[1]) for r in rows if r[0] is not None}


async def events(session: AsyncSession, union_id: uuid.UUID) -> list[UnionEvent]:
    return list(
        (
            await session.execute(
                select(UnionEvent)
                .where(UnionEvent.union_id == union_id)
                .order_by(UnionEvent.effective_date, UnionEvent.recorded_at, UnionEvent.id)
            )
        ).scalars()
    )


def periods_on(
    as_of: date,
) -> Select[uuid.UUID, uuid.UUID | None, str, str | None, str, str, str, str, str]:
    """Every union's period that covers `as_of`, with the union's fixed attributes."""
    return (
        select(
            UnionPeriod.union_id,
            UnionPeriod.parent_id,
            UnionPeriod.name,
            UnionPeriod.short_name,
            UnionPeriod.status,
            Union.code,
            Union.level,
            Union.kind,
            Union.sector,
        )
        .join(Union, Union.id == UnionPeriod.union_id)
        .where(
            UnionPeriod.valid_from <= as_of,
            (UnionPeriod.valid_to.is_(None)) | (UnionPeriod.valid_to > as_of),
        )
    )
