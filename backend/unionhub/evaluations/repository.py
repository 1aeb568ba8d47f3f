"""Every SQL statement of the evaluations domain, built on the scope helper.

Schemes are federation-wide rules (no union column): every signed-in reader may read them.
Rounds and evaluations are scoped by their unions.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, undefer

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import (
    in_scope,
    in_scope_as_of,
    in_scope_on,
    live_on,
    subtree_by_child,
    subtree_ids,
    tree_intervals,
    unscoped,
)
from unionhub.core.kept import Kept
from unionhub.core.pagination import AnySelect
from unionhub.enterprises.models import WorkerSurvey
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationRound,
    EvaluationRoundPart,
    EvaluationScheme,
    EvaluationStatus,
    RoundStatus,
)
from unionhub.members.models import IN_MEMBERSHIP, MemberEvent, MemberEventType, MembershipPeriod
from unionhub.unions.models import Union, UnionEvent, UnionEventType, UnionLevel, UnionPeriod

READ = Permission.EVALUATIONS_READ
RATED_LEVELS = (
    UnionLevel.GRASSROOTS.value,
    UnionLevel.OCCUPATIONAL.value,
    UnionLevel.DIRECT_SUPERIOR.value,
)
# Events after which a union is "restructured": 6 months of operation before it is rated again.
RESTRUCTURE_EVENTS = (UnionEventType.ABSORBED.value, UnionEventType.MERGED.value)

Appraiser = aliased(Union, name="appraiser")


def _live(period: Any, day: date) -> Any:
    return and_(period.valid_from <= day, or_(period.valid_to.is_(None), period.valid_to > day))


# ------------------------------------------------------------------ schemes


async def list_schemes(session: AsyncSession) -> list[EvaluationScheme]:
    stmt = select(EvaluationScheme).order_by(
        EvaluationScheme.effective_from.desc(), EvaluationScheme.code, EvaluationScheme.version
    )
    return list((await session.scalars(stmt)).all())


async def get_scheme(session: AsyncSession, scheme_id: uuid.UUID) -> EvaluationScheme | None:
    return await session.get(EvaluationScheme, scheme_id)


async def scheme_strong_levels(
    session: AsyncSession, scheme_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, list[str]]]:
    """Each scheme's code and its own strong levels (the default mapping of its definition),
    in one statement, without reading the rest of the definitions."""
    if not scheme_ids:
        return {}
    stmt = select(
        EvaluationScheme.id,
        EvaluationScheme.code,
        EvaluationScheme.definition["strong_levels"],
    ).where(EvaluationScheme.id.in_(list(scheme_ids)))
    return {r[0]: (r[1], list(r[2])) for r in await session.execute(stmt)}


async def last_version(session: AsyncSession, code: str) -> int:
    stmt = select(func.max(EvaluationScheme.version)).where(EvaluationScheme.code == code)
    return int(await session.scalar(stmt) or 0)


# ------------------------------------------------------------------ rounds


def _round_visible(principal: Principal) -> Any:
    """A round is visible to whoever sees its owner union or one of its rated units."""
    unit_seen = exists().where(
        Evaluation.round_id == EvaluationRound.id, in_scope(principal, Evaluation.union_id, READ)
    )
    return or_(in_scope(principal, EvaluationRound.owner_union_id, READ), unit_seen)


async def get_round(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, *, for_update: bool = False
) -> tuple[EvaluationRound, str, str] | None:
    """The round, its owner union's name and path, if the caller may see it."""
    stmt = (
        select(EvaluationRound, Union.name, Union.path)
        .join(Union, Union.id == EvaluationRound.owner_union_id)
        .where(EvaluationRound.id == round_id, _round_visible(principal))
    )
    if for_update:
        stmt = stmt.with_for_update(of=EvaluationRound)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1], row[2]) if row else None


def rounds_query(principal: Principal, year: int | None) -> Select[EvaluationRound, str]:
    """`(round, owner union name)` of the visible rounds, newest year first."""
    where = [_round_visible(principal)]
    if year is not None:
        where.append(EvaluationRound.year == year)
    return (
        select(EvaluationRound, Union.name)
        .join(Union, Union.id == EvaluationRound.owner_union_id)
        .where(*where)
        .order_by(EvaluationRound.year.desc(), Union.name, EvaluationRound.id)
    )


