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
from functools import cache, lru_cache
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    in_scope,
    in_scope_bound,
    scope_params,
    scoped_union_id_array_bound,
)
from unionhub.core.db import fetch_driver
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import NotFound
from unionhub.core.pagination import after
from unionhub.core.text import contains, fold, starts_with
from unionhub.enterprises.models import Enterprise
from unionhub.members import search, union_sets
from unionhub.members.models import (
    IN_MEMBERSHIP,
    CadreAssignment,
    Member,
    MembershipPeriod,
)
from unionhub.unions.models import Union

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
# Lists that are not structural (members.totals: those come exact from the maintained counts)
# are counted up to this many rows; beyond it the total is an estimate, or counted in full when
# the user asks, because counting a province's name matches on every page turn is the slowest
# query.
COUNT_CAP = 5_000
# A capped count taking longer than this is abandoned for an estimate (see count_bounded).
COUNT_TIMEOUT_MS = 1_000
# `count_bounded(cap=ALL)`: every row counted.
ALL = 10**9
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


def _held(day: Any) -> ColumnElement[bool]:
    return and_(
        CadreAssignment.from_date <= day,
        or_(CadreAssignment.to_date.is_(None), CadreAssignment.to_date >= day),
    )


def holds_post_on(member_id: Any, day: date) -> ColumnElement[bool]:
    """The member holds some union post on `day` (to_date is the last day in the post)."""
    return exists().where(CadreAssignment.member_id == member_id, _held(day))


def _age_bounds(filters: MemberFilters, day: date) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if filters.age_min is not None:
        # Born on or before this day -> at least age_min years old on `day`.
        out.append(Member.date_of_birth <= _years_before(day, filters.age_min))
    if filters.age_max is not None:
        out.append(Member.date_of_birth > _years_before(day, filters.age_max + 1))
    return out


def _years_before(day: date, years: int) -> date:
    year = day.year - years
    if year < date.min.year:
        # Off the calendar: nobody was born that early, and "born after" it is everybody.
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _text_clause(
    principal: Principal, q: str, *, small_scope: bool = False
) -> ColumnElement[bool] | None:
    compact = re.sub(r"[\s.]", "", q)
    if compact and _DIGITS.match(compact):
        # ID numbers match only where the caller may see them unmasked. Elsewhere even the
        # full number finds nobody (as if no such member), or a masked number could be
        # recovered by trying the digits it hides; card numbers are not secret.
        prefix = starts_with(compact)
        by_id = and_(
            Member.personal_id.like(prefix), in_scope(principal, Member.union_id, P.MEMBERS_PII)
        )
        return or_(by_id, Member.card_number.like(prefix))
    if compact and _CARD_LIKE.match(compact):
        card = Member.card_number.like(starts_with(compact.upper()))
        return or_(card, Member.search_name.like(contains(fold(q))))
    folded = fold(q)
    if not folded:
        return None
    return search.name_matches(folded, small_scope=small_scope)


def _small_scope(union_ids: Sequence[uuid.UUID] | None) -> bool:
    return union_ids is not None and len(union_ids) <= search.SMALL_SCOPE_UNIONS


def counts_every_match(q: str | None, union_ids: Sequence[uuid.UUID] | None) -> bool:
    """A name search whose every match is collected and counted, however many (see
    `members.search`); the others are counted up to `COUNT_CAP`. `union_ids` as given to
    `filtered_query`."""
    folded = name_query(q)
    return (
        folded is not None and search.plan(folded, small_scope=_small_scope(union_ids)).every_match
    )


def union_set(
    principal: Principal, filters: MemberFilters, permission: Permission = P.MEMBERS_READ
) -> Select[uuid.UUID] | None:
    """The unions the list is limited to (scope, `union_id` subtree, sector); None: all.

    Without `as_of` this is today's tree; with it, the tree as it stood that day.
    """
    return union_sets.limited_to(
        principal,
        permission,
        union_id=filters.union_id,
        include_subtree=filters.include_subtree,
        as_of=filters.as_of,
        sector=filters.sector,
    )


