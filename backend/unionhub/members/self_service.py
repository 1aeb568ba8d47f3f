"""A member in their own account: their record, its history, and changes to it.

Contact data (phone, email, commune) is the member's to change. Identity data (name, date of
birth, gender, ethnicity, nationality, personal ID, passport) is what the union vouches for:
a change becomes a request (`member_change_requests`) that an officer of the member's union
approves (then it is written by the same rules as an officer's edit) or rejects.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz import scope
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.members import reads
from unionhub.members import repository as repo
from unionhub.members.masking import mask_passport, mask_personal_id
from unionhub.members.models import ChangeRequestStatus, Member, MemberChangeRequest
from unionhub.members.schemas import (
    CONTACT_FIELDS,
    IDENTITY_FIELDS,
    ChangeRequestDecision,
    ChangeRequestRead,
    MemberHistory,
    MemberRead,
    MyProfileResult,
    MyProfileUpdate,
)
from unionhub.members.service import apply_update, checked_changes, raise_if
from unionhub.unions.models import Union

P = Permission
S = ChangeRequestStatus
_PII = {"personal_id": mask_personal_id, "passport_no": mask_passport}


async def _own_row(session: AsyncSession, principal: Principal) -> Any:
    one = (
        select(*repo.MEMBER_COLUMNS).where(scope.own_member(principal, Member.id)).subquery("page")
    )
    row = (await session.execute(repo.with_context(one, date.today()))).mappings().one_or_none()
    if row is None:
        raise NotFound("No member with this id.", code=ErrorCode.MEMBER_NOT_FOUND)
    return row


async def own_member(session: AsyncSession, principal: Principal) -> MemberRead:
    """The member's own record, unmasked: it is their own data."""
    scope.own_member_id(principal)
    return MemberRead.model_validate(
        reads.item_of(await _own_row(session, principal), principal, reveal_pii=True, own=True)
    )


async def own_history(session: AsyncSession, principal: Principal) -> MemberHistory:
    return await reads.history_of(session, scope.own_member_id(principal))


async def _load_own(session: AsyncSession, principal: Principal) -> tuple[Member, Union]:
    member = (
        await session.execute(
            select(Member).where(scope.own_member(principal, Member.id)).with_for_update()
        )
    ).scalar_one()
    union = await scope.get_union_unscoped(
        session, member.union_id, reason="the union of the caller's own member record"
    )
    assert union is not None
    return member, union


async def update_own(
    session: AsyncSession, principal: Principal, data: MyProfileUpdate
) -> MyProfileResult:
    """Contact data applies now; identity data becomes a request to the member's union."""
    scope.own_member_id(principal)
    member, union = await _load_own(session, principal)
    sent = data.model_dump(exclude_unset=True)
    note = sent.pop("note", None)
    contact = {k: v for k, v in sent.items() if k in CONTACT_FIELDS}
    identity = {k: v for k, v in sent.items() if k in IDENTITY_FIELDS}
    # Both halves are checked before either is written: one answer lists every problem.
    values, problems = checked_changes(member, contact | identity)
    raise_if(problems)
    asked = {
        k: values.get(k, v) for k, v in identity.items() if getattr(member, k) != values.get(k, v)
    }
    if asked and await _pending(session, member.id):
        raise Conflict(
            "A change of your identity data is already waiting for your union.",
            code=ErrorCode.CHANGE_REQUEST_PENDING,
        )
    if contact:
        await apply_update(session, principal, member, union, contact, details={"self": True})
    request = None
    if asked:
        req = MemberChangeRequest(
            member_id=member.id,
            union_id=member.union_id,
            changes={k: audit.jsonable(v) for k, v in asked.items()},
            status=S.PENDING.value,
            note=note,
            requested_by=principal.user_id,
        )
        session.add(req)
        await session.flush()
        await audit.record(
            session,
            principal,
            "member_change.request",
            "member_change_request",
            req.id,
            union_id=member.union_id,
            after={"member_id": str(member.id), "fields": sorted(asked)},
        )
        request = await _read(session, principal, req.id, own=True)
    return MyProfileResult(member=await own_member(session, principal), change_request=request)


async def _pending(session: AsyncSession, member_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(MemberChangeRequest.id).where(
                MemberChangeRequest.member_id == member_id,
                MemberChangeRequest.status == S.PENDING.value,
            )
        )
    )


def _query() -> Select[Any]:
    return (
        select(
            MemberChangeRequest,
            Member.full_name,
            Member.card_number,
            Union.name,
            Union.path,
            *(getattr(Member, f) for f in IDENTITY_FIELDS),
        )
        .join(Member, Member.id == MemberChangeRequest.member_id)
        .join(Union, Union.id == MemberChangeRequest.union_id)
    )


