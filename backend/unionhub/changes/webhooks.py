"""Webhooks: a client's subscriptions, the dispatcher that turns feed events into deliveries,
and the delivery itself (signed per Standard Webhooks, retried with backoff over a day,
the subscription disabled after persistent failure).

A subscription belongs to the client that made it; another caller gets 404. The dispatcher
reads the feed exactly as the client would (its principal, its scope, its types), so a webhook
never tells a client more than GET /api/v1/changes would.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.clients import load_client_principal
from unionhub.auth.models import IntegrationClient
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.authz.scope import in_scope
from unionhub.changes import repository as feed
from unionhub.changes.service import event_id
from unionhub.changes.webhook_models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from unionhub.changes.webhook_schemas import (
    DeliveryRead,
    WebhookCreate,
    WebhookRead,
    WebhookUpdate,
    WebhookWithSecret,
)
from unionhub.changes.webhook_targets import TargetRefused, check_target
from unionhub.core import audit, queue
from unionhub.core.audit import snapshot
from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from unionhub.core.etag import check_version
from unionhub.core.pagination import Page, PageParams, paginate
from unionhub.core.security import new_webhook_secret, webhook_signature

log = logging.getLogger("unionhub.webhooks")
DELIVER = "webhooks.deliver"
BATCH = 500


@dataclass(frozen=True)
class Owner:
    """The client whose subscriptions a call is about, and the union its audit entries go to."""

    client_id: uuid.UUID
    union_id: uuid.UUID | None
    revoked: bool = False


def _client_id(principal: Principal) -> uuid.UUID:
    if principal.kind != "client":
        raise Forbidden(
            "Only integration clients subscribe to webhooks (with their own token).",
            code=ErrorCode.CLIENTS_ONLY,
        )
    return principal.assignments[0].id


async def _owner(session: AsyncSession, principal: Principal, client_id: uuid.UUID | None) -> Owner:
    """`client_id` None: the calling client itself. Otherwise a client the caller manages
    (clients:manage at the client's union, through the scope: 404 elsewhere), for the
    officers' screens."""
    if client_id is None:
        return Owner(_client_id(principal), principal.assignments[0].union_id)
    row = (
        await session.execute(
            select(IntegrationClient.id, IntegrationClient.union_id, IntegrationClient.revoked_at)
            .where(IntegrationClient.id == client_id)
            .where(in_scope(principal, IntegrationClient.union_id, Permission.CLIENTS_MANAGE))
        )
    ).one_or_none()
    if row is None:
        raise NotFound("No integration client with this id.", code=ErrorCode.CLIENT_NOT_FOUND)
    return Owner(row[0], row[1], revoked=row[2] is not None)


def _read(sub: WebhookSubscription) -> WebhookRead:
    return WebhookRead.model_validate(sub, from_attributes=True)


async def _refuse_target(url: str) -> None:
    try:
        await check_target(url)
    except TargetRefused as exc:
        raise Unprocessable("url", exc.code, exc.message) from None


async def create(
    session: AsyncSession,
    principal: Principal,
    data: WebhookCreate,
    client_id: uuid.UUID | None = None,
) -> WebhookWithSecret:
    """Subscribe the calling client (or, for an officer, a client they manage); events from
    now on (the feed's current end)."""
    owner = await _owner(session, principal, client_id)
    if owner.revoked:
        raise Conflict(
            "A revoked client cannot subscribe to webhooks.", code=ErrorCode.CLIENT_REVOKED
        )
    await _refuse_target(data.url)
    last = await feed.last_position(session)
    sub = WebhookSubscription(
        client_id=owner.client_id,
        url=data.url,
        event_types=sorted(set(data.event_types)),
        secret=new_webhook_secret(),
        active=True,
        consecutive_failures=0,
        cursor_txid=last[0],
        cursor_id=last[1],
        version=1,
    )
    session.add(sub)
    await session.flush()
    await session.refresh(sub)
    await audit.record(
        session,
        principal,
        "webhook.create",
        "webhook",
        sub.id,
        union_id=owner.union_id,
        after=snapshot(sub, frozenset({"secret"})),
    )
    return WebhookWithSecret(**_read(sub).model_dump(), secret=sub.secret)


async def _own(
    session: AsyncSession, owner: Owner, sub_id: uuid.UUID, *, for_update: bool = False
) -> WebhookSubscription:
    stmt = select(WebhookSubscription).where(
        WebhookSubscription.id == sub_id, WebhookSubscription.client_id == owner.client_id
    )
    if for_update:
        stmt = stmt.with_for_update()
    sub = (await session.execute(stmt)).scalar_one_or_none()
    if sub is None:
        raise NotFound("No webhook subscription with this id.", code=ErrorCode.WEBHOOK_NOT_FOUND)
    return sub


async def list_own(
    session: AsyncSession, principal: Principal, client_id: uuid.UUID | None = None
) -> list[WebhookRead]:
    """The calling client's subscriptions (a person has none), or those of a client the
    caller manages."""
    if client_id is None and principal.kind != "client":
        return []
    owner = await _owner(session, principal, client_id)
    rows = await session.execute(
        select(WebhookSubscription)
        .where(WebhookSubscription.client_id == owner.client_id)
        .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
    )
    return [_read(s) for s in rows.scalars()]


async def get(
    session: AsyncSession,
    principal: Principal,
    sub_id: uuid.UUID,
    client_id: uuid.UUID | None = None,
) -> WebhookRead:
    return _read(await _own(session, await _owner(session, principal, client_id), sub_id))


async def update_sub(
    session: AsyncSession,
    principal: Principal,
    sub_id: uuid.UUID,
    data: WebhookUpdate,
    if_match: int | None,
    client_id: uuid.UUID | None = None,
) -> WebhookRead:
    owner = await _owner(session, principal, client_id)
    sub = await _own(session, owner, sub_id, for_update=True)
    check_version(sub, if_match, "webhook subscription")
    before = snapshot(sub, frozenset({"secret"}))
    if data.event_types is not None:
        sub.event_types = sorted(set(data.event_types))
    if data.active is not None:
        if data.active and not sub.active:
            if owner.revoked:
                raise Conflict(
                    "A revoked client's webhooks stay off.", code=ErrorCode.CLIENT_REVOKED
                )
            await _refuse_target(sub.url)
            sub.consecutive_failures = 0
            sub.disabled_reason = None
        sub.active = data.active
    sub.version += 1
    await session.flush()
    await session.refresh(sub)
    await audit.record(
        session,
        principal,
        "webhook.update",
        "webhook",
        sub.id,
        union_id=owner.union_id,
        before=before,
        after=snapshot(sub, frozenset({"secret"})),
    )
    return _read(sub)


async def deliveries(
    session: AsyncSession,
    principal: Principal,
    sub_id: uuid.UUID,
    params: PageParams,
    client_id: uuid.UUID | None = None,
) -> Page[DeliveryRead]:
    sub = await _own(session, await _owner(session, principal, client_id), sub_id)
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == sub.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
    )
    return await paginate(
        session,
        stmt,
        params,
        lambda rows: [DeliveryRead.model_validate(r[0], from_attributes=True) for r in rows],
    )


