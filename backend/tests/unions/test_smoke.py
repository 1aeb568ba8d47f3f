from datetime import date

from tests.factories import Factory


async def test_found_list_and_scope(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh Tiền Giang")
    cb = await factory.union(root, name="Liên đoàn Lao động huyện Cái Bè")
    mt = await factory.union(root, name="Liên đoàn Lao động thành phố Mỹ Tho")
    g = await factory.union(mt, name="Công đoàn cơ sở Công ty Mỹ Tho")
    h = await factory.headers_for("union_officer", cb)
    r = await factory.client.get("/api/v1/unions", headers=h, params={"q": "cai be"})
    assert r.status_code == 200, r.text
    assert [u["name"] for u in r.json()["items"]] == ["Liên đoàn Lao động huyện Cái Bè"]
    r = await factory.client.get(f"/api/v1/unions/{g.id}", headers=h)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    hm = await factory.headers_for("union_officer", mt)
    r = await factory.client.get(f"/api/v1/unions/{g.id}", headers=hm)
    assert r.status_code == 200
    assert r.json()["parent_name"] == "Liên đoàn Lao động thành phố Mỹ Tho"
    assert date.fromisoformat(r.json()["founded_on"]) == date(2015, 1, 1)
