"""Union cadres: posts held by members, in their union or one above it."""

from datetime import date, timedelta
from typing import Any

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, field_codes, names, problem

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


async def _post(
    factory: Factory,
    headers: dict[str, str],
    member_id: str,
    union_id: Any,
    post: str,
    **extra: Any,
) -> Any:
    body = {"union_id": str(union_id), "post": post, "from_date": "2023-01-01", **extra}
    return await factory.client.post(f"{API}/{member_id}/cadre-posts", json=body, headers=headers)


async def _cadres(
    factory: Factory, headers: dict[str, str], union_id: Any, **params: Any
) -> list[tuple[str, str]]:
    r = await factory.client.get(
        f"/api/v1/unions/{union_id}/cadres", params=params, headers=headers
    )
    assert r.status_code == 200, r.text
    return [(c["member_name"], c["post"]) for c in r.json()]


async def test_posts_in_own_and_superior_union(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    chair = await admit(
        factory,
        h,
        w.grassroots_a,
        full_name="Hồ Văn Chủ",
    )
    # The levels come from qualification records (the member API does not write them).
    for kind, level in (("professional", "university"), ("political_theory", "trung_cap")):
        q = await factory.client.post(
            f"/api/v1/members/{chair['id']}/qualifications",
            json={"kind": kind, "level": level},
            headers=h,
        )
        assert q.status_code == 201, q.text
    await admit(factory, h, w.grassroots_a, full_name="Mai Thị Thường", gender="female")
    r = await _post(
        factory,
        h,
        chair["id"],
        w.grassroots_a.id,
        "chair",
        full_time=True,
        decision_no="12/QĐ-CĐCS",
    )
    assert r.status_code == 201, r.text
    assert r.json()["current"] is True and r.json()["education_level"] == "university"
    r = await _post(factory, h, chair["id"], w.district_a.id, "executive_member")
    assert r.status_code == 201, r.text
    assert await _cadres(factory, h, w.grassroots_a.id) == [("Hồ Văn Chủ", "chair")]
    assert await _cadres(factory, w.viewer_a, w.district_a.id) == [
        ("Hồ Văn Chủ", "executive_member")
    ]
    assert await names(factory, h, is_cadre=True) == ["Hồ Văn Chủ"]
    assert await names(factory, h, is_cadre=False) == ["Mai Thị Thường"]
    got = (await factory.client.get(f"{API}/{chair['id']}", headers=h)).json()
    assert got["is_cadre"] is True
    posts = (await factory.client.get(f"{API}/{chair['id']}/cadre-posts", headers=h)).json()
    assert {p["post"] for p in posts} == {"chair", "executive_member"}


async def test_post_rules(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a)
    other = await admit(factory, h, w.grassroots_a)
    r = await _post(factory, h, m["id"], w.grassroots_a2.id, "vice_chair")
    assert ("union_id", "member_not_under_union") in field_codes(r)
    r = await _post(factory, h, m["id"], w.grassroots_a.id, "group_leader")
    assert ("post", "post_not_for_level") in field_codes(r)
    r = await _post(factory, h, m["id"], w.grassroots_a.id, "chair", from_date="2019-01-01")
    assert ("from_date", "before_admission") in field_codes(r)
    r = await _post(factory, h, m["id"], w.grassroots_a.id, "chair", to_date="2022-01-01")
    assert ("to_date", "before_from_date") in field_codes(r)
    r = await _post(factory, h, m["id"], w.grassroots_b.id, "chair")
    assert ("union_id", "union_not_found") in field_codes(r)
    assert (await _post(factory, h, m["id"], w.grassroots_a.id, "chair")).status_code == 201
    r = await _post(factory, h, other["id"], w.grassroots_a.id, "chair")
    assert problem(r, 409)["code"] == "post_taken"
    r = await _post(factory, h, m["id"], w.grassroots_a.id, "chair")
    assert problem(r, 409)["code"] == "post_already_held"
    # Several executive members at once are normal.
    assert (
        await _post(factory, h, other["id"], w.grassroots_a.id, "executive_member")
    ).status_code == 201
    r = await _post(factory, w.grassroots_officer_a, other["id"], w.district_a.id, "vice_chair")
    assert ("union_id", "union_not_found") in field_codes(r)


async def test_group_posts_belong_to_union_groups(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.group_a)
    r = await _post(factory, w.officer_a, m["id"], w.group_a.id, "group_leader")
    assert r.status_code == 201, r.text
    r = await _post(factory, w.officer_a, m["id"], w.grassroots_a.id, "executive_member")
    assert r.status_code == 201, r.text


async def test_foreign_member_cannot_hold_a_post(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(
        factory,
        w.officer_a,
        w.grassroots_a,
        nationality="JP",
        personal_id=None,
        passport_no="TK1234567",
        full_name="Tanaka Hiroshi",
    )
    r = await _post(factory, w.officer_a, m["id"], w.grassroots_a.id, "executive_member")
    body = problem(r, 422)
    assert body["errors"][0]["code"] == "foreign_member_cannot_hold_post"


async def test_end_and_correct_a_post(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a, full_name="Đỗ Văn Phó")
    post = (await _post(factory, h, m["id"], w.grassroots_a.id, "vice_chair")).json()
    url = f"{API}/cadre-posts/{post['id']}"
    r = await factory.client.patch(url, json={"full_time": True}, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["full_time"] is True and r.json()["version"] == 2
    r = await factory.client.patch(url, json={"full_time": False}, headers={**h, "If-Match": '"1"'})
    assert problem(r, 412)["code"] == "version_mismatch"
    r = await factory.client.post(f"{url}/end", json={"to_date": "2022-12-31"}, headers=h)
    assert ("to_date", "before_from_date") in field_codes(r)
    r = await factory.client.post(f"{url}/end", json={"to_date": YESTERDAY}, headers=h)
    assert r.status_code == 200 and r.json()["current"] is False
    assert await _cadres(factory, h, w.grassroots_a.id) == []
    assert await _cadres(factory, h, w.grassroots_a.id, include_past=True) == [
        ("Đỗ Văn Phó", "vice_chair")
    ]
    r = await factory.client.post(f"{url}/end", json={"to_date": YESTERDAY}, headers=h)
    assert problem(r, 409)["code"] == "post_ended"
    r = await factory.client.post(f"{url}/end", json={"to_date": YESTERDAY}, headers=w.viewer_a)
    assert r.status_code == 403


async def test_leaving_or_moving_away_ends_posts(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    leaver = await admit(factory, h, w.grassroots_a, full_name="Lý Văn Rời")
    mover = await admit(factory, h, w.grassroots_a, full_name="Tạ Văn Chuyển")
    await _post(factory, h, leaver["id"], w.grassroots_a.id, "chair")
    await _post(factory, h, mover["id"], w.grassroots_a.id, "vice_chair")
    await _post(factory, h, mover["id"], w.district_a.id, "executive_member")
    await act(factory, h, leaver["id"], "leave", "2024-02-01", reason="Nghỉ việc")
    r = await factory.client.post(
        f"{API}/{mover['id']}/transfer",
        json={"to_union_id": str(w.grassroots_a2.id), "effective_date": "2024-03-01"},
        headers=h,
    )
    assert r.json()["completed"] is True
    posts = (
        await factory.client.get(
            f"/api/v1/unions/{w.grassroots_a.id}/cadres", params={"include_past": True}, headers=h
        )
    ).json()
    assert {(p["member_name"], p["to_date"]) for p in posts} == {
        ("Lý Văn Rời", "2024-01-31"),
        ("Tạ Văn Chuyển", "2024-02-29"),
    }
    # The district post is kept: the member is still under the district.
    assert await _cadres(factory, h, w.district_a.id) == [("Tạ Văn Chuyển", "executive_member")]
