"""Paging the change feed; cursors are opaque to followers (base64 of "txid.id")."""

import base64
import binascii
from base64 import urlsafe_b64encode
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.changes import repository as repo
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


def item_of(row: Sequence[Any]) -> dict[str, Any]:
    """One event as the JSON of `ChangeRead` (a plain dict: a page holds up to 5,000 of them,
    and building response models for them was most of a page's time; docs/benchmarks.md)."""
    txid, event, action, entity_type, entity_id, union_id, changed, at = row
    position = f"{txid}.{event}"
    return {
        "id": f"evt_{txid}_{event}",
        "type": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "union_id": union_id,
        "changed": changed,
        "at": at,
        "cursor": urlsafe_b64encode(position.encode()).decode().rstrip("="),
    }


async def changes(
    session: AsyncSession,
    principal: Principal,
    cursor: str | None,
    types: Sequence[str],
    limit: int,
) -> dict[str, Any]:
    """The next events after `cursor` that the caller may see, oldest first: the JSON of a
    `ChangePage` (the router writes it with orjson)."""
    after = decode_cursor(cursor)
    rows = await repo.page(session, principal, after, types, limit + 1)
    items = [item_of(r) for r in rows[:limit]]
    return {
        "items": items,
        "next_cursor": items[-1]["cursor"] if items else (cursor or encode_cursor(*START)),
        "has_more": len(rows) > limit,
    }
