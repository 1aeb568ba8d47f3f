"""Every implemented indicator against the hand count of tests/indicators/helpers.py, for the
province and for a district, before (31/12/2020) and after (31/12/2022) D1 merged into D2.

Placement: a record counts where its union stood on the record's day. An enterprise sits with
its own union when it has one that day, else with its responsible union.
"""

from decimal import Decimal

from tests.factories import Factory
from tests.indicators.helpers import build_province, groups, indicator

BEFORE, AFTER = "2020-12-31", "2022-12-31"


async def test_every_indicator_matches_the_hand_count(factory: Factory) -> None:
    w = await build_province(factory)
    h = w.admin

    async def get(key: str, **params: str) -> dict:  # type: ignore[type-arg]
        return await indicator(factory, h, key, **params)

    # members_total, as of a day.
    v = await get("members_total", union_id=str(w.p.id), as_of=BEFORE, group_by="child")
    assert (v["numerator"], v["denominator"], v["value"]) == (5, None, "5")
    assert groups(v) == {"LĐLĐ Mỹ Tho": (4, None), "LĐLĐ Cái Bè": (1, None)}
    v = await get("members_total", union_id=str(w.p.id), as_of=AFTER, group_by="child")
    assert v["numerator"] == 7  # m3 rejoined; all seven now under D2
    assert groups(v) == {"LĐLĐ Cái Bè": (7, None)}
    v = await get("members_total", union_id=str(w.p.id), as_of=AFTER, group_by="gender")
    assert groups(v) == {"male": (3, None), "female": (4, None)}
    v = await get("members_total", union_id=str(w.p.id), as_of=BEFORE, group_by="sector")
    assert groups(v) == {"state": (1, None), "non_state": (4, None)}
    for union, day, expected in (
        (w.d1, BEFORE, 4),
        (w.d1, AFTER, 0),
        (w.d2, BEFORE, 1),
        (w.d2, AFTER, 7),
    ):
        v = await get("members_total", union_id=str(union.id), as_of=day)
        assert v["numerator"] == expected, (union.name, day)

    # new_members over the term 2018-2023: admissions only, rejoins beside them.
    term = {"from": "2018-01-01", "to": "2023-12-31"}
    v = await get("new_members", union_id=str(w.p.id), group_by="child", **term)
    assert v["numerator"] == 6  # m4 (2017) is before the term
    assert v["extra"] == {"rejoined": 1}
    assert groups(v) == {"LĐLĐ Mỹ Tho": (3, None), "LĐLĐ Cái Bè": (3, None)}
    v = await get("new_members", union_id=str(w.d2.id), **term)
    assert v["numerator"] == 3  # m5 (after the merge), m6, m7
    v = await get("new_members", union_id=str(w.d1.id), **term)
    assert v["numerator"] == 3  # m1, m2, m3 (before the merge)
    v = await get("new_members", union_id=str(w.p.id), **{"from": "2021-01-01", "to": "2021-12-31"})
    assert (v["numerator"], v["extra"]) == (1, {"rejoined": 1})

    # cdcs_founded: G3 (2019) and G4 (2022).
    v = await get("cdcs_founded", union_id=str(w.p.id), group_by="child", **term)
    assert v["numerator"] == 2
    assert groups(v) == {"LĐLĐ Cái Bè": (2, None)}
    v = await get("cdcs_founded", union_id=str(w.d1.id), **term)
    assert v["numerator"] == 0

    # enterprises_with_union (N = 20): before, E1 E3 E4 E6 qualify, E1 E3 have a union.
    v = await get("enterprises_with_union", union_id=str(w.p.id), as_of=BEFORE, group_by="child")
    assert (v["numerator"], v["denominator"], v["value"]) == (2, 4, "0.5000")
    assert groups(v) == {"LĐLĐ Mỹ Tho": (1, 2), "LĐLĐ Cái Bè": (1, 2)}
    v = await get("enterprises_with_union", union_id=str(w.p.id), as_of=AFTER, group_by="child")
    assert (v["numerator"], v["denominator"]) == (3, 4)
    # E1 went with G1 to Cái Bè; E6 (no union) stays with the merged Mỹ Tho.
    assert groups(v) == {"LĐLĐ Mỹ Tho": (0, 1), "LĐLĐ Cái Bè": (3, 3)}
    v = await get("enterprises_with_union", union_id=str(w.d2.id), as_of=BEFORE)
    assert (v["numerator"], v["denominator"]) == (1, 2)
    v = await get("enterprises_with_union", union_id=str(w.d2.id), as_of=AFTER)
    assert (v["numerator"], v["denominator"]) == (3, 3)
    v = await get("enterprises_with_union", union_id=str(w.p.id), as_of=BEFORE, min_workers="30")
    assert (v["numerator"], v["denominator"], v["parameters"]) == (2, 3, {"min_workers": 30})

    # member coverage: state E2 (10 workers); non-state with a union.
    v = await get("member_coverage_state", union_id=str(w.p.id), as_of=BEFORE)
    assert (v["numerator"], v["denominator"], v["value"]) == (1, 10, "0.1000")
    v = await get("member_coverage_state", union_id=str(w.p.id), as_of=AFTER)
    assert (v["numerator"], v["denominator"]) == (2, 10)
    v = await get("member_coverage_state", union_id=str(w.d2.id), as_of=BEFORE)
    assert (v["numerator"], v["denominator"], v["value"]) == (0, 0, None)
    v = await get("member_coverage_state", union_id=str(w.d2.id), as_of=AFTER)
    assert (v["numerator"], v["denominator"]) == (2, 10)
    v = await get("member_coverage_non_state", union_id=str(w.p.id), as_of=BEFORE)
    assert (v["numerator"], v["denominator"], v["value"]) == (4, 70, "0.0571")
    v = await get("member_coverage_non_state", union_id=str(w.p.id), as_of=AFTER)
    assert (v["numerator"], v["denominator"], v["value"]) == (5, 105, "0.0476")
    v = await get("member_coverage_non_state", union_id=str(w.d2.id), as_of=BEFORE)
    assert (v["numerator"], v["denominator"]) == (1, 30)

    # strong unions in 2020, by the 2020 tree even after the merge.
    v = await get("cdcs_strong_state", union_id=str(w.p.id), to=AFTER.replace("2022", "2020"))
    assert (v["numerator"], v["denominator"], v["year"]) == (1, 3, 2020)
    v = await get("cdcs_strong_state", union_id=str(w.p.id), to="2020-12-31", group_by="child")
    assert groups(v) == {"LĐLĐ Mỹ Tho": (1, 2), "LĐLĐ Cái Bè": (0, 1)}
    v = await get("cdcs_strong_non_state", union_id=str(w.p.id), to="2020-12-31")
    assert (v["numerator"], v["denominator"], v["value"]) == (2, 2, "1.0000")
    v = await get("cdcs_strong_non_state", union_id=str(w.d2.id), to="2020-12-31")
    assert (v["numerator"], v["denominator"]) == (1, 1)
    v = await get("cdcs_strong_state", union_id=str(w.d2.id), to="2020-12-31")
    assert (v["numerator"], v["denominator"], v["value"]) == (0, 0, None)
    assert Decimal("1.0000") == Decimal(
        (await get("cdcs_strong_non_state", union_id=str(w.p.id), to="2020-12-31"))["value"]
    )


