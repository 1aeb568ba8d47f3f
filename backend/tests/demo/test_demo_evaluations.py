"""The demo's strength evaluations: every year since 2018 published, 2025 in progress, and the
province's figures meaningful (state units mostly strong, non-state ones fewer)."""

from sqlalchemy import select

from tests.factories import Factory
from unionhub.unions.models import Union
from unionhub_dev.demo.generator import load_demo
from unionhub_dev.demo.plan import PASSWORD, PROVINCE_CODE

SEED, SCALE = 7, 0.02


async def test_demo_ratings_give_the_province_its_yearly_figures(factory: Factory) -> None:
    await load_demo(SEED, SCALE, session=factory.db)
    h = await factory.login("admin", PASSWORD)
    province = await factory.db.scalar(select(Union.id).where(Union.code == PROVINCE_CODE))

    rounds = (await factory.client.get("/api/v1/evaluation-rounds", headers=h)).json()["items"]
    assert {r["year"]: r["status"] for r in rounds} == {
        **{year: "published" for year in range(2018, 2025)},
        2025: "open",
        # The cdcs account's union in its superior's 2026 round, all others approved.
        2026: "open",
    }
    showcase = next(r for r in rounds if r["year"] == 2026)
    assert showcase["counts"].get("draft") == 1
    assert showcase["owner_union_id"] != str(province)
    current = next(r for r in rounds if r["year"] == 2025)["counts"]
    assert {"draft", "submitted", "returned", "approved", "ineligible"} <= set(current)

    for year in (2018, 2023):
        r = await factory.client.get(
            "/api/v1/evaluations/summary",
            params={"year": year, "union_id": str(province), "group_by": "child"},
            headers=h,
        )
        assert r.status_code == 200, r.text
        s = r.json()
        assert s["state"]["rated"] == s["state"]["eligible"] > 0
        assert s["non_state"]["rated"] == s["non_state"]["eligible"] > 0
        assert float(s["state"]["strong_share"]) > float(s["non_state"]["strong_share"]) > 0.2
        # The 2023 figures follow the tree of 2023: its district federations, since closed.
        assert len(s["groups"]) > 5

    # 2025 follows the province's own variant, added as data: fewer than 70% of the workers
    # being members (the records' answer) caps the level at "hoàn thành nhiệm vụ".
    this_year = next(r for r in rounds if r["year"] == 2025)
    r = await factory.client.get(f"/api/v1/evaluation-schemes/{this_year['scheme_id']}", headers=h)
    assert r.json()["code"] == "HD-LDLD-2025"
    r = await factory.client.get(
        "/api/v1/evaluations",
        params={
            "round_id": this_year["id"],
            "status": ["submitted", "returned", "approved"],
            "size": 200,
        },
        headers=h,
    )
    sent = r.json()["items"]
    capped = [e for e in sent if e["self_flags"].get("coverage_below_70")]
    assert capped and len(capped) < len(sent), "some units, not all, have a low coverage"
    d = (await factory.client.get(f"/api/v1/evaluations/{capped[0]['id']}", headers=h)).json()
    assert d["self_rating"]["caps"].get("coverage_below_70") == "complete"
    assert d["self_rating"]["level"] in ("complete", "incomplete")
    (answer,) = [a for a in d["condition_answers"] if a["condition"] == "coverage_below_70"]
    assert answer["holds"] is True and float(answer["value"]) < 0.7
