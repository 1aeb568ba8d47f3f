import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from unionhub.audit import service
from unionhub.audit.repository import AuditFilters
from unionhub.audit.schemas import AuditActor, AuditEntryRead
from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.pagination import CursorPage, CursorParam, PageParams, page_params
from unionhub.core.schemas import Instant

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])

Auditor = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]


@router.get(
    "",
    operation_id="audit-list",
    response_model=CursorPage[AuditEntryRead],
    responses=problem_responses(401, 403, 422),
    summary="The audit log of your scope, newest first",
)
async def list_audit(
    principal: Auditor,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    entity_type: Annotated[str | None, Query(max_length=32, description="e.g. user, union")] = None,
    entity_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    action: Annotated[
        str | None,
        Query(max_length=64, description="Action prefix: 'user.' finds every account change"),
    ] = None,
    action_exact: Annotated[
        str | None,
        Query(max_length=64, description="One action by its full name, e.g. 'auth.login'"),
    ] = None,
    union_id: uuid.UUID | None = None,
    from_: Annotated[
        Instant | None,
        Query(alias="from", description="From this instant (inclusive); no offset means UTC"),
    ] = None,
    to: Annotated[
        Instant | None, Query(description="Before this instant (exclusive); no offset means UTC")
    ] = None,
    cursor: CursorParam = None,
) -> CursorPage[AuditEntryRead]:
    filters = AuditFilters(
        entity_type=entity_type,
        entity_id=entity_id,
        actor_id=actor_id,
        action=action,
        action_exact=action_exact,
        union_id=union_id,
        from_=from_,
        to=to,
    )
    return await service.list_entries(session, principal, filters, page, cursor)


@router.get(
    "/actors",
    operation_id="audit-actors",
    response_model=list[AuditActor],
    responses=problem_responses(401, 403, 422),
    summary="People who acted in your audit scope (for the 'by whom' filter), by name",
)
async def list_actors(
    principal: Auditor,
    session: SessionDep,
    q: Annotated[
        str | None,
        Query(max_length=64, description="Part of the name or username, accents optional"),
    ] = None,
) -> list[AuditActor]:
    return await service.actors(session, principal, q)
