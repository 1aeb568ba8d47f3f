"""Registering and editing enterprises: fields, responsible union, ETags, audit, list filters."""

from sqlalchemy import select

from tests.enterprises.helpers import (
    API,
    body,
    build_world,
    create,
    field_error,
    problem,
    survey,
)
from tests.factories import Factory
from unionhub.core.audit import AuditEntry


async def test_create_and_read(factory: Factory) -> None:
    w = await build_world(factory)
    r = await factory.client.post(
        API,
        json=body(
            w.district_a,
            name="  Công ty  TNHH   May Cái Bè ",
            short_name="May Cái Bè",
            tax_code="0312345673",
            ownership="fdi",
            vsic_code="c",
            industrial_zone="KCN Tân Hương",
            email="HR@MayCaiBe.VN",
            phone="0273 3812 345",
            representative="Trần Thị Bình",
        ),
        headers=w.officer_a,
    )
    assert r.status_code == 201, r.text
    e = r.json()
    assert e["name"] == "Công ty TNHH May Cái Bè"
    assert e["vsic_code"] == "C"
    assert e["email"] == "hr@maycaibe.vn"
    assert e["operating_status"] == "operating"
    assert e["responsible_union_name"] == "Liên đoàn Lao động huyện Cái Bè"
    assert (e["total_workers"], e["surveyed_on"], e["union_density"]) == (None, None, None)
    assert (e["has_union"], e["member_count"], e["eligible_to_found"]) == (False, 0, False)
    assert r.headers["ETag"] == '"1"'
    got = await factory.client.get(r.headers["Location"], headers=w.viewer_a)
    assert got.status_code == 200 and got.json()["tax_code"] == "0312345673"
    assert got.headers["ETag"] == '"1"'
    entries = (
        (await factory.db.execute(select(AuditEntry).where(AuditEntry.entity_id == e["id"])))
        .scalars()
        .all()
    )
    assert [(a.action, a.union_id) for a in entries] == [("enterprise.create", w.district_a.id)]


async def test_input_errors_point_at_the_field(factory: Factory) -> None:
    w = await build_world(factory)
    cases = [
        ({"vsic_code": "V"}, "vsic_code", "vsic_invalid_format"),
        ({"vsic_code": "123456"}, "vsic_code", "vsic_invalid_format"),
        ({"commune_code": "2843"}, "commune_code", "invalid_format"),
        ({"ownership": "private"}, "ownership", "invalid_choice"),
        ({"name": "   "}, "name", "required"),
        ({"responsible_union_id": "nope"}, "responsible_union_id", "invalid_uuid"),
        ({"union_id": str(w.district_a.id)}, "union_id", "unknown_field"),
    ]
    for overrides, field, code in cases:
        r = await factory.client.post(
            API, json=body(w.district_a, **overrides), headers=w.officer_a
        )
        field_error(r, field, code)


async def test_responsible_union_rules(factory: Factory) -> None:
    w = await build_world(factory)
    # the sibling district is outside officer A's scope: it does not exist for them
    r = await factory.client.post(API, json=body(w.district_b), headers=w.officer_a)
    problem(r, 404)
    # the province is visible to nobody below it either
    r = await factory.client.post(API, json=body(w.province), headers=w.officer_a)
    problem(r, 404)
    # a grassroots union is not responsible for enterprises
    r = await factory.client.post(API, json=body(w.grassroots_a), headers=w.officer_a)
    field_error(r, "responsible_union_id", "responsible_union_level")
    # a viewer may read but not register
    r = await factory.client.post(API, json=body(w.district_a), headers=w.viewer_a)
    problem(r, 403)
    # the province officer registers under the province itself
    e = await create(factory.client, w.admin, w.province)
    assert e["responsible_union_id"] == str(w.province.id)


