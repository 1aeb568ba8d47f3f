"""Computing an indicator for a union and a day or period: value, numerator, denominator,
groups, and the page of records behind them."""

import asyncio
import json
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Integer, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, shared_walks, unscoped
from unionhub.core.db import StatementKind, get_engine, get_sessionmaker, statement_timeout
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import Conflict, NotFound, Unprocessable
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.evaluations.models import EvaluationScheme
from unionhub.indicators import queries
from unionhub.indicators.catalogue import BY_KEY, CATALOGUE, Breakdown, Indicator, Timing, Unit
from unionhub.indicators.queries import Ask
from unionhub.indicators.schemas import (
    GroupBy,
    IndicatorDefinition,
    IndicatorGroup,
    IndicatorRecord,
    IndicatorValue,
)
from unionhub.members.models import CadreAssignment
from unionhub.training import repository as training_repo
from unionhub.training.compliance import term_start_of
from unionhub.unions.models import Union, UnionPeriod


def catalogue() -> list[IndicatorDefinition]:
    return [IndicatorDefinition.model_validate(i) for i in CATALOGUE]


def indicator_of(key: str) -> Indicator:
    indicator = BY_KEY.get(key)
    if indicator is None:
        raise NotFound(
            "No indicator with this key.", code=E.INDICATOR_NOT_FOUND, params={"value": key}
        )
    if not indicator.available:
        raise Conflict(
            "This indicator needs records the system does not keep yet.",
            code=E.INDICATOR_UNAVAILABLE,
            params={"indicator": key},
        )
    return indicator


def share(numerator: int, denominator: int | None) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


async def root_union(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None, indicator: Indicator
) -> Union:
    """The union asked for (404 outside the caller's scope), by default the caller's top one."""
    if union_id is None:
        if principal.assignments:
            top = min(principal.assignments, key=lambda a: a.union_path.count("."))
            union_id = top.union_id
        else:
            found = await session.scalar(
                unscoped(
                    select(Union.id).where(Union.parent_id.is_(None)).order_by(Union.tree_key),
                    reason="the system actor and an admin without assignments see the whole tree",
                )
            )
            if found is None:
                raise NotFound("No union with this id.", code=E.UNION_NOT_FOUND)
            union_id = found
    return await get_union_in_scope(session, principal, union_id, indicator.permission)


def make_ask(
    indicator: Indicator,
    root_id: uuid.UUID,
    as_of: date | None,
    period_from: date | None,
    period_to: date | None,
    parameters: dict[str, int] | None = None,
    strong_levels: Mapping[str, Sequence[str]] | None = None,
) -> Ask:
    """Fill in the day, period and year: `to` defaults to `as_of` (default today), `from` to
    1 January of `to`'s year (for `from_term`: the start of its congress term); a year
    indicator reads the year of `to`."""
    to = period_to or as_of or date.today()
    day = as_of or to
    start = period_from or (term_start_of(to) if indicator.from_term else date(to.year, 1, 1))
    if start > to:
        raise Unprocessable(
            "from",
            E.PERIOD_REVERSED,
            "The period starts after it ends.",
            in_="query",
            params={"from": start, "to": to},
        )
    params = {**indicator.parameters, **(parameters or {})}
    return Ask(indicator, root_id, day, start, to, to.year, params, strong_levels or {})


def _group_column(stmt: Any, group_by: GroupBy) -> Any:
    return {"child": stmt.c.child_id, "sector": stmt.c.sector, "gender": stmt.c.gender}[group_by]


