import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from unionhub.auth.dependencies import IfMatch, SessionDep, StaffPrincipal
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
