"""Transfers between unions (chuyển sinh hoạt công đoàn): history kept, not a new member.

An officer who manages members of both unions moves the member at once. Otherwise the
sending officer files a request that the receiving union's officer accepts or refuses (or the
sender cancels); until it is accepted the member stays in the sending union. One request may
be pending per member.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz import scope
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.text import contains, fold
from unionhub.members import lookups, reads
from unionhub.members import repository as repo
from unionhub.members.lifecycle import actor, end_posts, last_change, move_membership, state
from unionhub.members.models import (
    IN_MEMBERSHIP,
    Member,
    MemberEvent,
    MemberEventType,
    TransferEscalation,
    TransferRequest,
    TransferStatus,
)
from unionhub.members.schemas import (
    DestinationRead,
    MemberTransfer,
    MyTransferRequest,
    TransferAccept,
    TransferDecision,
    TransferRead,
    TransferResult,
)
from unionhub.members.service import (
    MEMBER_LEVELS,
    check_effective_date,
    require_write,
)
from unionhub.unions.models import Union, UnionStatus

P = Permission
T = TransferStatus
FromUnion = aliased(Union)
ToUnion = aliased(Union)


async def _destination(session: AsyncSession, union_id: uuid.UUID) -> Union:
    union = await scope.get_union_unscoped(
        session, union_id, reason="a transfer may go to any union of the federation"
    )
    if union is None:
        raise Unprocessable("to_union_id", ErrorCode.UNION_NOT_FOUND, "No union with this id.")
    if union.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            "to_union_id", ErrorCode.UNION_INACTIVE, "The union is dissolved or merged."
        )
    if union.level not in MEMBER_LEVELS:
        raise Unprocessable(
            "to_union_id",
            ErrorCode.UNION_LEVEL_HOLDS_NO_MEMBERS,
            f"A {union.level} union holds unions, not members.",
            params={"level": union.level},
        )
    return union


async def _apply(
    session: AsyncSession,
    principal: Principal,
    member: Member,
    target: Union,
    effective: date,
    reason: str | None,
    details: dict[str, Any],
) -> None:
    before = state(member)
    source = member.union_id
    await move_membership(session, member, effective, union_id=target.id)
    await end_posts(session, [member.id], effective, keep_under=target.path)
    session.add(
        MemberEvent(
            member_id=member.id,
            event_type=MemberEventType.TRANSFERRED.value,
            effective_date=effective,
            union_id=target.id,
            reason=reason,
            details={"from_union_id": str(source), "to_union_id": str(target.id), **details},
            actor_id=actor(principal),
        )
    )
    await audit.record(
        session,
        principal,
        "member.transfer",
        "member",
        member.id,
        union_id=target.id,
        before=before,
        after={**state(member), **details},
    )


async def transfer(
    session: AsyncSession,
    principal: Principal,
    member_id: uuid.UUID,
    body: MemberTransfer,
    if_match: int | None = None,
) -> TransferResult:
    """Transfer a member: at once when the caller manages both unions, else a pending request.

    Returns the member as the API shows them and the request, if one now waits.
    """
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    await require_write(session, principal, member)
    check_version(member, if_match, "member")
    target = await _transferable(session, member, body.to_union_id, body.effective_date)
    if principal.holds_at(target.path, P.MEMBERS_WRITE):
        details = {"decision_no": body.decision_no} if body.decision_no else {}
        await _apply(session, principal, member, target, body.effective_date, body.reason, details)
        await session.flush()
        member_read = await reads.read_written(session, principal, member.id)
        return TransferResult(completed=True, member=member_read)
    request = await _file_request(
        session, principal, member, target, body.effective_date, body.reason
    )
    return TransferResult(
        completed=False,
        member=await reads.read_written(session, principal, member.id),
        request=await get_read(session, request.id),
    )


async def _transferable(
    session: AsyncSession, member: Member, to_union_id: uuid.UUID, effective: date
) -> Union:
    """The receiving union, once the member may be transferred there on `effective`."""
    if member.status not in IN_MEMBERSHIP:
        raise Conflict(
            f"A member who is {member.status} cannot be transferred.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": "transfer"},
            extra={"member_status": member.status},
        )
    if await lookups.pending_transfer(session, member.id):
        raise Conflict(
            "A transfer of this member is already waiting for the receiving union.",
            code=ErrorCode.TRANSFER_PENDING,
        )
    target = await _destination(session, to_union_id)
    if target.id == member.union_id:
        raise Unprocessable(
            "to_union_id", ErrorCode.SAME_UNION, "The member is already in this union."
        )
    check_effective_date(effective, await last_change(session, member))
    return target


async def _file_request(
    session: AsyncSession,
    principal: Principal,
    member: Member,
    target: Union,
    effective: date,
    reason: str | None,
) -> TransferRequest:
    """A pending request: in the inbox of the receiving union (to accept or refuse) and of
    the member's union (to withdraw)."""
    request = TransferRequest(
        member_id=member.id,
        from_union_id=member.union_id,
        to_union_id=target.id,
        status=T.PENDING.value,
        effective_date=effective,
        reason=reason,
        requested_by=actor(principal),
    )
    session.add(request)
    await session.flush()
    await audit.record(
        session,
        principal,
        "transfer.request",
        "transfer_request",
        request.id,
        union_id=member.union_id,
        after=audit.snapshot(request),
    )
    await session.flush()
    return request


