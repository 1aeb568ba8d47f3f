"""Webhooks: refused private targets, signed deliveries per Standard Webhooks, a retry after a
failure, the delivery log, and disabling after persistent failure."""

import base64
import json
import uuid

import pytest
from sqlalchemy import select

from tests.changes.receiver import Receiver, signature_ok
from tests.clients.helpers import client_token, register
from tests.factories import Factory
from tests.members.helpers import admit, build_world, problem
from unionhub.changes import webhooks
from unionhub.core.audit import AuditEntry
from unionhub.core.config import get_settings


async def test_private_targets_are_refused_unless_allowed(
    factory: Factory, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    for url in (receiver.url, "https://169.254.169.254/latest", "https://10.0.0.8/x"):
        r = await factory.client.post("/api/v1/webhooks", json={"url": url}, headers=headers)
        assert problem(r, 422)["errors"][0]["code"] == "webhook_url_private", url
    # people do not subscribe; clients do
    r = await factory.client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=w.admin)
    assert problem(r, 403)["code"] == "clients_only"
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    r = await factory.client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=headers)
    assert r.status_code == 201, r.text


async def test_signed_delivery_with_a_retry_after_a_failure(
    factory: Factory, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    monkeypatch.setattr(get_settings(), "webhook_retry_seconds", "0,0")
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    r = await factory.client.post(
        "/api/v1/webhooks", json={"url": receiver.url, "event_types": ["member"]}, headers=headers
    )
    sub = r.json()
    assert sub["secret"].startswith("whsec_")
    member = await admit(factory, w.admin, w.grassroots_a)
    await admit(factory, w.admin, w.grassroots_b)  # outside the client's subtree
    due = await webhooks.dispatch(factory.db)
    assert len(due) == 1
    receiver.statuses = [500]
    await webhooks.deliver(factory.db, due[0])
    await webhooks.deliver(factory.db, due[0])
    assert len(receiver.received) == 2
    (h1, b1), (h2, b2) = receiver.received
    assert h1["webhook-id"] == h2["webhook-id"]  # the same message, retried
    assert signature_ok(sub["secret"], h2, b2) and signature_ok(sub["secret"], h1, b1)
    assert not signature_ok("whsec_" + base64.b64encode(b"x" * 24).decode(), h2, b2)
    event = json.loads(b2)
    assert event["type"] == "member.admit" and event["data"]["entity_id"] == member["id"]
    log = await factory.client.get(f"/api/v1/webhooks/{sub['id']}/deliveries", headers=headers)
    (item,) = log.json()["items"]
    assert item["status"] == "succeeded" and item["attempts"] == 2
    # a second dispatch finds nothing new
    assert await webhooks.dispatch(factory.db) == []


async def test_persistent_failure_disables_the_subscription(
    factory: Factory, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    monkeypatch.setattr(get_settings(), "webhook_retry_seconds", "0")
    monkeypatch.setattr(get_settings(), "webhook_disable_after", 2)
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    sub = (
        await factory.client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=headers)
    ).json()
    await admit(factory, w.admin, w.grassroots_a)
    await admit(factory, w.admin, w.grassroots_a)
    receiver.statuses = [503] * 10
    for delivery_id in await webhooks.dispatch(factory.db):
        await webhooks.deliver(factory.db, delivery_id)
        await webhooks.deliver(factory.db, delivery_id)
    r = await factory.client.get(f"/api/v1/webhooks/{sub['id']}", headers=headers)
    assert r.json()["active"] is False
    assert r.json()["disabled_reason"] == "persistent_failure"
    # the notice reaches the officers of the client's union (their audit trail)
    notice = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "webhook.disabled", AuditEntry.entity_id == uuid.UUID(sub["id"])
        )
    )
    assert notice is not None and notice.union_id == w.district_a.id
    # the client re-enables it (If-Match required of a client)
    r = await factory.client.patch(
        f"/api/v1/webhooks/{sub['id']}", json={"active": True}, headers=headers
    )
    assert problem(r, 428)["code"] == "if_match_required"
    r = await factory.client.patch(
        f"/api/v1/webhooks/{sub['id']}",
        json={"active": True},
        headers={**headers, "If-Match": r.headers.get("etag") or f'"{sub["version"]}"'},
    )
    assert r.status_code == 200 and r.json()["active"] is True
