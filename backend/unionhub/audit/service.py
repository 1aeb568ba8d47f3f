"""Reading the audit log (entries are written by core.audit.record inside each write)."""

from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.audit import repository as repo
from unionhub.audit.schemas import AuditEntryRead
from unionhub.authz.principal import Principal
from unionhub.core.pagination import Page, PageParams, paginate


async def list_entries(
    session: AsyncSession, principal: Principal, filters: repo.AuditFilters, page: PageParams
) -> Page[AuditEntryRead]:
    """Entries about unions in the caller's audit:read scope, newest first."""
    # A date-time without an offset is read as UTC rather than rejected.
    if filters.from_ is not None and filters.from_.tzinfo is None:
        filters.from_ = filters.from_.replace(tzinfo=UTC)
    if filters.to is not None and filters.to.tzinfo is None:
        filters.to = filters.to.replace(tzinfo=UTC)
    return await paginate(
        session,
        repo.entries_query(principal, filters),
        page,
        lambda rows: [AuditEntryRead.model_validate(r[0]) for r in rows],
    )
