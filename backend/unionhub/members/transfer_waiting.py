"""Transfer requests waiting for the caller (the to-do and the menu badge), and the union
setting that escalates long-waiting requests to the upper union.

Escalation is applied when requests are read (`transfers.ESCALATED`): a request into a union
with a setting of N days that is still pending after N days is flagged "escalated" wherever it
is listed, and counted in the to-do of everyone who may decide it above the receiving union -
the upper union's officers, whose scope already holds the receiving union. Nothing runs on a
schedule, so a change of the setting applies at once, to requests already waiting.
"""

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz import scope
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.members.models import TransferEscalation, TransferRequest, TransferStatus
from unionhub.members.schemas import EscalationRead, EscalationSetting, TransfersWaiting
from unionhub.members.transfers import ESCALATED, OVERDUE, OVERDUE_DAYS, with_escalation


async def waiting(session: AsyncSession, principal: Principal) -> TransfersWaiting:
    """Pending requests into the unions where the caller may decide them."""
    stmt = with_escalation(
        select(
            func.count(),
            func.count().filter(OVERDUE),
            func.count().filter(ESCALATED),
        ).select_from(TransferRequest)
    ).where(
        TransferRequest.status == TransferStatus.PENDING.value,
        scope.in_scope(principal, TransferRequest.to_union_id, Permission.MEMBERS_WRITE),
    )
    incoming, overdue, escalated = (await session.execute(stmt)).one()
    return TransfersWaiting(
        incoming=incoming, overdue=overdue, escalated=escalated, overdue_days=OVERDUE_DAYS
    )


async def get_escalation(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID
) -> EscalationRead:
    await scope.get_union_in_scope(session, principal, union_id, Permission.MEMBERS_READ)
    row = await session.get(TransferEscalation, union_id)
    return EscalationRead(union_id=union_id, days=row.days if row else None)


async def set_escalation(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, body: EscalationSetting
) -> EscalationRead:
    """Set (or, with null, remove) the union's escalation delay; audited on the union."""
    await scope.get_union_in_scope(session, principal, union_id, Permission.MEMBERS_WRITE)
    row = await session.get(TransferEscalation, union_id, with_for_update=True)
    before = {"days": row.days if row else None}
    if body.days is None:
        if row is not None:
            await session.delete(row)
    elif row is None:
        session.add(
            TransferEscalation(union_id=union_id, days=body.days, updated_by=principal.user_id)
        )
    else:
        row.days = body.days
        row.updated_by = principal.user_id
        row.updated_at = func.now()
    if before["days"] != body.days:
        await audit.record(
            session,
            principal,
            "transfer.escalation_set",
            "union",
            union_id,
            union_id=union_id,
            before=before,
            after={"days": body.days},
        )
    await session.flush()
    return EscalationRead(union_id=union_id, days=body.days)
