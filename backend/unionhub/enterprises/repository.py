"""Every SQL statement of the enterprise register, built on the scoped base query.

`filtered_query` and `EnterpriseFilters` are public: the spreadsheet export builds on them so an
export holds exactly the rows the list shows.
"""

import uuid
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    cast,
    exists,
    func,
    literal_column,
    not_,
    select,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, subtree_ids, unscoped
from unionhub.core.pagination import Keyset
from unionhub.core.text import contains, fold, starts_with
from unionhub.enterprises.models import Enterprise, OperatingStatus, WorkerSurvey
from unionhub.members.models import IN_MEMBERSHIP, Member
from unionhub.unions.models import Union, UnionStatus

# An enterprise with this many workers and no grassroots union is a founding target.
FOUNDING_MIN_WORKERS = 20

# A statement of any columns (SQLAlchemy 2.1 types Select by its column tuple).
AnySelect: TypeAlias = Select[*tuple[Any, ...]]
EnterpriseRows: TypeAlias = Select[Enterprise, bool]

SortKey = Literal["name", "-name", "total_workers", "-total_workers", "surveyed_on", "-surveyed_on"]


@dataclass
class EnterpriseFilters:
    """List filters; None means "any". `q` is folded text or a tax-code prefix."""

    q: str | None = None
    ownership: list[str] | None = None
    operating_status: list[str] | None = None
    responsible_union_id: uuid.UUID | None = None
    commune_code: str | None = None
    industrial_zone: str | None = None
    has_union: bool | None = None
    eligible: bool | None = None
    min_workers: int | None = None


def has_union_clause() -> ColumnElement[bool]:
    """EXISTS an active union living in the enterprise (correlated to `Enterprise`)."""
    # An alias, so the subquery never correlates to a `Union` joined by the outer query.
    own = aliased(Union)
    return exists().where(
        own.enterprise_id == Enterprise.id, own.status == UnionStatus.ACTIVE.value
    )


def eligible_clause(min_workers: int = FOUNDING_MIN_WORKERS) -> ColumnElement[bool]:
    """Operating, at least `min_workers` in the latest survey, and no active union."""
    return and_(
        Enterprise.operating_status == OperatingStatus.OPERATING.value,
        func.coalesce(Enterprise.total_workers, 0) >= min_workers,
        not_(has_union_clause()),
    )


def _tax_code_prefix(q: str) -> str | None:
    """A query made only of digits (and a branch dash) searches tax codes by prefix."""
    compact = q.strip().replace(" ", "").replace("-", "")
    return compact if compact.isdigit() else None


def filtered_query(
    principal: Principal,
    filters: EnterpriseFilters,
    permission: Permission = Permission.ENTERPRISES_READ,
) -> EnterpriseRows:
    """`SELECT enterprises.*, has_union` for the enterprises the caller may see, filtered.

    Rows are `(Enterprise, has_union: bool)`. The scope is the responsible union being in the
    caller's `permission` subtree; a `responsible_union_id` outside it simply matches nothing.
    No ordering is applied (see `order_by`).
    """
    stmt = select(Enterprise, has_union_clause().label("has_union")).where(
        in_scope(principal, Enterprise.responsible_union_id, permission)
    )
    f = filters
    if f.q and f.q.strip():
        prefix = _tax_code_prefix(f.q)
        if prefix is not None:
            stmt = stmt.where(Enterprise.tax_code.like(starts_with(prefix)))
        elif fold(f.q):
            stmt = stmt.where(Enterprise.search_text.like(contains(fold(f.q))))
    if f.ownership:
        stmt = stmt.where(Enterprise.ownership.in_(f.ownership))
    if f.operating_status:
        stmt = stmt.where(Enterprise.operating_status.in_(f.operating_status))
    if f.responsible_union_id is not None:
        stmt = stmt.where(Enterprise.responsible_union_id.in_(subtree_ids(f.responsible_union_id)))
    if f.commune_code:
        stmt = stmt.where(Enterprise.commune_code == f.commune_code)
    if f.industrial_zone:
        stmt = stmt.where(Enterprise.industrial_zone == f.industrial_zone)
    if f.has_union is not None:
        stmt = stmt.where(has_union_clause() if f.has_union else not_(has_union_clause()))
    if f.eligible is not None:
        stmt = stmt.where(eligible_clause() if f.eligible else not_(eligible_clause()))
    if f.min_workers is not None:
        stmt = stmt.where(Enterprise.total_workers >= f.min_workers)
    return stmt


