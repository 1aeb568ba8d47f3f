"""Figures of the member register read from the maintained counts (docs/adr/0011).

`member_count_deltas` (+1 where a membership period starts, -1 where it ends, per union,
status, gender and day), `member_count_totals` (their sum: the open periods) and
`member_flow_counts` (events per union, kind, gender and day) are kept by triggers in the
same transaction as every change to the register. A figure for a set of unions costs a few
index rows per union and day with changes, whatever the number of members.

Every function takes the unions to count as `union_ids`: a list of ids or a `SELECT id` built
by the caller through the scope (`scope.subtree_ids(root, as_of=day)` for the tree of a date,
`union_sets.limited_to` for a member list's scope), or None for every union. The counts stay
with the union a member was in on the day, so a past figure follows the tree of its date when
the caller passes that tree's unions.
"""

import uuid
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, bindparam, cast, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from unionhub.core.pagination import AnySelect
from unionhub.members.models import (
    IN_MEMBERSHIP,
    FlowKind,
    Gender,
    MemberCountDelta,
    MemberCountTotal,
    MemberFlowCount,
    MemberFlowRollup,
    MemberStatus,
    Span,
)
from unionhub.members.union_sets import union_ids_param, union_in

UnionIds = Select[uuid.UUID] | Collection[uuid.UUID] | None
ALL_STATUSES = tuple(s.value for s in MemberStatus)
ALL_GENDERS = tuple(g.value for g in Gender)
ALL_KINDS = tuple(k.value for k in FlowKind)
# A day older than this is summed forward from the first delta; a later one backward from the
# totals (subtracting what changed after it): whichever reads fewer rows for usual data, whose
# changes pile up in recent years.
FORWARD_BEFORE = timedelta(days=365 * 8)


def _where(column: Any, union_ids: UnionIds | BindParameter[Any]) -> list[ColumnElement[bool]]:
    return [] if union_ids is None else [union_in(column, union_ids)]


def _genders(table: Any, gender: str | None) -> ColumnElement[bool]:
    # Named even when every gender is wanted: gender sits between the kind (or status) and
    # the day in the primary key, and a key given for it lets the day bound the index scan.
    clause: ColumnElement[bool] = table.gender.in_([gender] if gender else ALL_GENDERS)
    return clause


def _dims(
    table: Any, statuses: Sequence[str] | None, gender: str | None
) -> list[ColumnElement[bool]]:
    return [table.status.in_(statuses or IN_MEMBERSHIP), _genders(table, gender)]


def members_on_query(
    union_ids: UnionIds,
    *,
    day: date | None = None,
    statuses: Sequence[str] | None = None,
    gender: str | None = None,
    today: date | None = None,
) -> AnySelect:
    """`SELECT n`: members of `union_ids` with one of `statuses` (default: active or suspended)
    on `day` (default: now, i.e. the register's current state), of `gender` if given."""
    today = today or date.today()
    t, d = MemberCountTotal, MemberCountDelta
    if day is not None and day < today - FORWARD_BEFORE:
        return select(func.coalesce(func.sum(d.delta), 0)).where(
            *_where(d.union_id, union_ids), *_dims(d, statuses, gender), d.day <= day
        )
    now = select(func.coalesce(func.sum(t.n), 0)).where(
        *_where(t.union_id, union_ids), *_dims(t, statuses, gender)
    )
    if day is None:
        return now
    later = select(func.coalesce(func.sum(d.delta), 0)).where(
        *_where(d.union_id, union_ids), *_dims(d, statuses, gender), d.day > day
    )
    return select(now.scalar_subquery() - later.scalar_subquery())


@cache
def _members_now(every_union: bool) -> AnySelect:
    """`members_on_query` for today built once (the member list's total on every page turn):
    the union ids, statuses and genders come as the parameters `union_ids`, `statuses` and
    `genders` (`_members_now_params`)."""
    t = MemberCountTotal
    return select(func.coalesce(func.sum(t.n), 0)).where(
        *_where(t.union_id, None if every_union else union_ids_param()),
        t.status.in_(bindparam("statuses", expanding=True)),
        t.gender.in_(bindparam("genders", expanding=True)),
    )


