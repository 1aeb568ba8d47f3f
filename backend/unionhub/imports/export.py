"""Exports of the member and enterprise registers, in the import layout (they re-import).

The rows are exactly those of the list endpoints (their `filtered_query`), read in id order by
one statement through a server-side cursor in the request's transaction. The whole file is
written to an anonymous temporary file first (the spool) and only then sent: a client that
reads slowly, or never, holds a file and a socket, never a database connection or an open
transaction. Each user holds at most MAX_CONCURRENT_EXPORTS exports at once (building or
downloading), counted in the database so the cap holds across replicas; past it the answer is
429 with Retry-After. Personal data is masked unless the caller asked for an unmasked file with
its purpose (imports.export_view) and holds members:pii at the member's union (row by row).
Each export is audited with its filters, row count, columns and purpose before the first byte
leaves.
"""

import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import IO, Any, cast

import anyio
from sqlalchemy import Select, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.core import audit
from unionhub.core.db import StatementKind, statement_timeout
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import TooManyRequests
from unionhub.enterprises.models import Enterprise
from unionhub.enterprises.repository import EnterpriseFilters
from unionhub.enterprises.repository import SortKey as EnterpriseSortKey
from unionhub.enterprises.repository import filtered_query as enterprise_query
from unionhub.enterprises.repository import order_by as enterprise_order
from unionhub.enterprises.validation import format_tax_code
from unionhub.imports import export_view as view
from unionhub.imports.export_view import ExportRequest
from unionhub.imports.jobs import SessionFactory
from unionhub.imports.models import ExportSlot
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
from unionhub.members import id_search
from unionhub.members.masking import mask_email, mask_passport, mask_personal_id, mask_phone
from unionhub.members.models import Member
from unionhub.members.repository import MemberFilters, resolve_union_set
from unionhub.members.repository import filtered_query as member_query
from unionhub.members.repository import order_by as member_order
from unionhub.unions.models import Union

P = Permission
Stmt = Select[*tuple[Any, ...]]
PAGE = 2_000
# Exports one user may build or download at once, and how long a slot may be held by a
# download that never ends (a stalled client) before it lapses.
MAX_CONCURRENT_EXPORTS = 2
SLOT_LIFETIME = timedelta(minutes=15)
RETRY_AFTER_SECONDS = 30
READ_CHUNK = 1 << 16


@dataclass
class Download:
    """A finished export file; `close()` drops it and releases the slot."""

    file: IO[bytes]
    size: int
    rows: int
    release: Callable[[], Awaitable[None]]

    async def chunks(self) -> AsyncIterator[bytes]:
        while chunk := await run_in_threadpool(self.file.read, READ_CHUNK):
            yield chunk

    async def close(self) -> None:
        self.file.close()
        await self.release()


class DownloadResponse(StreamingResponse):
    """Sends a Download, and closes it however the sending ends: done, the client gone (a
    stalled client that disconnects frees its slot at once), or the server stopping."""

    def __init__(self, download: Download, media_type: str, headers: dict[str, str]) -> None:
        super().__init__(
            download.chunks(),
            media_type=media_type,
            headers={**headers, "Content-Length": str(download.size)},
        )
        self.download = download

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with anyio.CancelScope(shield=True):
                await self.download.close()


async def acquire_slot(
    session: AsyncSession, sessions: SessionFactory, principal: Principal, kind: str
) -> Callable[[], Awaitable[None]]:
    """Take one of the caller's export slots, or answer 429. The request's transaction is
    committed at once, so other replicas count the slot while this export runs. Returns the
    release (in a session of its own: it runs after the request's session has closed)."""
    if principal.system or principal.user_id is None:

        async def nothing() -> None:
            return None

        return nothing
    user_id = principal.user_id
    # Two exports of one user starting at once must not both see a free slot.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"export-slots:{user_id}"},
    )
    await session.execute(delete(ExportSlot).where(ExportSlot.expires_at < func.now()))
    held = await session.scalar(
        select(func.count()).where(
            ExportSlot.user_id == user_id, ExportSlot.expires_at >= func.now()
        )
    )
    if (held or 0) >= MAX_CONCURRENT_EXPORTS:
        raise TooManyRequests(
            f"You already have {MAX_CONCURRENT_EXPORTS} exports in progress; wait until "
            "one of them has downloaded.",
            code=ErrorCode.TOO_MANY_EXPORTS,
            params={"max": MAX_CONCURRENT_EXPORTS, "retry_after": RETRY_AFTER_SECONDS},
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            extra={"retry_after": RETRY_AFTER_SECONDS},
        )
    slot = ExportSlot(user_id=user_id, kind=kind, expires_at=func.now() + SLOT_LIFETIME)
    session.add(slot)
    await session.flush()
    slot_id = slot.id
    await session.commit()

    async def release() -> None:
        async with sessions() as s:
            await s.execute(delete(ExportSlot).where(ExportSlot.id == slot_id))
            await s.commit()

    return release


