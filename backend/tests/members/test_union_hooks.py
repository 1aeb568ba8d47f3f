"""The member register inside tree operations: dissolve, merge, member counts."""

from typing import Any

from sqlalchemy import func, select

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, names, problem
from unionhub.members.models import MemberEvent

UNIONS = "/api/v1/unions"


def _decision(day: str, **extra: Any) -> dict[str, Any]:
    return {"effective_date": day, "decision_no": "7/QĐ-LĐLĐ", **extra}


async def test_a_union_with_members_cannot_be_dissolved(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a2)
    await act(factory, w.officer_a, m["id"], "suspend", "2022-01-01")
    r = await factory.client.post(
        f"{UNIONS}/{w.grassroots_a2.id}/dissolve", json=_decision("2023-01-01"), headers=w.officer_a
    )
    body = problem(r, 409)
    assert body["code"] == "union_not_empty" and body["active_members"] == 1
    await act(factory, w.officer_a, m["id"], "leave", "2022-06-01", reason="Nghỉ việc")
    r = await factory.client.post(
        f"{UNIONS}/{w.grassroots_a2.id}/dissolve", json=_decision("2023-01-01"), headers=w.officer_a
    )
    assert r.status_code == 200, r.text


async def test_merge_moves_members_with_their_history(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    src, dst = w.grassroots_a2, w.grassroots_a
    active = await admit(factory, h, src, full_name="Trương Văn Ở Lại", admission_date="2020-02-01")
    suspended = await admit(factory, h, src, full_name="Quách Thị Tạm", gender="female")
    left = await admit(factory, h, src, full_name="Kiều Văn Đã Nghỉ")
    same_day = await admit(factory, h, src, full_name="Lâm Văn Mới", admission_date="2023-01-01")
    await act(factory, h, suspended["id"], "suspend", "2021-05-01")
    await act(factory, h, left["id"], "leave", "2021-05-01", reason="Nghỉ việc")
    r = await factory.client.post(
        f"{UNIONS}/{src.id}/merge", json=_decision("2022-12-31", target_id=str(dst.id)), headers=h
    )
    body = problem(r, 422)
    assert body["errors"][0]["code"] == "date_before_member_change"

    r = await factory.client.post(
        f"{UNIONS}/{src.id}/merge", json=_decision("2023-01-01", target_id=str(dst.id)), headers=h
    )
    assert r.status_code == 200, r.text

    async def member(m: dict[str, Any]) -> dict[str, Any]:
        got: dict[str, Any] = (await factory.client.get(f"{API}/{m['id']}", headers=h)).json()
        return got

    assert (await member(active))["union_id"] == str(dst.id)
    assert (await member(suspended))["union_id"] == str(dst.id)
    assert (await member(suspended))["status"] == "suspended"
    assert (await member(left))["union_id"] == str(src.id)
    hist = (await factory.client.get(f"{API}/{active['id']}/history", headers=h)).json()
    assert hist["events"][-1]["event_type"] == "transferred"
    assert hist["events"][-1]["details"]["reason"] == "union_merged"
    assert [(p["union_id"], p["valid_from"], p["valid_to"]) for p in hist["periods"]] == [
        (str(src.id), "2020-02-01", "2023-01-01"),
        (str(dst.id), "2023-01-01", None),
    ]
    hist = (await factory.client.get(f"{API}/{same_day['id']}/history", headers=h)).json()
    assert [(p["union_id"], p["valid_from"]) for p in hist["periods"]] == [
        (str(dst.id), "2023-01-01")
    ]
    moved = await factory.db.scalar(
        select(func.count()).where(MemberEvent.reason == "union_merged")
    )
    assert moved == 3
    # The past still adds up: before the merger they were members of the merged union.
    assert await names(factory, h, union_id=str(src.id), as_of="2022-06-30") == [
        "Quách Thị Tạm",
        "Trương Văn Ở Lại",
    ]
    union = (await factory.client.get(f"{UNIONS}/{dst.id}", headers=h)).json()
    assert union["member_count"] == 3


async def test_member_counts_cover_the_whole_subtree(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    await admit(factory, h, w.grassroots_a)
    await admit(factory, h, w.group_a)
    gone = await admit(factory, h, w.grassroots_a2)
    await act(factory, h, gone["id"], "leave", "2022-01-01", reason="Nghỉ việc")
    await admit(factory, w.officer_b, w.grassroots_b)

    async def count(union: Any) -> int:
        r = await factory.client.get(f"{UNIONS}/{union.id}", headers=w.admin)
        value: int = r.json()["member_count"]
        return value

    assert await count(w.group_a) == 1
    assert await count(w.grassroots_a) == 2
    assert await count(w.grassroots_a2) == 0
    assert await count(w.district_a) == 2
    assert await count(w.province) == 3
    listed = (await factory.client.get(UNIONS, params={"size": 200}, headers=w.admin)).json()
    by_id = {u["id"]: u["member_count"] for u in listed["items"]}
    assert by_id[str(w.district_b.id)] == 1


async def test_merge_ends_posts_the_moved_members_no_longer_sit_under(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a2, full_name="Hà Văn Chủ")
    for union, post in ((w.grassroots_a2, "chair"), (w.district_a, "executive_member")):
        r = await factory.client.post(
            f"{API}/{m['id']}/cadre-posts",
            json={"union_id": str(union.id), "post": post, "from_date": "2021-01-01"},
            headers=w.officer_a,
        )
        assert r.status_code == 201, r.text
    # Into a grassroots union of the other district: both posts end the day before.
    r = await factory.client.post(
        f"{UNIONS}/{w.grassroots_a2.id}/merge",
        json=_decision("2024-01-01", target_id=str(w.grassroots_b.id)),
        headers=w.admin,
    )
    assert r.status_code == 200, r.text
    posts = (await factory.client.get(f"{API}/{m['id']}/cadre-posts", headers=w.admin)).json()
    assert {(p["post"], p["to_date"], p["current"]) for p in posts} == {
        ("chair", "2023-12-31", False),
        ("executive_member", "2023-12-31", False),
    }
    got = (await factory.client.get(f"{API}/{m['id']}", headers=w.officer_b)).json()
    assert got["union_id"] == str(w.grassroots_b.id) and got["is_cadre"] is False
