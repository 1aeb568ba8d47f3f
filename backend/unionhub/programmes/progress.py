"""How a union stands against a programme's targets on a day, computed from the records.

For each target: the actual (the indicator over the term, or its level), the target (the
programme's for its owner; a child's allocation, or the programme's share for a child), the
share achieved, the share expected by the elapsed time, and a status:

- met: share achieved >= 1;
- every-year targets (a level each year): at risk from 90 %, else behind;
- otherwise on track when the share achieved is at least the share of the term elapsed, at
  risk from 80 % of it, else behind.
"""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, get_union_unscoped, within
from unionhub.core.answers import Answers, snapshot, stamp
from unionhub.core.db import StatementKind, statement_timeout
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import NotFound, Unprocessable
from unionhub.indicators import service as indicators
from unionhub.indicators.catalogue import BY_KEY, Indicator, Timing, Unit
from unionhub.indicators.queries import Ask
from unionhub.indicators.schemas import IndicatorValue
from unionhub.programmes import repository as repo
from unionhub.programmes.models import Programme, ProgrammeTarget, TargetAllocation, TargetKind
from unionhub.programmes.schemas import (
    ChildProgress,
    ProgrammeProgress,
    Status,
    TargetProgress,
    YearPoint,
)
from unionhub.programmes.service import load
from unionhub.unions.models import Union

Q = Decimal("0.0001")


def _q(value: Decimal) -> Decimal:
    return value.quantize(Q, rounding=ROUND_HALF_UP)


def status_of(
    kind: TargetKind, share: Decimal | None, expected: Decimal, target: Decimal | None
) -> Status:
    if target is None:
        return "no_target"
    if share is None:
        return "behind"
    if share >= 1:
        return "met"
    if kind == TargetKind.EVERY_YEAR:
        return "at_risk" if share >= Decimal("0.9") else "behind"
    if share >= expected:
        return "on_track"
    return "at_risk" if share >= expected * Decimal("0.8") else "behind"


def share_of(
    actual: Decimal | None, target: Decimal | None, baseline: Decimal | None
) -> Decimal | None:
    if actual is None or target is None:
        return None
    if baseline is not None and target != baseline:
        return _q((actual - baseline) / (target - baseline))
    if target == 0:
        return Decimal(1)
    return _q(actual / target)


def _window(
    indicator: Indicator, kind: TargetKind, start: date, day: date
) -> tuple[date | None, date]:
    """(from, to) of the computation on `day` for a target of this kind."""
    if indicator.timing == Timing.PERIOD:
        if kind == TargetKind.EVERY_YEAR:
            return max(start, date(day.year, 1, 1)), day
        return start, day
    return None, day


async def _root(
    session: AsyncSession, principal: Principal, programme: Programme, union_id: uuid.UUID | None
) -> Union:
    owner = await get_union_unscoped(
        session, programme.union_id, reason="the owner of a programme read through the scope"
    )
    assert owner is not None
    if union_id is None:
        if principal.holds_at(owner.path, Permission.UNIONS_READ):
            return owner
        if not principal.assignments:
            raise NotFound("No union with this id.", code=E.UNION_NOT_FOUND)
        union_id = min(principal.assignments, key=lambda a: a.union_path.count(".")).union_id
    root = await get_union_in_scope(session, principal, union_id)
    if not within(root.path, owner.path):
        raise Unprocessable(
            "union_id",
            E.NOT_UNDER_OWNER,
            "The union is not under the programme's union.",
            in_="query",
            params={"union": owner.name},
        )
    return root


def _open_on(
    allocations: list[TargetAllocation], union_id: uuid.UUID, day: date
) -> TargetAllocation | None:
    for a in allocations:
        if (
            a.union_id == union_id
            and a.valid_from <= day
            and (a.valid_to is None or a.valid_to > day)
        ):
            return a
    return None


