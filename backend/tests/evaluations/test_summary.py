"""The province's 2023 strong share, counted by hand from the fixture's ratings, against the
summary endpoint; including an ineligible unit, an unrated one, and a unit that moved to the
other district in the 2025 reorganisation (counted where it stood at the end of 2023).

The tree at the end of 2023 and each unit's 2023 result (2019 scheme; "strong" = hoàn thành
xuất sắc or hoàn thành tốt):

    D1 LĐLĐ huyện A (state, upper level)   excellent  strong
      A1 state                             good       strong
      A2 non-state                         excellent  strong
      A3 non-state                         incomplete
      A4 non-state, founded 1/5/2023       ineligible (under 12 months)
    D2 LĐLĐ huyện B (state, upper level)   complete
      B1 state                             good       strong
      B2 non-state                         not rated (still a draft)
      B3 non-state                         good       strong   -> moved under D1 on 1/7/2025

By hand: state eligible D1 D2 A1 B1 = 4, strong D1 A1 B1 = 3 -> 0.7500.
Non-state eligible A2 A3 B2 B3 = 4 (A4 excluded), strong A2 B3 = 2 -> 0.5000.
By district (tree of 2023): D1 has 4 eligible, 3 strong; D2 has 4 eligible, 2 strong.
"""

import io
import zipfile
from datetime import date
from decimal import Decimal

from tests.evaluations.helpers import evaluations_of, open_round, rate, scheme_id, sheet
from tests.factories import Factory

SUMMARY = "/api/v1/evaluations/summary"


