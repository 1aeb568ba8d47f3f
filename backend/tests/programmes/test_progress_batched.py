"""A programme's progress is computed for all its targets and years in one statement
(`indicators.compute_many`); each figure in it must be the indicator's own answer for the same
union, window and day: the target's value, each child's numerator and denominator, and the
actual of every year of the trend. Checked with a target on every indicator of the catalogue,
on the hand-counted province (before and after its merger, for the owner and for a district)
and on the hand-counted cadres.
"""

from datetime import date
from typing import Any

from tests.factories import Factory
from tests.indicators.helpers import build_province, indicator
from tests.training.cadres import AFTER as CADRES_AFTER
from tests.training.cadres import BEFORE as CADRES_BEFORE
from tests.training.cadres import build_cadres
from unionhub.indicators.catalogue import CATALOGUE, Timing
from unionhub.members.counts import FORWARD_BEFORE

API = "/api/v1/programmes"
START, END = date(2018, 1, 1), date(2024, 12, 31)
KIND = {Timing.PERIOD: "cumulative", Timing.YEAR: "every_year", Timing.AS_OF: "end_of_term"}


def _body(owner: str) -> dict[str, Any]:
    targets = [
        {
            "title": f"Chỉ tiêu {i.key}",
            "indicator_key": i.key,
            "kind": KIND[i.timing],
            "target_value": "0.9" if i.unit == "share" else "10",
            "position": n,
        }
        for n, i in enumerate(CATALOGUE)
    ]
    # A period indicator counted again each year: its window is that year, not the term.
    targets.append(
        {
            "title": "Kết nạp mỗi năm",
            "indicator_key": "new_members",
            "kind": "every_year",
            "target_value": "2",
            "position": len(targets),
        }
    )
    return {
        "union_id": owner,
        "number": "99/Ctr",
        "title": "Mọi chỉ tiêu",
        "term_start": START.isoformat(),
        "planned_end": END.isoformat(),
        "targets": targets,
    }


async def _assert_equal_to_indicators(
    factory: Factory, headers: dict[str, str], pid: str, union_id: str, as_of: str
) -> int:
    """Every figure of the progress against the indicator endpoint; returns how many."""
    r = await factory.client.get(
        f"{API}/{pid}/progress", params={"as_of": as_of, "union_id": union_id}, headers=headers
    )
    assert r.status_code == 200, r.text
    progress = r.json()
    day = date.fromisoformat(as_of)
    checked = 0
    for t in progress["targets"]:
        timing = next(i.timing for i in CATALOGUE if i.key == t["indicator_key"])
        params: dict[str, str] = {"union_id": union_id, "group_by": "child"}
        if timing == Timing.PERIOD:
            first = START if t["kind"] != "every_year" else max(START, date(day.year, 1, 1))
            params |= {"from": first.isoformat(), "to": as_of}
        else:
            params |= {"as_of": as_of}
        v = await indicator(factory, headers, t["indicator_key"], **params)
        where = (t["title"], as_of, union_id)
        assert (t["numerator"], t["denominator"]) == (v["numerator"], v["denominator"]), where
        assert t["actual"] == v["value"], where
        groups = {g["key"]: (g["numerator"], g["denominator"]) for g in v["groups"]}
        for c in t["children"]:
            key = c["union_id"] or "self"
            expected = groups.get(key, (0, 0 if t["unit"] == "share" else None))
            assert (c["numerator"], c["denominator"]) == expected, (*where, c["name"])
            checked += 1
        assert {c["union_id"] or "self" for c in t["children"]} >= set(groups), where
        for point in t["trend"]:
            last = min(day, date(point["year"], 12, 31))
            if timing == Timing.PERIOD:
                first = max(START, date(point["year"], 1, 1))
                year_params = {"from": first.isoformat(), "to": last.isoformat()}
            else:
                year_params = {"as_of": last.isoformat()}
            y = await indicator(
                factory, headers, t["indicator_key"], union_id=union_id, **year_params
            )
            assert point["actual"] == y["value"], (*where, point["year"])
            checked += 1
        checked += 1
    return checked


async def test_progress_equals_each_indicator_on_the_hand_counted_province(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    r = await factory.client.post(API, json=_body(str(w.p.id)), headers=w.admin)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    checked = 0
    for union in (w.p, w.d2):
        for day in ("2020-12-31", "2022-12-31"):
            checked += await _assert_equal_to_indicators(factory, w.admin, pid, str(union.id), day)
    assert checked > 200
    # The figures are the hand count's (tests/indicators/test_hand_count.py), not just equal.
    r = await factory.client.get(
        f"{API}/{pid}/progress", params={"as_of": "2022-12-31"}, headers=w.admin
    )
    members = next(t for t in r.json()["targets"] if t["indicator_key"] == "members_total")
    assert members["numerator"] == 7
    assert [(p["year"], p["actual"]) for p in members["trend"]][:3] == [
        (2018, "2"),  # m1, m4
        (2019, "4"),  # + m2, m6
        (2020, "5"),  # + m3
    ]


async def test_members_from_the_counts_either_way(factory: Factory) -> None:
    """Members on a day more than `counts.FORWARD_BEFORE` ago add the deltas up to it; a later
    day takes today's totals less the deltas after it. Both are the hand count."""
    w = await build_province(factory, ratings=False)
    assert date.today() - FORWARD_BEFORE > date(2017, 12, 31)
    for day, expected in (("2016-12-31", 0), ("2017-12-31", 1), ("2022-12-31", 7)):
        v = await indicator(factory, w.admin, "members_total", union_id=str(w.p.id), as_of=day)
        assert v["numerator"] == expected, day
    v = await indicator(
        factory, w.admin, "members_total", union_id=str(w.d1.id), as_of="2017-12-31"
    )
    assert v["numerator"] == 1  # m4 in G2, under D1 then


async def test_progress_equals_each_indicator_on_the_hand_counted_cadres(
    factory: Factory,
) -> None:
    w = await build_cadres(factory)
    r = await factory.client.post(API, json=_body(str(w.province.id)), headers=w.headers)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    for day in (CADRES_BEFORE, CADRES_AFTER):
        await _assert_equal_to_indicators(factory, w.headers, pid, str(w.province.id), day)
    r = await factory.client.get(
        f"{API}/{pid}/progress", params={"as_of": CADRES_BEFORE}, headers=w.headers
    )
    trained = next(t for t in r.json()["targets"] if t["indicator_key"] == "cadres_trained")
    assert (trained["numerator"], trained["denominator"]) == (3, 5)
