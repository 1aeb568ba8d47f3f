"""What the records answer: suggested scores for indicators that name a source (membership
coverage, new members, unions founded under an upper-level union) and hard conditions of kind
`data_below` ("fewer than 70% of the workers are members"), which take the place of the answer
entered wherever the records can say, and are answered by hand where they cannot."""

from datetime import date
from decimal import Decimal
from typing import Any

from tests.evaluations.helpers import (
    act,
    detail,
    evaluations_of,
    open_round,
    patch,
    sheet,
    surveyed_enterprise,
)
from tests.evaluations.test_new_scheme import scheme_2025
from tests.factories import Factory

SCHEMES = "/api/v1/evaluation-schemes"


def _indicator(code: str, points: int, **source: Any) -> dict[str, Any]:
    return {"code": code, "name": f"Chỉ tiêu {code}", "max_points": points, **source}


def provincial_scheme() -> dict[str, Any]:
    """The 2025-shaped scheme (levels and bands 90 / 70 / 50) with a hard condition answered
    from the records and indicators that name a source."""
    coverage = {"source": "membership_coverage", "source_target": 0.9}
    body = scheme_2025()
    body.update(
        code="LDLD-TINH-2025",
        name="Xếp loại công đoàn cơ sở theo hướng dẫn của LĐLĐ tỉnh",
        legal_basis="Hướng dẫn của Ban Thường vụ LĐLĐ tỉnh (mô phỏng)",
    )
    d = body["definition"]
    del d["quota"]
    d["conditions"] = [
        {
            "code": "coverage_below_70",
            "name": "Dưới 70% người lao động là đoàn viên",
            "kind": "data_below",
            "source": "membership_coverage",
            "threshold": 0.7,
            "cap_level": "complete",
        }
    ]
    d["variants"] = [
        {
            "applies_to": "default",
            "name": "Công đoàn cơ sở",
            "groups": [
                {"code": "A", "name": "Đại diện, chăm lo", "indicators": [_indicator("A1", 60)]},
                {
                    "code": "B",
                    "name": "Xây dựng tổ chức",
                    "indicators": [
                        _indicator("B1", 30, **coverage),
                        _indicator("B2", 10, source="new_members", source_target=4),
                    ],
                },
            ],
        },
        {
            "applies_to": "upper_level",
            "name": "Công đoàn cấp trên trực tiếp cơ sở",
            "groups": [
                {"code": "A", "name": "Chỉ đạo cơ sở", "indicators": [_indicator("A1", 80)]},
                {
                    "code": "B",
                    "name": "Thành lập công đoàn cơ sở",
                    "indicators": [_indicator("B1", 20, source="unions_founded", source_target=4)],
                },
            ],
        },
    ]
    return body


