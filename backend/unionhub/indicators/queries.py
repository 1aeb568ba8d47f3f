"""Each indicator as one statement over the records it counts.

Every statement yields the same columns (`COLUMNS`): one row per record counted, with what the
row adds to the numerator (`num`) and to the denominator (`den`, NULL for counts). The value is
their sums, the groups are the sums grouped by a column, and the drill-down pages through the
very same rows, so a number and the list behind it cannot disagree.

Records are placed in the tree of their own day through `scope.tree_intervals` (a union counts
for the root over the stretches of time it was under it), and read through the caller's scope
of that day (`scope.scope_intervals`).

`sums` is what a value is added up from: the records themselves, except for the indicators
the register's maintained counts already hold (members on a day, admissions and rejoins in a
period: `member_count_deltas`, `member_flow_counts`), which it reads per union, day and gender
instead of one row per member - the same sums, whatever the number of members.
"""

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    Uuid,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    live_on,
    scope_intervals,
    shared_cte,
    shared_walks,
    tree_intervals,
    unscoped,
)
from unionhub.core.pagination import AnySelect
from unionhub.enterprises.models import Enterprise, OperatingStatus, Ownership, WorkerSurvey
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationRound,
    EvaluationScheme,
    EvaluationStatus,
)
from unionhub.evaluations.rounds import definition_of
from unionhub.indicators.catalogue import Indicator, Timing
from unionhub.members.models import (
    IN_MEMBERSHIP,
    CadreAssignment,
    FlowKind,
    Gender,
    Member,
    MemberCountDelta,
    MemberCountRollup,
    MemberCountTotal,
    MemberEvent,
    MemberEventType,
    MemberFlowCount,
    MemberFlowRollup,
    MembershipPeriod,
)
from unionhub.training import repository as training_repo
from unionhub.training.compliance import RULES, term_start_of
from unionhub.training.models import Spending, SpendingStatus
from unionhub.training.schemas import IndicatorCode
from unionhub.unions.models import Sector, Union, UnionLevel, UnionPeriod, UnionStatus

COLUMNS = (
    "kind",
    "id",
    "label",
    "code",
    "union_id",
    "union_name",
    "child_id",
    "day",
    "sector",
    "gender",
    "num",
    "den",
    "detail",
)
GRASSROOTS_LEVELS = (UnionLevel.GRASSROOTS.value, UnionLevel.OCCUPATIONAL.value)
RATED = (EvaluationStatus.APPROVED.value, EvaluationStatus.PUBLISHED.value)
# The columns of `sums`: what the value, its groups and a report's cells are added up from.
SUM_COLUMNS = ("child_id", "sector", "gender", "num", "den")
GENDERS = tuple(g.value for g in Gender)
# The cadre indicators and the training domain's compliance rule each one is.
CADRE_RULES: dict[str, IndicatorCode] = {
    "fulltime_cadres_degree": IndicatorCode.FULL_TIME_DEGREE,
    "fulltime_cadres_postgrad": IndicatorCode.FULL_TIME_POSTGRADUATE,
    "leaders_political_theory": IndicatorCode.LEADER_POLITICAL_THEORY,
    "cadres_trained": IndicatorCode.CADRES_UNION_WORK,
}


@dataclass(frozen=True)
class Ask:
    """One computation: which indicator, under which union, for which day or period."""

    indicator: Indicator
    root_id: uuid.UUID
    as_of: date
    period_from: date
    period_to: date
    year: int
    parameters: dict[str, int]
    # A programme's decision of which levels count as strong, per scheme code (the "strong"
    # indicators); a scheme not named keeps its own mapping.
    strong_levels: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _scoped(stmt: AnySelect, principal: Principal, ask: Ask, union_col: Any, day: Any) -> AnySelect:
    """Keep the rows whose union was in the caller's scope on the record's day."""
    scope = scope_intervals(principal, ask.indicator.permission, ask.root_id)
    if scope is None:
        return stmt
    return stmt.where(
        exists(
            select(1).select_from(scope).where(scope.c.union_id == union_col, live_on(scope, day))
        )
    )


def _row(**columns: Any) -> list[Any]:
    """The statement's columns, labelled and in the order of `COLUMNS`."""
    return [columns[name].label(name) for name in COLUMNS]


def _one(value: int) -> Any:
    return literal(value, Integer)


def _members(principal: Principal, ask: Ask) -> AnySelect:
    iv = tree_intervals([ask.root_id])
    mp = MembershipPeriod
    day = ask.as_of
    stmt = (
        select(
            *_row(
                kind=literal("member", String),
                id=Member.id,
                label=Member.full_name,
                code=Member.card_number,
                union_id=mp.union_id,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=Member.admission_date,
                sector=Union.sector,
                gender=Member.gender,
                num=_one(1),
                den=cast(null(), Integer),
                detail=mp.status,
            )
        )
        .select_from(mp)
        .join(iv, and_(iv.c.union_id == mp.union_id, live_on(iv, day)))
        .join(Member, Member.id == mp.member_id)
        .join(Union, Union.id == mp.union_id)
        .where(live_on(mp, day), mp.status.in_(IN_MEMBERSHIP))
    )
    return _scoped(stmt, principal, ask, mp.union_id, day)


