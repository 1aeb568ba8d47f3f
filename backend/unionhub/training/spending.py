"""Spending figures per union and year (total operating spend, training spend) for the
training-share target: entered by the union, submitted, approved or returned by its direct
superior. Only approved figures count in the compliance indicator."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.core.audit import snapshot
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.training import audited
from unionhub.training import repository as repo
from unionhub.training.models import Spending, SpendingStatus
from unionhub.training.schemas import (
    SpendingCreate,
    SpendingRead,
    SpendingSuggestion,
    SpendingUpdate,
)

P = Permission
S = SpendingStatus
EDITABLE = (S.DRAFT.value, S.RETURNED.value)


def _read(principal: Principal, row: Any) -> SpendingRead:
    s: Spending = row[0]
    data = {c.key: getattr(s, c.key) for c in Spending.__table__.columns}
    return SpendingRead.model_validate(
        {
            **data,
            "union_name": row[1],
            "suggested_training_spend": int(row[2] or 0),
            "may_approve": _may_approve(principal, row[3]),
            "may_edit": s.status in EDITABLE and principal.holds_at(row[4], P.SPENDING_WRITE),
        }
    )


def _may_approve(principal: Principal, parent_path: str | None) -> bool:
    # The province's own figures have no superior in the system: an administrator approves.
    if parent_path is None:
        return principal.is_admin
    return principal.holds_at(parent_path, P.SPENDING_APPROVE)


async def list_spending(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID | None,
    year: int | None,
    status: list[str] | None,
    page: PageParams,
) -> Page[SpendingRead]:
    stmt = repo.spending_query(principal, union_id, year, status)
    return await paginate(session, stmt, page, lambda rows: [_read(principal, r) for r in rows])


async def suggestion(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID, year: int
) -> SpendingSuggestion:
    """What the union's course budgets of the year suggest as training spend, before its
    figures are entered (the read of entered figures carries it too)."""
    await get_union_in_scope(session, principal, union_id)
    amount = await repo.suggested_training_spend(session, union_id, year)
    return SpendingSuggestion(union_id=union_id, year=year, suggested_training_spend=amount)


async def get(session: AsyncSession, principal: Principal, spending_id: uuid.UUID) -> SpendingRead:
    row = await repo.get_spending(session, principal, spending_id, for_update=False)
    if row is None:
        raise NotFound("No spending figures with this id.", code=ErrorCode.SPENDING_NOT_FOUND)
    return _read(principal, row)


async def _audit(
    session: AsyncSession, principal: Principal, action: str, s: Spending, before: Any
) -> None:
    await audited.record(session, principal, action, "spending", s, s.union_id, before)


async def create(session: AsyncSession, principal: Principal, data: SpendingCreate) -> Spending:
    """The union's figures of a year (one row per union and year), as a draft."""
    await get_union_in_scope(session, principal, data.union_id, P.SPENDING_WRITE)
    if await repo.spending_exists(session, data.union_id, data.year):
        raise Conflict(
            "This union's figures of that year exist; change them instead.",
            code=ErrorCode.SPENDING_EXISTS,
            params={"year": data.year},
        )
    s = Spending(**data.model_dump(), status=S.DRAFT.value, version=1)
    session.add(s)
    await _audit(session, principal, "create", s, None)
    return s


async def _load(
    session: AsyncSession, principal: Principal, spending_id: uuid.UUID, if_match: int | None
) -> Any:
    row = await repo.get_spending(session, principal, spending_id, for_update=True)
    if row is None:
        raise NotFound("No spending figures with this id.", code=ErrorCode.SPENDING_NOT_FOUND)
    check_version(row[0], if_match, "spending")
    return row


def _check_status(s: Spending, *allowed: str) -> None:
    if s.status not in allowed:
        raise Conflict(
            f"Not possible while the figures are {s.status}.",
            code=ErrorCode.SPENDING_STATUS,
            params={"status": s.status},
        )


async def update(
    session: AsyncSession,
    principal: Principal,
    spending_id: uuid.UUID,
    data: SpendingUpdate,
    if_match: int | None,
) -> SpendingRead:
    row = await _load(session, principal, spending_id, if_match)
    s: Spending = row[0]
    union = await get_union_in_scope(session, principal, s.union_id)
    if not principal.holds_at(union.path, P.SPENDING_WRITE):
        raise Forbidden(
            "Only the union's officers change its figures.", code=ErrorCode.PERMISSION_DENIED
        )
    _check_status(s, *EDITABLE)
    given = data.model_dump(exclude_unset=True)
    total = given.get("total_spend", s.total_spend)
    if given.get("training_spend", s.training_spend) > total:
        raise Unprocessable(
            "training_spend", ErrorCode.TRAINING_ABOVE_TOTAL, "Training spend exceeds the total."
        )
    if given:
        before = snapshot(s)
        for k, v in given.items():
            setattr(s, k, v)
        s.version += 1
        await _audit(session, principal, "update", s, before)
    return await get(session, principal, spending_id)


async def transition(
    session: AsyncSession,
    principal: Principal,
    spending_id: uuid.UUID,
    action: str,
    if_match: int | None,
    comment: str | None = None,
) -> SpendingRead:
    """submit (the union), approve or return (its direct superior). Returning needs the
    superior's comment: it becomes the figures' review_comment (the union reads why; its own
    note stays). The comment stays through resubmission and approval until the next return
    replaces it (the ones it replaces stay in the audit trail)."""
    row = await _load(session, principal, spending_id, if_match)
    s: Spending = row[0]
    before = snapshot(s)
    if action == "submit":
        union = await get_union_in_scope(session, principal, s.union_id)
        if not principal.holds_at(union.path, P.SPENDING_WRITE):
            raise Forbidden(
                "Only the union's officers submit its figures.", code=ErrorCode.PERMISSION_DENIED
            )
        _check_status(s, *EDITABLE)
        s.status = S.SUBMITTED.value
    else:
        if not _may_approve(principal, row[3]):
            raise Forbidden(
                "Only the direct superior union approves these figures.",
                code=ErrorCode.PERMISSION_DENIED,
            )
        _check_status(s, S.SUBMITTED.value, S.APPROVED.value if action == "return" else "")
        if action == "approve":
            s.status = S.APPROVED.value
            s.approved_by = None if principal.system else principal.user_id
            s.approved_at = datetime.now(UTC)
        else:
            if not (comment or "").strip():
                raise Unprocessable("comment", ErrorCode.REQUIRED, "Say why the figures go back.")
            s.status = S.RETURNED.value
            s.approved_by = None
            s.approved_at = None
            s.review_comment = comment
    s.version += 1
    await _audit(session, principal, action, s, before)
    return await get(session, principal, spending_id)
