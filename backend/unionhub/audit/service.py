"""Reading the audit log (entries are written by core.audit.record inside each write)."""

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.audit import repository as repo
from unionhub.audit.schemas import AuditEntryRead
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
    found = await paginate(
        session,
        repo.entries_query(principal, filters),
        page,
        lambda rows: [AuditEntryRead.model_validate(r[0]) for r in rows],
        keyset=KEYSET,
        cursor=cursor,
    )
    assert isinstance(found, CursorPage)
    return found