def _admissions(principal: Principal, ask: Ask, event: MemberEventType) -> AnySelect:
    iv = tree_intervals([ask.root_id])
    ev = MemberEvent
    stmt = (
        select(
            *_row(
                kind=literal("admission", String),
                id=Member.id,
                label=Member.full_name,
                code=Member.card_number,
                union_id=ev.union_id,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=ev.effective_date,
                sector=Union.sector,
                gender=Member.gender,
                num=_one(1),
                den=cast(null(), Integer),
                detail=ev.event_type,
            )
        )
        .select_from(ev)
        .join(iv, and_(iv.c.union_id == ev.union_id, live_on(iv, ev.effective_date)))
        .join(Member, Member.id == ev.member_id)
        .join(Union, Union.id == ev.union_id)
        .where(
            ev.event_type == event.value,
            ev.effective_date.between(ask.period_from, ask.period_to),
        )
    )
    return _scoped(stmt, principal, ask, ev.union_id, ev.effective_date)


def _transfers(principal: Principal, ask: Ask, inbound: bool) -> AnySelect:
    """Transfers across the root's boundary in the period: into one of its unions from outside
    (`inbound`), or out of one of them to outside; both ends placed in the tree of the day."""
    iv = tree_intervals([ask.root_id])
    # A subquery, not an alias of the CTE: aliases of one CTE in several statements put
    # together (`shared_walks`) would clash by name.
    other = select(iv.c.union_id, iv.c.valid_from, iv.c.valid_to).subquery("other_end")
    ev = MemberEvent
    source = cast(ev.details["from_union_id"].astext, Uuid)
    here, there = (ev.union_id, source) if inbound else (source, ev.union_id)
    stmt = (
        select(
            *_row(
                kind=literal("admission", String),
                id=Member.id,
                label=Member.full_name,
                code=Member.card_number,
                union_id=here,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=ev.effective_date,
                sector=Union.sector,
                gender=Member.gender,
                num=_one(1),
                den=cast(null(), Integer),
                detail=ev.event_type,
            )
        )
        .select_from(ev)
        .join(iv, and_(iv.c.union_id == here, live_on(iv, ev.effective_date)))
        # Outer joins, the same rows (every event has its member; `here` is a union of the
        # tree): a count that reads neither has them removed by the planner, instead of a
        # probe of each per transfer (14,420 transfers in the bench's current year).
        .outerjoin(Member, Member.id == ev.member_id)
        .outerjoin(Union, Union.id == here)
        .where(
            ev.event_type == MemberEventType.TRANSFERRED.value,
            # Not `details ? 'from_union_id'`: the planner guesses 0.1 % of rows for that
            # operator and then walks the tree once per transfer (3,000 x 3,000 at 1M).
            ev.details["from_union_id"].astext.is_not(None),
            ev.effective_date.between(ask.period_from, ask.period_to),
            ~exists(
                select(1)
                .select_from(other)
                .where(other.c.union_id == there, live_on(other, ev.effective_date))
            ),
        )
    )
    return _scoped(stmt, principal, ask, here, ev.effective_date)


def _dissolved(principal: Principal, ask: Ask) -> AnySelect:
    """Grassroots unions dissolved or merged in the period, in the tree of that day (a
    dissolved union keeps a period with its last parent from the effective day)."""
    return _grassroots_on(
        principal,
        ask,
        Union.ended_on,
        Union.status,
        Union.status.in_([UnionStatus.DISSOLVED.value, UnionStatus.MERGED.value]),
    )


def _founded(principal: Principal, ask: Ask) -> AnySelect:
    return _grassroots_on(principal, ask, Union.founded_on, Union.founding_decision_no)


def _grassroots_on(principal: Principal, ask: Ask, day: Any, detail: Any, *where: Any) -> AnySelect:
    """Grassroots unions whose `day` (founded, ended) falls in the period, placed in the tree
    of that day."""
    iv = tree_intervals([ask.root_id])
    stmt = (
        select(
            *_row(
                kind=literal("union", String),
                id=Union.id,
                label=Union.name,
                code=Union.code,
                union_id=Union.id,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=day,
                sector=Union.sector,
                gender=cast(null(), String),
                num=_one(1),
                den=cast(null(), Integer),
                detail=detail,
            )
        )
        .select_from(Union)
        .join(iv, and_(iv.c.union_id == Union.id, live_on(iv, day)))
        .where(
            Union.level.in_(GRASSROOTS_LEVELS),
            day.between(ask.period_from, ask.period_to),
            *where,
        )
    )
    return _scoped(stmt, principal, ask, Union.id, day)


def _workers_on(day: date) -> Any:
    """(enterprise_id, total_workers) of each enterprise's latest survey on or before `day`."""
    return shared_cte(("workers_on", day), "workers_on", lambda name: _workers_on_cte(day, name))


def _workers_on_cte(day: date, name: str) -> Any:
    # Every key descending: the order of `ix_worker_surveys_latest` read backwards, with
    # `total_workers` in it - an index-only read of the surveys up to the day, no sort (the
    # sort of all 67,063 surveys spilled to disk at 1M members: 60-120 ms per day asked).
    # Same-day surveys: the one recorded last, the later entered of one transaction (id,
    # uuid7) - the register's order (`enterprises.repository.surveys`), its current size.
    return (
        select(WorkerSurvey.enterprise_id, WorkerSurvey.total_workers)
        .where(WorkerSurvey.surveyed_on <= day)
        .ext(distinct_on(WorkerSurvey.enterprise_id))
        .order_by(
            WorkerSurvey.enterprise_id.desc(),
            WorkerSurvey.surveyed_on.desc(),
            WorkerSurvey.recorded_at.desc(),
            WorkerSurvey.id.desc(),
        )
        .cte(name)
    )


def _enterprise_unions(day: date) -> Any:
    """(enterprise_id, union_id): the grassroots union each enterprise had, active on `day`."""
    return shared_cte(
        ("enterprise_unions", day),
        "enterprise_unions",
        lambda name: _enterprise_unions_cte(day, name),
    )