# Vietnamese alphabetical order (Đ after D, accents after the bare letter); byte order would
# put every name starting with an accented capital after Z.
NAME_COLLATION = "vi-x-icu"


def order_by(stmt: EnterpriseRows, sort: SortKey) -> EnterpriseRows:
    key = sort.lstrip("-")
    column: Any = getattr(Enterprise, key)
    if key == "name":
        column = column.collate(NAME_COLLATION)
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    return stmt.order_by(order, Enterprise.id)


# The name order as a keyset (name in Vietnamese collation, then id; names are never empty).
NAME_KEYSET = Keyset(
    columns=(Enterprise.name.collate(NAME_COLLATION), Enterprise.id),
    types=(str, uuid.UUID),
    values=lambda row: (row[0].name, row[0].id),
)


async def get_scoped(
    session: AsyncSession,
    principal: Principal,
    enterprise_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> tuple[Enterprise, bool, str] | None:
    """One enterprise the caller may read, with has_union and its responsible union's path."""
    stmt = (
        select(Enterprise, has_union_clause().label("has_union"), Union.path)
        .join(Union, Union.id == Enterprise.responsible_union_id)
        .where(
            Enterprise.id == enterprise_id,
            in_scope(principal, Enterprise.responsible_union_id, Permission.ENTERPRISES_READ),
        )
    )
    if for_update:
        stmt = stmt.with_for_update(of=Enterprise)
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], bool(row[1]), str(row[2])) if row else None


async def tax_code_taken(
    session: AsyncSession, tax_code: str, exclude_id: uuid.UUID | None = None
) -> bool:
    """Whether another enterprise (in any scope) already holds this tax code."""
    stmt = select(exists().where(Enterprise.tax_code == tax_code))
    if exclude_id is not None:
        stmt = select(exists().where(Enterprise.tax_code == tax_code, Enterprise.id != exclude_id))
    return bool(await session.scalar(stmt))