async def progress(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    union_id: uuid.UUID | None,
    as_of: date | None,
) -> ProgrammeProgress:
    """Every target's progress for the union (default: the owner) on `as_of` (default today,
    at most the term's end), with each child's and their ranking.

    The answer is kept until a table it is read from changes (`core.answers`, docs/adr/0019),
    under the caller's roles, the programme, the union and the day asked; requests asking for
    it while it is read wait for that read."""
    asked = as_of or date.today()
    key = (principal.scope_key, programme_id, union_id, asked)
    at = await stamp(session)
    kept: ProgrammeProgress | None = await _ANSWERS.wait(key, at)
    if kept is not None:
        return kept
    with _ANSWERS.reading(key, at):
        # Before the first of the progress's statements (each later one sees at least as much).
        since = await snapshot(session)
        found = await _progress(session, principal, programme_id, union_id, asked)
        _ANSWERS.put(key, at, found, since)
    return found


# Programmes' progress read, kept with the stamp they were read at: a few per programme and
# union officers open (each a few hundred kB for a province's 408 children).
_ANSWERS = Answers(16)


async def _progress(
    session: AsyncSession,
    principal: Principal,
    programme_id: uuid.UUID,
    union_id: uuid.UUID | None,
    as_of: date,
) -> ProgrammeProgress:
    # A report's time limit, not a list's: every target and year is one statement.
    await statement_timeout(session, StatementKind.REPORT)
    programme, _ = await load(session, principal, programme_id)
    root = await _root(session, principal, programme, union_id)
    start = programme.term_start
    end = programme.actual_end or programme.planned_end
    day = min(as_of, end)
    if day < start:
        raise Unprocessable(
            "as_of",
            E.BEFORE_TERM,
            "The term had not started on this day.",
            in_="query",
            params={"earliest": start},
        )
    elapsed = _q(Decimal((day - start).days + 1) / Decimal((end - start).days + 1))
    allocations = [a for a, _ in await repo.allocations_of(session, programme.id)]
    children = await repo.children_on(session, root.id, day)
    # Every target's value on the day and at each year of the term, computed together: one
    # statement for the whole programme (indicators.compute_many), not one per target and year.
    plans: list[tuple[ProgrammeTarget, Ask | None, list[tuple[int, Ask]]]] = []
    asks: list[Ask] = []
    # The trend's years are shown as values only; their groups (one per child, built and
    # checked for nothing: ~1,000 per year for NQ-ĐH I) only when the term's are added up
    # from them.
    totals_only: list[bool] = []
    for target in await repo.targets_of(session, programme.id):
        indicator = BY_KEY[target.indicator_key]
        if not indicator.available:
            plans.append((target, None, []))
            continue
        params = {k: int(v) for k, v in target.parameters.items()}
        first, last = _window(indicator, TargetKind(target.kind), programme.term_start, day)
        ask = indicators.make_ask(
            indicator, root.id, day, first, last, params, programme.strong_levels
        )
        trend = _trend_asks(programme, indicator, root, day, params)
        plans.append((target, ask, trend))
        # The term's events are its years' (the trend's periods tile the term): added up
        # below, not asked again.
        from_years = _from_years(ask, start)
        asks += [*([] if from_years else [ask]), *(a for _, a in trend)]
        totals_only += [*([] if from_years else [False]), *(not from_years for _ in trend)]
    values = iter(await indicators.compute_many(session, principal, asks, root, totals_only))
    out = []
    for target, planned, trend in plans:
        value = None
        if planned is not None and not _from_years(planned, start):
            value = next(values)
        years = [next(values) for _ in trend]
        if planned is not None and value is None:
            value = indicators.added_up(planned, root, years)
        points = [
            YearPoint(year=year, actual=v.value) for (year, _), v in zip(trend, years, strict=True)
        ]
        out.append(
            _target(programme, target, root, day, elapsed, allocations, children, value, points)
        )
    return ProgrammeProgress(
        programme_id=programme.id,
        number=programme.number,
        title=programme.title,
        union_id=root.id,
        union_name=root.name,
        as_of=day,
        term_start=start,
        term_end=end,
        elapsed_share=elapsed,
        targets=out,
    )


def _target_for(
    target: ProgrammeTarget,
    indicator: Indicator,
    union_id: uuid.UUID,
    owner_id: uuid.UUID,
    day: date,
    allocations: list[TargetAllocation],
) -> tuple[Decimal | None, TargetAllocation | None]:
    allocation = _open_on([a for a in allocations if a.target_id == target.id], union_id, day)
    if allocation is not None:
        return Decimal(allocation.value), allocation
    if union_id == owner_id or indicator.unit == Unit.SHARE:
        return Decimal(target.target_value), None
    return None, None


