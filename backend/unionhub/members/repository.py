"""Every SQL statement of the member register, built on the scoped base query.

`filtered_query` is the one place the member list filters are turned into SQL; the list
endpoint, the spreadsheet export and reports all build on it. It returns a plain
`select(Member)` without joins (filters are semi-joins), so callers may join what they need.
"""

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import scoped_union_ids, union_filter, union_ids_as_of
from unionhub.core.db import Ltree
from unionhub.core.errors import NotFound
from unionhub.core.text import fold
from unionhub.enterprises.models import Enterprise
from unionhub.members.models import (
    CARD_SEQUENCE,
    IN_MEMBERSHIP,
    CadreAssignment,
    Member,
    MemberEvent,
    MembershipPeriod,
    TransferRequest,
    TransferStatus,
)
from unionhub.unions.models import Union, UnionPeriod

P = Permission
SortKey = Literal[
    "name",
    "-name",
    "admission_date",
    "-admission_date",
    "date_of_birth",
    "-date_of_birth",
    "card_number",
    "-card_number",
    "created_at",
    "-created_at",
]
# uuid7 ids are ordered by creation time and indexed: cheaper than sorting on created_at.
_SORT_COLUMNS: dict[str, tuple[Any, ...]] = {
    "name": (Member.search_name,),
    "admission_date": (Member.admission_date,),
    "date_of_birth": (Member.date_of_birth,),
    "card_number": (Member.card_number,),
    "created_at": (Member.id,),
}
# Exact totals up to this many rows; beyond it the count stops (a lower bound is reported),
# because counting a province of a million members on every page turn is the slowest query.
COUNT_CAP = 100_000
# Below this many matches a page is sorted from the matches, above it read in index order.
FENCE_BELOW = 5_000

_DIGITS = re.compile(r"^\d+$")
_CARD_LIKE = re.compile(r"^[A-Za-z]{1,4}-?\d+$")


@dataclass
class MemberFilters:
    """The member list filters (all optional). Reused by the spreadsheet export."""

    q: str | None = None
    union_id: uuid.UUID | None = None
    include_subtree: bool = True
    status: list[str] | None = None
    gender: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    admitted_from: date | None = None
    admitted_to: date | None = None
    enterprise_id: uuid.UUID | None = None
    sector: str | None = None
    is_cadre: bool | None = None
    as_of: date | None = None
    today: date = field(default_factory=date.today)


def in_scope(principal: Principal, column: Any, permission: Permission) -> ColumnElement[bool]:
    """`column IN (unions in scope)`, never correlated with a `unions` table the caller joins."""
    if principal.is_admin:
        return true()
    clause: ColumnElement[bool] = column.in_(
        scoped_union_ids(principal, permission).correlate(None)
    )
    return clause


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def holds_post_on(member_id: Any, day: date) -> ColumnElement[bool]:
    """The member holds some union post on `day` (to_date is the last day in the post)."""
    return exists().where(
        CadreAssignment.member_id == member_id,
        CadreAssignment.from_date <= day,
        or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= day),
    )


def _subtree_now(root_id: uuid.UUID) -> Select[uuid.UUID]:
    root = aliased(Union)
    return (
        select(Union.id)
        .where(
            Union.path.descendant_of(select(root.path).where(root.id == root_id).scalar_subquery())
        )
        .correlate(None)
    )


def _subtree_as_of(root_id: uuid.UUID, day: date) -> Select[tuple[uuid.UUID]]:
    """The union and those under it in the tree as it stood on `day`."""
    live = and_(
        UnionPeriod.valid_from <= day,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > day),
    )
    tree = (
        select(UnionPeriod.union_id.label("id"))
        .where(live, UnionPeriod.union_id == root_id)
        .cte("member_subtree", recursive=True)
    )
    child = aliased(UnionPeriod)
    tree = tree.union(
        select(child.union_id).where(
            child.parent_id == tree.c.id,
            child.valid_from <= day,
            or_(child.valid_to.is_(None), child.valid_to > day),
        )
    )
    return select(tree.c.id)


def _age_bounds(filters: MemberFilters, day: date) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if filters.age_min is not None:
        # Born on or before this day -> at least age_min years old on `day`.
        out.append(Member.date_of_birth <= _years_before(day, filters.age_min))
    if filters.age_max is not None:
        out.append(Member.date_of_birth > _years_before(day, filters.age_max + 1))
    return out


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _text_clause(principal: Principal, q: str) -> ColumnElement[bool] | None:
    compact = re.sub(r"[\s.]", "", q)
    if compact and _DIGITS.match(compact):
        # Prefix search on ID numbers only where the caller may see them unmasked: elsewhere an
        # ID can be found only by typing all of it, so masked numbers cannot be guessed digit
        # by digit.
        prefix = like_escape(compact) + "%"
        by_id = and_(
            Member.personal_id.like(prefix), in_scope(principal, Member.union_id, P.MEMBERS_PII)
        )
        if len(compact) == 12:
            by_id = or_(by_id, Member.personal_id == compact)
        return or_(by_id, Member.card_number.like(prefix))
    if compact and _CARD_LIKE.match(compact):
        card = Member.card_number.like(like_escape(compact.upper()) + "%")
        return or_(card, Member.search_name.like(f"%{like_escape(fold(q))}%"))
    folded = fold(q)
    if not folded:
        return None
    return Member.search_name.like(f"%{like_escape(folded)}%")


