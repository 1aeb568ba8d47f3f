"""SQL of the audit log, built on the caller's audit:read scope."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select, tuple_

from unionhub.auth.models import User
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core.audit import AuditEntry, AuditLink
from unionhub.core.text import contains, fold, starts_with


@dataclass
class AuditFilters:
    entity_type: str | None = None
    entity_id: uuid.UUID | None = None
    actor_id: uuid.UUID | None = None
    action: str | None = None
    action_exact: str | None = None
    union_id: uuid.UUID | None = None
    from_: datetime | None = None
    to: datetime | None = None


def entries_query(principal: Principal, filters: AuditFilters) -> Select[AuditEntry]:
    """The entries matching `filters` in the caller's audit:read scope, newest first."""
    # Entries without a union (sign-ins, system events) fall outside every non-admin scope.
    stmt = select(AuditEntry).where(in_scope(principal, AuditEntry.union_id, Permission.AUDIT_READ))
    if filters.entity_id:
        # The entity's own entries, and those of the bulk writes that touched it (an
        # import's entries for each member it wrote: core.audit.AuditLink).
        links = select(AuditLink.via_type, AuditLink.via_id).where(
            AuditLink.entity_id == filters.entity_id
        )
        own = AuditEntry.entity_id == filters.entity_id
        if filters.entity_type:
            links = links.where(AuditLink.entity_type == filters.entity_type)
            own = and_(own, AuditEntry.entity_type == filters.entity_type)
        stmt = stmt.where(or_(own, tuple_(AuditEntry.entity_type, AuditEntry.entity_id).in_(links)))
    elif filters.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == filters.entity_type)
    if filters.actor_id:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.action:
        stmt = stmt.where(AuditEntry.action.like(starts_with(filters.action)))
    if filters.action_exact:
        stmt = stmt.where(AuditEntry.action == filters.action_exact)
    if filters.union_id:
        stmt = stmt.where(AuditEntry.union_id == filters.union_id)
    if filters.from_:
        stmt = stmt.where(AuditEntry.at >= filters.from_)
    if filters.to:
        stmt = stmt.where(AuditEntry.at < filters.to)
    # `at` is the transaction time, shared by a request's entries; uuid7 ids keep their order.
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def actors_query(principal: Principal, q: str | None, limit: int) -> Select[uuid.UUID, str, str]:
    """Accounts that acted in the caller's audit scope, matching `q` on name or username."""
    acted = select(AuditEntry.actor_id).where(
        AuditEntry.actor_id.is_not(None),
        in_scope(principal, AuditEntry.union_id, Permission.AUDIT_READ),
    )
    stmt = select(User.id, User.username, User.full_name).where(User.id.in_(acted))
    if q:
        pattern = contains(fold(q))
        stmt = stmt.where(
            or_(func.unaccent(User.full_name).ilike(pattern), User.username.ilike(pattern))
        )
    return stmt.order_by(User.full_name, User.username).limit(limit)
