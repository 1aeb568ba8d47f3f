"""The five cadre indicators on hand-computed data, on a day before and a day after a cadre
changes post (b leaves the district's vice-chair post at the end of 2023 and chairs a
grassroots union from 2024; f becomes a district vice chair in June 2024).

    a  chair D1, full-time, 2019-: master; trung cấp; union work basic 2019-06-01
    b  vice chair D1, full-time, 2019-2023, then chair G1, part-time, 2024-: university;
       sơ cấp; no union work
    c  chair D2, full-time, 2018-06-01-: college; cao cấp by a confirmation of 2022 (does
       not count); union work advanced 2020-05-01
    d  executive member G1, part-time, 2019-: union work basic 2017 (before the term)
    e  chair G2, part-time, 2020-: union work basic 2021-03-01 (a confirmation: counts)
    f  vice chair D2, full-time, 2024-06-01-: doctorate; cử nhân chính trị

Approved spending 2023: D1 200/1000 M, G1 5/100 M, G2 10/50 M; D2's 50/500 M is only submitted.
"""

from datetime import date
from typing import Any

from tests.factories import Factory
from tests.training.helpers import call, member, qualifications_url
from unionhub.training.models import Spending

M = 1_000_000
BEFORE = "2023-06-30"
AFTER = "2024-07-01"
URL = "/api/v1/training/compliance"


async def _post(
    factory: Factory, h: dict[str, str], person: dict[str, Any], union: Any, post: str, **extra: Any
) -> None:
    body = {"union_id": str(union.id), "post": post, **extra}
    await call(factory, "POST", f"/api/v1/members/{person['id']}/cadre-posts", h, body, 201)


async def _qual(
    factory: Factory, h: dict[str, str], person: dict[str, Any], kind: str, level: str, **extra: Any
) -> None:
    body = {"kind": kind, "level": level, **extra}
    await call(factory, "POST", qualifications_url(person["id"]), h, body, 201)


