"""The five training indicators of the catalogue on the hand-counted cadres of
tests/training/cadres.py: the same figures as the training domain's compliance, through the
indicator API, with child groups and the people behind each number.

Hand count (term from 2018-01-01; "FT" full-time):
  30/06/2023  cadres a b c d e; FT a b c; degree a b; postgrad a; district leaders a b c, with
              trung cấp a; union work since 2018 a c e.
              D1: a b d (FT a b; leaders a b); D2: c e (FT c; leader c).
  01/07/2024  cadres a b c d e f; FT a c f; degree a f; postgrad a f; district leaders a c f,
              with trung cấp a f; union work since 2018 a c e (b moved to G1, still in D1).
              D1: a b d (FT a); D2: c e f (FT c f; leaders c f).
  Spending 2023 (approved): D1 200/1000 M + G1 5/100 M under D1, G2 10/50 M under D2.
"""

from typing import Any

from tests.factories import Factory
from tests.indicators.helpers import groups, indicator
from tests.training.cadres import AFTER, BEFORE, M, build_cadres


def figures(value: dict[str, Any]) -> tuple[int, int | None, str | None]:
    return value["numerator"], value["denominator"], value["value"]


async def test_cadre_indicators_match_the_hand_count(factory: Factory) -> None:
    w = await build_cadres(factory)
    h, root = w.headers, str(w.province.id)

    async def value(key: str, **params: Any) -> dict[str, Any]:
        return await indicator(factory, h, key, union_id=root, group_by="child", **params)

    expected = {
        BEFORE: {
            "fulltime_cadres_degree": ((2, 3, "0.6667"), {"Cái Bè": (2, 2), "Cai Lậy": (0, 1)}),
            "fulltime_cadres_postgrad": ((1, 3, "0.3333"), {"Cái Bè": (1, 2), "Cai Lậy": (0, 1)}),
            "leaders_political_theory": ((1, 3, "0.3333"), {"Cái Bè": (1, 2), "Cai Lậy": (0, 1)}),
            "cadres_trained": ((3, 5, "0.6000"), {"Cái Bè": (1, 3), "Cai Lậy": (2, 2)}),
        },
        AFTER: {
            "fulltime_cadres_degree": ((2, 3, "0.6667"), {"Cái Bè": (1, 1), "Cai Lậy": (1, 2)}),
            "fulltime_cadres_postgrad": ((2, 3, "0.6667"), {"Cái Bè": (1, 1), "Cai Lậy": (1, 2)}),
            "leaders_political_theory": ((2, 3, "0.6667"), {"Cái Bè": (1, 1), "Cai Lậy": (1, 2)}),
            "cadres_trained": ((3, 6, "0.5000"), {"Cái Bè": (1, 3), "Cai Lậy": (2, 3)}),
        },
    }
    for day, keys in expected.items():
        for key, (total, children) in keys.items():
            # The union-work period runs from the term's start (2018) to the day.
            v = await value(key, as_of=day, to=day, **{"from": "2018-01-01"})
            assert figures(v) == total, (day, key)
            named = {k.removeprefix("LĐLĐ huyện "): n for k, n in groups(v).items()}
            assert named == children, (day, key)

    # cadres_trained's period starts by default with the congress term of its last day:
    # 30/06/2023 is in the 2018 term, 01/07/2024 in the term of 01/07/2023 (nobody trained since).
    v = await indicator(factory, h, "cadres_trained", union_id=root, to=BEFORE)
    assert (v["period_from"], figures(v)) == ("2018-01-01", (3, 5, "0.6000"))
    v = await indicator(factory, h, "cadres_trained", union_id=root, to=AFTER)
    assert (v["period_from"], figures(v)) == ("2023-07-01", (0, 6, "0.0000"))

    # Spending: the approved rows of 2023 only (D2's submitted figure is not counted).
    v = await value("training_spend_share", as_of="2023-12-31")
    assert (v["year"], figures(v)) == (2023, (215 * M, 1150 * M, "0.1870"))
    assert {k.removeprefix("LĐLĐ huyện "): n for k, n in groups(v).items()} == {
        "Cái Bè": (205 * M, 1100 * M),
        "Cai Lậy": (10 * M, 50 * M),
    }
    v = await value("training_spend_share", as_of="2022-12-31")
    assert figures(v) == (0, 0, None)