async def redeliver(
    session: AsyncSession,
    principal: Principal,
    delivery_id: uuid.UUID,
    client_id: uuid.UUID | None = None,
    sub_id: uuid.UUID | None = None,
) -> DeliveryRead:
    """Send a delivery again now (whatever its state), as a fresh series of attempts."""
    owner = await _owner(session, principal, client_id)
    stmt = (
        select(WebhookDelivery)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(WebhookDelivery.id == delivery_id, WebhookSubscription.client_id == owner.client_id)
        .with_for_update(of=WebhookDelivery)
    )
    if sub_id is not None:
        stmt = stmt.where(WebhookSubscription.id == sub_id)
    delivery = (await session.execute(stmt)).scalar_one_or_none()
    if delivery is None:
        raise NotFound(
            "No webhook delivery with this id.", code=ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND
        )
    delivery.status = DeliveryStatus.PENDING.value
    delivery.attempts = 0
    delivery.next_attempt_at = datetime.now(UTC)
    await session.flush()
    await session.refresh(delivery)
    await audit.record(
        session,
        principal,
        "webhook.redeliver",
        "webhook",
        delivery.subscription_id,
        union_id=owner.union_id,
        after={"delivery_id": str(delivery.id), "event_id": delivery.event_id},
    )
    read = DeliveryRead.model_validate(delivery, from_attributes=True)
    # Committed before it is queued, as every job here: a worker may take the job at once,
    # and before the commit it would find the delivery still locked by this request (and
    # skip it, leaving the send to the dispatcher's next round).
    await session.commit()
    try:
        await queue.defer(DELIVER, lock=f"webhook:{delivery.id}", delivery_id=str(delivery.id))
    except Exception:
        # The delivery is committed pending and due: the dispatcher queues it (every 5 s).
        log.exception("could not queue webhook delivery %s; the dispatcher will", delivery.id)
    return read


# ------------------------------------------------------------------ dispatcher and delivery


def payload(event: Any) -> dict[str, Any]:
    return {
        "type": event.action,
        "timestamp": event.at.isoformat(),
        "data": {
            "id": event_id(event),
            "entity_type": event.entity_type,
            "entity_id": str(event.entity_id) if event.entity_id else None,
            "union_id": str(event.union_id) if event.union_id else None,
            "changed": event.changed,
        },
    }


