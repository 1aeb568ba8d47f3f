"""SQL for accounts, sessions, refresh tokens and throttling."""

import uuid
from datetime import datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import AuthSession, LoginThrottle, RefreshToken, RoleAssignment, User
from unionhub.authz.permissions import Role
from unionhub.authz.principal import Assignment, Principal
from unionhub.authz.scope import unscoped
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


async def load_principal(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, ip: str | None
) -> Principal | None:
    """The caller of a request: an active user whose sign-in session is still open."""
    return await _principal(
        session,
        select(User.id, User.username, User.full_name)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            User.id == user_id,
            User.is_active.is_(True),
            AuthSession.id == session_id,
            AuthSession.revoked_at.is_(None),
        ),
        session_id,
        ip,
    )


async def load_actor(session: AsyncSession, user_id: uuid.UUID) -> Principal | None:
    """An active user's principal outside any sign-in session: background work they started
    acts with their roles as they are when it runs."""
    return await _principal(
        session,
        select(User.id, User.username, User.full_name).where(
            User.id == user_id, User.is_active.is_(True)
        ),
        None,
        None,
    )


async def _principal(
    session: AsyncSession,
    user_query: Select[uuid.UUID, str, str],
    session_id: uuid.UUID | None,
    ip: str | None,
) -> Principal | None:
    row = (await session.execute(user_query)).one_or_none()
    if row is None:
        return None
    return Principal(
        user_id=row[0],
        username=row[1],
        full_name=row[2],
        session_id=session_id,
        assignments=tuple(await assignments_of(session, row[0])),
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
