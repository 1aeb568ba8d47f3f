"""The member counts summed over each union's subtree (docs/adr/0020).

`member_subtree_totals` and `member_subtree_flows` hold, for each union, the members per
status and gender and the member events per kind, gender and month of the union and every
union under it, by the tree of now. The triggers that keep the per-union counts append to
them in the same transaction (`member_counts_apply`, `member_flows_apply`; a change of paths:
`member_subtree_on_tree`), so a figure of a whole subtree reads a few rows of one union, not a
row per union under it. Several rows per key until `fold` makes them one.

A caller that wants a figure over a set of unions passes `cover`: unions whose subtrees are
exactly that set, none under another (a province's officer: the top of the tree; a district's:
the district). Any other set is counted from the per-union counts (`members.counts`).
"""

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.scope import TREE_LOCK_KEY
from unionhub.core.pagination import AnySelect
from unionhub.members.counts import ALL_STATUSES
from unionhub.members.models import member_subtree_flows, member_subtree_totals
from unionhub.members.union_sets import union_in

# The advisory lock between the writers of counts (shared) and a change of paths
# (exclusive, `scope.lock_tree`).
LOCK_KEY = TREE_LOCK_KEY
Cover = AnySelect | Sequence[uuid.UUID]


def _in(column: ColumnElement[uuid.UUID], cover: Cover) -> ColumnElement[bool]:
    found: ColumnElement[bool] = union_in(column, cover)
    return found


def members_by_status_gender_query(
    cover: Cover, statuses: Sequence[str] | None = None
) -> AnySelect:
    """Rows (status, gender, members) of today's members under `cover`."""
    t = member_subtree_totals.c
    return (
        select(t.status, t.gender, func.sum(t.n))
        .where(_in(t.union_id, cover), t.status.in_(statuses or ALL_STATUSES))
        .group_by(t.status, t.gender)
    )


def flows_by_month_query(cover: Cover, first: date, last: date, kind: str) -> AnySelect:
    """Rows (first day of the month, events) of `kind` under `cover`, the months from the one
    of `first` to the one of `last`. Whole months: a month is counted to its end (what is
    after today is nothing, as no event is dated in the future)."""
    f = member_subtree_flows.c
    return (
        select(f.month, func.sum(f.n))
        .where(
            _in(f.union_id, cover),
            f.kind == kind,
            f.month >= first.replace(day=1),
            f.month <= last.replace(day=1),
        )
        .group_by(f.month)
    )


async def fold(session: AsyncSession) -> int:
    """Each key's appended rows made one; returns the rows taken. The caller commits."""
    return int(await session.scalar(text("SELECT member_subtree_fold()")) or 0)
