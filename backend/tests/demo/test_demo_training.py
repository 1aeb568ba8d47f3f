"""The demo's training: courses 2018-2026 with rosters and results, qualification records
for the cadres, spending per union and year; the province's cadre indicators come out
plausible (most, not all, targets met)."""

from sqlalchemy import select

from tests.factories import Factory
from unionhub.unions.models import Union
from unionhub_dev.demo.generator import load_demo
from unionhub_dev.demo.plan import PASSWORD, PROVINCE_CODE

SEED, SCALE = 7, 0.02


async def test_demo_training_gives_plausible_indicators(factory: Factory) -> None:
    await load_demo(SEED, SCALE, session=factory.db)
    h = await factory.login("admin", PASSWORD)
    province = await factory.db.scalar(select(Union.id).where(Union.code == PROVINCE_CODE))

    courses = await factory.client.get("/api/v1/training/courses", params={"size": 100}, headers=h)
    assert courses.status_code == 200, courses.text
    items = courses.json()["items"]
    assert courses.json()["total"] > 30
    every = await factory.client.get(
        "/api/v1/training/courses", params={"size": 100, "year": 2019}, headers=h
    )
    assert every.json()["total"] >= 3
    statuses = {c["status"] for c in items}
    assert "finished" in statuses

    r = await factory.client.get(
        "/api/v1/training/compliance",
        params={"union_id": str(province), "as_of": "2026-12-01", "year": 2024},
        headers=h,
    )
    assert r.status_code == 200, r.text
    total = {i["code"]: i for i in r.json()["total"]}
    for code in ("full_time_degree", "leader_political_theory", "cadres_union_work"):
        assert total[code]["denominator"] > 0
        assert 0.7 < float(total[code]["share"]) <= 1, (code, total[code])
    assert 0.1 < float(total["training_spend"]["share"]) < 0.25
    assert not all(i["met"] for i in total.values())
    assert len(r.json()["children"]) > 5
