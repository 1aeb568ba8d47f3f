"""A district federation's part of the province's round: its own, earlier deadlines for its
units (which drive its units' to-do), and the publication of its units' results before the
province publishes the whole round."""

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from tests.evaluations.helpers import EVALS, ROUNDS, act, evaluations_of, rate, scheme_id, sheet
from tests.factories import Factory
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import Union

TODAY = date.today()


async def _world(factory: Factory) -> dict[str, Any]:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, code="CB", name="LĐLĐ huyện Cái Bè", sector="state")
    other = await factory.union(province, code="CL", name="LĐLĐ huyện Cai Lậy", sector="state")
    g1 = await factory.union(district, code="CB-G1", name="CĐCS Công ty May Cái Bè")
    await factory.union(district, code="CB-G2", name="CĐCS Công ty Thủy sản Cái Bè")
    await factory.union(other, code="CL-G1", name="CĐCS Công ty Gạch Cai Lậy")
    w: dict[str, Any] = {
        "province": province,
        "district": district,
        "other": other,
        "p": await factory.headers_for("federation_officer", province),
        "d": await factory.headers_for("union_officer", district),
        "o": await factory.headers_for("union_officer", other),
        "g1": await factory.headers_for("grassroots_officer", g1),
    }
    scheme = await scheme_id(factory, "HD1294-TLD-2019")
    r = await factory.client.post(
        ROUNDS,
        json={
            "year": TODAY.year,
            "scheme_id": scheme,
            "owner_union_id": str(province.id),
            "self_assessment_deadline": (TODAY + timedelta(days=30)).isoformat(),
            "appraisal_deadline": (TODAY + timedelta(days=60)).isoformat(),
        },
        headers=w["p"],
    )
    assert r.status_code == 201, r.text
    w["round"] = r.json()
    w["scheme"] = (
        await factory.client.get(f"/api/v1/evaluation-schemes/{scheme}", headers=w["p"])
    ).json()
    w["evals"] = await evaluations_of(factory, w["p"], w["round"]["id"])
    return w


def _part(w: dict[str, Any], union: Any) -> str:
    return f"{ROUNDS}/{w['round']['id']}/parts/{union.id}"


async def test_a_district_sets_earlier_deadlines_for_its_units_only(factory: Factory) -> None:
    w = await _world(factory)
    url = _part(w, w["district"])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    body = {"self_assessment_deadline": yesterday, "appraisal_deadline": yesterday}
    r = await factory.client.put(url, json=body, headers=w["d"])
    assert r.status_code == 200, r.text
    part = r.json()
    assert (
        part["union_name"] == "LĐLĐ huyện Cái Bè" and part["self_assessment_deadline"] == yesterday
    )
    # Its two units, not its own rating (the province appraises that).
    assert part["counts"] == {"draft": 2} and part["published_at"] is None

    # Never later than the round's own deadline.
    late = (TODAY + timedelta(days=31)).isoformat()
    r = await factory.client.put(url, json={"self_assessment_deadline": late}, headers=w["d"])
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["field"] == "self_assessment_deadline"
    assert error["code"] == "part_deadline_after_round"
    assert error["params"]["deadline"] == (TODAY + timedelta(days=30)).isoformat()
    # Another district's part is out of reach; the round's owner runs the round itself; a
    # grassroots officer does not appraise.
    r = await factory.client.put(_part(w, w["other"]), json=body, headers=w["d"])
    assert r.status_code == 404
    r = await factory.client.put(_part(w, w["province"]), json=body, headers=w["p"])
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "part_not_under_round"
    r = await factory.client.put(url, json=body, headers=w["g1"])
    assert r.status_code == 403

    # The district's earlier deadline makes its unit's self-assessment overdue; the other
    # district's units keep the round's deadline.
    todo = (await factory.client.get(f"{EVALS}/todo", headers=w["g1"])).json()
    assert todo["to_submit"] == 1 and todo["overdue_self_assessments"] == 1
    todo = (await factory.client.get(f"{EVALS}/todo", headers=w["o"])).json()
    assert todo["overdue_self_assessments"] == 0

    # The parts each caller sees: the district its own; the other district not that one, only
    # its own yet to start (nothing set); the province every part started, none to run itself.
    parts = f"{ROUNDS}/{w['round']['id']}/parts"
    mine = (await factory.client.get(parts, headers=w["d"])).json()
    assert [(p["union_id"], p["may_run"], p["version"]) for p in mine] == [
        (str(w["district"].id), True, 1)
    ]
    theirs = (await factory.client.get(parts, headers=w["o"])).json()
    assert [(p["union_id"], p["version"], p["counts"]) for p in theirs] == [
        (str(w["other"].id), 0, {"draft": 1})
    ]
    everyone = (await factory.client.get(parts, headers=w["p"])).json()
    assert [p["union_id"] for p in everyone] == [str(w["district"].id)]
    entry = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.action == "evaluation_round.part_set")
    )
    assert entry is not None and entry.union_id == w["district"].id


