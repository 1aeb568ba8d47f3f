"""One evaluation's cycle: the unit self-assesses and submits; its direct superior appraises,
returns it for revision or approves it (checked against the hard conditions and the quota);
an approved rating can be reopened with a reason until the round is published.

Who may do what is decided on the rows already read through the scope:
`principal.holds_at(<unit's path>, EVALUATIONS_SELF_ASSESS)` for the unit's side,
`principal.holds_at(<appraiser's path>, EVALUATIONS_APPRAISE)` for the superior's.
"""

import dataclasses
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.evaluations import history, sources
from unionhub.evaluations import repository as repo
from unionhub.evaluations.definition import (
    Rating,
    SchemeDefinition,
    Source,
    Variant,
    VariantKind,
    q2,
    rate,
)
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationAction,
    EvaluationRound,
    EvaluationScheme,
    EvaluationStatus,
    RoundStatus,
)
from unionhub.evaluations.rounds import definition_of
from unionhub.evaluations.schemas import EvaluationUpdate, OptionalNote, Reason

SELF = Permission.EVALUATIONS_SELF_ASSESS
APPRAISE = Permission.EVALUATIONS_APPRAISE
_SELF_FIELDS = frozenset({"self_scores", "self_flags", "self_note", "self_notes"})
_APPRAISAL_FIELDS = frozenset(
    {"appraisal_scores", "appraisal_flags", "appraisal_note", "appraisal_notes"}
)


@dataclass
class Loaded:
    evaluation: Evaluation
    union_code: str
    union_name: str
    sector: str
    union_path: str
    appraiser_path: str | None
    round: EvaluationRound
    scheme: SchemeDefinition
    # What the records say for the indicators and conditions that name a source.
    readings: dict[Source, sources.Reading] = dataclasses.field(default_factory=dict)

    @property
    def variant(self) -> Variant | None:
        if self.evaluation.variant is None:
            return None
        return self.scheme.variant(VariantKind(self.evaluation.variant))

    @property
    def data_flags(self) -> dict[str, bool]:
        """The records' answers to the `data_below` conditions they can answer."""
        return sources.condition_answers(self.scheme, self.readings)


async def load(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Loaded:
    """The evaluation if the caller sees its union (404 otherwise), with its round and rules."""
    row = await repo.get_evaluation(session, principal, evaluation_id, for_update=for_update)
    if row is None:
        raise NotFound("No evaluation with this id.", code=ErrorCode.EVALUATION_NOT_FOUND)
    evaluation, code, name, sector, union_path, appraiser_path = row
    round_ = await session.get(EvaluationRound, evaluation.round_id)
    assert round_ is not None
    scheme = await session.get(EvaluationScheme, round_.scheme_id)
    assert scheme is not None
    loaded = Loaded(
        evaluation,
        code,
        name,
        sector,
        union_path,
        appraiser_path,
        round_,
        definition_of(scheme),
    )
    variant = loaded.variant
    if variant is not None and evaluation.status != EvaluationStatus.INELIGIBLE.value:
        loaded.readings = await sources.readings(
            session,
            loaded.scheme,
            variant,
            evaluation.union_id,
            round_.period_start,
            round_.period_end,
        )
    return loaded


def may_self_assess(principal: Principal, loaded: Loaded) -> None:
    if not principal.holds_at(loaded.union_path, SELF):
        raise Forbidden(
            "Only the unit's own officers fill in its self-assessment.",
            code=ErrorCode.PERMISSION_DENIED,
        )


def _may_appraise(principal: Principal, loaded: Loaded) -> None:
    if not principal.holds_at(loaded.appraiser_path, APPRAISE):
        raise Forbidden(
            "Only officers of the unit's direct superior union appraise it.",
            code=ErrorCode.PERMISSION_DENIED,
        )


def check_open(loaded: Loaded) -> None:
    if loaded.round.status != RoundStatus.OPEN.value:
        raise Conflict(
            "The round's results are published; reopen the round first.",
            code=ErrorCode.ROUND_PUBLISHED,
        )


def check_status(loaded: Loaded, *allowed: EvaluationStatus) -> None:
    if loaded.evaluation.status not in {s.value for s in allowed}:
        raise Conflict(
            f"Not possible while the evaluation is {loaded.evaluation.status}.",
            code=ErrorCode.EVALUATION_STATUS,
            params={"status": loaded.evaluation.status},
        )


def scores_of(raw: dict[str, Any]) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in raw.items()}


def rating_of(loaded: Loaded, side: str) -> Rating | None:
    """The rating the self-assessment ("self") or the appraisal ("appraisal") would give."""
    variant = loaded.variant
    if variant is None:
        return None
    e = loaded.evaluation
    # Where the records answer a condition, their answer takes the place of the one entered.
    if side == "self":
        flags = {**e.self_flags, **loaded.data_flags}
        return rate(loaded.scheme, variant, scores_of(e.self_scores), flags)
    # The appraiser's flags decide; a flag the appraiser left alone keeps the unit's answer.
    flags = {**e.self_flags, **e.appraisal_flags, **loaded.data_flags}
    return rate(loaded.scheme, variant, scores_of(e.appraisal_scores), flags)