async def resolve_union_set(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    permission: Permission = P.MEMBERS_READ,
    *,
    every_as_none: bool = False,
) -> list[uuid.UUID] | None:
    """`union_set` as a list of ids, for `filtered_query(..., union_ids=)`; None: every union
    (an admin; with `every_as_none`, also a caller whose scope covers every union, for the
    statements that then need no union condition: `filtered_query(..., every_union=True)`).

    Given as values, the planner sees how many unions (and so members) the scope holds, and
    can combine the union index with the name or date indexes (a bitmap AND) instead of
    visiting every member of the scope: worth one small query. A subquery on the ltree path
    is estimated at a handful of unions, whatever its real size.
    """
    if filters.union_id is None and not filters.sector and filters.as_of is None:
        # The caller's whole scope, today (the usual list): a statement built once.
        everything, params = scope_params(principal, permission)
        if everything:
            return None
        params["with_every_id"] = not every_as_none
        row = (await fetch_driver(session, scoped_union_id_array_bound(), params))[0]
        if row["every"] and every_as_none:
            return None
        return list(row["ids"] or ())
    ids = union_set(principal, filters, permission)
    return None if ids is None else list((await session.execute(ids)).scalars())


def filtered_query(
    principal: Principal,
    filters: MemberFilters,
    permission: Permission = P.MEMBERS_READ,
    *,
    union_ids: Sequence[uuid.UUID] | None = None,
    every_union: bool = False,
) -> Select[Member]:
    """`select(Member)` in the caller's scope with the filters applied (no order, no page).

    Without `as_of`, unions and statuses are today's. With `as_of`, a member is listed when a
    membership period covering that day puts them in a union of the scope (and of the
    `union_id` subtree, by the tree of that day) with the status filter (default: active or
    suspended). `union_ids` (from `resolve_union_set`) replaces the union subquery;
    `every_union`: `resolve_union_set` found that the caller's scope covers every union (no
    union condition).
    """
    day = filters.as_of or filters.today
    allowed: Any = union_set(principal, filters, permission) if union_ids is None else union_ids
    if every_union:
        allowed = None
    if filters.as_of is None:
        stmt = _in_register(allowed, filters.status or None, filters.gender or None)
    else:
        stmt = select(Member)
        mp = aliased(MembershipPeriod)
        live: list[ColumnElement[bool]] = [
            mp.member_id == Member.id,
            mp.valid_from <= day,
            or_(mp.valid_to.is_(None), mp.valid_to > day),
            mp.status.in_(filters.status or IN_MEMBERSHIP),
        ]
        if allowed is not None:
            live.append(union_sets.union_in(mp.union_id, allowed))
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
    if filters.is_cadre is True:
        # Cadres are a few percent of members: start from the posts, not from the members.
        stmt = stmt.where(Member.id.in_(select(CadreAssignment.member_id).where(_held(day))))
    elif filters.is_cadre is False:
        stmt = stmt.where(~holds_post_on(Member.id, day))
    if filters.q:
        clause = _text_clause(principal, filters.q, small_scope=_small_scope(union_ids))
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


def _in_register(allowed: Any, status: Any, gender: Any) -> Select[Member]:
    """Members as the register stands: in the unions `allowed` (ids, a `SELECT id` or a bound
    parameter; None: every union), with one of `status` and of `gender` (None: any). The values
    may be bound parameters (`bound_page_query`)."""
    stmt = select(Member)
    if allowed is not None:
        stmt = stmt.where(union_sets.union_in(Member.union_id, allowed))
    if status is not None:
        stmt = stmt.where(Member.status.in_(status))
    if gender is not None:
        stmt = stmt.where(Member.gender == gender)
    return stmt


