"""Member figures shown with unions, read from the member register's tables.

The unions domain reads `members.models` (a domain's tables are its published data; see
docs/architecture.md) but never writes them: moving members is the member domain's work.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.scope import lineage, subtree, unscoped
from unionhub.members.models import IN_MEMBERSHIP, Member
from unionhub.unions.models import Union


async def active_members(session: AsyncSession, union_ids: list[uuid.UUID]) -> int:
    """Members in membership (active or suspended) directly in these unions."""
    if not union_ids:
        return 0
    return int(
        await session.scalar(
            select(func.count()).where(
                Member.union_id.in_(union_ids), Member.status.in_(IN_MEMBERSHIP)
            )
        )
        or 0
    )


async def member_counts(
    session: AsyncSession, union_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int] | None:
    """Members in membership (active or suspended) in each union's whole subtree.

    Members are counted once per union (an index-only scan joined to the unions by ltree
    path) and the counts are added up the paths here: asking for a province and its districts
    at once does not count the province's members again for every level.
    """
    if not union_ids:
        return {}
    found = await session.execute(
        unscoped(
            select(Union.path, Union.id).where(Union.id.in_(union_ids)),
            reason="the paths of unions the caller listed through the scope",
        )
    )
    wanted: dict[str, uuid.UUID] = {path: union_id for path, union_id in found}
    if not wanted:
        return dict.fromkeys(union_ids, 0)
    per_union = (
        select(Member.union_id, func.count().label("n"))
        .where(
            Member.union_id.in_(select(Union.id).where(subtree(list(wanted)))),
            Member.status.in_(IN_MEMBERSHIP),
        )
        .group_by(Member.union_id)
        .subquery()
    )
    rows = await session.execute(
        select(Union.path, per_union.c.n).join(per_union, per_union.c.union_id == Union.id)
    )
    totals = dict.fromkeys(union_ids, 0)
    for path, n in rows:
        for ancestor in lineage(path):
            owner = wanted.get(ancestor)
            if owner is not None:
                totals[owner] += int(n)
    return totals