def _enterprise_unions_cte(day: date, name: str) -> Any:
    return unscoped(
        select(Union.enterprise_id.label("enterprise_id"), Union.id.label("union_id"))
        .join(UnionPeriod, UnionPeriod.union_id == Union.id)
        .where(
            Union.enterprise_id.is_not(None),
            UnionPeriod.status == UnionStatus.ACTIVE.value,
            live_on(UnionPeriod, day),
        )
        .ext(distinct_on(Union.enterprise_id))
        .order_by(Union.enterprise_id, Union.id),
        reason="whether an enterprise read through the scope had its own union on the day",
    ).cte(name)


def _enterprise_members(day: date) -> Any:
    """(union_id, members): members on `day` in each enterprise union and the units under it
    (from the maintained counts, `_members_on`)."""
    return shared_cte(
        ("enterprise_members", day),
        "enterprise_members",
        lambda name: _enterprise_members_cte(day, name),
    )


def _enterprise_members_cte(day: date, name: str) -> Any:
    roots = unscoped(
        select(Union.id).where(Union.enterprise_id.is_not(None)),
        reason="the unions of enterprises, whose members are counted for enterprises in scope",
    )
    units = tree_intervals(roots, name="enterprise_units")
    counted = _members_on(units, day)
    return (
        select(counted.c.root_id.label("union_id"), func.sum(counted.c.n).label("members"))
        .group_by(counted.c.root_id)
        .cte(name)
    )


def _enterprises(principal: Principal, ask: Ask) -> AnySelect:
    """The operating enterprises an enterprise indicator counts, from `_enterprises_on` (one
    CTE per root and day: a programme's enterprise indicators of one day read it once)."""
    key = ask.indicator.key
    e = _enterprises_on(principal, ask)
    workers = e.c.workers
    has_union = e.c.own_union_id.is_not(None)
    num: Any
    den: Any
    detail: Any
    wanted: Any
    em: Any = None
    if key == "workers_total":
        num = func.coalesce(workers, 0)
        den = cast(null(), Integer)
        detail = cast(null(), String)
        wanted = has_union
    elif key == "enterprises_with_union":
        num = case((has_union, 1), else_=0)
        den = _one(1)
        detail = cast(workers, String)
        wanted = workers >= ask.parameters.get("min_workers", 20)
    else:
        em = _enterprise_members(ask.as_of)
        num = func.coalesce(em.c.members, 0)
        den = workers
        detail = cast(null(), String)
        if key == "member_coverage_state":
            wanted = and_(e.c.ownership == Ownership.STATE.value, workers > 0)
        else:
            wanted = and_(e.c.ownership != Ownership.STATE.value, workers > 0, has_union)
    stmt = (
        select(
            *_row(
                kind=literal("enterprise", String),
                id=e.c.id,
                label=e.c.name,
                code=e.c.tax_code,
                union_id=e.c.union_id,
                union_name=e.c.union_name,
                child_id=e.c.child_id,
                day=cast(literal(ask.as_of), Date),
                sector=e.c.sector,
                gender=cast(null(), String),
                num=num,
                den=den,
                detail=detail,
            )
        )
        .select_from(e)
        .where(wanted)
    )
    if em is not None:
        stmt = stmt.outerjoin(em, em.c.union_id == e.c.own_union_id)
    return stmt


# The enterprise indicators that count only enterprises with a worker figure on the day (their
# condition compares the workers): `_enterprises_on` keeps just those.
NEED_WORKERS = frozenset(
    {"enterprises_with_union", "member_coverage_state", "member_coverage_non_state"}
)


def _enterprises_on(principal: Principal, ask: Ask) -> Any:
    """Every operating enterprise under the root in the tree of the ask's day (and in the
    caller's scope then): where it sits, its sector, its workers on the day and its own union
    (NULL without one). A CTE per root, day and scope - and whether only the enterprises
    with a worker figure are wanted (`NEED_WORKERS`)."""
    day = ask.as_of
    surveyed = ask.indicator.key in NEED_WORKERS
    return shared_cte(
        ("enterprises_on", principal, ask.indicator.permission, ask.root_id, day, surveyed),
        "enterprises_on",
        lambda name: _enterprises_on_cte(principal, ask, surveyed, name),
    )


def _enterprises_on_cte(principal: Principal, ask: Ask, surveyed: bool, name: str) -> Any:
    day = ask.as_of
    iv = tree_intervals([ask.root_id])
    e = _operating_on(day, surveyed).subquery("operating")
    eu = _enterprise_unions(day)
    # Where the enterprise sits in the tree of the day: with its own union when it has one
    # (the union moves with reorganisations), else with the union responsible for it.
    placed = func.coalesce(eu.c.union_id, e.c.responsible_union_id)
    sector = case(
        (e.c.ownership == Ownership.STATE.value, Sector.STATE.value),
        else_=Sector.NON_STATE.value,
    )
    stmt = (
        select(
            e.c.id.label("id"),
            e.c.name.label("name"),
            e.c.tax_code.label("tax_code"),
            e.c.ownership.label("ownership"),
            placed.label("union_id"),
            Union.name.label("union_name"),
            iv.c.child_id.label("child_id"),
            sector.label("sector"),
            e.c.workers.label("workers"),
            eu.c.union_id.label("own_union_id"),
        )
        .select_from(e)
        .outerjoin(eu, eu.c.enterprise_id == e.c.id)
        .join(iv, and_(iv.c.union_id == placed, live_on(iv, day)))
        # An outer join, the same rows (`placed` is a union of the tree): a figure that does
        # not read the union's name has it removed by the planner.
        .outerjoin(Union, Union.id == placed)
    )
    if surveyed:
        # Before the first worker figure no enterprise has one: the day counts nothing. A
        # condition on constants only, so the database checks it once, before the joins,
        # and skips the day (a programme's early years at 1M members: 46,015 enterprises and
        # 67,063 surveys scanned per day for no row).
        stmt = stmt.where(literal(day, Date) >= first_figure_day())
    return _scoped(stmt, principal, ask, placed, day).cte(name)


