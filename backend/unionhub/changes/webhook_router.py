import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, StaffPrincipal, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.changes import webhooks
from unionhub.changes.webhook_schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)
from unionhub.core.errors import problem_responses
from unionhub.core.etag import set_etag
from unionhub.core.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])


@router.post(
    "",
    operation_id="webhooks-create",
    response_model=WebhookWithSecret,
    status_code=201,
    responses=problem_responses(401, 403, 422),
    summary="Subscribe (integration clients): events are POSTed to the URL, signed",
)
async def create_webhook(
    body: WebhookCreate, principal: StaffPrincipal, session: SessionDep, response: Response
) -> WebhookWithSecret:
    sub = await webhooks.create(session, principal, body)
    set_etag(response, sub.version)
    return sub


@router.get(
    "",
    operation_id="webhooks-list",
    response_model=list[WebhookRead],
    responses=problem_responses(401, 403),
    summary="Your subscriptions",
)
async def list_webhooks(principal: StaffPrincipal, session: SessionDep) -> list[WebhookRead]:
    return await webhooks.list_own(session, principal)


@router.get(
    "/{subscription_id:uuid}",
    operation_id="webhooks-get",
    response_model=WebhookRead,
    responses=problem_responses(401, 403, 404),
    summary="One subscription (active, or disabled and why)",
)
async def get_webhook(
    subscription_id: uuid.UUID, principal: StaffPrincipal, session: SessionDep, response: Response
) -> WebhookRead:
    sub = await webhooks.get(session, principal, subscription_id)
    set_etag(response, sub.version)
    return sub


@router.patch(
    "/{subscription_id:uuid}",
    operation_id="webhooks-update",
    response_model=WebhookRead,
    responses=problem_responses(401, 403, 404, 412, 422, 428),
    summary="Change the event types, pause, or re-enable after failures",
)
async def update_webhook(
    subscription_id: uuid.UUID,
    body: WebhookUpdate,
    principal: StaffPrincipal,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> WebhookRead:
    sub = await webhooks.update_sub(session, principal, subscription_id, body, if_match)
    set_etag(response, sub.version)
    return sub


@router.get(
    "/{subscription_id:uuid}/deliveries",
    operation_id="webhooks-deliveries",
    response_model=Page[DeliveryRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="The delivery log, newest first",
)
async def list_deliveries(
    subscription_id: uuid.UUID,
    principal: StaffPrincipal,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[DeliveryRead]:
    return await webhooks.deliveries(session, principal, subscription_id, page)


@router.post(
    "/deliveries/{delivery_id:uuid}/redeliver",
    operation_id="webhooks-redeliver",
    response_model=DeliveryRead,
    responses=problem_responses(401, 403, 404),
    summary="Send a delivery again now",
)
async def redeliver(
    delivery_id: uuid.UUID, principal: StaffPrincipal, session: SessionDep
) -> DeliveryRead:
    return await webhooks.redeliver(session, principal, delivery_id)


# ---------------------------------------------------------------- a managed client's webhooks
# The same subscriptions, looked after by the officers who manage the client (clients:manage
# at its union, through the scope): its screen in the web app lists them, subscribes it,
# re-enables a disabled one, reads the delivery log and sends a delivery again.

managed = APIRouter(prefix="/api/v1/clients/{client_id:uuid}/webhooks", tags=["clients"])
Manager = Annotated[Principal, Depends(require(Permission.CLIENTS_MANAGE))]


@managed.get(
    "",
    operation_id="clients-webhooks-list",
    response_model=list[WebhookRead],
    responses=problem_responses(401, 403, 404),
    summary="A client's webhook subscriptions (active, or disabled and why)",
)
async def list_client_webhooks(
    client_id: uuid.UUID, principal: Manager, session: SessionDep
) -> list[WebhookRead]:
    return await webhooks.list_own(session, principal, client_id)


@managed.post(
    "",
    operation_id="clients-webhooks-create",
    response_model=WebhookWithSecret,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Subscribe a client you manage (the signing secret is in this answer only)",
)
async def create_client_webhook(
    client_id: uuid.UUID,
    body: WebhookCreate,
    principal: Manager,
    session: SessionDep,
    response: Response,
) -> WebhookWithSecret:
    sub = await webhooks.create(session, principal, body, client_id)
    set_etag(response, sub.version)
    return sub


@managed.patch(
    "/{subscription_id:uuid}",
    operation_id="clients-webhooks-update",
    response_model=WebhookRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422, 428),
    summary="Change a client's subscription: event types, pause, re-enable after failures",
)
async def update_client_webhook(
    client_id: uuid.UUID,
    subscription_id: uuid.UUID,
    body: WebhookUpdate,
    principal: Manager,
    session: SessionDep,
    response: Response,
    if_match: IfMatch,
) -> WebhookRead:
    sub = await webhooks.update_sub(session, principal, subscription_id, body, if_match, client_id)
    set_etag(response, sub.version)
    return sub


@managed.get(
    "/{subscription_id:uuid}/deliveries",
    operation_id="clients-webhooks-deliveries",
    response_model=Page[DeliveryRead],
    responses=problem_responses(401, 403, 404, 422),
    summary="A client's subscription's delivery log, newest first",
)
async def list_client_deliveries(
    client_id: uuid.UUID,
    subscription_id: uuid.UUID,
    principal: Manager,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
) -> Page[DeliveryRead]:
    return await webhooks.deliveries(session, principal, subscription_id, page, client_id)


@managed.post(
    "/{subscription_id:uuid}/deliveries/{delivery_id:uuid}/redeliver",
    operation_id="clients-webhooks-redeliver",
    response_model=DeliveryRead,
    responses=problem_responses(401, 403, 404),
    summary="Send one of a client's deliveries again now",
)
async def redeliver_client_delivery(
    client_id: uuid.UUID,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
    principal: Manager,
    session: SessionDep,
) -> DeliveryRead:
    return await webhooks.redeliver(session, principal, delivery_id, client_id, subscription_id)