def _figures(indicators: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {i["code"]: (i["numerator"], i["denominator"]) for i in indicators}


async def test_five_indicators_before_and_after_a_change_of_post(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh")
    d1 = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    d2 = await factory.union(province, name="LĐLĐ huyện Cai Lậy")
    g1 = await factory.union(d1, name="CĐCS Công ty A")
    g2 = await factory.union(d2, name="CĐCS Công ty B")
    h = await factory.headers_for("federation_officer", province)
    a, b, d = [await member(factory, h, g1, name=n) for n in ("Anh A", "Bình B", "Dũng D")]
    c, e, f = [await member(factory, h, g2, name=n) for n in ("Cường C", "Em E", "Phúc F")]

    await _post(factory, h, a, d1, "chair", full_time=True, from_date="2019-01-01")
    await _post(
        factory,
        h,
        b,
        d1,
        "vice_chair",
        full_time=True,
        from_date="2019-01-01",
        to_date="2023-12-31",
    )
    await _post(factory, h, b, g1, "chair", from_date="2024-01-01")
    await _post(factory, h, c, d2, "chair", full_time=True, from_date="2018-06-01")
    await _post(factory, h, d, g1, "executive_member", from_date="2019-01-01")
    await _post(factory, h, e, g2, "chair", from_date="2020-01-01")
    await _post(factory, h, f, d2, "vice_chair", full_time=True, from_date="2024-06-01")

    await _qual(factory, h, a, "professional", "master", issued_on="2010-06-01")
    await _qual(factory, h, a, "political_theory", "trung_cap", issued_on="2015-06-01")
    await _qual(factory, h, a, "union_work", "basic", issued_on="2019-06-01")
    await _qual(factory, h, b, "professional", "university", issued_on="2008-06-01")
    await _qual(factory, h, b, "political_theory", "so_cap", issued_on="2012-06-01")
    await _qual(factory, h, c, "professional", "college", issued_on="2005-06-01")
    await _qual(
        factory,
        h,
        c,
        "political_theory",
        "cao_cap",
        evidence="confirmation",
        issued_on="2022-03-01",
    )
    await _qual(factory, h, c, "union_work", "advanced", issued_on="2020-05-01")
    await _qual(factory, h, d, "union_work", "basic", issued_on="2017-05-01")
    await _qual(
        factory, h, e, "union_work", "basic", evidence="confirmation", issued_on="2021-03-01"
    )
    await _qual(factory, h, f, "professional", "doctorate", issued_on="2015-06-01")
    await _qual(factory, h, f, "political_theory", "cu_nhan", issued_on="2016-06-01")

    for union, training, total, status in (
        (d1, 200, 1000, "approved"),
        (g1, 5, 100, "approved"),
        (g2, 10, 50, "approved"),
        (d2, 50, 500, "submitted"),
    ):
        factory.db.add(
            Spending(
                union_id=union.id,
                year=2023,
                total_spend=total * M,
                training_spend=training * M,
                source="Báo cáo quyết toán 2023",
                status=status,
                version=1,
            )
        )
    await factory.db.flush()

    params = {"union_id": str(province.id), "term_start": "2018-01-01", "year": 2023}
    r = await factory.client.get(URL, params={**params, "as_of": BEFORE}, headers=h)
    assert r.status_code == 200, r.text
    before = r.json()
    assert _figures(before["total"]) == {
        "full_time_degree": (2, 3),
        "full_time_postgraduate": (1, 3),
        "leader_political_theory": (1, 3),
        "cadres_union_work": (3, 5),
        "training_spend": (215 * M, 1150 * M),
    }
    shares = {i["code"]: i["share"] for i in before["total"]}
    assert shares["training_spend"] == "0.1870" and shares["full_time_degree"] == "0.6667"
    met = {i["code"]: i["met"] for i in before["total"]}
    assert met["training_spend"] is True and met["full_time_degree"] is False
    children = {c["union_name"]: _figures(c["indicators"]) for c in before["children"]}
    assert children == {
        "LĐLĐ huyện Cai Lậy": {
            "full_time_degree": (0, 1),
            "full_time_postgraduate": (0, 1),
            "leader_political_theory": (0, 1),
            "cadres_union_work": (2, 2),
            "training_spend": (10 * M, 50 * M),
        },
        "LĐLĐ huyện Cái Bè": {
            "full_time_degree": (2, 2),
            "full_time_postgraduate": (1, 2),
            "leader_political_theory": (1, 2),
            "cadres_union_work": (1, 3),
            "training_spend": (205 * M, 1100 * M),
        },
    }

    r = await factory.client.get(URL, params={**params, "as_of": AFTER}, headers=h)
    after = r.json()
    assert _figures(after["total"]) == {
        "full_time_degree": (2, 3),
        "full_time_postgraduate": (2, 3),
        "leader_political_theory": (2, 3),
        "cadres_union_work": (3, 6),
        "training_spend": (215 * M, 1150 * M),
    }
    children = {c["union_name"]: _figures(c["indicators"]) for c in after["children"]}
    assert children["LĐLĐ huyện Cái Bè"] == {
        "full_time_degree": (1, 1),
        "full_time_postgraduate": (1, 1),
        "leader_political_theory": (1, 1),
        "cadres_union_work": (1, 3),
        "training_spend": (205 * M, 1100 * M),
    }
    assert children["LĐLĐ huyện Cai Lậy"] == {
        "full_time_degree": (1, 2),
        "full_time_postgraduate": (1, 2),
        "leader_political_theory": (1, 2),
        "cadres_union_work": (2, 3),
        "training_spend": (10 * M, 50 * M),
    }

    # The people behind an indicator: the leaders without intermediate political theory.
    r = await factory.client.get(
        f"{URL}/people",
        params={
            **params,
            "as_of": BEFORE,
            "indicator": "leader_political_theory",
            "counted": "false",
        },
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert [p["full_name"] for p in r.json()["items"]] == ["Bình B", "Cường C"]
    r = await factory.client.get(
        f"{URL}/people",
        params={**params, "as_of": AFTER, "indicator": "cadres_union_work"},
        headers=h,
    )
    people = {p["full_name"]: p["counted"] for p in r.json()["items"]}
    assert people == {
        "Anh A": True,
        "Bình B": False,
        "Cường C": True,
        "Dũng D": False,
        "Em E": True,
        "Phúc F": False,
    }

    # A district sees its own subtree only; the default term starts with the term of the day.
    district = await factory.headers_for("union_officer", d1)
    r = await factory.client.get(URL, params={"as_of": BEFORE, "year": 2023}, headers=district)
    own = r.json()
    assert own["union_id"] == str(d1.id) and own["term_start"] == "2018-01-01"
    assert _figures(own["total"])["cadres_union_work"] == (1, 3)
    assert (
        await factory.client.get(URL, params={"union_id": str(d2.id)}, headers=district)
    ).status_code == 404
    assert date.fromisoformat(AFTER) > date(2023, 7, 1)
    r = await factory.client.get(URL, params={"as_of": AFTER}, headers=district)
    assert r.json()["term_start"] == "2023-07-01"