async def _admit(factory: Factory, headers: dict[str, str], union: Any, n: int) -> None:
    for i in range(n):
        r = await factory.client.post(
            "/api/v1/members",
            json={
                "full_name": f"Trần Văn Dữ Liệu {union.code} {i}",
                "date_of_birth": "1991-02-03",
                "gender": "male",
                "personal_id": f"08209100{i:04d}",
                "union_id": str(union.id),
                "admission_date": "2025-04-01",
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text


async def test_records_suggest_scores_and_answer_the_coverage_condition(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, code="D-REC", sector="state")
    enterprise = await surveyed_enterprise(
        factory, district, "0100109107", "Công ty Dệt Dữ Liệu", {date(2025, 6, 1): 10}
    )
    firm = await factory.union(
        district, code="G-REC", founded_on=date(2019, 1, 1), enterprise_id=enterprise.id
    )
    # No enterprise: the records cannot say what share of the workers are members.
    guild = await factory.union(district, code="G-NOS", founded_on=date(2019, 1, 1))
    # Founded in the year under the district: they count for its founding indicator.
    for code in ("G-NEW1", "G-NEW2"):
        await factory.union(district, code=code, founded_on=date(2025, 3, 1))
    admin = await factory.headers_for("admin", province)
    await _admit(factory, admin, firm, 5)

    r = await factory.client.post(SCHEMES, json=provincial_scheme(), headers=admin)
    assert r.status_code == 201, r.text
    scheme = r.json()
    round_ = await open_round(factory, admin, 2025, scheme["id"], province)
    evals = await evaluations_of(factory, admin, round_["id"])

    # The firm: 5 members of 10 workers.
    firm_detail = await detail(factory, admin, evals["G-REC"]["id"])
    suggested = {s["indicator"]: s for s in firm_detail["suggestions"]}
    assert suggested["B1"]["value"] == "0.5000"
    assert suggested["B1"]["suggested_points"] == "16.67"  # 30 * 0.5 / 0.9
    assert suggested["B1"]["facts"] == {"members": 5, "workers": 10, "surveyed_on": "2025-06-01"}
    assert suggested["B2"]["value"] == "5.0000"
    assert suggested["B2"]["suggested_points"] == "10.00"  # above the target of 4: all points
    (answer,) = firm_detail["condition_answers"]
    assert (answer["condition"], answer["holds"], answer["value"]) == (
        "coverage_below_70",
        True,
        "0.5000",
    )
    # Full points and "no" entered for the condition: the records' answer caps the level.
    full = sheet(scheme, "default", Decimal(1))
    scored = await patch(
        factory,
        admin,
        evals["G-REC"]["id"],
        {"self_scores": full, "self_flags": {"coverage_below_70": False}},
    )
    assert scored["self_rating"]["band_level"] == "excellent"
    assert scored["self_rating"]["caps"] == {"coverage_below_70": "complete"}
    assert scored["self_rating"]["level"] == "complete"
    # Submitting keeps the records' answer in the sheet; approval rates with it.
    submitted = await act(factory, admin, evals["G-REC"]["id"], "submit")
    assert submitted["self_flags"] == {"coverage_below_70": True}
    await patch(factory, admin, evals["G-REC"]["id"], {"appraisal_scores": full})
    approved = await act(factory, admin, evals["G-REC"]["id"], "approve")
    assert (approved["level"], approved["strong"]) == ("complete", False)
    assert approved["appraisal_flags"] == {"coverage_below_70": True}

    # The guild: no survey, so no answer from the records; the answers entered decide.
    guild_detail = await detail(factory, admin, evals["G-NOS"]["id"])
    (answer,) = guild_detail["condition_answers"]
    assert answer["holds"] is None and answer["value"] is None
    suggested = {s["indicator"]: s for s in guild_detail["suggestions"]}
    assert suggested["B1"]["suggested_points"] is None
    assert suggested["B1"]["facts"] == {"members": 0, "on": "2025-12-31"}
    not_held = await patch(factory, admin, evals["G-NOS"]["id"], {"self_scores": full})
    assert not_held["self_rating"]["level"] == "excellent"
    held = await patch(
        factory, admin, evals["G-NOS"]["id"], {"self_flags": {"coverage_below_70": True}}
    )
    assert held["self_rating"]["level"] == "complete"
    assert guild.id

    # The district, rated as an upper-level unit: two unions founded under it in 2025.
    district_detail = await detail(factory, admin, evals["D-REC"]["id"])
    (founded,) = district_detail["suggestions"]
    assert (founded["indicator"], founded["source"]) == ("B1", "unions_founded")
    assert founded["value"] == "2.0000" and founded["suggested_points"] == "10.00"
    assert founded["facts"] == {"count": 2, "from": "2025-01-01", "to": "2025-12-31"}
    # The new unions themselves are listed, not rated (founded less than 12 months before).
    assert evals["G-NEW1"]["status"] == "ineligible"


async def test_a_data_condition_needs_its_source_and_threshold(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    admin = await factory.headers_for("admin", province)
    body = provincial_scheme()
    del body["definition"]["conditions"][0]["threshold"]
    r = await factory.client.post(SCHEMES, json=body, headers=admin)
    assert r.status_code == 422, r.text
    body = provincial_scheme()
    body["definition"]["conditions"][0]["kind"] = "flag"
    r = await factory.client.post(SCHEMES, json=body, headers=admin)
    assert r.status_code == 422, r.text
