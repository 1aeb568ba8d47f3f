"""The one place that decides what a caller may see, and the one place union paths are compared.

Rule: a role held at a union applies to that union and everything under it (the current tree,
by ltree path). Reads through the scope answer 404 for anything outside, so an id from a sibling
subtree reveals nothing; a union the caller can see but not change answers 403.

What a domain uses (and nothing else; tests/architecture/ fails the build on a hand-written
scope or path check anywhere outside authz):

- SQL, "rows in scope": `union_filter` (on `unions` rows), `in_scope` (on any table with a union
  id column), `scoped_union_ids` (the ids, for an `IN`), `union_ids_as_of` (the tree of a past
  day); `get_union_in_scope` loads one union (404 outside, 403 without the permission).
- In memory: `principal.holds_at(path, permission)` on a row already loaded.
- A member account (`principal.kind == "member"`) holds no role: its scope is its own member
  record, `own_member(principal, Member.id)` in SQL, `own_member_id(principal)` for the id.
- Tree relations that are rules, not permissions ("the deciding union must be above the
  member's", "not under itself"): `within`, `lineage`, and in SQL `subtree`, `subtree_ids`,
  `ancestor_ids`; `repath_subtree` is the one write that rewrites paths, after `lock_tree`.
- A read that is outside the caller's scope on purpose says so, with the reason:
  `unscoped(select(...), reason="...")` or `get_union_unscoped(session, id, reason="...")`.
"""

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    Integer,
    Select,
    SQLColumnExpression,
    Text,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz import principal_cache
from unionhub.authz._paths import lineage as lineage
from unionhub.authz._paths import within as within
from unionhub.authz.permissions import Permission, permissions_of
from unionhub.authz.principal import Principal
from unionhub.core.db import Ltree, fetch_driver
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Forbidden, NotFound
from unionhub.unions.models import Union, UnionPeriod

Statement = TypeVar("Statement")

# ------------------------------------------------------------------ rows in the caller's scope


def union_filter(
    principal: Principal,
    permission: Permission = Permission.UNIONS_READ,
    *,
    as_of: date | None = None,
    every: bool = False,
) -> ColumnElement[bool]:
    """Predicate on `Union` rows: those under a union where the caller holds `permission`.

    With `as_of`, the unions under the caller's assigned unions in the tree of that day (see
    `union_ids_as_of`; the permission is not consulted there, as before). `every`: the
    caller's paths for `permission` were found to cover every union (`covering`): no
    condition.
    """
    if principal.is_admin or (every and as_of is None):
        return true()
    if as_of is not None:
        return Union.id.in_(union_ids_as_of(principal, as_of))
    paths = principal.paths_with(permission)
    if not paths:
        return false()
    return _under(Union.path, _ltree_array(paths))


def scoped_union_ids(
    principal: Principal, permission: Permission = Permission.UNIONS_READ
) -> Select[uuid.UUID]:
    """`SELECT id FROM unions WHERE <in scope>`: for other domains' `union_id IN (...)`.

    Never correlated with a `unions` table of an enclosing statement: a caller may join unions.
    """
    return select(Union.id).where(union_filter(principal, permission)).correlate(None)


def in_scope(
    principal: Principal,
    union_id_column: Any,
    permission: Permission = Permission.UNIONS_READ,
    *,
    every: bool = False,
) -> ColumnElement[bool]:
    """Predicate for any table with a union id column: the row's union is in scope. `every`:
    as for `union_filter`."""
    if principal.is_admin or every:
        return true()
    predicate: ColumnElement[bool] = union_id_column.in_(scoped_union_ids(principal, permission))
    return predicate


def own_member(principal: Principal, member_id_column: Any) -> ColumnElement[bool]:
    """Predicate for a member account's own rows: the member record it was activated for
    (`member_id_column` is `Member.id`, or the member id column of a table about members).
    Nothing for anyone else: an officer's scope is by union, never by this."""
    if principal.kind != "member" or principal.member_id is None:
        return false()
    predicate: ColumnElement[bool] = member_id_column == principal.member_id
    return predicate


def own_member_id(principal: Principal) -> uuid.UUID:
    """The member record of a member account; 403 for any other caller (an officer or a
    client has no "own" member record)."""
    if principal.kind != "member" or principal.member_id is None:
        raise Forbidden(
            "Only a member signed in to their own account has this.",
            code=ErrorCode.MEMBER_ACCOUNT_ONLY,
        )
    return principal.member_id


