"""The overview of a caller's scope: what an officer sees first every morning.

One endpoint instead of a dozen list calls; every count goes through the scope helper.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    covering,
    get_union_in_scope,
    in_child_subtree,
    in_scope,
    subtree,
    union_filter,
    unscoped,
    within,
)
from unionhub.core.answers import SNAPSHOT, Answers, stamp
from unionhub.core.db import serial_plans
from unionhub.core.kept import Kept
from unionhub.core.pagination import AnySelect
from unionhub.enterprises import counts as enterprise_counts
from unionhub.enterprises.counts import EnterpriseFigures
from unionhub.members import counts
from unionhub.members import subtree as subtree_sums
from unionhub.members.models import (
    IN_MEMBERSHIP,
    MemberCountTotal,
    MemberEventType,
    MemberStatus,
    member_subtree_totals,
)
from unionhub.reports.schemas import (
    ChildMembers,
    EnterpriseCounts,
    HeldUnit,
    LevelSectorCount,
    MemberCounts,
    MonthCount,
    Overview,
)
from unionhub.unions.models import Union, UnionStatus


def _month_starts(today: date, count: int = 12) -> list[date]:
    months = []
    y, m = today.year, today.month
    for _ in range(count):
        months.append(date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return list(reversed(months))


async def _held(session: AsyncSession, principal: Principal) -> list[Union]:
    """The units the caller holds a role at, highest first, then by name."""
    held: dict[uuid.UUID, Union] = {}
    for a in principal.assignments:
        if a.union_id not in held:
            held[a.union_id] = await get_union_in_scope(session, principal, a.union_id)
    return sorted(held.values(), key=lambda u: (u.path.count("."), u.name))


def _tops(held: list[Union]) -> list[Union]:
    """The held units that are not under another held unit."""
    return [u for u in held if not any(o.id != u.id and within(u.path, o.path) for o in held)]


async def _root(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None, held: list[Union]
) -> Union | None:
    if union_id is not None:
        return await get_union_in_scope(session, principal, union_id)
    if held:
        tops = _tops(held)
        # Several units apart (an officer of a dissolved district federation and of the ward
        # unions that took over): no one root; the chart shows each unit.
        return tops[0] if len(tops) == 1 else None
    # The system actor or an admin without assignments: the top of the tree.
    return (
        await session.execute(
            unscoped(
                select(Union).where(Union.parent_id.is_(None)).order_by(Union.tree_key).limit(1),
                reason="the system actor and an admin without assignments see the whole tree",
            )
        )
    ).scalar_one_or_none()


async def overview(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None = None
) -> Overview:
    """Counts of unions, members and enterprises in the caller's scope (or under `union_id`).

    Every figure is read from the maintained counts (`members.counts`, `enterprises.counts`):
    a few rows per union, whatever the number of members and enterprises, so the list's
    statement time limit applies (no `SET LOCAL` for a report's; parallel workers are turned
    off, `serial_plans`: each read is small, and two workers cost more than they save).
    Each figure is summed in SQL over the unions where the caller holds its permission (unions
    per level, members per status, child and month, enterprises), so the answer carries a few
    dozen rows, not a row per union of the scope. The figures read are kept until one of the
    tables they come from changes (`core.answers`); the held units, the root and the scope
    check of `union_id` are read on every request.
    """
    today = date.today()
    held = await _held(session, principal)
    root = await _root(session, principal, union_id, held)
    under = [subtree(root.path)] if union_id is not None and root else []
    months = _month_starts(today)
    key = (
        principal.scope_key,
        union_id,
        root.id if root else None,
        root.path if root else None,
        today,
    )
    # The figures are the same for every caller of this scope until a table they are read
    # from changes: kept under the stamp read before them (`core.answers`, docs/adr/0019).
    at = await stamp(session)
    figures: _Figures | None = await _ANSWERS.wait(key, at)
    every: frozenset[Permission] | None = None
    if figures is None:
        # Read once at a time: the same scope's requests meanwhile wait for this read.
        with _ANSWERS.reading(key, at):
            # A scope that covers every union (the province's officers, at the root) needs no
            # union condition: each statement would otherwise read the 1,600 unions' rows.
            every = covered = await _every(session, principal)
            # With the members' sums kept per subtree (`_cover`), every part reads the unions
            # (1,600 rows), the enterprises' counts (a row per union and kind) or a few index
            # rows per union of the cover: no plan depends on the values, so each connection
            # plans the statement once (generic; ~1.2 ms a time on the AMD bench machine).
            await serial_plans(session, generic=_cover(principal, root, under, covered) is not None)
            stmt, widths = _KEPT.get(
                (*key, covered),
                lambda: _figures(principal, root, under, covered, today, months),
            )
            # Every figure in one statement, one round trip (each part's rows as arrays).
            row = (await session.execute(stmt)).one()
            figures = _read(_apart(row, widths), today, with_children=root is not None)
            _ANSWERS.put(key, at, figures, row.snapshot)

    children = figures.children
    if root is None and held:
        children = await _members_per_top(
            session,
            principal,
            [u for u in _tops(held) if u.status == UnionStatus.ACTIVE.value],
            every if every is not None else await _every(session, principal),
        )
    by_level, members, e = figures.by_level, figures.members, figures.enterprises

    return Overview(
        as_of=today,
        root_union_id=root.id if root else None,
        root_union_name=root.name if root else None,
        held_units=[
            HeldUnit(
                id=u.id,
                code=u.code,
                name=u.name,
                short_name=u.short_name,
                level=u.level,
                status=u.status,
            )
            for u in held
        ],
        unions_by_level=by_level,
        unions_total=sum(c.count for c in by_level),
        members=members,
        enterprises=e,
        members_by_child=children,
        admissions_by_month=[
            MonthCount(month=d.strftime("%Y-%m"), admissions=figures.admissions.get(d, 0))
            for d in months
        ],
    )


@dataclass(frozen=True)
class _Figures:
    """What the overview's statement gives, read: shared by the answers kept under one key
    (nothing changes them after `_read`)."""

    by_level: list[LevelSectorCount]
    members: MemberCounts
    admissions: dict[date, int]
    enterprises: EnterpriseCounts
    children: list[ChildMembers]


def _read(found: list[list[tuple[Any, ...]]], today: date, with_children: bool) -> _Figures:
    """`_figures`' parts (`_apart`) as the overview's figures."""
    by_level = [
        LevelSectorCount(level=level, sector=sector, count=n)
        for level, sector, n in sorted((r[0], r[1], int(r[2])) for r in found[0])
    ]
    members_of = {(r[0], r[1]): int(r[2]) for r in found[1]}

    def members(status: str, gender: str | None = None) -> int:
        return sum(n for (s, g), n in members_of.items() if s == status and gender in (None, g))

    admissions = {r[0]: int(r[1]) for r in found[2] if r[1]}
    # The twelve months always include this year's (the first is January at the latest): its
    # admissions are the months of this year, with no second read of the flows.
    new_this_year = sum(n for month, n in admissions.items() if month.year == today.year)
    e = EnterpriseFigures(*(int(v) for v in found[3][0]))
    return _Figures(
        by_level=by_level,
        members=MemberCounts(
            active=members(MemberStatus.ACTIVE.value),
            suspended=members(MemberStatus.SUSPENDED.value),
            new_this_year=new_this_year,
            female=members(MemberStatus.ACTIVE.value, "female"),
        ),
        admissions=admissions,
        enterprises=EnterpriseCounts(
            total=e.total,
            operating=e.operating,
            with_union=e.with_union,
            eligible_without_union=e.eligible_without_union,
            workers_without_union=e.workers_without_union,
        ),
        children=_bars((r[0], r[1], r[2], int(r[3])) for r in found[4]) if with_children else [],
    )


async def _every(session: AsyncSession, principal: Principal) -> frozenset[Permission]:
    return await covering(
        session,
        principal,
        [Permission.UNIONS_READ, Permission.MEMBERS_READ, Permission.ENTERPRISES_READ],
    )


# The overview's statement (`_figures`), kept (`core.kept`) under what it is built from: the
# caller's roles, the union asked for, the root, the day and the scope's coverage.
_KEPT = Kept(64)
# Its figures, read (`_read`), under the same key but the coverage (which follows from the
# roles and the tree, and a change to the tree bumps the stamp), with the stamp they were read
# at (`core.answers`).
_ANSWERS = Answers(64)


def _figures(
    principal: Principal,
    root: Union | None,
    under: list[Any],
    every: frozenset[Permission],
    today: date,
    months: list[date],
) -> tuple[AnySelect, list[int]]:
    """The overview's figures in one statement (`_together`), and each part's width: unions
    per level and sector, members per status and gender, admissions per month, enterprises,
    and (with a root) the members per child."""

    def unions(permission: Permission) -> Any:
        """The unions where the caller holds `permission` (under `union_id`), or None: every
        union, no condition."""
        if permission in every and not under:
            return None
        return select(Union.id).where(
            union_filter(principal, permission, every=permission in every), *under
        )

    levels = (
        select(Union.level, Union.sector, func.count())
        .where(
            union_filter(principal, Permission.UNIONS_READ, every=Permission.UNIONS_READ in every),
            Union.status == UnionStatus.ACTIVE.value,
            *under,
        )
        .group_by(Union.level, Union.sector)
    )
    # The counts take the unions as a subquery (a hashed semi-join), not as an array of 1,600
    # ids per statement: planning a custom plan around such an array costs more than reading.
    admitted = MemberEventType.ADMITTED.value
    cover = _cover(principal, root, under, every)
    if cover is not None:
        # The unions where the caller reads members are whole subtrees (`cover`): their sums
        # are kept (`members.subtree`), a few rows per union of `cover`.
        by_status = subtree_sums.members_by_status_gender_query(cover, IN_MEMBERSHIP)
        by_month = subtree_sums.flows_by_month_query(cover, months[0], today, admitted)
    else:
        member_ids = unions(Permission.MEMBERS_READ)
        by_status = counts.members_by_status_gender_query(member_ids, IN_MEMBERSHIP)
        # No admission is dated after today (`check_not_future`), so this month's admissions
        # up to today are its whole month: the twelve months are read from the month rollups
        # alone (one index-only range), not this month's days from the daily flows (a heap
        # page per row: ~4,000 rows, 11 ms at 5M members in December).
        month_end = date(today.year + today.month // 12, today.month % 12 + 1, 1) - timedelta(
            days=1
        )
        by_month = counts.flows_by_month_query(member_ids, months[0], month_end, admitted)
    figures = enterprise_counts.figures_query(unions(Permission.ENTERPRISES_READ))
    parts = [levels, by_status, by_month, figures]
    if root is not None:
        parts.append(
            _largest(
                _members_per_child_query(principal, root, under, every, whole=cover is not None)
            )
        )
    # `SNAPSHOT` last, after the parts' columns (`_apart` reads only theirs).
    return _together(parts).add_columns(SNAPSHOT), [len(p.selected_columns) for p in parts]


# Each bar of the chart: a union and the active members of its subtree where the caller reads
# members, the 30 largest (ties by name).
BARS = 30


def _largest(children: AnySelect) -> AnySelect:
    """The `BARS` largest of `_members_per_child_query`'s rows, in `_bars`' order (names in
    code point order, as Python compares them): a province's 408 children are ranked in SQL,
    and 30 rows come back."""
    rows = children.subquery("children")
    n, name = rows.c[3], rows.c[1]
    return select(rows).order_by(n.desc(), name.collate("C")).limit(BARS)


def _bars(rows: Iterable[tuple[uuid.UUID, str, str | None, int]]) -> list[ChildMembers]:
    ranked = sorted(rows, key=lambda r: (-r[3], r[1]))[:BARS]
    return [
        ChildMembers(union_id=i, name=name, short_name=short, members=n)
        for i, name, short, n in ranked
    ]


def _cover(
    principal: Principal, root: Union | None, under: list[Any], every: frozenset[Permission]
) -> AnySelect | list[uuid.UUID] | None:
    """Unions whose subtrees are the unions the overview counts members of, none under
    another: the root's subtree when the caller reads members at the root (a role there or
    above it; an admin), every union when they read members everywhere and no union was asked
    for (the tops of the tree). None: some other set (roles at units apart), counted from each
    union's own counts."""
    if root is None:
        return None
    if not under and (principal.is_admin or Permission.MEMBERS_READ in every):
        return unscoped(
            select(Union.id).where(Union.parent_id.is_(None)),
            reason="the caller reads members in every union: the tops of the whole tree",
        )
    if principal.holds_at(root.path, Permission.MEMBERS_READ):
        # Without `under`, the root is the one top of the caller's units: each of their roles
        # is at or under it.
        return [root.id]
    return None