async def already_rated(session: AsyncSession, year: int) -> set[uuid.UUID]:
    """Units with an evaluation of `year` in some round (a unit is rated once a year)."""
    stmt = select(Evaluation.union_id).where(Evaluation.year == year)
    return set((await session.scalars(stmt)).all())


async def round_exists(session: AsyncSession, owner_union_id: uuid.UUID, year: int) -> bool:
    stmt = select(EvaluationRound.id).where(
        EvaluationRound.owner_union_id == owner_union_id, EvaluationRound.year == year
    )
    return (await session.scalar(stmt)) is not None


async def status_counts(
    session: AsyncSession, principal: Principal, round_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Evaluations per status of each round, among the units the caller sees."""
    if not round_ids:
        return {}
    stmt = (
        select(Evaluation.round_id, Evaluation.status, func.count())
        .where(Evaluation.round_id.in_(round_ids), in_scope(principal, Evaluation.union_id, READ))
        .group_by(Evaluation.round_id, Evaluation.status)
    )
    out: dict[uuid.UUID, dict[str, int]] = {rid: {} for rid in round_ids}
    for rid, status, n in (await session.execute(stmt)).all():
        out[rid][status] = int(n)
    return out


# ------------------------------------------------------------------ parts of rounds


def _in_part(round_: EvaluationRound, union_id: uuid.UUID) -> Any:
    """The round's evaluations of the units under `union_id` in the round's tree, its own
    rating excepted."""
    return and_(
        Evaluation.round_id == round_.id,
        Evaluation.union_id.in_(subtree_ids(union_id, as_of=round_.period_end)),
        Evaluation.union_id != union_id,
    )


def part_deadlines(rounds: Any = None) -> Any:
    """The deadlines the parts of a round set for a unit: per (round, unit), the earliest of the
    deadlines of every part whose union the unit lay under in the round's tree (as of the end of
    its period: the units `_in_part` counts, however deep, the part's own rating excepted).

    A subquery of (`round_id`, `union_id`, `self_assessment_deadline`, `appraisal_deadline`);
    `rounds`, a predicate on `EvaluationRound`, limits it to some rounds. Only parts that set a
    deadline are walked. The deadline in force for a unit is the earliest of these and the
    round's own (`in_force`)."""
    round_ = aliased(EvaluationRound, name="part_round")
    part = aliased(EvaluationRoundPart, name="deadline_part")
    sets_one = or_(part.self_assessment_deadline.is_not(None), part.appraisal_deadline.is_not(None))
    which = [sets_one]
    if rounds is not None:
        which.append(part.round_id.in_(select(EvaluationRound.id).where(rounds).correlate(None)))
    roots = select(part.union_id).where(*which)
    tree = tree_intervals(roots, name="part_tree")
    return (
        select(
            part.round_id.label("round_id"),
            tree.c.union_id.label("union_id"),
            func.min(part.self_assessment_deadline).label("self_assessment_deadline"),
            func.min(part.appraisal_deadline).label("appraisal_deadline"),
        )
        .join(round_, round_.id == part.round_id)
        .join(tree, tree.c.root_id == part.union_id)
        .where(*which, live_on(tree, round_.period_end), tree.c.union_id != part.union_id)
        .group_by(part.round_id, tree.c.union_id)
        .subquery("part_deadlines")
    )


def on_part_deadlines(deadlines: Any) -> Any:
    """The join condition of an evaluation with its row of `part_deadlines`."""
    return and_(
        deadlines.c.round_id == Evaluation.round_id, deadlines.c.union_id == Evaluation.union_id
    )


def in_force(deadlines: Any) -> tuple[Any, Any]:
    """(self-assessment, appraisal) deadline in force for an evaluation joined to its round and
    (outer) to `part_deadlines`: the earliest of the round's and its parts' (LEAST skips NULL)."""
    return (
        func.least(EvaluationRound.self_assessment_deadline, deadlines.c.self_assessment_deadline),
        func.least(EvaluationRound.appraisal_deadline, deadlines.c.appraisal_deadline),
    )


PENDING = (EvaluationStatus.DRAFT.value, EvaluationStatus.RETURNED.value)


def overdue(self_deadline: Any, appraisal_deadline: Any, today: date) -> Any:
    """In an open round, a self-assessment not submitted by its deadline, or a submission not
    appraised by its deadline."""
    return and_(
        EvaluationRound.status == RoundStatus.OPEN.value,
        or_(
            and_(Evaluation.status.in_(PENDING), self_deadline < today),
            and_(Evaluation.status == EvaluationStatus.SUBMITTED.value, appraisal_deadline < today),
        ),
    )


async def deadlines_of(
    session: AsyncSession, evaluation_ids: list[uuid.UUID], today: date
) -> dict[uuid.UUID, tuple[date | None, date | None, bool]]:
    """(self-assessment deadline, appraisal deadline, overdue) in force for each evaluation
    (already read through the scope)."""
    if not evaluation_ids:
        return {}
    deadlines = part_deadlines(
        EvaluationRound.id.in_(select(Evaluation.round_id).where(Evaluation.id.in_(evaluation_ids)))
    )
    self_deadline, appraisal_deadline = in_force(deadlines)
    stmt = (
        select(
            Evaluation.id,
            self_deadline,
            appraisal_deadline,
            overdue(self_deadline, appraisal_deadline, today),
        )
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .outerjoin(deadlines, on_part_deadlines(deadlines))
        .where(Evaluation.id.in_(evaluation_ids))
    )
    return {row[0]: (row[1], row[2], bool(row[3])) for row in (await session.execute(stmt)).all()}


async def part_has_units(
    session: AsyncSession, round_: EvaluationRound, union_id: uuid.UUID
) -> bool:
    stmt = select(exists().where(_in_part(round_, union_id)))
    return bool(await session.scalar(stmt))


async def part_evaluations(
    session: AsyncSession, round_: EvaluationRound, union_id: uuid.UUID, *, for_update: bool = False
) -> list[Evaluation]:
    """The part's evaluations (the caller was shown the union and the round)."""
    stmt = select(Evaluation).where(_in_part(round_, union_id))
    if for_update:
        stmt = stmt.with_for_update()
    return list((await session.scalars(stmt)).all())


async def part_counts(
    session: AsyncSession, round_: EvaluationRound, union_id: uuid.UUID
) -> dict[str, int]:
    stmt = (
        select(Evaluation.status, func.count())
        .where(_in_part(round_, union_id))
        .group_by(Evaluation.status)
    )
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


async def get_part(
    session: AsyncSession, round_id: uuid.UUID, union_id: uuid.UUID, *, for_update: bool = False
) -> EvaluationRoundPart | None:
    stmt = select(EvaluationRoundPart).where(
        EvaluationRoundPart.round_id == round_id, EvaluationRoundPart.union_id == union_id
    )
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def parts_of(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> list[Row[EvaluationRoundPart, str, str]]:
    """The round's parts run by unions the caller sees, with their names and paths."""
    stmt = (
        select(EvaluationRoundPart, Union.name, Union.path)
        .join(Union, Union.id == EvaluationRoundPart.union_id)
        .where(
            EvaluationRoundPart.round_id == round_id,
            in_scope(principal, EvaluationRoundPart.union_id, READ),
        )
        .order_by(Union.name, EvaluationRoundPart.id)
    )
    return list((await session.execute(stmt)).all())


async def unpublish_parts(session: AsyncSession, round_id: uuid.UUID) -> None:
    """Reopening a round reopens its parts."""
    await session.execute(
        update(EvaluationRoundPart)
        .where(EvaluationRoundPart.round_id == round_id)
        .values(published_at=None, version=EvaluationRoundPart.version + 1)
    )


@dataclass(frozen=True)
class Candidate:
    union_id: uuid.UUID
    level: str
    sector: str
    parent_id: uuid.UUID | None
    started: date | None
    restructured: date | None


async def round_candidates(
    session: AsyncSession, owner_union_id: uuid.UUID, period_end: date
) -> list[Candidate]:
    """The units a round rates: every grassroots, occupational and direct-superior union under
    the owner in the tree as of the end of the period (not the owner itself), with its parent
    then, the day it started and its last restructuring on or before that day."""
    period = aliased(UnionPeriod)
    first = (
        select(func.min(UnionPeriod.valid_from))
        .where(UnionPeriod.union_id == Union.id)
        .correlate(Union)
        .scalar_subquery()
    )
    restructured = (
        select(func.max(UnionEvent.effective_date))
        .where(
            UnionEvent.union_id == Union.id,
            UnionEvent.event_type.in_(RESTRUCTURE_EVENTS),
            UnionEvent.effective_date <= period_end,
        )
        .correlate(Union)
        .scalar_subquery()
    )
    stmt = (
        select(
            Union.id,
            Union.level,
            Union.sector,
            period.parent_id,
            func.coalesce(Union.founded_on, first),
            restructured,
        )
        .join(period, and_(period.union_id == Union.id, _live(period, period_end)))
        .where(
            Union.id.in_(subtree_ids(owner_union_id, as_of=period_end)),
            Union.id != owner_union_id,
            Union.level.in_(RATED_LEVELS),
            period.status == "active",
        )
        .order_by(Union.code)
    )
    return [Candidate(*row) for row in (await session.execute(stmt)).all()]


# ------------------------------------------------------------------ evaluations


def _evaluation_columns() -> tuple[Any, ...]:
    return (Evaluation, Union.code, Union.name, Union.sector, Union.path, Appraiser.path)


def _evaluation_base(principal: Principal) -> Any:
    return (
        select(*_evaluation_columns())
        .join(Union, Union.id == Evaluation.union_id)
        .outerjoin(Appraiser, Appraiser.id == Evaluation.appraiser_union_id)
        .where(in_scope(principal, Evaluation.union_id, READ))
    )


EvaluationRow = Row[Evaluation, str, str, str, str, str | None]


async def get_evaluation(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> EvaluationRow | None:
    """The evaluation with its union's code, name, sector and path and its appraiser's path."""
    stmt = _evaluation_base(principal).where(Evaluation.id == evaluation_id)
    if for_update:
        stmt = stmt.with_for_update(of=Evaluation)
    row: EvaluationRow | None = (await session.execute(stmt)).one_or_none()
    return row


@dataclass
class EvaluationFilters:
    round_id: uuid.UUID | None = None
    year: int | None = None
    union_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    appraiser_union_id: uuid.UUID | None = None
    status: list[str] | None = None
    level: list[str] | None = None
    # Only those late on `overdue` (its day: today), by the deadlines in force for each unit.
    overdue: date | None = None


def evaluations_query(principal: Principal, filters: EvaluationFilters) -> AnySelect:
    """Evaluation rows (see _evaluation_columns) in the caller's scope, matching `filters`."""
    where: list[Any] = [in_scope(principal, Evaluation.union_id, READ)]
    if filters.overdue is not None:
        deadlines = part_deadlines(EvaluationRound.status == RoundStatus.OPEN.value)
        late = (
            select(Evaluation.id)
            .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
            .outerjoin(deadlines, on_part_deadlines(deadlines))
            .where(overdue(*in_force(deadlines), filters.overdue))
        )
        where.append(Evaluation.id.in_(late))
    if filters.round_id is not None:
        where.append(Evaluation.round_id == filters.round_id)
    if filters.year is not None:
        where.append(Evaluation.year == filters.year)
    if filters.union_id is not None:
        where.append(Evaluation.union_id.in_(subtree_ids(filters.union_id)))
    if filters.unit_id is not None:
        where.append(Evaluation.union_id == filters.unit_id)
    if filters.appraiser_union_id is not None:
        where.append(Evaluation.appraiser_union_id == filters.appraiser_union_id)
    if filters.status:
        where.append(Evaluation.status.in_(filters.status))
    if filters.level:
        where.append(Evaluation.level.in_(filters.level))
    return (
        select(*_evaluation_columns())
        .join(Union, Union.id == Evaluation.union_id)
        .outerjoin(Appraiser, Appraiser.id == Evaluation.appraiser_union_id)
        .where(*where)
        .order_by(Evaluation.year.desc(), Union.code, Evaluation.id)
    )


async def round_rows(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> list[EvaluationRow]:
    """A round's evaluations the caller sees, by union code (a round's results table)."""
    stmt = _evaluation_base(principal).where(Evaluation.round_id == round_id)
    rows: list[EvaluationRow] = list((await session.execute(stmt.order_by(Union.code))).all())
    return rows


async def round_evaluations(
    session: AsyncSession, round_id: uuid.UUID, *, for_update: bool = False
) -> list[Evaluation]:
    """Every evaluation of a round the caller has already been shown (publishing, reopening)."""
    stmt = select(Evaluation).where(Evaluation.round_id == round_id)
    if for_update:
        stmt = stmt.with_for_update()
    return list((await session.scalars(stmt)).all())


# A rating the appraiser has not decided yet: it follows its unit when the unit moves.
UNDECIDED = (
    EvaluationStatus.DRAFT.value,
    EvaluationStatus.SUBMITTED.value,
    EvaluationStatus.RETURNED.value,
)


async def ratings_to_repoint(
    session: AsyncSession, unit_ids: Collection[uuid.UUID]
) -> list[tuple[Evaluation, uuid.UUID]]:
    """Undecided ratings of open rounds of `unit_ids` whose recorded appraiser is no longer the
    unit's direct superior, locked, each with that superior's id (evaluations.appraisers)."""
    if not unit_ids:
        return []
    stmt = unscoped(
        select(Evaluation, Union.parent_id)
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .join(Union, Union.id == Evaluation.union_id)
        .where(
            Evaluation.union_id.in_(list(unit_ids)),
            EvaluationRound.status == RoundStatus.OPEN.value,
            Evaluation.status.in_(UNDECIDED),
            Union.parent_id.is_not(None),
            Union.parent_id.is_distinct_from(Evaluation.appraiser_union_id),
        )
        .order_by(Evaluation.id)
        .with_for_update(of=Evaluation),
        reason="the units were just moved by a caller allowed to move them; their ratings "
        "follow whatever the caller may read",
    )
    # parent_id IS NOT NULL is in the statement; mypy reads the column's type.
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all() if row[1] is not None]


async def quota_counts(
    session: AsyncSession, evaluation: Evaluation, levels: list[str], level: str
) -> tuple[int, int]:
    """Under the evaluation's appraiser in its round, other than it: approved or published
    evaluations at `level`, and those at any of `levels`."""
    stmt = select(
        func.count().filter(Evaluation.level == level),
        func.count().filter(Evaluation.level.in_(levels)),
    ).where(
        Evaluation.round_id == evaluation.round_id,
        Evaluation.appraiser_union_id == evaluation.appraiser_union_id,
        Evaluation.status.in_((EvaluationStatus.APPROVED.value, EvaluationStatus.PUBLISHED.value)),
        Evaluation.id != evaluation.id,
    )
    row = (await session.execute(stmt)).one()
    return int(row[0]), int(row[1])


async def events_of(session: AsyncSession, evaluation_id: uuid.UUID) -> list[EvaluationEvent]:
    stmt = (
        select(EvaluationEvent)
        .where(EvaluationEvent.evaluation_id == evaluation_id)
        .order_by(EvaluationEvent.at, EvaluationEvent.id)
    )
    return list((await session.scalars(stmt)).all())


async def todo_counts(session: AsyncSession, principal: Principal, today: date) -> dict[str, int]:
    """What waits for the caller in open rounds: self-assessments of the units it fills in
    (not yet submitted, returned, past the deadline) and submissions it appraises."""
    # Parts of the round run by unions above a unit may set earlier deadlines for it.
    deadlines = part_deadlines(EvaluationRound.status == RoundStatus.OPEN.value)
    self_deadline, appraisal_deadline = in_force(deadlines)
    own = in_scope(principal, Evaluation.union_id, Permission.EVALUATIONS_SELF_ASSESS)
    appraised = in_scope(principal, Evaluation.appraiser_union_id, Permission.EVALUATIONS_APPRAISE)
    pending = Evaluation.status.in_(PENDING)
    submitted = Evaluation.status == EvaluationStatus.SUBMITTED.value
    stmt = (
        select(
            func.count().filter(own, pending),
            func.count().filter(own, Evaluation.status == EvaluationStatus.RETURNED.value),
            func.count().filter(own, pending, self_deadline < today),
            func.count().filter(appraised, submitted),
            func.count().filter(appraised, submitted, appraisal_deadline < today),
        )
        .select_from(Evaluation)
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .outerjoin(deadlines, on_part_deadlines(deadlines))
        .where(EvaluationRound.status == RoundStatus.OPEN.value, or_(own, appraised))
    )
    row = (await session.execute(stmt)).one()
    keys = (
        "to_submit",
        "returned",
        "overdue_self_assessments",
        "to_appraise",
        "overdue_appraisals",
    )
    return {k: int(v) for k, v in zip(keys, row, strict=True)}


# ------------------------------------------------------------------ evidence files
# Reached only through an evaluation already read through the scope (evaluations.evidence).


async def evidence_of(session: AsyncSession, evaluation_id: uuid.UUID) -> list[EvaluationEvidence]:
    stmt = (
        select(EvaluationEvidence)
        .where(EvaluationEvidence.evaluation_id == evaluation_id)
        .order_by(
            EvaluationEvidence.indicator, EvaluationEvidence.created_at, EvaluationEvidence.id
        )
    )
    return list((await session.scalars(stmt)).all())


async def get_evidence(
    session: AsyncSession,
    evaluation_id: uuid.UUID,
    evidence_id: uuid.UUID,
    *,
    with_content: bool = False,
) -> EvaluationEvidence | None:
    stmt = select(EvaluationEvidence).where(
        EvaluationEvidence.id == evidence_id, EvaluationEvidence.evaluation_id == evaluation_id
    )
    if with_content:
        stmt = stmt.options(undefer(EvaluationEvidence.content))
    return await session.scalar(stmt)


async def evidence_count(session: AsyncSession, evaluation_id: uuid.UUID, indicator: str) -> int:
    stmt = select(func.count()).where(
        EvaluationEvidence.evaluation_id == evaluation_id,
        EvaluationEvidence.indicator == indicator,
    )
    return int(await session.scalar(stmt) or 0)


# ------------------------------------------------------------------ data behind suggestions


async def members_on(session: AsyncSession, union_id: uuid.UUID, day: date) -> int:
    stmt = select(func.count()).where(
        MembershipPeriod.union_id == union_id,
        MembershipPeriod.status.in_(IN_MEMBERSHIP),
        _live(MembershipPeriod, day),
    )
    return int(await session.scalar(stmt) or 0)


async def admissions_between(
    session: AsyncSession, union_id: uuid.UUID, start: date, end: date
) -> int:
    stmt = select(func.count()).where(
        MemberEvent.union_id == union_id,
        MemberEvent.event_type == MemberEventType.ADMITTED.value,
        MemberEvent.effective_date.between(start, end),
    )
    return int(await session.scalar(stmt) or 0)


async def workers_on(
    session: AsyncSession, enterprise_id: uuid.UUID, day: date
) -> tuple[int, date] | None:
    """Workers of the enterprise's latest survey on or before `day`, and its date."""
    stmt = (
        select(WorkerSurvey.total_workers, WorkerSurvey.surveyed_on)
        .where(WorkerSurvey.enterprise_id == enterprise_id, WorkerSurvey.surveyed_on <= day)
        .order_by(
            WorkerSurvey.surveyed_on.desc(),
            WorkerSurvey.recorded_at.desc(),
            WorkerSurvey.id.desc(),
        )
        .limit(1)
    )
    row = (await session.execute(stmt)).one_or_none()
    return (int(row[0]), row[1]) if row else None


async def unions_founded_between(
    session: AsyncSession, union_id: uuid.UUID, start: date, end: date
) -> int:
    """Unions founded from `start` to `end` that stood under `union_id` (itself excluded) in
    the tree of `end`."""
    stmt = select(func.count(func.distinct(UnionEvent.union_id))).where(
        UnionEvent.event_type == UnionEventType.FOUNDED.value,
        UnionEvent.effective_date.between(start, end),
        UnionEvent.union_id.in_(subtree_ids(union_id, as_of=end)),
        UnionEvent.union_id != union_id,
    )
    return int(await session.scalar(stmt) or 0)


async def enterprise_of(session: AsyncSession, union_id: uuid.UUID) -> uuid.UUID | None:
    stmt = select(Union.enterprise_id).where(Union.id == union_id)
    return await session.scalar(stmt)


# ------------------------------------------------------------------ summary

# The summary's statements (`core.kept`), by the caller's scope, the union and the years: the
# chart and the years of the summary are asked again and again; building the statement and its
# SQL cache key cost about as much CPU as the database took to answer.
_SUMMARY_KEPT = Kept(64)


async def summary_counts(
    session: AsyncSession, principal: Principal, year: int, union_id: uuid.UUID, as_of: date
) -> list[Row[str, str, str, str | None, uuid.UUID, uuid.UUID | None, int]]:
    """(sector, kind, status, level, scheme id, child id, units): the evaluations of `year`
    whose union was under `union_id` in the tree of `as_of`, within the caller's scope of that
    day, counted per group; child id: the direct child of `union_id` the unit lay under (one
    recursive walk, so a split per child costs nothing more). A few dozen rows whatever the
    number of units."""
    stmt = _SUMMARY_KEPT.get(
        ("year", principal.scope_key, year, union_id, as_of),
        lambda: _summary_counts_query(principal, year, union_id, as_of),
    )
    return list((await session.execute(stmt)).all())


def _summary_counts_query(
    principal: Principal, year: int, union_id: uuid.UUID, as_of: date
) -> AnySelect:
    tree = subtree_by_child(union_id, as_of)
    keys = (
        Union.sector,
        Union.kind,
        Evaluation.status,
        Evaluation.level,
        EvaluationRound.scheme_id,
        tree.c.child_id,
    )
    stmt = (
        select(*keys, func.count())
        .join(tree, tree.c.id == Evaluation.union_id)
        .join(Union, Union.id == Evaluation.union_id)
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .where(
            Evaluation.year == year,
            Evaluation.union_id != union_id,
            in_scope_as_of(principal, Evaluation.union_id, as_of, under=union_id),
        )
        .group_by(*keys)
    )
    return stmt


async def summary_counts_years(
    session: AsyncSession, principal: Principal, years: list[int], union_id: uuid.UUID
) -> list[Row[int, str, str, str | None, uuid.UUID, int]]:
    """(year, sector, status, level, scheme id, units): `summary_counts` for several years in
    one statement, each year by the tree of its 31 December and the caller's scope of that
    day. The tree is walked once for all years (`tree_intervals`: the stretches of time each
    union spent under `union_id`), and an evaluation counts when its year's end falls in one
    of its union's stretches."""
    stmt = _SUMMARY_KEPT.get(
        ("years", principal.scope_key, tuple(years), union_id),
        lambda: _summary_counts_years_query(principal, years, union_id),
    )
    return list((await session.execute(stmt)).all())


def _summary_counts_years_query(
    principal: Principal, years: list[int], union_id: uuid.UUID
) -> AnySelect:
    days = [date(y, 12, 31) for y in years]
    tree = tree_intervals([union_id], name="summary_tree")
    # The stretches with their union's sector: a few thousand rows hashed, the evaluations
    # (read from `ix_evaluations_year_union_id` alone) probing them. Not materialized: as a
    # CTE scan the planner misjudged its size and hashed the 10,000 evaluations instead
    # (3 ms more of the database's CPU at 1M members).
    units = (
        select(tree.c.union_id, tree.c.valid_from, tree.c.valid_to, Union.sector)
        .join(Union, Union.id == tree.c.union_id)
        .cte("summary_units")
        .prefix_with("NOT MATERIALIZED")
    )
    year_end = func.make_date(Evaluation.year, 12, 31)
    keys = (
        Evaluation.year,
        units.c.sector,
        Evaluation.status,
        Evaluation.level,
        EvaluationRound.scheme_id,
    )
    stmt = (
        select(*keys, func.count())
        .join(units, and_(units.c.union_id == Evaluation.union_id, live_on(units, year_end)))
        .join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .where(
            Evaluation.year.in_(years),
            Evaluation.union_id != union_id,
            in_scope_on(principal, Evaluation.union_id, Evaluation.year, days, under=union_id),
        )
        .group_by(*keys)
    )
    return stmt


async def children_as_of(
    session: AsyncSession, union_id: uuid.UUID, as_of: date
) -> list[Row[uuid.UUID, str]]:
    """The direct children of a union in the tree of `as_of`, with their names then."""
    stmt = select(UnionPeriod.union_id, UnionPeriod.name).where(
        UnionPeriod.parent_id == union_id, _live(UnionPeriod, as_of)
    )
    return list((await session.execute(stmt)).all())
