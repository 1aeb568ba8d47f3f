"""A small province counted by hand, for the indicator and programme tests.

    P  LĐLĐ tỉnh (state)
      D1 LĐLĐ Mỹ Tho (state) -- merged into D2 on 01/07/2021 (decision 9/QĐ)
        G1 CĐCS Công ty E1 (non-state)     E1 non-state, 40 workers (2019), 50 (2022)
        G2 CĐCS Công ty E2 (state)         E2 state-owned, 10 workers (2019)
      D2 LĐLĐ Cái Bè (state)
        G3 CĐCS Công ty E3 (non-state), founded 01/03/2019   E3 30 workers (2018)
        G4 CĐCS Công ty E4 (non-state), founded 01/02/2022   E4 25 workers (2020)
      E5 non-state, 19 workers, responsible D2, no union
      E6 FDI, 100 workers, responsible D1, no union

Members (admission):
    G1 m1 male 01/05/2018, m2 female 01/02/2019, m3 female 01/06/2020 (left 01/03/2021,
       rejoined 01/08/2021)
    G2 m4 male 01/01/2017, m5 female 01/09/2021
    G3 m6 male 01/04/2019, m7 female 10/01/2022

2020 ratings (2019 scheme): D1 excellent, D2 complete, G1 good, G2 incomplete, G3 excellent.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tests.enterprises.helpers import fresh_tax_code
from tests.evaluations.helpers import evaluations_of, open_round, rate, scheme_id, sheet
from tests.factories import Factory
from tests.members.helpers import act, admit
from unionhub.enterprises.models import Enterprise, WorkerSurvey
from unionhub.unions.models import Union


@dataclass
class Province:
    p: Union
    d1: Union
    d2: Union
    g1: Union
    g2: Union
    g3: Union
    g4: Union
    admin: dict[str, str]
    members: dict[str, str]
    enterprises: dict[str, str]


async def _enterprise(
    factory: Factory, name: str, ownership: str, responsible: Union, surveys: list[tuple[date, int]]
) -> Enterprise:
    e = Enterprise(
        tax_code=fresh_tax_code(),
        name=name,
        ownership=ownership,
        responsible_union_id=responsible.id,
        search_text=name.lower(),
        total_workers=surveys[-1][1],
        female_workers=0,
        surveyed_on=surveys[-1][0],
        version=1,
    )
    factory.db.add(e)
    await factory.db.flush()
    for on, total in surveys:
        factory.db.add(
            WorkerSurvey(enterprise_id=e.id, surveyed_on=on, total_workers=total, female_workers=0)
        )
    await factory.db.flush()
    return e


async def build_province(factory: Factory, *, ratings: bool = True) -> Province:
    p = await factory.union(name="LĐLĐ tỉnh thử", sector="state")
    d1 = await factory.union(p, name="LĐLĐ Mỹ Tho", sector="state")
    d2 = await factory.union(p, name="LĐLĐ Cái Bè", sector="state")
    e1 = await _enterprise(
        factory,
        "Công ty E1",
        "non_state_domestic",
        d1,
        [(date(2019, 1, 1), 40), (date(2022, 1, 1), 50)],
    )
    e2 = await _enterprise(factory, "Công ty E2", "state", d1, [(date(2019, 1, 1), 10)])
    e3 = await _enterprise(
        factory, "Công ty E3", "non_state_domestic", d2, [(date(2018, 6, 1), 30)]
    )
    e4 = await _enterprise(factory, "Công ty E4", "fdi", d2, [(date(2020, 1, 1), 25)])
    e5 = await _enterprise(
        factory, "Công ty E5", "non_state_domestic", d2, [(date(2019, 1, 1), 19)]
    )
    e6 = await _enterprise(factory, "Công ty E6", "fdi", d1, [(date(2019, 1, 1), 100)])
    g1 = await factory.union(
        d1, name="CĐCS Công ty E1", enterprise_id=e1.id, founded_on=date(2016, 1, 1)
    )
    g2 = await factory.union(
        d1, name="CĐCS Công ty E2", sector="state", enterprise_id=e2.id, founded_on=date(2016, 1, 1)
    )
    g3 = await factory.union(
        d2, name="CĐCS Công ty E3", enterprise_id=e3.id, founded_on=date(2019, 3, 1)
    )
    g4 = await factory.union(
        d2, name="CĐCS Công ty E4", enterprise_id=e4.id, founded_on=date(2022, 2, 1)
    )
    admin = await factory.headers_for("admin", p)

    people: dict[str, tuple[Union, str, str]] = {
        "m1": (g1, "male", "2018-05-01"),
        "m2": (g1, "female", "2019-02-01"),
        "m3": (g1, "female", "2020-06-01"),
        "m4": (g2, "male", "2017-01-01"),
        "m5": (g2, "female", "2021-09-01"),
        "m6": (g3, "male", "2019-04-01"),
        "m7": (g3, "female", "2022-01-10"),
    }
    members: dict[str, str] = {}
    for name, (union, gender, admitted) in people.items():
        m = await admit(
            factory,
            admin,
            union,
            full_name=f"Đoàn viên {name}",
            gender=gender,
            admission_date=admitted,
        )
        members[name] = m["id"]
    r = await act(factory, admin, members["m3"], "leave", "2021-03-01", reason="Nghỉ việc")
    assert r.status_code == 200, r.text
    r = await act(factory, admin, members["m3"], "rejoin", "2021-08-01")
    assert r.status_code == 200, r.text

    if ratings:
        scheme = (
            await factory.client.get(
                f"/api/v1/evaluation-schemes/{await scheme_id(factory, 'HD1294-TLD-2019')}",
                headers=admin,
            )
        ).json()
        round_ = await open_round(factory, admin, 2020, scheme["id"], p)
        evals = await evaluations_of(factory, admin, round_["id"])
        results: dict[str, tuple[str, str, str]] = {
            d1.code: ("upper_level", "0.95", "excellent"),
            d2.code: ("upper_level", "0.6", "complete"),
            g1.code: ("non_state", "0.8", "good"),
            g2.code: ("state", "0.4", "incomplete"),
            g3.code: ("non_state", "0.95", "excellent"),
        }
        for code, (variant, share, level) in results.items():
            rated = await rate(
                factory, admin, admin, evals[code]["id"], sheet(scheme, variant, Decimal(share))
            )
            assert rated["level"] == level, code

    r = await factory.client.post(
        f"/api/v1/unions/{d1.id}/merge",
        json={"target_id": str(d2.id), "effective_date": "2021-07-01", "decision_no": "9/QĐ"},
        headers={**admin, "If-Match": f'"{d1.version}"'},
    )
    assert r.status_code == 200, r.text
    return Province(
        p,
        d1,
        d2,
        g1,
        g2,
        g3,
        g4,
        admin,
        members,
        {
            n: str(e.id)
            for n, e in zip(
                ("e1", "e2", "e3", "e4", "e5", "e6"), (e1, e2, e3, e4, e5, e6), strict=True
            )
        },
    )


async def indicator(
    factory: Factory, headers: dict[str, str], key: str, **params: Any
) -> dict[str, Any]:
    r = await factory.client.get(f"/api/v1/indicators/{key}", params=params, headers=headers)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def groups(value: dict[str, Any]) -> dict[str, tuple[int, int | None]]:
    return {g["name"]: (g["numerator"], g["denominator"]) for g in value["groups"]}