async def compute(
    session: AsyncSession,
    principal: Principal,
    ask: Ask,
    root: Union,
    group_by: GroupBy | None = None,
) -> IndicatorValue:
    indicator = ask.indicator
    if group_by is not None and Breakdown(group_by) not in indicator.breakdowns:
        raise Unprocessable(
            "group_by",
            E.INVALID_CHOICE,
            "This indicator has no such breakdown.",
            in_="query",
            params={"value": group_by, "expected": ", ".join(indicator.breakdowns)},
        )
    schemes = await queries.evaluation_schemes(session) if queries.reads_schemes(indicator) else []

    async def build() -> Any:
        rows = (await queries.sums(session, principal, ask, schemes)).subquery("counted")
        summed = (func.coalesce(func.sum(rows.c.num), 0), func.sum(rows.c.den))
        if group_by is None:
            return select(*summed).select_from(rows)
        column = _group_column(rows, group_by)
        return select(column, *summed).select_from(rows).group_by(column)

    built = ("value", _scope_key(principal), _ask_key(ask), group_by, _schemes_key(schemes))
    stmt = await _kept(_VALUES, VALUES_KEPT, built, build)
    totals: Sequence[Any]
    if group_by is None:
        totals = (await session.execute(stmt)).one()
        grouped: list[Any] = []
    else:
        grouped = list((await session.execute(stmt)).all())
        # The groups split every row: their sums are the totals.
        totals = (sum(int(g[1]) for g in grouped), _sum_or_none(g[2] for g in grouped))
    names = await _child_names(session, [g[0] for g in grouped]) if group_by == "child" else {}
    extra: dict[str, int] = {}
    if indicator.key == "new_members":
        # Kept as the value's statement is: building it cost more CPU than reading it.
        rejoined = await _kept(
            _VALUES,
            VALUES_KEPT,
            ("rejoins", _scope_key(principal), _ask_key(ask)),
            lambda: _built(queries.rejoins_query(principal, ask)),
        )
        extra["rejoined"] = int(await session.scalar(rejoined) or 0)
    return _value(ask, root, group_by, totals, grouped, names, extra)


def _sum_or_none(values: Iterable[Any]) -> int | None:
    """SUM in SQL: NULL when every value is NULL."""
    found = [int(v) for v in values if v is not None]
    return sum(found) if found else None


def _value(
    ask: Ask,
    root: Union,
    group_by: GroupBy | None,
    totals: Sequence[Any],
    grouped: Sequence[Sequence[Any]],
    names: Mapping[Any, str],
    extra: dict[str, int],
) -> IndicatorValue:
    """The answer from the sums: (numerator, denominator) and (key, numerator, denominator)
    of each group."""
    indicator = ask.indicator
    counts = indicator.unit == Unit.SHARE
    numerator = int(totals[0])
    denominator = int(totals[1] or 0) if counts else None
    groups: list[IndicatorGroup] = []
    for key, num, den in grouped:
        d = int(den or 0) if counts else None
        name = names.get(key, str(key)) if group_by == "child" else str(key)
        if group_by == "child" and key is None:
            name = root.name
        groups.append(
            IndicatorGroup(
                key=str(key) if key is not None else "self",
                name=name,
                numerator=int(num),
                denominator=d,
                value=share(int(num), d) if counts else Decimal(int(num)),
            )
        )
    groups.sort(key=lambda g: (g.name, g.key))
    period = indicator.timing == Timing.PERIOD
    return IndicatorValue(
        key=indicator.key,
        union_id=root.id,
        union_name=root.name,
        unit=indicator.unit,
        as_of=ask.as_of,
        period_from=ask.period_from if period else None,
        period_to=ask.period_to if period else None,
        year=ask.year if indicator.timing == Timing.YEAR else None,
        parameters=ask.parameters,
        numerator=numerator,
        denominator=denominator,
        value=share(numerator, denominator) if counts else Decimal(numerator),
        group_by=group_by,
        groups=groups,
        extra=extra,
    )


