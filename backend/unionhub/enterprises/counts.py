"""Figures of the enterprise register read from the maintained counts (`enterprise_counts`:
enterprises per responsible union, operating status, "has an active union" and "reaches the
founding size", kept by triggers in the same transaction as every change to `enterprises` or
`unions`). A figure for a set of unions reads a few rows per union, whatever the number of
enterprises."""

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.core.pagination import AnySelect
from unionhub.enterprises.models import EnterpriseCount, OperatingStatus


@dataclass(frozen=True)
class EnterpriseFigures:
    total: int
    operating: int
    with_union: int
    # Operating, at least FOUNDING_MIN_WORKERS workers, no active union: founding targets.
    eligible_without_union: int
    workers_without_union: int


async def figures(session: AsyncSession, union_ids: Select[uuid.UUID] | None) -> EnterpriseFigures:
    """The enterprises whose responsible union is one of `union_ids` (a `SELECT id` built
    through the scope; None: every union, no condition)."""
    row = (await session.execute(figures_query(union_ids))).one()
    return EnterpriseFigures(*(int(v) for v in row))


def figures_query(union_ids: Select[uuid.UUID] | None) -> AnySelect:
    """`figures`' statement: one row, the fields of `EnterpriseFigures` in order."""
    c = EnterpriseCount
    operating = c.operating_status == OperatingStatus.OPERATING.value
    eligible = and_(operating, c.founding_size, ~c.with_union)
    return select(
        func.coalesce(func.sum(c.n), 0),
        func.coalesce(func.sum(c.n).filter(operating), 0),
        func.coalesce(func.sum(c.n).filter(c.with_union), 0),
        func.coalesce(func.sum(c.n).filter(eligible), 0),
        func.coalesce(func.sum(c.workers).filter(eligible), 0),
    ).where(*([] if union_ids is None else [c.union_id.in_(union_ids)]))
