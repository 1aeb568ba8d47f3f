"""The overview of a caller's scope: what an officer sees first every morning.

One endpoint instead of a dozen list calls; every count goes through the scope helper.
"""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    get_union_in_scope,
    lineage,
    subtree,
    union_filter,
    unscoped,
    within,
)
from unionhub.core.db import StatementKind, statement_timeout
from unionhub.enterprises.models import Enterprise, OperatingStatus
from unionhub.members import counts
from unionhub.members.models import MemberEventType, MemberStatus
from unionhub.reports.schemas import (
    ChildMembers,
    EnterpriseCounts,
    HeldUnit,
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


async def _held(session: AsyncSession, principal: Principal) -> list[Union]:
    """The units the caller holds a role at, highest first, then by name."""
    held: dict[uuid.UUID, Union] = {}
    for a in principal.assignments:
        if a.union_id not in held:
            held[a.union_id] = await get_union_in_scope(session, principal, a.union_id)
    return sorted(held.values(), key=lambda u: (u.path.count("."), u.name))


def _tops(held: list[Union]) -> list[Union]:
    """The held units that are not under another held unit."""
    return [u for u in held if not any(o.id != u.id and within(u.path, o.path) for o in held)]


async def _root(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None, held: list[Union]
) -> Union | None:
    if union_id is not None:
        return await get_union_in_scope(session, principal, union_id)
    if held:
        tops = _tops(held)
        # Several units apart (an officer of a dissolved district federation and of the ward
        # unions that took over): no one root; the chart shows each unit.
        return tops[0] if len(tops) == 1 else None
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
    await statement_timeout(session, StatementKind.REPORT)
    today = date.today()
    held = await _held(session, principal)
    root = await _root(session, principal, union_id, held)
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

    # The member figures read the maintained counts (members.counts): a few rows per union,
    # whatever the number of members. The unions are fetched once, with their paths, so the
    # counts are read by id (index scans) and added up per child here.
    member_unions = list(
        (
            await session.execute(
                select(Union.id, Union.path).where(
                    union_filter(principal, Permission.MEMBERS_READ),
                    *([under] if under is not None else []),
                )
            )
        ).all()
    )
    member_ids = [u.id for u in member_unions]
    by_status = await counts.members_by_status_gender(session, member_ids)

    def members(status: str, gender: str | None = None) -> int:
        return sum(n for (s, g), n in by_status.items() if s == status and gender in (None, g))

    months = _month_starts(today)
    admitted = MemberEventType.ADMITTED.value
    admissions = await counts.flows_by_month(session, member_ids, months[0], today, admitted)
    # The twelve months always include this year's (the first is January at the latest): its
    # admissions are the months of this year, with no second read of the flows.
    new_this_year = sum(n for month, n in admissions.items() if month.year == today.year)

    enterprise_scope = [
        Enterprise.responsible_union_id.in_(scoped_unions(Permission.ENTERPRISES_READ))
    ]
    # Enterprises with an active union: one hashed join (a province's 50,000 enterprises
    # against its ~1,400 enterprise unions), not an EXISTS probed three times per enterprise.
    unionized = (
        select(Union.enterprise_id)
        .where(Union.status == UnionStatus.ACTIVE.value, Union.enterprise_id.is_not(None))
        .distinct()
        .subquery()
    )
    has_union = unionized.c.enterprise_id.is_not(None)
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
            )
            .select_from(Enterprise)
            .outerjoin(unionized, unionized.c.enterprise_id == Enterprise.id)
            .where(*enterprise_scope)
        )
    ).one()

    children: list[ChildMembers] = []
    if root is not None:
        children = await _members_by_child(session, principal, root, member_unions)
    elif held:
        tops = {u.path: u for u in _tops(held) if u.status == UnionStatus.ACTIVE.value}
        children = await _members_per(tops, session, member_unions, keep_empty=True)

    return Overview(
        as_of=today,
        root_union_id=root.id if root else None,
        root_union_name=root.name if root else None,
        held_units=[
            HeldUnit(
                id=u.id,
                code=u.code,
                name=u.name,
                short_name=u.short_name,
                level=u.level,
                status=u.status,
            )
            for u in held
        ],
        unions_by_level=by_level,
        unions_total=sum(c.count for c in by_level),
        members=MemberCounts(
            active=members(MemberStatus.ACTIVE.value),
            suspended=members(MemberStatus.SUSPENDED.value),
            new_this_year=new_this_year,
            female=members(MemberStatus.ACTIVE.value, "female"),
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


async def _members_by_child(
    session: AsyncSession, principal: Principal, root: Union, unions: list[Any]
) -> list[ChildMembers]:
    """Active members in the subtree of each active child of `root` (the 30 largest)."""
    kids = {
        r.path: r
        for r in await session.execute(
            select(Union.id, Union.name, Union.short_name, Union.path).where(
                Union.parent_id == root.id,
                Union.status == UnionStatus.ACTIVE.value,
                union_filter(principal),
            )
        )
    }
    if not kids:
        return []
    return await _members_per(kids, session, unions)


async def _members_per(
    kids: dict[str, Any], session: AsyncSession, unions: list[Any], keep_empty: bool = False
) -> list[ChildMembers]:
    """Active members in the subtree of each of `kids` (path -> row; the 30 largest)."""
    per_union = await counts.members_per_union(
        session, [u.id for u in unions], [MemberStatus.ACTIVE.value]
    )
    totals: dict[str, int] = dict.fromkeys(kids, 0) if keep_empty else {}
    for u in unions:
        n = per_union.get(u.id, 0)
        if not n:
            continue
        for ancestor in lineage(u.path):
            if ancestor in kids:
                totals[ancestor] = totals.get(ancestor, 0) + n
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kids[kv[0]].name))[:30]
    return [
        ChildMembers(
            union_id=kids[path].id,
            name=kids[path].name,
            short_name=kids[path].short_name,
            members=n,
        )
        for path, n in ranked
    ]