def _check_sheet(
    loaded: Loaded,
    field: str,
    scores: dict[str, Decimal] | None,
    flags_field: str,
    flags: dict[str, bool] | None,
    notes_field: str,
    notes: dict[str, str | None] | None,
) -> None:
    variant = loaded.variant
    assert variant is not None
    maxima = {i.code: i.max_points for i in variant.indicators()}
    for code, points in (scores or {}).items():
        if code not in maxima:
            raise Unprocessable(
                f"{field}.{code}",
                ErrorCode.UNKNOWN_INDICATOR,
                f"The scheme has no indicator {code}.",
                params={"indicator": code},
            )
        if points > maxima[code]:
            raise Unprocessable(
                f"{field}.{code}",
                ErrorCode.ABOVE_MAX_POINTS,
                f"Indicator {code} gives at most {maxima[code]} points.",
                params={"indicator": code, "value": float(points), "max": float(maxima[code])},
            )
    for code in notes or {}:
        if code not in maxima:
            raise Unprocessable(
                f"{notes_field}.{code}",
                ErrorCode.UNKNOWN_INDICATOR,
                f"The scheme has no indicator {code}.",
                params={"indicator": code},
            )
    known_flags = {c.code for c in loaded.scheme.conditions if c.answerable}
    for code in flags or {}:
        if code not in known_flags:
            raise Unprocessable(
                f"{flags_field}.{code}",
                ErrorCode.UNKNOWN_CONDITION,
                f"The scheme has no condition {code}.",
                params={"condition": code},
            )


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    evaluation: Evaluation,
    before: dict[str, Any],
) -> None:
    await session.flush()
    await session.refresh(evaluation, ["updated_at"])
    await audit.record(
        session,
        principal,
        f"evaluation.{action}",
        "evaluation",
        evaluation.id,
        union_id=evaluation.union_id,
        before=before,
        after=snapshot(evaluation),
    )
    await session.flush()


