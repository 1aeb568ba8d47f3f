"""Who may do what where: sibling subtrees are invisible, viewers read only."""

from datetime import date

from tests.factories import Factory
from tests.unions.helpers import API, Tree, build_tree, decision, found_body, problem


async def _unchanged(factory: Factory, t: Tree) -> None:
    for u in (t.district_b, t.grassroots_b):
        r = await factory.client.get(f"{API}/{u.id}", headers=t.admin)
        body = r.json()
        assert (body["version"], body["status"], body["name"]) == (1, "active", u.name)
        assert body["parent_id"] == str(u.parent_id)


async def test_officer_cannot_touch_the_sibling_district(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    a = await factory.headers_for("union_officer", t.district_a)
    for target in (t.district_b, t.grassroots_b):
        url = f"{API}/{target.id}"
        problem(await c.get(url, headers=a), 404)
        problem(await c.get(f"{url}/history", headers=a), 404)
        problem(await c.patch(url, json={"address": "x"}, headers=a), 404)
        problem(await c.post(f"{url}/dissolve", json=decision(date(2022, 1, 1)), headers=a), 404)
        problem(
            await c.post(
                f"{url}/move",
                json=decision(date(2022, 1, 1), new_parent_id=str(t.district_a.id)),
                headers=a,
            ),
            404,
        )
    problem(
        await c.post(
            f"{API}/{t.grassroots_b.id}/merge",
            json=decision(date(2022, 1, 1), target_id=str(t.grassroots_a.id)),
            headers=a,
        ),
        404,
    )
    # B's unions as the *target* of a move or merge are just as invisible
    problem(
        await c.post(
            f"{API}/{t.grassroots_a.id}/move",
            json=decision(date(2022, 1, 1), new_parent_id=str(t.district_b.id)),
            headers=a,
        ),
        404,
    )
    problem(
        await c.post(
            f"{API}/{t.grassroots_a.id}/merge",
            json=decision(date(2022, 1, 1), target_id=str(t.grassroots_b.id)),
            headers=a,
        ),
        404,
    )
    # and so is the province above A
    problem(await c.get(f"{API}/{t.province.id}", headers=a), 404)
    problem(await c.patch(f"{API}/{t.province.id}", json={"address": "x"}, headers=a), 404)
    await _unchanged(factory, t)
    # the same officer works freely in A
    r = await c.post(
        f"{API}/{t.group_a.id}/move",
        json=decision(date(2022, 1, 1), new_parent_id=str(t.grassroots_a2.id)),
        headers=a,
    )
    assert r.status_code == 200, r.text


async def test_viewer_reads_but_never_writes(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    v = await factory.headers_for("viewer", t.district_a)
    url = f"{API}/{t.grassroots_a.id}"
    assert (await c.get(url, headers=v)).status_code == 200
    assert (await c.get(f"{url}/history", headers=v)).status_code == 200
    assert (await c.get(f"{API}/tree", headers=v)).status_code == 200
    for r in (
        await c.post(API, json=found_body(t.district_a), headers=v),
        await c.patch(url, json={"address": "x"}, headers=v),
        await c.post(
            f"{url}/move",
            json=decision(date(2022, 1, 1), new_parent_id=str(t.province.id)),
            headers=v,
        ),
        await c.post(
            f"{url}/merge",
            json=decision(date(2022, 1, 1), target_id=str(t.grassroots_a2.id)),
            headers=v,
        ),
        await c.post(f"{API}/{t.group_a.id}/dissolve", json=decision(date(2022, 1, 1)), headers=v),
    ):
        assert problem(r, 403)["code"] == "permission_denied"
    # outside their scope a viewer gets the same 404 as anyone
    problem(await c.get(f"{API}/{t.grassroots_b.id}", headers=v), 404)


async def test_grassroots_officer(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    g = await factory.headers_for("grassroots_officer", t.grassroots_a)
    r = await c.post(
        API,
        json=found_body(
            t.grassroots_a,
            code="TS-T9",
            name="Tổ công đoàn Văn phòng",
            level="union_group",
            kind="internal_unit",
        ),
        headers=g,
    )
    assert r.status_code == 201, r.text
    new_group = r.json()["id"]
    r = await c.patch(
        f"{API}/{new_group}", json={"name": "Tổ Văn phòng", "decision_no": "2/QĐ"}, headers=g
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{new_group}/merge",
        json=decision(date.today(), target_id=str(t.group_a.id)),
        headers=g,
    )
    assert r.status_code == 200, r.text
    # the district above is outside their subtree: 404 for reads and writes alike
    for r in (
        await c.get(f"{API}/{t.district_a.id}", headers=g),
        await c.patch(f"{API}/{t.district_a.id}", json={"address": "x"}, headers=g),
        await c.post(API, json=found_body(t.district_a, code="GX"), headers=g),
        await c.post(
            f"{API}/{t.grassroots_a2.id}/dissolve", json=decision(date(2022, 1, 1)), headers=g
        ),
    ):
        problem(r, 404)
    # nor can they move their union out from under the district
    r = await c.post(
        f"{API}/{t.grassroots_a.id}/move",
        json=decision(date(2022, 1, 1), new_parent_id=str(t.province.id)),
        headers=g,
    )
    problem(r, 404)
    r = await c.get(f"{API}/{t.district_a.id}", headers=t.admin)
    assert r.json()["version"] == 1
