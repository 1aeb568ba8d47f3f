"""Importing enterprises: the register checks of enterprises.service, row by row, and bulk
writes (COPY for new enterprises and their worker surveys, a prepared UPDATE for updates)."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope, union_filter
from unionhub.core.audit import AUDIT_LINK_COLUMNS
from unionhub.core.error_codes import ErrorCode
from unionhub.core.ids import uuid7
from unionhub.enterprises.models import Enterprise
from unionhub.enterprises.service import RESPONSIBLE_LEVELS, search_text
from unionhub.enterprises.validation import format_tax_code, normalize_vsic
from unionhub.imports import values
from unionhub.imports.headers import HeaderMap
from unionhub.imports.members_write import raw_connection
from unionhub.imports.models import ImportJob, ImportKind
from unionhub.imports.rows import CheckedBatchByBatch, Row, any_of
from unionhub.imports.values import CellError
from unionhub.imports.vocab import (
    ENTERPRISE_LAYOUT,
    OPERATING,
    OPERATING_MAP,
    OWNERSHIP,
    OWNERSHIP_MAP,
)
from unionhub.imports.xlsx_reader import Cell
from unionhub.unions.models import Union, UnionStatus

P = Permission
FIELDS = (
    "name",
    "short_name",
    "ownership",
    "vsic_code",
    "commune_code",
    "address",
    "industrial_zone",
    "responsible_union_id",
    "operating_status",
)
SURVEY = ("total_workers", "female_workers", "surveyed_on")
_REQUIRED = ("name", "tax_code", "ownership", "union_code")
COPY_COLUMNS = ("id", "tax_code", *FIELDS, *SURVEY, "search_text", "version")
SURVEY_COLUMNS = (
    "id",
    "enterprise_id",
    "surveyed_on",
    "total_workers",
    "female_workers",
    "recorded_by",
)


def _vsic(value: Cell) -> str | None:
    raw = values.digits(value, 8)
    if raw is None:
        return None
    try:
        return normalize_vsic(raw)
    except ValueError as exc:
        raise CellError(ErrorCode.VSIC_INVALID_FORMAT, str(exc)) from None


CONVERTERS: dict[str, Any] = {
    "name": lambda v: values.name(v, 255),
    "short_name": lambda v: values.name(v, 100),
    "tax_code": values.tax_code,
    "ownership": lambda v: values.choice(v, OWNERSHIP_MAP, OWNERSHIP),
    "vsic_code": _vsic,
    "commune_code": values.commune_code,
    "address": lambda v: values.text(v, 500),
    "industrial_zone": lambda v: values.text(v, 255),
    "union_code": lambda v: (values.text(v, 32) or "").upper() or None,
    "operating_status": lambda v: values.choice(v, OPERATING_MAP, OPERATING),
    "total_workers": lambda v: values.integer(v, 0, 1_000_000),
    "female_workers": lambda v: values.integer(v, 0, 1_000_000),
    "surveyed_on": values.day,
}


@dataclass
class Context:
    principal: Principal
    job_id: uuid.UUID
    mode: str
    unions: dict[str, tuple[uuid.UUID, str, str] | None] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    present: frozenset[str] = frozenset()
    counts: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0}
    )


class EnterprisesImporter(CheckedBatchByBatch):
    kind = ImportKind.ENTERPRISES.value
    layout = ENTERPRISE_LAYOUT
    permission = P.ENTERPRISES_WRITE

    def convert(self, header: HeaderMap, number: int, cells: list[Cell], today: date) -> Row | None:
        raw = {
            col.key: cells[pos]
            for pos, col in header.positions.items()
            if pos < len(cells) and cells[pos] is not None
        }
        if not any(k != "row_no" for k in raw):
            return None
        row = Row(number)
        v = row.values
        for key, conv in CONVERTERS.items():
            cell = raw.get(key)
            if cell is None:
                v[key] = None
                continue
            try:
                v[key] = conv(cell)
            except CellError as exc:
                v[key] = None
                row.fail(key, exc.code, exc.message, exc.params_with(cell))
        failed = row.failed()
        for key in _REQUIRED:
            if v[key] is None and key not in failed:
                row.fail(key, ErrorCode.REQUIRED, "This value is required.")
        v["operating_status"] = v["operating_status"] or "operating"
        total, female, day = v["total_workers"], v["female_workers"], v["surveyed_on"]
        if (
            (total is not None or female is not None)
            and day is None
            and "surveyed_on" not in failed
        ):
            row.fail(
                "surveyed_on", ErrorCode.REQUIRED, "Give the survey date of the worker counts."
            )
        if day is not None and total is None and "total_workers" not in failed:
            row.fail("total_workers", ErrorCode.REQUIRED, "Give the number of workers surveyed.")
        if total is not None and female is not None and female > total:
            row.fail(
                "female_workers",
                ErrorCode.FEMALE_EXCEEDS_TOTAL,
                "Female workers cannot outnumber all workers.",
                {"value": female, "total": total},
            )
        if day is not None and day > today:
            row.fail(
                "surveyed_on",
                ErrorCode.DATE_IN_FUTURE,
                "The survey date cannot be in the future.",
                {"value": day, "today": today},
            )
        if total is not None and female is None:
            v["female_workers"] = 0
        return row

    async def begin(self, session: AsyncSession, principal: Principal, job: ImportJob) -> Context:
        return Context(principal=principal, job_id=job.id, mode=job.mode)

    async def check(
        self, session: AsyncSession, ctx: Context, rows: list[Row], header: HeaderMap
    ) -> None:
        if not ctx.present:
            ctx.present = frozenset(c.key for c in header.positions.values())
        wanted = {
            r.values["union_code"] for r in rows if r.values["union_code"]
        } - ctx.unions.keys()
        if wanted:
            for r in await session.execute(
                select(Union.code, Union.id, Union.status, Union.level).where(
                    any_of(Union.code, wanted), union_filter(ctx.principal, P.ENTERPRISES_WRITE)
                )
            ):
                ctx.unions[r.code] = (r.id, r.status, r.level)
            for code in wanted - ctx.unions.keys():
                ctx.unions[code] = None
        codes = {r.values["tax_code"] for r in rows if r.values["tax_code"]}
        existing: dict[str, Any] = {}
        if codes:
            cols = [Enterprise.__table__.c[k] for k in ("id", "tax_code", *FIELDS, *SURVEY)]
            writable = in_scope(
                ctx.principal, Enterprise.responsible_union_id, P.ENTERPRISES_WRITE
            ).label("writable")
            for found in await session.execute(
                select(*cols, writable).where(any_of(Enterprise.tax_code, codes))
            ):
                existing[found.tax_code] = found
        for row in rows:
            self._check_row(ctx, row, existing)

    def _check_row(self, ctx: Context, row: Row, existing: dict[str, Any]) -> None:
        v = row.values
        code = v["union_code"]
        union = ctx.unions.get(code) if code else None
        v["responsible_union_id"] = None
        if code and union is None:
            row.fail(
                "union_code",
                ErrorCode.UNION_NOT_FOUND,
                f"The union code {code} was not found in your scope.",
                {"value": code},
            )
        elif union is not None and union[1] != UnionStatus.ACTIVE.value:
            row.fail(
                "union_code",
                ErrorCode.RESPONSIBLE_UNION_INACTIVE,
                "The responsible union is dissolved or merged.",
            )
        elif union is not None and union[2] not in RESPONSIBLE_LEVELS:
            row.fail(
                "union_code",
                ErrorCode.RESPONSIBLE_UNION_LEVEL,
                "The responsible union must be the provincial federation or a "
                "direct-superior union.",
            )
        elif union is not None:
            v["responsible_union_id"] = union[0]
        tax = v["tax_code"]
        if not tax:
            return
        first = ctx.seen.setdefault(tax, row.number)
        if first != row.number:
            row.fail(
                "tax_code",
                ErrorCode.DUPLICATE_IN_FILE,
                f"The same tax code is on row {first}.",
                {"value": format_tax_code(tax), "first_row": first},
            )
        found = existing.get(tax)
        row.action = "create"
        if found is None:
            return
        if ctx.mode != "update" or not found.writable:
            row.fail(
                "tax_code",
                ErrorCode.TAX_CODE_TAKEN,
                f"The tax code {tax} is already registered.",
                {"value": format_tax_code(tax)},
            )
            return
        changes: dict[str, Any] = {}
        for key in FIELDS:
            column = "union_code" if key == "responsible_union_id" else key
            if column in ctx.present and getattr(found, key) != v[key]:
                changes[key] = (getattr(found, key), v[key])
        survey = v["total_workers"] is not None and (
            found.surveyed_on,
            found.total_workers,
            found.female_workers,
        ) != (v["surveyed_on"], v["total_workers"], v["female_workers"])
        if survey:
            changes["survey"] = (found.surveyed_on, v["surveyed_on"])
        row.target_id = found.id
        row.action = "update" if changes else "unchanged"
        row.changes = changes

    async def write(
        self,
        session: AsyncSession,
        ctx: Context,
        rows: list[Row],
        idle: Callable[[], Awaitable[None]],
    ) -> None:
        await self._write(session, ctx, rows)
        await idle()

    async def _write(self, session: AsyncSession, ctx: Context, rows: list[Row]) -> None:
        creates = [r for r in rows if r.action == "create"]
        updates = [r for r in rows if r.action == "update"]
        ctx.counts["unchanged"] += sum(1 for r in rows if r.action == "unchanged")
        if not creates and not updates:
            return
        conn = await raw_connection(session)
        actor = None if ctx.principal.system else ctx.principal.user_id
        surveys: list[tuple[Any, ...]] = []
        if creates:
            records = []
            for row in creates:
                v = row.values
                row.target_id = uuid7()
                records.append(
                    (
                        row.target_id,
                        v["tax_code"],
                        *[v[k] for k in FIELDS],
                        *[v[k] for k in SURVEY],
                        search_text(v["name"], v["short_name"], v["tax_code"]),
                        1,
                    )
                )
                if v["total_workers"] is not None:
                    surveys.append(
                        (
                            uuid7(),
                            row.target_id,
                            v["surveyed_on"],
                            v["total_workers"],
                            v["female_workers"],
                            actor,
                        )
                    )
            await conn.copy_records_to_table("enterprises", records=records, columns=COPY_COLUMNS)
            ctx.counts["created"] += len(creates)
        if updates:
            await self._update(conn, ctx, updates, surveys, actor)
        if surveys:
            await conn.copy_records_to_table(
                "worker_surveys", records=surveys, columns=SURVEY_COLUMNS
            )
        # The import's audit entry concerns each enterprise it wrote (core.audit.AuditLink).
        await conn.copy_records_to_table(
            "audit_links",
            records=[
                ("enterprise", r.target_id, "import_job", ctx.job_id) for r in creates + updates
            ],
            columns=AUDIT_LINK_COLUMNS,
        )
        # The change feed's events, in the same transaction (core.outbox).
        await conn.execute(
            "INSERT INTO change_events (entity_type, entity_id, action, union_id, changed) "
            "SELECT 'enterprise', e.id, 'enterprise.import', e.responsible_union_id, '{}' "
            "FROM enterprises e WHERE e.id = ANY($1::uuid[])",
            [r.target_id for r in creates + updates],
        )

    async def _update(
        self,
        conn: Any,
        ctx: Context,
        rows: list[Row],
        surveys: list[tuple[Any, ...]],
        actor: uuid.UUID | None,
    ) -> None:
        fields = [
            k for k in FIELDS if ("union_code" if k == "responsible_union_id" else k) in ctx.present
        ]
        sets = "".join(f"{k} = ${i}, " for i, k in enumerate(fields, start=6))
        # A survey older than the current one joins the history without changing the size.
        statement = (
            f"UPDATE enterprises SET {sets}search_text = $2, "
            "total_workers = CASE WHEN $3::date IS NOT NULL AND (surveyed_on IS NULL OR "
            "$3::date >= surveyed_on) THEN $4::int ELSE total_workers END, "
            "female_workers = CASE WHEN $3::date IS NOT NULL AND (surveyed_on IS NULL OR "
            "$3::date >= surveyed_on) THEN $5::int ELSE female_workers END, "
            "surveyed_on = GREATEST(surveyed_on, $3::date), "
            "version = version + 1, updated_at = now() WHERE id = $1"
        )
        records = []
        for row in rows:
            v = row.values
            survey = "survey" in (row.changes or {})
            records.append(
                (
                    row.target_id,
                    search_text(v["name"], v["short_name"], v["tax_code"]),
                    v["surveyed_on"] if survey else None,
                    v["total_workers"],
                    v["female_workers"],
                    *[v[k] for k in fields],
                )
            )
            if survey:
                surveys.append(
                    (
                        uuid7(),
                        row.target_id,
                        v["surveyed_on"],
                        v["total_workers"],
                        v["female_workers"],
                        actor,
                    )
                )
        await conn.executemany(statement, records)
        ctx.counts["updated"] += len(rows)

    def summary(self, ctx: Context) -> dict[str, Any]:
        return dict(ctx.counts)
