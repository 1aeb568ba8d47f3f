"""Which levels count as "vững mạnh" is the provincial federation's decision, kept on its
programme per scheme code: the evaluations summary and the programme's "strong" indicators
follow it (a scheme not named keeps its own mapping), and the summary is measured against the
programme's targets."""

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.evaluations.helpers import evaluations_of, open_round, rate, scheme_id, sheet
from tests.factories import Factory
from unionhub.core.audit import AuditEntry

API = "/api/v1/programmes"
SUMMARY = "/api/v1/evaluations/summary"
SCHEME_2019 = "HD1294-TLD-2019"


def programme(union_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "union_id": union_id,
        "number": "07/Ctr-LĐLĐ",
        "title": "Xây dựng công đoàn cơ sở vững mạnh nhiệm kỳ 2023-2028",
        "term_start": "2023-01-01",
        "planned_end": "2028-12-31",
        "targets": [
            {
                "title": "90% công đoàn khu vực nhà nước vững mạnh",
                "indicator_key": "cdcs_strong_state",
                "kind": "every_year",
                "target_value": "0.9",
            }
        ],
        **extra,
    }


async def test_the_programme_decides_which_levels_count_as_strong(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, sector="state")
    units = [await factory.union(district, code=f"S-{n}", sector="state") for n in range(3)]
    admin = await factory.headers_for("admin", province)
    r = await factory.client.get(
        f"/api/v1/evaluation-schemes/{await scheme_id(factory, SCHEME_2019)}", headers=admin
    )
    scheme = r.json()
    round_ = await open_round(factory, admin, 2023, scheme["id"], district)
    evals = await evaluations_of(factory, admin, round_["id"])
    # 95 points: excellent; 80: good; 60: complete.
    for unit, share in zip(units, ("0.95", "0.8", "0.6"), strict=True):
        await rate(
            factory, admin, admin, evals[unit.code]["id"], sheet(scheme, "state", Decimal(share))
        )

    async def figures() -> dict[str, Any]:
        r = await factory.client.get(
            SUMMARY, params={"year": 2023, "union_id": str(province.id)}, headers=admin
        )
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    # No programme: the scheme's own mapping (excellent and good), the programme 05 targets.
    before = await figures()
    assert (before["state"]["strong"], before["state"]["strong_share"]) == (2, "0.6667")
    assert before["programme"] is None and before["targets"]["state"] == "0.95"

    # A level the scheme does not have, or a scheme that does not exist: refused.
    bad = programme(str(province.id), strong_levels={SCHEME_2019: ["excellent", "outstanding"]})
    r = await factory.client.post(API, json=bad, headers=admin)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["code"] == "unknown_scheme_level"
    bad = programme(str(province.id), strong_levels={"NO-SUCH": ["excellent"]})
    r = await factory.client.post(API, json=bad, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "scheme_not_found"

    # The federation decides that only "excellent" counts, in its 2023-2028 programme.
    body = programme(str(province.id), strong_levels={SCHEME_2019: ["excellent"]})
    r = await factory.client.post(API, json=body, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["strong_levels"] == {SCHEME_2019: ["excellent"]}
    after = await figures()
    assert (after["state"]["strong"], after["state"]["strong_share"]) == (1, "0.3333")
    assert after["programme"]["id"] == created["id"]
    assert after["targets"]["state"] == "0.9000"
    # Read for the district, the programme of the union above applies all the same.
    r = await factory.client.get(
        SUMMARY, params={"year": 2023, "union_id": str(district.id)}, headers=admin
    )
    assert r.json()["state"]["strong"] == 1 and r.json()["programme"]["id"] == created["id"]
    # Before the programme's term, the scheme's own mapping.
    years = await factory.client.get(
        f"{SUMMARY}/years",
        params={"from_year": 2022, "to_year": 2023, "union_id": str(province.id)},
        headers=admin,
    )
    assert years.status_code == 200, years.text
    by_year = {y["year"]: y for y in years.json()["years"]}
    assert by_year[2022]["programme"] is None
    assert by_year[2023]["programme"]["id"] == created["id"]
    assert by_year[2023]["state"]["strong"] == 1

    # The programme's indicator counts the same.
    r = await factory.client.get(
        f"{API}/{created['id']}/progress", params={"as_of": "2023-12-31"}, headers=admin
    )
    assert r.status_code == 200, r.text
    (target,) = r.json()["targets"]
    assert (target["numerator"], target["denominator"]) == (1, 3)

    # Changing the decision is an audited edit of the programme.
    r = await factory.client.patch(
        f"{API}/{created['id']}",
        json={"strong_levels": {SCHEME_2019: ["excellent", "good", "complete"]}},
        headers={**admin, "If-Match": f'"{created["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert (await figures())["state"]["strong"] == 3
    entry = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.action == "programme.update")
    )
    assert entry is not None
    assert entry.before["strong_levels"] == {SCHEME_2019: ["excellent"]}
    assert entry.after["strong_levels"][SCHEME_2019] == ["excellent", "good", "complete"]
