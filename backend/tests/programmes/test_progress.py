"""A programme of the hand-counted province (tests/indicators/helpers.py), term 2018-2023,
checked on 31/12/2020 (before D1 merged into D2) and on 31/12/2022 (after; D1's allocation
handed to D2).

Elapsed share on 31/12/2020: 1096 days of 2191 = 0.5002; on 31/12/2022: 1826 / 2191 = 0.8334.
"""

from typing import Any

from tests.factories import Factory
from tests.indicators.helpers import build_province

API = "/api/v1/programmes"


def body(union_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "union_id": union_id,
        "number": "05/Ctr-LĐLĐ",
        "title": "Phát triển đoàn viên, thành lập CĐCS nhiệm kỳ 2018-2023",
        "legal_basis": "Nghị quyết Đại hội X Công đoàn tỉnh",
        "term_start": "2018-01-01",
        "planned_end": "2023-12-31",
        "targets": [
            {
                "title": "Kết nạp ít nhất 8 đoàn viên",
                "indicator_key": "new_members",
                "kind": "cumulative",
                "target_value": "8",
            },
            {
                "title": "100% doanh nghiệp từ 20 lao động có CĐCS",
                "indicator_key": "enterprises_with_union",
                "kind": "end_of_term",
                "target_value": "1",
                "parameters": {"min_workers": 20},
                "position": 1,
            },
            {
                "title": "65% CĐCS ngoài nhà nước vững mạnh mỗi năm",
                "indicator_key": "cdcs_strong_non_state",
                "kind": "every_year",
                "target_value": "0.65",
                "position": 2,
            },
            {
                "title": "95% cán bộ được bồi dưỡng",
                "indicator_key": "cadres_trained",
                "kind": "end_of_term",
                "target_value": "0.95",
                "position": 3,
            },
        ],
        **extra,
    }


def by_title(progress: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["indicator_key"]: t for t in progress["targets"]}


def kids(target: dict[str, Any]) -> list[tuple[str, str | None, str | None, str, int | None]]:
    return [
        (c["name"], c["target"], c["actual"], c["status"], c["rank"]) for c in target["children"]
    ]


