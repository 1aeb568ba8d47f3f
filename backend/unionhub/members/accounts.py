"""A member's own account: activation with data only the member holds, or a one-time code
their union's officer issues; then the member signs in like anyone (POST /auth/token).

Activation is a guessing target (a personal ID, a card number and a birth date are not
secrets to everyone around a person), so it is throttled per client address and per card
number in the sign-in throttle, and every refusal is the same answer (`activation_failed`,
no field named) whichever part did not match, audited with the address.
"""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth import repository as auth_repo
from unionhub.auth import service as auth_service
from unionhub.auth.models import (
    MemberAccount,
    MemberAccountStatus,
    MemberAccountStatusReason,
    User,
)
from unionhub.authz import scope
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.config import get_settings
from unionhub.core.db import CommitFirst
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import AppError, Conflict, Unprocessable
from unionhub.core.security import activation_code_hash, hash_password, new_activation_code
from unionhub.members import repository as repo
from unionhub.members.models import IN_MEMBERSHIP, Member, MemberActivationCode
from unionhub.members.schemas import (
    ActivationCodeRead,
    MemberAccountActivated,
    MemberAccountRead,
    MemberActivate,
)
from unionhub.members.service import require_write
from unionhub.members.validation import clean_card_number, clean_personal_id


class ActivationRefused(CommitFirst, AppError):
    """The one answer to every failed activation; the request keeps its failure count and
    audit entry."""

    status = 422
    code = ErrorCode.ACTIVATION_FAILED
    title = "Activation failed"

    def __init__(self) -> None:
        super().__init__(
            "These details do not let an account be activated. Check them, or ask your union "
            "for an activation code."
        )


def _now() -> datetime:
    return datetime.now(UTC)


async def _identity_match(session: AsyncSession, data: MemberActivate) -> Member | None:
    personal_id = clean_personal_id(data.personal_id)
    card = clean_card_number(data.card_number)
    if not personal_id or not card or data.date_of_birth is None:
        return None
    return (
        await session.execute(
            scope.unscoped(
                select(Member)
                .where(
                    Member.personal_id == personal_id,
                    Member.card_number == card,
                    Member.date_of_birth == data.date_of_birth,
                )
                .with_for_update(),
                reason="activation finds the member by what only they hold, wherever they are",
            )
        )
    ).scalar_one_or_none()


async def _code_match(
    session: AsyncSession, code: str, now: datetime
) -> tuple[Member, MemberActivationCode] | None:
    row = (
        await session.execute(
            scope.unscoped(
                select(Member, MemberActivationCode)
                .join(MemberActivationCode, MemberActivationCode.member_id == Member.id)
                .where(
                    MemberActivationCode.code_hash == activation_code_hash(code),
                    MemberActivationCode.used_at.is_(None),
                    MemberActivationCode.expires_at > now,
                )
                .with_for_update(),
                reason="a one-time code names its member, wherever they are",
            )
        )
    ).one_or_none()
    return (row[0], row[1]) if row else None


async def activate(
    session: AsyncSession, data: MemberActivate, ip: str | None
) -> MemberAccountActivated:
    """Create the member's account, or refuse with `activation_failed` (throttled, audited)."""
    s = get_settings()
    now = _now()
    by_code = bool(data.code and data.code.strip())
    if not by_code and not (data.personal_id and data.card_number and data.date_of_birth):
        raise Unprocessable(
            "code",
            ErrorCode.REQUIRED,
            "Send personal_id, card_number and date_of_birth, or the code from your union.",
        )
    ip_key = f"activate-ip:{ip or '-'}"
    subject = "code" if by_code else (clean_card_number(data.card_number) or "-")
    subject_key = f"activate:{subject}"[:128]
    keys = [ip_key] if by_code else [ip_key, subject_key]
    await auth_service.check_locks(session, keys, now)

    code_row: MemberActivationCode | None = None
    if by_code:
        found = await _code_match(session, data.code or "", now)
        member = found[0] if found else None
        code_row = found[1] if found else None
    else:
        member = await _identity_match(session, data)
    if member is None or member.status not in IN_MEMBERSHIP:
        await auth_service.record_failure(session, ip_key, s.login_lock_after * 2, now)
        if not by_code:
            await auth_service.record_failure(session, subject_key, s.login_lock_after, now)
        await audit.record(
            session,
            None,
            "member_account.activation_failed",
            "member_account",
            None,
            union_id=None,
            after={"via": "code" if by_code else "identity", "username": data.username},
            client_ip=ip,
            actor_username=data.username,
        )
        raise ActivationRefused()

    # From here the caller has proved who they are: answers may be specific.
    existing = await auth_repo.member_account_of(session, member.id, for_update=True)
    refuse_existing(existing)
    taken = select(User.id).where(User.username == data.username)
    if existing is not None:  # a reset account may keep its own username
        taken = taken.where(User.id != existing.user_id)
    if await session.scalar(taken):
        raise Unprocessable(
            "username",
            ErrorCode.USERNAME_TAKEN,
            f"The username {data.username} is already in use.",
            params={"value": data.username},
        )
    via = "code" if by_code else "identity"
    password_hash = await run_in_threadpool(hash_password, data.password)
    if existing is None:
        user = await auth_repo.create_member_account(
            session,
            member_id=member.id,
            username=data.username,
            full_name=member.full_name,
            password_hash=password_hash,
            via=via,
        )
    else:
        user = await auth_repo.reactivate_member_account(
            session,
            existing,
            username=data.username,
            full_name=member.full_name,
            password_hash=password_hash,
            via=via,
            now=now,
        )
    if code_row is not None:
        code_row.used_at = now
    await auth_repo.clear_throttle(session, subject_key)
    await audit.record(
        session,
        None,
        "member_account.activate",
        "member",
        member.id,
        union_id=member.union_id,
        after={"username": user.username, "via": via, "user_id": str(user.id)},
        client_ip=ip,
        actor_username=user.username,
    )
    await session.flush()
    return MemberAccountActivated(
        member_id=member.id, username=user.username, full_name=member.full_name
    )


