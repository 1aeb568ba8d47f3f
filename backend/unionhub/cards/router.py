import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from unionhub.auth.dependencies import MemberSelf, SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.cards import service
from unionhub.cards.schemas import CardRead, CardVerdict, CardVerify
from unionhub.core.errors import problem_responses
from unionhub.core.security import jwks

router = APIRouter(tags=["cards"])

Reader = Annotated[Principal, Depends(require(Permission.MEMBERS_READ))]
CARD = "/api/v1/members/{member_id:uuid}/card"


@router.get(
    CARD,
    operation_id="cards-get",
    response_model=CardRead,
    responses=problem_responses(401, 403, 404, 422),
    summary="A member's e-card: the facts and their signature (compact JWS, ES256)",
)
async def get_card(member_id: uuid.UUID, principal: Reader, session: SessionDep) -> CardRead:
    return await service.card(session, principal, member_id)


@router.get(
    CARD + ".svg",
    operation_id="cards-qr-svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(401, 403, 404, 422)},
    summary="The card's signed token as a QR code (SVG)",
)
async def card_svg(member_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    card = await service.card(session, principal, member_id)
    return Response(service.qr(card.token, "svg"), media_type="image/svg+xml")


@router.get(
    CARD + ".png",
    operation_id="cards-qr-png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **problem_responses(401, 403, 404, 422)},
    summary="The card's signed token as a QR code (PNG)",
)
async def card_png(member_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    card = await service.card(session, principal, member_id)
    return Response(service.qr(card.token, "png"), media_type="image/png")


MY_CARD = "/api/v1/me/card"


@router.get(
    MY_CARD,
    operation_id="me-card",
    response_model=CardRead,
    responses=problem_responses(401, 403, 422),
    summary="My e-card (a member signed in to their own account)",
    tags=["member self-service"],
)
async def my_card(principal: MemberSelf, session: SessionDep) -> CardRead:
    return await service.own_card(session, principal)


@router.get(
    MY_CARD + ".svg",
    operation_id="me-card-qr-svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **problem_responses(401, 403, 422)},
    summary="My card's signed token as a QR code (SVG)",
    tags=["member self-service"],
)
async def my_card_svg(principal: MemberSelf, session: SessionDep) -> Response:
    card = await service.own_card(session, principal)
    return Response(service.qr(card.token, "svg"), media_type="image/svg+xml")


@router.post(
    "/api/v1/cards/verify",
    operation_id="cards-verify",
    response_model=CardVerdict,
    responses=problem_responses(422),
    summary="Check a card online: signature, expiry, and revocation (member left, reissued)",
)
async def verify_card(body: CardVerify, session: SessionDep) -> CardVerdict:
    return await service.verify(session, body.token)


@router.get(
    "/.well-known/jwks.json",
    operation_id="cards-jwks",
    summary="Public keys that sign member e-cards (JWKS; verify cards offline with them)",
)
async def card_jwks() -> dict[str, Any]:
    return jwks()