async def compute_many(
    session: AsyncSession,
    principal: Principal,
    asks: Sequence[Ask],
    root: Union,
    totals_only: Sequence[bool] = (),
) -> list[IndicatorValue]:
    """The value of each ask (all under `root`), grouped by child: every ask's sums side by
    side (UNION ALL, each tree walked once), added up per ask and child. Equal to
    `compute(..., "child")` of each, without the rejoins beside new members; an ask whose
    `totals_only` is true gets no groups (a programme's trend years: their value only).

    The asks are split into up to `STATEMENTS` statements of about equal cost (`_split`:
    asks that read the same day's enterprises or cadres, or one yearly part, stay together),
    run at the same time on connections of their own (`_run_side_by_side`), so a programme's
    progress uses more than one core of the database - one statement while another call is
    running in the process (the cores are busy then).

    An ask that counts nothing for certain (`_empty_asks`: an enterprise indicator comparing
    workers, on a day before the first worker figure) is answered without a part of its own:
    the statement's other parts are planned and run alone."""
    if not asks:
        return []
    empty = await _empty_asks(session, asks)
    firsts = {_ask_key(a): a for a in reversed(asks)}
    distinct = [k for k in dict.fromkeys(_ask_key(a) for a in asks) if k not in empty]
    found: list[tuple[tuple[Any, ...], Any, Any, Any]] = []
    if distinct:
        schemes = await queries.evaluation_schemes(session)
        statements = []
        kept = [firsts[k] for k in distinct]
        posts = await _posts_held(
            session, {a.as_of for a in kept if a.indicator.key in queries.CADRE_RULES}
        )
        global _in_flight
        # Another one running in this process: the database's cores are busy already, and a
        # split would only add work (its second statement's tree walk and plan).
        groups = _split(kept, posts, STATEMENTS if _in_flight == 0 else 1)
        _in_flight += 1
        try:
            for group in groups:
                keys = tuple(_ask_key(a) for a in group)
                built = (_scope_key(principal), keys, _schemes_key(schemes))
                stmt = await _kept(
                    _MANY, MANY_KEPT, built, _builder(session, principal, group, schemes)
                )
                statements.append((keys, stmt))
            results = await _run_side_by_side(session, [stmt for _, stmt in statements])
        finally:
            _in_flight -= 1
        for (keys, _), rows in zip(statements, results, strict=True):
            found += [(keys[ask_no], child, num, den) for ask_no, child, num, den in rows]
    by_ask: dict[tuple[Any, ...], list[Any]] = {}
    for key, child, num, den in found:
        by_ask.setdefault(key, []).append((child, num, den))
    names = await _child_names(session, list({r[1] for r in found}))
    out = []
    for i, ask in enumerate(asks):
        grouped = by_ask.get(_ask_key(ask), [])
        totals = (sum(int(g[1]) for g in grouped), _sum_or_none(g[2] for g in grouped))
        if i < len(totals_only) and totals_only[i]:
            grouped = []
        out.append(_value(ask, root, "child", totals, grouped, names, {}))
    return out


def _builder(
    session: AsyncSession,
    principal: Principal,
    asks: Sequence[Ask],
    schemes: Sequence[EvaluationScheme],
) -> Callable[[], Awaitable[Any]]:
    return lambda: _many_statement(session, principal, asks, schemes)


# How many statements `compute_many` splits its asks into, run at the same time on as many
# connections: the database's cores a request may use (the bench machine has two).
STATEMENTS = 2
# `compute_many` calls between their split and their rows, in this process.
_in_flight = 0


def _cost(asks: Sequence[Ask], posts: Mapping[date, int]) -> float:
    """A rough cost of asks read together (`queries.shared_key`), in ms at 1M members: a day's
    enterprises ~40, a day's cadres by how many posts were held that day (12,000: ~40), a
    member count or flow ~12, a yearly part ~10."""
    first = asks[0]
    key = first.indicator.key
    if key in queries.ENTERPRISE_KEYS:
        return 40
    if key in queries.CADRE_RULES:
        return 2 + posts.get(first.as_of, 0) / 300
    if queries.yearly_key(first) is not None:
        return 10
    if key in ("members_total", "new_members", "transfers_in", "transfers_out"):
        return 12
    return 5


