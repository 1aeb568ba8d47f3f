"""Periodic reports: templates, requests sent down, each unit's report from generation to
approval, and the asking union's consolidation. Every write is audited; flush only.

Who does what (authz.permissions):
- `report_templates:manage` adds a template or a new version of one (data, checked against the
  indicator catalogue);
- `reports:review` at a union sends a request to its direct children, returns or approves
  their reports and consolidates its own;
- `reports:write` at a unit generates its report, corrects a figure (with a reason, the
  computed one kept) and submits it;
- `reports:read` reads them, through the scope: a unit's report is seen at the unit and above.
"""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import get_union_in_scope, get_union_unscoped, union_filter
from unionhub.core import audit
from unionhub.core.audit import snapshot
from unionhub.core.db import StatementKind, statement_timeout
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.text import clean_text
from unionhub.reports import content as contents
from unionhub.reports import forwarding
from unionhub.reports import repository as repo
from unionhub.reports.definition import Definition, check
from unionhub.reports.models import Report, ReportRequest, ReportStatus, ReportTemplate
from unionhub.reports.schemas import (
    Cell,
    ListItem,
    ReportColumn,
    ReportEdit,
    ReportRead,
    ReportRequestCreate,
    ReportRequestRead,
    ReportRow,
    ReportSection,
    ReportSummary,
    ReportTemplateCreate,
    ReportTemplateRead,
    RequestStatus,
    TemplateRef,
    UnitStatus,
)
from unionhub.unions.models import Union, UnionStatus

S = ReportStatus
OPEN = (S.PENDING.value, S.DRAFT.value, S.RETURNED.value)
EDITABLE = (S.DRAFT.value, S.RETURNED.value)
PERIOD_NAMES = {"quarter": "quý", "half_year": "sáu tháng", "year": "năm", "any": "kỳ"}


def _now() -> datetime:
    return datetime.now(UTC)


# --- templates -------------------------------------------------------------------------------


async def list_templates(session: AsyncSession, all_versions: bool) -> list[ReportTemplateRead]:
    stmt = select(ReportTemplate) if all_versions else repo.latest_templates()
    rows = await session.scalars(stmt.order_by(ReportTemplate.code, ReportTemplate.version))
    return [ReportTemplateRead.model_validate(t) for t in rows]


async def _template(session: AsyncSession, template_id: uuid.UUID) -> ReportTemplate:
    template = await session.get(ReportTemplate, template_id)
    if template is None:
        raise NotFound("No report template with this id.", code=E.REPORT_TEMPLATE_NOT_FOUND)
    return template


async def get_template(session: AsyncSession, template_id: uuid.UUID) -> ReportTemplateRead:
    return ReportTemplateRead.model_validate(await _template(session, template_id))


async def create_template(
    session: AsyncSession, principal: Principal, data: ReportTemplateCreate
) -> ReportTemplateRead:
    """Add a template, or a new version of the one with this code (requests already sent keep
    the version they were sent with)."""
    check(data.definition)
    version = await repo.latest_template_version(session, data.code) + 1
    template = ReportTemplate(
        code=data.code,
        version=version,
        name=data.name,
        period_kind=data.period_kind.value,
        definition=data.definition.model_dump(mode="json", exclude_none=True),
        created_by=principal.user_id if not principal.system else None,
    )
    session.add(template)
    await session.flush()
    await session.refresh(template)
    await audit.record(
        session,
        principal,
        "report_template.create",
        "report_template",
        template.id,
        union_id=None,
        after=snapshot(template),
    )
    return ReportTemplateRead.model_validate(template)


# --- requests --------------------------------------------------------------------------------


def _template_ref(t: ReportTemplate) -> TemplateRef:
    return TemplateRef(id=t.id, code=t.code, version=t.version, name=t.name)


def _request_read(row: Any) -> ReportRequestRead:
    request, template, asker, units, own = row
    return ReportRequestRead(
        id=request.id,
        union_id=request.union_id,
        union_name=asker,
        template=_template_ref(template),
        title=request.title,
        period_from=request.period_from,
        period_to=request.period_to,
        deadline=request.deadline,
        note=request.note,
        created_at=request.created_at,
        units=int(units or 0),
        own_report_id=own,
        parent_request_id=request.parent_request_id,
    )


