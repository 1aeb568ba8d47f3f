"""A lower union's part of a round opened above it ("lower upper-level unions can run their part
of it"): a district federation under the province's round sets its own deadlines for its units,
no later than the round's, and publishes their results before the province publishes the whole.

The part covers the units rated in the round that stood under the union in the round's tree
(as of the end of the period), the union's own rating excepted (its superior appraises that).
Its deadlines apply to every one of those units, however deep (not only those it appraises
directly): for each unit the deadline in force is the earliest of the round's and those of the
parts of the unions above it (`repository.part_deadlines`), in the to-do counts, the late list
(`overdue=true`) and each rating's sheet. Publishing the part
locks its units' results exactly as the round's publication does; the province's publication
then takes the rest, and reopening the round reopens every part. Every step is audited on the
round and in each unit's history.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Unprocessable
from unionhub.evaluations import history
from unionhub.evaluations import repository as repo
from unionhub.evaluations.models import (
    EvaluationAction,
    EvaluationRound,
    EvaluationRoundPart,
    EvaluationStatus,
    RoundStatus,
)
from unionhub.evaluations.rounds import load_round
from unionhub.evaluations.schemas import PartRead, PartSet, Reason
from unionhub.unions.models import Union

APPRAISE = Permission.EVALUATIONS_APPRAISE
DONE = (
    EvaluationStatus.APPROVED.value,
    EvaluationStatus.INELIGIBLE.value,
    EvaluationStatus.PUBLISHED.value,
)


async def _load(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, union_id: uuid.UUID
) -> tuple[EvaluationRound, Union, EvaluationRoundPart | None]:
    """The open round (404 unseen), the union running the part (404 outside the caller's
    scope, 403 without the right to appraise there) and its part so far, all locked."""
    round_, _ = await load_round(session, principal, round_id, for_update=True)
    union = await get_union_in_scope(session, principal, union_id, APPRAISE)
    if union.id == round_.owner_union_id or not await repo.part_has_units(
        session, round_, union.id
    ):
        raise Unprocessable(
            "union_id",
            ErrorCode.PART_NOT_UNDER_ROUND,
            "The union has no units rated in this round under it (the round's owner runs the "
            "round itself).",
            in_="path",
        )
    if round_.status != RoundStatus.OPEN.value:
        raise Conflict(
            "The round's results are published; the round must be reopened first.",
            code=ErrorCode.ROUND_PUBLISHED,
        )
    part = await repo.get_part(session, round_.id, union.id, for_update=True)
    return round_, union, part


async def _read(
    session: AsyncSession,
    round_: EvaluationRound,
    part: EvaluationRoundPart,
    union_name: str,
    *,
    may_run: bool = True,
) -> PartRead:
    counts = await repo.part_counts(session, round_, part.union_id)
    data = {c.key: getattr(part, c.key) for c in EvaluationRoundPart.__table__.columns}
    return PartRead.model_validate(
        {**data, "union_name": union_name, "counts": counts, "may_run": may_run}
    )


async def _audit_part(
    session: AsyncSession,
    principal: Principal,
    action: str,
    part: EvaluationRoundPart,
    before: dict[str, object] | None,
    **extra: object,
) -> None:
    await session.flush()
    await session.refresh(part, ["updated_at"])
    await audit.record(
        session,
        principal,
        action,
        "evaluation_round",
        part.round_id,
        union_id=part.union_id,
        before=before,
        after={**snapshot(part), **extra},
    )
    await session.flush()


def _part(
    session: AsyncSession, round_: EvaluationRound, union: Union, part: EvaluationRoundPart | None
) -> EvaluationRoundPart:
    if part is None:
        part = EvaluationRoundPart(round_id=round_.id, union_id=union.id, version=0)
        session.add(part)
    part.version += 1
    return part


async def set_part(
    session: AsyncSession,
    principal: Principal,
    round_id: uuid.UUID,
    union_id: uuid.UUID,
    data: PartSet,
) -> PartRead:
    """Set (or clear) the union's own deadlines for its units; none later than the round's."""
    round_, union, part = await _load(session, principal, round_id, union_id)
    for field in ("self_assessment_deadline", "appraisal_deadline"):
        mine, rounds = getattr(data, field), getattr(round_, field)
        if mine is not None and rounds is not None and mine > rounds:
            raise Unprocessable(
                field,
                ErrorCode.PART_DEADLINE_AFTER_ROUND,
                f"The round's own deadline is {rounds.isoformat()}; a part's may only be earlier.",
                params={"deadline": rounds},
            )
    before = snapshot(part) if part else None
    part = _part(session, round_, union, part)
    part.self_assessment_deadline = data.self_assessment_deadline
    part.appraisal_deadline = data.appraisal_deadline
    await _audit_part(session, principal, "evaluation_round.part_set", part, before)
    return await _read(session, round_, part, union.name)


async def publish_part(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID, union_id: uuid.UUID
) -> PartRead:
    """Publish the results of the union's units: every eligible one must be approved; then
    they are locked as the round's publication locks them."""
    round_, union, part = await _load(session, principal, round_id, union_id)
    if part is not None and part.published_at is not None:
        raise Conflict("This part's results are already published.", code=ErrorCode.ROUND_PUBLISHED)
    evaluations = await repo.part_evaluations(session, round_, union.id, for_update=True)
    pending = [e for e in evaluations if e.status not in DONE]
    if pending:
        raise Conflict(
            f"{len(pending)} evaluation(s) of the part are not approved yet.",
            code=ErrorCode.ROUND_NOT_COMPLETE,
            params={"pending": len(pending)},
        )
    before = snapshot(part) if part else None
    for evaluation in evaluations:
        if evaluation.status == EvaluationStatus.APPROVED.value:
            history.transition(
                session,
                principal,
                evaluation,
                EvaluationAction.PUBLISHED,
                EvaluationStatus.PUBLISHED,
            )
    part = _part(session, round_, union, part)
    part.published_at = datetime.now(UTC)
    await _audit_part(session, principal, "evaluation_round.part_publish", part, before)
    return await _read(session, round_, part, union.name)


