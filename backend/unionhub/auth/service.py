"""Sign-in, refresh-token rotation with reuse detection, sign-out, and sign-in throttling."""

import asyncio
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth import clients, repository
from unionhub.auth.models import AuthSession, RefreshToken
from unionhub.auth.schemas import AssignmentRead, Me, TokenPair
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import TooManyRequests, Unauthorized
from unionhub.core.ids import uuid7
from unionhub.core.security import (
    TokenError,
    create_token,
    decode_token,
    sign_token,
    verify_password,
)


@dataclass
class LoginFailed:
    """Returned (not raised) so the router can commit the failure count before answering 401."""

    detail: str


def _now() -> datetime:
    return datetime.now(UTC)


async def check_locks(session: AsyncSession, keys: list[str], now: datetime) -> None:
    for key in keys:
        row = await repository.get_throttle(session, key)
        if row and row.locked_until and row.locked_until > now:
            wait = math.ceil((row.locked_until - now).total_seconds())
            raise TooManyRequests(
                f"Too many failed sign-ins. Try again in {wait} seconds.",
                code=ErrorCode.TOO_MANY_ATTEMPTS,
                params={"retry_after": wait},
                headers={"Retry-After": str(wait)},
                extra={"retry_after": wait},
            )


async def record_failure(session: AsyncSession, key: str, lock_after: int, now: datetime) -> int:
    s = get_settings()
    row = await repository.lock_throttle(session, key, now)
    # Failures older than a day no longer count.
    if row.failures and row.last_failure_at < now - timedelta(days=1):
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= lock_after:
        seconds = min(30 * 2 ** (row.failures - lock_after), s.login_max_lock_seconds)
        row.locked_until = now + timedelta(seconds=seconds)
    await session.flush()
    return row.failures


async def _issue(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID
) -> tuple[TokenPair, uuid.UUID]:
    """A new pair in the sign-in `session_id`, and the refresh token's id."""
    s = get_settings()
    access, _, _ = create_token(
        subject=user_id,
        token_type="access",
        session_id=session_id,
        ttl=timedelta(minutes=s.access_token_minutes),
    )
    now = _now()
    jti = uuid7()
    exp = now + timedelta(days=s.refresh_token_days)
    refresh = sign_token(
        subject=user_id,
        token_type="refresh",
        session_id=session_id,
        jti=jti,
        issued_at=now,
        expires_at=exp,
    )
    session.add(RefreshToken(jti=jti, session_id=session_id, expires_at=exp, issued_at=now))
    await session.flush()
    pair = TokenPair(
        access_token=access,
        expires_in=s.access_token_minutes * 60,
        refresh_token=refresh,
        refresh_expires_in=s.refresh_token_days * 86400,
    )
    return pair, jti


async def _issued_again(
    session: AsyncSession, auth_session: AuthSession, spent: RefreshToken
) -> TokenPair:
    """The refresh token that `spent`'s use issued, signed again (the same token), with a
    fresh access token: the late request of a race gets what the first one got, and the
    sign-in stays one chain. If that successor is already spent as well, the chain has moved
    on and there is nothing to hand out."""
    s = get_settings()
    now = _now()
    successor = (
        await repository.get_refresh(session, spent.successor_jti) if spent.successor_jti else None
    )
    if (
        successor is None
        or successor.used_at is not None
        or successor.issued_at is None
        or successor.expires_at <= now
    ):
        raise Unauthorized("The refresh token is invalid or expired.", code=ErrorCode.TOKEN_INVALID)
    access, _, _ = create_token(
        subject=auth_session.user_id,
        token_type="access",
        session_id=auth_session.id,
        ttl=timedelta(minutes=s.access_token_minutes),
    )
    refresh = sign_token(
        subject=auth_session.user_id,
        token_type="refresh",
        session_id=auth_session.id,
        jti=successor.jti,
        issued_at=successor.issued_at,
        expires_at=successor.expires_at,
    )
    return TokenPair(
        access_token=access,
        expires_in=s.access_token_minutes * 60,
        refresh_token=refresh,
        refresh_expires_in=int((successor.expires_at - now).total_seconds()),
    )