def _split(asks: Sequence[Ask], posts: Mapping[date, int], most: int) -> list[list[Ask]]:
    """The asks in at most `most` groups of about equal `_cost`, the asks that share a
    day's reads (`queries.shared_key`) in the same group; each group in the asks' order."""
    bundles: dict[tuple[Any, ...], list[tuple[int, Ask]]] = {}
    for i, ask in enumerate(asks):
        bundles.setdefault(queries.shared_key(ask), []).append((i, ask))
    count = min(most, len(bundles))
    loads = [0.0] * count
    groups: list[list[tuple[int, Ask]]] = [[] for _ in range(count)]
    costed = [(_cost([a for _, a in b], posts), b) for b in bundles.values()]
    # The costliest first, each to the lightest group so far (ties: the first group).
    for cost, bundle in sorted(costed, key=lambda c: -c[0]):
        lightest = loads.index(min(loads))
        groups[lightest] += bundle
        loads[lightest] += cost
    return [[a for _, a in sorted(g, key=lambda x: x[0])] for g in groups if g]


# Cadre posts held on a day, in the whole register (monotonic time read, count): only to
# balance `_split`'s statements, so a count some minutes old does as well as a fresh one.
_POSTS: dict[date, tuple[float, int]] = {}
POSTS_KEPT_SECONDS = 600


async def _posts_held(session: AsyncSession, days: Iterable[date]) -> dict[date, int]:
    """How many cadre posts were held on each day (a few ms for a programme's days: read again
    after `POSTS_KEPT_SECONDS`)."""
    now = time.monotonic()
    wanted = sorted(set(days))
    missing = [d for d in wanted if d not in _POSTS or now - _POSTS[d][0] > POSTS_KEPT_SECONDS]
    if missing:
        counts = (
            await session.execute(
                unscoped(
                    select(
                        *(func.count().filter(training_repo.held_on(d)) for d in missing)
                    ).select_from(CadreAssignment),
                    reason="a size for planning the work, never shown",
                )
            )
        ).one()
        for day, n in zip(missing, counts, strict=True):
            _POSTS[day] = (now, int(n))
        if len(_POSTS) > 1_000:
            _POSTS.clear()
    return {d: _POSTS[d][1] if d in _POSTS else 0 for d in wanted}


async def _run_side_by_side(session: AsyncSession, statements: Sequence[Any]) -> list[Any]:
    """The rows of each statement: the first on `session`, the others at the same time, each
    on a connection of its own from the application's pool (a read-only transaction with the
    report's time limit, ended when its rows are in). Sequentially on `session` when it is not
    the application's (the tests' sessions share one connection and one open transaction)."""
    if len(statements) == 1 or session.bind is not get_engine():
        return [(await session.execute(stmt)).all() for stmt in statements]

    async def aside(stmt: Any) -> Any:
        async with get_sessionmaker()() as other:
            await statement_timeout(other, StatementKind.REPORT)
            rows = (await other.execute(stmt)).all()
            await other.rollback()
            return rows

    async def here(stmt: Any) -> Any:
        return (await session.execute(stmt)).all()

    try:
        async with asyncio.TaskGroup() as tasks:
            running = [tasks.create_task(here(statements[0]))]
            running += [tasks.create_task(aside(stmt)) for stmt in statements[1:]]
    except BaseExceptionGroup as failed:
        # The first failure as itself (the others were cancelled with it): a statement
        # cancelled by its time limit is then answered as any other (503), not as an error
        # group nothing knows (500).
        raise failed.exceptions[0] from None
    return [task.result() for task in running]


async def _empty_asks(session: AsyncSession, asks: Sequence[Ask]) -> frozenset[Any]:
    """The keys of the asks that count no record whatever the tree and scope: an enterprise
    indicator that compares workers (`queries.NEED_WORKERS`) on a day before the first worker
    figure (`queries.first_figure_day`, read from two index ends; NULL: no figure at all).
    Their statement part would be empty (its condition on that day is false); a programme's
    early trend days (05: five of six days at 1M members) then cost no planning either."""
    surveyed = [a for a in asks if a.indicator.key in queries.NEED_WORKERS]
    if not surveyed:
        return frozenset()
    first = await session.scalar(select(queries.first_figure_day()))
    return frozenset(_ask_key(a) for a in surveyed if first is None or a.as_of < first)