async def _spool(
    table: TableStream, batches: AsyncIterator[Sequence[Any]], to_cells: Any
) -> IO[bytes]:
    """The whole file, in an anonymous temporary file (gone when closed, after sending)."""
    fh = tempfile.TemporaryFile(prefix="unionhub-export-")  # noqa: SIM115 (sent, then closed)
    try:
        async for chunk in stream_batches(table, batches, to_cells):
            await run_in_threadpool(fh.write, chunk)
        await run_in_threadpool(fh.flush)
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    return fh


async def _export(
    session: AsyncSession,
    sessions: SessionFactory,
    principal: Principal,
    kind: str,
    build: Callable[[], Awaitable[tuple[IO[bytes], int]]],
) -> Download:
    release = await acquire_slot(session, sessions, principal, kind)
    try:
        await statement_timeout(session, StatementKind.EXPORT)
        fh, rows = await build()
    except BaseException:
        await release()
        raise
    size = fh.seek(0, 2)
    fh.seek(0)
    return Download(fh, size, rows, release)


def _members_stmt(
    principal: Principal, filters: MemberFilters, union_ids: Sequence[uuid.UUID] | None
) -> Stmt:
    # Aliases: the scope and filter subqueries on `unions`/`enterprises` must not correlate
    # to the tables joined here for the codes.
    unit = aliased(Union)
    employer = aliased(Enterprise)
    m = Member
    return (
        member_query(principal, filters, union_ids=union_ids)
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


def _member_cells(unmasked: bool) -> Callable[[Sequence[Any]], list[Cell]]:
    return lambda r: _member_row(r, unmasked)


def _member_row(r: Sequence[Any], unmasked: bool) -> list[Cell]:
    (
        _,
        name,
        born,
        gender,
        ethnicity,
        nationality,
        pid,
        passport,
        phone,
        email,
        commune,
        education,
        qualification,
        theory,
        occupation,
        tax,
        party,
        admitted,
        card,
        union,
        pii,
    ) = r
    pii = unmasked and pii
    return [
        None,
        name,
        born,
        GENDER.get(gender, gender),
        ethnicity,
        NATIONALITY_LABEL.get(nationality, nationality),
        pid if pii else mask_personal_id(pid),
        passport if pii else mask_passport(passport),
        phone if pii else mask_phone(phone),
        email if pii else mask_email(email),
        commune,
        EDUCATION.get(education, education) if education else None,
        qualification,
        POLITICAL.get(theory, theory) if theory else None,
        occupation,
        tax,
        YES if party else NO,
        admitted,
        card,
        union,
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


def _enterprise_cells(r: Sequence[Any]) -> list[Cell]:
    (
        _,
        name,
        short,
        tax,
        ownership,
        vsic,
        commune,
        address,
        zone,
        union,
        status,
        total,
        female,
        surveyed,
    ) = r
    return [
        None,
        name,
        short,
        format_tax_code(tax),
        OWNERSHIP.get(ownership, ownership),
        vsic,
        commune,
        address,
        zone,
        union,
        OPERATING.get(status, status),
        total,
        female,
        surveyed,
    ]


async def _rows(session: AsyncSession, stmt: Stmt, *order: Any) -> AsyncIterator[Sequence[Any]]:
    """The rows in `order` (the id, or the list's sort ending on the id), `PAGE` at a time:
    one statement read through a server-side cursor, to the end, before anything is sent.
    Keyset pages (`id > last ... LIMIT`) made PostgreSQL find and sort the whole selection
    again for every page (50 times for 100,000 rows); plain Core rows, no ORM."""
    result = await session.stream(stmt.order_by(*order).execution_options(yield_per=PAGE))
    try:
        async for rows in result.partitions(PAGE):
            yield rows
    finally:
        await result.close()


async def _count(session: AsyncSession, stmt: Stmt) -> int:
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def _jsonable_filters(filters: Any) -> dict[str, Any]:
    data = asdict(filters)
    data.pop("today", None)
    if isinstance(filters, MemberFilters):
        # a personal ID typed as the search must not land in the audit log
        data["q"] = id_search.for_audit(filters.q)
    return {k: v for k, v in audit.jsonable(data).items() if v is not None}


def _audited(filters: Any, rows: int, fmt: str, request: ExportRequest) -> dict[str, Any]:
    return {
        "filters": _jsonable_filters(filters),
        "rows": rows,
        "format": fmt,
        # None: the import layout; else the screen's columns, in its order.
        "columns": list(request.columns) if request.columns is not None else None,
        "unmasked": request.unmasked,
        "purpose": request.purpose,
    }


async def members_file(
    session: AsyncSession,
    principal: Principal,
    filters: MemberFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> tuple[IO[bytes], int]:
    """The audit entry and the members file (spooled), with its row count: sent at once by
    export_members, or built by a worker (imports.export_jobs). With `request.columns` the
    screen's columns under a title block (imports.export_view), else the import layout;
    masked unless `request.unmasked` (checked by `export_view.checked_request`)."""
    # The scope and union subtree as ids: with the ltree subquery the planner expected a
    # handful of unions (a big subtree has hundreds) and picked plans for a few rows.
    union_ids = await resolve_union_set(session, principal, filters)
    base = member_query(principal, filters, union_ids=union_ids)
    rows = await _count(session, base)
    await audit.record(
        session,
        principal,
        "members.export",
        "member",
        None,
        union_id=acting_union(principal, P.MEMBERS_READ),
        after=_audited(filters, rows, fmt, request),
    )
    if request.columns is not None:
        keys = request.columns
        title = await view.member_title(session, principal, filters, request, rows)
        table = TableStream(
            fmt,
            view.headers_of(view.MEMBER_VIEW, keys),
            view.formats_of(view.MEMBER_VIEW, keys),
            "Đoàn viên",
            title=title,
            numbered=False,
        )
        stmt = view.members_view_stmt(base, principal, filters)
        cells = view.member_cells(keys, request.unmasked)
        order = member_order(request.sort) if request.sort else [Member.id]
        return await _spool(table, _rows(session, stmt, *order), cells), rows
    table = TableStream(
        fmt, [c.header for c in MEMBER_COLUMNS], formats(MEMBER_COLUMNS), "Đoàn viên"
    )
    stmt = _members_stmt(principal, filters, union_ids)
    cells = _member_cells(request.unmasked)
    return await _spool(table, _rows(session, stmt, Member.id), cells), rows


async def export_members(
    session: AsyncSession,
    principal: Principal,
    sessions: SessionFactory,
    filters: MemberFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> Download:
    """The audit entry (in the request's transaction) and the export file, built."""
    await id_search.check(session, principal, filters.q)
    return await _export(
        session,
        sessions,
        principal,
        "members",
        lambda: members_file(session, principal, filters, fmt, request),
    )


async def enterprises_file(
    session: AsyncSession,
    principal: Principal,
    filters: EnterpriseFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> tuple[IO[bytes], int]:
    base = enterprise_query(principal, filters)
    rows = await _count(session, base)
    await audit.record(
        session,
        principal,
        "enterprises.export",
        "enterprise",
        None,
        union_id=acting_union(principal, P.ENTERPRISES_READ),
        after=_audited(filters, rows, fmt, request),
    )
    if request.columns is not None:
        keys = request.columns
        table = TableStream(
            fmt,
            view.headers_of(view.ENTERPRISE_VIEW, keys),
            view.formats_of(view.ENTERPRISE_VIEW, keys),
            "Doanh nghiệp",
            title=await view.enterprise_title(session, principal, filters, rows),
            numbered=False,
        )
        stmt = view.enterprises_view_stmt(base)
        cells = view.enterprise_cells(keys)
        if request.sort:
            # The list's order (ending on the id, as the list's pages do).
            stmt = enterprise_order(stmt, cast(EnterpriseSortKey, request.sort))
            return await _spool(table, _rows(session, stmt), cells), rows
        return await _spool(table, _rows(session, stmt, Enterprise.id), cells), rows
    stmt = _enterprises_stmt(principal, filters)
    table = TableStream(
        fmt, [c.header for c in ENTERPRISE_COLUMNS], formats(ENTERPRISE_COLUMNS), "Doanh nghiệp"
    )
    return await _spool(table, _rows(session, stmt, Enterprise.id), _enterprise_cells), rows


async def export_enterprises(
    session: AsyncSession,
    principal: Principal,
    sessions: SessionFactory,
    filters: EnterpriseFilters,
    fmt: str,
    request: ExportRequest = ExportRequest(),
) -> Download:
    return await _export(
        session,
        sessions,
        principal,
        "enterprises",
        lambda: enterprises_file(session, principal, filters, fmt, request),
    )


def export_file_name(kind: str, fmt: str) -> str:
    stem = "doan-vien" if kind == "members" else "doanh-nghiep"
    return f"{stem}-{date.today().isoformat()}.{fmt}"
