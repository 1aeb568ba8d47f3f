"""Moving a union under another parent: the tree side (unions) and the ratings that follow
the unit to its new superior (evaluations)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.evaluations import appraisers
from unionhub.unions import reads, restructure
from unionhub.unions.models import Union
from unionhub.unions.schemas import UnionMove, UnionRead


async def move_union(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMove,
    if_match: int | None = None,
) -> Union:
    """Move a union and its subtree under another parent; the union's undecided ratings of
    open rounds go to its new direct superior for appraisal (the units under it keep theirs:
    their superior did not change). One transaction."""
    union = await restructure.move_union(session, principal, union_id, data, if_match)
    await appraisers.follow_units(
        session,
        principal,
        [union.id],
        appraisers.TreeChange("union.move", union.id, data.effective_date),
    )
    return union


async def move(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    data: UnionMove,
    if_match: int | None,
) -> UnionRead:
    """Move a union (see move_union) and answer with the union as the API shows it."""
    union = await move_union(session, principal, union_id, data, if_match)
    return await reads.get_union(session, principal, union.id)