def _members_per_child_query(
    principal: Principal,
    root: Union,
    under: list[Any],
    every: frozenset[Permission],
    *,
    whole: bool,
) -> AnySelect:
    """Rows (id, name, short name, active members) of the active children of `root` the caller
    sees, with members (those without are left out). `whole`: the caller reads members in the
    root's whole subtree, so a child's figure is its subtree's sum (`members.subtree`);
    otherwise the counts of every union under the root the caller reads members of, grouped
    by the child whose subtree holds it."""
    kid = aliased(Union, name="kid")
    if whole:
        s = member_subtree_totals.c
        return (
            select(kid.id, kid.name, kid.short_name, func.sum(s.n))
            .join(member_subtree_totals, s.union_id == kid.id)
            .where(
                kid.parent_id == root.id,
                kid.status == UnionStatus.ACTIVE.value,
                in_scope(
                    principal, kid.id, Permission.UNIONS_READ, every=Permission.UNIONS_READ in every
                ),
                s.status == MemberStatus.ACTIVE.value,
            )
            .group_by(kid.id, kid.name, kid.short_name)
            .having(func.sum(s.n) > 0)
        )
    t = MemberCountTotal
    return (
        select(kid.id, kid.name, kid.short_name, func.sum(t.n))
        .select_from(kid)
        .join(Union, in_child_subtree(kid, root.path))
        .join(t, t.union_id == Union.id)
        .where(
            kid.parent_id == root.id,
            kid.status == UnionStatus.ACTIVE.value,
            in_scope(
                principal, kid.id, Permission.UNIONS_READ, every=Permission.UNIONS_READ in every
            ),
            union_filter(
                principal, Permission.MEMBERS_READ, every=Permission.MEMBERS_READ in every
            ),
            *under,
            t.status == MemberStatus.ACTIVE.value,
        )
        .group_by(kid.id, kid.name, kid.short_name)
        .having(func.sum(t.n) > 0)
    )