async def dispatch(session: AsyncSession) -> list[uuid.UUID]:
    """New feed events of every active subscription become deliveries (one transaction;
    the caller commits, then defers the returned deliveries). Also returns deliveries that
    are due but whose job was lost."""
    subs = (
        await session.execute(
            select(WebhookSubscription)
            .where(WebhookSubscription.active.is_(True))
            .with_for_update(skip_locked=True)
        )
    ).scalars()
    for sub in list(subs):
        principal = await load_client_principal(session, sub.client_id, None)
        if principal is None:  # revoked client
            sub.active = False
            sub.disabled_reason = "client_revoked"
            continue
        events = await feed.page(
            session, principal, (sub.cursor_txid, sub.cursor_id), sub.event_types, BATCH
        )
        if not events:
            continue
        await session.execute(
            pg_insert(WebhookDelivery)
            .values(
                [
                    {
                        "id": uuid.uuid4(),
                        "subscription_id": sub.id,
                        "event_id": event_id(e),
                        "event_type": e.action,
                        "payload": payload(e),
                        "status": DeliveryStatus.PENDING.value,
                        "attempts": 0,
                    }
                    for e in events
                ]
            )
            .on_conflict_do_nothing(constraint="uq_webhook_deliveries_event")
        )
        sub.cursor_txid, sub.cursor_id = events[-1].txid, events[-1].id
    await session.flush()
    due = await session.execute(
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= datetime.now(UTC),
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(1000)
    )
    return list(due.scalars())


async def deliver(session: AsyncSession, delivery_id: uuid.UUID) -> None:
    """One attempt; on failure the next is scheduled (WEBHOOK_RETRY_SECONDS), and after the
    last the delivery fails and counts toward disabling the subscription."""
    row = (
        await session.execute(
            select(WebhookDelivery, WebhookSubscription)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(WebhookDelivery.id == delivery_id)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
    ).one_or_none()
    if row is None:
        return
    delivery, sub = row
    now = datetime.now(UTC)
    if delivery.status != DeliveryStatus.PENDING.value or delivery.next_attempt_at > now:
        return
    if not sub.active:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.last_error = f"subscription disabled ({sub.disabled_reason or 'by the client'})"
        return
    status_code, error = await _post(sub, delivery, now)
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DeliveryStatus.SUCCEEDED.value
        delivery.delivered_at = now
        sub.consecutive_failures = 0
        return
    retries = get_settings().webhook_retries
    if delivery.attempts <= len(retries):
        delivery.next_attempt_at = now + timedelta(seconds=retries[delivery.attempts - 1])
        return
    delivery.status = DeliveryStatus.FAILED.value
    sub.consecutive_failures += 1
    if sub.consecutive_failures >= get_settings().webhook_disable_after and sub.active:
        sub.active = False
        sub.disabled_reason = "persistent_failure"
        # The notice: on the subscription, and in the audit trail of the client's union, where
        # the officers who manage the client read it.
        client = await session.get(IntegrationClient, sub.client_id)
        await audit.record(
            session,
            None,
            "webhook.disabled",
            "webhook",
            sub.id,
            union_id=client.union_id if client else None,
            after={"reason": "persistent_failure", "failed_deliveries": sub.consecutive_failures},
            actor_username="system",
        )


async def _post(
    sub: WebhookSubscription, delivery: WebhookDelivery, now: datetime
) -> tuple[int | None, str | None]:
    try:
        await check_target(sub.url)
    except TargetRefused as exc:
        return None, exc.message[:500]
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(now.timestamp())
    headers = {
        "content-type": "application/json",
        "user-agent": "UnionHub-Webhooks/1",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(sub.secret, delivery.event_id, timestamp, body),
    }
    try:
        async with httpx.AsyncClient(
            timeout=get_settings().webhook_timeout_seconds, follow_redirects=False
        ) as http:
            r = await http.post(sub.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return r.status_code, None if r.is_success else f"HTTP {r.status_code}"


async def next_attempt_delay(session: AsyncSession, delivery_id: uuid.UUID) -> int | None:
    """Seconds until the delivery's next attempt, None when it is no longer pending."""
    row = (
        await session.execute(
            select(WebhookDelivery.status, WebhookDelivery.next_attempt_at).where(
                WebhookDelivery.id == delivery_id
            )
        )
    ).one_or_none()
    if row is None or row[0] != DeliveryStatus.PENDING.value:
        return None
    return max(0, int((row[1] - datetime.now(UTC)).total_seconds() + 0.999))
