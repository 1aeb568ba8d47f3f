"""The yearly cycle end to end under the two built-in schemes, whose structures differ: the
2006 one (one score sheet for every unit, four groups, vững mạnh / khá / trung bình / yếu) and
the 2019 one (a sheet per union type, three groups, the four "hoàn thành" levels)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tests.evaluations.helpers import (
    EVALS,
    ROUNDS,
    act,
    detail,
    evaluations_of,
    open_round,
    patch,
    rate,
    scheme_id,
    sheet,
    surveyed_enterprise,
)
from tests.factories import Factory
from unionhub.core.audit import AuditEntry

SCHEME_2006 = "TT01-TLD-2006"
SCHEME_2019 = "HD1294-TLD-2019"


async def _scheme(factory: Factory, headers: dict[str, str], code: str) -> dict:  # type: ignore[type-arg]
    r = await factory.client.get(
        f"/api/v1/evaluation-schemes/{await scheme_id(factory, code)}", headers=headers
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_2006_scheme_full_cycle_with_return_cap_publish_and_reopen(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè", sector="state")
    g1 = await factory.union(district, code="CB-G1", name="CĐCS Công ty May Cái Bè")
    await factory.union(
        district, code="CB-G2", name="CĐCS UBND xã", sector="state", kind="agency_union"
    )
    await factory.union(district, code="CB-NEW", founded_on=date(2018, 6, 1))
    admin = await factory.headers_for("admin", province)
    superior = await factory.headers_for("union_officer", district)
    unit = await factory.headers_for("grassroots_officer", g1)
    scheme = await _scheme(factory, unit, SCHEME_2006)

    round_ = await open_round(factory, superior, 2018, scheme["id"], district)
    assert round_["counts"] == {"draft": 2, "ineligible": 1}
    assert round_["period_start"] == "2018-01-01" and round_["period_end"] == "2018-12-31"
    evals = await evaluations_of(factory, superior, round_["id"])
    assert evals["CB-NEW"]["ineligible_reason"] == "operating_less_than_12_months"
    e1 = evals["CB-G1"]
    assert e1["variant"] == "default" and e1["appraiser_union_id"] == str(district.id)

    # The grassroots officer sees only its own unit's rating.
    own = await evaluations_of(factory, unit, round_["id"])
    assert set(own) == {"CB-G1"}

    # Self-assessment: a draft with a running total, then the whole sheet.
    full = sheet(scheme, "default", Decimal(1))
    first = await patch(factory, unit, e1["id"], {"self_scores": {"1.1": "8", "1.2": "12"}})
    assert first["self_rating"]["total"] == "20.00" and first["self_rating"]["complete"] is False
    await act(factory, unit, e1["id"], "submit", expect=422)
    above = await patch(factory, unit, e1["id"], {"self_scores": {"1.1": "11"}}, expect=422)
    assert above["errors"][0]["code"] == "above_max_points"
    unknown = await patch(factory, unit, e1["id"], {"self_scores": {"9.9": "1"}}, expect=422)
    assert unknown["errors"][0]["field"] == "self_scores.9.9"
    sent = await patch(factory, unit, e1["id"], {"self_scores": full, "self_note": "Đủ hồ sơ"})
    assert sent["self_rating"]["level"] == "strong"
    # A short note per indicator; null takes one away; an unknown indicator is refused.
    noted = await patch(
        factory, unit, e1["id"], {"self_notes": {"1.1": "Biên bản hội nghị", "1.2": "Xem 1.1"}}
    )
    assert noted["self_notes"] == {"1.1": "Biên bản hội nghị", "1.2": "Xem 1.1"}
    noted = await patch(factory, unit, e1["id"], {"self_notes": {"1.2": None}})
    assert noted["self_notes"] == {"1.1": "Biên bản hội nghị"}
    unknown = await patch(factory, unit, e1["id"], {"self_notes": {"9.9": "x"}}, expect=422)
    assert unknown["errors"][0]["field"] == "self_notes.9.9"
    # The sheet says which side the caller fills in (the web app shows that side's form).
    assert (sent["may_self_assess"], sent["may_appraise"]) == (True, False)
    seen = await detail(factory, superior, e1["id"])
    assert seen["may_appraise"] is True
    # A grassroots officer cannot appraise; the superior cannot change the unit's own sheet.
    await act(factory, unit, e1["id"], "approve", expect=403)
    submitted = await act(factory, unit, e1["id"], "submit", {"note": "Kính gửi"})
    assert submitted["status"] == "submitted"
    await patch(factory, unit, e1["id"], {"self_note": "sửa"}, expect=409)

    # The superior returns it; the unit revises and resubmits.
    await act(factory, superior, e1["id"], "return", {"reason": "Thiếu minh chứng tiêu chí 4.1"})
    revised = {**full, "4.1": "2", "4.2": "3"}  # group 4: 5 of 15, below half
    await patch(factory, unit, e1["id"], {"self_scores": revised})
    await act(factory, unit, e1["id"], "submit")

    # The appraisal: 90 points would be "strong", but group 4 below half caps it at "good".
    await act(factory, superior, e1["id"], "approve", expect=422)  # no appraisal points yet
    appraised = await patch(factory, superior, e1["id"], {"appraisal_scores": revised})
    assert (
        appraised["self_scores"]["4.1"] == "2.00"
        and appraised["appraisal_rating"]["total"] == "90.00"
    )
    assert appraised["appraisal_rating"]["band_level"] == "strong"
    assert appraised["appraisal_rating"]["caps"] == {"group_below_half": "good"}
    approved = await act(factory, superior, e1["id"], "approve")
    assert (approved["status"], approved["level"], approved["total_points"]) == (
        "approved",
        "good",
        "90.00",
    )
    assert approved["strong"] is False

    # Publishing waits for every eligible unit; then the results are locked.
    r = await factory.client.post(f"{ROUNDS}/{round_['id']}/publish", headers=superior)
    assert r.status_code == 409 and r.json()["code"] == "round_not_complete"
    e2 = evals["CB-G2"]["id"]
    disciplined = await rate(factory, superior, superior, e2, full, {"member_disciplined": True})
    assert (disciplined["total_points"], disciplined["level"]) == ("100.00", "good")
    r = await factory.client.post(f"{ROUNDS}/{round_['id']}/publish", headers=superior)
    assert r.status_code == 200 and r.json()["status"] == "published", r.text
    assert (await detail(factory, unit, e1["id"]))["status"] == "published"
    locked = await act(factory, superior, e1["id"], "reopen", {"reason": "Sai điểm"}, expect=409)
    assert locked["code"] == "round_published"

    # Reopening needs a reason, is audited, and puts the results back to approved.
    r = await factory.client.post(f"{ROUNDS}/{round_['id']}/reopen", json={}, headers=superior)
    assert r.status_code == 422
    r = await factory.client.post(
        f"{ROUNDS}/{round_['id']}/reopen", json={"reason": "Khiếu nại của CĐCS"}, headers=admin
    )
    assert r.status_code == 200 and r.json()["status"] == "open"
    back = await act(factory, superior, e1["id"], "reopen", {"reason": "Chấm lại nhóm 4"})
    assert (back["status"], back["level"]) == ("submitted", None)

    history = (await factory.client.get(f"{EVALS}/{e1['id']}/history", headers=unit)).json()
    assert [h["action"] for h in history] == [
        "created",
        "scored",
        "scored",
        "scored",  # the notes per indicator
        "scored",
        "submitted",
        "returned",
        "scored",
        "submitted",
        "scored",
        "approved",
        "published",
        "reopened",
        "reopened",
    ]
    assert history[6]["note"] == "Thiếu minh chứng tiêu chí 4.1"
    actions = (
        await factory.db.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_type.like("evaluation%"))
        )
    ).all()
    assert {"evaluation_round.open", "evaluation.approve", "evaluation_round.reopen"} <= set(
        actions
    )


async def test_2019_scheme_rates_each_union_type_by_its_own_sheet(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, code="D-MT", sector="state")
    other = await factory.union(province, code="D-CL", sector="state")
    firm = await factory.union(district, code="G-FIRM")
    school = await factory.union(district, code="G-SCHOOL", sector="state", kind="school_union")
    guild = await factory.union(district, code="G-GUILD", level="occupational")
    await factory.union(other, code="G-OTHER")
    admin = await factory.headers_for("admin", province)
    federation = await factory.headers_for("federation_officer", province)
    superior = await factory.headers_for("union_officer", district)
    sibling = await factory.headers_for("union_officer", other)
    viewer = await factory.headers_for("viewer", district)
    scheme = await _scheme(factory, viewer, SCHEME_2019)

    # The 2019 scheme is not in force for 2018.
    r = await factory.client.post(
        ROUNDS,
        json={"year": 2018, "scheme_id": scheme["id"], "owner_union_id": str(province.id)},
        headers=federation,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "scheme_not_in_force"
    # A district officer cannot open the province's round (the province is outside its scope).
    r = await factory.client.post(
        ROUNDS,
        json={"year": 2021, "scheme_id": scheme["id"], "owner_union_id": str(province.id)},
        headers=superior,
    )
    assert r.status_code == 404

    round_ = await open_round(factory, federation, 2021, scheme["id"], province)
    r = await factory.client.post(
        ROUNDS,
        json={"year": 2021, "scheme_id": scheme["id"], "owner_union_id": str(province.id)},
        headers=federation,
    )
    assert r.status_code == 409 and r.json()["code"] == "round_exists"
    evals = await evaluations_of(factory, admin, round_["id"])
    variants = {code: e["variant"] for code, e in evals.items()}
    assert variants == {
        "D-MT": "upper_level",
        "D-CL": "upper_level",
        "G-FIRM": "non_state",
        "G-SCHOOL": "state",
        "G-GUILD": "occupational",
        "G-OTHER": "non_state",
    }
    assert evals["D-MT"]["appraiser_union_id"] == str(province.id)
    assert evals["G-FIRM"]["appraiser_union_id"] == str(district.id)

    # Out-of-scope ids answer 404; a viewer reads but does not write.
    r = await factory.client.get(f"{EVALS}/{evals['G-FIRM']['id']}", headers=sibling)
    assert r.status_code == 404
    await patch(factory, viewer, evals["G-FIRM"]["id"], {"self_note": "x"}, expect=403)
    assert (await detail(factory, viewer, evals["G-FIRM"]["id"]))["union_id"] == str(firm.id)

    # The state sheet: 92 points -> hoàn thành xuất sắc, counted as strong.
    state = sheet(scheme, "state", Decimal("0.92"))
    excellent = await rate(factory, superior, superior, evals["G-SCHOOL"]["id"], state)
    assert (excellent["level"], excellent["strong"], excellent["total_points"]) == (
        "excellent",
        True,
        "92.00",
    )
    # The occupational sheet has other indicators: the state one's codes do not all fit.
    guild_sheet = sheet(scheme, "occupational", Decimal("0.75"))
    assert set(guild_sheet) != set(state)
    good = await rate(factory, superior, superior, evals["G-GUILD"]["id"], guild_sheet)
    assert (good["level"], good["strong"]) == ("good", True)
    # A district's own rating is appraised by the province, not by the district itself.
    upper = sheet(scheme, "upper_level", Decimal("0.6"))
    await patch(factory, superior, evals["D-MT"]["id"], {"self_scores": upper})
    await act(factory, superior, evals["D-MT"]["id"], "submit")
    await patch(factory, superior, evals["D-MT"]["id"], {"appraisal_scores": upper}, expect=403)
    await patch(factory, federation, evals["D-MT"]["id"], {"appraisal_scores": upper})
    done = await act(factory, federation, evals["D-MT"]["id"], "approve")
    assert (done["level"], done["strong"]) == ("complete", False)
    assert firm.id and school.id and guild.id


async def test_suggested_scores_come_from_the_member_register_and_the_survey(
    factory: Factory,
) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, sector="state")
    # The 2022 survey is after the period: not the survey of 2021.
    enterprise = await surveyed_enterprise(
        factory,
        district,
        "0100109106",
        "Công ty May Gợi Ý",
        {date(2020, 6, 1): 10, date(2021, 6, 1): 4, date(2022, 3, 1): 100},
    )
    firm = await factory.union(
        district, code="G-SUG", founded_on=date(2019, 1, 1), enterprise_id=enterprise.id
    )
    admin = await factory.headers_for("admin", province)
    for n, admitted in enumerate(("2020-05-04", "2021-03-01", "2021-11-30")):
        r = await factory.client.post(
            "/api/v1/members",
            json={
                "full_name": f"Nguyễn Thị Gợi Ý {n}",
                "date_of_birth": "1990-05-12",
                "gender": "female",
                "personal_id": f"08219000000{n}",
                "union_id": str(firm.id),
                "admission_date": admitted,
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
    scheme = await scheme_id(factory, SCHEME_2019)
    round_ = await open_round(factory, admin, 2021, scheme, district)
    e = (await evaluations_of(factory, admin, round_["id"]))["G-SUG"]
    suggestions = {
        s["indicator"]: s for s in (await detail(factory, admin, e["id"]))["suggestions"]
    }
    # 3 members of the 4 workers of the 2021 survey: 0.75 of the 0.85 target for 15 points.
    assert suggestions["2.1"]["value"] == "0.7500"
    assert suggestions["2.1"]["suggested_points"] == "13.24"
    # 2 admitted in 2021, of a target of 10 for 10 points.
    assert suggestions["2.2"]["value"] == "2.0000"
    assert suggestions["2.2"]["suggested_points"] == "2.00"


async def test_opening_a_round_writes_nothing_when_refused(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    grassroots = await factory.union(await factory.union(province))
    admin = await factory.headers_for("admin", province)
    scheme = await scheme_id(factory, SCHEME_2019)
    r = await factory.client.post(
        ROUNDS,
        json={"year": 2021, "scheme_id": scheme, "owner_union_id": str(grassroots.id)},
        headers=admin,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "round_owner_level"
    count = await factory.db.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("evaluation%"))
    )
    assert count == 0


async def test_todo_counts_follow_the_cycle(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh", sector="state")
    district = await factory.union(province, sector="state")
    g1 = await factory.union(district, code="TD-1")
    await factory.union(district, code="TD-2")
    superior = await factory.headers_for("union_officer", district)
    unit = await factory.headers_for("grassroots_officer", g1)
    viewer = await factory.headers_for("viewer", district)
    scheme = await _scheme(factory, unit, SCHEME_2019)
    round_ = await open_round(factory, superior, 2022, scheme["id"], district)
    e1 = (await evaluations_of(factory, unit, round_["id"]))["TD-1"]["id"]

    async def todo(headers: dict[str, str]) -> tuple[int, int, int]:
        r = await factory.client.get(f"{EVALS}/todo", headers=headers)
        assert r.status_code == 200, r.text
        t = r.json()
        return t["to_submit"], t["returned"], t["to_appraise"]

    assert await todo(unit) == (1, 0, 0)
    assert await todo(superior) == (2, 0, 0)
    assert await todo(viewer) == (0, 0, 0)
    await patch(factory, unit, e1, {"self_scores": sheet(scheme, "non_state", Decimal("0.7"))})
    await act(factory, unit, e1, "submit")
    assert await todo(unit) == (0, 0, 0)
    assert await todo(superior) == (1, 0, 1)
    await act(factory, superior, e1, "return", {"reason": "Bổ sung minh chứng"})
    assert await todo(unit) == (1, 1, 0)