def filtered_query(
    principal: Principal, filters: MemberFilters, permission: Permission = P.MEMBERS_READ
) -> Select[Member]:
    """`select(Member)` in the caller's scope with the filters applied (no order, no page).

    Without `as_of`, unions and statuses are today's. With `as_of`, a member is listed when a
    membership period covering that day puts them in a union of the scope (and of the
    `union_id` subtree, by the tree of that day) with the status filter (default: active or
    suspended).
    """
    stmt = select(Member)
    day = filters.as_of or filters.today
    if filters.as_of is None:
        stmt = stmt.where(in_scope(principal, Member.union_id, permission))
        if filters.union_id is not None:
            if filters.include_subtree:
                stmt = stmt.where(Member.union_id.in_(_subtree_now(filters.union_id)))
            else:
                stmt = stmt.where(Member.union_id == filters.union_id)
        if filters.status:
            stmt = stmt.where(Member.status.in_(filters.status))
        if filters.sector:
            stmt = stmt.where(
                Member.union_id.in_(
                    select(Union.id).where(Union.sector == filters.sector).correlate(None)
                )
            )
    else:
        mp = aliased(MembershipPeriod)
        live: list[ColumnElement[bool]] = [
            mp.member_id == Member.id,
            mp.valid_from <= day,
            or_(mp.valid_to.is_(None), mp.valid_to > day),
            mp.status.in_(filters.status or IN_MEMBERSHIP),
        ]
        if not principal.is_admin:
            live.append(mp.union_id.in_(union_ids_as_of(principal, day)))
        if filters.union_id is not None:
            live.append(
                mp.union_id.in_(_subtree_as_of(filters.union_id, day))
                if filters.include_subtree
                else mp.union_id == filters.union_id
            )
        if filters.sector:
            live.append(
                mp.union_id.in_(
                    select(Union.id).where(Union.sector == filters.sector).correlate(None)
                )
            )
        stmt = stmt.where(exists().where(*live))
    if filters.gender:
        stmt = stmt.where(Member.gender == filters.gender)
    stmt = stmt.where(*_age_bounds(filters, day))
    if filters.admitted_from:
        stmt = stmt.where(Member.admission_date >= filters.admitted_from)
    if filters.admitted_to:
        stmt = stmt.where(Member.admission_date <= filters.admitted_to)
    if filters.enterprise_id:
        stmt = stmt.where(Member.enterprise_id == filters.enterprise_id)
    if filters.is_cadre is not None:
        held = holds_post_on(Member.id, day)
        stmt = stmt.where(held if filters.is_cadre else ~held)
    if filters.q:
        clause = _text_clause(principal, filters.q)
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


def order_by(sort: str, entity: Any = Member) -> list[Any]:
    """ORDER BY for a sort key ("-" for descending), ending on the id so pages are stable."""
    columns = [getattr(entity, c.key) for c in _SORT_COLUMNS[sort.lstrip("-")]]
    desc = sort.startswith("-")
    out = [c.desc() if desc else c.asc() for c in columns]
    return [*out, entity.id.desc() if desc else entity.id.asc()]


def page_query(stmt: Select[Member], sort: str, offset: int, limit: int, total: int) -> Any:
    """One sorted page of `stmt`, planned for how many rows match.

    Each sort key has an index, and with LIMIT the planner likes to walk it in order and
    filter, betting that matches are spread evenly. They often are not (a name search finds
    names of one alphabet region; a union's members share little with name order), and the
    walk then reads most of the table. When few rows match, the filters run first inside a
    fenced subquery (OFFSET 0 keeps the planner from merging it) and only the matches are
    sorted; when many match, the index walk is the fast plan and is left to the planner.
    """
    if total > FENCE_BELOW:
        return stmt.order_by(*order_by(sort)).offset(offset).limit(limit)
    matches = aliased(Member, stmt.offset(0).subquery("matches"))
    return select(matches).order_by(*order_by(sort, matches)).offset(offset).limit(limit)


async def count_capped(
    session: AsyncSession, stmt: Select[Any], cap: int = COUNT_CAP
) -> tuple[int, bool]:
    """(count, exact): stops counting after `cap` rows."""
    inner: Select[Any] = stmt.with_only_columns(
        literal_column("1"), maintain_column_froms=True
    ).limit(cap + 1)
    n = int(await session.scalar(select(func.count()).select_from(inner.subquery())) or 0)
    return (cap, False) if n > cap else (n, True)


