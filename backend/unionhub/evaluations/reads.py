"""What readers see: rounds with their counts, evaluations with the ratings each side's points
would give, and the scores the records suggest for indicators they can answer."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.evaluations import repository as repo
from unionhub.evaluations import sources
from unionhub.evaluations.definition import SchemeDefinition, VariantKind, rate
from unionhub.evaluations.models import Evaluation, EvaluationRound, EvaluationScheme
from unionhub.evaluations.rounds import definition_of, load_round
from unionhub.evaluations.schemas import (
    ConditionAnswer,
    EvaluationDetail,
    EvaluationRead,
    EventRead,
    RatingRead,
    RoundRead,
    Suggestion,
    Todo,
)
from unionhub.evaluations.service import APPRAISE, SELF, Loaded, load, rating_of, scores_of


def round_read(round_: EvaluationRound, owner_name: str, counts: dict[str, int]) -> RoundRead:
    data = {c.key: getattr(round_, c.key) for c in EvaluationRound.__table__.columns}
    return RoundRead.model_validate({**data, "owner_union_name": owner_name, "counts": counts})


async def get_round(session: AsyncSession, principal: Principal, round_id: uuid.UUID) -> RoundRead:
    round_, owner_name = await load_round(session, principal, round_id)
    counts = await repo.status_counts(session, principal, [round_.id])
    return round_read(round_, owner_name, counts[round_.id])


async def list_rounds(
    session: AsyncSession, principal: Principal, year: int | None, page: PageParams
) -> Page[RoundRead]:
    async def with_counts(rows: list[Any]) -> list[RoundRead]:
        counts = await repo.status_counts(session, principal, [r[0].id for r in rows])
        return [round_read(r, name, counts[r.id]) for r, name in rows]

    return await paginate(session, repo.rounds_query(principal, year), page, with_counts)


Deadlines = dict[uuid.UUID, tuple[date | None, date | None, bool]]


def _read(
    e: Evaluation,
    code: str,
    name: str,
    sector: str,
    strong_levels: list[str],
    deadlines: Deadlines,
) -> dict[str, object]:
    self_deadline, appraisal_deadline, overdue = deadlines.get(e.id, (None, None, False))
    return {
        **{c.key: getattr(e, c.key) for c in Evaluation.__table__.columns},
        "self_scores": scores_of(e.self_scores),
        "appraisal_scores": scores_of(e.appraisal_scores),
        "union_code": code,
        "union_name": name,
        "sector": sector,
        "strong": None if e.level is None else e.level in strong_levels,
        "self_assessment_deadline": self_deadline,
        "appraisal_deadline": appraisal_deadline,
        "overdue": overdue,
    }


async def list_evaluations(
    session: AsyncSession,
    principal: Principal,
    filters: repo.EvaluationFilters,
    page: PageParams,
) -> Page[EvaluationRead]:

    async def with_levels(rows: list[Any]) -> list[EvaluationRead]:
        strong: dict[uuid.UUID, list[str]] = {}
        for round_id in {row[0].round_id for row in rows}:
            round_ = await session.get(EvaluationRound, round_id)
            assert round_ is not None
            scheme = await session.get(EvaluationScheme, round_.scheme_id)
            assert scheme is not None
            strong[round_id] = definition_of(scheme).strong_levels
        deadlines = await repo.deadlines_of(session, [row[0].id for row in rows], date.today())
        return [
            EvaluationRead.model_validate(
                _read(e, code, name, sector, strong[e.round_id], deadlines)
            )
            for e, code, name, sector, _, _ in rows
        ]

    return await paginate(session, repo.evaluations_query(principal, filters), page, with_levels)


def _rating(loaded: Loaded, side: str) -> RatingRead | None:
    rating = rating_of(loaded, side)
    return RatingRead.model_validate(rating.model_dump()) if rating else None


def suggestions(loaded: Loaded) -> list[Suggestion]:
    """Scores computed from the records for indicators that name a source."""
    variant = loaded.variant
    if variant is None:
        return []
    out: list[Suggestion] = []
    for indicator in variant.indicators():
        reading = loaded.readings.get(indicator.source) if indicator.source else None
        if reading is None:
            continue
        out.append(
            Suggestion(
                indicator=indicator.code,
                source=reading.source.value,
                value=reading.value,
                suggested_points=sources.suggested_points(indicator, reading),
                facts=reading.facts,
                detail=reading.detail,
            )
        )
    return out


def condition_answers(loaded: Loaded) -> list[ConditionAnswer]:
    """The `data_below` conditions with what the records say (holds None: they cannot say)."""
    out: list[ConditionAnswer] = []
    for condition in loaded.scheme.conditions:
        if condition.kind != "data_below" or condition.source is None:
            continue
        reading = loaded.readings.get(condition.source)
        out.append(
            ConditionAnswer(
                condition=condition.code,
                source=condition.source.value,
                threshold=condition.threshold,
                value=reading.value if reading else None,
                holds=sources.holds(condition, reading),
                facts=reading.facts if reading else {},
                detail=reading.detail if reading else "",
            )
        )
    return out


async def detail_of(
    session: AsyncSession, principal: Principal, loaded: Loaded
) -> EvaluationDetail:
    base = _read(
        loaded.evaluation,
        loaded.union_code,
        loaded.union_name,
        loaded.sector,
        loaded.scheme.strong_levels,
        await repo.deadlines_of(session, [loaded.evaluation.id], date.today()),
    )
    return EvaluationDetail.model_validate(
        {
            **base,
            "self_rating": _rating(loaded, "self"),
            "appraisal_rating": _rating(loaded, "appraisal"),
            "suggestions": suggestions(loaded),
            "condition_answers": condition_answers(loaded),
            "may_self_assess": principal.holds_at(loaded.union_path, SELF),
            "may_appraise": loaded.appraiser_path is not None
            and principal.holds_at(loaded.appraiser_path, APPRAISE),
        }
    )


async def get_evaluation(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> EvaluationDetail:
    return await detail_of(session, principal, await load(session, principal, evaluation_id))


async def history_of(
    session: AsyncSession, principal: Principal, evaluation_id: uuid.UUID
) -> list[EventRead]:
    loaded = await load(session, principal, evaluation_id)
    events = await repo.events_of(session, loaded.evaluation.id)
    return [EventRead.model_validate(e) for e in events]


async def todo(session: AsyncSession, principal: Principal) -> Todo:
    """The caller's waiting work in open rounds (see `repository.todo_counts`)."""
    return Todo.model_validate(await repo.todo_counts(session, principal, date.today()))


