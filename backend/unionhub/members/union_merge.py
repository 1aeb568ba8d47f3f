"""Members of a union that merges into another move with it, in a handful of statements.

Called by the union merge (unionhub.workflows.union_merge), which owns the tree side.
"""

import uuid
from datetime import date, timedelta

from sqlalchemy import Date, Uuid, and_, case, exists, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import ancestor_ids
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.members.models import (
    IN_MEMBERSHIP,
    CadreAssignment,
    Member,
    MemberEvent,
    MemberEventType,
    MembershipPeriod,
    TransferRequest,
    TransferStatus,
)
from unionhub.unions.models import Union


async def move_all_members(
    session: AsyncSession,
    principal: Principal,
    source_id: uuid.UUID,
    target_id: uuid.UUID,
    effective: date,
) -> int:
    """Move every member in membership of a merged union to the target; returns how many.

    Set-based: a handful of statements whatever the number of members. Each member's current
    period closes at `effective` (or is re-pointed when it began that day), a new one opens in
    the target, a `transferred` event (reason union_merged) is written, posts in the merged
    union end, and open transfer requests from or to it are cancelled.
    """
    moving = select(Member.id).where(Member.union_id == source_id, Member.status.in_(IN_MEMBERSHIP))
    current = (
        MembershipPeriod.member_id.in_(moving),
        MembershipPeriod.valid_to.is_(None),
    )
    later = await session.scalar(select(func.max(MembershipPeriod.valid_from)).where(*current))
    if later is not None and later > effective:
        raise Unprocessable(
            "effective_date",
            ErrorCode.DATE_BEFORE_MEMBER_CHANGE,
            f"A member of this union has a change recorded on {later.strftime('%d/%m/%Y')}; "
            "the merger cannot take effect before it.",
            params={"value": effective, "earliest": later},
        )
    # Periods that began on the merger day are re-pointed instead of closed at zero length.
    await session.execute(
        update(MembershipPeriod)
        .where(*current, MembershipPeriod.valid_from == effective)
        .values(union_id=target_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(MembershipPeriod)
        .where(*current, MembershipPeriod.valid_from < effective)
        .values(valid_to=effective)
        .execution_options(synchronize_session=False)
    )
    # The member's status is their current period's status, so it is carried over as is.
    await session.execute(
        insert(MembershipPeriod).from_select(
            ["id", "member_id", "union_id", "status", "valid_from"],
            select(
                func.gen_random_uuid(),
                Member.id,
                literal(target_id, Uuid()),
                Member.status,
                literal(effective, Date()),
            ).where(
                Member.union_id == source_id,
                Member.status.in_(IN_MEMBERSHIP),
                ~exists().where(
                    MembershipPeriod.member_id == Member.id,
                    MembershipPeriod.valid_from == effective,
                ),
            ),
        )
    )
    reason = "union_merged"
    await session.execute(
        insert(MemberEvent).from_select(
            [
                "id",
                "member_id",
                "event_type",
                "effective_date",
                "union_id",
                "reason",
                "details",
                "actor_id",
            ],
            select(
                func.gen_random_uuid(),
                Member.id,
                literal(MemberEventType.TRANSFERRED.value),
                literal(effective, Date()),
                literal(target_id, Uuid()),
                literal(reason),
                func.jsonb_build_object(
                    "from_union_id",
                    str(source_id),
                    "to_union_id",
                    str(target_id),
                    "reason",
                    reason,
                ),
                literal(None if principal.system else principal.user_id, Uuid()),
            ).where(Member.union_id == source_id, Member.status.in_(IN_MEMBERSHIP)),
        )
    )
    # Posts end in the merged union, and wherever the moved members no longer sit under.
    last_day = effective - timedelta(days=1)
    above_target = ancestor_ids(select(Union.path).where(Union.id == target_id).scalar_subquery())
    await session.execute(
        update(CadreAssignment)
        .where(
            or_(
                CadreAssignment.union_id == source_id,
                and_(
                    CadreAssignment.member_id.in_(moving),
                    CadreAssignment.union_id.not_in(above_target),
                ),
            ),
            or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date > last_day),
        )
        .values(
            to_date=case(
                (CadreAssignment.from_date > last_day, CadreAssignment.from_date), else_=last_day
            ),
            version=CadreAssignment.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(TransferRequest)
        .where(
            TransferRequest.status == TransferStatus.PENDING.value,
            or_(
                TransferRequest.from_union_id == source_id, TransferRequest.to_union_id == source_id
            ),
        )
        .values(
            status=TransferStatus.CANCELLED.value,
            decided_at=func.now(),
            decision_note="The union was merged.",
        )
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(Member)
        .where(Member.union_id == source_id, Member.status.in_(IN_MEMBERSHIP))
        .values(union_id=target_id, version=Member.version + 1, updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    moved = int(getattr(result, "rowcount", 0) or 0)
    if moved:
        await audit.record(
            session,
            principal,
            "member.bulk_transfer",
            "union",
            source_id,
            union_id=target_id,
            after={
                "from_union_id": source_id,
                "to_union_id": target_id,
                "members": moved,
                "effective_date": effective,
                "reason": reason,
            },
        )
    await session.flush()
    return moved
