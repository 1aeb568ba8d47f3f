"""Transfers: at once within one officer's unions, else a request the receiving union decides."""

from typing import Any

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, field_codes, problem

TRANSFERS = f"{API}/transfers"


async def _transfer(
    factory: Factory, headers: dict[str, str], member_id: str, to: str, day: str = "2023-03-01"
) -> Any:
    return await factory.client.post(
        f"{API}/{member_id}/transfer",
        json={"to_union_id": to, "effective_date": day, "reason": "Chuyển công tác"},
        headers=headers,
    )


async def test_transfer_within_the_callers_unions_happens_at_once(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    r = await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_a2.id))
    assert r.status_code == 200, r.text
    assert r.json()["completed"] is True and r.json()["request"] is None
    assert r.json()["member"]["union_id"] == str(w.grassroots_a2.id)
    assert r.json()["member"]["status"] == "active"
    hist = (await factory.client.get(f"{API}/{m['id']}/history", headers=w.officer_a)).json()
    event = hist["events"][-1]
    assert event["event_type"] == "transferred"
    assert event["details"]["from_union_id"] == str(w.grassroots_a.id)
    assert [(p["union_id"], p["valid_to"]) for p in hist["periods"]] == [
        (str(w.grassroots_a.id), "2023-03-01"),
        (str(w.grassroots_a2.id), None),
    ]


async def test_cross_scope_transfer_waits_for_the_receiving_officer(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a, full_name="Võ Văn Đi")
    r = await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_b.id))
    assert r.status_code == 200, r.text
    assert r.json()["completed"] is False
    req = r.json()["request"]
    assert req["status"] == "pending" and req["to_union_name"] == w.grassroots_b.name
    # Until accepted the member stays in the sending union, out of the receiver's sight.
    assert r.json()["member"]["union_id"] == str(w.grassroots_a.id)
    assert (await factory.client.get(f"{API}/{m['id']}", headers=w.officer_b)).status_code == 404
    incoming = await factory.client.get(
        TRANSFERS, params={"direction": "incoming", "status": "pending"}, headers=w.officer_b
    )
    assert [t["member_name"] for t in incoming.json()["items"]] == ["Võ Văn Đi"]
    outgoing = await factory.client.get(
        TRANSFERS, params={"direction": "outgoing"}, headers=w.officer_a
    )
    assert [t["id"] for t in outgoing.json()["items"]] == [req["id"]]
    # Only the receiving side accepts.
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/accept", json={}, headers=w.officer_a)
    assert problem(r, 403)["code"] == "permission_denied"
    r = await factory.client.post(
        f"{TRANSFERS}/{req['id']}/accept", json={"note": "Đồng ý tiếp nhận"}, headers=w.officer_b
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted" and r.json()["decision_note"] == "Đồng ý tiếp nhận"
    got = await factory.client.get(f"{API}/{m['id']}", headers=w.officer_b)
    assert got.status_code == 200 and got.json()["union_id"] == str(w.grassroots_b.id)
    assert (await factory.client.get(f"{API}/{m['id']}", headers=w.officer_a)).status_code == 404
    hist = (await factory.client.get(f"{API}/{m['id']}/history", headers=w.officer_b)).json()
    assert hist["events"][-1]["event_type"] == "transferred"
    assert hist["events"][-1]["details"]["transfer_request_id"] == req["id"]
    assert hist["periods"][-1]["valid_from"] == "2023-03-01"
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/refuse", json={}, headers=w.officer_b)
    assert problem(r, 409)["code"] == "transfer_not_pending"


async def test_refused_and_cancelled_requests_leave_the_member_in_place(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    req = (await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_b.id))).json()["request"]
    r = await factory.client.post(
        f"{TRANSFERS}/{req['id']}/refuse", json={"note": "Không có hồ sơ"}, headers=w.officer_b
    )
    assert r.status_code == 200 and r.json()["status"] == "refused"
    got = (await factory.client.get(f"{API}/{m['id']}", headers=w.officer_a)).json()
    assert got["union_id"] == str(w.grassroots_a.id) and got["version"] == 1

    req = (await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_b.id))).json()["request"]
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/cancel", json={}, headers=w.officer_b)
    assert problem(r, 403)["code"] == "permission_denied"
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/cancel", json={}, headers=w.officer_a)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    hist = (await factory.client.get(f"{API}/{m['id']}/history", headers=w.officer_a)).json()
    assert [e["event_type"] for e in hist["events"]] == ["admitted"]


async def test_one_pending_request_per_member_blocks_leaving(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_b.id))
    r = await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_b.id))
    assert problem(r, 409)["code"] == "transfer_pending"
    r = await act(factory, w.officer_a, m["id"], "leave", "2023-05-01", reason="Nghỉ việc")
    assert problem(r, 409)["code"] == "transfer_pending"


async def test_grassroots_officer_requests_what_the_district_accepts(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.grassroots_officer_a, w.grassroots_a)
    r = await _transfer(factory, w.grassroots_officer_a, m["id"], str(w.grassroots_a2.id))
    req = r.json()["request"]
    assert r.json()["completed"] is False
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/accept", json={}, headers=w.officer_b)
    assert problem(r, 404)["code"] == "transfer_not_found"
    r = await factory.client.post(f"{TRANSFERS}/{req['id']}/accept", json={}, headers=w.officer_a)
    assert r.status_code == 200, r.text


async def test_transfer_targets_are_checked(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    r = await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_a.id))
    assert ("to_union_id", "same_union") in field_codes(r)
    r = await _transfer(factory, w.officer_a, m["id"], str(w.district_b.id))
    assert ("to_union_id", "union_level_holds_no_members") in field_codes(r)
    r = await _transfer(factory, w.officer_a, m["id"], str(w.grassroots_a2.id), "2019-01-01")
    assert ("effective_date", "date_before_last_change") in field_codes(r)


async def test_destinations_are_federation_wide_but_minimal(factory: Factory) -> None:
    w = await build_world(factory)
    r = await factory.client.get(
        f"{API}/transfer-destinations", params={"q": "may my tho"}, headers=w.grassroots_officer_a
    )
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["id"] for i in items] == [str(w.grassroots_b.id)]
    assert set(items[0]) == {"id", "code", "name", "parent_name"}
    assert items[0]["parent_name"] == w.district_b.name
    every = await factory.client.get(
        f"{API}/transfer-destinations", params={"size": 200}, headers=w.officer_a
    )
    ids = {i["id"] for i in every.json()["items"]}
    assert str(w.district_a.id) not in ids and str(w.group_a.id) in ids
    r = await factory.client.get(f"{API}/transfer-destinations", headers=w.viewer_a)
    assert r.status_code == 403
