"""Read side of the enterprise register: list and detail with the derived fields.

Derived fields for a page come from a fixed number of grouped queries, never one per row.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Unprocessable
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.enterprises import repository as repo
from unionhub.enterprises.models import Enterprise, OperatingStatus
from unionhub.enterprises.schemas import EnterpriseRead, UnionRef
from unionhub.unions.models import Union


def is_eligible(enterprise: Enterprise, has_union: bool) -> bool:
    return (
        enterprise.operating_status == OperatingStatus.OPERATING.value
        and (enterprise.total_workers or 0) >= repo.FOUNDING_MIN_WORKERS
        and not has_union
    )


def to_read(
    enterprise: Enterprise,
    *,
    has_union: bool,
    union: Union | None,
    member_count: int,
    responsible_union_name: str | None,
) -> EnterpriseRead:
    data = {c.key: getattr(enterprise, c.key) for c in Enterprise.__table__.columns}
    total = enterprise.total_workers
    return EnterpriseRead.model_validate(
        {
            **data,
            "responsible_union_name": responsible_union_name,
            "has_union": has_union,
            "union": UnionRef.model_validate(union) if union is not None else None,
            "member_count": member_count,
            # No survey (or a survey of nobody) gives no meaningful density.
            "union_density": round(member_count / total, 4) if total else None,
            "eligible_to_found": is_eligible(enterprise, has_union),
        }
    )


async def to_reads(
    session: AsyncSession, rows: list[tuple[Enterprise, bool]]
) -> list[EnterpriseRead]:
    """`(enterprise, has_union)` rows with their derived fields, in a fixed number of queries."""
    ids = [e.id for e, _ in rows]
    counts = await repo.member_counts(session, ids)
    unions = await repo.active_unions(session, ids)
    names = await repo.union_names(session, list({e.responsible_union_id for e, _ in rows}))
    return [
        to_read(
            e,
            has_union=has_union,
            union=unions.get(e.id),
            member_count=counts.get(e.id, 0),
            responsible_union_name=names.get(e.responsible_union_id),
        )
        for e, has_union in rows
    ]


async def list_enterprises(
    session: AsyncSession,
    principal: Principal,
    filters: repo.EnterpriseFilters,
    page: PageParams,
    sort: repo.SortKey = "name",
    cursor: str | None = None,
) -> Page[EnterpriseRead]:
    """One page of the enterprises in scope; in name order it also pages by `cursor`."""
    if cursor is not None and sort != "name":
        raise Unprocessable(
            "cursor",
            ErrorCode.CURSOR_INVALID,
            "Only the name order has a cursor; use page.",
            in_="query",
        )
    stmt = repo.order_by(repo.filtered_query(principal, filters), sort)
    return await paginate(
        session,
        stmt,
        page,
        lambda rows: to_reads(session, [(r[0], bool(r[1])) for r in rows]),
        keyset=repo.NAME_KEYSET if sort == "name" else None,
        cursor=cursor,
    )