# Period indicators that count events each placed by its own day (in the tree and the
# caller's scope of that day): over consecutive periods they add up, so a term's figure is
# the sum of its years'. Not `cadres_trained` (a person trained in two years counts once).
ADDITIVE = frozenset(
    {"new_members", "cdcs_founded", "cdcs_dissolved", "transfers_in", "transfers_out"}
)


def added_up(ask: Ask, root: Union, parts: Sequence[IndicatorValue]) -> IndicatorValue:
    """`ask`'s value (an `ADDITIVE` indicator, grouped by child) from the values of periods
    that cover its period once each, without asking the database again."""
    assert ask.indicator.key in ADDITIVE
    sums: dict[Any, list[Any]] = {}
    names: dict[Any, str] = {}
    for part in parts:
        for g in part.groups:
            key = None if g.key == "self" else uuid.UUID(g.key)
            names[key] = g.name
            row = sums.setdefault(key, [key, 0, None])
            row[1] += g.numerator
            if g.denominator is not None:
                row[2] = (row[2] or 0) + g.denominator
    grouped = list(sums.values())
    totals = (sum(int(g[1]) for g in grouped), _sum_or_none(g[2] for g in grouped))
    return _value(ask, root, "child", totals, grouped, names, {})


# The statements put together (`compute_many`'s, `compute`'s), by what they were built from
# (the caller's scope, the asks, the evaluation schemes), the least recently used dropped
# first. A programme's progress asks the same some 70 figures each time it is shown: building
# that statement and its SQL cache key cost more CPU than the database takes to answer it, and
# the same statement object reuses both (SQLAlchemy keeps its cache key and compiled form;
# the connection keeps it prepared). Only statements are kept: every answer is read anew.
_MANY: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
MANY_KEPT = 32
_VALUES: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
VALUES_KEPT = 256


async def _kept(
    kept: OrderedDict[tuple[Any, ...], Any],
    size: int,
    key: tuple[Any, ...],
    build: Callable[[], Awaitable[Any]],
) -> Any:
    """The statement kept under `key`, else `build()`'s, kept."""
    stmt = kept.get(key)
    if stmt is not None:
        kept.move_to_end(key)
        return stmt
    stmt = await build()
    kept[key] = stmt
    while len(kept) > size:
        kept.popitem(last=False)
    return stmt


async def _built(stmt: Any) -> Any:
    return stmt


def _scope_key(principal: Principal) -> tuple[Any, ...]:
    """What a statement built for `principal` depends on: who they are and their roles where."""
    return principal.scope_key


def _schemes_key(schemes: Sequence[EvaluationScheme]) -> tuple[Any, ...]:
    """The evaluation schemes as the "strong" indicators read them (levels are data)."""
    return tuple(
        (s.id, s.code, s.version, json.dumps(s.definition, sort_keys=True, default=str))
        for s in schemes
    )


async def _many_statement(
    session: AsyncSession,
    principal: Principal,
    asks: Sequence[Ask],
    schemes: Sequence[EvaluationScheme],
) -> Any:
    """`compute_many`'s statement for distinct asks: rows (ask number, child, num, den).
    The years of one yearly indicator (`queries.YEARLY`: a programme's trend asks it once per
    term year) are one part (`queries.yearly_sums`), not one per year."""
    yearly: dict[tuple[Any, ...], list[tuple[int, Ask]]] = {}
    for i, ask in enumerate(asks):
        key = queries.yearly_key(ask)
        if key is not None:
            yearly.setdefault(key, []).append((i, ask))
    together = {i for numbered in yearly.values() if len(numbered) > 1 for i, _ in numbered}
    with shared_walks():
        parts = []
        for i, ask in enumerate(asks):
            if i in together:
                continue
            part = (await queries.sums(session, principal, ask, schemes)).subquery(f"ask_{i}")
            parts.append(
                select(
                    literal(i, Integer).label("ask"),
                    part.c.child_id,
                    part.c.num,
                    part.c.den,
                ).select_from(part)
            )
        for numbered in yearly.values():
            if len(numbered) > 1:
                parts.append(await queries.yearly_sums(session, principal, numbered, schemes))
        rows = union_all(*parts).subquery("asked")
        return select(
            rows.c.ask,
            rows.c.child_id,
            func.coalesce(func.sum(rows.c.num), 0),
            func.sum(rows.c.den),
        ).group_by(rows.c.ask, rows.c.child_id)


