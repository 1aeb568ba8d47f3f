"""Forwarding a report request: a unit asked by an upper union's request passes it on to its
own children (a child request linked to the parent), so that its report is theirs added up.

- The forwarding union must be a unit the parent request asked (422 `forward_not_asked`); it
  forwards once (409 `already_forwarded`), with the parent's template and period (422
  `forward_mismatch`) and a deadline before the parent's (422 `deadline_not_before_parent`).
- Unless given another, the child request keeps the parent's title: the children answer the
  request the province named.
- In the child request it is the asking union: its children report to it, it reviews them and
  consolidates its own report (periodic.consolidate). Once that consolidation is approved,
  generating its report for the parent takes those figures (content.adopt) instead of
  computing them from the records.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.authz.principal import Principal
from unionhub.core.error_codes import ErrorCode as E
from unionhub.core.errors import Conflict, NotFound, Unprocessable
from unionhub.reports import repository as repo
from unionhub.reports.models import ReportRequest
from unionhub.reports.schemas import ReportRequestCreate
from unionhub.unions.models import Union


async def check(
    session: AsyncSession, principal: Principal, data: ReportRequestCreate, asker: Union
) -> ReportRequest:
    """The rules of a forwarded request (`data.parent_request_id` set), before it is made;
    the request it forwards."""
    assert data.parent_request_id is not None
    row = await repo.get_request(session, principal, data.parent_request_id)
    if row is None:
        raise NotFound("No report request with this id.", code=E.REPORT_REQUEST_NOT_FOUND)
    parent: ReportRequest = row[0]
    template = row[1]
    # Locked: two forwards of the same report at once cannot both pass the check below.
    if await repo.asked_report(session, parent.id, asker.id) is None:
        raise Unprocessable(
            "parent_request_id",
            E.FORWARD_NOT_ASKED,
            "This request did not ask the union to report: only a unit asked forwards it.",
            params={"union": asker.name},
        )
    if data.template_id != template.id:
        raise Unprocessable(
            "template_id",
            E.FORWARD_MISMATCH,
            "A forwarded request uses the template of the request it forwards.",
            params={"expected": f"{template.name} (v{template.version})"},
        )
    if (data.period_from, data.period_to) != (parent.period_from, parent.period_to):
        raise Unprocessable(
            "period_from",
            E.FORWARD_MISMATCH,
            "A forwarded request covers the period of the request it forwards.",
            params={"expected": f"{parent.period_from:%d/%m/%Y} - {parent.period_to:%d/%m/%Y}"},
        )
    if data.deadline >= parent.deadline:
        raise Unprocessable(
            "deadline",
            E.DEADLINE_NOT_BEFORE_PARENT,
            "The children must answer before the union's own deadline.",
            params={"value": data.deadline, "parent_deadline": parent.deadline},
        )
    existing = await repo.forwarded_id(session, parent.id, asker.id)
    if existing is not None:
        raise Conflict(
            "The union already forwarded this request.",
            code=E.ALREADY_FORWARDED,
            params={"request_id": str(existing)},
        )
    return parent
