"""SQL for accounts, sessions, refresh tokens and throttling."""

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import (
    AuthSession,
    LoginThrottle,
    MemberAccount,
    MemberAccountStatus,
    RefreshToken,
    RoleAssignment,
    User,
)
from unionhub.authz import principal_cache
from unionhub.authz.permissions import Role
from unionhub.authz.principal import Assignment, Principal
from unionhub.authz.scope import unscoped
from unionhub.core.pagination import AnySelect
from unionhub.unions.models import Union


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    return (
        await session.execute(select(User).where(User.username == username))
    ).scalar_one_or_none()


async def assignments_of(session: AsyncSession, user_id: uuid.UUID) -> list[Assignment]:
    rows = await session.execute(
        unscoped(
            select(RoleAssignment.id, RoleAssignment.role, Union.id, Union.path, Union.name)
            .join(Union, Union.id == RoleAssignment.union_id)
            .where(RoleAssignment.user_id == user_id)
            .order_by(Union.path),
            reason="a user's own roles are what their scope is built from",
        )
    )
    return [
        Assignment(id=r[0], role=Role(r[1]), union_id=r[2], union_path=r[3], union_name=r[4])
        for r in rows
    ]


def _principal_query(user_id: uuid.UUID) -> AnySelect:
    """The user and their roles with the unions' paths, one row per role (one row of NULL roles
    for a user without any), and the member record of a member account: the principal in one
    statement."""
    return unscoped(
        select(
            User.id,
            User.username,
            User.full_name,
            RoleAssignment.id,
            RoleAssignment.role,
            Union.id,
            Union.path,
            Union.name,
            MemberAccount.member_id,
        )
        .select_from(User)
        .outerjoin(MemberAccount, MemberAccount.user_id == User.id)
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .outerjoin(Union, Union.id == RoleAssignment.union_id)
        .where(User.id == user_id, User.is_active.is_(True))
        .order_by(Union.path),
        reason="a user's own roles are what their scope is built from",
    )


async def load_principal(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, ip: str | None
) -> Principal | None:
    """The caller of a request: an active user whose sign-in session is still open."""
    open_session = (
        select(AuthSession.id)
        .where(
            AuthSession.id == session_id,
            AuthSession.user_id == User.id,
            AuthSession.revoked_at.is_(None),
        )
        .exists()
    )
    return await _principal(session, _principal_query(user_id).where(open_session), session_id, ip)


async def load_actor(session: AsyncSession, user_id: uuid.UUID) -> Principal | None:
    """An active user's principal outside any sign-in session: background work they started
    acts with their roles as they are when it runs."""
    return await _principal(session, _principal_query(user_id), None, None)


async def _principal(
    session: AsyncSession,
    query: AnySelect,
    session_id: uuid.UUID | None,
    ip: str | None,
) -> Principal | None:
    rows = (await session.execute(query)).all()
    if not rows:
        return None
    first = rows[0]
    if first[8] is not None:
        # A member account: no role counts, whatever a row says; its scope is its record.
        return Principal(
            user_id=first[0],
            username=first[1],
            full_name=first[2],
            session_id=session_id,
            assignments=(),
            client_ip=ip,
            kind="member",
            member_id=first[8],
        )
    return Principal(
        user_id=first[0],
        username=first[1],
        full_name=first[2],
        session_id=session_id,
        assignments=tuple(
            Assignment(id=r[3], role=Role(r[4]), union_id=r[5], union_path=r[6], union_name=r[7])
            for r in rows
            if r[3] is not None
        ),
        client_ip=ip,
    )


async def get_throttle(session: AsyncSession, key: str) -> LoginThrottle | None:
    return await session.get(LoginThrottle, key, with_for_update=True)