# A statement built once and reused for every caller (the hot read paths: the cost of building a
# statement is a large share of a one-row read) takes the scope as a bound parameter.
SCOPE_PATHS = "scope_paths"


def scope_params(principal: Principal, permission: Permission) -> tuple[bool, dict[str, Any]]:
    """For `in_scope_bound`: whether the caller sees everything (the statement then needs no
    scope predicate) and the parameters to execute a scoped statement with."""
    if principal.is_admin:
        return True, {}
    return False, {SCOPE_PATHS: principal.paths_with(permission)}


def in_scope_bound(union_id_column: Any, everything: bool) -> ColumnElement[bool]:
    """`in_scope` for a statement built once: the caller's paths come from the parameter
    `scope_paths` (see `scope_params`); `everything` (an admin) needs no predicate."""
    if everything:
        return true()
    predicate: ColumnElement[bool] = union_id_column.in_(scoped_union_ids_bound())
    return predicate


@cache
def scoped_union_ids_bound() -> Select[uuid.UUID]:
    """`scoped_union_ids` built once: `SELECT id FROM unions` under the paths of the parameter
    `scope_paths` (`scope_params` of a caller who does not see everything)."""
    paths = cast(bindparam(SCOPE_PATHS, type_=ARRAY(Text)), ARRAY(Ltree()))
    return select(Union.id).where(_under(Union.path, paths)).correlate(None)


@cache
def scoped_union_id_array_bound() -> Select[Any]:
    """`scoped_union_ids_bound` as one row `(every, ids)`: whether the paths cover every union,
    and the ids in one array (NULL when they do, unless `with_every_id`: not read at all).
    A province's 1,600 ids read as rows cost more CPU to fetch (one result row each) than the
    statement itself;
    and a scope that covers the whole register (the province's officers, whose federation is
    the deployment's root) needs no union condition at all: as 1,600 ids in `= ANY(...)` it
    cost the planner a selectivity estimate per id and every candidate row a linear scan of
    the array (issue 9). Every union lies under its root (`path` is the root's path and the
    labels below it), so the paths cover every union when they cover every root: a few
    index rows on `parent_id IS NULL`, not a scan of the unions."""
    paths = cast(bindparam(SCOPE_PATHS, type_=ARRAY(Text)), ARRAY(Ltree()))
    root = aliased(Union)
    uncovered = select(root.id).where(root.parent_id.is_(None), ~_under(root.path, paths)).exists()
    ids = select(func.array_agg(Union.id)).where(_under(Union.path, paths)).scalar_subquery()
    # CASE evaluates the ids' subquery (an InitPlan) only when a root is uncovered, or when
    # the parameter `with_every_id` asks for the ids anyway (a caller that needs the list).
    wanted = or_(uncovered, bindparam("with_every_id", type_=Boolean))
    return select((~uncovered).label("every"), case((wanted, ids)).label("ids"))


async def covering(
    session: AsyncSession, principal: Principal, permissions: Sequence[Permission]
) -> frozenset[Permission]:
    """Those of `permissions` whose paths cover every union (an admin: all of them), for
    `union_filter(..., every=True)`: a statement that reads its unions' rows only to know
    which are in scope reads none. One look at the roots per distinct set of paths (the
    province's officers hold them all at the root: one)."""
    if principal.is_admin:
        return frozenset(permissions)
    found: dict[tuple[str, ...], bool] = {}
    for permission in permissions:
        paths = tuple(sorted(principal.paths_with(permission)))
        if paths and paths not in found:
            params = {SCOPE_PATHS: list(paths), "with_every_id": False}
            row = (await fetch_driver(session, scoped_union_id_array_bound(), params))[0]
            found[paths] = bool(row["every"])
    return frozenset(
        p for p in permissions if found.get(tuple(sorted(principal.paths_with(p))), False)
    )


def reaches(
    principal: Principal,
    union_id_column: Any,
    permission: Permission = Permission.UNIONS_READ,
) -> ColumnElement[bool]:
    """Predicate for any table with a union id column: the row's union is in scope, or above
    a union where the caller holds `permission` (something addressed to a district, such as
    a course invitation, reaches the grassroots officers under it)."""
    if principal.is_admin:
        return true()
    paths = principal.paths_with(permission)
    if not paths:
        return false()
    # ltree[] <@ ltree: the array holds a descendant of (or the same path as) the row's union.
    above = select(Union.id).where(_ltree_array(paths).op("<@", return_type=Boolean)(Union.path))
    predicate: ColumnElement[bool] = or_(
        union_id_column.in_(scoped_union_ids(principal, permission)),
        union_id_column.in_(above.correlate(None)),
    )
    return predicate