async def test_a_district_publishes_its_part_before_the_province_publishes_the_round(
    factory: Factory,
) -> None:
    w = await _world(factory)
    url = _part(w, w["district"])
    r = await factory.client.post(f"{url}/publish", headers=w["d"])
    assert r.status_code == 409 and r.json()["code"] == "round_not_complete"
    assert r.json()["params"]["pending"] == 2

    full = sheet(w["scheme"], "non_state", Decimal("0.9"))
    g1 = w["evals"]["CB-G1"]["id"]
    await rate(factory, w["g1"], w["d"], g1, full)
    g2 = w["evals"]["CB-G2"]["id"]
    await rate(factory, w["d"], w["d"], g2, full)
    r = await factory.client.post(f"{url}/publish", headers=w["d"])
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"published": 2} and r.json()["published_at"]
    # Locked: a published rating is not taken back to appraisal one by one.
    await act(factory, w["d"], g1, "reopen", {"reason": "Sửa điểm"}, expect=409)
    history = (await factory.client.get(f"{EVALS}/{g1}/history", headers=w["g1"])).json()
    assert history[-1]["action"] == "published"
    # The rest of the round is untouched: the province's own units are still to do.
    r = await factory.client.get(f"{ROUNDS}/{w['round']['id']}", headers=w["p"])
    assert r.json()["status"] == "open" and r.json()["counts"]["published"] == 2

    # The district reopens its part with a reason (in the units' history), and publishes again.
    r = await factory.client.post(
        f"{url}/reopen", json={"reason": "Đính chính điểm CB-G1"}, headers=w["d"]
    )
    assert r.status_code == 200 and r.json()["published_at"] is None
    history = (await factory.client.get(f"{EVALS}/{g1}/history", headers=w["g1"])).json()
    assert history[-1]["action"] == "reopened" and history[-1]["note"] == "Đính chính điểm CB-G1"
    assert (await factory.client.post(f"{url}/publish", headers=w["d"])).status_code == 200
    r = await factory.client.post(f"{url}/publish", headers=w["d"])
    assert r.status_code == 409 and r.json()["code"] == "round_published"

    # The province publishes the whole round once the rest is approved, the part included.
    cl = w["evals"]["CL-G1"]["id"]
    await rate(factory, w["o"], w["o"], cl, full)
    upper = sheet(w["scheme"], "upper_level", Decimal("0.9"))
    for code in ("CB", "CL"):
        await rate(factory, w["p"], w["p"], w["evals"][code]["id"], upper)
    r = await factory.client.post(f"{ROUNDS}/{w['round']['id']}/publish", headers=w["p"])
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == {"published": 5}
    # Published: the district can no longer touch its part; reopening the round reopens it.
    r = await factory.client.post(f"{url}/reopen", json={"reason": "x"}, headers=w["d"])
    assert r.status_code == 409 and r.json()["code"] == "round_published"
    r = await factory.client.post(
        f"{ROUNDS}/{w['round']['id']}/reopen", json={"reason": "Đính chính"}, headers=w["p"]
    )
    assert r.status_code == 200, r.text
    parts = (await factory.client.get(f"{ROUNDS}/{w['round']['id']}/parts", headers=w["d"])).json()
    assert parts[0]["published_at"] is None and parts[0]["counts"] == {"approved": 2}
    actions = set(
        (
            await factory.db.scalars(
                select(AuditEntry.action).where(AuditEntry.union_id == w["district"].id)
            )
        ).all()
    )
    assert {"evaluation_round.part_publish", "evaluation_round.part_reopen"} <= actions