def _together(parts: Sequence[AnySelect]) -> AnySelect:
    """One statement, one row: for each part, an array of each of its columns (the arrays of a
    part aligned: one aggregate pass), the parts side by side (each a one-row join)."""
    columns: list[Any] = []
    joined: Any = None
    for i, part in enumerate(parts):
        rows = part.subquery(f"part_{i}")
        arrays = select(*(func.array_agg(c).label(f"c{j}") for j, c in enumerate(rows.c)))
        packed = arrays.subquery(f"packed_{i}")
        columns += list(packed.c)
        joined = packed if joined is None else joined.join(packed, true())
    return select(*columns).select_from(joined)


def _apart(row: Any, widths: Sequence[int]) -> list[list[tuple[Any, ...]]]:
    """`_together`'s row back into each part's rows (an empty part: no rows), given each
    part's number of columns."""
    out: list[list[tuple[Any, ...]]] = []
    at = 0
    for width in widths:
        arrays = [a or [] for a in row[at : at + width]]
        out.append(list(zip(*arrays, strict=True)))
        at += width
    return out


async def _members_per_top(
    session: AsyncSession, principal: Principal, tops: list[Union], every: frozenset[Permission]
) -> list[ChildMembers]:
    """Each of `tops` (held units apart, none under another), with the active members of its
    subtree (0 included): one sum per unit, in one statement."""
    if not tops:
        return []
    t = MemberCountTotal
    sums = await session.execute(
        select(*(func.coalesce(func.sum(t.n).filter(subtree(u.path)), 0) for u in tops))
        .select_from(t)
        .join(Union, Union.id == t.union_id)
        .where(
            subtree([u.path for u in tops]),
            union_filter(
                principal, Permission.MEMBERS_READ, every=Permission.MEMBERS_READ in every
            ),
            t.status == MemberStatus.ACTIVE.value,
        )
    )
    return _bars(
        (u.id, u.name, u.short_name, int(n)) for u, n in zip(tops, sums.one(), strict=True)
    )