async def login(
    session: AsyncSession, username: str, password: str, ip: str | None
) -> TokenPair | LoginFailed:
    """Check the password (same cost for unknown users), throttle failures, open a session."""
    s = get_settings()
    now = _now()
    username = username.strip().lower()[:64]
    user_key, ip_key = f"user:{username}", f"ip:{ip or '-'}"
    await check_locks(session, [user_key, ip_key], now)

    user = await repository.get_user_by_username(session, username)
    ok = await run_in_threadpool(verify_password, password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        failures = await record_failure(session, user_key, s.login_lock_after, now)
        await record_failure(session, ip_key, s.login_ip_lock_after, now)
        await audit.record(
            session,
            None,
            "auth.login_failed",
            "user",
            user.id if user else None,
            union_id=None,
            after={"username": username},
            client_ip=ip,
            actor_username=username,
        )
        if failures >= s.login_slowdown_after:
            # Each further failure waits longer before answering.
            await asyncio.sleep(min(0.2 * 2 ** (failures - s.login_slowdown_after), 2.0))
        return LoginFailed("Wrong username or password.")

    throttle = await repository.get_throttle(session, user_key)
    if throttle is not None:
        await session.delete(throttle)
    auth_session = AuthSession(user_id=user.id, client_ip=ip)
    session.add(auth_session)
    await session.flush()
    await audit.record(
        session,
        None,
        "auth.login",
        "user",
        user.id,
        union_id=None,
        client_ip=ip,
        actor_username=user.username,
    )
    pair, _ = await _issue(session, user.id, auth_session.id)
    return pair


async def client_login(
    session: AsyncSession, client_id: str, secret: str, ip: str | None
) -> clients.ClientGrant | None:
    """The client-credentials grant, throttled like a person's sign-in (key client:<id>)."""
    s = get_settings()
    now = _now()
    key = f"client:{client_id.strip().lower()[:64]}"
    await check_locks(session, [key, f"ip:{ip or '-'}"], now)
    result = await clients.grant(session, client_id, secret)
    if result is None:
        await record_failure(session, key, s.login_lock_after, now)
        await record_failure(session, f"ip:{ip or '-'}", s.login_ip_lock_after, now)
        await audit.record(
            session,
            None,
            "client.token_failed",
            "client",
            None,
            union_id=None,
            after={"client_id": client_id[:64]},
            client_ip=ip,
            actor_username=key[:64],
        )
        return None
    await repository.clear_throttle(session, key)
    return result


async def refresh(session: AsyncSession, token: str) -> TokenPair:
    """Rotate: the presented token is spent; presenting a spent one ends the whole session."""
    now = _now()
    try:
        claims = decode_token(token, "refresh")
    except TokenError:
        raise Unauthorized(
            "The refresh token is invalid or expired.", code=ErrorCode.TOKEN_INVALID
        ) from None
    row = await repository.get_refresh(session, claims["jti"])
    auth_session = await repository.get_auth_session(session, claims["sid"])
    if row is None or auth_session is None or row.session_id != auth_session.id:
        raise Unauthorized("The refresh token is invalid or expired.", code=ErrorCode.TOKEN_INVALID)
    if auth_session.revoked_at is not None:
        raise Unauthorized("The sign-in has ended; sign in again.", code=ErrorCode.SESSION_ENDED)
    grace = timedelta(seconds=get_settings().refresh_reuse_grace_seconds)
    if row.used_at is not None and now - row.used_at <= grace:
        # Two tabs (or a reload racing a timer) refreshing with the same cookie a moment apart
        # are not theft. The late one gets the refresh token the first use issued, not one
        # of its own: a stolen token replayed in the window must not start a second chain
        # that keeps rotating unnoticed; with one chain, whichever side refreshes second
        # presents a spent token and ends the sign-in.
        return await _issued_again(session, auth_session, row)
    if row.used_at is not None:
        await repository.revoke_session(session, auth_session.id, "refresh_reuse", now)
        await audit.record(
            session,
            None,
            "auth.refresh_reuse",
            "user",
            auth_session.user_id,
            union_id=None,
            after={"session_id": str(auth_session.id)},
        )
        # The revocation must persist although the answer is an error.
        raise _ReuseDetected()
    row.used_at = now
    principal = await repository.load_principal(
        session, auth_session.user_id, auth_session.id, None
    )
    if principal is None:
        raise Unauthorized("The account is disabled.", code=ErrorCode.SESSION_ENDED)
    pair, row.successor_jti = await _issue(session, auth_session.user_id, auth_session.id)
    await session.flush()
    return pair


class _ReuseDetected(Unauthorized):
    def __init__(self) -> None:
        super().__init__(
            "This refresh token was already used; the sign-in has been ended for safety.",
            code=ErrorCode.TOKEN_REUSED,
        )


ReuseDetected = _ReuseDetected


async def logout(session: AsyncSession, session_id: uuid.UUID | None, user_id: uuid.UUID) -> None:
    if session_id is not None:
        await repository.revoke_session(session, session_id, "logout", _now())
    await audit.record(session, None, "auth.logout", "user", user_id, union_id=None)


async def me(session: AsyncSession, principal: Principal) -> Me:
    """The signed-in user with the roles and permissions of this sign-in."""
    user = await repository.get_user_by_username(session, principal.username)
    if user is None:  # deleted after the token was issued
        raise Unauthorized("The account no longer exists.", code=ErrorCode.TOKEN_INVALID)
    return Me(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        roles=[
            AssignmentRead(id=a.id, role=a.role, union_id=a.union_id, union_name=a.union_name)
            for a in principal.assignments
        ],
        permissions=sorted(principal.permissions),
        kind=principal.kind,
        member_id=principal.member_id,
    )