async def test_2023_strong_share_by_hand_matches_the_summary(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh Tiền Giang", sector="state")
    d1 = await factory.union(province, code="D1", name="LĐLĐ huyện A", sector="state")
    d2 = await factory.union(province, code="D2", name="LĐLĐ huyện B", sector="state")
    await factory.union(d1, code="A1", sector="state", kind="agency_union")
    for code in ("A2", "A3"):
        await factory.union(d1, code=code)
    await factory.union(d1, code="A4", founded_on=date(2023, 5, 1))
    await factory.union(d2, code="B1", sector="state", kind="school_union")
    await factory.union(d2, code="B2")
    b3 = await factory.union(d2, code="B3")
    admin = await factory.headers_for("admin", province)
    d1_officer = await factory.headers_for("union_officer", d1)
    r = await factory.client.get(
        f"/api/v1/evaluation-schemes/{await scheme_id(factory, 'HD1294-TLD-2019')}",
        headers=admin,
    )
    scheme = r.json()

    round_ = await open_round(factory, admin, 2023, scheme["id"], province)
    evals = await evaluations_of(factory, admin, round_["id"])
    assert evals["A4"]["status"] == "ineligible"
    results = {
        "D1": ("upper_level", "0.95", "excellent"),
        "D2": ("upper_level", "0.6", "complete"),
        "A1": ("state", "0.8", "good"),
        "A2": ("non_state", "0.95", "excellent"),
        "A3": ("non_state", "0.4", "incomplete"),
        "B1": ("state", "0.8", "good"),
        "B3": ("non_state", "0.8", "good"),
    }
    for code, (variant, share, level) in results.items():
        rated = await rate(
            factory, admin, admin, evals[code]["id"], sheet(scheme, variant, Decimal(share))
        )
        assert rated["level"] == level, code

    # The 2025 reorganisation: B3 moves under D1.
    r = await factory.client.post(
        f"/api/v1/unions/{b3.id}/move",
        json={"new_parent_id": str(d1.id), "effective_date": "2025-07-01", "decision_no": "1/QĐ"},
        headers=admin,
    )
    assert r.status_code == 200, r.text

    r = await factory.client.get(
        SUMMARY,
        params={"year": 2023, "union_id": str(province.id), "group_by": "child"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["as_of"] == "2023-12-31"
    assert (s["state"]["eligible"], s["state"]["strong"], s["state"]["strong_share"]) == (
        4,
        3,
        "0.7500",
    )
    assert (
        s["non_state"]["eligible"],
        s["non_state"]["ineligible"],
        s["non_state"]["rated"],
        s["non_state"]["strong"],
        s["non_state"]["strong_share"],
    ) == (4, 1, 3, 2, "0.5000")
    assert s["total"]["levels"] == {"complete": 1, "excellent": 2, "good": 3, "incomplete": 1}
    assert s["targets"] == {"state": "0.95", "non_state": "0.65"}
    by_district = {g["name"]: (g["eligible"], g["strong"]) for g in s["groups"]}
    assert by_district == {"LĐLĐ huyện A": (4, 3), "LĐLĐ huyện B": (4, 2)}

    # The years of the chart: each year by its own tree; a year without a round counts nothing.
    r = await factory.client.get(
        f"{SUMMARY}/years",
        params={"from_year": 2022, "to_year": 2023, "union_id": str(province.id)},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    years = {y["year"]: y for y in r.json()["years"]}
    assert (years[2022]["total"]["eligible"], years[2022]["state"]["strong_share"]) == (0, None)
    assert years[2023]["state"] == s["state"] and years[2023]["non_state"] == s["non_state"]
    assert r.json()["targets"] == s["targets"]
    r = await factory.client.get(
        f"{SUMMARY}/years", params={"from_year": 2023, "to_year": 2022}, headers=admin
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "year_range"

    # A district officer's summary of its own district follows the 2023 tree too: B3 was not
    # under D1 then, so it is not counted, though it is under D1 today.
    r = await factory.client.get(
        SUMMARY,
        params={"year": 2023, "union_id": str(d1.id), "group_by": "sector"},
        headers=d1_officer,
    )
    assert r.status_code == 200, r.text
    mine = r.json()
    assert (mine["total"]["eligible"], mine["total"]["strong"]) == (3, 2)
    # Its chart of the years reads each year by that year's tree and its own scope alike.
    r = await factory.client.get(
        f"{SUMMARY}/years",
        params={"from_year": 2023, "to_year": 2025, "union_id": str(d1.id)},
        headers=d1_officer,
    )
    assert r.status_code == 200, r.text
    assert [(y["year"], y["total"]["eligible"]) for y in r.json()["years"]] == [
        (2023, 3),
        (2024, 0),
        (2025, 0),
    ]
    assert r.json()["years"][0]["total"] == mine["total"]
    assert {g["key"]: g["strong"] for g in mine["groups"]} == {"state": 1, "non_state": 1}
    # The province's summary is outside a district officer's scope.
    r = await factory.client.get(
        SUMMARY, params={"year": 2023, "union_id": str(province.id)}, headers=d1_officer
    )
    assert r.status_code == 404
    r = await factory.client.get(
        f"{SUMMARY}/years", params={"union_id": str(province.id)}, headers=d1_officer
    )
    assert r.status_code == 404

    # B3's rating history, read from its page today (under D1), keeps its 2023 result.
    r = await factory.client.get(
        "/api/v1/evaluations", params={"unit_id": str(b3.id)}, headers=d1_officer
    )
    assert [(e["year"], e["level"]) for e in r.json()["items"]] == [(2023, "good")]

    # The round's results as a spreadsheet, one row per unit with its points per group.
    r = await factory.client.get(
        f"/api/v1/evaluation-rounds/{round_['id']}/export.xlsx", headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.headers["x-total-count"] == "9"
    with zipfile.ZipFile(io.BytesIO(r.content)) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    for text in ("Mã công đoàn", "Nhóm 1", "B3", "Hoàn thành tốt nhiệm vụ", "Không đủ điều kiện"):
        assert text in xml, text


async def test_the_summary_asked_again_counts_a_rating_given_in_between(factory: Factory) -> None:
    """The summary's statements are built once and kept (per caller, union and years): asked
    again after a unit is rated, the summary and the chart count the new rating."""
    province = await factory.union(name="LĐLĐ tỉnh Tiền Giang", sector="state")
    district = await factory.union(province, code="D1", sector="state")
    await factory.union(district, code="A1", sector="state", kind="agency_union")
    await factory.union(district, code="A2")
    admin = await factory.headers_for("admin", province)
    r = await factory.client.get(
        f"/api/v1/evaluation-schemes/{await scheme_id(factory, 'HD1294-TLD-2019')}",
        headers=admin,
    )
    scheme = r.json()
    round_ = await open_round(factory, admin, 2023, scheme["id"], province)
    evals = await evaluations_of(factory, admin, round_["id"])
    year_params = {"year": 2023, "union_id": str(province.id), "group_by": "child"}
    chart_params = {"from_year": 2023, "to_year": 2023, "union_id": str(province.id)}

    async def rated() -> tuple[int, int, int]:
        r = await factory.client.get(SUMMARY, params=year_params, headers=admin)
        assert r.status_code == 200, r.text
        r2 = await factory.client.get(f"{SUMMARY}/years", params=chart_params, headers=admin)
        assert r2.status_code == 200, r2.text
        (year,) = r2.json()["years"]
        return r.json()["total"]["rated"], r.json()["groups"][0]["rated"], year["total"]["rated"]

    assert await rated() == (0, 0, 0)
    await rate(factory, admin, admin, evals["A1"]["id"], sheet(scheme, "state", Decimal("0.8")))
    assert await rated() == (1, 1, 1)
    await rate(factory, admin, admin, evals["A2"]["id"], sheet(scheme, "non_state", Decimal("0.4")))
    assert await rated() == (2, 2, 2)