def first_figure_day() -> Any:
    """The first day any enterprise has a worker figure (a survey, or a current figure dated
    then; NULL: none has one): a lower bound for the operating ones, from two index ends
    (`ix_worker_surveys_surveyed_on`, `ix_enterprises_surveyed_on`). LEAST ignores a NULL."""
    return func.least(
        select(func.min(WorkerSurvey.surveyed_on)).scalar_subquery(),
        select(func.min(Enterprise.surveyed_on)).scalar_subquery(),
    )


def _operating_on(day: date, surveyed: bool) -> AnySelect:
    """Every operating enterprise with its workers on `day`: its latest survey on or before
    the day, else its current figure when dated on or before it (NULL: no figure then).

    With `surveyed`, only those with workers on the day: the rest fail every `NEED_WORKERS`
    condition (the same rows for those indicators). They are dropped here, before the joins
    with their unions and the tree, behind `OFFSET 0` (the database then plans this part on
    its own): not knowing how few enterprises have a figure on a day before most surveys (a
    programme's early years), the planner joined all of them to their unions and the tree
    first and dropped them after. Not a materialized CTE: the columns a figure does not read
    (name, tax code) are still left out."""
    ws = _workers_on(day)
    workers = func.coalesce(
        ws.c.total_workers,
        case((Enterprise.surveyed_on <= day, Enterprise.total_workers)),
    )
    stmt = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.tax_code,
            Enterprise.ownership,
            Enterprise.responsible_union_id,
            workers.label("workers"),
        )
        .outerjoin(ws, ws.c.enterprise_id == Enterprise.id)
        .where(Enterprise.operating_status == OperatingStatus.OPERATING.value)
    )
    if surveyed:
        stmt = stmt.where(workers.is_not(None)).offset(0)
    return stmt


STRONG_KEYS = ("cdcs_strong_state", "cdcs_strong_non_state")


def reads_schemes(indicator: Indicator) -> bool:
    """Whether the indicator's statement depends on the evaluation schemes (data)."""
    return indicator.key in STRONG_KEYS


async def evaluation_schemes(session: AsyncSession) -> list[EvaluationScheme]:
    return list((await session.scalars(select(EvaluationScheme))).all())


async def _strong_condition(
    session: AsyncSession,
    mapping: Mapping[str, Sequence[str]],
    schemes: Sequence[EvaluationScheme] | None,
) -> Any:
    """Rated at a level that counts as strong: the programme's mapping for the scheme, else the
    scheme's own (schemes are data: read them, unless the caller already has)."""
    from_schemes = []
    for scheme in schemes if schemes is not None else await evaluation_schemes(session):
        levels = list(mapping.get(scheme.code) or definition_of(scheme).strong_levels)
        if levels:
            from_schemes.append(
                and_(EvaluationRound.scheme_id == scheme.id, Evaluation.level.in_(levels))
            )
    return and_(Evaluation.status.in_(RATED), or_(false(), *from_schemes))


async def _strong(
    session: AsyncSession,
    principal: Principal,
    ask: Ask,
    sector: Sector,
    schemes: Sequence[EvaluationScheme] | None,
    asked: Any = None,
) -> AnySelect:
    """The evaluations of the year's rounds, each union placed in the tree of 31 December.
    With `asked` (`_asked`: rows ask, year, day), the asks of several years at once: each
    evaluation joined to the asks of its year, with their number (column `ask`)."""
    iv = tree_intervals([ask.root_id])
    strong = await _strong_condition(session, ask.strong_levels, schemes)
    year: Any = ask.year
    day: Any = date(ask.year, 12, 31)
    base: Any = Evaluation
    if asked is not None:
        year, day = asked.c.year, asked.c.day
        base = Evaluation.__table__.join(asked, asked.c.year == Evaluation.year)
    stmt = (
        select(
            *_row(
                kind=literal("evaluation", String),
                id=Evaluation.id,
                label=Union.name,
                code=Union.code,
                union_id=Evaluation.union_id,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=cast(day, Date) if asked is not None else cast(literal(day), Date),
                sector=Union.sector,
                gender=cast(null(), String),
                num=case((strong, 1), else_=0),
                den=_one(1),
                detail=func.coalesce(Evaluation.level, Evaluation.status),
            )
        )
        .select_from(base)
        .join(iv, and_(iv.c.union_id == Evaluation.union_id, live_on(iv, day)))
        .join(Union, Union.id == Evaluation.union_id)
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .where(
            Evaluation.year == year,
            Evaluation.status != EvaluationStatus.INELIGIBLE.value,
            Evaluation.union_id != ask.root_id,
            Union.sector == sector.value,
        )
    )
    if asked is not None:
        stmt = stmt.add_columns(asked.c.ask)
    return _scoped(stmt, principal, ask, Evaluation.union_id, day)