def _to_read(row: Any, principal: Principal, *, own: bool) -> ChangeRequestRead:
    req: MemberChangeRequest = row[0]
    reveal = own or principal.holds_at(row[4], P.MEMBERS_PII)
    now = dict(zip(IDENTITY_FIELDS, row[5:], strict=True))

    def shown(field: str, value: Any) -> Any:
        return _PII[field](value) if field in _PII and not reveal else audit.jsonable(value)

    return ChangeRequestRead(
        id=req.id,
        member_id=req.member_id,
        member_name=row[1],
        member_card_number=row[2],
        union_id=req.union_id,
        union_name=row[3],
        changes={k: shown(k, v) for k, v in req.changes.items()},
        current={k: shown(k, now[k]) for k in req.changes if k in now},
        status=S(req.status),
        note=req.note,
        requested_at=req.requested_at,
        decided_by=req.decided_by,
        decided_at=req.decided_at,
        decision_note=req.decision_note,
    )


async def _read(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, *, own: bool
) -> ChangeRequestRead:
    row = (
        await session.execute(
            scope.unscoped(
                _query().where(MemberChangeRequest.id == request_id),
                reason="a request the caller just wrote or decided, read back",
            )
        )
    ).one()
    return _to_read(row, principal, own=own)


async def list_own_requests(session: AsyncSession, principal: Principal) -> list[ChangeRequestRead]:
    scope.own_member_id(principal)
    rows = await session.execute(
        _query()
        .where(scope.own_member(principal, MemberChangeRequest.member_id))
        .order_by(MemberChangeRequest.requested_at.desc(), MemberChangeRequest.id.desc())
    )
    return [_to_read(r, principal, own=True) for r in rows]


async def list_requests(
    session: AsyncSession, principal: Principal, page: PageParams, status: list[str] | None
) -> Page[ChangeRequestRead]:
    """The officers' inbox: requests of members of unions in the caller's scope."""
    stmt = _query().where(scope.in_scope(principal, MemberChangeRequest.union_id, P.MEMBERS_READ))
    if status:
        stmt = stmt.where(MemberChangeRequest.status.in_(status))
    stmt = stmt.order_by(MemberChangeRequest.requested_at.desc(), MemberChangeRequest.id.desc())
    return await paginate(
        session, stmt, page, lambda rows: [_to_read(r, principal, own=False) for r in rows]
    )


async def _load_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> tuple[MemberChangeRequest, Member, Union]:
    req = (
        await session.execute(
            select(MemberChangeRequest)
            .where(
                MemberChangeRequest.id == request_id,
                scope.in_scope(principal, MemberChangeRequest.union_id, P.MEMBERS_READ),
            )
            .with_for_update()
        )
    ).scalar_one_or_none()
    if req is None:
        raise NotFound("No change request with this id.", code=ErrorCode.CHANGE_REQUEST_NOT_FOUND)
    member = await repo.get_scoped(session, principal, req.member_id, for_update=True)
    union = await scope.get_union_unscoped(
        session, member.union_id, reason="the union of a member read through the scope"
    )
    assert union is not None
    if not principal.holds_at(union.path, P.MEMBERS_WRITE):
        raise Forbidden(
            "Your role does not allow changing members of this union.",
            code=ErrorCode.PERMISSION_DENIED,
        )
    if req.status != S.PENDING.value:
        raise Conflict(
            f"The request is already {req.status}.",
            code=ErrorCode.CHANGE_REQUEST_NOT_PENDING,
            params={"status": req.status},
        )
    return req, member, union


async def approve(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: ChangeRequestDecision
) -> ChangeRequestRead:
    """Write the asked values by every rule of an officer's edit (a personal ID already on the
    register is refused as there), and close the request."""
    req, member, union = await _load_request(session, principal, request_id)
    changes: dict[str, Any] = {
        k: date.fromisoformat(v) if k == "date_of_birth" and v else v
        for k, v in req.changes.items()
    }
    await apply_update(
        session, principal, member, union, changes, details={"change_request_id": str(req.id)}
    )
    _decide(session, principal, req, S.APPROVED, body.note)
    await audit.record(
        session,
        principal,
        "member_change.approve",
        "member_change_request",
        req.id,
        union_id=req.union_id,
        before={"status": S.PENDING.value},
        after={"status": req.status, "note": body.note},
    )
    return await _read(session, principal, req.id, own=False)


async def reject(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, body: ChangeRequestDecision
) -> ChangeRequestRead:
    req, _, _ = await _load_request(session, principal, request_id)
    _decide(session, principal, req, S.REJECTED, body.note)
    await audit.record(
        session,
        principal,
        "member_change.reject",
        "member_change_request",
        req.id,
        union_id=req.union_id,
        before={"status": S.PENDING.value},
        after={"status": req.status, "note": body.note},
    )
    return await _read(session, principal, req.id, own=False)


def _decide(
    session: AsyncSession,
    principal: Principal,
    req: MemberChangeRequest,
    status: ChangeRequestStatus,
    note: str | None,
) -> None:
    req.status = status.value
    req.decided_by = None if principal.system else principal.user_id
    req.decided_at = datetime.now(UTC)
    req.decision_note = note
