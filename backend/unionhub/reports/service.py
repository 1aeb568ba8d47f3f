"""The overview of a caller's scope: what an officer sees first every morning.

One endpoint instead of a dozen list calls; every count goes through the scope helper.
"""

import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
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
from unionhub.enterprises import counts as enterprise_counts
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

# What the overview counts, each in the unions where the caller holds the permission.
COUNTED = (Permission.UNIONS_READ, Permission.MEMBERS_READ, Permission.ENTERPRISES_READ)


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
    """Counts of unions, members and enterprises in the caller's scope (or under `union_id`).

    Every figure is read from the maintained counts (`members.counts`, `enterprises.counts`):
    a few rows per union, whatever the number of members and enterprises, so the list's
    statement time limit applies (no `SET LOCAL` for a report's). The unions of the scope are
    read once, with what each permission lets the caller count, and the figures are added up
    per level, child and month here.
    """
    today = date.today()
    held = await _held(session, principal)
    root = await _root(session, principal, union_id, held)
    under = [subtree(root.path)] if union_id is not None and root else []

    unions = (
        await session.execute(
            select(
                Union.id,
                Union.path,
                Union.parent_id,
                Union.level,
                Union.sector,
                Union.status,
                Union.name,
                Union.short_name,
                *(union_filter(principal, p).label(p.name.lower()) for p in COUNTED),
            ).where(or_(*(union_filter(principal, p) for p in COUNTED)), *under)
        )
    ).all()
    active = UnionStatus.ACTIVE.value
    levels = Counter((u.level, u.sector) for u in unions if u.unions_read and u.status == active)
    by_level = [
        LevelSectorCount(level=level, sector=sector, count=n)
        for (level, sector), n in sorted(levels.items())
    ]

    member_unions = [u for u in unions if u.members_read]
    # The counts take the unions as a subquery (a hashed semi-join), not as an array of 1,600
    # ids per statement: planning a custom plan around such an array costs more than reading.
    member_ids = select(Union.id).where(union_filter(principal, Permission.MEMBERS_READ), *under)
    by_status = await counts.members_by_status_gender(session, member_ids)

    def members(status: str, gender: str | None = None) -> int:
        return sum(n for (s, g), n in by_status.items() if s == status and gender in (None, g))

    months = _month_starts(today)
    admitted = MemberEventType.ADMITTED.value
    admissions = await counts.flows_by_month(session, member_ids, months[0], today, admitted)
    # The twelve months always include this year's (the first is January at the latest): its
    # admissions are the months of this year, with no second read of the flows.
    new_this_year = sum(n for month, n in admissions.items() if month.year == today.year)

    e = await enterprise_counts.figures(
        session,
        select(Union.id).where(union_filter(principal, Permission.ENTERPRISES_READ), *under),
    )

    children: list[ChildMembers] = []
    if root is not None:
        kids = {
            u.path: u
            for u in unions
            if u.parent_id == root.id and u.status == active and u.unions_read
        }
        children = await _members_per(kids, session, member_unions, member_ids) if kids else []
    elif held:
        tops = {u.path: u for u in _tops(held) if u.status == active}
        children = await _members_per(tops, session, member_unions, member_ids, keep_empty=True)

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
            total=e.total,
            operating=e.operating,
            with_union=e.with_union,
            eligible_without_union=e.eligible_without_union,
            workers_without_union=e.workers_without_union,
        ),
        members_by_child=children,
        admissions_by_month=[
            MonthCount(month=d.strftime("%Y-%m"), admissions=admissions.get(d, 0)) for d in months
        ],
    )


async def _members_per(
    kids: dict[str, Any],
    session: AsyncSession,
    unions: list[Any],
    ids: Select[uuid.UUID],
    keep_empty: bool = False,
) -> list[ChildMembers]:
    """Active members in the subtree of each of `kids` (path -> row; the 30 largest), from
    the counts of `unions` (rows with ids and paths; `ids`: the same as a `SELECT id`)."""
    per_union = await counts.members_per_union(session, ids, [MemberStatus.ACTIVE.value])
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
