"""The demo's quarterly report request: sent by the province to its direct children, with
units approved, submitted (one corrected figure with its reason), returned and missing, and
the province's own report consolidating the approved ones."""

from datetime import date

from tests.factories import Factory
from unionhub_dev.demo.generator import load_demo
from unionhub_dev.demo.plan import PASSWORD
from unionhub_dev.demo.reports import last_quarter

SEED, SCALE = 7, 0.02


def test_last_quarter_is_the_last_full_one() -> None:
    assert last_quarter(date(2026, 12, 5)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_quarter(date(2026, 1, 2)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert last_quarter(date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))


async def test_demo_report_request_has_every_state(factory: Factory) -> None:
    await load_demo(SEED, SCALE, session=factory.db)
    h = await factory.login("admin", PASSWORD)
    r = await factory.client.get("/api/v1/report-requests", headers=h)
    assert r.status_code == 200, r.text
    (request,) = r.json()["items"]
    assert request["template"]["code"] == "org-members-quarter"
    status = (
        await factory.client.get(f"/api/v1/report-requests/{request['id']}/status", headers=h)
    ).json()
    counts = status["counts"]
    assert (counts["approved"], counts["submitted"], counts["returned"]) == (2, 1, 1)
    assert counts["pending"] == request["units"] - 4 > 0
    assert len(status["missing"]) == counts["pending"] + counts["returned"]
    submitted = next(u for u in status["units"] if u["status"] == "submitted")
    report = (
        await factory.client.get(f"/api/v1/reports/{submitted['report_id']}", headers=h)
    ).json()
    corrected = [
        c
        for s in report["sections"]
        for row in s.get("rows") or []
        for c in row["cells"]
        if c["corrected"]
    ]
    assert len(corrected) == 1 and corrected[0]["reason"]
    assert corrected[0]["numerator"] == corrected[0]["computed_numerator"] + 12
    own = (
        await factory.client.get(f"/api/v1/reports/{request['own_report_id']}", headers=h)
    ).json()
    assert own["consolidated"] and own["status"] == "draft"
    members = next(s for s in own["sections"] if s["key"] == "members")
    end = next(r for r in members["rows"] if r["key"] == "members_end")["cells"][0]
    assert end["live_numerator"] > 0 and end["numerator"] > 0