def _cadres(principal: Principal, ask: Ask, code: IndicatorCode) -> AnySelect:
    """One row per cadre in the rule's denominator: the training domain's facts of each person
    holding a post on the day (`training.repository.people_facts`, the same rows
    `training.compliance` counts) under its rule (`training.compliance.RULES`). A person is
    counted once; with posts under two children, under the child of a full-time post first.

    The people and their facts are one CTE per root, day and term start (`_cadre_people`):
    a programme's four cadre rules of one day (in one statement, `shared_walks`) read them
    once, not once per rule.

    The person's name, union, sector and gender are outer joins (every cadre is a member,
    every member has a union: the same rows as inner joins), so the database drops them from
    a statement that reads none of those columns - a value, its groups by child, a programme's
    figures. Inner joins had to be made, and for the cadres of a whole province (13,000-16,000
    people, estimated at 8,700) the planner made them by reading all 1,000,000 members: the
    `cadres_trained` value took 0.7-1.0 s instead of 50-90 ms (issue 12)."""
    day = ask.as_of
    term_start = ask.period_from if ask.indicator.timing == Timing.PERIOD else term_start_of(day)
    people = _cadre_people(principal, ask.root_id, day, term_start)
    inside, counted = RULES[code]
    in_denominator = inside(people.c)
    return (
        select(
            *_row(
                kind=literal("member", String),
                id=people.c.member_id,
                label=Member.full_name,
                code=Member.card_number,
                union_id=Member.union_id,
                union_name=Union.name,
                child_id=people.c.child_id,
                day=cast(literal(day), Date),
                sector=Union.sector,
                gender=Member.gender,
                num=case((counted(people.c), 1), else_=0),
                den=_one(1),
                detail=case((people.c.full_time, "full_time"), else_="part_time"),
            )
        )
        .select_from(people)
        .outerjoin(Member, Member.id == people.c.member_id)
        .outerjoin(Union, Union.id == Member.union_id)
        .where(true() if in_denominator is True else in_denominator)
    )


def _cadre_people(principal: Principal, root_id: uuid.UUID, day: date, term_start: date) -> Any:
    """Every cadre holding a post on `day` under the root (`member_id` and the facts the
    rules read: the rows of `training.repository.people_facts`) with the child they count
    under: a CTE, shared by the rules asked in one statement; the people themselves
    (`_cadre_holders`) shared by the term starts of the day."""
    return shared_cte(
        ("cadre_people", principal, root_id, day, term_start),
        "cadre_people",
        lambda name: _cadre_people_cte(principal, root_id, day, term_start, name),
    )


def _cadre_people_cte(
    principal: Principal, root_id: uuid.UUID, day: date, term_start: date, name: str
) -> Any:
    holders = _cadre_holders(principal, root_id, day)
    return training_repo.facts_of(holders, day, term_start).cte(name)


def _cadre_holders(principal: Principal, root_id: uuid.UUID, day: date) -> Any:
    """Every cadre holding a post on `day` under the root (`cadres_on`: the people, without
    their facts) with the child they count under: a CTE per root and day, shared by the term
    starts asked that day (a programme asks the last day's cadres with the term's start, the
    year's and the congress term's: the people are gathered once, their facts per term
    start)."""
    return shared_cte(
        ("cadre_holders", principal, root_id, day),
        "cadre_holders",
        lambda name: _cadre_holders_cte(principal, root_id, day, name),
    )


def _cadre_holders_cte(principal: Principal, root_id: uuid.UUID, day: date, name: str) -> Any:
    if training_repo.sees_every_post(principal, root_id):
        # The caller sees every post under the root: each person's child from the posts
        # gathered for the person (one pass), not from a second walk of the tree and posts.
        return training_repo.cadres_on(principal, root_id, day, with_child=True).cte(name)
    cadres = training_repo.cadres_on(principal, root_id, day).subquery("cadres")
    posts = _cadre_posts(root_id, day)
    return (
        select(cadres, posts.c.child_id.label("child_id"))
        .select_from(cadres)
        .outerjoin(posts, posts.c.member_id == cadres.c.member_id)
        .cte(name)
    )


def _cadre_posts(root_id: uuid.UUID, day: date) -> Any:
    """Every person holding a post on `day` under the root with the child they count under:
    a CTE per root and day, shared by the term starts asked that day (a programme asks the
    last day's cadres with the term's start, the year's and the congress term's: the posts
    are walked once, the facts per term start)."""
    return shared_cte(
        ("cadre_posts", root_id, day),
        "cadre_posts",
        lambda name: _cadre_posts_cte(root_id, day, name),
    )


def _cadre_posts_cte(root_id: uuid.UUID, day: date, name: str) -> Any:
    iv = tree_intervals([root_id])
    # Each person's child: a join, not a subquery per person (which scanned the whole tree
    # walk once per cadre: 12,000 cadres x 3,000 stretches at the benchmark's scale).
    return (
        select(CadreAssignment.member_id, iv.c.child_id)
        .join(iv, and_(iv.c.union_id == CadreAssignment.union_id, live_on(iv, day)))
        .where(training_repo.held_on(day))
        .ext(distinct_on(CadreAssignment.member_id))
        .order_by(
            CadreAssignment.member_id,
            CadreAssignment.full_time.desc(),
            iv.c.child_id.asc().nulls_last(),
        )
        .cte(name)
    )