def is_structural(filters: MemberFilters, *, but_name: bool = False) -> bool:
    """Only the filters the maintained counts are kept by (unions, status, gender, the day);
    `but_name`: those and the search text `q`."""
    return not (
        (filters.q and not but_name)
        or filters.age_min is not None
        or filters.age_max is not None
        or filters.admitted_from
        or filters.admitted_to
        or filters.enterprise_id
        or filters.is_cadre is not None
    )


def has_bound_page(filters: MemberFilters, cursor: Sequence[Any] | None) -> bool:
    """Whether the page of this list is read by `bound_page_query` (a statement built once):
    the register as it stands, filtered by its unions, status and gender, paged by number."""
    return cursor is None and filters.as_of is None and is_structural(filters)


@cache
def _bound_page(
    sort: str, every_union: bool, status: bool, gender: bool, fence: bool
) -> Select[Any]:
    stmt = _in_register(
        None if every_union else union_sets.union_ids_param(),
        bindparam("statuses", expanding=True) if status else None,
        bindparam("gender") if gender else None,
    )
    limit = bindparam("page_limit", type_=Integer)
    return page_query(
        stmt, sort, bindparam("page_offset", type_=Integer), limit, fence,
        day=bindparam("day", type_=Date),
    )  # fmt: skip


def bound_page_query(
    filters: MemberFilters,
    union_ids: Sequence[uuid.UUID] | None,
    sort: str,
    offset: int,
    limit: int,
    fence: bool,
) -> tuple[Select[Any], dict[str, Any]]:
    """`page_query(filtered_query(...), ...)` for a list that `has_bound_page`, as a statement
    built once per shape (sort, which filters are given, fence) and its parameters: the same
    SQL, without building it again for every page turn (issue 9's hot read path)."""
    params: dict[str, Any] = {"page_offset": offset, "page_limit": limit, "day": filters.today}
    if union_ids is not None:
        params["union_ids"] = list(union_ids)
    if filters.status:
        params["statuses"] = list(filters.status)
    if filters.gender:
        params["gender"] = filters.gender
    shape = (sort, union_ids is None, bool(filters.status), bool(filters.gender), fence)
    return _bound_page(*shape), params


@lru_cache(maxsize=4096)
def name_query(q: str | None) -> str | None:
    """The folded name `q` searches for, when it is a search by name (not by an ID, phone or
    card number); None otherwise. Kept per text: a list asks it three times."""
    compact = re.sub(r"[\s.]", "", q or "")
    if not compact or _DIGITS.match(compact) or _CARD_LIKE.match(compact):
        return None
    return fold(q or "") or None


def has_bound_search(filters: MemberFilters, cursor: Sequence[Any] | None) -> bool:
    """Whether this list is a name search read by `bound_search_query` (a statement built
    once): the register as it stands, filtered by its unions, status, gender and a name,
    paged by number."""
    return (
        cursor is None
        and filters.as_of is None
        and name_query(filters.q) is not None
        and is_structural(filters, but_name=True)
    )


@cache
def _bound_search(
    sort: str,
    every_union: bool,
    status: bool,
    gender: bool,
    like_indexed: bool,
    keys: bool,
    capped: bool,
) -> Select[Any]:
    # A full name in a scope of many unions runs under a generic plan (`bound_search_query`):
    # its union list is then checked by hashing, not by walking the array for each match. Where
    # it is planned for its values instead (in the session: a status list, a union filter) the
    # hash costs no more than the constant array's (docs/adr/0018, addendum).
    hashed = keys and not every_union
    stmt = _in_register(
        None if every_union or hashed else union_sets.union_ids_param(),
        bindparam("statuses", expanding=True) if status else None,
        bindparam("gender") if gender else None,
    )
    if hashed:
        stmt = stmt.where(union_sets.union_in_hashed(Member.union_id, union_sets.union_ids_param()))
    name = search.name_clause(
        like_indexed,
        bindparam("name_pattern", type_=String),
        bindparam("name_keys", type_=TSQUERY) if keys else None,
    )
    return matches_query(
        stmt.where(name),
        sort,
        bindparam("page_offset", type_=Integer),
        bindparam("page_limit", type_=Integer),
        day=bindparam("day", type_=Date),
        cap=bindparam("match_cap", type_=Integer) if capped else None,
    )


