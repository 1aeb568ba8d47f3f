from datetime import date

from tests.factories import Factory

MEMBER = {
    "full_name": "Nguyễn Thị Lan",
    "date_of_birth": "1990-05-04",
    "gender": "female",
    "personal_id": "082190123456",
    "admission_date": f"{date.today().year}-01-01",
}


async def test_overview_counts_only_own_scope(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(root, name="LĐLĐ huyện A")
    b = await factory.union(root, name="LĐLĐ huyện B")
    ga = await factory.union(a, name="CĐCS Công ty A")
    gb = await factory.union(b, name="CĐCS Công ty B")
    hb = await factory.headers_for("union_officer", b)
    r = await factory.client.post(
        "/api/v1/members", headers=hb, json={**MEMBER, "union_id": str(gb.id)}
    )
    assert r.status_code == 201, r.text

    ha = await factory.headers_for("union_officer", a)
    r = await factory.client.get("/api/v1/reports/overview", headers=ha)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["root_union_name"] == "LĐLĐ huyện A"
    assert body["members"]["active"] == 0
    assert body["unions_total"] == 2  # the district and its grassroots union
    assert [c["name"] for c in body["members_by_child"]] == []
    assert len(body["admissions_by_month"]) == 12

    r = await factory.client.get("/api/v1/reports/overview", headers=hb)
    body = r.json()
    assert body["members"] == {"active": 1, "suspended": 0, "new_this_year": 1, "female": 1}
    assert body["members_by_child"] == [
        {"union_id": str(gb.id), "name": "CĐCS Công ty B", "short_name": None, "members": 1}
    ]
    this_month = date.today().strftime("%Y-%m")
    assert body["admissions_by_month"][-1]["month"] == this_month

    # Another district's union as the root answers 404, like every foreign id.
    r = await factory.client.get(
        "/api/v1/reports/overview", headers=ha, params={"union_id": str(gb.id)}
    )
    assert r.status_code == 404
    r = await factory.client.get(
        "/api/v1/reports/overview", headers=ha, params={"union_id": str(ga.id)}
    )
    assert r.status_code == 200
    assert r.json()["unions_total"] == 1