async def test_the_records_are_the_ones_counted(factory: Factory) -> None:
    w = await build_province(factory, ratings=False)
    url = "/api/v1/indicators/members_total/records"
    r = await factory.client.get(
        url, params={"union_id": str(w.p.id), "as_of": BEFORE}, headers=w.admin
    )
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total"] == 5
    assert [i["label"] for i in page["items"]] == [f"Đoàn viên m{n}" for n in (1, 2, 3, 4, 6)]
    r = await factory.client.get(
        url,
        params={"union_id": str(w.p.id), "as_of": BEFORE, "child_id": str(w.d2.id)},
        headers=w.admin,
    )
    assert [i["label"] for i in r.json()["items"]] == ["Đoàn viên m6"]
    r = await factory.client.get(
        "/api/v1/indicators/enterprises_with_union/records",
        params={"union_id": str(w.p.id), "as_of": BEFORE, "in_numerator": "false"},
        headers=w.admin,
    )
    assert [i["label"] for i in r.json()["items"]] == ["Công ty E4", "Công ty E6"]
    assert [i["detail"] for i in r.json()["items"]] == ["25", "100"]


async def test_catalogue_and_scope(factory: Factory) -> None:
    w = await build_province(factory, ratings=False)
    r = await factory.client.get("/api/v1/indicators", headers=w.admin)
    keys = [i["key"] for i in r.json()]
    assert keys[:8] == [
        "new_members",
        "members_total",
        "member_coverage_state",
        "member_coverage_non_state",
        "enterprises_with_union",
        "cdcs_founded",
        "cdcs_strong_state",
        "cdcs_strong_non_state",
    ]
    # Every indicator of the catalogue is computed (the training ones from the training records).
    assert len(keys) == 17 and all(i["available"] for i in r.json())
    # The periodic statistical report's own figures (hand-counted in tests/reports/helpers.py).
    assert keys[-4:] == ["transfers_in", "transfers_out", "cdcs_dissolved", "workers_total"]
    r = await factory.client.get("/api/v1/indicators/cadres_trained", headers=w.admin)
    assert r.status_code == 200 and r.json()["denominator"] == 0, r.text
    r = await factory.client.get("/api/v1/indicators/no_such_thing", headers=w.admin)
    assert r.status_code == 404 and r.json()["code"] == "indicator_not_found"
    # A district officer of D2 sees D2, not the sibling G1's old district or the province.
    officer = await factory.headers_for("union_officer", w.d2)
    r = await factory.client.get(
        "/api/v1/indicators/members_total", params={"union_id": str(w.p.id)}, headers=officer
    )
    assert r.status_code == 404
    # Their 2020 figure for D2 is D2's tree then (m6); 2022 holds G1 and G2 after the merge.
    v = await indicator(factory, officer, "members_total", as_of=BEFORE)
    assert (v["union_id"], v["numerator"]) == (str(w.d2.id), 1)
    v = await indicator(factory, officer, "members_total", as_of=AFTER)
    assert v["numerator"] == 7
    r = await factory.client.get(
        "/api/v1/indicators/members_total",
        params={"from": "2021-01-01", "to": "2020-01-01"},
        headers=officer,
    )
    assert r.status_code == 422
    r = await factory.client.get(
        "/api/v1/indicators/members_total", params={"group_by": "size"}, headers=officer
    )
    assert r.status_code == 422
