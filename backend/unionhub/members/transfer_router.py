"""/api/v1/members: transfers between unions and the list of destinations."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import SearchText
from unionhub.members import transfer_waiting, transfers
from unionhub.members.models import TransferStatus
from unionhub.members.schemas import (
    DestinationRead,
    EscalationRead,
    EscalationSetting,
    MemberTransfer,
    TransferAccept,
    TransferDecision,
    TransferRead,
    TransferResult,
    TransfersWaiting,
)

router = APIRouter(prefix="/api/v1/members", tags=["member transfers"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]


@router.get(
    "/transfer-destinations",
    operation_id="members-transfer-destinations",
    response_model=Page[DestinationRead],
    responses=problem_responses(401, 403, 422),
    summary="Active unions that hold members, federation-wide (id, code, name, parent only)",
)
async def destinations(
    principal: Writer,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[SearchText | None, Query(description="Code or name, without accents")] = None,
) -> Page[DestinationRead]:
    return await transfers.destinations(session, q, page)


@router.get(
    "/transfers",
    operation_id="transfers-list",
    response_model=Page[TransferRead],
    responses=problem_responses(401, 403, 422),
    summary="Transfer requests into or out of your unions",
)
async def list_transfers(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    direction: Annotated[
        str, Query(pattern="^(incoming|outgoing|all)$", description="incoming, outgoing or all")
    ] = "all",
    status: Annotated[list[TransferStatus] | None, Query()] = None,
    member_id: uuid.UUID | None = None,
) -> Page[TransferRead]:
    return await transfers.list_transfers(
        session,
        principal,
        page,
        direction=direction,
        status=[s.value for s in status] if status else None,
        member_id=member_id,
    )


@router.get(
    "/transfers/waiting",
    operation_id="transfers-waiting",
    response_model=TransfersWaiting,
    responses=problem_responses(401, 403),
    summary="Incoming requests waiting for your decision: all, overdue, escalated (the to-do)",
)
async def transfers_waiting(principal: Reader, session: SessionDep) -> TransfersWaiting:
    return await transfer_waiting.waiting(session, principal)


@router.get(
    "/transfer-escalation/{union_id:uuid}",
    operation_id="transfers-escalation-get",
    response_model=EscalationRead,
    responses=problem_responses(401, 403, 404),
    summary="After how many days requests into the union are escalated to its upper union",
)
async def escalation_get(
    union_id: uuid.UUID, principal: Reader, session: SessionDep
) -> EscalationRead:
    return await transfer_waiting.get_escalation(session, principal, union_id)


@router.put(
    "/transfer-escalation/{union_id:uuid}",
    operation_id="transfers-escalation-set",
    response_model=EscalationRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="Escalate requests into the union that wait longer than `days` (null: never)",
)
async def escalation_set(
    union_id: uuid.UUID, body: EscalationSetting, principal: Writer, session: SessionDep
) -> EscalationRead:
    return await transfer_waiting.set_escalation(session, principal, union_id, body)


def _decision(path: str, doc: str) -> None:
    decide = {"refuse": transfers.refuse, "cancel": transfers.cancel}[path]

    async def endpoint(
        request_id: uuid.UUID, body: TransferDecision, principal: Writer, session: SessionDep
    ) -> TransferRead:
        return await decide(session, principal, request_id, body)

    endpoint.__name__ = f"transfer_{path}"
    router.add_api_route(
        f"/transfers/{{request_id:uuid}}/{path}",
        endpoint,
        methods=["POST"],
        response_model=TransferRead,
        operation_id=f"transfers-{path}",
        summary=doc,
        responses=problem_responses(401, 403, 404, 409, 422),
    )


@router.post(
    "/transfers/{request_id:uuid}/accept",
    operation_id="transfers-accept",
    response_model=TransferRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Accept a transfer into your union (the member moves on its date)",
)
async def transfer_accept(
    request_id: uuid.UUID, body: TransferAccept, principal: Writer, session: SessionDep
) -> TransferRead:
    return await transfers.accept(session, principal, request_id, body)


_decision("refuse", "Refuse a transfer into your union")
_decision("cancel", "Withdraw a transfer your union requested")


@router.post(
    "/{member_id:uuid}/transfer",
    operation_id="members-transfer",
    response_model=TransferResult,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Transfer a member: at once if you manage both unions, else a request to accept",
)
async def transfer(
    member_id: uuid.UUID,
    body: MemberTransfer,
    principal: Writer,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> TransferResult:
    result = await transfers.transfer(session, principal, member_id, body, if_match)
    set_etag(response, result.member.version)
    return result