async def lock_throttle(session: AsyncSession, key: str, now: datetime) -> LoginThrottle:
    """The counter row for `key`, created if missing, locked for this transaction.

    Insert-or-nothing first: two simultaneous first failures must both count, not collide.
    """
    await session.execute(
        pg_insert(LoginThrottle)
        .values(key=key, failures=0, last_failure_at=now)
        .on_conflict_do_nothing(index_elements=[LoginThrottle.key])
    )
    row = await session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


async def revoke_session(
    session: AsyncSession, session_id: uuid.UUID, reason: str, now: datetime
) -> None:
    principal_cache.forget_all()
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


async def revoke_user_sessions(
    session: AsyncSession,
    user_id: uuid.UUID,
    reason: str,
    now: datetime,
    *,
    keep: uuid.UUID | None = None,
) -> None:
    """End every sign-in of the user, except `keep` (the caller's own, when they act on self)."""
    principal_cache.forget_all()
    stmt = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(AuthSession.id != keep)
    await session.execute(stmt.values(revoked_at=now, revoked_reason=reason))


async def clear_throttle(session: AsyncSession, key: str) -> None:
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


async def get_refresh(session: AsyncSession, jti: uuid.UUID) -> RefreshToken | None:
    return await session.get(RefreshToken, jti, with_for_update=True)


async def get_auth_session(session: AsyncSession, session_id: uuid.UUID) -> AuthSession | None:
    return await session.get(AuthSession, session_id)


async def is_member_account(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return bool(
        await session.scalar(select(MemberAccount.user_id).where(MemberAccount.user_id == user_id))
    )


async def create_member_account(
    session: AsyncSession,
    *,
    member_id: uuid.UUID,
    username: str,
    full_name: str,
    password_hash: str,
    via: str,
) -> User:
    """The `users` row a member signs in with and its tie to their record (no role)."""
    user = User(
        username=username,
        full_name=full_name,
        email=None,
        password_hash=password_hash,
        is_active=True,
        version=1,
    )
    session.add(user)
    await session.flush()
    session.add(MemberAccount(user_id=user.id, member_id=member_id, activated_via=via))
    await session.flush()
    return user


async def member_account_of(
    session: AsyncSession, member_id: uuid.UUID, *, for_update: bool = False
) -> MemberAccount | None:
    stmt = select(MemberAccount).where(MemberAccount.member_id == member_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_member_account_status(
    session: AsyncSession,
    account: MemberAccount,
    status: MemberAccountStatus,
    reason: str | None,
    now: datetime,
) -> None:
    """Move a member account to `status`; only an active one can sign in, and leaving that
    state ends every sign-in of it (its refresh tokens die with their sessions)."""
    account.status = status.value
    account.status_reason = reason
    account.status_changed_at = now
    active = status is MemberAccountStatus.ACTIVE
    await session.execute(
        update(User)
        .where(User.id == account.user_id)
        .values(is_active=active, version=User.version + 1)
    )
    if active:
        principal_cache.forget_all()
    else:
        await revoke_user_sessions(session, account.user_id, f"account_{status.value}", now)
    await session.flush()


async def reactivate_member_account(
    session: AsyncSession,
    account: MemberAccount,
    *,
    username: str,
    full_name: str,
    password_hash: str,
    via: str,
    now: datetime,
) -> User:
    """A reset account activated again: the same `users` row (its history stays one person's)
    with the username and password the member chose now."""
    user = await session.get(User, account.user_id, with_for_update=True)
    assert user is not None, "a member account has its users row (ON DELETE CASCADE)"
    user.username = username
    user.full_name = full_name
    user.password_hash = password_hash
    user.is_active = True
    user.version += 1
    account.status = MemberAccountStatus.ACTIVE.value
    account.status_reason = None
    account.status_changed_at = now
    account.activated_at = now
    account.activated_via = via
    principal_cache.forget_all()
    await session.flush()
    return user


async def last_sign_in(session: AsyncSession, user_id: uuid.UUID) -> datetime | None:
    return await session.scalar(
        select(func.max(AuthSession.created_at)).where(AuthSession.user_id == user_id)
    )
