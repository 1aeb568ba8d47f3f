"""The outbox: one event per change to the records integrations follow, in the change's own
transaction (docs/adr/0010-integration-clients-and-change-feed.md).

Every audited write calls `core.audit.record`, which calls `add_event` here: so no change is
without its event and no event without its change (they commit or roll back together). Bulk
writes that bypass the ORM (imports' COPY) add theirs with `copy_events`.

Order: `txid` is the writing transaction's id (pg_current_xact_id), `id` a sequence within it.
A reader only sees events of transactions older than every transaction still running
(`visible_horizon`), so an event can never appear behind a cursor that has already passed its
place: the feed is read in (txid, id) order, which every reader sees the same, and gaps are
impossible rather than merely unlikely.

Events are thin: what changed (type, id, action, the names of the fields), never the values, so
the feed carries no personal data; a follower reads the record through the API, which masks.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Identity,
    Index,
    String,
    func,
    insert,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base

# Entity types the feed carries (audit entity types), and the read permission a follower needs.
FEED_TYPES: dict[str, str] = {
    "union": "unions:read",
    "member": "members:read",
    "cadre_assignment": "members:read",
    "transfer_request": "members:read",
    "enterprise": "enterprises:read",
    "evaluation": "evaluations:read",
    "evaluation_round": "evaluations:read",
    "report": "reports:read",
    "report_request": "reports:read",
}
# Audited reads are not changes.
_READ_ACTIONS = (".pii_read", ".id_search", ".export")
# Bookkeeping columns every write touches: not worth a follower's attention.
_NOT_FIELDS = frozenset({"version", "updated_at", "created_at", "search_text"})

CURRENT_TXID = text("(pg_current_xact_id()::text)::bigint")


class ChangeEvent(Base):
    __tablename__ = "change_events"
    __table_args__ = (
        Index("ix_change_events_txid_id", "txid", "id"),
        Index("ix_change_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger, server_default=CURRENT_TXID)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(64))
    # The union the entity belongs to: who may see the event (no foreign key: events outlive
    # nothing, but a union is never deleted anyway).
    union_id: Mapped[uuid.UUID | None]
    changed: Mapped[list[str]] = mapped_column(ARRAY(String(64)))


# Built once; txid, id and at come from the columns' server defaults.
_INSERT_EVENT = insert(ChangeEvent.__table__)  # type: ignore[arg-type]


def is_change(entity_type: str, action: str) -> bool:
    return entity_type in FEED_TYPES and not action.endswith(_READ_ACTIONS)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Names of the fields that differ (all of `after`'s for a creation)."""
    before, after = before or {}, after or {}
    keys = set(before) | set(after)
    return sorted(k for k in keys if k not in _NOT_FIELDS and before.get(k) != after.get(k))


async def add_event(
    session: AsyncSession,
    entity_type: str,
    entity_id: uuid.UUID | None,
    action: str,
    union_id: uuid.UUID | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add the change's event to the current transaction (see the module docstring): one
    prebuilt INSERT executed now, on the write's connection, with no ORM object to flush and
    no id to read back (the outbox's share of a write; docs/benchmarks.md)."""
    if not is_change(entity_type, action):
        return
    conn = await session.connection()
    await conn.execute(
        _INSERT_EVENT,
        {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "action": action,
            "union_id": union_id,
            "changed": changed_fields(before, after)[:100],
        },
    )


# Columns of a bulk write's events: (entity type, entity id, action, union id, changed fields).
FEED_COLUMNS = ("entity_type", "entity_id", "action", "union_id", "changed")


async def copy_events(conn: Any, records: list[tuple[Any, ...]]) -> None:
    """The events of a bulk write (FEED_COLUMNS each) on its raw asyncpg connection."""
    if records:
        await conn.copy_records_to_table("change_events", records=records, columns=FEED_COLUMNS)


# The oldest transaction that may still add events: the lowest xid the statement's snapshot
# sees in progress, leaving out those that pg_stat_activity shows running in another database
# (a backend never changes database, and only this database's transactions write here); none:
# the snapshot's xmax. An xid that cannot be placed counts (it could be ours).
HORIZON = (
    "(SELECT coalesce("
    "(SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x "
    "WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a "
    "WHERE a.datname IS DISTINCT FROM current_database() "
    "AND a.backend_xid::text::bigint = x::text::bigint % 4294967296)), "
    "pg_snapshot_xmax(pg_current_snapshot())::text::bigint))"
)


def below_horizon() -> ColumnElement[bool]:
    """Events of transactions older than every running one of this database (HORIZON)."""
    xmin: ColumnElement[int] = literal_column(HORIZON)
    return ChangeEvent.txid < xmin


def own_above_horizon() -> ColumnElement[bool]:
    """The reader's own transaction's events that `below_horizon` leaves out (none when it
    has written nothing: then it has no xid)."""
    xmin: ColumnElement[int] = literal_column(HORIZON)
    own: ColumnElement[int] = literal_column("(pg_current_xact_id_if_assigned()::text)::bigint")
    return (ChangeEvent.txid == own) & (ChangeEvent.txid >= xmin)


def visible_horizon() -> ColumnElement[bool]:
    """Events a reader may see now: those of transactions older than every running one of
    this database (HORIZON), and its own transaction's (a request reads its own writes)."""
    xmin: ColumnElement[int] = literal_column(HORIZON)
    own: ColumnElement[int] = literal_column("(pg_current_xact_id_if_assigned()::text)::bigint")
    return (ChangeEvent.txid < xmin) | (ChangeEvent.txid == own)
