"""/api/v1/members: officers' side of member accounts (activation codes, reset, close,
reopen) and the inbox of identity changes members ask for."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core.errors import problem_responses
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.members import account_states, accounts, self_service
from unionhub.members.models import ChangeRequestStatus
from unionhub.members.schemas import (
    ActivationCodeRead,
    ChangeRequestDecision,
    ChangeRequestRead,
    MemberAccountRead,
)

router = APIRouter(prefix="/api/v1/members", tags=["member accounts"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.MEMBERS_WRITE))]


@router.get(
    "/{member_id:uuid}/account",
    operation_id="members-account",
    response_model=MemberAccountRead,
    responses=problem_responses(401, 403, 404),
    summary="Whether the member has activated their own account",
)
async def account(
    member_id: uuid.UUID, principal: Reader, session: SessionDep
) -> MemberAccountRead:
    return await accounts.account_of(session, principal, member_id)


@router.post(
    "/{member_id:uuid}/activation-code",
    operation_id="members-activation-code",
    status_code=201,
    response_model=ActivationCodeRead,
    responses=problem_responses(401, 403, 404, 409),
    summary="Issue a one-time code the member activates their account with (shown once)",
)
async def activation_code(
    member_id: uuid.UUID, principal: Writer, session: SessionDep
) -> ActivationCodeRead:
    return await accounts.issue_code(session, principal, member_id)


@router.post(
    "/{member_id:uuid}/account/reset",
    operation_id="members-account-reset",
    response_model=MemberAccountRead,
    responses=problem_responses(401, 403, 404, 409),
    summary="End every sign-in of the member's account; the member activates it again",
)
async def account_reset(
    member_id: uuid.UUID, principal: Writer, session: SessionDep
) -> MemberAccountRead:
    return await account_states.reset(session, principal, member_id)


@router.post(
    "/{member_id:uuid}/account/close",
    operation_id="members-account-close",
    response_model=MemberAccountRead,
    responses=problem_responses(401, 403, 404, 409),
    summary="Close the member's account: no sign-in until it is reopened (an exit closes it too)",
)
async def account_close(
    member_id: uuid.UUID, principal: Writer, session: SessionDep
) -> MemberAccountRead:
    return await account_states.close(session, principal, member_id)


@router.post(
    "/{member_id:uuid}/account/reopen",
    operation_id="members-account-reopen",
    response_model=MemberAccountRead,
    responses=problem_responses(401, 403, 404, 409),
    summary="Reopen a closed account of a member in membership (their password works again)",
)
async def account_reopen(
    member_id: uuid.UUID, principal: Writer, session: SessionDep
) -> MemberAccountRead:
    return await account_states.reopen(session, principal, member_id)


@router.get(
    "/change-requests",
    operation_id="member-change-requests-list",
    response_model=Page[ChangeRequestRead],
    responses=problem_responses(401, 403, 422),
    summary="Identity changes members of your unions asked for in their own accounts",
)
async def list_requests(
    principal: Reader,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[list[ChangeRequestStatus] | None, Query()] = None,
) -> Page[ChangeRequestRead]:
    return await self_service.list_requests(
        session, principal, page, [s.value for s in status] if status else None
    )


@router.post(
    "/change-requests/{request_id:uuid}/approve",
    operation_id="member-change-requests-approve",
    response_model=ChangeRequestRead,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Approve a member's identity change: the record is changed by the usual rules",
)
async def approve(
    request_id: uuid.UUID, body: ChangeRequestDecision, principal: Writer, session: SessionDep
) -> ChangeRequestRead:
    return await self_service.approve(session, principal, request_id, body)


@router.post(
    "/change-requests/{request_id:uuid}/reject",
    operation_id="member-change-requests-reject",
    response_model=ChangeRequestRead,
    responses=problem_responses(401, 403, 404, 409),
    summary="Reject a member's identity change (the note tells them why)",
)
async def reject(
    request_id: uuid.UUID, body: ChangeRequestDecision, principal: Writer, session: SessionDep
) -> ChangeRequestRead:
    return await self_service.reject(session, principal, request_id, body)
