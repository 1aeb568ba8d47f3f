"""Schemes and rounds: adding a scheme version, opening a round for every unit under a union
(eligible or listed with the reason it is not), publishing and reopening it.

Services only flush; the request commits once. Every write is audited.
"""

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.evaluations import history
from unionhub.evaluations import repository as repo
from unionhub.evaluations.definition import SchemeDefinition, variant_for
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationAction,
    EvaluationRound,
    EvaluationScheme,
    EvaluationStatus,
    PeriodKind,
    RoundStatus,
)
from unionhub.evaluations.schemas import Reason, RoundCreate, SchemeCreate
from unionhub.unions.models import UnionLevel, UnionStatus

APPRAISE = Permission.EVALUATIONS_APPRAISE
OWNER_LEVELS = frozenset({UnionLevel.PROVINCE_FEDERATION.value, UnionLevel.DIRECT_SUPERIOR.value})
# Hướng dẫn 1294: rated after 12 months since founding, 6 since a split, merger or consolidation.
MONTHS_SINCE_FOUNDING = 12
MONTHS_SINCE_RESTRUCTURE = 6


class IneligibleReason:
    TOO_NEW = "operating_less_than_12_months"
    RESTRUCTURED = "restructured_less_than_6_months"
    NO_VARIANT = "no_variant_for_union_type"


def period_of(kind: str, year: int) -> tuple[date, date]:
    """First and last day of the period rated as `year`."""
    if kind == PeriodKind.SCHOOL_YEAR.value:
        return date(year - 1, 9, 1), date(year, 8, 31)
    return date(year, 1, 1), date(year, 12, 31)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    # The 31st plus one month is the last day of the shorter month.
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def ineligible_reason(candidate: repo.Candidate, period_end: date) -> str | None:
    """Why a unit is not rated for the period ending `period_end`, or None when it is."""
    day_after = period_end + timedelta(days=1)
    if (
        candidate.started is not None
        and add_months(candidate.started, MONTHS_SINCE_FOUNDING) > day_after
    ):
        return IneligibleReason.TOO_NEW
    if (
        candidate.restructured is not None
        and add_months(candidate.restructured, MONTHS_SINCE_RESTRUCTURE) > day_after
    ):
        return IneligibleReason.RESTRUCTURED
    return None


# ------------------------------------------------------------------ schemes


async def create_scheme(
    session: AsyncSession, principal: Principal, data: SchemeCreate
) -> EvaluationScheme:
    """Add a scheme; with the code of an existing one it becomes that scheme's next version."""
    version = await repo.last_version(session, data.code) + 1
    scheme = EvaluationScheme(
        code=data.code,
        version=version,
        name=data.name,
        legal_basis=data.legal_basis,
        effective_from=data.effective_from,
        effective_to=data.effective_to,
        period_kind=data.period_kind.value,
        definition=data.definition.model_dump(mode="json"),
    )
    session.add(scheme)
    await session.flush()
    await audit.record(
        session,
        principal,
        "evaluation_scheme.create",
        "evaluation_scheme",
        scheme.id,
        union_id=None,
        after=snapshot(scheme),
    )
    await session.flush()
    return scheme


async def load_scheme(session: AsyncSession, scheme_id: uuid.UUID) -> EvaluationScheme:
    scheme = await repo.get_scheme(session, scheme_id)
    if scheme is None:
        raise NotFound("No evaluation scheme with this id.", code=ErrorCode.SCHEME_NOT_FOUND)
    return scheme


def definition_of(scheme: EvaluationScheme) -> SchemeDefinition:
    return SchemeDefinition.model_validate(scheme.definition)


# ------------------------------------------------------------------ rounds


