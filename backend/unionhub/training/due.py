"""The due-for-training list: cadres whose post asks for a qualification (post requirements
as data: "a CĐCS chair needs basic union-work training within 12 months of taking office")
that they do not hold, since when it was due and by how much it is overdue; and the counts
for the officers' to-do list."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.training import compliance
from unionhub.training import repository as repo
from unionhub.training.schemas import DueRow, TrainingTodo


def _row(r: Any, as_of: date) -> DueRow:
    post, req, name, card, union_name, due_on, current = r
    return DueRow(
        post_id=post.id,
        member_id=post.member_id,
        member_name=name,
        member_card_number=card,
        union_id=post.union_id,
        union_name=union_name,
        post=post.post,
        full_time=post.full_time,
        from_date=post.from_date,
        requirement_code=req.code,
        requirement_name=req.name,
        kind=req.kind,
        min_level=req.min_level,
        current_level=current,
        due_on=due_on,
        overdue_days=max(0, (as_of - due_on).days),
    )


async def due_list(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID | None,
    as_of: date,
    page: PageParams,
    *,
    overdue_only: bool = False,
) -> Page[DueRow]:
    """Who is due for which training under `union_id` (default: the caller's first union)."""
    root = await compliance.root_union(session, principal, union_id)
    stmt = repo.due_query(principal, root.id, as_of, overdue_only=overdue_only)
    return await paginate(session, stmt, page, lambda rows: [_row(r, as_of) for r in rows])


async def all_due(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID | None,
    as_of: date,
    *,
    overdue_only: bool = False,
    limit: int = 100_000,
) -> list[DueRow]:
    """The whole list (for the spreadsheet export), at most `limit` rows."""
    root = await compliance.root_union(session, principal, union_id)
    stmt = repo.due_query(principal, root.id, as_of, overdue_only=overdue_only).limit(limit)
    return [_row(r, as_of) for r in (await session.execute(stmt)).all()]


async def todo(session: AsyncSession, principal: Principal, today: date) -> TrainingTodo:
    counts = await repo.todo_counts(session, principal)
    due, overdue = await repo.due_counts(session, principal, today)
    return TrainingTodo(**counts, due_for_training=due, overdue_for_training=overdue)