async def get_scoped(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Member:
    """A member whose union is in the caller's members:read scope; 404 otherwise."""
    stmt = select(Member).where(
        Member.id == member_id, in_scope(principal, Member.union_id, P.MEMBERS_READ)
    )
    if for_update:
        stmt = stmt.with_for_update()
    member = (await session.execute(stmt)).scalar_one_or_none()
    if member is None:
        raise NotFound("No member with this id.", code="member_not_found")
    return member


async def unions_by_id(
    session: AsyncSession, union_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Union]:
    if not union_ids:
        return {}
    rows = await session.execute(select(Union).where(Union.id.in_(set(union_ids))))
    return {u.id: u for u in rows.scalars()}


async def enterprise_names(
    session: AsyncSession, ids: Sequence[uuid.UUID | None]
) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(wanted))
    )
    return {r[0]: r[1] for r in rows}


async def cadres_among(
    session: AsyncSession, member_ids: Sequence[uuid.UUID], day: date
) -> set[uuid.UUID]:
    if not member_ids:
        return set()
    rows = await session.execute(
        select(CadreAssignment.member_id)
        .where(
            CadreAssignment.member_id.in_(member_ids),
            CadreAssignment.from_date <= day,
            or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= day),
        )
        .distinct()
    )
    return set(rows.scalars())


async def get_union(session: AsyncSession, union_id: uuid.UUID) -> Union | None:
    return await session.get(Union, union_id)


async def union_in_scope(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, permission: Permission
) -> Union | None:
    return (
        await session.execute(
            select(Union).where(Union.id == union_id, union_filter(principal, permission))
        )
    ).scalar_one_or_none()


async def enterprise_usable(
    session: AsyncSession, principal: Principal, enterprise_id: uuid.UUID, union: Union | None
) -> bool:
    """The enterprise exists and the caller may link members to it: it is in their
    enterprises:read scope, or it is the employer of the member's union, or the union
    responsible for it is the member's union or one above it."""
    responsible = aliased(Union)
    reachable = [in_scope(principal, Enterprise.responsible_union_id, P.ENTERPRISES_READ)]
    if union is not None:
        reachable.append(Enterprise.id == union.enterprise_id if union.enterprise_id else false())
        reachable.append(
            exists().where(
                responsible.id == Enterprise.responsible_union_id,
                responsible.path.op("@>")(cast(union.path, Ltree())),
            )
        )
    found = await session.scalar(
        select(Enterprise.id).where(Enterprise.id == enterprise_id, or_(*reachable))
    )
    return found is not None


async def personal_id_taken(
    session: AsyncSession, personal_id: str, exclude_id: uuid.UUID | None = None
) -> bool:
    stmt = select(Member.id).where(Member.personal_id == personal_id, Member.status != "struck_off")
    if exclude_id is not None:
        stmt = stmt.where(Member.id != exclude_id)
    return (await session.scalar(stmt.limit(1))) is not None


async def card_number_taken(session: AsyncSession, card_number: str) -> bool:
    return (
        await session.scalar(select(Member.id).where(Member.card_number == card_number).limit(1))
    ) is not None


async def next_card_number(session: AsyncSession) -> str:
    """CD + 10 digits from the federation-wide sequence, skipping numbers typed in by hand."""
    while True:
        n = int(await session.scalar(text(f"SELECT nextval('{CARD_SEQUENCE}')")) or 0)
        card = f"CD{n:010d}"
        if not await card_number_taken(session, card):
            return card


async def current_period(session: AsyncSession, member_id: uuid.UUID) -> MembershipPeriod | None:
    return (
        await session.execute(
            select(MembershipPeriod)
            .where(MembershipPeriod.member_id == member_id, MembershipPeriod.valid_to.is_(None))
            .with_for_update()
        )
    ).scalar_one_or_none()


async def period_ending(
    session: AsyncSession, member_id: uuid.UUID, day: date
) -> MembershipPeriod | None:
    return (
        await session.execute(
            select(MembershipPeriod).where(
                MembershipPeriod.member_id == member_id, MembershipPeriod.valid_to == day
            )
        )
    ).scalar_one_or_none()


async def history_rows(
    session: AsyncSession, member_id: uuid.UUID
) -> tuple[list[tuple[MemberEvent, str | None]], list[tuple[MembershipPeriod, str | None]]]:
    events = await session.execute(
        select(MemberEvent, Union.name)
        .outerjoin(Union, Union.id == MemberEvent.union_id)
        .where(MemberEvent.member_id == member_id)
        .order_by(MemberEvent.effective_date, MemberEvent.recorded_at, MemberEvent.id)
    )
    periods = await session.execute(
        select(MembershipPeriod, Union.name)
        .outerjoin(Union, Union.id == MembershipPeriod.union_id)
        .where(MembershipPeriod.member_id == member_id)
        .order_by(MembershipPeriod.valid_from)
    )
    return [(r[0], r[1]) for r in events], [(r[0], r[1]) for r in periods]


async def pending_transfer(session: AsyncSession, member_id: uuid.UUID) -> TransferRequest | None:
    return (
        await session.execute(
            select(TransferRequest).where(
                TransferRequest.member_id == member_id,
                TransferRequest.status == TransferStatus.PENDING.value,
            )
        )
    ).scalar_one_or_none()