async def load_round(
    session: AsyncSession,
    principal: Principal,
    round_id: uuid.UUID,
    permission: Permission = Permission.EVALUATIONS_READ,
    *,
    for_update: bool = False,
) -> tuple[EvaluationRound, str]:
    """The round and its owner's name: 404 unseen, 403 seen without `permission` at the owner."""
    row = await repo.get_round(session, principal, round_id, for_update=for_update)
    if row is None:
        raise NotFound("No evaluation round with this id.", code=ErrorCode.ROUND_NOT_FOUND)
    round_, owner_name, owner_path = row
    if permission != Permission.EVALUATIONS_READ and not principal.holds_at(owner_path, permission):
        raise Forbidden(
            "Only officers of the union that opened the round may do this.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    return round_, owner_name


async def open_round(
    session: AsyncSession, principal: Principal, data: RoundCreate
) -> EvaluationRound:
    """Open a round under a union: one evaluation per unit under it in the tree as of the end of
    the period; units not yet eligible are listed with the reason and never rated."""
    owner = await get_union_in_scope(session, principal, data.owner_union_id, APPRAISE)
    if owner.level not in OWNER_LEVELS or owner.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            "owner_union_id",
            ErrorCode.ROUND_OWNER_LEVEL,
            "A round is opened by an active provincial federation or direct-superior union.",
        )
    scheme = await repo.get_scheme(session, data.scheme_id)
    if scheme is None:
        raise Unprocessable(
            "scheme_id", ErrorCode.SCHEME_NOT_FOUND, "No evaluation scheme with this id."
        )
    start, end = period_of(scheme.period_kind, data.year)
    if end < scheme.effective_from or (
        scheme.effective_to is not None and start > scheme.effective_to
    ):
        raise Unprocessable(
            "scheme_id",
            ErrorCode.SCHEME_NOT_IN_FORCE,
            f"The scheme is not in force for {data.year}.",
            params={"year": data.year},
        )
    if await repo.round_exists(session, owner.id, data.year):
        raise Conflict(
            f"This union already has a round for {data.year}.",
            code=ErrorCode.ROUND_EXISTS,
            params={"year": data.year},
        )
    definition = definition_of(scheme)
    round_ = EvaluationRound(
        year=data.year,
        scheme_id=scheme.id,
        owner_union_id=owner.id,
        name=data.name or f"Đánh giá, xếp loại năm {data.year}",
        period_start=start,
        period_end=end,
        self_assessment_deadline=data.self_assessment_deadline,
        appraisal_deadline=data.appraisal_deadline,
        status=RoundStatus.OPEN.value,
        version=1,
    )
    session.add(round_)
    await session.flush()
    evaluations = []
    taken = await repo.already_rated(session, data.year)
    for candidate in await repo.round_candidates(session, owner.id, end):
        if candidate.union_id in taken:
            continue  # a round of another union already rates it this year
        kind = variant_for(candidate.level, candidate.sector)
        variant = definition.variant(kind)
        reason = ineligible_reason(candidate, end)
        if reason is None and variant is None:
            reason = IneligibleReason.NO_VARIANT
        evaluations.append(
            Evaluation(
                round_id=round_.id,
                year=data.year,
                union_id=candidate.union_id,
                appraiser_union_id=candidate.parent_id,
                variant=variant.applies_to.value if variant else None,
                status=(EvaluationStatus.INELIGIBLE if reason else EvaluationStatus.DRAFT).value,
                ineligible_reason=reason,
                self_scores={},
                self_flags={},
                appraisal_scores={},
                appraisal_flags={},
                version=1,
            )
        )
    session.add_all(evaluations)
    await session.flush()
    for evaluation in evaluations:
        history.add(session, principal, evaluation, EvaluationAction.CREATED, None)
    await audit.record(
        session,
        principal,
        "evaluation_round.open",
        "evaluation_round",
        round_.id,
        union_id=owner.id,
        after={**snapshot(round_), "evaluations": len(evaluations)},
    )
    await session.flush()
    return round_


async def publish_round(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> EvaluationRound:
    """Publish a round's results: every eligible unit must be approved; then all are locked."""
    round_, _ = await load_round(session, principal, round_id, APPRAISE, for_update=True)
    if round_.status == RoundStatus.PUBLISHED.value:
        raise Conflict("The round is already published.", code=ErrorCode.ROUND_PUBLISHED)
    evaluations = await repo.round_evaluations(session, round_.id, for_update=True)
    # A lower union may have published its part already (evaluations.parts).
    done = (
        EvaluationStatus.APPROVED.value,
        EvaluationStatus.INELIGIBLE.value,
        EvaluationStatus.PUBLISHED.value,
    )
    pending = [e for e in evaluations if e.status not in done]
    if pending:
        raise Conflict(
            f"{len(pending)} evaluation(s) of the round are not approved yet.",
            code=ErrorCode.ROUND_NOT_COMPLETE,
            params={"pending": len(pending)},
        )
    before = snapshot(round_)
    for evaluation in evaluations:
        if evaluation.status == EvaluationStatus.APPROVED.value:
            history.transition(
                session,
                principal,
                evaluation,
                EvaluationAction.PUBLISHED,
                EvaluationStatus.PUBLISHED,
            )
    round_.status = RoundStatus.PUBLISHED.value
    round_.published_at = datetime.now(UTC)
    round_.version += 1
    await session.flush()
    await session.refresh(round_, ["updated_at"])
    await audit.record(
        session,
        principal,
        "evaluation_round.publish",
        "evaluation_round",
        round_.id,
        union_id=round_.owner_union_id,
        before=before,
        after=snapshot(round_),
    )
    await session.flush()
    return round_


async def reopen_round(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, data: Reason
) -> EvaluationRound:
    """Unlock a published round (the reason is kept in the audit log and every unit's history);
    its results go back to approved, so a rating can be reopened and corrected, and the parts
    lower unions had published are open again."""
    round_, _ = await load_round(session, principal, round_id, APPRAISE, for_update=True)
    if round_.status != RoundStatus.PUBLISHED.value:
        raise Conflict(
            "Only a published round can be reopened.", code=ErrorCode.ROUND_NOT_PUBLISHED
        )
    before = snapshot(round_)
    for evaluation in await repo.round_evaluations(session, round_.id, for_update=True):
        if evaluation.status == EvaluationStatus.PUBLISHED.value:
            history.transition(
                session,
                principal,
                evaluation,
                EvaluationAction.REOPENED,
                EvaluationStatus.APPROVED,
                note=data.reason,
            )
    round_.status = RoundStatus.OPEN.value
    round_.published_at = None
    await repo.unpublish_parts(session, round_.id)
    round_.version += 1
    await session.flush()
    await session.refresh(round_, ["updated_at"])
    await audit.record(
        session,
        principal,
        "evaluation_round.reopen",
        "evaluation_round",
        round_.id,
        union_id=round_.owner_union_id,
        before=before,
        after={**snapshot(round_), "reason": data.reason},
    )
    await session.flush()
    return round_
