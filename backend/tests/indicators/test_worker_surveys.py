"""An enterprise counts in the enterprise indicators with the workers of its latest survey on
or before the day, and a programme's progress reads the same figures: a survey corrected the
same day, an older survey entered late, an enterprise with a current figure but no survey
rows, and the days before any figure (the enterprise is left out of the indicators that
compare its workers, and counted with no workers where they are not compared)."""

from datetime import date
from typing import Any

from tests.enterprises.helpers import create, fresh_tax_code, survey
from tests.factories import Factory
from tests.indicators.helpers import indicator
from unionhub.enterprises.models import Enterprise


async def _figures(
    factory: Factory, headers: dict[str, str], union_id: str, as_of: str
) -> dict[str, tuple[int, int | None]]:
    out = {}
    for key in ("enterprises_with_union", "member_coverage_non_state", "workers_total"):
        v = await indicator(factory, headers, key, union_id=union_id, as_of=as_of)
        out[key] = (v["numerator"], v["denominator"])
    return out


async def test_the_survey_in_force_on_the_day_counts(factory: Factory) -> None:
    c = factory.client
    p = await factory.union(name="LĐLĐ tỉnh khảo sát", sector="state")
    d = await factory.union(p, name="LĐLĐ huyện khảo sát", sector="state")
    admin = await factory.headers_for("admin", p)
    e = await create(c, admin, d, ownership="fdi")
    await factory.union(
        d, name="CĐCS Công ty khảo sát", enterprise_id=e["id"], founded_on=date(2016, 1, 1)
    )
    assert (await survey(c, admin, e["id"], 15, 0, date(2020, 6, 1))).status_code == 201
    # Corrected the same day: the later entry is the figure from that day on.
    assert (await survey(c, admin, e["id"], 25, 0, date(2020, 6, 1))).status_code == 201
    assert (await survey(c, admin, e["id"], 30, 0, date(2022, 3, 1))).status_code == 201
    # An older survey entered late: the figure of its days only.
    late = await survey(c, admin, e["id"], 12, 0, date(2019, 6, 1))
    assert late.status_code == 201 and late.json()["is_current"] is False
    # A current figure without any survey row (no union of its own): counted from its date.
    factory.db.add(
        Enterprise(
            tax_code=fresh_tax_code(),
            name="Công ty không phiếu khảo sát",
            ownership="non_state_domestic",
            responsible_union_id=d.id,
            search_text="cong ty khong phieu khao sat",
            total_workers=40,
            female_workers=0,
            surveyed_on=date(2021, 1, 1),
            version=1,
        )
    )
    await factory.db.flush()

    # (numerator, denominator): with a union / enterprises of >= 20 workers; members / workers
    # of non-state enterprises with a union; workers of enterprises with a union.
    expected = {
        # No figure yet: left out where workers are compared, counted with none otherwise.
        "2019-01-01": {
            "enterprises_with_union": (0, 0),
            "member_coverage_non_state": (0, 0),
            "workers_total": (0, None),
        },
        "2019-12-31": {
            "enterprises_with_union": (0, 0),
            "member_coverage_non_state": (0, 12),
            "workers_total": (12, None),
        },
        "2020-12-31": {
            "enterprises_with_union": (1, 1),
            "member_coverage_non_state": (0, 25),
            "workers_total": (25, None),
        },
        "2021-06-30": {
            "enterprises_with_union": (1, 2),
            "member_coverage_non_state": (0, 25),
            "workers_total": (25, None),
        },
        "2023-01-01": {
            "enterprises_with_union": (1, 2),
            "member_coverage_non_state": (0, 30),
            "workers_total": (30, None),
        },
    }
    for as_of, figures in expected.items():
        assert await _figures(factory, admin, str(p.id), as_of) == figures, as_of

    # The programme's progress: the same figures for the target and each year of its trend.
    r = await c.post(
        "/api/v1/programmes",
        json={
            "union_id": str(p.id),
            "number": "07/Ctr",
            "title": "Thành lập CĐCS ở doanh nghiệp từ 20 lao động",
            "term_start": "2019-01-01",
            "planned_end": "2022-12-31",
            "targets": [
                {
                    "title": "CĐCS ở mọi doanh nghiệp từ 20 lao động",
                    "indicator_key": "enterprises_with_union",
                    "kind": "end_of_term",
                    "target_value": "1",
                    "parameters": {"min_workers": 20},
                    "position": 0,
                }
            ],
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    progress = await c.get(
        f"/api/v1/programmes/{r.json()['id']}/progress",
        params={"as_of": "2022-12-31"},
        headers=admin,
    )
    assert progress.status_code == 200, progress.text
    target: dict[str, Any] = progress.json()["targets"][0]
    assert (target["numerator"], target["denominator"], target["actual"]) == (1, 2, "0.5000")
    assert [(y["year"], y["actual"]) for y in target["trend"]] == [
        (2019, None),
        (2020, "1.0000"),
        (2021, "0.5000"),
        (2022, "0.5000"),
    ]
    [district] = [ch for ch in target["children"] if ch["union_id"] == str(d.id)]
    assert (district["numerator"], district["denominator"]) == (1, 2)