def _target(
    programme: Programme,
    target: ProgrammeTarget,
    root: Union,
    day: date,
    elapsed: Decimal,
    allocations: list[TargetAllocation],
    children: list[tuple[uuid.UUID, str]],
    value: IndicatorValue | None,
    trend: list[YearPoint],
) -> TargetProgress:
    indicator = BY_KEY[target.indicator_key]
    kind = TargetKind(target.kind)
    goal, _ = _target_for(target, indicator, root.id, programme.union_id, day, allocations)
    baseline = Decimal(target.baseline) if target.baseline is not None else None
    if root.id != programme.union_id:
        baseline = None
    expected = Decimal(1) if kind == TargetKind.EVERY_YEAR else elapsed
    base = TargetProgress(
        target_id=target.id,
        title=target.title,
        indicator_key=target.indicator_key,
        kind=kind,
        unit=indicator.unit.value,
        parameters={k: int(v) for k, v in target.parameters.items()},
        target=goal,
        baseline=baseline,
        actual=None,
        numerator=None,
        denominator=None,
        period_from=None,
        period_to=None,
        share_achieved=None,
        expected_share=expected,
        status="unavailable",
        trend=[],
        children=[],
    )
    if value is None:
        return base
    share = share_of(value.value, goal, baseline)
    base.actual = value.value
    base.numerator = value.numerator
    base.denominator = value.denominator
    base.period_from = value.period_from
    base.period_to = value.period_to
    base.share_achieved = share
    base.status = status_of(kind, share, expected, goal)
    base.trend = trend
    groups = {g.key: g for g in value.groups}
    rows: list[ChildProgress] = []
    names = dict(children)
    # The children's keys once (a set built per group cost 400 x 1,000 string builds for a
    # programme of 408 children: ~60 ms of Python per request).
    listed = [str(c) for c, _ in children]
    known = set(listed)
    for key in listed + [k for k in groups if k not in known]:
        group = groups.get(key)
        child_id = None if key == "self" else uuid.UUID(key)
        child_goal, allocation = (
            _target_for(target, indicator, child_id, programme.union_id, day, allocations)
            if child_id is not None
            else (None, None)
        )
        actual = group.value if group else (None if indicator.unit == Unit.SHARE else Decimal(0))
        child_share = share_of(actual, child_goal, None)
        rows.append(
            ChildProgress(
                union_id=child_id,
                name=names.get(child_id, group.name if group else key) if child_id else root.name,
                allocation_id=allocation.id if allocation else None,
                target=child_goal,
                actual=actual,
                numerator=group.numerator if group else 0,
                denominator=group.denominator
                if group
                else (0 if indicator.unit == Unit.SHARE else None),
                share_achieved=child_share,
                status=status_of(kind, child_share, expected, child_goal),
                rank=None,
            )
        )
    ranked = sorted(
        (r for r in rows if r.share_achieved is not None),
        key=lambda r: (-r.share_achieved, r.name),  # type: ignore[operator]
    )
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    base.children = rows
    return base


def _from_years(ask: Ask, term_start: date) -> bool:
    """Whether the ask is over the term so far of an indicator whose years add up to it."""
    return ask.indicator.key in indicators.ADDITIVE and ask.period_from == term_start


def _trend_asks(
    programme: Programme, indicator: Indicator, root: Union, day: date, params: dict[str, int]
) -> list[tuple[int, Ask]]:
    """What the actual per year of the term up to `day` asks: the events of the year, or the
    level at its end (a year indicator: that year's rounds)."""
    asks = []
    for year in range(programme.term_start.year, day.year + 1):
        last = min(day, date(year, 12, 31))
        first = max(programme.term_start, date(year, 1, 1))
        if indicator.timing == Timing.PERIOD:
            ask = indicators.make_ask(
                indicator, root.id, last, first, last, params, programme.strong_levels
            )
        else:
            ask = indicators.make_ask(
                indicator, root.id, last, None, last, params, programme.strong_levels
            )
        asks.append((year, ask))
    return asks