def _spending(principal: Principal, ask: Ask, asked: Any = None) -> AnySelect:
    """The approved spending rows of the year of the unions under the root in the tree of the
    day: training spend in the numerator, total spend in the denominator (as
    `training.compliance` counts them). With `asked` (`_asked`), the asks of several years at
    once, as `_strong`."""
    day: Any = ask.as_of
    year: Any = ask.year
    base: Any = Spending
    if asked is not None:
        year, day = asked.c.year, asked.c.day
        base = Spending.__table__.join(asked, asked.c.year == Spending.year)
    iv = tree_intervals([ask.root_id])
    stmt = (
        select(
            *_row(
                kind=literal("spending", String),
                id=Spending.id,
                label=Union.name,
                code=Union.code,
                union_id=Spending.union_id,
                union_name=Union.name,
                child_id=iv.c.child_id,
                day=func.make_date(Spending.year, 12, 31),
                sector=Union.sector,
                gender=cast(null(), String),
                num=Spending.training_spend,
                den=Spending.total_spend,
                detail=Spending.source,
            )
        )
        .select_from(base)
        .join(iv, and_(iv.c.union_id == Spending.union_id, live_on(iv, day)))
        .join(Union, Union.id == Spending.union_id)
        .where(Spending.year == year, Spending.status == SpendingStatus.APPROVED.value)
    )
    if asked is not None:
        stmt = stmt.add_columns(asked.c.ask)
    return _scoped(stmt, principal, ask, Spending.union_id, day)


# Year indicators whose asks differ only by year (and day) are answered by one statement
# part (`yearly_sums`): a programme's trend asks each of them once per term year.
YEARLY = frozenset({"cdcs_strong_state", "cdcs_strong_non_state", "training_spend_share"})


def yearly_key(ask: Ask) -> tuple[Any, ...] | None:
    """What asks answered together by `yearly_sums` share (None: not a `YEARLY` indicator)."""
    if ask.indicator.key not in YEARLY:
        return None
    return (
        ask.indicator.key,
        ask.root_id,
        tuple(sorted(ask.parameters.items())),
        tuple(sorted((k, tuple(v)) for k, v in ask.strong_levels.items())),
    )


def _asked(numbered: Sequence[tuple[int, Ask]]) -> Any:
    """The asks as rows (ask: its number, year, day: the day its union tree is read on).
    Selects of bound values, not a VALUES list: SQLAlchemy does not cache a statement holding
    `values()`, and a programme's statement compiled anew costs ~0.7 s of CPU."""
    return union_all(
        *(
            select(
                literal(n, Integer).label("ask"),
                literal(a.year, Integer).label("year"),
                literal(
                    date(a.year, 12, 31) if a.indicator.key in STRONG_KEYS else a.as_of, Date
                ).label("day"),
            )
            for n, a in numbered
        )
    ).subquery("asked_years")


ENTERPRISE_KEYS = frozenset({*NEED_WORKERS, "workers_total"})


def shared_key(ask: Ask) -> tuple[Any, ...]:
    """What asks put in one statement share beyond the tree walks (each statement walks its
    trees itself): the day's enterprises (`_enterprises_on`, `_enterprise_members`), the day's
    cadres (`_cadre_holders`, `_cadre_people`), a `YEARLY` indicator's one part. Asks with the
    same key belong in the same statement; two different keys share nothing worth reading
    twice."""
    key = ask.indicator.key
    if key in ENTERPRISE_KEYS:
        return ("enterprises", ask.root_id, ask.as_of)
    if key in CADRE_RULES:
        return ("cadres", ask.root_id, ask.as_of)
    yearly = yearly_key(ask)
    if yearly is not None:
        return ("yearly", *yearly)
    return ("ask", id(ask))


async def yearly_sums(
    session: AsyncSession,
    principal: Principal,
    numbered: Sequence[tuple[int, Ask]],
    schemes: Sequence[EvaluationScheme] | None = None,
) -> AnySelect:
    """Rows (ask, child_id, num, den) of several asks of one `YEARLY` indicator (same
    `yearly_key`; `numbered`: (ask number, ask)): the records of all their years read in one
    pass, each row under the asks of its year - the same rows each ask's `sums` reads."""
    first = numbered[0][1]
    asked = _asked(numbered)
    key = first.indicator.key
    if key == "training_spend_share":
        found = _spending(principal, first, asked)
    else:
        sector = Sector.STATE if key == "cdcs_strong_state" else Sector.NON_STATE
        found = await _strong(session, principal, first, sector, schemes, asked)
    rows = found.subquery("yearly")
    return select(rows.c.ask, rows.c.child_id, rows.c.num, rows.c.den)


async def records(
    session: AsyncSession,
    principal: Principal,
    ask: Ask,
    schemes: Sequence[EvaluationScheme] | None = None,
) -> AnySelect:
    """The statement of the records `ask` counts (columns `COLUMNS`; `schemes`: the evaluation
    schemes when the caller has read them already)."""
    key = ask.indicator.key
    if key == "members_total":
        return _members(principal, ask)
    if key == "new_members":
        return _admissions(principal, ask, MemberEventType.ADMITTED)
    if key == "cdcs_founded":
        return _founded(principal, ask)
    if key == "cdcs_dissolved":
        return _dissolved(principal, ask)
    if key in ("transfers_in", "transfers_out"):
        return _transfers(principal, ask, inbound=key == "transfers_in")
    if key in ENTERPRISE_KEYS:
        return _enterprises(principal, ask)
    if key == "cdcs_strong_state":
        return await _strong(session, principal, ask, Sector.STATE, schemes)
    if key == "cdcs_strong_non_state":
        return await _strong(session, principal, ask, Sector.NON_STATE, schemes)
    if key in CADRE_RULES:
        return _cadres(principal, ask, CADRE_RULES[key])
    if key == "training_spend_share":
        return _spending(principal, ask)
    raise KeyError(key)


# The far end of "every day after" (a whole-years piece; far from the date type's limits).
FAR_FUTURE = date(9000, 12, 31)


def _month_start(day: Any) -> Any:
    return cast(func.date_trunc("month", cast(day, DateTime)), Date)


