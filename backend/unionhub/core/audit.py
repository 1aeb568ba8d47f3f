"""The audit log: every write records who, when, what, before and after, and the request id."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from sqlalchemy import ForeignKey, Index, String, Uuid, bindparam, func, insert
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, write_driver
from unionhub.core.ids import uuid7
from unionhub.core.logging import request_id_var
from unionhub.core.outbox import add_event


class Actor(Protocol):
    """Who did it, as the audit log records it (authz's `Principal` is one)."""

    @property
    def user_id(self) -> uuid.UUID: ...
    @property
    def username(self) -> str: ...
    @property
    def system(self) -> bool: ...
    @property
    def client_ip(self) -> str | None: ...


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_entity", "entity_type", "entity_id"),
        Index("ix_audit_log_union_id_at", "union_id", "at"),
        Index("ix_audit_log_actor_id_at", "actor_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID | None]
    # The union the entity belongs to: what scopes who may read the entry.
    union_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(64))
    client_ip: Mapped[str | None] = mapped_column(INET)


class AuditLink(Base):
    """An entity that entries about another one also concern: the entries of an import job
    (`import.commit`) concern every member the import wrote. A search of the log by an
    entity's id finds them through this table, which a bulk write fills set-based (COPY)
    rather than with one entry per row. No foreign keys: like the log, it outlives both."""

    __tablename__ = "audit_links"
    __table_args__ = (Index("ix_audit_links_via", "via_type", "via_id"),)

    entity_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    via_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    via_type: Mapped[str] = mapped_column(String(32))


AUDIT_LINK_COLUMNS = ("entity_type", "entity_id", "via_type", "via_id")


def jsonable(value: Any) -> Any:
    """`value` as JSON carries it: ids, dates and decimals as text, enums as their value,
    nested."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # points and shares: exact, as the API shows them
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: Any, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Column values of an ORM row, JSON-ready, for before/after."""
    table = obj.__table__
    return {
        c.key: jsonable(getattr(obj, c.key))
        for c in table.columns
        if c.key not in exclude and c.key not in {"search_text", "password_hash", "tree_key"}
    }


async def record(
    session: AsyncSession,
    principal: Actor | None,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    *,
    union_id: uuid.UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    client_ip: str | None = None,
    actor_username: str | None = None,
) -> None:
    """Add an audit entry to the current transaction (it commits or rolls back with the write),
    and, for a change to a record the change feed carries, its event (core.outbox)."""
    before = jsonable(before) if before is not None else None
    after = jsonable(after) if after is not None else None
    await add_event(session, entity_type, entity_id, action, union_id, before, after)
    session.add(
        AuditEntry(
            actor_id=principal.user_id if principal and not principal.system else None,
            actor_username=principal.username if principal else actor_username,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            union_id=union_id,
            before=before,
            after=after,
            request_id=request_id_var.get(),
            client_ip=client_ip or (principal.client_ip if principal else None),
        )
    )


async def record_read(
    session: AsyncSession,
    principal: Actor,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    *,
    union_id: uuid.UUID | None,
    after: dict[str, Any] | None = None,
) -> None:
    """Audit a read of personal data on the hot read path: one INSERT on the driver, before
    the answer is sent, with no ORM object to flush (`db.write_driver`). In the request's
    transaction when it has one (it commits with the request's writes or not at all);
    otherwise the statement alone, committed by the server as it runs: one round trip instead
    of a session, BEGIN, INSERT and COMMIT (issue 9). Either way an answer that reveals
    personal data is never sent unless its entry is written: a failed INSERT fails the
    request."""
    await write_driver(
        session,
        _READ_ENTRY,
        {
            "id": uuid7(),
            "actor_id": None if principal.system else principal.user_id,
            "actor_username": principal.username,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "union_id": union_id,
            "after": jsonable(after) if after is not None else None,
            "request_id": request_id_var.get(),
            "client_ip": principal.client_ip,
        },
    )


# Built once: every column a parameter but `at` (the server's clock) and `before` (a read
# changes nothing). The types are written out: a column declared by its foreign key has none
# yet when this module is imported.
_READ_ENTRY = insert(AuditEntry.__table__).values(  # type: ignore[arg-type]
    {
        "id": bindparam("id", type_=Uuid()),
        "actor_id": bindparam("actor_id", type_=Uuid()),
        "actor_username": bindparam("actor_username", type_=String()),
        "action": bindparam("action", type_=String()),
        "entity_type": bindparam("entity_type", type_=String()),
        "entity_id": bindparam("entity_id", type_=Uuid()),
        "union_id": bindparam("union_id", type_=Uuid()),
        "after": bindparam("after", type_=JSONB()),
        "request_id": bindparam("request_id", type_=String()),
        "client_ip": bindparam("client_ip", type_=INET()),
    }
)