async def request_own(
    session: AsyncSession, principal: Principal, body: MyTransferRequest
) -> TransferRead:
    """A member, in their own account, asks to move to another union (their new employer's):
    always a request, decided by the officers as any other."""
    member = (
        await session.execute(
            select(Member).where(scope.own_member(principal, Member.id)).with_for_update()
        )
    ).scalar_one()
    effective = body.effective_date or date.today()
    target = await _transferable(session, member, body.to_union_id, effective)
    request = await _file_request(session, principal, member, target, effective, body.reason)
    return await get_read(session, request.id)


async def list_own(session: AsyncSession, principal: Principal) -> list[TransferRead]:
    """The member's own transfer requests, newest first."""
    rows = await session.execute(
        _read_query()
        .where(scope.own_member(principal, TransferRequest.member_id))
        .order_by(TransferRequest.requested_at.desc(), TransferRequest.id.desc())
    )
    return [to_read(r) for r in rows]


def _visible(principal: Principal) -> Any:
    return or_(
        scope.in_scope(principal, TransferRequest.from_union_id, P.MEMBERS_READ),
        scope.in_scope(principal, TransferRequest.to_union_id, P.MEMBERS_READ),
    )


# A request pending longer than this is flagged on the receiving side (list and to-do).
OVERDUE_DAYS = 30
_PENDING = TransferRequest.status == T.PENDING.value
# Pending for more than OVERDUE_DAYS.
OVERDUE: ColumnElement[bool] = and_(
    _PENDING, TransferRequest.requested_at < func.now() - timedelta(days=OVERDUE_DAYS)
)
# Pending longer than the receiving union's escalation setting (TransferEscalation, outer
# joined on the receiving union): it is applied whenever requests are read, so a change of the
# setting applies at once and nothing has to run on a schedule.
ESCALATED: ColumnElement[bool] = and_(
    _PENDING,
    TransferEscalation.days.is_not(None),
    TransferRequest.requested_at
    < func.now() - func.make_interval(0, 0, 0, TransferEscalation.days),
)


def with_escalation(stmt: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """`stmt` joined to the receiving union's escalation setting (for ESCALATED)."""
    return stmt.outerjoin(
        TransferEscalation, TransferEscalation.union_id == TransferRequest.to_union_id
    )


def _read_query() -> Select[*tuple[Any, ...]]:
    return with_escalation(
        select(
            TransferRequest,
            Member.full_name,
            Member.card_number,
            Member.date_of_birth,
            FromUnion.name,
            ToUnion.name,
            OVERDUE.label("overdue"),
            ESCALATED.label("escalated"),
        )
        .join(Member, Member.id == TransferRequest.member_id)
        .join(FromUnion, FromUnion.id == TransferRequest.from_union_id)
        .join(ToUnion, ToUnion.id == TransferRequest.to_union_id)
    )


def to_read(row: Any) -> TransferRead:
    req: TransferRequest = row[0]
    data = {c.key: getattr(req, c.key) for c in TransferRequest.__table__.columns}
    return TransferRead.model_validate(
        {
            **data,
            "member_name": row[1],
            "member_card_number": row[2],
            "member_date_of_birth": row[3],
            "from_union_name": row[4],
            "to_union_name": row[5],
            "overdue": bool(row[6]),
            "escalated": bool(row[7]),
        }
    )


async def get_read(session: AsyncSession, request_id: uuid.UUID) -> TransferRead:
    row = (await session.execute(_read_query().where(TransferRequest.id == request_id))).one()
    return to_read(row)


async def list_transfers(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    direction: str = "all",
    status: list[str] | None = None,
    member_id: uuid.UUID | None = None,
) -> Page[TransferRead]:
    """Requests into or out of the caller's unions, newest first."""
    if direction == "incoming":
        where = scope.in_scope(principal, TransferRequest.to_union_id, P.MEMBERS_READ)
    elif direction == "outgoing":
        where = scope.in_scope(principal, TransferRequest.from_union_id, P.MEMBERS_READ)
    else:
        where = _visible(principal)
    stmt = _read_query().where(where)
    if status:
        stmt = stmt.where(TransferRequest.status.in_(status))
    if member_id:
        stmt = stmt.where(TransferRequest.member_id == member_id)
    stmt = stmt.order_by(TransferRequest.requested_at.desc(), TransferRequest.id.desc())
    return await paginate(session, stmt, page, lambda rows: [to_read(r) for r in rows])


async def _load_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, side: str
) -> TransferRequest:
    """A request the caller can see (404 otherwise), whose `side` union they manage (403)."""
    req = (
        await session.execute(
            select(TransferRequest)
            .where(TransferRequest.id == request_id, _visible(principal))
            .with_for_update()
        )
    ).scalar_one_or_none()
    if req is None:
        raise NotFound("No transfer request with this id.", code=ErrorCode.TRANSFER_NOT_FOUND)
    union = await scope.get_union_unscoped(
        session,
        req.to_union_id if side == "to" else req.from_union_id,
        reason="either side of a transfer request the caller can see",
    )
    assert union is not None
    if not principal.holds_at(union.path, P.MEMBERS_WRITE):
        who = "receiving" if side == "to" else "sending"
        raise Forbidden(
            f"Only an officer of the {who} union may do this.", code=ErrorCode.PERMISSION_DENIED
        )
    if req.status != T.PENDING.value:
        raise Conflict(
            f"The request is already {req.status}.",
            code=ErrorCode.TRANSFER_NOT_PENDING,
            params={"status": req.status},
            extra={"request_status": req.status},
        )
    return req


