"""Officers' actions on a member's own account: reset it (every sign-in ends; the member
activates it again), close it and reopen it; and its closing when the member leaves the union.

All take the member through the caller's scope (404 outside it) and need members:write at the
member's union, like the activation code (members.accounts.issue_code).
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth import repository as auth_repo
from unionhub.auth.models import MemberAccount, MemberAccountStatus, MemberAccountStatusReason
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict
from unionhub.members import repository as repo
from unionhub.members.accounts import account_read, expire_codes
from unionhub.members.models import IN_MEMBERSHIP, Member
from unionhub.members.schemas import MemberAccountRead
from unionhub.members.service import require_write

Status = MemberAccountStatus


async def _account(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> tuple[Member, MemberAccount]:
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    await require_write(session, principal, member)
    account = await auth_repo.member_account_of(session, member.id, for_update=True)
    if account is None:
        raise Conflict(
            "This member has not activated an account.", code=ErrorCode.MEMBER_ACCOUNT_MISSING
        )
    return member, account


def _state(account: MemberAccount) -> dict[str, object]:
    return {"status": account.status, "user_id": str(account.user_id)}


def _refuse_closed(account: MemberAccount) -> None:
    if account.status == Status.CLOSED:
        raise Conflict(
            "This member's account is closed; reopen it first.",
            code=ErrorCode.MEMBER_ACCOUNT_CLOSED,
        )


async def reset(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberAccountRead:
    """End every sign-in of the member's account (access and refresh tokens stop working at
    once) and make the member activate it again, with their identity data or a new code."""
    member, account = await _account(session, principal, member_id)
    _refuse_closed(account)
    before = _state(account)
    now = datetime.now(UTC)
    await auth_repo.set_member_account_status(
        session, account, Status.RESET, MemberAccountStatusReason.OFFICER.value, now
    )
    await audit.record(
        session,
        principal,
        "member_account.reset",
        "member",
        member.id,
        union_id=member.union_id,
        before=before,
        after=_state(account),
    )
    return await account_read(session, member.id)


async def close(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberAccountRead:
    """Close the member's account: no sign-in (every current one ends) until it is reopened."""
    member, account = await _account(session, principal, member_id)
    _refuse_closed(account)
    await _close(session, principal, member, account, MemberAccountStatusReason.OFFICER)
    return await account_read(session, member.id)


async def _close(
    session: AsyncSession,
    principal: Principal,
    member: Member,
    account: MemberAccount,
    reason: MemberAccountStatusReason,
) -> None:
    before = _state(account)
    now = datetime.now(UTC)
    await auth_repo.set_member_account_status(session, account, Status.CLOSED, reason.value, now)
    await expire_codes(session, member.id, now)
    await audit.record(
        session,
        principal,
        "member_account.close",
        "member",
        member.id,
        union_id=member.union_id,
        before=before,
        after={**_state(account), "reason": reason.value},
    )


async def reopen(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberAccountRead:
    """Reopen a closed account of a member in membership: their password works again."""
    member, account = await _account(session, principal, member_id)
    if account.status != Status.CLOSED:
        raise Conflict(
            "This member's account is not closed.", code=ErrorCode.MEMBER_ACCOUNT_NOT_CLOSED
        )
    if member.status not in IN_MEMBERSHIP:
        raise Conflict(
            f"A member who is {member.status} cannot have an open account.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": "reopen_account"},
        )
    before = _state(account)
    await auth_repo.set_member_account_status(
        session, account, Status.ACTIVE, None, datetime.now(UTC)
    )
    await audit.record(
        session,
        principal,
        "member_account.reopen",
        "member",
        member.id,
        union_id=member.union_id,
        before=before,
        after=_state(account),
    )
    return await account_read(session, member.id)


async def close_on_exit(session: AsyncSession, principal: Principal, member: Member) -> None:
    """A member who leaves the union (left, struck off, expelled, deceased) keeps no way in:
    their account, if any, is closed with the exit, in the same transaction."""
    account = await auth_repo.member_account_of(session, member.id, for_update=True)
    if account is None or account.status == Status.CLOSED:
        await expire_codes(session, member.id, datetime.now(UTC))
        return
    await _close(session, principal, member, account, MemberAccountStatusReason.MEMBER_EXIT)
