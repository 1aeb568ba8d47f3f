"""The bookkeeping every tree operation shares: versions, dated periods, events, audit rows."""

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.text import fold
from unionhub.unions import repository as repo
from unionhub.unions.models import Union, UnionEvent, UnionEventType, UnionPeriod


def search_text(code: str, name: str, short_name: str | None) -> str:
    return fold(" ".join(p for p in (code, name, short_name) if p))


async def stored(session: AsyncSession, union: Union) -> dict[str, Any]:
    """The row as stored, for the audit's `after`.

    Flushing expires server-set columns (`updated_at`); reading them lazily would be IO outside
    the event loop, so they are reloaded here first.
    """
    await session.flush()
    await session.refresh(union)
    return snapshot(union)


def event(
    principal: Principal,
    union: Union,
    kind: UnionEventType,
    effective: date,
    decision_no: str | None,
    decision_date: date | None,
    details: dict[str, Any],
) -> UnionEvent:
    """A dated, decided event for the union's history (the caller adds it to the session)."""
    return UnionEvent(
        union_id=union.id,
        event_type=kind.value,
        effective_date=effective,
        decision_no=decision_no,
        decision_date=decision_date,
        details=audit.jsonable(details),
        actor_id=None if principal.system else principal.user_id,
    )


async def new_period(session: AsyncSession, union: Union, effective: date, **changes: Any) -> None:
    """Close the union's current period at `effective` and open one with `changes` applied.

    A change on the day the current period began replaces that period in place.
    """
    current = await repo.current_period(session, union.id)
    assert current is not None, "every union has a current period"
    if current.valid_from == effective:
        for key, value in changes.items():
            setattr(current, key, value)
        await session.flush()
        return
    current.valid_to = effective
    await session.flush()
    session.add(
        UnionPeriod(
            union_id=union.id,
            parent_id=changes.get("parent_id", current.parent_id),
            name=changes.get("name", current.name),
            short_name=changes.get("short_name", current.short_name),
            status=changes.get("status", current.status),
            valid_from=effective,
        )
    )
    await session.flush()


async def last_change(session: AsyncSession, union: Union) -> date | None:
    """The day the union's current period began: no later change may be dated before it."""
    current = await repo.current_period(session, union.id)
    return current.valid_from if current else None


async def not_before(session: AsyncSession, union: Union) -> date | None:
    """The earliest date a union can end: its own last change and its children's.

    A child that joined, left or ended under it on some day must find it still there that day,
    or the tree on past dates would show children under a union that had already gone.
    """
    dates = [
        d
        for d in (
            await last_change(session, union),
            await repo.last_child_change(session, union.id),
        )
        if d is not None
    ]
    return max(dates) if dates else None
