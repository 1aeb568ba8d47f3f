"""Scope: a district officer sees only enterprises their district is responsible for."""

from tests.enterprises.helpers import API, build_world, create, problem, survey
from tests.factories import Factory


async def test_sibling_district_sees_nothing_and_gets_404_everywhere(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    a = await create(c, w.officer_a, w.district_a, name="Công ty Cái Bè")
    await survey(c, w.officer_a, a["id"], 50, 20)
    b = await create(c, w.officer_b, w.district_b, name="Công ty Mỹ Tho")
    url = f"{API}/{a['id']}"

    listed = await c.get(API, headers=w.officer_b)
    assert [i["id"] for i in listed.json()["items"]] == [b["id"]]
    assert listed.json()["total"] == 1
    for params in (
        {"q": "cai be"},
        {"q": a["tax_code"]},
        {"responsible_union_id": str(w.district_a.id)},
    ):
        r = await c.get(API, params=params, headers=w.officer_b)
        assert r.json()["items"] == [], params

    attempts = [
        c.get(url, headers=w.officer_b),
        c.patch(url, json={"name": "Đổi tên"}, headers=w.officer_b),
        c.get(f"{url}/surveys", headers=w.officer_b),
        c.post(
            f"{url}/surveys",
            json={"surveyed_on": "2024-01-01", "total_workers": 1, "female_workers": 0},
            headers=w.officer_b,
        ),
        c.post(
            f"{url}/found-union",
            json={"code": "X-1", "founded_on": "2024-01-01", "founding_decision_no": "1/QĐ"},
            headers=w.officer_b,
        ),
    ]
    for attempt in attempts:
        body = problem(await attempt, 404)
        assert body["code"] == "enterprise_not_found"
        assert "Cái Bè" not in str(body)
    # a made-up id answers exactly like a foreign one
    r = await c.get(f"{API}/0190f1a2-7b3c-7d4e-8f50-123456789abc", headers=w.officer_b)
    assert problem(r, 404)["code"] == "enterprise_not_found"

    # nothing changed; the owner and the province still see it
    got = await c.get(url, headers=w.officer_a)
    assert (got.json()["name"], got.json()["total_workers"]) == ("Công ty Cái Bè", 50)
    assert (await c.get(url, headers=w.admin)).status_code == 200
    # a grassroots officer under district A holds no responsible union: sees no enterprise
    grassroots = await factory.headers_for("grassroots_officer", w.grassroots_a)
    assert (await c.get(API, headers=grassroots)).json()["total"] == 0
    problem(await c.get(url, headers=grassroots), 404)
    # without sign-in nothing at all
    problem(await c.get(API), 401)