async def test_progress_before_and_after_the_merge(factory: Factory) -> None:
    w = await build_province(factory)
    h = w.admin
    r = await factory.client.post(API, json=body(str(w.p.id)), headers=h)
    assert r.status_code == 201, r.text
    programme = r.json()
    pid = programme["id"]
    new_members = programme["targets"][0]["id"]
    for union, value in ((w.d1, "5"), (w.d2, "3")):
        r = await factory.client.post(
            f"{API}/{pid}/targets/{new_members}/allocations",
            json={"union_id": str(union.id), "value": value},
            headers=h,
        )
        assert r.status_code == 201, r.text
    detail = (await factory.client.get(f"{API}/{pid}", headers=h)).json()
    (d1_alloc,) = [a for a in detail["allocations"] if a["union_id"] == str(w.d1.id)]

    r = await factory.client.get(f"{API}/{pid}/progress", params={"as_of": "2020-12-31"}, headers=h)
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["elapsed_share"] == "0.5002"
    t = by_title(p)
    nm = t["new_members"]
    assert (nm["actual"], nm["target"], nm["share_achieved"], nm["status"]) == (
        "4",
        "8.0000",
        "0.5000",
        "at_risk",
    )
    assert [(y["year"], y["actual"]) for y in nm["trend"]] == [
        (2018, "1"),
        (2019, "2"),
        (2020, "1"),
    ]
    assert kids(nm) == [
        ("LĐLĐ Mỹ Tho", "5.0000", "3", "on_track", 1),
        ("LĐLĐ Cái Bè", "3.0000", "1", "behind", 2),
    ]
    ewu = t["enterprises_with_union"]
    assert (ewu["actual"], ewu["share_achieved"], ewu["status"]) == ("0.5000", "0.5000", "at_risk")
    assert kids(ewu) == [
        ("LĐLĐ Cái Bè", "1.0000", "0.5000", "at_risk", 1),
        ("LĐLĐ Mỹ Tho", "1.0000", "0.5000", "at_risk", 2),
    ]
    strong = t["cdcs_strong_non_state"]
    assert (strong["actual"], strong["share_achieved"], strong["status"]) == (
        "1.0000",
        "1.5385",
        "met",
    )
    # The province has no cadres: nothing to share, the target is behind.
    ct = t["cadres_trained"]
    assert (ct["numerator"], ct["denominator"], ct["actual"]) == (0, 0, None)
    assert ct["status"] == "behind"

    # The district's own view: its allocation is its target.
    r = await factory.client.get(
        f"{API}/{pid}/progress",
        params={"as_of": "2020-12-31", "union_id": str(w.d2.id)},
        headers=h,
    )
    nm = by_title(r.json())["new_members"]
    assert (nm["actual"], nm["target"], nm["status"]) == ("1", "3.0000", "behind")

    # D1 merged into D2 on 01/07/2021: its allocation goes to D2 (D2's new total: 8).
    r = await factory.client.post(
        f"{API}/{pid}/allocations/{d1_alloc['id']}/hand-over",
        json={
            "effective_date": "2021-07-01",
            "successors": [{"union_id": str(w.d2.id), "value": "8"}],
            "note": "Sáp nhập LĐLĐ Mỹ Tho vào LĐLĐ Cái Bè (9/QĐ)",
        },
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert [(a["method"], a["handed_from_id"]) for a in r.json()] == [("handover", d1_alloc["id"])]
    r = await factory.client.post(
        f"{API}/{pid}/targets/{new_members}/allocations",
        json={"union_id": str(w.d1.id), "value": "1", "valid_from": "2022-01-01"},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "not_a_child", r.text
    # The closed allocation is the record of the merger: it cannot be removed.
    r = await factory.client.delete(
        f"{API}/{pid}/allocations/{d1_alloc['id']}", headers={**h, "If-Match": '"2"'}
    )
    assert r.status_code == 409 and r.json()["code"] == "allocation_closed", r.text

    r = await factory.client.get(f"{API}/{pid}/progress", params={"as_of": "2022-12-31"}, headers=h)
    p = r.json()
    assert p["elapsed_share"] == "0.8334"
    nm = by_title(p)["new_members"]
    assert (nm["actual"], nm["share_achieved"], nm["status"]) == ("6", "0.7500", "at_risk")
    # D1's 2018-2020 admissions stay with D1 (the tree of their day); it has no target now.
    assert kids(nm) == [
        ("LĐLĐ Cái Bè", "8.0000", "3", "behind", 1),
        ("LĐLĐ Mỹ Tho", None, "3", "no_target", None),
    ]
    # After the term: the figures of its last day.
    r = await factory.client.get(f"{API}/{pid}/progress", headers=h)
    assert r.json()["as_of"] == "2023-12-31"


async def test_programme_crud_rules(factory: Factory) -> None:
    w = await build_province(factory, ratings=False)
    h = w.admin
    r = await factory.client.post(API, json=body(str(w.p.id)), headers=h)
    assert r.status_code == 201, r.text
    pid, etag = r.json()["id"], r.headers["etag"]
    r = await factory.client.post(API, json=body(str(w.p.id)), headers=h)
    assert r.status_code == 409 and r.json()["code"] == "programme_number_taken"
    r = await factory.client.post(
        API, json=body(str(w.p.id), number="06", planned_end="2017-01-01"), headers=h
    )
    assert r.status_code == 422
    bad = body(str(w.p.id), number="07")
    bad["targets"][0]["indicator_key"] = "happiness"
    r = await factory.client.post(API, json=bad, headers=h)
    assert r.status_code == 422
    # The congress of 2023 came early: the term ends on 30/09/2023.
    r = await factory.client.patch(
        f"{API}/{pid}",
        json={"actual_end": "2023-09-30", "end_reason": "Đại hội sớm"},
        headers={**h, "If-Match": etag},
    )
    assert r.status_code == 200, r.text
    r2 = await factory.client.patch(
        f"{API}/{pid}", json={"title": "Khác"}, headers={**h, "If-Match": etag}
    )
    assert r2.status_code == 412
    r = await factory.client.get(f"{API}/{pid}/progress", headers=h)
    assert (r.json()["as_of"], r.json()["term_end"]) == ("2023-09-30", "2023-09-30")

    # A district officer reads the province's programme, and cannot change it.
    officer = await factory.headers_for("union_officer", w.d2)
    r = await factory.client.get(API, headers=officer)
    assert [p["id"] for p in r.json()["items"]] == [pid]
    r = await factory.client.get(f"{API}/{pid}/progress", headers=officer)
    assert r.status_code == 200 and r.json()["union_id"] == str(w.d2.id), r.text
    r = await factory.client.patch(f"{API}/{pid}", json={"title": "Khác"}, headers=officer)
    assert r.status_code == 403

    # Proportional to members on 31/12/2020: D1 4, D2 1 of 8 -> 6.4, 1.6 -> 6 + 2 (largest rest).
    r = await factory.client.get(f"{API}/{pid}", headers=h)
    target_id = r.json()["targets"][0]["id"]
    r = await factory.client.post(
        f"{API}/{pid}/targets/{target_id}/allocations/proportional",
        json={"base": "members", "as_of": "2020-12-31"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert {(a["union_name"], a["value"], a["base_value"]) for a in r.json()} == {
        ("LĐLĐ Mỹ Tho", "6.0000", "4.0000"),
        ("LĐLĐ Cái Bè", "2.0000", "1.0000"),
    }
    # Adjusted by hand: Mỹ Tho's part is removed (recorded), Cái Bè's stays.
    (my_tho,) = [a for a in r.json() if a["union_name"] == "LĐLĐ Mỹ Tho"]
    url = f"{API}/{pid}/allocations/{my_tho['id']}"
    r = await factory.client.delete(url, headers={**h, "If-Match": '"9"'})
    assert r.status_code == 412
    r = await factory.client.delete(url, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 204, r.text
    detail = (await factory.client.get(f"{API}/{pid}", headers=h)).json()
    assert [a["union_name"] for a in detail["allocations"]] == ["LĐLĐ Cái Bè"]
    r = await factory.client.get("/api/v1/audit", params={"entity_id": my_tho["id"]}, headers=h)
    assert "target_allocation.delete" in {e["action"] for e in r.json()["items"]}
    r = await factory.client.delete(url, headers={**h, "If-Match": '"1"'})
    assert r.status_code == 404 and r.json()["code"] == "allocation_not_found"

    # The term's start is corrected; it still has to come before its end.
    version = f'"{detail["version"]}"'
    r = await factory.client.patch(
        f"{API}/{pid}", json={"term_start": "2018-07-01"}, headers={**h, "If-Match": version}
    )
    assert r.status_code == 200 and r.json()["term_start"] == "2018-07-01", r.text
    r = await factory.client.patch(
        f"{API}/{pid}",
        json={"term_start": "2024-01-01"},
        headers={**h, "If-Match": r.headers["etag"]},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_end", r.text

    r = await factory.client.delete(f"{API}/{pid}", headers=h)
    assert r.status_code == 204
    r = await factory.client.get(f"{API}/{pid}", headers=h)
    assert r.status_code == 404
