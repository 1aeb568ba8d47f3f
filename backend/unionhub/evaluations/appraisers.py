"""Who appraises a rating when its unit moves in the tree mid-round.

A rating records its appraiser when the round opens: the unit's direct superior in the tree as
of the end of the period (evaluations.rounds). When the unit then moves (a move, a merge that
hands its parent's children to another union, the 2025 reorganisation's re-pointing), the
superior that now holds it appraises it: its undecided ratings (draft, submitted, returned) of
open rounds follow the unit to its new direct superior. A move dated inside the period gives the
same superior as the opening rule; one dated after it (the appraisal runs into the next year)
does too, as the old superior no longer sees the unit at all. Approved and published ratings are
the old superior's decisions and stay as they were.

Called by the tree changes in unionhub.workflows, after the tree has changed, in the same
transaction; each re-pointed rating is audited with the tree change as its cause.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.evaluations import repository as repo


@dataclass(frozen=True)
class TreeChange:
    """What moved the units: the audited action (`union.move`, `union.merge`), the union it
    was taken on, and its effective date."""

    action: str
    union_id: uuid.UUID
    effective_date: date


async def follow_units(
    session: AsyncSession,
    principal: Principal,
    unit_ids: Collection[uuid.UUID],
    cause: TreeChange,
) -> int:
    """Re-point the undecided ratings of open rounds of `unit_ids` to each unit's direct
    superior now, and audit each change (before/after, the tree change as its cause). Returns
    how many ratings changed appraiser."""
    rows = await repo.ratings_to_repoint(session, unit_ids)
    for evaluation, superior_id in rows:
        before = snapshot(evaluation)
        evaluation.appraiser_union_id = superior_id
        evaluation.version += 1
        await session.flush()
        await session.refresh(evaluation, ["updated_at"])
        await audit.record(
            session,
            principal,
            "evaluation.appraiser_change",
            "evaluation",
            evaluation.id,
            union_id=evaluation.union_id,
            before=before,
            after={
                **snapshot(evaluation),
                "cause": {
                    "action": cause.action,
                    "union_id": cause.union_id,
                    "effective_date": cause.effective_date,
                },
            },
        )
    await session.flush()
    return len(rows)