async def test_update_with_etag(factory: Factory) -> None:
    w = await build_world(factory)
    e = await create(factory.client, w.officer_a, w.district_a, name="Công ty Cũ")
    url = f"{API}/{e['id']}"
    r = await factory.client.patch(
        url,
        json={"name": "Công ty Mới", "operating_status": "suspended", "vsic_code": None},
        headers={**w.officer_a, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["operating_status"]) == ("Công ty Mới", "suspended")
    assert r.json()["version"] == 2 and r.headers["ETag"] == '"2"'
    # an edit based on the old version is refused and changes nothing
    r = await factory.client.patch(
        url, json={"name": "Công ty Khác"}, headers={**w.officer_a, "If-Match": '"1"'}
    )
    assert problem(r, 412)["code"] == "version_mismatch"
    assert (await factory.client.get(url, headers=w.officer_a)).json()["name"] == "Công ty Mới"
    # required fields cannot be cleared
    r = await factory.client.patch(url, json={"name": None}, headers=w.officer_a)
    field_error(r, "name", "required")
    r = await factory.client.patch(url, json={"ownership": None}, headers=w.officer_a)
    field_error(r, "ownership", "required")
    # handing the enterprise to another district needs write scope there
    r = await factory.client.patch(
        url, json={"responsible_union_id": str(w.district_b.id)}, headers=w.officer_a
    )
    problem(r, 404)
    r = await factory.client.patch(
        url, json={"responsible_union_id": str(w.district_b.id)}, headers=w.admin
    )
    assert r.status_code == 200, r.text
    # ... after which district A no longer sees it and district B does
    problem(await factory.client.get(url, headers=w.officer_a), 404)
    assert (await factory.client.get(url, headers=w.officer_b)).status_code == 200
    actions = (
        (
            await factory.db.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_id == e["id"])
                .order_by(AuditEntry.at)
            )
        )
        .scalars()
        .all()
    )
    assert list(actions) == ["enterprise.create", "enterprise.update", "enterprise.update"]
    # a viewer cannot edit
    r = await factory.client.patch(url, json={"name": "X"}, headers=w.viewer_a)
    problem(r, 403)


async def test_list_filters_search_and_sort(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    a = await create(
        c,
        w.officer_a,
        w.district_a,
        name="Công ty Thủy sản Cái Bè",
        tax_code="0312345673",
        ownership="fdi",
        industrial_zone="KCN Tân Hương",
    )
    b = await create(
        c,
        w.officer_a,
        w.district_a,
        name="Hợp tác xã Đồng Tiến",
        ownership="cooperative",
        commune_code="28436",
    )
    d = await create(
        c,
        w.officer_a,
        w.district_a,
        name="Công ty Điện lực",
        ownership="state",
        operating_status="dissolved",
    )
    await survey(c, w.officer_a, a["id"], 300, 200)
    await survey(c, w.officer_a, b["id"], 25, 10)
    await survey(c, w.officer_a, d["id"], 50, 5)

    async def names(**params: object) -> list[str]:
        r = await c.get(API, params=params, headers=w.officer_a)
        assert r.status_code == 200, r.text
        return [i["name"] for i in r.json()["items"]]

    assert await names(q="thuy san cai be") == ["Công ty Thủy sản Cái Bè"]
    assert await names(q="DONG TIEN") == ["Hợp tác xã Đồng Tiến"]
    assert await names(q="031234") == ["Công ty Thủy sản Cái Bè"]  # tax-code prefix
    assert await names(q="2345673") == []  # ... a prefix, not any part
    assert await names(q="100%_") == []
    assert await names(ownership=["fdi", "state"], sort="name") == [
        "Công ty Điện lực",
        "Công ty Thủy sản Cái Bè",
    ]
    assert await names(operating_status="dissolved") == ["Công ty Điện lực"]
    assert await names(commune_code="28436") == ["Hợp tác xã Đồng Tiến"]
    assert await names(industrial_zone=" KCN  Tân Hương") == ["Công ty Thủy sản Cái Bè"]
    assert await names(min_workers=50, sort="total_workers") == [
        "Công ty Điện lực",
        "Công ty Thủy sản Cái Bè",
    ]
    assert await names(sort="-total_workers") == [
        "Công ty Thủy sản Cái Bè",
        "Công ty Điện lực",
        "Hợp tác xã Đồng Tiến",
    ]
    # dissolved enterprises are never founding targets, whatever their size
    assert await names(eligible=True, sort="name") == [
        "Công ty Thủy sản Cái Bè",
        "Hợp tác xã Đồng Tiến",
    ]
    assert await names(eligible=False) == ["Công ty Điện lực"]
    assert await names(responsible_union_id=str(w.province.id), size=2, page=2, sort="name") == [
        "Hợp tác xã Đồng Tiến"
    ]
    r = await c.get(API, params={"size": 2}, headers=w.officer_a)
    assert (r.json()["total"], r.json()["pages"], len(r.json()["items"])) == (3, 2, 2)
    problem(await c.get(API, params={"sort": "tax_code"}, headers=w.officer_a), 422)
    problem(await c.get(API, params={"commune_code": "1"}, headers=w.officer_a), 422)