async def member_counts(
    session: AsyncSession, enterprise_ids: list[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """Members on the books (active or suspended) per employer, in one grouped query."""
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        select(Member.enterprise_id, func.count())
        .where(Member.enterprise_id.in_(enterprise_ids), Member.status.in_(IN_MEMBERSHIP))
        .group_by(Member.enterprise_id)
    )
    return {r[0]: int(r[1]) for r in rows if r[0] is not None}


async def active_unions(
    session: AsyncSession, enterprise_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Union]:
    """The active union living in each enterprise (one query for a page)."""
    if not enterprise_ids:
        return {}
    rows = await session.execute(
        unscoped(
            select(Union)
            .where(
                Union.enterprise_id.in_(enterprise_ids), Union.status == UnionStatus.ACTIVE.value
            )
            .order_by(Union.founded_on.desc().nulls_last(), Union.id),
            reason="the union living in an enterprise the caller can see is shown with it",
        )
    )
    out: dict[uuid.UUID, Union] = {}
    for union in rows.scalars():
        if union.enterprise_id is not None:
            out.setdefault(union.enterprise_id, union)
    return out


async def union_names(session: AsyncSession, union_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not union_ids:
        return {}
    rows = await session.execute(
        unscoped(
            select(Union.id, Union.name).where(Union.id.in_(union_ids)),
            reason="the names of the responsible unions of enterprises read through the scope",
        )
    )
    return {r[0]: r[1] for r in rows}


async def surveys(session: AsyncSession, enterprise_id: uuid.UUID) -> list[WorkerSurvey]:
    """Survey history, newest first (same-day surveys: the later recorded first)."""
    return list(
        (
            await session.execute(
                select(WorkerSurvey)
                .where(WorkerSurvey.enterprise_id == enterprise_id)
                .order_by(
                    WorkerSurvey.surveyed_on.desc(),
                    WorkerSurvey.recorded_at.desc(),
                    WorkerSurvey.id.desc(),
                )
            )
        ).scalars()
    )


def gap_targets(
    principal: Principal,
    *,
    min_workers: int,
    ownership: list[str] | None,
    responsible_union_id: uuid.UUID | None,
) -> AnySelect:
    """Eligible enterprises in scope with their responsible union (unordered)."""
    stmt = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.tax_code,
            Enterprise.total_workers,
            Enterprise.female_workers,
            Enterprise.surveyed_on,
            Enterprise.ownership,
            Enterprise.commune_code,
            Union.id.label("union_id"),
            Union.code.label("union_code"),
            Union.name.label("union_name"),
        )
        .join(Union, Union.id == Enterprise.responsible_union_id)
        .where(
            in_scope(principal, Enterprise.responsible_union_id, Permission.ENTERPRISES_READ),
            eligible_clause(min_workers),
        )
    )
    if ownership:
        stmt = stmt.where(Enterprise.ownership.in_(ownership))
    if responsible_union_id is not None:
        stmt = stmt.where(Enterprise.responsible_union_id.in_(subtree_ids(responsible_union_id)))
    return stmt


def gap_report_json(targets: AnySelect, min_workers: int) -> Select[str]:
    """The whole gap report as one JSON document (the `GapReport` shape), built by PostgreSQL.

    Grouping, ordering and totals happen in the database: tens of thousands of targets would
    otherwise cost more in Python row and model handling than the query itself.
    """
    e = targets.subquery("e")
    item = func.json_build_object(
        "id", e.c.id,
        "name", e.c.name,
        "tax_code", e.c.tax_code,
        "total_workers", e.c.total_workers,
        "female_workers", e.c.female_workers,
        "surveyed_on", e.c.surveyed_on,
        "ownership", e.c.ownership,
        "commune_code", e.c.commune_code,
    )  # fmt: skip
    g = (
        select(
            e.c.union_id,
            e.c.union_code,
            e.c.union_name,
            func.count().label("n"),
            func.sum(e.c.total_workers).label("workers"),
            func.sum(func.coalesce(e.c.female_workers, 0)).label("female"),
            func.json_agg(
                aggregate_order_by(
                    item, e.c.total_workers.desc(), e.c.name.collate(NAME_COLLATION), e.c.id
                )
            ).label("enterprises"),
        )
        .group_by(e.c.union_id, e.c.union_code, e.c.union_name)
        .subquery("g")
    )
    group = func.json_build_object(
        "union", func.json_build_object(
            "id", g.c.union_id, "code", g.c.union_code, "name", g.c.union_name
        ),
        "enterprises", g.c.enterprises,
        "enterprise_count", g.c.n,
        "workers_total", g.c.workers,
    )  # fmt: skip
    groups = func.json_agg(
        aggregate_order_by(
            group, g.c.workers.desc(), g.c.union_name.collate(NAME_COLLATION), g.c.union_code
        )
    )
    report = func.json_build_object(
        "min_workers", min_workers,
        "groups", func.coalesce(groups, literal_column("'[]'::json")),
        "union_count", func.count(),
        "enterprise_count", func.coalesce(func.sum(g.c.n), 0),
        "workers_total", func.coalesce(func.sum(g.c.workers), 0),
        "female_workers_total", func.coalesce(func.sum(g.c.female), 0),
    )  # fmt: skip
    return select(cast(report, Text)).select_from(g)
