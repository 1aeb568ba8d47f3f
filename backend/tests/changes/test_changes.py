"""The change feed: an event per change in the change's transaction, paged in an order no
concurrent commit can slip behind, scoped like the records, resumable from a cursor."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.clients.helpers import client_token, register
from tests.factories import Factory
from tests.members.helpers import admit, build_world, problem
from unionhub.core.outbox import ChangeEvent, visible_horizon

API = "/api/v1/changes"


async def _all(factory: Factory, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    for _ in range(50):
        q = {**params, **({"cursor": cursor} if cursor else {})}
        r = await factory.client.get(API, params=q, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        out += body["items"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return out
    raise AssertionError("the feed did not end")


async def test_every_change_has_its_event_scoped_like_the_records(factory: Factory) -> None:
    w = await build_world(factory)
    m_a = await admit(factory, w.admin, w.grassroots_a, full_name="Phạm Thị Hoa")
    m_b = await admit(factory, w.admin, w.grassroots_b)
    r = await factory.client.patch(
        f"/api/v1/members/{m_a['id']}",
        json={"occupation": "Công nhân"},
        headers={**w.admin, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    events = await _all(factory, w.officer_a, types="member", limit=1)
    assert [(e["type"], e["entity_id"]) for e in events] == [
        ("member.admit", m_a["id"]),
        ("member.update", m_a["id"]),
    ]
    assert events[1]["changed"] == ["occupation"]
    # values never travel in the feed
    assert "Phạm" not in str(events) and "Công nhân" not in str(events)
    b_events = await _all(factory, w.officer_b, types="member")
    assert [e["entity_id"] for e in b_events] == [m_b["id"]]
    # union events: district B's officer never sees A's unions founded
    unions_b = {e["entity_id"] for e in await _all(factory, w.officer_b, types="union")}
    assert str(w.grassroots_a.id) not in unions_b and str(w.grassroots_b.id) in unions_b
    only_updates = await _all(factory, w.admin, types="member.update")
    assert [e["entity_id"] for e in only_updates] == [m_a["id"]]


async def test_a_client_resumes_from_its_cursor(factory: Factory) -> None:
    w = await build_world(factory)
    c = await register(factory, w.officer_a, w.district_a)
    headers = await client_token(factory, c["client_id"], c["client_secret"])
    first = await admit(factory, w.admin, w.grassroots_a)
    r = await factory.client.get(API, params={"types": "member"}, headers=headers)
    page = r.json()
    assert [e["entity_id"] for e in page["items"]] == [first["id"]]
    cursor = page["next_cursor"]
    second = await admit(factory, w.admin, w.grassroots_a)
    await admit(factory, w.admin, w.grassroots_b)  # outside the client's subtree
    r = await factory.client.get(API, params={"types": "member", "cursor": cursor}, headers=headers)
    assert [e["entity_id"] for e in r.json()["items"]] == [second["id"]]
    # an empty page keeps the cursor where it was
    after = r.json()["next_cursor"]
    r = await factory.client.get(API, params={"types": "member", "cursor": after}, headers=headers)
    assert r.json() == {"items": [], "next_cursor": after, "has_more": False}
    r = await factory.client.get(API, params={"cursor": "not-a-cursor"}, headers=headers)
    assert problem(r, 422)["errors"][0]["code"] == "invalid_cursor"


async def test_an_event_never_appears_behind_a_passed_cursor(engine: AsyncEngine) -> None:
    """T1 writes first and commits last: until it ends, neither its event nor T2's is
    visible, so a follower that read T2's could never skip T1's."""
    marker = f"test.{uuid.uuid4().hex[:8]}"

    def event() -> Any:
        return insert(ChangeEvent).values(
            entity_type="member", entity_id=uuid.uuid4(), action=marker, union_id=None, changed=[]
        )

    async def visible() -> list[int]:
        async with engine.connect() as reader:
            rows = await reader.execute(
                select(ChangeEvent.txid)
                .where(visible_horizon(), ChangeEvent.action == marker)
                .order_by(ChangeEvent.txid, ChangeEvent.id)
            )
            return [r[0] for r in rows]

    try:
        async with engine.connect() as t1, engine.connect() as t2:
            await t1.begin()
            await t1.execute(event())
            t1_id = (await t1.execute(text("SELECT pg_current_xact_id()::text::bigint"))).scalar()
            await t2.begin()
            await t2.execute(event())
            await t2.commit()
            assert await visible() == []  # T2 committed, but T1 (older) is still running
            await t1.commit()
            # Now both, T1's first - once every older writing transaction of this database
            # (the suite's own, in other tests' connections) has ended too.
            for _ in range(300):
                seen = await visible()
                if seen:
                    break
                await asyncio.sleep(0.2)
            assert len(seen) == 2 and seen[0] == t1_id
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(ChangeEvent).where(ChangeEvent.action == marker))


async def test_old_events_are_pruned(factory: Factory, engine: AsyncEngine) -> None:
    from unionhub.changes.tasks import prune

    marker = f"test.{uuid.uuid4().hex[:8]}"
    async with engine.begin() as conn:
        for days in (91, 89):
            await conn.execute(
                insert(ChangeEvent).values(
                    entity_type="member",
                    entity_id=uuid.uuid4(),
                    action=marker,
                    union_id=None,
                    changed=[],
                    at=datetime.now(UTC) - timedelta(days=days),
                )
            )
    try:
        assert await prune() >= 1
        async with engine.connect() as conn:
            left = (
                await conn.execute(select(ChangeEvent.at).where(ChangeEvent.action == marker))
            ).all()
        assert len(left) == 1 and left[0][0] > datetime.now(UTC) - timedelta(days=90)
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(ChangeEvent).where(ChangeEvent.action == marker))
