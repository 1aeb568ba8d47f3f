"""SQL for integration clients: every read through the caller's clients:manage scope."""

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.models import IntegrationClient
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core.client_calls import ClientUsage
from unionhub.unions.models import Union

M = Permission.CLIENTS_MANAGE


def scoped(principal: Principal) -> Select[IntegrationClient, str, ClientUsage]:
    """Clients of the unions where the caller manages clients, with union name and usage."""
    return (
        select(IntegrationClient, Union.name, ClientUsage)
        .join(Union, Union.id == IntegrationClient.union_id)
        .outerjoin(ClientUsage, ClientUsage.client_id == IntegrationClient.id)
        .where(in_scope(principal, IntegrationClient.union_id, M))
    )


async def get_scoped(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID, *, for_update: bool = False
) -> tuple[IntegrationClient, str, ClientUsage | None] | None:
    stmt = scoped(principal).where(IntegrationClient.id == client_id)
    if for_update:
        stmt = stmt.with_for_update(of=IntegrationClient)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1], row[2]) if row else None


def listing(
    principal: Principal, *, status: str | None
) -> Select[IntegrationClient, str, ClientUsage]:
    stmt = scoped(principal)
    if status == "active":
        stmt = stmt.where(IntegrationClient.revoked_at.is_(None))
    elif status == "revoked":
        stmt = stmt.where(IntegrationClient.revoked_at.is_not(None))
    return stmt.order_by(IntegrationClient.created_at.desc(), IntegrationClient.id)