def _members_now_params(
    union_ids: Collection[uuid.UUID] | None, statuses: Sequence[str] | None, gender: str | None
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "statuses": list(statuses or IN_MEMBERSHIP),
        "genders": [gender] if gender else list(ALL_GENDERS),
    }
    if union_ids is not None:
        params["union_ids"] = list(union_ids)
    return params


async def members_on(
    session: AsyncSession,
    union_ids: UnionIds,
    *,
    day: date | None = None,
    statuses: Sequence[str] | None = None,
    gender: str | None = None,
) -> int:
    """Members of `union_ids` on `day` (see `members_on_query`)."""
    if day is None and not isinstance(union_ids, Select):
        conn = await session.connection()
        params = _members_now_params(union_ids, statuses, gender)
        result = await conn.execute(_members_now(union_ids is None), params)
        return int(result.scalar() or 0)
    query = members_on_query(union_ids, day=day, statuses=statuses, gender=gender)
    return int(await session.scalar(query) or 0)


async def members_by_status_gender(
    session: AsyncSession, union_ids: UnionIds, statuses: Sequence[str] | None = None
) -> dict[tuple[str, str], int]:
    """Today's members of `union_ids` per (status, gender), of `statuses` (default: every
    status)."""
    rows = await session.execute(members_by_status_gender_query(union_ids, statuses))
    return {(r[0], r[1]): int(r[2]) for r in rows}


def members_by_status_gender_query(
    union_ids: UnionIds, statuses: Sequence[str] | None = None
) -> AnySelect:
    """`members_by_status_gender`'s statement: rows (status, gender, members)."""
    t = MemberCountTotal
    return (
        select(t.status, t.gender, func.sum(t.n))
        .where(*_where(t.union_id, union_ids), t.status.in_(statuses or ALL_STATUSES))
        .group_by(t.status, t.gender)
    )


async def flows(
    session: AsyncSession,
    union_ids: UnionIds,
    start: date,
    end: date,
    kinds: Sequence[str] | None = None,
) -> dict[tuple[str, str], int]:
    """Events of `kinds` (default all) in `union_ids` from `start` to `end` (both included),
    per (kind, gender). A transfer counts as transfer_in at the union it went to and
    transfer_out at the one it left."""
    f = MemberFlowCount
    where = [
        *_where(f.union_id, union_ids),
        f.kind.in_(kinds or ALL_KINDS),
        _genders(f, None),
        f.day >= start,
        f.day <= end,
    ]
    rows = await session.execute(
        select(f.kind, f.gender, func.sum(f.n)).where(*where).group_by(f.kind, f.gender)
    )
    return {(r[0], r[1]): int(r[2]) for r in rows if r[2]}


def _whole_months(start: date, end: date) -> tuple[date, date]:
    """[first, after): the whole calendar months from `start` to `end` (both included); the
    days before `first` and from `after` on are parts of months."""
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    return first, max(first, after)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


async def flows_by_month(
    session: AsyncSession, union_ids: UnionIds, start: date, end: date, kind: str
) -> dict[date, int]:
    """Events of `kind` in `union_ids` per month (first day of the month), `start` to `end`:
    the whole months from the month rollups of `member_flow_counts` (a row per union and
    month), the days of a month cut by `start` or `end` (this month, up to today) from the
    days themselves."""
    rows = await session.execute(flows_by_month_query(union_ids, start, end, kind))
    return {r[0]: int(r[1]) for r in rows if r[1]}


def flows_by_month_query(union_ids: UnionIds, start: date, end: date, kind: str) -> AnySelect:
    """`flows_by_month`'s statement: rows (first day of the month, events; NULL: none)."""
    first, after = _whole_months(start, end)
    f, m = MemberFlowCount, MemberFlowRollup
    months = select(m.start.label("month"), m.n.label("n")).where(
        *_where(m.union_id, union_ids),
        m.kind == kind,
        m.span == Span.MONTH.value,
        m.start >= first,
        m.start < after,
    )

    def days(since: date, until: date) -> Select[date, int]:
        return select(cast(func.date_trunc("month", f.day), Date), f.n).where(
            *_where(f.union_id, union_ids),
            f.kind == kind,
            _genders(f, None),
            f.day >= since,
            f.day <= until,
        )

    # Each part a plain range (an OR of the two would read neither by its index).
    parts = union_all(months, days(start, first - timedelta(days=1)), days(after, end)).subquery()
    return select(parts.c.month, func.sum(parts.c.n)).group_by(parts.c.month)