def _year_start(day: Any) -> Any:
    return cast(func.date_trunc("year", cast(day, DateTime)), Date)


def pieces(first: Any, last: Any) -> list[tuple[str, Any, Any]]:
    """The days `first` to `last` (both included; dates or date columns) as the fewest
    pieces the counts keep: whole years, whole months outside them, single days outside
    those. Each piece (span, lo, hi) names the rows of that span whose day (or first day)
    lies in [lo, hi]; an empty piece has lo > hi. On dates the database folds the bounds to
    constants (one index range per piece); on columns they are bounds per row."""
    if isinstance(first, date):
        first, last = literal(first, Date), literal(last, Date)
    # The first whole month starts at m1 (the first of the month on or after `first`), the
    # last whole one ends before m2; the whole years inside [m1, m2) are [y1, y2).
    m1 = _month_start(_month_start(first - 1) + 31)
    m2 = _month_start(last + 1)
    y1 = _year_start(_year_start(m1 - 1) + 366)
    y2 = _year_start(m2)
    return [
        ("day", first, func.least(m1 - 1, last)),
        ("day", func.greatest(m2, m1), last),
        ("month", m1, func.least(y1, m2) - 1),
        ("month", func.greatest(y2, y1), m2 - 1),
        ("year", y1, y2 - 1),
    ]


def _per_unit(units: Any, gender: Any, n: Any) -> AnySelect:
    """`SELECT root_id, child_id, union_id, gender, n FROM units`: the rows the counted
    figures are summed from (join the counts to it)."""
    return select(
        units.c.root_id.label("root_id"),
        units.c.child_id.label("child_id"),
        units.c.union_id.label("union_id"),
        gender.label("gender"),
        n.label("n"),
    ).select_from(units)


def _over_spans(
    units: Any,
    table: Any,
    rollup: Any,
    value: Callable[[Any], Any],
    where: Callable[[Any], Any],
    first: Any,
    last: Any,
) -> Any:
    """Rows (`root_id`, `child_id`, `union_id`, `gender`, `n`) of each of `units` whose `n`
    add up `value` of `table` over the days `first` to `last`: whole years and months from its
    rollup (kept by the same triggers), the days left from the per-day table (`pieces`).

    Bounds given as dates make each piece one range of an index by span and day (every
    union's rows of those days, a few per union), added up per union and gender before
    meeting `units`: one pass, not one index descent per union and piece. Bounds that are
    columns of `units` (a union's own stretch) are read through each union's key."""

    def on(counted: Any, span: str, lo: Any, hi: Any) -> Any:
        if span == "day":
            return counted.day.between(lo, hi)
        return and_(counted.span == span, counted.start.between(lo, hi))

    cut = [
        (table if span == "day" else rollup, span, lo, hi) for span, lo, hi in pieces(first, last)
    ]
    if not isinstance(first, date):
        return union_all(
            *(
                _per_unit(units, counted.gender, value(counted)).join(
                    counted,
                    and_(
                        counted.union_id == units.c.union_id,
                        where(counted),
                        on(counted, span, lo, hi),
                    ),
                )
                for counted, span, lo, hi in cut
            )
        )
    found = union_all(
        *(
            select(
                counted.union_id.label("union_id"),
                counted.gender.label("gender"),
                value(counted).label("n"),
            ).where(where(counted), on(counted, span, lo, hi))
            for counted, span, lo, hi in cut
        )
    ).subquery("pieces")
    summed = (
        select(found.c.union_id, found.c.gender, func.sum(found.c.n).label("n"))
        .group_by(found.c.union_id, found.c.gender)
        .subquery("summed")
    )
    return _per_unit(units, summed.c.gender, summed.c.n).join(
        summed, summed.c.union_id == units.c.union_id
    )


def _in_membership(table: Any) -> Any:
    # Every gender named: the key then bounds the day's (or the start's) range.
    return and_(table.status.in_(IN_MEMBERSHIP), table.gender.in_(GENDERS))


def _members_on(
    iv: Any, day: date, scoped: Callable[[AnySelect], AnySelect] = lambda stmt: stmt
) -> Any:
    """Rows (`root_id`, `child_id`, `union_id`, `gender`, `n`) whose `n` add up, per union of
    the tree intervals `iv` on `day` and gender, to the members (active or suspended) on that
    day, read from the maintained counts instead of one row per member.

    A period adds +1 to `member_count_deltas` on its first day and -1 on the day after its last
    (as `live_on` reads it), so the members on a day are today's open periods
    (`member_count_totals`) less the deltas after it: the rest of its month day by day, the
    rest of its year month by month, the later years whole (`member_count_rollups`), a few
    rows per union whatever the day. `scoped` narrows the unions (the caller's scope)."""
    t = MemberCountTotal
    units = scoped(
        select(iv.c.root_id, iv.c.child_id, iv.c.union_id).where(live_on(iv, day))
    ).subquery("units_on")
    today = _per_unit(units, t.gender, t.n).join(
        t, and_(t.union_id == units.c.union_id, _in_membership(t))
    )
    later = _over_spans(
        units,
        MemberCountDelta,
        MemberCountRollup,
        lambda c: -c.delta,
        _in_membership,
        day + timedelta(days=1),
        FAR_FUTURE,
    )
    return union_all(today, later).subquery("members_on")


def _members_counted(principal: Principal, ask: Ask) -> AnySelect:
    """`members_total` from the maintained counts (`_members_on`), per child, sector and
    gender."""
    iv = tree_intervals([ask.root_id])
    day = ask.as_of
    counted = _members_on(iv, day, lambda stmt: _scoped(stmt, principal, ask, iv.c.union_id, day))
    return _by_sector(counted)


