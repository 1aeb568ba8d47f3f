"""Cadres, qualifications and spending counted by hand, for the training compliance and the
programme indicator tests: on a day before and a day after a cadre
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

from dataclasses import dataclass, field
from typing import Any

from tests.factories import Factory
from tests.training.helpers import call, member, qualifications_url
from unionhub.training.models import Spending
from unionhub.unions.models import Union

M = 1_000_000
BEFORE = "2023-06-30"
AFTER = "2024-07-01"


@dataclass
class Cadres:
    province: Union
    d1: Union
    d2: Union
    g1: Union
    g2: Union
    headers: dict[str, str]
    # The members a to f by letter.
    people: dict[str, dict[str, Any]] = field(default_factory=dict)


async def post(
    factory: Factory, h: dict[str, str], person: dict[str, Any], union: Any, post: str, **extra: Any
) -> None:
    body = {"union_id": str(union.id), "post": post, **extra}
    await call(factory, "POST", f"/api/v1/members/{person['id']}/cadre-posts", h, body, 201)


async def _qual(
    factory: Factory, h: dict[str, str], person: dict[str, Any], kind: str, level: str, **extra: Any
) -> None:
    body = {"kind": kind, "level": level, **extra}
    await call(factory, "POST", qualifications_url(person["id"]), h, body, 201)


async def build_cadres(factory: Factory) -> Cadres:
    province = await factory.union(name="LĐLĐ tỉnh")
    d1 = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    d2 = await factory.union(province, name="LĐLĐ huyện Cai Lậy")
    g1 = await factory.union(d1, name="CĐCS Công ty A")
    g2 = await factory.union(d2, name="CĐCS Công ty B")
    h = await factory.headers_for("federation_officer", province)
    a, b, d = [await member(factory, h, g1, name=n) for n in ("Anh A", "Bình B", "Dũng D")]
    c, e, f = [await member(factory, h, g2, name=n) for n in ("Cường C", "Em E", "Phúc F")]
    await post(factory, h, a, d1, "chair", full_time=True, from_date="2019-01-01")
    await post(
        factory,
        h,
        b,
        d1,
        "vice_chair",
        full_time=True,
        from_date="2019-01-01",
        to_date="2023-12-31",
    )
    await post(factory, h, b, g1, "chair", from_date="2024-01-01")
    await post(factory, h, c, d2, "chair", full_time=True, from_date="2018-06-01")
    await post(factory, h, d, g1, "executive_member", from_date="2019-01-01")
    await post(factory, h, e, g2, "chair", from_date="2020-01-01")
    await post(factory, h, f, d2, "vice_chair", full_time=True, from_date="2024-06-01")
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
    people = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}
    return Cadres(province, d1, d2, g1, g2, h, people)
