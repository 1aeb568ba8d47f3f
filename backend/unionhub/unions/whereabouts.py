"""Where a dissolved or merged union's units and members went: for its page, with links."""

import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, union_filter
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import NotFound
from unionhub.members.models import MembershipPeriod
from unionhub.unions import repository as repo
from unionhub.unions.models import Union, UnionPeriod
from unionhub.unions.schemas import MembersMoved, MovedUnit, UnionRef, UnionWhereabouts

NowUnder = aliased(Union)
Target = aliased(Union)
Before = aliased(MembershipPeriod)
After = aliased(MembershipPeriod)


def _ref(row: Union | None) -> UnionRef | None:
    if row is None:
        return None
    return UnionRef(id=row.id, code=row.code, name=row.name, status=row.status)


async def whereabouts(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID
) -> UnionWhereabouts:
    found = (
        await session.execute(repo.scoped_query(principal).where(Union.id == union_id))
    ).one_or_none()
    if found is None:
        raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    union: Union = found[0]

    merged_into = None
    if union.merged_into_id:
        merged_into = (
            await session.execute(
                select(Target).where(
                    Target.id == union.merged_into_id, in_scope(principal, Target.id)
                )
            )
        ).scalar_one_or_none()

    # Units once under this union and under another one today, with the day they left.
    left = (
        select(UnionPeriod.union_id, func.max(UnionPeriod.valid_to).label("moved_on"))
        .where(UnionPeriod.parent_id == union.id, UnionPeriod.valid_to.is_not(None))
        .group_by(UnionPeriod.union_id)
        .subquery()
    )
    units = [
        MovedUnit(union=_ref(child), moved_on=moved_on, now_under=_ref(parent))
        for child, parent, moved_on in await session.execute(
            select(Union, NowUnder, left.c.moved_on)
            .join(left, left.c.union_id == Union.id)
            .outerjoin(NowUnder, NowUnder.id == Union.parent_id)
            .where(union_filter(principal), Union.parent_id.is_distinct_from(union.id))
            .order_by(left.c.moved_on.desc(), Union.name)
        )
    ]

    # Members whose time here ended and went on, the next day, in another union.
    moved = (
        select(
            After.union_id,
            func.count(func.distinct(After.member_id)).label("members"),
            func.min(After.valid_from).label("moved_on"),
        )
        .select_from(Before)
        .join(
            After,
            and_(
                After.member_id == Before.member_id,
                After.valid_from == Before.valid_to,
                After.union_id != Before.union_id,
            ),
        )
        .where(Before.union_id == union.id)
        .group_by(After.union_id)
        .subquery()
    )
    members: dict[uuid.UUID | None, MembersMoved] = {}
    for target, n, moved_on in await session.execute(
        select(Target, moved.c.members, moved.c.moved_on)
        .select_from(moved)
        .outerjoin(Target, and_(Target.id == moved.c.union_id, in_scope(principal, Target.id)))
        .order_by(moved.c.members.desc())
    ):
        key = target.id if target is not None else None
        if key in members:  # several unions outside the scope: one line for them all
            members[key].members += int(n)
            members[key].moved_on = min(members[key].moved_on, moved_on)
        else:
            members[key] = MembersMoved(to=_ref(target), members=int(n), moved_on=moved_on)
    return UnionWhereabouts(
        status=union.status,
        ended_on=union.ended_on,
        merged_into=_ref(merged_into),
        units=units,
        members=sorted(members.values(), key=lambda m: -m.members),
    )