async def update_scores(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    data: EvaluationUpdate,
    if_match: int | None,
) -> Loaded:
    """Save points, condition answers and notes of one side (given scores are merged into the
    sheet). The unit's side while draft or returned; the superior's while submitted."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    given = data.model_dump(exclude_unset=True)
    check_open(loaded)
    check_version(loaded.evaluation, if_match, "evaluation")
    if given.keys() & _SELF_FIELDS:
        may_self_assess(principal, loaded)
        check_status(loaded, EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
        _check_sheet(
            loaded,
            "self_scores",
            data.self_scores,
            "self_flags",
            data.self_flags,
            "self_notes",
            data.self_notes,
        )
    if given.keys() & _APPRAISAL_FIELDS:
        _may_appraise(principal, loaded)
        check_status(loaded, EvaluationStatus.SUBMITTED)
        _check_sheet(
            loaded,
            "appraisal_scores",
            data.appraisal_scores,
            "appraisal_flags",
            data.appraisal_flags,
            "appraisal_notes",
            data.appraisal_notes,
        )
    if not given:
        return loaded
    e = loaded.evaluation
    before = snapshot(e)
    for field in ("self_scores", "appraisal_scores"):
        if given.get(field) is not None:
            merged = {**getattr(e, field), **{k: str(q2(v)) for k, v in given[field].items()}}
            setattr(e, field, merged)
    for field in ("self_flags", "appraisal_flags"):
        if given.get(field) is not None:
            setattr(e, field, {**getattr(e, field), **given[field]})
    for field in ("self_notes", "appraisal_notes"):
        if given.get(field) is not None:
            # A null note takes the indicator's note away.
            merged = {**getattr(e, field), **given[field]}
            setattr(e, field, {k: v for k, v in merged.items() if v})
    for field in ("self_note", "appraisal_note"):
        if field in given:
            setattr(e, field, given[field])
    e.version += 1
    history.add(
        session, principal, e, EvaluationAction.SCORED, e.status, details={"fields": sorted(given)}
    )
    await _audit(session, principal, "score", e, before)
    return loaded


def _record_data_answers(loaded: Loaded, flags_field: str) -> None:
    """Keep the records' answers in the sheet submitted or approved, so the stored rating says
    what decided it even after the records change."""
    answers = loaded.data_flags
    if answers:
        e = loaded.evaluation
        setattr(e, flags_field, {**getattr(e, flags_field), **answers})


def _missing(loaded: Loaded, scores: dict[str, Any]) -> list[str]:
    variant = loaded.variant
    assert variant is not None
    return [i.code for i in variant.indicators() if i.code not in scores]


async def submit(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    data: OptionalNote,
    if_match: int | None,
) -> Loaded:
    """The unit submits its complete self-assessment to its direct superior."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    check_open(loaded)
    may_self_assess(principal, loaded)
    check_version(loaded.evaluation, if_match, "evaluation")
    check_status(loaded, EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
    missing = _missing(loaded, loaded.evaluation.self_scores)
    if missing:
        raise Unprocessable(
            "self_scores",
            ErrorCode.SCORES_INCOMPLETE,
            f"Points missing for: {', '.join(missing)}.",
            params={"missing": ", ".join(missing), "count": len(missing)},
        )
    before = snapshot(loaded.evaluation)
    rating = rating_of(loaded, "self")
    _record_data_answers(loaded, "self_flags")
    history.transition(
        session,
        principal,
        loaded.evaluation,
        EvaluationAction.SUBMITTED,
        EvaluationStatus.SUBMITTED,
        note=data.note,
        details={"total": rating.total, "level": rating.level} if rating else None,
    )
    await _audit(session, principal, "submit", loaded.evaluation, before)
    return loaded


async def return_for_revision(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    data: Reason,
    if_match: int | None,
) -> Loaded:
    """The superior sends a submission back to the unit, saying what to revise."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    check_open(loaded)
    _may_appraise(principal, loaded)
    check_version(loaded.evaluation, if_match, "evaluation")
    check_status(loaded, EvaluationStatus.SUBMITTED)
    before = snapshot(loaded.evaluation)
    history.transition(
        session,
        principal,
        loaded.evaluation,
        EvaluationAction.RETURNED,
        EvaluationStatus.RETURNED,
        note=data.reason,
    )
    await _audit(session, principal, "return", loaded.evaluation, before)
    return loaded


async def _check_quota(session: AsyncSession, loaded: Loaded, level: str) -> None:
    quota = loaded.scheme.quota
    if quota is None or level != quota.level:
        return
    at_level, in_base = await repo.quota_counts(
        session, loaded.evaluation, list(quota.of_levels), quota.level
    )
    count = at_level + 1
    base = in_base + (1 if level in quota.of_levels else 0)
    if count > quota.max_share * base:
        raise Conflict(
            f"At most {quota.max_share:.0%} of the units rated {', '.join(quota.of_levels)} "
            f"under one appraising union may be rated {quota.level}: this would make "
            f"{count} of {base}.",
            code=ErrorCode.QUOTA_EXCEEDED,
            params={
                "level": quota.level,
                "max_share": float(quota.max_share),
                "count": count,
                "base": base,
            },
        )


async def approve(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    data: OptionalNote,
    if_match: int | None,
) -> Loaded:
    """The superior approves its complete appraisal: the level is the band of its points,
    capped by any hard condition that holds, and refused when it would break the quota."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    check_open(loaded)
    _may_appraise(principal, loaded)
    check_version(loaded.evaluation, if_match, "evaluation")
    check_status(loaded, EvaluationStatus.SUBMITTED)
    missing = _missing(loaded, loaded.evaluation.appraisal_scores)
    if missing:
        raise Unprocessable(
            "appraisal_scores",
            ErrorCode.APPRAISAL_INCOMPLETE,
            f"Appraisal points missing for: {', '.join(missing)}.",
            params={"missing": ", ".join(missing), "count": len(missing)},
        )
    rating = rating_of(loaded, "appraisal")
    assert rating is not None
    await _check_quota(session, loaded, rating.level)
    e = loaded.evaluation
    before = snapshot(e)
    _record_data_answers(loaded, "appraisal_flags")
    e.total_points = rating.total
    e.level = rating.level
    e.group_points = None  # the appraisal's sheet now holds the points
    history.transition(
        session,
        principal,
        e,
        EvaluationAction.APPROVED,
        EvaluationStatus.APPROVED,
        note=data.note,
        details={
            "total": rating.total,
            "band_level": rating.band_level,
            "level": rating.level,
            "caps": rating.caps,
        },
    )
    await _audit(session, principal, "approve", e, before)
    return loaded


async def reopen(
    session: AsyncSession,
    principal: Principal,
    evaluation_id: uuid.UUID,
    data: Reason,
    if_match: int | None,
) -> Loaded:
    """Take an approved rating back to appraisal (with the reason); not once published."""
    loaded = await load(session, principal, evaluation_id, for_update=True)
    check_open(loaded)
    _may_appraise(principal, loaded)
    check_version(loaded.evaluation, if_match, "evaluation")
    check_status(loaded, EvaluationStatus.APPROVED)
    e = loaded.evaluation
    before = snapshot(e)
    e.total_points = None
    e.level = None
    history.transition(
        session,
        principal,
        e,
        EvaluationAction.REOPENED,
        EvaluationStatus.SUBMITTED,
        note=data.reason,
    )
    await _audit(session, principal, "reopen", e, before)
    return loaded