async def reopen_part(
    session: AsyncSession,
    principal: Principal,
    round_id: uuid.UUID,
    union_id: uuid.UUID,
    data: Reason,
) -> PartRead:
    """Unlock the part's published results (the reason goes to the audit log and to every
    unit's history); they are approved again, so a rating can be reopened and corrected."""
    round_, union, part = await _load(session, principal, round_id, union_id)
    if part is None or part.published_at is None:
        raise Conflict("Only a published part can be reopened.", code=ErrorCode.ROUND_NOT_PUBLISHED)
    before = snapshot(part)
    for evaluation in await repo.part_evaluations(session, round_, union.id, for_update=True):
        if evaluation.status == EvaluationStatus.PUBLISHED.value:
            history.transition(
                session,
                principal,
                evaluation,
                EvaluationAction.REOPENED,
                EvaluationStatus.APPROVED,
                note=data.reason,
            )
    part = _part(session, round_, union, part)
    part.published_at = None
    await _audit_part(
        session, principal, "evaluation_round.part_reopen", part, before, reason=data.reason
    )
    return await _read(session, round_, part, union.name)


async def list_parts(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> list[PartRead]:
    """The parts of a round the caller sees (those of unions in its scope), by union name, and
    while the round is open, the parts the caller could start (unions where it appraises that
    have units in the round; version 0, nothing set yet)."""
    round_, _ = await load_round(session, principal, round_id)
    out: list[PartRead] = []
    for part, name, path in await repo.parts_of(session, principal, round_.id):
        may_run = round_.status == RoundStatus.OPEN.value and principal.holds_at(path, APPRAISE)
        out.append(await _read(session, round_, part, name, may_run=may_run))
    if round_.status != RoundStatus.OPEN.value:
        return out
    started = {p.union_id for p in out} | {round_.owner_union_id}
    for a in principal.assignments:
        if a.union_id in started or not principal.holds_at(a.union_path, APPRAISE):
            continue
        if await repo.part_has_units(session, round_, a.union_id):
            started.add(a.union_id)
            blank = EvaluationRoundPart(round_id=round_.id, union_id=a.union_id, version=0)
            out.append(await _read(session, round_, blank, a.union_name))
    return out