@dataclass(frozen=True)
class ResultRow:
    code: str
    name: str
    sector: str
    status: str
    ineligible_reason: str | None
    groups: dict[str, Decimal]
    total: Decimal | None
    level: str | None
    strong: bool | None


async def round_results(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> tuple[EvaluationRound, SchemeDefinition, list[ResultRow]]:
    """A round's results as a table: points per group (the appraisal's, else the unit's own),
    total and level for every unit the caller sees (404 for a round it cannot see)."""
    round_, _ = await load_round(session, principal, round_id)
    scheme = await session.get(EvaluationScheme, round_.scheme_id)
    assert scheme is not None
    definition = definition_of(scheme)
    out: list[ResultRow] = []
    for e, code, name, sector, _, _ in await repo.round_rows(session, principal, round_.id):
        variant = definition.variant(VariantKind(e.variant)) if e.variant else None
        rating = None
        if variant is not None and (e.appraisal_scores or e.self_scores):
            sheet = e.appraisal_scores or e.self_scores
            flags = {**e.self_flags, **e.appraisal_flags}
            rating = rate(definition, variant, scores_of(sheet), flags)
        level = e.level or (rating.level if rating else None)
        out.append(
            ResultRow(
                code=code,
                name=name,
                sector=sector,
                status=e.status,
                ineligible_reason=e.ineligible_reason,
                # An imported result has its groups' points only.
                groups=(
                    {k: Decimal(v) for k, v in e.group_points.items()}
                    if e.group_points
                    else rating.groups
                    if rating
                    else {}
                ),
                total=e.total_points
                if e.total_points is not None
                else (rating.total if rating else None),
                level=level,
                strong=None if level is None else level in definition.strong_levels,
            )
        )
    return round_, definition, out