async def create_request(
    session: AsyncSession, principal: Principal, data: ReportRequestCreate
) -> ReportRequestRead:
    """Send a request down: one report to fill per unit asked, and the asking union's own."""
    asker = await get_union_in_scope(session, principal, data.union_id, Permission.REPORTS_REVIEW)
    template = await _template(session, data.template_id)
    if data.period_to < data.period_from:
        raise Unprocessable(
            "period_to",
            E.PERIOD_REVERSED,
            "The period ends before it starts.",
            params={"from": data.period_from, "to": data.period_to},
        )
    parent = None
    if data.parent_request_id is not None:
        parent = await forwarding.check(session, principal, data, asker)
    children = list(
        (
            await session.execute(
                select(Union.id).where(
                    Union.parent_id == asker.id,
                    Union.status == UnionStatus.ACTIVE.value,
                    union_filter(principal, Permission.REPORTS_REVIEW),
                )
            )
        ).scalars()
    )
    if data.unit_ids is None:
        units = children
    else:
        units = list(dict.fromkeys(data.unit_ids))
        for i, unit in enumerate(units):
            if unit not in children:
                raise Unprocessable(
                    f"unit_ids[{i}]",
                    E.NOT_A_CHILD,
                    "Only the asking union's active direct children can be asked.",
                    params={"value": str(unit), "union": asker.name},
                )
    period = PERIOD_NAMES.get(template.period_kind, "kỳ")
    title = (
        data.title
        or (parent.title if parent is not None else None)
        or f"{template.name} ({period} {data.period_from:%d/%m/%Y} - {data.period_to:%d/%m/%Y})"
    )
    request = ReportRequest(
        union_id=asker.id,
        template_id=template.id,
        title=clean_text(title)[:500],
        period_from=data.period_from,
        period_to=data.period_to,
        deadline=data.deadline,
        note=data.note,
        parent_request_id=data.parent_request_id,
        created_by=principal.user_id if not principal.system else None,
        version=1,
    )
    session.add(request)
    await session.flush()
    for unit in units:
        session.add(Report(request_id=request.id, union_id=unit, consolidated=False, content={}))
    session.add(Report(request_id=request.id, union_id=asker.id, consolidated=True, content={}))
    await session.flush()
    await audit.record(
        session,
        principal,
        "report_request.create",
        "report_request",
        request.id,
        union_id=asker.id,
        after={**snapshot(request), "unit_ids": [str(u) for u in units]},
    )
    return await get_request(session, principal, request.id)