async def test_the_people_behind_a_cadre_indicator(factory: Factory) -> None:
    w = await build_cadres(factory)
    h = w.headers
    url = "/api/v1/indicators/leaders_political_theory/records"
    params = {"union_id": str(w.province.id), "as_of": BEFORE}
    r = await factory.client.get(url, params={**params, "in_numerator": "false"}, headers=h)
    assert r.status_code == 200, r.text
    assert [(i["label"], i["numerator"], i["denominator"]) for i in r.json()["items"]] == [
        ("Bình B", 0, 1),
        ("Cường C", 0, 1),
    ]
    r = await factory.client.get(
        url, params={**params, "as_of": AFTER, "child_id": str(w.d2.id)}, headers=h
    )
    assert [(i["label"], i["numerator"]) for i in r.json()["items"]] == [
        ("Cường C", 0),
        ("Phúc F", 1),
    ]
    # Trained in the term: every cadre on the day, marked in or out of the numerator.
    r = await factory.client.get(
        "/api/v1/indicators/cadres_trained/records",
        params={**params, "to": AFTER, "as_of": AFTER, "from": "2018-01-01"},
        headers=h,
    )
    assert {i["label"]: i["numerator"] for i in r.json()["items"]} == {
        "Anh A": 1,
        "Bình B": 0,
        "Cường C": 1,
        "Dũng D": 0,
        "Em E": 1,
        "Phúc F": 0,
    }
    # The spending rows behind the share, with their figures.
    r = await factory.client.get(
        "/api/v1/indicators/training_spend_share/records",
        params={"union_id": str(w.province.id), "as_of": "2023-12-31"},
        headers=h,
    )
    rows = [(i["kind"], i["label"], i["numerator"], i["denominator"]) for i in r.json()["items"]]
    assert rows == [
        ("spending", "CĐCS Công ty A", 5 * M, 100 * M),
        ("spending", "CĐCS Công ty B", 10 * M, 50 * M),
        ("spending", "LĐLĐ huyện Cái Bè", 200 * M, 1000 * M),
    ]


async def test_a_district_sees_its_own_cadres_only(factory: Factory) -> None:
    w = await build_cadres(factory)
    district = await factory.headers_for("union_officer", w.d1)
    v = await indicator(factory, district, "cadres_trained", to=BEFORE)
    assert (v["union_id"], figures(v)) == (str(w.d1.id), (1, 3, "0.3333"))
    r = await factory.client.get(
        "/api/v1/indicators/fulltime_cadres_degree",
        params={"union_id": str(w.d2.id)},
        headers=district,
    )
    assert r.status_code == 404


async def test_cadre_groups_by_gender_are_their_records(factory: Factory) -> None:
    """The person's gender is read only when asked for (an outer join the database drops
    otherwise, issue 12): a group by gender is the sum of the records behind the value with
    that gender, and the groups add up to the value."""
    w = await build_cadres(factory)
    h, root = w.headers, str(w.province.id)
    for key in ("fulltime_cadres_degree", "leaders_political_theory", "cadres_trained"):
        for day in (BEFORE, AFTER):
            params = {"union_id": root, "as_of": day, "to": day, "from": "2018-01-01"}
            r = await factory.client.get(
                f"/api/v1/indicators/{key}/records", params={**params, "size": 100}, headers=h
            )
            assert r.status_code == 200, r.text
            records = r.json()["items"]
            assert records, (key, day)
            total = await indicator(factory, h, key, **params)
            v = await indicator(factory, h, key, group_by="gender", **params)
            expected: dict[str, tuple[int, int]] = {}
            for rec in records:
                num, den = expected.get(rec["gender"], (0, 0))
                expected[rec["gender"]] = (num + rec["numerator"], den + rec["denominator"])
            got = {g["key"]: (g["numerator"], g["denominator"]) for g in v["groups"]}
            assert got == expected, (key, day)
            assert figures(v) == figures(total), (key, day)