async def get_union_in_scope(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    permission: Permission = Permission.UNIONS_READ,
    *,
    for_update: bool = False,
) -> Union:
    """Load a union the caller may see (404 otherwise); 403 if seen but `permission` is missing."""
    # populate_existing: a subtree move rewrites paths in SQL, so a union already held by this
    # session must be reloaded rather than trusted.
    stmt = (
        select(Union)
        .where(Union.id == union_id, union_filter(principal))
        .execution_options(populate_existing=True)
    )
    if for_update:
        stmt = stmt.with_for_update()
    union = (await session.execute(stmt)).scalar_one_or_none()
    if union is None:
        raise NotFound("No union with this id.", code=ErrorCode.UNION_NOT_FOUND)
    if permission != Permission.UNIONS_READ and not principal.holds_at(union.path, permission):
        raise Forbidden(
            "Your role does not allow this action on this union.", code=ErrorCode.PERMISSION_DENIED
        )
    return union


def in_scope_as_of(
    principal: Principal, union_id_column: Any, as_of: date, *, under: uuid.UUID | None = None
) -> ColumnElement[bool]:
    """Predicate: the row's union was in the caller's scope in the tree of `as_of`
    (`union_ids_as_of`).

    `under`: the rows are already limited to that union's subtree in the tree of `as_of`. When
    the caller holds a role at that union itself, that subtree is inside their scope of that day
    (a past day's scope is walked down from the assigned unions), so the predicate is TRUE and
    the statement walks the tree once instead of twice."""
    if _assigned_at(principal, under):
        return true()
    predicate: ColumnElement[bool] = union_id_column.in_(union_ids_as_of(principal, as_of))
    return predicate


def _assigned_at(principal: Principal, union_id: uuid.UUID | None) -> bool:
    """The caller is an administrator or holds a role at `union_id` itself."""
    return union_id is not None and (
        principal.is_admin or any(a.union_id == union_id for a in principal.assignments)
    )


def union_ids_as_of(principal: Principal, as_of: date) -> Select[uuid.UUID]:
    """Unions under the caller's assigned unions in the tree as it stood on `as_of`.

    Past trees are walked through `union_periods` (a recursive query over a few thousand rows);
    the current tree never needs recursion.
    """
    live = and_(
        UnionPeriod.valid_from <= as_of,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > as_of),
    )
    if principal.is_admin:
        return select(UnionPeriod.union_id).where(live)
    roots = [a.union_id for a in principal.assignments]
    if not roots:
        return select(UnionPeriod.union_id).where(literal(False))
    base = select(UnionPeriod.union_id.label("id")).where(live, UnionPeriod.union_id.in_(roots))
    return select(_descendants_as_of(base, as_of, "scope_tree").c.id)


# ------------------------------------------------------------------ deliberate exceptions


def unscoped(statement: Statement, *, reason: str) -> Statement:
    """Mark a read that ignores the caller's scope on purpose; returns `statement` unchanged.

    `reason` is for the reader (and is checked to be there by tests/architecture): why every
    caller may read these rows, e.g. "personal-ID uniqueness is province-wide".
    """
    _check_reason(reason)
    return statement


async def get_union_unscoped(
    session: AsyncSession, union_id: uuid.UUID, *, reason: str
) -> Union | None:
    """Load a union whatever the caller's scope (see `unscoped`): e.g. the union of a row that
    was itself read through the scope, or a transfer's destination."""
    _check_reason(reason)
    return await session.get(Union, union_id)


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise ValueError("an unscoped read needs its reason")


# ------------------------------------------------------------------ tree relations


def subtree(root: str | Sequence[str] | SQLColumnExpression[Any], *, of: Any = Union) -> Any:
    """Predicate on `of` (`Union` or an alias): the union at `root` and every union under it.

    `root` is a path, several paths (under any of them), or a SQL expression giving a path.
    """
    if isinstance(root, list | tuple):
        return _under(of.path, _ltree_array(list(root)))
    return _under(of.path, root)


