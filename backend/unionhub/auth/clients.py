"""Integration clients as callers: the client-credentials grant and the client's principal.

A client authenticates with its id and secret (HTTP Basic or form fields, RFC 6749 2.3.1) and
gets a short-lived access token, no refresh token: it holds its secret and asks again. The
secret is checked against the current hash and, during the overlap after a rotation, the
previous one. Failures count in the same throttle as people's sign-ins (key client:<id>).
"""

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth.models import IntegrationClient, User
from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import Assignment, Principal
from unionhub.authz.scope import unscoped
from unionhub.core.config import get_settings
from unionhub.core.security import create_client_token, verify_password
from unionhub.unions.models import Union


@dataclass
class ClientGrant:
    access_token: str
    expires_in: int
    scope: str


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """(client_id, secret) from `Authorization: Basic ...`, or None when it is not Basic.

    Both parts are form-urlencoded before base64 (RFC 6749 2.3.1), so they are unquoted.
    """
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return ("", "")
    return unquote(client_id), unquote(secret)


def _as_id(client_id: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(client_id.strip())
    except ValueError:
        return None


def secret_matches(client: IntegrationClient, secret: str, now: datetime) -> bool:
    """The current secret, or the previous one while its overlap lasts."""
    if verify_password(secret, client.secret_hash):
        return True
    return (
        client.previous_secret_hash is not None
        and client.previous_valid_until is not None
        and client.previous_valid_until > now
        and verify_password(secret, client.previous_secret_hash)
    )


async def grant(session: AsyncSession, client_id: str, secret: str) -> ClientGrant | None:
    """An access token for a live client whose secret matches; None otherwise (the same cost
    for unknown ids: the secret is still checked against a dummy hash)."""
    now = datetime.now(UTC)
    cid = _as_id(client_id)
    client = await session.get(IntegrationClient, cid) if cid else None
    if client is None or len(secret) > 256:
        await run_in_threadpool(verify_password, secret[:256], None)
        return None
    ok = await run_in_threadpool(secret_matches, client, secret, now)
    if not ok or client.revoked_at is not None:
        return None
    s = get_settings()
    limit = min(
        client.rate_limit_per_minute or s.client_rate_limit_per_minute,
        s.client_rate_limit_per_minute,
    )
    token, _ = create_client_token(
        client_id=client.id,
        ttl=timedelta(minutes=s.client_access_token_minutes),
        rate_limit=limit,
    )
    return ClientGrant(
        access_token=token,
        expires_in=s.client_access_token_minutes * 60,
        scope=" ".join(sorted(client.permissions)),
    )


async def load_client_principal(
    session: AsyncSession, client_id: uuid.UUID, ip: str | None
) -> Principal | None:
    """The caller behind a client's access token: a client not revoked, with its union and
    the permissions it was granted there (and nothing a role would add)."""
    row = (
        await session.execute(
            unscoped(
                select(
                    IntegrationClient.id,
                    IntegrationClient.permissions,
                    IntegrationClient.name,
                    User.id,
                    User.username,
                    Union.id,
                    Union.path,
                    Union.name,
                )
                .join(User, User.id == IntegrationClient.user_id)
                .join(Union, Union.id == IntegrationClient.union_id)
                .where(IntegrationClient.id == client_id, IntegrationClient.revoked_at.is_(None)),
                reason="a client's own union is what its scope is built from",
            )
        )
    ).one_or_none()
    if row is None:
        return None
    assignment = Assignment(
        # The client's grant is not a role; VIEWER only labels the assignment, the
        # permissions come from client_permissions.
        id=row[0],
        role=Role.VIEWER,
        union_id=row[5],
        union_path=row[6],
        union_name=row[7],
    )
    return Principal(
        user_id=row[3],
        username=row[4],
        full_name=row[2],
        session_id=None,
        assignments=(assignment,),
        client_ip=ip,
        kind="client",
        client_permissions=frozenset(Permission(p) for p in row[1]),
    )