def refuse_existing(account: MemberAccount | None) -> None:
    """A member activates (or gets a code for) an account only when they have none, or their
    union reset it; an active one is signed in to, a closed one reopened by the union."""
    if account is None or account.status == MemberAccountStatus.RESET:
        return
    if account.status == MemberAccountStatus.CLOSED:
        raise Conflict(
            "This member's account is closed; their union can reopen it.",
            code=ErrorCode.MEMBER_ACCOUNT_CLOSED,
        )
    raise Conflict(
        "This member already has an account; sign in, or ask your union to reset it.",
        code=ErrorCode.MEMBER_ACCOUNT_EXISTS,
    )


async def account_of(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> MemberAccountRead:
    """Whether the member has an account, in which state, when they last signed in (and
    whether a code is waiting), for officers who see the member."""
    member = await repo.get_scoped(session, principal, member_id)
    return await account_read(session, member.id)


async def account_read(session: AsyncSession, member_id: uuid.UUID) -> MemberAccountRead:
    """The account of a member already read through the caller's scope."""
    row = (
        await session.execute(
            select(User.username, MemberAccount)
            .join(MemberAccount, MemberAccount.user_id == User.id)
            .where(MemberAccount.member_id == member_id)
        )
    ).one_or_none()
    code_expires = await session.scalar(
        select(MemberActivationCode.expires_at)
        .where(
            MemberActivationCode.member_id == member_id,
            MemberActivationCode.used_at.is_(None),
            MemberActivationCode.expires_at > _now(),
        )
        .order_by(MemberActivationCode.expires_at.desc())
        .limit(1)
    )
    if row is None:
        return MemberAccountRead(
            member_id=member_id, has_account=False, code_expires_at=code_expires
        )
    username, account = row
    return MemberAccountRead(
        member_id=member_id,
        has_account=True,
        username=username,
        activated_at=account.activated_at,
        activated_via=account.activated_via,
        status=MemberAccountStatus(account.status),
        status_reason=(
            MemberAccountStatusReason(account.status_reason) if account.status_reason else None
        ),
        status_changed_at=account.status_changed_at,
        last_sign_in_at=await auth_repo.last_sign_in(session, account.user_id),
        code_expires_at=code_expires if account.status == MemberAccountStatus.RESET else None,
    )


async def issue_code(
    session: AsyncSession, principal: Principal, member_id: uuid.UUID
) -> ActivationCodeRead:
    """A new one-time activation code for a member without an account, or whose account their
    union reset (members:write at their union). Earlier unused codes stop working; only the
    code's keyed hash is stored."""
    member = await repo.get_scoped(session, principal, member_id, for_update=True)
    await require_write(session, principal, member)
    if member.status not in IN_MEMBERSHIP:
        raise Conflict(
            f"A member who is {member.status} cannot activate an account.",
            code=ErrorCode.STATUS_NOT_ALLOWED,
            params={"status": member.status, "action": "activate_account"},
        )
    refuse_existing(await auth_repo.member_account_of(session, member.id))
    now = _now()
    await expire_codes(session, member.id, now)
    code = new_activation_code()
    expires = now + timedelta(days=get_settings().activation_code_days)
    row = MemberActivationCode(
        member_id=member.id,
        code_hash=activation_code_hash(code),
        expires_at=expires,
        created_by=None if principal.system else principal.user_id,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        principal,
        "member_account.code_issued",
        "member",
        member.id,
        union_id=member.union_id,
        after={"code_id": str(row.id), "expires_at": expires},
    )
    return ActivationCodeRead(member_id=member.id, code=code, expires_at=expires)


async def expire_codes(session: AsyncSession, member_id: uuid.UUID, now: datetime) -> None:
    """Unused activation codes of the member stop working."""
    await session.execute(
        update(MemberActivationCode)
        .where(
            MemberActivationCode.member_id == member_id,
            MemberActivationCode.used_at.is_(None),
            MemberActivationCode.expires_at > now,
        )
        .values(expires_at=now)
    )