def in_child_subtree(child: Any, parent_path: str, *, of: Any = Union) -> ColumnElement[bool]:
    """Predicate: `of` lies in the subtree of `child` (an alias of `Union`), a child of the
    union at `parent_path` (`subtree(child.path, of=of)` for such a child).

    Written as an equality between the label of `of`'s path at a child's depth and the
    child's `tree_key` (each label of a path is the tree key of a union on it), so one hash
    join on a bigint sorts the unions of a whole tree into the subtrees of hundreds of
    children, where `<@` would probe the path index once per child (and PostgreSQL 15 has no
    hash for ltree: an equality of paths is a sort and a merge)."""
    at = parent_path.count(".") + 1
    # A path no longer than the parent's gives its own last label: a key no child has but
    # the union itself (a child, when `of` is the child).
    label = func.subpath(of.path, func.least(at, func.nlevel(of.path) - 1), 1)
    predicate: ColumnElement[bool] = cast(func.ltree2text(label), BigInteger) == child.tree_key
    return predicate


def subtree_ids(root_id: Any, *, as_of: date | None = None) -> Select[uuid.UUID]:
    """Ids of the union `root_id` and every union under it, today or in the tree of `as_of`
    (empty when the root does not exist). Not correlated with an enclosing `unions`."""
    if as_of is None:
        root = aliased(Union)
        root_path = select(root.path).where(root.id == root_id).scalar_subquery()
        return select(Union.id).where(subtree(root_path)).correlate(None)
    live = and_(
        UnionPeriod.valid_from <= as_of,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > as_of),
    )
    base = select(UnionPeriod.union_id.label("id")).where(live, UnionPeriod.union_id == root_id)
    return select(_descendants_as_of(base, as_of, "member_subtree").c.id)


def in_scope_on(
    principal: Principal,
    union_id_column: Any,
    year_column: Any,
    days: Sequence[date],
    *,
    under: uuid.UUID | None = None,
) -> ColumnElement[bool]:
    """Predicate: the row's union was under one of the caller's assigned unions in the tree of
    the day of `days` in the row's year (`union_ids_as_of` for several days at once).

    `under`: the rows are already limited to that union's subtree in the tree of their day
    (see `in_scope_as_of`)."""
    if principal.is_admin or _assigned_at(principal, under):
        return true()
    roots = [a.union_id for a in principal.assignments]
    if not roots:
        return false()
    base = _live_on_days(days, "scope_days", UnionPeriod.union_id.in_(roots))
    seen = _descendants_on(base, "scope_on_days")
    predicate: ColumnElement[bool] = tuple_(union_id_column, year_column).in_(seen)
    return predicate


def _live_on_days(days: Sequence[date], name: str, which: ColumnElement[bool]) -> Select[Any]:
    """The periods of the unions `which` covering each of `days`, with the day and its year."""
    dates = cast(literal(list(days), ARRAY(Date)), ARRAY(Date))
    years = cast(literal([d.year for d in days], ARRAY(Integer)), ARRAY(Integer))
    day = select(func.unnest(dates).label("day"), func.unnest(years).label("year")).cte(name)
    return (
        select(UnionPeriod.union_id.label("id"), day.c.day, day.c.year)
        .join(day, _live_on(UnionPeriod, day.c.day))
        .where(which)
    )


def _live_on(period: Any, day: Any) -> ColumnElement[bool]:
    return and_(period.valid_from <= day, or_(period.valid_to.is_(None), period.valid_to > day))


def _descendants_on(base: Select[Any], name: str) -> Select[tuple[uuid.UUID, int]]:
    tree = base.cte(name, recursive=True)
    child = aliased(UnionPeriod)
    tree = tree.union(
        select(child.union_id, tree.c.day, tree.c.year).where(
            child.parent_id == tree.c.id, _live_on(child, tree.c.day)
        )
    )
    return select(tree.c.id, tree.c.year)


def subtree_by_child(root_id: Any, as_of: date) -> Any:
    """`(id, child_id)` of every union under `root_id` in the tree of `as_of`, each with the
    direct child of the root it lies under (the root itself has child_id NULL): one recursive
    walk that lets a figure be split per child union. A subquery; select from its columns."""
    if not isinstance(root_id, uuid.UUID):
        return _subtree_by_child(root_id, as_of, "by_child")
    return _shared(
        ("by_child", root_id, as_of),
        "by_child",
        lambda unique: _subtree_by_child(root_id, as_of, unique),
    )