def _by_sector(counted: Any) -> AnySelect:
    """`counted`'s rows added up per union first, then per child, sector and gender (the
    union's sector read once per union, not once per counted row)."""
    per_union = (
        select(
            counted.c.child_id,
            counted.c.union_id,
            counted.c.gender,
            func.sum(counted.c.n).label("n"),
        )
        .group_by(counted.c.child_id, counted.c.union_id, counted.c.gender)
        .subquery("per_union")
    )
    n = func.sum(per_union.c.n)
    return (
        select(
            per_union.c.child_id.label("child_id"),
            Union.sector.label("sector"),
            per_union.c.gender.label("gender"),
            n.label("num"),
            cast(null(), Integer).label("den"),
        )
        .select_from(per_union)
        .join(Union, Union.id == per_union.c.union_id)
        .group_by(per_union.c.child_id, Union.sector, per_union.c.gender)
        # A group whose members all left adds nothing (the records have no row for it).
        .having(n != 0)
    )


def _flows_counted(principal: Principal, ask: Ask, kind: FlowKind) -> AnySelect:
    """Admissions (or rejoins) from the maintained flows, placed in the tree of their day as
    `_admissions` places each event. A union under the root (and in the caller's scope) for
    the whole period has its flows read as whole years, whole months and single days
    (`member_flow_rollups`, `member_flow_counts`: a few rows whatever the period); a union
    there for part of it (moved by a reorganisation) day by day over its stretch, each day
    checked against the caller's scope."""
    with shared_walks():  # the scope's walk read twice, built once
        return _flows_in(principal, ask, kind)


def _flows_in(principal: Principal, ask: Ask, kind: FlowKind) -> AnySelect:
    iv = tree_intervals([ask.root_id])
    f = MemberFlowCount
    first = func.greatest(iv.c.valid_from, ask.period_from)
    # valid_to is exclusive; LEAST ignores the NULL of an open stretch.
    last = func.least(iv.c.valid_to - 1, ask.period_to)
    stretches = (
        select(
            iv.c.root_id,
            iv.c.child_id,
            iv.c.union_id,
            first.label("first"),
            last.label("last"),
        )
        .where(
            iv.c.valid_from <= ask.period_to,
            or_(iv.c.valid_to.is_(None), iv.c.valid_to > ask.period_from),
        )
        .subquery("stretches")
    )

    def flows(table: Any) -> Any:
        return and_(table.kind == kind.value, table.gender.in_(GENDERS))

    # The root in the caller's scope over the whole period: so is everything under it then
    # (one check, not one per union); otherwise each day is checked below.
    whole: Any = and_(
        iv.c.valid_from <= ask.period_from,
        or_(iv.c.valid_to.is_(None), iv.c.valid_to > ask.period_to),
    )
    scope = scope_intervals(principal, ask.indicator.permission, ask.root_id)
    covered: Any = true()
    if scope is not None:
        covered = exists(
            select(1)
            .select_from(scope)
            .where(
                scope.c.union_id == ask.root_id,
                scope.c.valid_from <= ask.period_from,
                or_(scope.c.valid_to.is_(None), scope.c.valid_to > ask.period_to),
            )
        )
        whole = and_(whole, covered)
    inside = select(iv.c.root_id, iv.c.child_id, iv.c.union_id).where(whole).subquery("inside")
    parts: list[Any] = [
        _over_spans(
            inside, f, MemberFlowRollup, lambda c: c.n, flows, ask.period_from, ask.period_to
        )
    ]
    # A stretch of part of the period (a union founded, moved or merged in it): its own
    # days cut the same way, read through the union's key.
    partial = (
        select(stretches)
        .where(
            covered,
            or_(stretches.c.first != ask.period_from, stretches.c.last != ask.period_to),
        )
        .subquery("partial")
    )
    parts.append(
        _over_spans(
            partial, f, MemberFlowRollup, lambda c: c.n, flows, partial.c.first, partial.c.last
        )
    )
    if scope is not None:
        # The root not in the caller's scope all along: day by day, each day checked.
        daily = (
            _per_unit(stretches, f.gender, f.n)
            .join(
                f,
                and_(
                    f.union_id == stretches.c.union_id,
                    flows(f),
                    f.day.between(stretches.c.first, stretches.c.last),
                ),
            )
            .where(~covered)
        )
        parts.append(_scoped(daily, principal, ask, f.union_id, f.day))
    return _by_sector(union_all(*parts).subquery("flows_in"))


async def sums(
    session: AsyncSession,
    principal: Principal,
    ask: Ask,
    schemes: Sequence[EvaluationScheme] | None = None,
) -> AnySelect:
    """Rows (`SUM_COLUMNS`: child_id, sector, gender, num, den) whose sums, overall or by a
    breakdown, are the indicator's: the maintained counts where they hold the figure, else
    the records."""
    key = ask.indicator.key
    if key == "members_total":
        return _members_counted(principal, ask)
    if key == "new_members":
        return _flows_counted(principal, ask, FlowKind.ADMITTED)
    found = (await records(session, principal, ask, schemes)).subquery("records")
    return select(*(found.c[c] for c in SUM_COLUMNS))


def rejoins_query(principal: Principal, ask: Ask) -> AnySelect:
    """Rejoins in the period, counted beside the admissions (never inside them): one row,
    one column."""
    stmt = _flows_counted(principal, ask, FlowKind.REJOINED).subquery()
    return select(func.coalesce(func.sum(stmt.c.num), 0))
