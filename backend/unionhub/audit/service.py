"""Reading the audit log (entries are written by core.audit.record inside each write)."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.audit import labels
from unionhub.audit import repository as repo
from unionhub.audit.schemas import AuditActor, AuditEntryRead
from unionhub.authz.principal import Principal
from unionhub.core.audit import AuditEntry
from unionhub.core.pagination import CursorPage, Keyset, PageParams, paginate

# Newest first, by (at, id): the log is the largest table there is, so it pages by cursor.
KEYSET = Keyset(
    columns=(AuditEntry.at, AuditEntry.id),
    types=(datetime, uuid.UUID),
    values=lambda row: (row[0].at, row[0].id),
    descending=True,
)


async def list_entries(
    session: AsyncSession,
    principal: Principal,
    filters: repo.AuditFilters,
    page: PageParams,
    cursor: str | None = None,
) -> CursorPage[AuditEntryRead]:
    """Entries about unions in the caller's audit:read scope, newest first (after `cursor`)."""
    # A date-time without an offset is read as UTC rather than rejected.
    if filters.from_ is not None and filters.from_.tzinfo is None:
        filters.from_ = filters.from_.replace(tzinfo=UTC)
    if filters.to is not None and filters.to.tzinfo is None:
        filters.to = filters.to.replace(tzinfo=UTC)

    async def read(rows: Sequence[Any]) -> list[AuditEntryRead]:
        entries = [r[0] for r in rows]
        names = await labels.for_entries(session, entries)
        return [
            AuditEntryRead.model_validate(e).model_copy(
                update={
                    "actor_name": names.actors.get(e.actor_id) if e.actor_id else None,
                    "entity_label": names.entity(e),
                    "union_name": names.unions.get(e.union_id) if e.union_id else None,
                }
            )
            for e in entries
        ]

    found = await paginate(
        session,
        repo.entries_query(principal, filters),
        page,
        read,
        keyset=KEYSET,
        cursor=cursor,
    )
    assert isinstance(found, CursorPage)
    return found


async def actors(
    session: AsyncSession, principal: Principal, q: str | None, limit: int = 20
) -> list[AuditActor]:
    """People who appear as actors in the caller's audit scope, for the "by whom" filter."""
    rows = await session.execute(repo.actors_query(principal, q, limit))
    return [AuditActor(id=r.id, username=r.username, full_name=r.full_name) for r in rows]
