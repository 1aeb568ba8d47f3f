"""Points where the member register plugs into tree operations.

Kept apart so the tree does not import the member domain; the member register replaces these
bodies with real queries.
"""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal


async def active_members(session: AsyncSession, union_ids: list[uuid.UUID]) -> int:
    """Active members directly in these unions (no register yet: none)."""
    return 0


async def move_members(
    session: AsyncSession,
    principal: Principal,
    source_id: uuid.UUID,
    target_id: uuid.UUID,
    effective: date,
) -> int:
    """Move the members of a merged union to the target; returns how many moved."""
    return 0


async def member_counts(
    session: AsyncSession, union_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int] | None:
    """Active members per union (subtree totals) for tree nodes; None while there is no register."""
    return None