async def test_a_districts_deadlines_reach_every_unit_its_part_covers(factory: Factory) -> None:
    """The part's deadlines apply to the units the part counts and publishes (those under the
    district in the round's tree), whoever was recorded as their appraiser when the round
    opened: a unit moved into the district during the year is late by the district's deadline,
    in the to-do, the late list and on its sheet; the other district's units keep the round's."""
    w = await _world(factory)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    in_a_month = (TODAY + timedelta(days=30)).isoformat()
    body = {"self_assessment_deadline": yesterday, "appraisal_deadline": yesterday}
    r = await factory.client.put(_part(w, w["district"]), json=body, headers=w["d"])
    assert r.status_code == 200, r.text
    moved = w["evals"]["CL-G1"]
    unit = await factory.db.get(Union, uuid.UUID(moved["union_id"]))
    assert unit is not None
    officer = await factory.headers_for("grassroots_officer", unit)

    async def sheet_of(headers: dict[str, str], code: str) -> dict[str, Any]:
        r = await factory.client.get(f"{EVALS}/{w['evals'][code]['id']}", headers=headers)
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    async def late(headers: dict[str, str]) -> set[str]:
        params = {"round_id": w["round"]["id"], "overdue": "true", "size": 100}
        r = await factory.client.get(EVALS, params=params, headers=headers)
        assert r.status_code == 200, r.text
        return {e["union_code"] for e in r.json()["items"]}

    # Before the move: the district's units are late by its deadline, the other's are not.
    cb = await sheet_of(w["g1"], "CB-G1")
    assert (cb["self_assessment_deadline"], cb["appraisal_deadline"], cb["overdue"]) == (
        yesterday,
        yesterday,
        True,
    )
    cl = await sheet_of(officer, "CL-G1")
    assert (cl["self_assessment_deadline"], cl["overdue"]) == (in_a_month, False)
    assert await late(w["p"]) == {"CB-G1", "CB-G2"}
    todo = (await factory.client.get(f"{EVALS}/todo", headers=officer)).json()
    assert todo["overdue_self_assessments"] == 0

    # CL-G1 moves under the district today: its undecided rating goes to the district for
    # appraisal (tests/evaluations/test_moves.py), and it is now one of the district's part's
    # units...
    r = await factory.client.post(
        f"/api/v1/unions/{unit.id}/move",
        json={
            "effective_date": TODAY.isoformat(),
            "decision_no": "15/QĐ-LĐLĐ",
            "new_parent_id": str(w["district"].id),
        },
        headers={**w["p"], "If-Match": f'"{unit.version}"'},
    )
    assert r.status_code == 200, r.text
    part = await factory.client.get(_part(w, w["district"]).rsplit("/", 1)[0], headers=w["d"])
    assert part.json()[0]["counts"] == {"draft": 3}
    assert (await sheet_of(officer, "CL-G1"))["appraiser_union_id"] == str(w["district"].id)
    # ... so the district's deadline is the one in force for it, everywhere it shows.
    cl = await sheet_of(officer, "CL-G1")
    assert (cl["self_assessment_deadline"], cl["overdue"]) == (yesterday, True)
    todo = (await factory.client.get(f"{EVALS}/todo", headers=officer)).json()
    assert todo["to_submit"] == 1 and todo["overdue_self_assessments"] == 1
    assert await late(w["p"]) == {"CB-G1", "CB-G2", "CL-G1"}
    assert await late(w["d"]) == {"CB-G1", "CB-G2", "CL-G1"}
    listed = await evaluations_of(factory, officer, w["round"]["id"])
    assert listed["CL-G1"]["self_assessment_deadline"] == yesterday
    assert listed["CL-G1"]["overdue"] is True

    # A submission waiting past the district's appraisal deadline is late for the district.
    scores = sheet(w["scheme"], "non_state", Decimal("0.8"))
    cb_g1 = w["evals"]["CB-G1"]["id"]
    await factory.client.patch(f"{EVALS}/{cb_g1}", json={"self_scores": scores}, headers=w["g1"])
    await act(factory, w["g1"], cb_g1, "submit")
    todo = (await factory.client.get(f"{EVALS}/todo", headers=w["d"])).json()
    assert todo["to_appraise"] == 1 and todo["overdue_appraisals"] == 1
    assert (await sheet_of(w["d"], "CB-G1"))["overdue"] is True
    # Clearing the part's deadlines gives the units the round's back.
    r = await factory.client.put(_part(w, w["district"]), json={}, headers=w["d"])
    assert r.status_code == 200, r.text
    cl = await sheet_of(officer, "CL-G1")
    assert (cl["self_assessment_deadline"], cl["overdue"]) == (in_a_month, False)
    assert await late(w["p"]) == set()
