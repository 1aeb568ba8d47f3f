"""The SQL of periodic reports, each read built on the caller's scope.

A report is seen by whoever holds `reports:read` at its unit (or above it: the asking union
sees its children's). A request is seen by the asking union's readers and by the readers of
any unit it was sent to.
"""

import uuid
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.reports.models import Report, ReportRequest, ReportTemplate
from unionhub.unions.models import Union

READ = Permission.REPORTS_READ
Unit = aliased(Union, name="unit")
Asker = aliased(Union, name="asker")


def report_rows(principal: Principal) -> Any:
    """Reports in scope with their request, template and both unions' names."""
    return (
        select(Report, ReportRequest, ReportTemplate, Unit.name, Asker.name)
        .join(ReportRequest, ReportRequest.id == Report.request_id)
        .join(ReportTemplate, ReportTemplate.id == ReportRequest.template_id)
        .join(Unit, Unit.id == Report.union_id)
        .join(Asker, Asker.id == ReportRequest.union_id)
        .where(in_scope(principal, Report.union_id, READ))
    )


async def get_report(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, *, for_update: bool = False
) -> Any | None:
    stmt = report_rows(principal).where(Report.id == report_id)
    if for_update:
        stmt = stmt.with_for_update(of=Report)
    return (await session.execute(stmt)).one_or_none()


def request_visible(principal: Principal) -> Any:
    """The caller sees the request: they read at the asking union or at a unit asked."""
    return or_(
        in_scope(principal, ReportRequest.union_id, READ),
        exists().where(
            Report.request_id == ReportRequest.id, in_scope(principal, Report.union_id, READ)
        ),
    )


def request_rows(principal: Principal) -> Any:
    units = (
        select(func.count())
        .where(Report.request_id == ReportRequest.id, Report.consolidated.is_(False))
        .correlate(ReportRequest)
        .scalar_subquery()
    )
    own = (
        select(Report.id)
        .where(
            Report.request_id == ReportRequest.id,
            Report.consolidated.is_(True),
            in_scope(principal, Report.union_id, READ),
        )
        .correlate(ReportRequest)
        .scalar_subquery()
    )
    return (
        select(ReportRequest, ReportTemplate, Asker.name, units, own)
        .join(ReportTemplate, ReportTemplate.id == ReportRequest.template_id)
        .join(Asker, Asker.id == ReportRequest.union_id)
        .where(request_visible(principal))
    )


async def get_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> Any | None:
    stmt = request_rows(principal).where(ReportRequest.id == request_id)
    return (await session.execute(stmt)).one_or_none()


async def reports_of(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, *, consolidated: bool
) -> list[Any]:
    """The request's reports the caller may see (its units', or the asking union's own)."""
    stmt = (
        report_rows(principal)
        .where(Report.request_id == request_id, Report.consolidated.is_(consolidated))
        .order_by(Unit.name, Report.id)
    )
    return list((await session.execute(stmt)).all())


async def forwarded(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID, union_id: uuid.UUID
) -> tuple[uuid.UUID, Report | None] | None:
    """The request `union_id` forwarded from `request_id` (if the caller sees it), with the
    union's own (consolidated) report in it."""
    row = (
        await session.execute(
            select(ReportRequest.id, Report)
            .outerjoin(
                Report,
                and_(Report.request_id == ReportRequest.id, Report.consolidated.is_(True)),
            )
            .where(
                ReportRequest.parent_request_id == request_id,
                ReportRequest.union_id == union_id,
                in_scope(principal, ReportRequest.union_id, READ),
            )
        )
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def asked_report(
    session: AsyncSession, request_id: uuid.UUID, union_id: uuid.UUID
) -> Report | None:
    """The unit's report in a request, locked (one forward at a time per unit and request)."""
    return await session.scalar(
        select(Report)
        .where(
            Report.request_id == request_id,
            Report.union_id == union_id,
            Report.consolidated.is_(False),
        )
        .with_for_update()
    )


async def forwarded_id(
    session: AsyncSession, request_id: uuid.UUID, union_id: uuid.UUID
) -> uuid.UUID | None:
    return await session.scalar(
        select(ReportRequest.id).where(
            ReportRequest.parent_request_id == request_id, ReportRequest.union_id == union_id
        )
    )


async def latest_template_version(session: AsyncSession, code: str) -> int:
    return int(
        await session.scalar(
            select(func.coalesce(func.max(ReportTemplate.version), 0)).where(
                ReportTemplate.code == code
            )
        )
        or 0
    )


def latest_templates() -> Select[ReportTemplate]:
    newer = aliased(ReportTemplate)
    return select(ReportTemplate).where(
        ~exists().where(
            and_(newer.code == ReportTemplate.code, newer.version > ReportTemplate.version)
        )
    )
