"""Registering and looking after integration clients.

Who: holders of clients:manage (administrators, officers of the province and of
direct-superior unions), for unions in their subtree; a client is granted only permissions its
registrar holds at that union (no one hands out more than they have). The secret is shown
once, at registration and at each rotation; only its argon2 hash is kept.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from unionhub.auth.models import IntegrationClient, User
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope
from unionhub.clients import repository as repo
from unionhub.clients.schemas import (
    PII_BASIS_REQUIRED,
    ClientCreate,
    ClientPermission,
    ClientRead,
    ClientRotate,
    ClientUpdate,
    ClientUsageRead,
    ClientWithSecret,
)
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.client_calls import ClientUsage
from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.ids import uuid7
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.security import hash_password, new_client_secret
from unionhub.unions.models import UnionStatus

M = Permission.CLIENTS_MANAGE
_SECRETS = frozenset({"secret_hash", "previous_secret_hash"})
# The account a client acts through cannot sign in: no password hash verifies against this.
UNUSABLE_PASSWORD = "!client"


def _not_found() -> NotFound:
    return NotFound("No integration client with this id.", code=ErrorCode.CLIENT_NOT_FOUND)


def _read(client: IntegrationClient, union_name: str, usage: ClientUsage | None) -> ClientRead:
    return ClientRead(
        id=client.id,
        client_id=str(client.id),
        name=client.name,
        organisation=client.organisation,
        contact=client.contact,
        purpose=client.purpose,
        pii_basis=client.pii_basis,
        union_id=client.union_id,
        union_name=union_name,
        permissions=[ClientPermission(p) for p in client.permissions],
        rate_limit_per_minute=client.rate_limit_per_minute
        or get_settings().client_rate_limit_per_minute,
        status="revoked" if client.revoked_at else "active",
        created_at=client.created_at,
        secret_rotated_at=client.secret_rotated_at,
        previous_secret_valid_until=client.previous_valid_until,
        revoked_at=client.revoked_at,
        usage=ClientUsageRead(
            requests=usage.requests if usage else 0,
            errors=usage.errors if usage else 0,
            last_seen_at=usage.last_seen_at if usage else None,
        ),
        version=client.version,
    )


def _check_grants(
    principal: Principal, union_path: str, permissions: list[ClientPermission]
) -> None:
    for p in permissions:
        if not principal.holds_at(union_path, Permission(p.value)):
            raise Forbidden(
                f"You cannot grant {p.value}: you do not hold it at this union.",
                code=ErrorCode.PERMISSION_DENIED,
            )


async def create(
    session: AsyncSession, principal: Principal, data: ClientCreate
) -> ClientWithSecret:
    """Register a client; the answer carries its secret, the only time it is shown."""
    union = await get_union_in_scope(session, principal, data.union_id, M)
    if union.status != UnionStatus.ACTIVE.value:
        raise Unprocessable(
            "union_id", ErrorCode.UNION_INACTIVE, "The union is dissolved or merged."
        )
    permissions = sorted(set(data.permissions))
    _check_grants(principal, union.path, permissions)
    client_id = uuid7()
    account = User(
        username=f"client:{client_id}",
        full_name=data.name,
        email=None,
        password_hash=UNUSABLE_PASSWORD,
        is_active=False,
        version=1,
    )
    session.add(account)
    await session.flush()
    secret = new_client_secret()
    client = IntegrationClient(
        id=client_id,
        user_id=account.id,
        name=data.name,
        organisation=data.organisation,
        contact=data.contact,
        purpose=data.purpose,
        pii_basis=data.pii_basis,
        union_id=union.id,
        permissions=[p.value for p in permissions],
        rate_limit_per_minute=data.rate_limit_per_minute,
        secret_hash=await run_in_threadpool(hash_password, secret),
        created_by=None if principal.system else principal.user_id,
        version=1,
    )
    session.add(client)
    await session.flush()
    await session.refresh(client)
    await audit.record(
        session,
        principal,
        "client.create",
        "client",
        client.id,
        union_id=union.id,
        after=snapshot(client, _SECRETS),
    )
    return ClientWithSecret(**_read(client, union.name, None).model_dump(), client_secret=secret)


async def list_clients(
    session: AsyncSession, principal: Principal, params: PageParams, status: str | None
) -> Page[ClientRead]:
    return await paginate(
        session,
        repo.listing(principal, status=status),
        params,
        lambda rows: [_read(r[0], r[1], r[2]) for r in rows],
    )


async def get(session: AsyncSession, principal: Principal, client_id: uuid.UUID) -> ClientRead:
    found = await repo.get_scoped(session, principal, client_id)
    if found is None:
        raise _not_found()
    return _read(*found)


async def _load(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID, if_match: int | None
) -> tuple[IntegrationClient, str, ClientUsage | None]:
    found = await repo.get_scoped(session, principal, client_id, for_update=True)
    if found is None:
        raise _not_found()
    check_version(found[0], if_match, "client")
    return found


async def _saved(
    session: AsyncSession,
    principal: Principal,
    found: tuple[IntegrationClient, str, ClientUsage | None],
    action: str,
    before: dict[str, Any],
) -> ClientRead:
    client = found[0]
    client.version += 1
    await session.flush()
    await session.refresh(client)
    await audit.record(
        session,
        principal,
        action,
        "client",
        client.id,
        union_id=client.union_id,
        before=before,
        after=snapshot(client, _SECRETS),
    )
    return _read(*found)


async def update(
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    data: ClientUpdate,
    if_match: int | None,
) -> ClientRead:
    found = await _load(session, principal, client_id, if_match)
    client = found[0]
    if client.revoked_at is not None:
        raise Conflict("A revoked client cannot be changed.", code=ErrorCode.CLIENT_REVOKED)
    before = snapshot(client, _SECRETS)
    changes = data.model_dump(exclude_unset=True)
    if "permissions" in changes and data.permissions is not None:
        permissions = sorted(set(data.permissions))
        _check_grants(principal, await _path(session, principal, client), permissions)
        changes["permissions"] = [p.value for p in permissions]
    for field, value in changes.items():
        setattr(client, field, value)
    if Permission.MEMBERS_PII.value in client.permissions and not client.pii_basis:
        raise Unprocessable("pii_basis", ErrorCode.PII_BASIS_REQUIRED, PII_BASIS_REQUIRED)
    return await _saved(session, principal, found, "client.update", before)


async def _path(session: AsyncSession, principal: Principal, client: IntegrationClient) -> str:
    union = await get_union_in_scope(session, principal, client.union_id, M)
    return union.path


async def rotate(
    session: AsyncSession,
    principal: Principal,
    client_id: uuid.UUID,
    data: ClientRotate,
    if_match: int | None,
) -> ClientWithSecret:
    """A new secret; the current one keeps working for the overlap, then stops."""
    found = await _load(session, principal, client_id, if_match)
    client = found[0]
    if client.revoked_at is not None:
        raise Conflict("A revoked client cannot get a new secret.", code=ErrorCode.CLIENT_REVOKED)
    before = snapshot(client, _SECRETS)
    now = datetime.now(UTC)
    hours = (
        data.overlap_hours
        if data.overlap_hours is not None
        else get_settings().client_secret_overlap_hours
    )
    secret = new_client_secret()
    client.previous_secret_hash = client.secret_hash if hours > 0 else None
    client.previous_valid_until = now + timedelta(hours=hours) if hours > 0 else None
    client.secret_hash = await run_in_threadpool(hash_password, secret)
    client.secret_rotated_at = now
    read = await _saved(session, principal, found, "client.rotate", before)
    return ClientWithSecret(**read.model_dump(), client_secret=secret)


async def revoke(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID, if_match: int | None
) -> ClientRead:
    """Immediately: its tokens stop working at their next request, its secrets at once."""
    found = await _load(session, principal, client_id, if_match)
    client = found[0]
    if client.revoked_at is not None:
        return _read(*found)
    before = snapshot(client, _SECRETS)
    client.revoked_at = datetime.now(UTC)
    client.previous_secret_hash = None
    client.previous_valid_until = None
    return await _saved(session, principal, found, "client.revoke", before)
