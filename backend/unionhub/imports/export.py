"""Exports of the member and enterprise registers, in the import layout (they re-import).

The rows are exactly those of the list endpoints (their `filtered_query`), read by keyset
pages on the id in a session of their own (the request's session is closed once the response
starts streaming). Personal data is masked row by row where the caller lacks members:pii.
Each export is audited with its filters and row count before the first byte leaves.
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core import audit
from unionhub.enterprises.models import Enterprise
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.enterprises.repository import filtered_query as enterprise_query
from unionhub.enterprises.validation import format_tax_code
from unionhub.imports.jobs import SessionFactory
from unionhub.imports.service import acting_union
from unionhub.imports.sheets import TableStream, formats, stream_batches
from unionhub.imports.vocab import (
    EDUCATION,
    ENTERPRISE_COLUMNS,
    GENDER,
    MEMBER_COLUMNS,
    NATIONALITY_LABEL,
    NO,
    OPERATING,
    OWNERSHIP,
    POLITICAL,
    YES,
)
from unionhub.imports.xlsx_reader import Cell
from unionhub.members.masking import mask_passport, mask_personal_id, mask_phone
from unionhub.members.models import Member
from unionhub.members.repository import MemberFilters
from unionhub.members.repository import filtered_query as member_query
from unionhub.unions.models import Union

P = Permission
Stmt = Select[*tuple[Any, ...]]
PAGE = 2_000


def _members_stmt(principal: Principal, filters: MemberFilters) -> Stmt:
    # Aliases: the scope and filter subqueries on `unions`/`enterprises` must not correlate
    # to the tables joined here for the codes.
    unit = aliased(Union)
    employer = aliased(Enterprise)
    m = Member
    return (
        member_query(principal, filters)
        .with_only_columns(
            m.id,
            m.full_name,
            m.date_of_birth,
            m.gender,
            m.ethnicity,
            m.nationality,
            m.personal_id,
            m.passport_no,
            m.phone,
            m.email,
            m.commune_code,
            m.education_level,
            m.professional_qualification,
            m.political_theory,
            m.occupation,
            employer.tax_code.label("tax_code"),
            m.party_member,
            m.admission_date,
            m.card_number,
            unit.code.label("union_code"),
            in_scope(principal, m.union_id, P.MEMBERS_PII).label("pii"),
            maintain_column_froms=False,
        )
        .select_from(m)
        .join(unit, unit.id == m.union_id)
        .outerjoin(employer, employer.id == m.enterprise_id)
    )


def _member_cells(number: int, r: Any) -> list[Cell]:
    pii = bool(r.pii)
    return [
        number,
        r.full_name,
        r.date_of_birth,
        GENDER.get(r.gender, r.gender),
        r.ethnicity,
        NATIONALITY_LABEL.get(r.nationality, r.nationality),
        r.personal_id if pii else mask_personal_id(r.personal_id),
        r.passport_no if pii else mask_passport(r.passport_no),
        r.phone if pii else mask_phone(r.phone),
        r.email,
        r.commune_code,
        EDUCATION.get(r.education_level or "", r.education_level),
        r.professional_qualification,
        POLITICAL.get(r.political_theory or "", r.political_theory),
        r.occupation,
        r.tax_code,
        YES if r.party_member else NO,
        r.admission_date,
        r.card_number,
        r.union_code,
    ]


def _enterprises_stmt(principal: Principal, filters: EnterpriseFilters) -> Stmt:
    responsible = aliased(Union)
    e = Enterprise
    return (
        enterprise_query(principal, filters)
        .with_only_columns(
            e.id,
            e.name,
            e.short_name,
            e.tax_code,
            e.ownership,
            e.vsic_code,
            e.commune_code,
            e.address,
            e.industrial_zone,
            responsible.code.label("union_code"),
            e.operating_status,
            e.total_workers,
            e.female_workers,
            e.surveyed_on,
            maintain_column_froms=False,
        )
        .select_from(e)
        .join(responsible, responsible.id == e.responsible_union_id)
    )


def _enterprise_cells(number: int, r: Any) -> list[Cell]:
    return [
        number,
        r.name,
        r.short_name,
        format_tax_code(r.tax_code),
        OWNERSHIP.get(r.ownership, r.ownership),
        r.vsic_code,
        r.commune_code,
        r.address,
        r.industrial_zone,
        r.union_code,
        OPERATING.get(r.operating_status, r.operating_status),
        r.total_workers,
        r.female_workers,
        r.surveyed_on,
    ]


async def _pages(
    sessions: SessionFactory, stmt: Stmt, id_column: Any, to_cells: Any
) -> AsyncIterator[list[list[Cell]]]:
    """Keyset pages by id: every page is one short indexed query, whatever the offset."""
    number = 0
    last: uuid.UUID | None = None
    async with sessions() as session:
        while True:
            page = stmt.order_by(id_column).limit(PAGE)
            if last is not None:
                page = page.where(id_column > last)
            rows = (await session.execute(page)).all()
            if not rows:
                return
            out = []
            for r in rows:
                number += 1
                out.append(to_cells(number, r))
            last = rows[-1].id
            yield out


async def _count(session: AsyncSession, stmt: Stmt) -> int:
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _jsonable_filters(filters: Any) -> dict[str, Any]:
    data = asdict(filters)
    data.pop("today", None)
    return {k: v for k, v in audit._jsonable(data).items() if v is not None}


async def export_members(
    session: AsyncSession,
    principal: Principal,
    sessions: SessionFactory,
    filters: MemberFilters,
    fmt: str,
) -> tuple[AsyncIterator[bytes], int]:
    """The audit entry (in the request's transaction) and the byte stream of the export."""
    stmt = _members_stmt(principal, filters)
    rows = await _count(session, member_query(principal, filters))
    await audit.record(
        session,
        principal,
        "members.export",
        "member",
        None,
        union_id=acting_union(principal, P.MEMBERS_READ),
        after={"filters": _jsonable_filters(filters), "rows": rows, "format": fmt},
    )
    table = TableStream(
        fmt, [c.header for c in MEMBER_COLUMNS], formats(MEMBER_COLUMNS), "Đoàn viên"
    )
    return stream_batches(table, _pages(sessions, stmt, Member.id, _member_cells)), rows


async def export_enterprises(
    session: AsyncSession,
    principal: Principal,
    sessions: SessionFactory,
    filters: EnterpriseFilters,
    fmt: str,
) -> tuple[AsyncIterator[bytes], int]:
    stmt = _enterprises_stmt(principal, filters)
    rows = await _count(session, enterprise_query(principal, filters))
    await audit.record(
        session,
        principal,
        "enterprises.export",
        "enterprise",
        None,
        union_id=acting_union(principal, P.ENTERPRISES_READ),
        after={"filters": _jsonable_filters(filters), "rows": rows, "format": fmt},
    )
    table = TableStream(
        fmt, [c.header for c in ENTERPRISE_COLUMNS], formats(ENTERPRISE_COLUMNS), "Doanh nghiệp"
    )
    return stream_batches(table, _pages(sessions, stmt, Enterprise.id, _enterprise_cells)), rows


def export_file_name(kind: str, fmt: str) -> str:
    stem = "doan-vien" if kind == "members" else "doanh-nghiep"
    return f"{stem}-{date.today().isoformat()}.{fmt}"
