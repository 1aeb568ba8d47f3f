"""Work waiting for an officer: incoming transfer requests, flagged when old, escalated upward
by the receiving union's setting."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world, problem
from unionhub.core.audit import AuditEntry
from unionhub.members.models import TransferRequest

TRANSFERS = f"{API}/transfers"
WAITING = f"{TRANSFERS}/waiting"
SETTING = f"{API}/transfer-escalation"


async def _request(factory: Factory, w: Any) -> dict[str, Any]:
    """A request from Cái Bè (officer_a) into Mỹ Tho's grassroots union (officer_b decides)."""
    m = await admit(factory, w.officer_a, w.grassroots_a, full_name="Lê Thị Chờ")
    r = await factory.client.post(
        f"{API}/{m['id']}/transfer",
        json={"to_union_id": str(w.grassroots_b.id), "effective_date": "2023-03-01"},
        headers=w.officer_a,
    )
    assert r.status_code == 200 and r.json()["completed"] is False, r.text
    request: dict[str, Any] = r.json()["request"]
    return request


async def _age(factory: Factory, request_id: str, days: int) -> None:
    await factory.db.execute(
        update(TransferRequest)
        .where(TransferRequest.id == uuid.UUID(request_id))
        .values(requested_at=func.now() - timedelta(days=days))
    )


async def _waiting(factory: Factory, headers: dict[str, str]) -> dict[str, Any]:
    r = await factory.client.get(WAITING, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _incoming(factory: Factory, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = await factory.client.get(
        TRANSFERS, params={"direction": "incoming", "status": "pending"}, headers=headers
    )
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_the_receiving_officer_and_the_province_see_it_waiting(factory: Factory) -> None:
    w = await build_world(factory)
    req = await _request(factory, w)
    fresh = {"incoming": 1, "overdue": 0, "escalated": 0, "overdue_days": 30}
    assert await _waiting(factory, w.officer_b) == fresh
    assert await _waiting(factory, w.admin) == fresh
    # The sender decides nothing, and a viewer may not decide.
    assert (await _waiting(factory, w.officer_a))["incoming"] == 0
    (item,) = await _incoming(factory, w.officer_b)
    assert item["id"] == req["id"] and item["overdue"] is False and item["escalated"] is False


async def test_a_request_older_than_30_days_is_flagged(factory: Factory) -> None:
    w = await build_world(factory)
    req = await _request(factory, w)
    await _age(factory, req["id"], 29)
    assert (await _waiting(factory, w.officer_b))["overdue"] == 0
    await _age(factory, req["id"], 31)
    assert (await _waiting(factory, w.officer_b))["overdue"] == 1
    (item,) = await _incoming(factory, w.officer_b)
    assert item["overdue"] is True
    # Once decided it waits for nobody and is no longer flagged.
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/refuse", json={}, headers=w.officer_b)
    assert r.status_code == 200 and r.json()["overdue"] is False
    assert (await _waiting(factory, w.officer_b))["incoming"] == 0


async def test_the_escalation_setting_flags_requests_for_the_upper_union(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    req = await _request(factory, w)
    await _age(factory, req["id"], 12)
    assert (await factory.client.get(f"{SETTING}/{w.grassroots_b.id}", headers=w.officer_b)).json()[
        "days"
    ] is None
    r = await factory.client.put(
        f"{SETTING}/{w.grassroots_b.id}", json={"days": 10}, headers=w.officer_b
    )
    assert r.status_code == 200 and r.json() == {"union_id": str(w.grassroots_b.id), "days": 10}
    # Applied at once, to the request already waiting: the upper unions see it escalated.
    assert (await _waiting(factory, w.admin))["escalated"] == 1
    (item,) = await _incoming(factory, w.admin)
    assert item["escalated"] is True and item["overdue"] is False
    # The setting is audited on the union, before and after.
    entry = (
        await factory.db.execute(
            select(AuditEntry).where(AuditEntry.action == "transfer.escalation_set")
        )
    ).scalar_one()
    assert entry.entity_id == w.grassroots_b.id
    assert entry.before == {"days": None} and entry.after == {"days": 10}
    # A longer delay than the wait un-escalates; null removes the setting.
    await factory.client.put(
        f"{SETTING}/{w.grassroots_b.id}", json={"days": 20}, headers=w.officer_b
    )
    assert (await _waiting(factory, w.admin))["escalated"] == 0
    r = await factory.client.put(
        f"{SETTING}/{w.grassroots_b.id}", json={"days": None}, headers=w.officer_b
    )
    assert r.json()["days"] is None
    r = await factory.client.get(f"{SETTING}/{w.grassroots_b.id}", headers=w.officer_b)
    assert r.json()["days"] is None


async def test_the_setting_is_checked_and_scoped(factory: Factory) -> None:
    w = await build_world(factory)
    url = f"{SETTING}/{w.grassroots_b.id}"
    for days in (0, 366):
        r = await factory.client.put(url, json={"days": days}, headers=w.officer_b)
        assert problem(r, 422)["errors"][0]["field"].endswith("days")
    # Another district's officer does not see the union; a viewer may not change it.
    r = await factory.client.put(url, json={"days": 10}, headers=w.officer_a)
    assert problem(r, 404)["code"] == "union_not_found"
    r = await factory.client.put(
        f"{SETTING}/{w.grassroots_a.id}", json={"days": 10}, headers=w.viewer_a
    )
    assert problem(r, 403)["code"] == "permission_denied"
