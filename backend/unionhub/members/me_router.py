"""/api/v1/me: a member in their own account (mobile, self-service), and its activation."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from unionhub.auth.dependencies import MemberSelf, SessionDep, client_ip
from unionhub.core.errors import problem_responses
from unionhub.core.pagination import Page, PageParams, page_params
from unionhub.core.schemas import SearchText
from unionhub.members import accounts, photos, self_service, transfers
from unionhub.members.photo_router import jpeg
from unionhub.members.schemas import (
    ChangeRequestRead,
    DestinationRead,
    MemberAccountActivated,
    MemberActivate,
    MemberHistory,
    MemberRead,
    MyProfileResult,
    MyProfileUpdate,
    MyTransferRequest,
    TransferRead,
)

router = APIRouter(prefix="/api/v1/me", tags=["member self-service"])


@router.post(
    "/activate",
    operation_id="me-activate",
    status_code=201,
    response_model=MemberAccountActivated,
    responses=problem_responses(409, 422, 429),
    summary="Activate a member's own account (personal ID + card number + date of birth, or "
    "a one-time code from the union); then sign in at POST /auth/token",
)
async def activate(
    body: MemberActivate, request: Request, session: SessionDep
) -> MemberAccountActivated:
    return await accounts.activate(session, body, client_ip(request))


@router.get(
    "/member",
    operation_id="me-member-get",
    response_model=MemberRead,
    responses=problem_responses(401, 403),
    summary="My member record (unmasked: it is my own)",
)
async def get_member(principal: MemberSelf, session: SessionDep) -> MemberRead:
    return await self_service.own_member(session, principal)


@router.patch(
    "/member",
    operation_id="me-member-update",
    response_model=MyProfileResult,
    responses=problem_responses(401, 403, 409, 422),
    summary="Change my contact data (at once) or my identity data (a request to my union)",
)
async def update_member(
    body: MyProfileUpdate, principal: MemberSelf, session: SessionDep
) -> MyProfileResult:
    return await self_service.update_own(session, principal, body)


@router.get(
    "/photo.jpg",
    operation_id="me-photo-jpeg",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, **problem_responses(401, 403, 404)},
    summary="My card photo (set by my union)",
)
async def my_photo(principal: MemberSelf, session: SessionDep) -> Response:
    return jpeg(await photos.own_content(session, principal))


@router.get(
    "/member/history",
    operation_id="me-member-history",
    response_model=MemberHistory,
    responses=problem_responses(401, 403),
    summary="My membership history: admissions, transfers, suspensions, periods per union",
)
async def member_history(principal: MemberSelf, session: SessionDep) -> MemberHistory:
    return await self_service.own_history(session, principal)


@router.get(
    "/change-requests",
    operation_id="me-change-requests",
    response_model=list[ChangeRequestRead],
    responses=problem_responses(401, 403),
    summary="My requests to change identity data, newest first",
)
async def change_requests(principal: MemberSelf, session: SessionDep) -> list[ChangeRequestRead]:
    return await self_service.list_own_requests(session, principal)


@router.get(
    "/transfer-requests",
    operation_id="me-transfer-requests",
    response_model=list[TransferRead],
    responses=problem_responses(401, 403),
    summary="My transfer requests, newest first",
)
async def transfer_requests(principal: MemberSelf, session: SessionDep) -> list[TransferRead]:
    return await transfers.list_own(session, principal)


@router.post(
    "/transfer-requests",
    operation_id="me-transfer-request",
    status_code=201,
    response_model=TransferRead,
    responses=problem_responses(401, 403, 409, 422),
    summary="Ask to move to another union (e.g. my new employer's); its officers decide",
)
async def request_transfer(
    body: MyTransferRequest, principal: MemberSelf, session: SessionDep
) -> TransferRead:
    return await transfers.request_own(session, principal, body)


@router.get(
    "/transfer-destinations",
    operation_id="me-transfer-destinations",
    response_model=Page[DestinationRead],
    responses=problem_responses(401, 403, 422),
    summary="Unions I may ask to move to (id, code, name, parent only)",
)
async def destinations(
    principal: MemberSelf,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    q: Annotated[SearchText | None, Query(description="Code or name, without accents")] = None,
) -> Page[DestinationRead]:
    return await transfers.destinations(session, q, page)
