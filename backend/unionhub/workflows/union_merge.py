"""Merging a union into another: the tree side (unions), the members who move (members) and
the ratings of its child unions, which follow them to the target (evaluations)."""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.evaluations import appraisers
from unionhub.members.union_merge import move_all_members
from unionhub.unions import reads, restructure
from unionhub.unions.models import Union
from unionhub.unions.schemas import UnionMerge, UnionRead


async def merge_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMerge,
    if_match: int | None = None,
) -> Union:
    """Merge a union into another: its active children move under the target (their undecided
    ratings of open rounds go to the target for appraisal), its members in membership transfer
    to the target (reason union_merged), and it ends. One transaction."""
    cause = appraisers.TreeChange("union.merge", union_id, data.effective_date)

    async def move_members(source_id: uuid.UUID, target_id: uuid.UUID, effective: date) -> int:
        return await move_all_members(session, principal, source_id, target_id, effective)

    async def children_moved(child_ids: list[uuid.UUID]) -> None:
        await appraisers.follow_units(session, principal, child_ids, cause)

    return await restructure.merge_union(
        session,
        principal,
        union_id,
        data,
        if_match,
        move_members=move_members,
        children_moved=children_moved,
    )


async def merge(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMerge,
    if_match: int | None,
) -> UnionRead:
    """Merge a union into another (see merge_union) and answer with the union as the API
    shows it."""
    union = await merge_union(session, principal, union_id, data, if_match)
    return await reads.get_union(session, principal, union.id)
