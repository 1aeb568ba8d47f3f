"""The member list's total: exact from the maintained counts for structural filters, counted
for the others up to `repository.COUNT_CAP`, and beyond that an estimate (or, when asked for,
the exact count).

Structural filters are the ones the counts are kept by: the unions (scope, `union_id` and its
subtree by the tree of the day, sector), status, gender and the day (`as_of`). Any other filter
(a name, an age, admission dates, an employer, holding a post) needs the members themselves.
"""

import json
import math
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, literal_column
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from unionhub.members import counts
from unionhub.members import repository as repo
from unionhub.members.repository import MemberFilters

# The exact count the user asks for ("Đếm chính xác") may read a whole province.
EXACT_COUNT_TIMEOUT_MS = 10_000


is_structural = repo.is_structural


async def structural_total(
    session: AsyncSession, filters: MemberFilters, union_ids: Sequence[uuid.UUID] | None
) -> int | None:
    """The exact total from the counts, or None when a filter is not structural.

    `union_ids` is the list's union set (`repository.resolve_union_set`: scope, subtree by
    the tree of `as_of`, sector); None means every union. Without `as_of` the list shows the
    register as it stands, every status unless filtered; with it, the members on that day
    (active or suspended unless filtered), as `repository.filtered_query` does.
    """
    if not is_structural(filters):
        return None
    if filters.as_of is None:
        statuses = filters.status or counts.ALL_STATUSES
        return await counts.members_on(session, union_ids, statuses=statuses, gender=filters.gender)
    return await counts.members_on(
        session, union_ids, day=filters.as_of, statuses=filters.status, gender=filters.gender
    )


class _Explain(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, stmt: Select[Any]) -> None:
        self.stmt = stmt


@compiles(_Explain)
def _explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + str(compiler.process(element.stmt, **kw))


def _round(n: float) -> int:
    """Three significant figures: 12,345 -> 12,300."""
    if n < 1000:
        return int(n)
    scale = 10 ** (int(math.log10(n)) - 2)
    return int(round(n / scale) * scale)


async def estimate(
    session: AsyncSession, stmt: Select[Any], floor: int, ceiling: int | None = None
) -> int:
    """The planner's estimate of the rows `stmt` matches, kept between `floor` (what the count
    already saw) and `ceiling` (the members of the scope, from the counts), rounded."""
    plan = await session.scalar(
        _Explain(stmt.with_only_columns(literal_column("1"), maintain_column_froms=True))
    )
    if isinstance(plan, str):
        plan = json.loads(plan)
    rows = float(plan[0]["Plan"]["Plan Rows"]) if plan else 0.0
    if ceiling is not None:
        rows = min(rows, ceiling)
    return max(floor, _round(rows))


async def exact_count(session: AsyncSession, stmt: Select[Any]) -> int | None:
    """Every match counted (the user asked for it); None if even that takes too long."""
    return await repo.count_bounded(session, stmt, cap=repo.ALL, timeout_ms=EXACT_COUNT_TIMEOUT_MS)


async def settle(
    session: AsyncSession,
    stmt: Select[Any],
    filters: MemberFilters,
    union_ids: Sequence[uuid.UUID] | None,
    counted: int | None,
    *,
    structural: int | None,
    exact_requested: bool,
    counted_all: bool = False,
) -> tuple[int, bool]:
    """(total, exact) for a list whose count saw `counted` matches (None: gave up; with
    `counted_all`, every match was counted, however many)."""
    if structural is not None:
        return structural, True
    if counted is not None and (counted_all or counted <= repo.COUNT_CAP):
        return counted, True
    if exact_requested:
        n = await exact_count(session, stmt)
        if n is not None:
            return n, True
    scope = await counts.members_on(
        session,
        union_ids,
        day=filters.as_of,
        statuses=filters.status or (None if filters.as_of else counts.ALL_STATUSES),
        gender=filters.gender,
    )
    # A count that passed the cap saw cap + 1 matches; one abandoned saw none for sure.
    floor = repo.COUNT_CAP + 1 if counted is not None else 0
    return await estimate(session, stmt, min(floor, scope), scope), False
