"""PATCH: editing data, renaming by decision, and optimistic concurrency with If-Match."""

from datetime import date

from sqlalchemy import select

from tests.factories import Factory
from tests.unions.helpers import API, TODAY, TOMORROW, build_tree, field_error, problem
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import UnionPeriod


async def test_edit_contact_data(factory: Factory) -> None:
    t = await build_tree(factory)
    url = f"{API}/{t.grassroots_a.id}"
    r = await factory.client.patch(
        url,
        json={"address": "Ấp 1, xã An Hữu", "phone": "0273 3822 111", "sector": "state"},
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    u = (await factory.client.get(url, headers=t.admin)).json()
    assert (u["address"], u["phone"], u["sector"], u["version"]) == (
        "Ấp 1, xã An Hữu",
        "0273 3822 111",
        "state",
        2,
    )
    assert u["name"] == "Công đoàn cơ sở Công ty Thủy sản Cái Bè"
    h = (await factory.client.get(f"{url}/history", headers=t.admin)).json()
    assert [e["event_type"] for e in h] == ["founded", "updated"]
    assert h[1]["details"]["changes"]["sector"] == {"from": "non_state", "to": "state"}
    # clearing an optional field
    r = await factory.client.patch(url, json={"phone": None}, headers=t.admin)
    assert r.status_code == 200 and r.json()["phone"] is None
    # an edit that changes nothing is not a new version
    r = await factory.client.patch(url, json={"address": "Ấp 1, xã An Hữu"}, headers=t.admin)
    assert r.status_code == 200 and r.headers["ETag"] == '"3"'
    audit = (
        (
            await factory.db.execute(
                select(AuditEntry.action).where(AuditEntry.entity_id == t.grassroots_a.id)
            )
        )
        .scalars()
        .all()
    )
    assert audit.count("union.update") == 2


async def test_required_fields_cannot_be_cleared(factory: Factory) -> None:
    t = await build_tree(factory)
    url = f"{API}/{t.grassroots_a.id}"
    for field in ("name", "kind", "sector"):
        r = await factory.client.patch(url, json={field: None}, headers=t.admin)
        field_error(r, field, "required")
    assert (await factory.client.get(url, headers=t.admin)).json()["version"] == 1


async def test_rename_needs_a_decision_and_is_dated(factory: Factory) -> None:
    t = await build_tree(factory)
    url = f"{API}/{t.district_a.id}"
    r = await factory.client.patch(url, json={"name": "Công đoàn huyện Cái Bè"}, headers=t.admin)
    field_error(r, "decision_no", "required")
    r = await factory.client.patch(
        url,
        json={
            "name": "Công đoàn huyện Cái Bè",
            "decision_no": "7/QĐ",
            "effective_date": TOMORROW.isoformat(),
        },
        headers=t.admin,
    )
    field_error(r, "effective_date", "date_in_future")
    r = await factory.client.patch(
        url,
        json={
            "name": "Công đoàn huyện Cái Bè",
            "decision_no": "7/QĐ",
            "effective_date": "2014-06-01",
        },
        headers=t.admin,
    )
    field_error(r, "effective_date", "date_before_last_change")
    assert (await factory.client.get(url, headers=t.admin)).json()["name"] == (
        "Liên đoàn Lao động huyện Cái Bè"
    )
    r = await factory.client.patch(
        url,
        json={
            "name": "Công đoàn huyện Cái Bè",
            "short_name": "CĐ Cái Bè",
            "decision_no": "7/QĐ-TLĐ",
            "decision_date": "2020-12-20",
            "effective_date": "2021-01-01",
        },
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["short_name"]) == ("Công đoàn huyện Cái Bè", "CĐ Cái Bè")
    h = (await factory.client.get(f"{url}/history", headers=t.admin)).json()
    assert [(e["event_type"], e["effective_date"], e["decision_no"]) for e in h] == [
        ("founded", "2015-01-01", h[0]["decision_no"]),
        ("renamed", "2021-01-01", "7/QĐ-TLĐ"),
    ]
    assert h[1]["details"]["changes"]["name"] == {
        "from": "Liên đoàn Lao động huyện Cái Bè",
        "to": "Công đoàn huyện Cái Bè",
    }
    periods = (
        await factory.db.execute(
            select(UnionPeriod.name, UnionPeriod.valid_from, UnionPeriod.valid_to)
            .where(UnionPeriod.union_id == t.district_a.id)
            .order_by(UnionPeriod.valid_from)
        )
    ).all()
    assert [tuple(p) for p in periods] == [
        ("Liên đoàn Lao động huyện Cái Bè", date(2015, 1, 1), date(2021, 1, 1)),
        ("Công đoàn huyện Cái Bè", date(2021, 1, 1), None),
    ]
    # the new name is searchable, the old one no longer finds it
    r = await factory.client.get(API, params={"q": "cong doan huyen cai be"}, headers=t.admin)
    assert [u["id"] for u in r.json()["items"]] == [str(t.district_a.id)]
    # children show the new parent name
    r = await factory.client.get(f"{API}/{t.grassroots_a.id}", headers=t.admin)
    assert r.json()["parent_name"] == "Công đoàn huyện Cái Bè"
    # a second rename cannot be dated before the first
    r = await factory.client.patch(
        url,
        json={"name": "Tên khác", "decision_no": "8/QĐ", "effective_date": "2020-06-01"},
        headers=t.admin,
    )
    field_error(r, "effective_date", "date_before_last_change")


async def test_rename_defaults_to_today(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.patch(
        f"{API}/{t.grassroots_b.id}",
        json={"name": "CĐCS Công ty May Tiền Giang", "decision_no": "12/QĐ"},
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    h = (await factory.client.get(f"{API}/{t.grassroots_b.id}/history", headers=t.admin)).json()
    assert h[-1]["event_type"] == "renamed" and h[-1]["effective_date"] == TODAY.isoformat()


async def test_if_match(factory: Factory) -> None:
    t = await build_tree(factory)
    url = f"{API}/{t.grassroots_a.id}"
    etag = (await factory.client.get(url, headers=t.admin)).headers["ETag"]
    assert etag == '"1"'
    r = await factory.client.patch(
        url, json={"address": "Số 1"}, headers={**t.admin, "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    # someone else still holds ETag "1": refused, nothing changes
    r = await factory.client.patch(
        url,
        json={"address": "Số 2", "name": "Tên mới", "decision_no": "1/QĐ"},
        headers={**t.admin, "If-Match": etag},
    )
    body = problem(r, 412)
    assert body["code"] == "version_mismatch" and body["current_version"] == 2
    u = (await factory.client.get(url, headers=t.admin)).json()
    assert (u["address"], u["name"], u["version"]) == (
        "Số 1",
        "Công đoàn cơ sở Công ty Thủy sản Cái Bè",
        2,
    )
    h = (await factory.client.get(f"{url}/history", headers=t.admin)).json()
    assert [e["event_type"] for e in h] == ["founded", "updated"]
    # weak and wildcard forms are understood; garbage is a 422 on the header
    r = await factory.client.patch(
        url, json={"address": "Số 3"}, headers={**t.admin, "If-Match": 'W/"2"'}
    )
    assert r.status_code == 200 and r.headers["ETag"] == '"3"'
    r = await factory.client.patch(
        url, json={"address": "Số 4"}, headers={**t.admin, "If-Match": "*"}
    )
    assert r.status_code == 200 and r.headers["ETag"] == '"4"'
    r = await factory.client.patch(
        url, json={"address": "Số 5"}, headers={**t.admin, "If-Match": "abc"}
    )
    field_error(r, "if-match", "invalid_etag")


async def test_stale_if_match_on_tree_operations(factory: Factory) -> None:
    t = await build_tree(factory)
    stale = {**t.admin, "If-Match": '"7"'}
    for op, body in (
        (
            "move",
            {
                "new_parent_id": str(t.district_b.id),
                "effective_date": "2020-01-01",
                "decision_no": "1",
            },
        ),
        (
            "merge",
            {
                "target_id": str(t.grassroots_a2.id),
                "effective_date": "2020-01-01",
                "decision_no": "1",
            },
        ),
        ("dissolve", {"effective_date": "2020-01-01", "decision_no": "1"}),
    ):
        r = await factory.client.post(f"{API}/{t.grassroots_a.id}/{op}", json=body, headers=stale)
        assert problem(r, 412)["code"] == "version_mismatch", op
    u = (await factory.client.get(f"{API}/{t.grassroots_a.id}", headers=t.admin)).json()
    assert (u["parent_id"], u["status"], u["version"]) == (str(t.district_a.id), "active", 1)


async def test_edit_scope(factory: Factory) -> None:
    t = await build_tree(factory)
    viewer = await factory.headers_for("viewer", t.district_a)
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}", json={"address": "x"}, headers=viewer
    )
    assert problem(r, 403)["code"] == "permission_denied"
    gro = await factory.headers_for("grassroots_officer", t.grassroots_a)
    r = await factory.client.patch(f"{API}/{t.district_a.id}", json={"address": "x"}, headers=gro)
    problem(r, 404)
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}", json={"address": "Ấp 2"}, headers=gro
    )
    assert r.status_code == 200, r.text
    # a viewer at the province who is officer at district A can read B but not change it
    mixed = await factory.user("viewer", t.province)
    from unionhub.auth.models import RoleAssignment

    factory.db.add(RoleAssignment(user_id=mixed.id, role="union_officer", union_id=t.district_a.id))
    await factory.db.flush()
    h = await factory.login(mixed.username)
    assert (await factory.client.get(f"{API}/{t.grassroots_b.id}", headers=h)).status_code == 200
    r = await factory.client.patch(f"{API}/{t.grassroots_b.id}", json={"address": "x"}, headers=h)
    assert problem(r, 403)["code"] == "permission_denied"
    r = await factory.client.patch(
        f"{API}/{t.grassroots_a.id}", json={"address": "Ấp 3"}, headers=h
    )
    assert r.status_code == 200, r.text