def _decide(req: TransferRequest, principal: Principal, status: T, note: str | None) -> None:
    req.status = status.value
    req.decided_by = actor(principal)
    req.decided_at = datetime.now(UTC)
    req.decision_note = note


async def accept(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: TransferAccept
) -> TransferRead:
    """The receiving union takes the member in, on the requested (or a corrected) date."""
    req = await _load_request(session, principal, request_id, "to")
    member = await session.get(Member, req.member_id, with_for_update=True)
    assert member is not None
    if member.union_id != req.from_union_id or member.status not in IN_MEMBERSHIP:
        raise Conflict(
            "The member has left the sending union or membership since the request; "
            "it can only be refused or cancelled.",
            code=ErrorCode.TRANSFER_STALE,
        )
    target = await scope.get_union_unscoped(
        session, req.to_union_id, reason="the receiving union of a request the caller accepts"
    )
    assert target is not None
    if target.status != UnionStatus.ACTIVE.value:
        raise Conflict("The receiving union is dissolved or merged.", code=ErrorCode.UNION_INACTIVE)
    effective = body.effective_date or req.effective_date
    check_effective_date(effective, await last_change(session, member))
    before = audit.snapshot(req)
    await _apply(
        session,
        principal,
        member,
        target,
        effective,
        req.reason,
        {"transfer_request_id": str(req.id)},
    )
    _decide(req, principal, T.ACCEPTED, body.note)
    req.effective_date = effective
    await audit.record(
        session,
        principal,
        "transfer.accept",
        "transfer_request",
        req.id,
        union_id=req.to_union_id,
        before=before,
        after=audit.snapshot(req),
    )
    await session.flush()
    return await get_read(session, req.id)


async def refuse(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: TransferDecision
) -> TransferRead:
    """The receiving union declines; the member stays where they are."""
    return await _close(session, principal, request_id, body, "to", T.REFUSED)


async def cancel(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: TransferDecision
) -> TransferRead:
    """The sending union withdraws its request."""
    return await _close(session, principal, request_id, body, "from", T.CANCELLED)


async def _close(
    session: AsyncSession,
    principal: Principal,
    request_id: uuid.UUID,
    body: TransferDecision,
    side: str,
    status: T,
) -> TransferRead:
    req = await _load_request(session, principal, request_id, side)
    before = audit.snapshot(req)
    _decide(req, principal, status, body.note)
    action = "refuse" if status == T.REFUSED else "cancel"
    await audit.record(
        session,
        principal,
        f"transfer.{action}",
        "transfer_request",
        req.id,
        union_id=req.to_union_id if side == "to" else req.from_union_id,
        before=before,
        after=audit.snapshot(req),
    )
    await session.flush()
    return await get_read(session, req.id)


async def destinations(
    session: AsyncSession, q: str | None, page: PageParams
) -> Page[DestinationRead]:
    """Active unions that hold members, federation-wide: only what a sender needs to pick one."""
    parent = aliased(Union)
    stmt = scope.unscoped(
        select(Union.id, Union.code, Union.name, parent.name.label("parent_name"))
        .outerjoin(parent, parent.id == Union.parent_id)
        .where(Union.status == UnionStatus.ACTIVE.value, Union.level.in_(MEMBER_LEVELS)),
        reason="a transfer may go to any union of the federation",
    )
    if q and fold(q):
        stmt = stmt.where(Union.search_text.like(contains(fold(q))))
    return await paginate(
        session,
        stmt.order_by(Union.name, Union.code, Union.id),
        page,
        lambda rows: [
            DestinationRead(id=r[0], code=r[1], name=r[2], parent_name=r[3]) for r in rows
        ],
    )
