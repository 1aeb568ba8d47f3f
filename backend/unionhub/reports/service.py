"""The overview of a caller's scope: what an officer sees first every morning.

One endpoint instead of a dozen list calls; every count goes through the scope helper.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, subtree, union_filter, unscoped
from unionhub.enterprises.models import Enterprise, OperatingStatus
from unionhub.members.models import Member, MemberEvent, MemberEventType, MemberStatus
from unionhub.reports.schemas import (
    ChildMembers,
    EnterpriseCounts,
    LevelSectorCount,
    MemberCounts,
    MonthCount,
    Overview,
)
from unionhub.unions.models import Union, UnionStatus

FOUNDING_MIN_WORKERS = 20


def _month_starts(today: date, count: int = 12) -> list[date]:
    months = []
    y, m = today.year, today.month
    for _ in range(count):
        months.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(months))


async def _root(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None
) -> Union | None:
    if union_id is not None:
        return await get_union_in_scope(session, principal, union_id)
    if principal.assignments:
        top = min(principal.assignments, key=lambda a: a.union_path.count("."))
        return await get_union_in_scope(session, principal, top.union_id)
    # The system actor or an admin without assignments: the top of the tree.
    return (
        await session.execute(
            unscoped(
                select(Union).where(Union.parent_id.is_(None)).order_by(Union.tree_key).limit(1),
                reason="the system actor and an admin without assignments see the whole tree",
            )
        )
    ).scalar_one_or_none()


async def overview(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None = None
) -> Overview:
    """Counts of unions, members and enterprises in the caller's scope (or under `union_id`)."""
    today = date.today()
    root = await _root(session, principal, union_id)
    under = subtree(root.path) if union_id is not None and root else None

    union_scope = [union_filter(principal), Union.status == UnionStatus.ACTIVE.value]
    if under is not None:
        union_scope.append(under)
    rows = await session.execute(
        select(Union.level, Union.sector, func.count())
        .where(*union_scope)
        .group_by(Union.level, Union.sector)
        .order_by(Union.level, Union.sector)
    )
    by_level = [LevelSectorCount(level=r[0], sector=r[1], count=int(r[2])) for r in rows]

    def scoped_unions(permission: Permission) -> Any:
        """Ids of the unions counted for `permission`: the caller's scope, under the root asked."""
        return select(Union.id).where(
            union_filter(principal, permission), *([under] if under is not None else [])
        )

    # One scope subquery per domain: the permission's scope already is the caller's subtree.
    member_unions = scoped_unions(Permission.MEMBERS_READ)
    member_scope = [Member.union_id.in_(member_unions)]
    year_start = date(today.year, 1, 1)
    m = (
        await session.execute(
            select(
                func.count().filter(Member.status == MemberStatus.ACTIVE.value),
                func.count().filter(Member.status == MemberStatus.SUSPENDED.value),
                func.count().filter(
                    and_(Member.status == MemberStatus.ACTIVE.value, Member.gender == "female")
                ),
            ).where(*member_scope)
        )
    ).one()
    months = _month_starts(today)
    event_scope = [
        MemberEvent.union_id.in_(member_unions),
        MemberEvent.event_type == MemberEventType.ADMITTED.value,
    ]
    month_col = func.date_trunc("month", MemberEvent.effective_date)
    admissions = {
        r[0].date() if hasattr(r[0], "date") else r[0]: int(r[1])
        for r in await session.execute(
            select(month_col, func.count())
            .where(*event_scope, MemberEvent.effective_date >= months[0])
            .group_by(month_col)
        )
    }
    new_this_year = int(
        await session.scalar(
            select(func.count()).where(*event_scope, MemberEvent.effective_date >= year_start)
        )
        or 0
    )

    enterprise_scope = [
        Enterprise.responsible_union_id.in_(scoped_unions(Permission.ENTERPRISES_READ))
    ]
    has_union = exists().where(
        Union.enterprise_id == Enterprise.id, Union.status == UnionStatus.ACTIVE.value
    )
    operating = Enterprise.operating_status == OperatingStatus.OPERATING.value
    eligible = and_(operating, Enterprise.total_workers >= FOUNDING_MIN_WORKERS, ~has_union)
    e = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(operating),
                func.count().filter(has_union),
                func.count().filter(eligible),
                func.coalesce(func.sum(case((eligible, Enterprise.total_workers), else_=0)), 0),
            ).where(*enterprise_scope)
        )
    ).one()

    children: list[ChildMembers] = []
    if root is not None:
        child = aliased(Union)
        counts = (
            select(child.id, child.name, child.short_name, func.count(Member.id))
            .select_from(child)
            .join(Union, subtree(child.path))
            .join(
                Member,
                and_(Member.union_id == Union.id, Member.status == MemberStatus.ACTIVE.value),
            )
            .where(
                child.parent_id == root.id,
                child.status == UnionStatus.ACTIVE.value,
                union_filter(principal),
            )
            .group_by(child.id, child.name, child.short_name)
            .order_by(func.count(Member.id).desc())
            .limit(30)
        )
        children = [
            ChildMembers(union_id=r[0], name=r[1], short_name=r[2], members=int(r[3]))
            for r in await session.execute(counts)
        ]

    return Overview(
        as_of=today,
        root_union_id=root.id if root else None,
        root_union_name=root.name if root else None,
        unions_by_level=by_level,
        unions_total=sum(c.count for c in by_level),
        members=MemberCounts(
            active=int(m[0]), suspended=int(m[1]), new_this_year=new_this_year, female=int(m[2])
        ),
        enterprises=EnterpriseCounts(
            total=int(e[0]),
            operating=int(e[1]),
            with_union=int(e[2]),
            eligible_without_union=int(e[3]),
            workers_without_union=int(e[4]),
        ),
        members_by_child=children,
        admissions_by_month=[
            MonthCount(month=d.strftime("%Y-%m"), admissions=admissions.get(d, 0)) for d in months
        ],
    )
