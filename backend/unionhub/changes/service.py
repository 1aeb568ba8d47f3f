"""Paging the change feed; cursors are opaque to followers (base64 of "txid.id")."""

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.changes import repository as repo
from unionhub.changes.schemas import ChangePage, ChangeRead
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.core.outbox import ChangeEvent

START = (0, 0)


def encode_cursor(txid: int, event_id: int) -> str:
    return base64.urlsafe_b64encode(f"{txid}.{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return START
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        txid, event_id = raw.split(".")
        return int(txid), int(event_id)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unprocessable(
            "cursor",
            ErrorCode.INVALID_CURSOR,
            "The cursor is not one this feed gave out.",
            in_="query",
        ) from None


def event_id(event: ChangeEvent | Row[Any]) -> str:
    return f"evt_{event.txid}_{event.id}"


def to_read(event: Row[Any]) -> ChangeRead:
    # model_construct: the values come from our own table, already of the declared types.
    return ChangeRead.model_construct(
        id=event_id(event),
        type=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        union_id=event.union_id,
        changed=event.changed,
        at=event.at,
        cursor=encode_cursor(event.txid, event.id),
    )


async def changes(
    session: AsyncSession,
    principal: Principal,
    cursor: str | None,
    types: Sequence[str],
    limit: int,
) -> ChangePage:
    """The next events after `cursor` that the caller may see, oldest first."""
    after = decode_cursor(cursor)
    events = await repo.page(session, principal, after, types, limit + 1)
    items = [to_read(e) for e in events[:limit]]
    return ChangePage(
        items=items,
        next_cursor=items[-1].cursor if items else (cursor or encode_cursor(*START)),
        has_more=len(events) > limit,
    )