async def get_request(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> ReportRequestRead:
    row = await repo.get_request(session, principal, request_id)
    if row is None:
        raise NotFound("No report request with this id.", code=E.REPORT_REQUEST_NOT_FOUND)
    return _request_read(row)


async def list_requests(
    session: AsyncSession, principal: Principal, union_id: uuid.UUID | None, page: PageParams
) -> Page[ReportRequestRead]:
    stmt = repo.request_rows(principal)
    if union_id is not None:
        stmt = stmt.where(ReportRequest.union_id == union_id)
    stmt = stmt.order_by(ReportRequest.created_at.desc(), ReportRequest.id)
    return await paginate(session, stmt, page, lambda rows: [_request_read(r) for r in rows])


def _late(report: Report, deadline: date, today: date) -> bool:
    if report.submitted_at is not None:
        return report.submitted_at.date() > deadline
    return report.status in OPEN and today > deadline


async def request_status(
    session: AsyncSession, principal: Principal, request_id: uuid.UUID
) -> RequestStatus:
    """Where each unit asked stands: counts by status, the late and the missing."""
    request = await get_request(session, principal, request_id)
    today = date.today()
    units: list[UnitStatus] = []
    for report, _, _, name, _ in await repo.reports_of(
        session, principal, request_id, consolidated=False
    ):
        units.append(
            UnitStatus(
                report_id=report.id,
                union_id=report.union_id,
                union_name=name,
                status=S(report.status),
                submitted_at=report.submitted_at,
                approved_at=report.approved_at,
                late=_late(report, request.deadline, today),
                missing=report.status in OPEN and today > request.deadline,
            )
        )
    counts = {s.value: 0 for s in S}
    for u in units:
        counts[u.status.value] += 1
    return RequestStatus(
        request=request,
        counts=counts,
        units=units,
        late=[u for u in units if u.late],
        missing=[u for u in units if u.missing],
    )


# --- reports ---------------------------------------------------------------------------------


def _summary_fields(row: Any) -> dict[str, Any]:
    report, request, template, unit_name, asker_name = row
    return {
        "id": report.id,
        "request_id": request.id,
        "union_id": report.union_id,
        "union_name": unit_name,
        "requester_union_id": request.union_id,
        "requester_union_name": asker_name,
        "template": _template_ref(template),
        "title": request.title,
        "period_from": request.period_from,
        "period_to": request.period_to,
        "deadline": request.deadline,
        "status": S(report.status),
        "consolidated": report.consolidated,
        "generated_at": report.generated_at,
        "submitted_at": report.submitted_at,
        "returned_at": report.returned_at,
        "approved_at": report.approved_at,
        "review_comment": report.review_comment,
        "late": (not report.consolidated) and _late(report, request.deadline, date.today()),
        "version": report.version,
    }


def _cell(section: str, row: dict[str, Any], c: dict[str, Any]) -> Cell:
    unit = row["unit"]
    value = contents.value_of(unit, c["numerator"], c["denominator"])
    live = None
    difference = None
    if "live_numerator" in c:
        live = contents.value_of(unit, c["live_numerator"], c["live_denominator"])
        if value is not None and live is not None:
            difference = value - live
    return Cell(
        cell=contents.cell_id(section, row["key"], c["column"]),
        column=c["column"],
        available=c["available"],
        numerator=c["numerator"],
        denominator=c["denominator"],
        value=value,
        computed_numerator=c["computed_numerator"],
        computed_denominator=c["computed_denominator"],
        computed_value=contents.value_of(unit, c["computed_numerator"], c["computed_denominator"]),
        corrected=c["corrected"],
        reason=c["reason"],
        live_numerator=c.get("live_numerator"),
        live_denominator=c.get("live_denominator"),
        live_value=live,
        difference=difference,
    )


def _sections(report: Report, template: ReportTemplate) -> list[ReportSection]:
    stored = report.content.get("sections")
    if not stored:
        # Not generated yet: the template's sections, empty.
        definition = Definition.model_validate(template.definition)
        return [ReportSection(key=s.key, kind=s.kind, title=s.title) for s in definition.sections]
    out = []
    for s in stored:
        section = ReportSection(key=s["key"], kind=s["kind"], title=s["title"])
        if s["kind"] == "table":
            section.columns = [ReportColumn(**c) for c in s["columns"]]
            section.rows = [
                ReportRow(
                    key=r["key"],
                    label=r["label"],
                    indicator=r["indicator"],
                    unit=r["unit"],
                    cells=[_cell(s["key"], r, c) for c in r["cells"]],
                )
                for r in s["rows"]
            ]
        elif s["kind"] == "list":
            section.items = [ListItem.model_validate(i) for i in s["items"]]
            section.total = s["total"]
            section.truncated = s["truncated"]
        else:
            section.text = s.get("text")
        out.append(section)
    return out


def read_of(row: Any) -> ReportRead:
    return ReportRead(**_summary_fields(row), sections=_sections(row[0], row[2]))


async def _load(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, *, for_update: bool = False
) -> Any:
    row = await repo.get_report(session, principal, report_id, for_update=for_update)
    if row is None:
        raise NotFound("No report with this id.", code=E.REPORT_NOT_FOUND)
    return row


async def get_report(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID
) -> ReportRead:
    """A report with its figures, and the request its unit forwarded from it (if any)."""
    report = read_of(await _load(session, principal, report_id))
    if report.consolidated:
        return report
    found = await repo.forwarded(session, principal, report.request_id, report.union_id)
    return report.model_copy(update={"forwarded_request_id": found[0] if found else None})


async def list_reports(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    request_id: uuid.UUID | None = None,
    union_id: uuid.UUID | None = None,
    status: ReportStatus | None = None,
    consolidated: bool | None = None,
) -> Page[ReportSummary]:
    stmt = repo.report_rows(principal)
    if request_id is not None:
        stmt = stmt.where(Report.request_id == request_id)
    if union_id is not None:
        stmt = stmt.where(Report.union_id == union_id)
    if status is not None:
        stmt = stmt.where(Report.status == status.value)
    if consolidated is not None:
        stmt = stmt.where(Report.consolidated.is_(consolidated))
    stmt = stmt.order_by(ReportRequest.deadline.desc(), repo.Unit.name, Report.id)
    return await paginate(
        session, stmt, page, lambda rows: [ReportSummary(**_summary_fields(r)) for r in rows]
    )


async def _unit_path(session: AsyncSession, union_id: uuid.UUID) -> str | None:
    union = await get_union_unscoped(
        session, union_id, reason="the unit or asking union of a report read through the scope"
    )
    return union.path if union is not None else None


async def _must_hold(
    session: AsyncSession,
    principal: Principal,
    union_id: uuid.UUID,
    permission: Permission,
    message: str,
) -> None:
    if not principal.holds_at(await _unit_path(session, union_id), permission):
        raise Forbidden(message, code=E.PERMISSION_DENIED)


def _status_error(report: Report, allowed: tuple[str, ...]) -> Conflict:
    if report.status == S.APPROVED.value:
        return Conflict(
            "This report was approved and is locked.",
            code=E.REPORT_LOCKED,
            params={"status": report.status},
        )
    return Conflict(
        f"A {report.status} report cannot do this.",
        code=E.REPORT_STATUS,
        params={"status": report.status, "expected": ", ".join(allowed)},
    )


def _expect(report: Report, allowed: tuple[str, ...], consolidated: bool | None = None) -> None:
    if report.status not in allowed or (
        consolidated is not None and report.consolidated != consolidated
    ):
        raise _status_error(report, allowed)


async def _audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    report: Report,
    before: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
) -> None:
    await audit.record(
        session,
        principal,
        action,
        "report",
        report.id,
        union_id=report.union_id,
        before=before,
        after={**snapshot(report, exclude=frozenset({"content"})), **(extra or {})},
    )


