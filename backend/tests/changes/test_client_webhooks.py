"""A client's webhooks as the officers who manage the client see them (the web app's client
page): subscribe it, read the delivery log, send a delivery again, re-enable a disabled one;
all within the officer's scope."""

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.changes.receiver import Receiver, signature_ok
from tests.clients.helpers import register
from tests.factories import Factory
from tests.members.helpers import World, admit, build_world, problem
from unionhub.changes import webhooks
from unionhub.core import queue
from unionhub.core.audit import AuditEntry
from unionhub.core.config import get_settings


def hooks(client: dict[str, str]) -> str:
    return f"/api/v1/clients/{client['id']}/webhooks"


async def _subscribed_with_one_event(
    factory: Factory, receiver: Receiver
) -> tuple[World, dict[str, Any], dict[str, Any]]:
    """A district's client subscribed to `receiver` (every event), and one member admitted
    under it: one event to deliver."""
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    sub = (
        await factory.client.post(hooks(c), json={"url": receiver.url}, headers=w.officer_a)
    ).json()
    await admit(factory, w.admin, w.grassroots_a)
    return w, c, sub


async def test_an_officer_subscribes_a_client_and_follows_its_deliveries(
    factory: Factory,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    monkeypatch.setattr(get_settings(), "webhook_retry_seconds", "0")
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    r = await factory.client.post(
        hooks(c), json={"url": receiver.url, "event_types": ["member"]}, headers=w.officer_a
    )
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["client_id"] == c["id"] and sub["secret"].startswith("whsec_")
    listed = (await factory.client.get(hooks(c), headers=w.officer_a)).json()
    assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
    # the delivery goes out signed with the secret the officer was shown
    member = await admit(factory, w.admin, w.grassroots_a)
    (due,) = await webhooks.dispatch(factory.db)
    receiver.statuses = [500]
    await webhooks.deliver(factory.db, due)
    log = await factory.client.get(f"{hooks(c)}/{sub['id']}/deliveries", headers=w.officer_a)
    assert log.status_code == 200, log.text
    (item,) = log.json()["items"]
    assert item["status"] == "pending" and item["attempts"] == 1
    assert item["last_status_code"] == 500 and item["event_type"] == "member.admit"
    # sent again now, by the officer: a fresh series of attempts, audited
    r = await factory.client.post(
        f"{hooks(c)}/{sub['id']}/deliveries/{item['id']}/redeliver", headers=w.officer_a
    )
    assert r.status_code == 200, r.text
    assert r.json()["attempts"] == 0 and r.json()["status"] == "pending"
    await webhooks.deliver(factory.db, uuid.UUID(item["id"]))
    headers, body = receiver.received[-1]
    assert signature_ok(sub["secret"], headers, body) and member["id"] in body.decode()
    log = await factory.client.get(f"{hooks(c)}/{sub['id']}/deliveries", headers=w.officer_a)
    assert log.json()["items"][0]["status"] == "succeeded"
    actions = (
        await factory.db.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_id == uuid.UUID(sub["id"]))
        )
    ).all()
    assert set(actions) == {"webhook.create", "webhook.redeliver"}


async def test_the_officer_re_enables_a_disabled_subscription(
    factory: Factory,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    monkeypatch.setattr(get_settings(), "webhook_retry_seconds", "0")
    monkeypatch.setattr(get_settings(), "webhook_disable_after", 1)
    w, c, sub = await _subscribed_with_one_event(factory, receiver)
    receiver.statuses = [503, 503]
    for delivery_id in await webhooks.dispatch(factory.db):
        await webhooks.deliver(factory.db, delivery_id)
        await webhooks.deliver(factory.db, delivery_id)
    (shown,) = (await factory.client.get(hooks(c), headers=w.officer_a)).json()
    assert shown["active"] is False and shown["disabled_reason"] == "persistent_failure"
    r = await factory.client.patch(
        f"{hooks(c)}/{sub['id']}",
        json={"active": True},
        headers={**w.officer_a, "If-Match": f'"{shown["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["active"] is True and r.json()["disabled_reason"] is None


async def test_other_subtrees_and_revoked_clients_are_refused(
    factory: Factory,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    # district B's officer does not see district A's client: 404, as if it did not exist
    r = await factory.client.get(hooks(c), headers=w.officer_b)
    assert problem(r, 404)["code"] == "client_not_found"
    r = await factory.client.post(hooks(c), json={"url": receiver.url}, headers=w.officer_b)
    assert problem(r, 404)["code"] == "client_not_found"
    # the private-address rule holds for officers too
    r = await factory.client.post(hooks(c), json={"url": "https://10.0.0.8/x"}, headers=w.officer_a)
    assert problem(r, 422)["errors"][0]["code"] == "webhook_url_private"
    r = await factory.client.post(
        f"/api/v1/clients/{c['id']}/revoke",
        headers={**w.officer_a, "If-Match": f'"{c["version"]}"'},
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(hooks(c), json={"url": receiver.url}, headers=w.officer_a)
    assert problem(r, 409)["code"] == "client_revoked"


async def test_a_delivery_sent_again_is_committed_before_its_job_is_queued(
    factory: Factory,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker takes a queued job at once: queued before the request's commit, the job found
    the delivery still locked by the request and skipped it, and the send waited for the
    dispatcher's next round. Now the commit comes first; a queue that cannot be reached leaves
    the delivery pending and due, for the dispatcher."""
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.1/32")
    w, c, sub = await _subscribed_with_one_event(factory, receiver)
    (due,) = await webhooks.dispatch(factory.db)
    await webhooks.deliver(factory.db, due)
    assert len(receiver.received) == 1

    steps: list[str] = []
    commit = AsyncSession.commit

    async def committing(self: AsyncSession) -> None:
        steps.append("commit")
        await commit(self)

    async def queued(task: str, *, lock: str, **kwargs: Any) -> int:
        steps.append(f"queue {task} {kwargs['delivery_id']}")
        return 1

    monkeypatch.setattr(AsyncSession, "commit", committing)
    monkeypatch.setattr(queue, "defer", queued)
    again = f"{hooks(c)}/{sub['id']}/deliveries/{due}/redeliver"
    r = await factory.client.post(again, headers=w.officer_a)
    assert r.status_code == 200, r.text
    queued_at = steps.index(f"queue {webhooks.DELIVER} {due}")
    assert "commit" in steps[:queued_at], steps

    async def unreachable(task: str, *, lock: str, **kwargs: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(queue, "defer", unreachable)
    r = await factory.client.post(again, headers=w.officer_a)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "pending" and r.json()["attempts"] == 0
    # the dispatcher's round finds it due and it goes out
    assert due in await webhooks.dispatch(factory.db)
    await webhooks.deliver(factory.db, due)
    assert len(receiver.received) == 2