def bound_search_query(
    filters: MemberFilters,
    union_ids: Sequence[uuid.UUID] | None,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[Select[Any], dict[str, Any], int | None, bool]:
    """`matches_query(filtered_query(...), ...)` for a list that `has_bound_search`, as a
    statement built once per shape (sort, which filters are given, how the name is found:
    `search.plan`) and its parameters, the cap of its count (None: every match), and whether
    its plan cannot depend on its values (`fetch_driver(generic=True)`).

    That holds for a full name looked up in `member_names`, which only a large scope does:
    whatever the name, the best plan is the same, the names the keys find, their members from
    the name index, the page's rows by id (docs/adr/0018). Planning it on every request cost
    0.75-1.0 ms of its 2 ms. A scope that does not cover every union checks its union list as
    a hash built once (`union_sets.union_in_hashed`); walked for each match, as `= ANY($1)`
    is under a generic plan, the list made the commonest names slower than with custom plans.
    A small scope's name is matched union first, with custom plans."""
    folded = name_query(filters.q)
    assert folded is not None
    found = search.plan(folded, small_scope=_small_scope(union_ids))
    cap = None if found.every_match else COUNT_CAP
    params: dict[str, Any] = {
        "page_offset": offset,
        "page_limit": limit,
        "day": filters.today,
        "name_pattern": found.pattern,
    }
    if union_ids is not None:
        params["union_ids"] = list(union_ids)
    if filters.status:
        params["statuses"] = list(filters.status)
    if filters.gender:
        params["gender"] = filters.gender
    if found.keys is not None:
        params["name_keys"] = found.keys
    if cap is not None:
        params["match_cap"] = cap
    shape = (
        sort,
        union_ids is None,
        bool(filters.status),
        bool(filters.gender),
        found.like_indexed,
        found.keys is not None,
        cap is not None,
    )
    generic = found.keys is not None
    return _bound_search(*shape), params, cap, generic


def order_by(sort: str, entity: Any = Member) -> list[Any]:
    """ORDER BY for a sort key ("-" for descending), ending on the id so pages are stable."""
    columns = [getattr(entity, c.key) for c in _SORT_COLUMNS[sort.lstrip("-")]]
    desc = sort.startswith("-")
    out = [c.desc() if desc else c.asc() for c in columns]
    return [*out, entity.id.desc() if desc else entity.id.asc()]


def is_text_search(q: str | None) -> bool:
    """A search on names (not only on ID or card numbers)."""
    if not q:
        return False
    compact = re.sub(r"[\s.]", "", q)
    return not _DIGITS.match(compact) and bool(fold(q))


MEMBER_COLUMNS = tuple(Member.__table__.c)
# The columns of a page row besides the member's own (see `with_context`).
CONTEXT_COLUMNS = ("union_code", "union_name", "union_path", "enterprise_name", "is_cadre")


def supports_cursor(sort: str) -> bool:
    """Keyset pages need a sort key that is never NULL (card numbers may be)."""
    return not sort.lstrip("-").startswith("card_number")


def cursor_types(sort: str) -> list[type]:
    """Python types of a cursor's values for `sort` (its columns, then the id)."""
    columns = _SORT_COLUMNS[sort.lstrip("-")]
    return [*(c.type.python_type for c in columns if c is not Member.id), uuid.UUID]


def cursor_of(row: Any, sort: str) -> list[Any]:
    """The sort key of a page row, for `encode_cursor`."""
    keys = [c.key for c in _SORT_COLUMNS[sort.lstrip("-")] if c is not Member.id]
    return [*(row[k] for k in keys), row["id"]]


def _after(columns: Any, sort: str, cursor: Sequence[Any] | None) -> list[Any]:
    if cursor is None:
        return []
    keys = [*(c.key for c in _SORT_COLUMNS[sort.lstrip("-")] if c is not Member.id), "id"]
    return [after([columns[k] for k in keys], cursor, sort.startswith("-"))]


def with_context(page: Any, day: Any, sort: str | None = None) -> Select[Any]:
    """The rows of `page` (a subquery of member columns) with what a member row shows beside
    them: union code, name and path, employer, whether they hold a union post on `day`.
    One statement for the page and its context, read as plain rows (no ORM instances)."""
    held = exists().where(CadreAssignment.member_id == page.c.id, _held(day))
    stmt = (
        select(
            page,
            Union.code.label("union_code"),
            Union.name.label("union_name"),
            Union.path.label("union_path"),
            Enterprise.name.label("enterprise_name"),
            held.label("is_cadre"),
        )
        .select_from(page)
        .outerjoin(Union, Union.id == page.c.union_id)
        .outerjoin(Enterprise, Enterprise.id == page.c.enterprise_id)
    )
    return stmt.order_by(*order_by(sort, page.c)) if sort else stmt


def _key_columns(sort: str) -> list[Any]:
    """The columns of a row's place in `sort` order: the sort key and the id."""
    return list(dict.fromkeys((*_SORT_COLUMNS[sort.lstrip("-")], Member.id)))


def page_query(
    stmt: Select[Member],
    sort: str,
    offset: int | BindParameter[int],
    limit: int | BindParameter[int],
    fence: bool,
    *,
    day: date | BindParameter[date],
    cursor: Sequence[Any] | None = None,
) -> Select[Any]:
    """One sorted page of `stmt` (after `cursor`, a decoded keyset, if given), with context.

    Each sort key has an index, and with LIMIT the planner likes to walk it in order and
    filter, betting that matches are spread evenly. They often are not (a name search finds
    names of one alphabet region), and the walk then reads most of the table. With `fence`
    (few matches, or a name search) the filters run first inside a subquery the planner may
    not merge (OFFSET 0) and only the matches are sorted; without it, when many rows match,
    the index walk is the fast plan and is left to the planner.
    """
    if not fence:
        # The page's keys first (for the name order an index-only scan: the name index carries
        # union, status and gender), then only the page's rows from the table.
        keys = stmt.with_only_columns(*_key_columns(sort), maintain_column_froms=True)
        found = (
            keys.where(*_after(Member.__table__.c, sort, cursor))
            .order_by(*order_by(sort))
            .offset(offset)
            .limit(limit)
            .subquery("keys")
        )
        page = select(*MEMBER_COLUMNS).join(found, found.c.id == Member.id).subquery("page")
    else:
        rows = stmt.with_only_columns(*MEMBER_COLUMNS, maintain_column_froms=True)
        matches = rows.offset(0).subquery("matches")
        page = (
            select(matches)
            .where(*_after(matches.c, sort, cursor))
            .order_by(*order_by(sort, matches.c))
            .offset(offset)
            .limit(limit)
            .subquery("page")
        )
    return with_context(page, day, sort)


def matches_query(
    stmt: Select[Member],
    sort: str,
    offset: int | BindParameter[int],
    limit: int | BindParameter[int],
    *,
    day: date | BindParameter[date],
    cursor: Sequence[Any] | None = None,
    cap: int | BindParameter[int] | None = COUNT_CAP,
) -> Select[Any]:
    """The statement of `matches_page`: the matches of `stmt` (sort key and id, up to
    `cap + 1`; None: all) collected once, counted (`matched`, on every row), and one sorted
    page of them read with context. Values may be bound parameters (`bound_search_query`).

    The page's rows are read by id. The matches' keys come from an index alone where the
    statement allows it: a small scope's from the union's (its name recheck needs no table
    row), a large scope's full name from `ix_members_search_name` by the names found in
    `member_names` (members.search); so they have no row place (`ctid`) to give."""
    collected = stmt.with_only_columns(*_key_columns(sort), maintain_column_froms=True)
    if cap is not None:
        collected = collected.limit(cap + 1)
    found = collected.cte("matches").prefix_with("MATERIALIZED")
    page = (
        select(found)
        .where(*_after(found.c, sort, cursor))
        .order_by(*order_by(sort, found.c))
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    total = select(func.count()).select_from(found).scalar_subquery()
    rows_of_page = (
        select(*MEMBER_COLUMNS, total.label("matched"))
        .join(page, page.c.id == Member.id)
        .subquery("page")
    )
    return with_context(rows_of_page, day, sort)


async def matches_page(
    session: AsyncSession,
    stmt: Select[Member],
    sort: str,
    offset: int,
    limit: int,
    *,
    day: date,
    cursor: Sequence[Any] | None = None,
    cap: int | None = COUNT_CAP,
) -> tuple[int | None, list[Any] | None]:
    """How many rows `stmt` matches (up to `cap + 1`; None: all) and one sorted page of them
    (plain rows with context), from one pass over the matches.

    For a name search the matching is the whole cost, and a count followed by a page ran
    it twice. Here the matches (id and sort key only) are collected once, counted, and the
    page's rows fetched by id. Past `cap` matches the collected rows are an arbitrary
    subset, so the page is left to the caller (None), to read in index order.
    """
    query = matches_query(stmt, sort, offset, limit, day=day, cursor=cursor, cap=cap)
    rows = list((await session.execute(query)).mappings())
    if rows:
        counted = int(rows[0]["matched"])
    elif offset == 0 and cursor is None:
        counted = 0
    else:
        # A page past the end carries no count with it: count on its own (rare).
        counted_or_none = await count_bounded(session, stmt, cap=ALL if cap is None else cap)
        if counted_or_none is None or (cap is not None and counted_or_none > cap):
            return counted_or_none, None
        return counted_or_none, []
    if cap is not None and counted > cap:
        return counted, None
    return counted, rows


def _canceled(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "57014"


async def count_bounded(
    session: AsyncSession,
    stmt: Select[Any],
    cap: int | None = None,
    timeout_ms: int | None = None,
) -> int | None:
    """How many rows `stmt` returns, up to `cap + 1`; None if counting takes too long.

    A filtered count over a big scope must visit every candidate row, which is what makes a
    list slow, so it gets a time limit (a savepoint keeps a cancelled count from spoiling the
    request's transaction) and the caller falls back to a lower bound.
    """
    cap = COUNT_CAP if cap is None else cap
    timeout_ms = COUNT_TIMEOUT_MS if timeout_ms is None else timeout_ms
    inner: Select[Any] = stmt.with_only_columns(
        literal_column("1"), maintain_column_froms=True
    ).limit(cap + 1)
    query = select(func.count()).select_from(inner.subquery())
    try:
        async with session.begin_nested():
            await session.execute(text(f"SET LOCAL statement_timeout = {int(timeout_ms)}"))
            n = int(await session.scalar(query) or 0)
            await session.execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    except DBAPIError as exc:
        if not _canceled(exc):
            raise
        return None
    return n


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
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    return member


@cache
def _one_row(everything: bool) -> Select[Any]:
    """The statement of `get_scoped_row`, built once per kind of scope (an admin's, anyone
    else's); the member id, the day and the caller's paths are parameters."""
    one = (
        select(*MEMBER_COLUMNS)
        .where(Member.id == bindparam("member_id"), in_scope_bound(Member.union_id, everything))
        .subquery("page")
    )
    return with_context(one, bindparam("day", type_=Date))


async def get_scoped_row(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID, day: date
) -> Any:
    """`get_scoped` as one plain row with its context (see `with_context`); 404 otherwise.
    Read on the driver (`db.fetch_driver`): a read that writes nothing opens no transaction
    (a personal-data read's audit entry, written next, is one statement that commits alone:
    `audit.record_read`)."""
    everything, params = scope_params(principal, P.MEMBERS_READ)
    rows = await fetch_driver(
        session, _one_row(everything), {"member_id": member_id, "day": day, **params}
    )
    if not rows:
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    return rows[0]
