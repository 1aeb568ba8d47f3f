"""The unionization gap: enterprises that should have a grassroots union and do not.

Programme target 3 ("a grassroots union in every enterprise with 20+ workers"): operating
enterprises at or above the worker threshold without an active union, grouped by the union
responsible for founding one. One statement over the denormalised latest survey; PostgreSQL
groups, orders and totals it and hands back the finished JSON document, so a province with tens
of thousands of targets costs one query and no per-row work in Python.
"""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.enterprises import repository as repo


async def unionization_gap_json(
    session: AsyncSession,
    principal: Principal,
    *,
    min_workers: int = repo.FOUNDING_MIN_WORKERS,
    ownership: list[str] | None = None,
    responsible_union_id: uuid.UUID | None = None,
) -> str:
    """Founding targets in the caller's scope by responsible union, most workers first,
    as a JSON document of the `GapReport` shape."""
    targets = repo.gap_targets(
        principal,
        min_workers=min_workers,
        ownership=ownership,
        responsible_union_id=responsible_union_id,
    )
    document = await session.scalar(repo.gap_report_json(targets, min_workers))
    assert document is not None, "an aggregate over no rows still yields one row"
    return document
