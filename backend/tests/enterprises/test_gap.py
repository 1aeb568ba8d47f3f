"""The unionization gap report: founding targets grouped by responsible union, in scope."""

from datetime import date

from tests.enterprises.helpers import API, build_world, create, problem, survey
from tests.factories import Factory
from unionhub.enterprises.schemas import GapReport

GAP = f"{API}/unionization-gap"


async def test_gap_groups_targets_by_responsible_union(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    sizes = {}

    async def target(
        headers: dict[str, str], union: object, name: str, total: int, **extra: object
    ) -> str:
        e = await create(c, headers, union, name=name, **extra)  # type: ignore[arg-type]
        if total:
            r = await survey(c, headers, e["id"], total, total // 2, date(2024, 6, 1))
            assert r.status_code == 201
        sizes[name] = total
        return str(e["id"])

    await target(w.officer_a, w.district_a, "A1 May", 120, ownership="fdi")
    await target(w.officer_a, w.district_a, "A2 Gỗ", 20)
    await target(w.officer_a, w.district_a, "A3 Nhỏ", 19)  # below the threshold
    await target(w.officer_a, w.district_a, "A4 Chưa khảo sát", 0)  # never surveyed
    await target(w.officer_a, w.district_a, "A5 Đóng cửa", 300, operating_status="dissolved")
    has = await target(w.officer_a, w.district_a, "A6 Có CĐ", 500)
    r = await c.post(
        f"{API}/{has}/found-union",
        headers=w.officer_a,
        json={"code": "A6-CD", "founded_on": "2024-07-01", "founding_decision_no": "1/QĐ"},
    )
    assert r.status_code == 201, r.text
    await target(w.officer_b, w.district_b, "B1 Giày", 400)
    await target(w.officer_b, w.district_b, "B2 Bao bì", 25, ownership="state")
    await target(w.admin, w.province, "P1 Cảng", 60)

    r = await c.get(GAP, headers=w.admin)
    assert r.status_code == 200, r.text
    gap = r.json()
    GapReport.model_validate(gap)  # the document PostgreSQL builds has the declared shape
    assert [
        (
            g["union"]["code"],
            [e["name"] for e in g["enterprises"]],
            g["enterprise_count"],
            g["workers_total"],
        )
        for g in gap["groups"]
    ] == [
        ("MT", ["B1 Giày", "B2 Bao bì"], 2, 425),
        ("CB", ["A1 May", "A2 Gỗ"], 2, 140),
        ("DT", ["P1 Cảng"], 1, 60),
    ]
    assert (gap["union_count"], gap["enterprise_count"], gap["workers_total"]) == (3, 5, 625)
    assert gap["female_workers_total"] == 200 + 12 + 60 + 10 + 30
    first = gap["groups"][0]["enterprises"][0]
    assert set(first) == {
        "id",
        "name",
        "tax_code",
        "total_workers",
        "female_workers",
        "surveyed_on",
        "ownership",
        "commune_code",
    }
    assert (first["total_workers"], first["female_workers"], first["surveyed_on"]) == (
        400,
        200,
        "2024-06-01",
    )

    # filters: ownership, a lower or higher threshold, a subtree
    r = await c.get(GAP, params={"ownership": ["fdi", "state"]}, headers=w.admin)
    assert [e["name"] for g in r.json()["groups"] for e in g["enterprises"]] == [
        "A1 May",
        "B2 Bao bì",
    ]
    r = await c.get(GAP, params={"min_workers": 100}, headers=w.admin)
    assert r.json()["enterprise_count"] == 2
    r = await c.get(GAP, params={"min_workers": 10}, headers=w.admin)
    assert "A3 Nhỏ" in [e["name"] for g in r.json()["groups"] for e in g["enterprises"]]
    r = await c.get(GAP, params={"responsible_union_id": str(w.district_a.id)}, headers=w.admin)
    assert [g["union"]["code"] for g in r.json()["groups"]] == ["CB"]
    problem(await c.get(GAP, params={"min_workers": 0}, headers=w.admin), 422)

    # a district officer sees their own district only, even when asking for the province
    r = await c.get(GAP, headers=w.officer_a)
    assert [g["union"]["code"] for g in r.json()["groups"]] == ["CB"]
    assert r.json()["workers_total"] == 140
    r = await c.get(GAP, params={"responsible_union_id": str(w.district_b.id)}, headers=w.officer_a)
    assert r.json() == {
        "min_workers": 20,
        "groups": [],
        "union_count": 0,
        "enterprise_count": 0,
        "workers_total": 0,
        "female_workers_total": 0,
    }
    r = await c.get(GAP, headers=w.viewer_a)
    assert r.json()["enterprise_count"] == 2

    # the list's eligible filter agrees with the report
    r = await c.get(API, params={"eligible": True, "size": 200}, headers=w.admin)
    assert sorted(i["name"] for i in r.json()["items"]) == sorted(
        ["A1 May", "A2 Gỗ", "B1 Giày", "B2 Bao bì", "P1 Cảng"]
    )
