"""Row lookups the member services use: unions, employers, uniqueness, periods, requests."""

import uuid
from datetime import date

from sqlalchemy import false, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import ancestor_ids, in_scope, union_filter, unscoped
from unionhub.enterprises.models import Enterprise
from unionhub.members.models import (
    CARD_SEQUENCE,
    Member,
    MemberEvent,
    MembershipPeriod,
    TransferRequest,
    TransferStatus,
)
from unionhub.unions.models import Union, UnionPeriod

P = Permission


async def union_in_scope(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, permission: Permission
) -> Union | None:
    return (
        await session.execute(
            select(Union).where(Union.id == union_id, union_filter(principal, permission))
        )
    ).scalar_one_or_none()


async def union_founded_on(session: AsyncSession, union_id: uuid.UUID) -> date | None:
    """The first day of the union's history (its founding, or the start of its records)."""
    return await session.scalar(
        select(func.min(UnionPeriod.valid_from)).where(UnionPeriod.union_id == union_id)
    )


async def enterprise_usable(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID, union: Union | None
) -> bool:
    """The enterprise exists and the caller may link members to it: it is in their
    enterprises:read scope, or it is the employer of the member's union, or the union
    responsible for it is the member's union or one above it."""
    reachable = [in_scope(principal, Enterprise.responsible_union_id, P.ENTERPRISES_READ)]
    if union is not None:
        reachable.append(Enterprise.id == union.enterprise_id if union.enterprise_id else false())
        reachable.append(Enterprise.responsible_union_id.in_(ancestor_ids(union.path)))
    found = await session.scalar(
        select(Enterprise.id).where(Enterprise.id == enterprise_id, or_(*reachable))
    )
    return found is not None


async def personal_id_holder(
    session: AsyncSession, personal_id: str, exclude_id: uuid.UUID | None = None
) -> str | None:
    """The union path of a member on the books with this personal ID (None if the number is
    free). Unscoped: the number must be unique province-wide; what the caller is told about a
    holder outside their subtree is members.id_refusal's decision."""
    stmt = unscoped(
        select(Union.path)
        .join(Member, Member.union_id == Union.id)
        .where(Member.personal_id == personal_id, Member.status != "struck_off"),
        reason="personal-ID uniqueness is province-wide",
    )
    if exclude_id is not None:
        stmt = stmt.where(Member.id != exclude_id)
    return await session.scalar(stmt.limit(1))


async def card_number_taken(session: AsyncSession, card_number: str) -> bool:
    return (
        await session.scalar(
            unscoped(
                select(Member.id).where(Member.card_number == card_number).limit(1),
                reason="card numbers are unique federation-wide",
            )
        )
    ) is not None


async def next_card_number(session: AsyncSession) -> str:
    """CD + 10 digits from the federation-wide sequence, skipping numbers typed in by hand."""
    while True:
        n = int(await session.scalar(text(f"SELECT nextval('{CARD_SEQUENCE}')")) or 0)
        card = f"CD{n:010d}"
        if not await card_number_taken(session, card):
            return card


async def current_period(session: AsyncSession, member_id: uuid.UUID) -> MembershipPeriod | None:
    return (
        await session.execute(
            select(MembershipPeriod)
            .where(MembershipPeriod.member_id == member_id, MembershipPeriod.valid_to.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()


async def period_ending(
    session: AsyncSession, member_id: uuid.UUID, day: date
) -> MembershipPeriod | None:
    return (
        await session.execute(
            select(MembershipPeriod).where(
                MembershipPeriod.member_id == member_id, MembershipPeriod.valid_to == day
            )
        )
    ).scalar_one_or_none()


async def history_rows(
    session: AsyncSession, member_id: uuid.UUID
) -> tuple[list[tuple[MemberEvent, str | None]], list[tuple[MembershipPeriod, str | None]]]:
    events = await session.execute(
        select(MemberEvent, Union.name)
        .outerjoin(Union, Union.id == MemberEvent.union_id)
        .where(MemberEvent.member_id == member_id)
        .order_by(MemberEvent.effective_date, MemberEvent.recorded_at, MemberEvent.id)
    )
    periods = await session.execute(
        select(MembershipPeriod, Union.name)
        .outerjoin(Union, Union.id == MembershipPeriod.union_id)
        .where(MembershipPeriod.member_id == member_id)
        .order_by(MembershipPeriod.valid_from)
    )
    return [(r[0], r[1]) for r in events], [(r[0], r[1]) for r in periods]


async def pending_transfer(session: AsyncSession, member_id: uuid.UUID) -> TransferRequest | None:
    return (
        await session.execute(
            select(TransferRequest).where(
                TransferRequest.member_id == member_id,
                TransferRequest.status == TransferStatus.PENDING.value,
            )
        )
    ).scalar_one_or_none()
