"""A third scheme, shaped like the 2025 100-point rule (bands 90 / 70 / 50, a hard condition,
a 20% cap on "excellent"), is added by an administrator through the API and rated end to end
with no code change."""

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.evaluations.helpers import act, evaluations_of, open_round, patch, rate, sheet
from tests.factories import Factory

SCHEMES = "/api/v1/evaluation-schemes"


def scheme_2025() -> dict[str, Any]:
    return {
        "code": "QD366-2025",
        "name": "Đánh giá, xếp loại chất lượng tập thể (thang 100 điểm)",
        "legal_basis": "Theo Quy định 366-QĐ/TW ngày 30/8/2025 (mô phỏng)",
        "effective_from": "2025-01-01",
        "definition": {
            "max_points": 100,
            "levels": [
                {"code": "excellent", "name": "Hoàn thành xuất sắc nhiệm vụ"},
                {"code": "good", "name": "Hoàn thành tốt nhiệm vụ"},
                {"code": "complete", "name": "Hoàn thành nhiệm vụ"},
                {"code": "incomplete", "name": "Không hoàn thành nhiệm vụ"},
            ],
            "strong_levels": ["excellent", "good"],
            "bands": [
                {"level": "incomplete", "min": 0, "max": 50},
                {"level": "complete", "min": 50, "max": 70},
                {"level": "good", "min": 70, "max": 90},
                {"level": "excellent", "min": 90, "max": 100},
            ],
            "conditions": [
                {
                    "code": "disciplined",
                    "name": "Tập thể hoặc người đứng đầu bị kỷ luật",
                    "kind": "flag",
                    "cap_level": "good",
                }
            ],
            "quota": {"level": "excellent", "max_share": 0.2, "of_levels": ["excellent", "good"]},
            "variants": [
                {
                    "applies_to": "default",
                    "name": "Mọi công đoàn cơ sở",
                    "groups": [
                        {
                            "code": "A",
                            "name": "Thực hiện nhiệm vụ được giao",
                            "indicators": [
                                {"code": "A1", "name": "Nhiệm vụ đúng hạn", "max_points": 40},
                                {"code": "A2", "name": "Nhiệm vụ vượt mức", "max_points": 30},
                            ],
                        },
                        {
                            "code": "B",
                            "name": "Xây dựng tổ chức",
                            "indicators": [
                                {
                                    "code": "B1",
                                    "name": "Tỷ lệ đoàn viên",
                                    "max_points": 30,
                                    "source": "membership_coverage",
                                    "source_target": 0.7,
                                }
                            ],
                        },
                    ],
                }
            ],
        },
    }


def _broken(change: str) -> dict[str, Any]:
    body = scheme_2025()
    d = body["definition"]
    if change == "gap":
        d["bands"][1]["max"] = 65
    elif change == "overlap":
        d["bands"][2]["min"] = 60
    elif change == "short":
        d["bands"][3]["max"] = 95
    elif change == "points":
        d["variants"][0]["groups"][0]["indicators"][0]["max_points"] = 35
    elif change == "level":
        d["strong_levels"] = ["outstanding"]
    elif change == "duplicate":
        d["variants"][0]["groups"][1]["indicators"][0]["code"] = "A1"
    elif change == "unknown_field":
        d["bonus"] = 5
    elif change == "dates":
        body["effective_to"] = "2024-12-31"
    return body


@pytest.mark.parametrize(
    "change",
    ["gap", "overlap", "short", "points", "level", "duplicate", "unknown_field", "dates"],
)
async def test_an_inconsistent_scheme_is_refused(factory: Factory, change: str) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    admin = await factory.headers_for("admin", province)
    r = await factory.client.post(SCHEMES, json=_broken(change), headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"], r.text


async def test_the_2025_shaped_scheme_is_added_through_the_api_and_rated(
    factory: Factory,
) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, sector="state")
    units = [await factory.union(district, code=f"Q-{n}") for n in range(1, 7)]
    admin = await factory.headers_for("admin", province)
    superior = await factory.headers_for("union_officer", district)

    # Only the federation writes schemes.
    r = await factory.client.post(SCHEMES, json=scheme_2025(), headers=superior)
    assert r.status_code == 403
    r = await factory.client.post(SCHEMES, json=scheme_2025(), headers=admin)
    assert r.status_code == 201, r.text
    scheme = r.json()
    assert scheme["version"] == 1 and r.headers["location"].endswith(scheme["id"])
    again = copy.deepcopy(scheme_2025())
    again["effective_from"] = "2026-01-01"
    r = await factory.client.post(SCHEMES, json=again, headers=admin)
    assert r.status_code == 201 and r.json()["version"] == 2
    listed = (await factory.client.get(SCHEMES, headers=superior)).json()
    assert {(s["code"], s["version"]) for s in listed} >= {
        ("QD366-2025", 1),
        ("QD366-2025", 2),
        ("TT01-TLD-2006", 1),
        ("HD1294-TLD-2019", 1),
    }

    round_ = await open_round(factory, superior, 2025, scheme["id"], district)
    evals = await evaluations_of(factory, superior, round_["id"])
    ids = [evals[u.code]["id"] for u in units]
    good = sheet(scheme, "default", Decimal("0.8"))
    top = sheet(scheme, "default", Decimal("0.95"))
    # Four "good" and one "excellent": 1 of 5 is within the 20% cap.
    for evaluation_id in ids[:4]:
        assert (await rate(factory, superior, superior, evaluation_id, good))["level"] == "good"
    first = await rate(factory, superior, superior, ids[4], top)
    assert (first["level"], first["total_points"], first["strong"]) == ("excellent", "95.00", True)
    # A second "excellent" would be 2 of 6: refused, and nothing changes.
    await patch(factory, superior, ids[5], {"self_scores": top})
    await act(factory, superior, ids[5], "submit")
    await patch(factory, superior, ids[5], {"appraisal_scores": top})
    refused = await act(factory, superior, ids[5], "approve", expect=409)
    assert refused["code"] == "quota_exceeded"
    assert refused["params"] == {"level": "excellent", "max_share": 0.2, "count": 2, "base": 6}
    # The hard condition caps it at "good" whatever the score; then it is approved.
    capped = await patch(factory, superior, ids[5], {"appraisal_flags": {"disciplined": True}})
    assert capped["appraisal_rating"]["caps"] == {"disciplined": "good"}
    done = await act(factory, superior, ids[5], "approve")
    assert (done["level"], done["total_points"]) == ("good", "95.00")
    r = await factory.client.post(
        f"/api/v1/evaluation-rounds/{round_['id']}/publish", headers=superior
    )
    assert r.status_code == 200 and r.json()["counts"] == {"published": 6}
    summary = (
        await factory.client.get(
            "/api/v1/evaluations/summary",
            params={"year": 2025, "union_id": str(district.id)},
            headers=superior,
        )
    ).json()
    assert summary["total"]["levels"] == {"excellent": 1, "good": 5}
    assert summary["total"]["strong_share"] == "1.0000"
    assert summary["as_of"] == date(2025, 12, 31).isoformat()
