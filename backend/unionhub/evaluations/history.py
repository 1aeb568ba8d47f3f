"""The rating's history: each step an evaluation takes, who took it and why."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.audit import jsonable
from unionhub.evaluations.models import (
    Evaluation,
    EvaluationAction,
    EvaluationEvent,
    EvaluationStatus,
)


def add(
    session: AsyncSession,
    principal: Principal,
    evaluation: Evaluation,
    action: EvaluationAction,
    from_status: str | None,
    *,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        EvaluationEvent(
            evaluation_id=evaluation.id,
            action=action.value,
            from_status=from_status,
            to_status=evaluation.status,
            note=note,
            details=jsonable(details or {}),
            actor_id=None if principal.system else principal.user_id,
        )
    )


def transition(
    session: AsyncSession,
    principal: Principal,
    evaluation: Evaluation,
    action: EvaluationAction,
    to: EvaluationStatus,
    *,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Move the evaluation to `to` and record the step."""
    before = evaluation.status
    evaluation.status = to.value
    evaluation.version += 1
    add(session, principal, evaluation, action, before, note=note, details=details)