async def _saved(
    session: AsyncSession, principal: Principal, report: Report, action: str, before: Any
) -> ReportRead:
    report.version += 1
    await session.flush()
    await session.refresh(report)
    await _audit(session, principal, action, report, before)
    return await get_report(session, principal, report.id)


def _before(report: Report) -> dict[str, Any]:
    return snapshot(report, exclude=frozenset({"content"}))


async def _to_change(
    session: AsyncSession,
    principal: Principal,
    report_id: uuid.UUID,
    if_match: int | None,
    *,
    reviewer: bool,
    allowed: tuple[str, ...],
    consolidated: bool | None,
) -> Any:
    """The report row, locked, once the caller may make this change to it: the unit's writer
    (`reviewer` False) or the asking union's reviewer, the version they read, a status that
    allows it."""
    row = await _load(session, principal, report_id, for_update=True)
    report, request = row[0], row[1]
    if reviewer:
        await _must_hold(
            session,
            principal,
            request.union_id,
            Permission.REPORTS_REVIEW,
            "Only the union that asked for the report reviews it.",
        )
    else:
        await _must_hold(
            session,
            principal,
            report.union_id,
            Permission.REPORTS_WRITE,
            "Only the unit's own officers write its report.",
        )
    check_version(report, if_match, "report")
    _expect(report, allowed, consolidated)
    return row


async def generate(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, if_match: int | None
) -> ReportRead:
    """Compute the unit's report from the records now (frozen with the time it was made), or,
    when the unit forwarded the request and approved its consolidation there, take that;
    corrections and texts already written are kept."""
    await statement_timeout(session, StatementKind.REPORT)
    report, request, template, _, _ = await _to_change(
        session, principal, report_id, if_match, reviewer=False, allowed=OPEN, consolidated=False
    )
    before = _before(report)
    now = _now()
    forwarded = await repo.forwarded(session, principal, request.id, report.union_id)
    adopted = forwarded[1] if forwarded is not None else None
    if forwarded is not None and adopted is not None and adopted.status == S.APPROVED.value:
        # Forwarded to its children: their approved reports, as its approved consolidation.
        report.content = contents.adopt(
            adopted.content, forwarded[0], now.isoformat(), report.content or None
        )
    else:
        report.content = await contents.generate(
            session,
            principal,
            Definition.model_validate(template.definition),
            report.union_id,
            request.period_from,
            request.period_to,
            now.isoformat(),
            report.content or None,
        )
    report.generated_at = now
    if report.status == S.PENDING.value:
        report.status = S.DRAFT.value
    return await _saved(session, principal, report, "report.generate", before)