def _ask_key(ask: Ask) -> tuple[Any, ...]:
    """What makes two asks the same computation."""
    return (
        ask.indicator.key,
        ask.root_id,
        ask.as_of,
        ask.period_from,
        ask.period_to,
        ask.year,
        tuple(sorted(ask.parameters.items())),
        tuple(sorted((k, tuple(v)) for k, v in ask.strong_levels.items())),
    )


async def _child_names(session: AsyncSession, keys: list[Any]) -> dict[Any, str]:
    """The latest name of each child union (a merged child keeps its last name)."""
    ids = [k for k in keys if k is not None]
    if not ids:
        return {}
    rows = await session.execute(
        select(UnionPeriod.union_id, UnionPeriod.name)
        .where(UnionPeriod.union_id.in_(ids))
        .order_by(UnionPeriod.union_id, UnionPeriod.valid_from)
    )
    return {r[0]: r[1] for r in rows}


async def _ask(
    session: AsyncSession,
    principal: Principal,
    key: str,
    union_id: uuid.UUID | None,
    as_of: date | None,
    period_from: date | None,
    period_to: date | None,
    parameters: dict[str, int] | None,
) -> tuple[Union, Ask]:
    indicator = indicator_of(key)
    root = await root_union(session, principal, union_id, indicator)
    return root, make_ask(indicator, root.id, as_of, period_from, period_to, parameters)


async def value(
    session: AsyncSession,
    principal: Principal,
    key: str,
    union_id: uuid.UUID | None,
    as_of: date | None,
    period_from: date | None,
    period_to: date | None,
    group_by: GroupBy | None,
    parameters: dict[str, int] | None = None,
) -> IndicatorValue:
    """The indicator's value for the union (404 outside the caller's scope)."""
    await statement_timeout(session, StatementKind.REPORT)
    root, ask = await _ask(
        session, principal, key, union_id, as_of, period_from, period_to, parameters
    )
    return await compute(session, principal, ask, root, group_by)


async def records_page(
    session: AsyncSession,
    principal: Principal,
    key: str,
    union_id: uuid.UUID | None,
    as_of: date | None,
    period_from: date | None,
    period_to: date | None,
    parameters: dict[str, int] | None,
    child_id: uuid.UUID | None,
    in_numerator: bool | None,
    page: PageParams,
) -> Page[IndicatorRecord]:
    """The records the indicator counts, ordered by name (filter: a child, in the numerator)."""
    _, ask = await _ask(
        session, principal, key, union_id, as_of, period_from, period_to, parameters
    )
    rows = (await queries.records(session, principal, ask)).subquery("counted")
    stmt = select(*(rows.c[c] for c in queries.COLUMNS))
    if child_id is not None:
        stmt = stmt.where(rows.c.child_id == child_id)
    if in_numerator is not None:
        stmt = stmt.where((rows.c.num > literal(0)) == in_numerator)
    stmt = stmt.order_by(rows.c.label, rows.c.id)

    def to_items(found: list[Any]) -> list[IndicatorRecord]:
        return [
            IndicatorRecord(
                kind=r.kind,
                id=r.id,
                label=r.label,
                code=r.code,
                union_id=r.union_id,
                union_name=r.union_name,
                child_id=r.child_id,
                day=r.day,
                sector=r.sector,
                gender=r.gender,
                numerator=int(r.num),
                denominator=None if r.den is None else int(r.den),
                detail=r.detail,
            )
            for r in found
        ]

    return await paginate(session, stmt, page, to_items)