def _subtree_by_child(root_id: Any, as_of: date, name: str) -> Any:
    live = and_(
        UnionPeriod.valid_from <= as_of,
        or_(UnionPeriod.valid_to.is_(None), UnionPeriod.valid_to > as_of),
    )
    base = select(
        UnionPeriod.union_id.label("id"),
        cast(literal(None), UnionPeriod.union_id.type).label("child_id"),
    ).where(live, UnionPeriod.union_id == root_id)
    tree = base.cte(name, recursive=True)
    child = aliased(UnionPeriod)
    step = select(child.union_id, func.coalesce(tree.c.child_id, child.union_id)).where(
        child.parent_id == tree.c.id,
        child.valid_from <= as_of,
        or_(child.valid_to.is_(None), child.valid_to > as_of),
    )
    return tree.union_all(step)


def ancestor_ids(path: str | SQLColumnExpression[Any]) -> Select[uuid.UUID]:
    """Ids of the union at `path` and of every union above it (ltree `@>`)."""
    target = cast(path, Ltree()) if isinstance(path, str) else path
    return select(Union.id).where(Union.path.op("@>", return_type=Boolean)(target))


# The advisory lock the writers of member counts share and a change of paths takes alone
# (docs/adr/0020; the migration d7e3a1f9c5b2 names the same key).
TREE_LOCK_KEY = 7262531020
# How long a change of the tree waits for the writers under way before it gives up (busy,
# 503): every writer that comes after it waits behind it meanwhile.
TREE_LOCK_WAIT = "5s"


async def lock_tree(session: AsyncSession) -> None:
    """Before a change of paths, first thing in its transaction: wait (at most
    `TREE_LOCK_WAIT`) for the writers of member counts under way, and hold them off until
    the transaction ends. Taken before the unions' rows are locked, so a writer waiting on
    those rows does not hold what this waits for. `repath_subtree`'s trigger takes the same
    lock; taking it here first only orders it."""
    await session.execute(text(f"SET LOCAL lock_timeout = '{TREE_LOCK_WAIT}'"))
    await session.execute(select(func.pg_advisory_xact_lock(TREE_LOCK_KEY)))
    await session.execute(text("SET LOCAL lock_timeout = DEFAULT"))


async def repath_subtree(session: AsyncSession, old_path: str, new_path: str) -> int:
    """Move every path under `old_path` to start with `new_path` (one statement); the union at
    `old_path` itself takes `new_path`. Returns how many unions under it moved."""
    principal_cache.forget_all()  # roles are labelled with the paths
    result = await session.execute(
        text(
            "UPDATE unions "
            "SET path = CAST(:new AS ltree) || subpath(path, nlevel(CAST(:old AS ltree))), "
            "updated_at = now() "
            "WHERE path <@ CAST(:old AS ltree) AND path <> CAST(:old AS ltree)"
        ),
        {"new": new_path, "old": old_path},
    )
    await session.execute(update(Union).where(Union.path == old_path).values(path=new_path))
    return int(getattr(result, "rowcount", 0) or 0)


def _under(path: Any, ancestor: Any) -> ColumnElement[bool]:
    """`path <@ ancestor`: ancestor is one path, or an ltree[] (under any of them)."""
    predicate: ColumnElement[bool] = path.op("<@", return_type=Boolean)(ancestor)
    return predicate


def _ltree_array(paths: list[str]) -> Any:
    return cast(array(paths, type_=Text), ARRAY(Ltree()))


def _descendants_as_of(base: Select[Any], as_of: date, name: str) -> Any:
    """The recursive walk down `union_periods` from the `id`s of `base`, in the tree of `as_of`
    (one per walk while `shared_walks` is open)."""
    return _shared(
        ("descendants", name, base, as_of),
        name,
        lambda unique: _walk_as_of(base, as_of, unique),
    )


def _walk_as_of(base: Select[Any], as_of: date, name: str) -> Any:
    tree = base.cte(name, recursive=True)
    child = aliased(UnionPeriod)
    return tree.union(
        select(child.union_id).where(
            child.parent_id == tree.c.id,
            child.valid_from <= as_of,
            or_(child.valid_to.is_(None), child.valid_to > as_of),
        )
    )


# ------------------------------------------------------------------ the tree over time

# While `shared_walks()` is open: the tree walks built so far, by what they walk.
_SHARED: ContextVar[list[tuple[tuple[Any, ...], Any, str]] | None] = ContextVar(
    "shared_walks", default=None
)