async def edit(
    session: AsyncSession,
    principal: Principal,
    report_id: uuid.UUID,
    data: ReportEdit,
    if_match: int | None,
) -> ReportRead:
    """Correct figures (each with its reason; the computed figure stays beside it) and write
    the free text."""
    peek = (await _load(session, principal, report_id))[0]
    report = (
        await _to_change(
            session,
            principal,
            report_id,
            if_match,
            # The asking union's own report is written by its reviewers.
            reviewer=peek.consolidated,
            allowed=(S.DRAFT.value,) if peek.consolidated else EDITABLE,
            consolidated=None,
        )
    )[0]
    content = dict(report.content)
    cells: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[str, Any]] = {}
    for section in content["sections"]:
        if section["kind"] == "text":
            texts[section["key"]] = section
        for row in section.get("rows") or []:
            for c in row["cells"]:
                cells[contents.cell_id(section["key"], row["key"], c["column"])] = c
    changed: list[dict[str, Any]] = []
    for i, correction in enumerate(data.corrections):
        c = cells.get(correction.cell)
        if c is None or not c["available"]:
            raise Unprocessable(
                f"corrections[{i}].cell",
                E.UNKNOWN_REPORT_CELL,
                "The report has no such figure.",
                params={"value": correction.cell},
            )
        denominator = (
            c["denominator"]
            if c["computed_denominator"] is None
            else (
                correction.denominator
                if correction.denominator is not None
                else c["computed_denominator"]
            )
        )
        before_cell = dict(c)
        if (
            correction.numerator == c["computed_numerator"]
            and denominator == c["computed_denominator"]
        ):
            c.update(
                numerator=c["computed_numerator"],
                denominator=c["computed_denominator"],
                corrected=False,
                reason=None,
            )
        else:
            c.update(
                numerator=correction.numerator,
                denominator=denominator,
                corrected=True,
                reason=correction.reason,
            )
        changed.append({"cell": correction.cell, "before": before_cell, "after": dict(c)})
    for i, (key, text) in enumerate(data.texts.items()):
        section = texts.get(key)
        if section is None:
            raise Unprocessable(
                f"texts.{key}",
                E.UNKNOWN_REPORT_CELL,
                "The report has no text section with this key.",
                params={"value": key, "index": i},
            )
        changed.append({"text": key, "before": section.get("text"), "after": text})
        section["text"] = text
    report.content = content
    # JSONB changed in place: tell the ORM.
    flag_modified(report, "content")
    before = _before(report)
    report.version += 1
    await session.flush()
    await session.refresh(report)
    await _audit(session, principal, "report.correct", report, before, {"changes": changed})
    return await get_report(session, principal, report.id)


async def submit(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, if_match: int | None
) -> ReportRead:
    """Send the unit's generated report up for review."""
    report = (
        await _to_change(
            session,
            principal,
            report_id,
            if_match,
            reviewer=False,
            allowed=EDITABLE,
            consolidated=False,
        )
    )[0]
    before = _before(report)
    report.status = S.SUBMITTED.value
    report.submitted_at = _now()
    return await _saved(session, principal, report, "report.submit", before)


async def return_report(
    session: AsyncSession,
    principal: Principal,
    report_id: uuid.UUID,
    comment: str,
    if_match: int | None,
) -> ReportRead:
    """Send a submitted report back to its unit with comments."""
    report = (
        await _to_change(
            session,
            principal,
            report_id,
            if_match,
            reviewer=True,
            allowed=(S.SUBMITTED.value,),
            consolidated=False,
        )
    )[0]
    before = _before(report)
    report.status = S.RETURNED.value
    report.returned_at = _now()
    report.review_comment = comment
    return await _saved(session, principal, report, "report.return", before)


async def approve(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, if_match: int | None
) -> ReportRead:
    """Accept a submitted report (or finalise the asking union's consolidated one): locked."""
    peek = (await _load(session, principal, report_id))[0]
    report = (
        await _to_change(
            session,
            principal,
            report_id,
            if_match,
            reviewer=True,
            allowed=(S.DRAFT.value,) if peek.consolidated else (S.SUBMITTED.value,),
            consolidated=None,
        )
    )[0]
    before = _before(report)
    report.status = S.APPROVED.value
    report.approved_at = _now()
    return await _saved(session, principal, report, "report.approve", before)


async def consolidate(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID, if_match: int | None
) -> ReportRead:
    """The asking union's own report: its approved children's reports added up, plus its own
    records, each figure beside the live one of its whole subtree."""
    await statement_timeout(session, StatementKind.REPORT)
    report, request, template, _, _ = await _to_change(
        session,
        principal,
        report_id,
        if_match,
        reviewer=True,
        allowed=(S.PENDING.value, S.DRAFT.value),
        consolidated=True,
    )
    asked = list(
        (
            await session.execute(
                select(Report).where(
                    Report.request_id == request.id, Report.consolidated.is_(False)
                )
            )
        ).scalars()
    )
    approved = [(r.union_id, r.content) for r in asked if r.status == S.APPROVED.value]
    before = _before(report)
    now = _now()
    report.content = await contents.consolidate(
        session,
        principal,
        Definition.model_validate(template.definition),
        report.union_id,
        request.period_from,
        request.period_to,
        now.isoformat(),
        approved,
        [r.union_id for r in asked],
        report.content or None,
    )
    report.generated_at = now
    report.status = S.DRAFT.value
    report.version += 1
    await session.flush()
    await session.refresh(report)
    await _audit(
        session,
        principal,
        "report.consolidate",
        report,
        before,
        {"children": [str(u) for u, _ in approved]},
    )
    return await get_report(session, principal, report.id)