@contextmanager
def shared_walks() -> Iterator[None]:
    """While open, `tree_intervals` and `subtree_by_child` hand out one CTE per walk (same
    roots, day and name), each walk under a name of its own: a statement put together from
    many indicator statements (a programme's progress, every target and year in one UNION
    ALL) then walks each tree once, and two different walks never share a name."""
    if _SHARED.get() is not None:  # already open: its walks are shared
        yield
        return
    token = _SHARED.set([])
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared_cte(key: tuple[Any, ...], name: str, build: Callable[[str], Any]) -> Any:
    """`build(name)`, a CTE; while `shared_walks` is open, built once per `key` (a figure
    every target of a programme reads on the same day, such as the members of each
    enterprise's union) and under a name of its own."""
    return _shared(("cte", *key), name, build)


def _shared(key: tuple[Any, ...], name: str, build: Callable[[str], Any]) -> Any:
    walks = _SHARED.get()
    if walks is None:
        return build(name)
    for known, cte, _ in walks:
        if len(known) == len(key) and all(
            a.compare(b) if isinstance(a, Select) else a == b
            for a, b in zip(known, key, strict=True)
        ):
            return cte
    taken = {n for _, _, n in walks}
    unique, n = name, 1
    while unique in taken:
        n += 1
        unique = f"{name}_{n}"
    cte = build(unique)
    walks.append((key, cte, unique))
    return cte


def tree_intervals(
    root_ids: Sequence[uuid.UUID] | Select[Any], *, name: str = "tree_intervals"
) -> Any:
    """Every stretch of time a union spent at or under one of `root_ids`, walked down
    `union_periods`: a CTE of (`root_id`, `union_id`, `child_id`, `valid_from`, `valid_to`).

    `child_id` is the root's direct child the union was under then (the child itself; NULL for
    the root). A union has one parent at a time, so for one root a day falls in at most one
    stretch of each union: counting records "in the tree of their date" joins on
    `valid_from <= day < valid_to` without counting anything twice.
    """
    roots: Any = root_ids if isinstance(root_ids, Select) else tuple(root_ids)
    return _shared(
        ("tree_intervals", name, roots), name, lambda unique: _tree_intervals(roots, unique)
    )


def _tree_intervals(root_ids: tuple[uuid.UUID, ...] | Select[Any], name: str) -> Any:
    """`tree_intervals` built under `name`."""
    base = (
        select(
            UnionPeriod.union_id.label("root_id"),
            UnionPeriod.union_id.label("union_id"),
            cast(None, UnionPeriod.union_id.type).label("child_id"),
            UnionPeriod.valid_from.label("valid_from"),
            UnionPeriod.valid_to.label("valid_to"),
        )
        .where(
            UnionPeriod.union_id.in_(root_ids if isinstance(root_ids, Select) else list(root_ids))
        )
        .cte(name, recursive=True)
    )
    child = aliased(UnionPeriod)
    return base.union_all(
        select(
            base.c.root_id,
            child.union_id,
            func.coalesce(base.c.child_id, child.union_id),
            func.greatest(child.valid_from, base.c.valid_from),
            # LEAST ignores NULLs: an open end (NULL) never shortens the other.
            func.least(child.valid_to, base.c.valid_to),
        ).where(
            child.parent_id == base.c.union_id,
            or_(base.c.valid_to.is_(None), child.valid_from < base.c.valid_to),
            or_(child.valid_to.is_(None), child.valid_to > base.c.valid_from),
        )
    )


def live_on(intervals: Any, day: Any) -> ColumnElement[bool]:
    """Predicate on a `tree_intervals` CTE, or on any table with `valid_from`/`valid_to`
    (exclusive) columns such as `union_periods`: the stretch holds `day`."""
    cols = getattr(intervals, "c", intervals)
    return and_(
        cols.valid_from <= day,
        or_(cols.valid_to.is_(None), cols.valid_to > day),
    )


def scope_intervals(
    principal: Principal, permission: Permission, under: uuid.UUID | None = None
) -> Any | None:
    """The caller's scope over time: `tree_intervals` under the unions where the caller holds
    `permission` (None for an administrator, who sees everything on every day). For a
    statement that reads only unions under `under` on a day in the tree of that day: None
    too when the caller holds `permission` at `under` itself, since everything under it on a
    day is in their scope that day (a second walk of the tree and a check per row saved)."""
    if principal.is_admin:
        return None
    roots = [a.union_id for a in principal.assignments if permission in permissions_of(a.role)]
    if under is not None and under in roots:
        return None
    if not roots:
        roots = [uuid.UUID(int=0)]
    return tree_intervals(roots, name="scope_intervals")
