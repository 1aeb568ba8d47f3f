"""Dated membership actions, the history they leave, and who was a member on a past date."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tests.factories import Factory
from tests.members.helpers import API, act, admit, build_world, field_codes, names, problem
from unionhub.core.audit import AuditEntry

TOMORROW = (date.today() + timedelta(days=1)).isoformat()


async def _history(factory: Factory, headers: dict[str, str], member_id: str) -> dict[str, Any]:
    r = await factory.client.get(f"{API}/{member_id}/history", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _periods(history: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(p["status"], p["valid_from"], p["valid_to"]) for p in history["periods"]]


async def test_suspend_and_resume_keep_dated_periods_events_and_audit(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a, admission_date="2020-01-15")
    r = await act(factory, h, m["id"], "suspend", "2023-02-01", reason="Nghỉ không lương dài hạn")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "suspended" and r.json()["status_since"] == "2023-02-01"
    assert r.headers["ETag"] == '"2"'
    r = await act(factory, h, m["id"], "resume", "2023-08-01")
    assert r.json()["status"] == "active" and r.json()["version"] == 3
    hist = await _history(factory, h, m["id"])
    assert [e["event_type"] for e in hist["events"]] == ["admitted", "suspended", "resumed"]
    assert hist["events"][1]["reason"] == "Nghỉ không lương dài hạn"
    assert _periods(hist) == [
        ("active", "2020-01-15", "2023-02-01"),
        ("suspended", "2023-02-01", "2023-08-01"),
        ("active", "2023-08-01", None),
    ]
    actions = set(
        (
            await factory.db.execute(
                select(AuditEntry.action).where(AuditEntry.entity_id == hist["member_id"])
            )
        ).scalars()
    )
    assert {"member.admit", "member.suspend", "member.resume"} <= actions


async def test_effective_date_rules(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15")
    r = await act(factory, w.officer_a, m["id"], "suspend", TOMORROW)
    assert ("effective_date", "date_in_future") in field_codes(r)
    r = await act(factory, w.officer_a, m["id"], "suspend", "2019-12-31")
    assert ("effective_date", "date_before_last_change") in field_codes(r)
    assert "15/01/2020" in problem(r, 422)["errors"][0]["message"]


async def test_a_second_change_on_the_same_day_replaces_the_period(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a, admission_date="2020-01-15")
    await act(factory, w.officer_a, m["id"], "suspend", "2022-03-01")
    await act(factory, w.officer_a, m["id"], "resume", "2022-03-01")
    hist = await _history(factory, w.officer_a, m["id"])
    assert _periods(hist) == [("active", "2020-01-15", None)]
    await act(factory, w.officer_a, m["id"], "suspend", "2022-04-01")
    await act(factory, w.officer_a, m["id"], "leave", "2022-04-01", reason="Chuyển nghề")
    hist = await _history(factory, w.officer_a, m["id"])
    assert _periods(hist) == [("active", "2020-01-15", "2022-04-01"), ("left", "2022-04-01", None)]


async def test_transitions_need_the_right_status_and_a_reason(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a)
    r = await act(factory, h, m["id"], "resume", "2021-01-01")
    assert problem(r, 409)["code"] == "status_not_allowed"
    for action in ("leave", "strike-off", "expel"):
        r = await act(factory, h, m["id"], action, "2021-01-01")
        assert ("reason", "required") in field_codes(r), action
    r = await act(factory, h, m["id"], "rejoin", "2021-01-01")
    assert problem(r, 409)["code"] == "status_not_allowed"
    r = await act(factory, h, m["id"], "suspend", "2021-01-01")
    assert r.status_code == 200
    r = await act(factory, h, m["id"], "suspend", "2021-02-01")
    assert problem(r, 409)["code"] == "status_not_allowed"
    r = await act(factory, w.viewer_a, m["id"], "resume", "2021-02-01")
    assert r.status_code == 403


async def test_end_states(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    ends = {
        "strike-off": "struck_off",
        "expel": "expelled",
        "deceased": "deceased",
        "leave": "left",
    }
    for action, status in ends.items():
        m = await admit(factory, h, w.grassroots_a)
        r = await act(factory, h, m["id"], action, "2023-05-05", reason="Quyết định số 5/QĐ")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == status
        hist = await _history(factory, h, m["id"])
        assert hist["events"][-1]["event_type"] == status
        assert _periods(hist)[-1] == (status, "2023-05-05", None)
        r = await act(factory, h, m["id"], "suspend", "2023-06-01")
        assert problem(r, 409)["code"] == "status_not_allowed"


async def test_rejoin_waits_three_months_after_leaving(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a)
    await act(factory, h, m["id"], "leave", "2024-01-31", reason="Nghỉ việc")
    r = await act(factory, h, m["id"], "rejoin", "2024-04-29")
    body = problem(r, 422)
    assert body["code"] == "rejoin_too_soon"
    assert body["possible_from"] == "2024-04-30"
    assert "30/04/2024" in body["detail"]
    assert body["errors"][0]["field"] == "effective_date"
    r = await act(factory, h, m["id"], "rejoin", "2024-04-30", union_id=str(w.grassroots_a2.id))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active" and r.json()["union_id"] == str(w.grassroots_a2.id)
    assert r.json()["card_number"] == m["card_number"]
    hist = await _history(factory, h, m["id"])
    assert hist["events"][-1]["event_type"] == "rejoined"
    assert _periods(hist)[-2:] == [
        ("left", "2024-01-31", "2024-04-30"),
        ("active", "2024-04-30", None),
    ]


async def test_struck_off_member_rejoins_unless_the_id_is_back_on_the_books(
    factory: Factory,
) -> None:
    w = await build_world(factory)
    h = w.officer_a
    m = await admit(factory, h, w.grassroots_a, personal_id="082090555111")
    await act(factory, h, m["id"], "strike-off", "2023-01-10", reason="Không sinh hoạt")
    # Struck off, the ID is free: the person may be admitted again as a new record.
    again = await admit(factory, h, w.grassroots_a2, personal_id="082090555111")
    r = await act(factory, h, m["id"], "rejoin", "2023-06-01")
    assert ("personal_id", "personal_id_taken") in field_codes(r)
    await act(factory, h, again["id"], "strike-off", "2023-07-01", reason="Trùng hồ sơ")
    r = await act(factory, h, m["id"], "rejoin", "2023-07-01")
    assert r.status_code == 200, r.text


async def test_card_reissue_keeps_the_old_number_in_the_history(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    r = await factory.client.post(
        f"{API}/{m['id']}/reissue-card", json={"reason": "Mất thẻ"}, headers=w.officer_a
    )
    assert r.status_code == 200, r.text
    new = r.json()["card_number"]
    assert new != m["card_number"] and new.startswith("CD")
    hist = await _history(factory, w.officer_a, m["id"])
    event = hist["events"][-1]
    assert event["event_type"] == "card_reissued"
    assert event["details"] == {"old_card_number": m["card_number"], "new_card_number": new}
    r = await factory.client.post(
        f"{API}/{m['id']}/reissue-card", json={"card_number": new}, headers=w.officer_a
    )
    assert ("card_number", "card_number_taken") in field_codes(r)


async def test_members_on_a_past_date(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    a = str(w.grassroots_a.id)
    a2 = str(w.grassroots_a2.id)
    moved = await admit(
        factory, h, w.grassroots_a, full_name="Lê Văn Chuyển", admission_date="2020-01-15"
    )
    await admit(
        factory,
        h,
        w.grassroots_a,
        full_name="Phạm Thị Ở",
        gender="female",
        admission_date="2021-06-01",
    )
    r = await factory.client.post(
        f"{API}/{moved['id']}/transfer",
        json={"to_union_id": a2, "effective_date": "2022-06-01"},
        headers=h,
    )
    assert r.json()["completed"] is True
    await act(factory, h, moved["id"], "leave", "2023-03-01", reason="Nghỉ hưu")

    async def on(day: str, union: str, **extra: Any) -> list[str]:
        return await names(factory, h, union_id=union, as_of=day, **extra)

    assert await on("2020-12-31", a) == ["Lê Văn Chuyển"]
    assert await on("2021-12-31", a) == ["Lê Văn Chuyển", "Phạm Thị Ở"]
    assert await on("2022-12-31", a) == ["Phạm Thị Ở"]
    assert await on("2022-12-31", a2) == ["Lê Văn Chuyển"]
    assert await on("2023-12-31", a2) == []
    assert await on("2023-12-31", a2, status="left") == ["Lê Văn Chuyển"]
    assert await on("2022-12-31", str(w.district_a.id)) == ["Lê Văn Chuyển", "Phạm Thị Ở"]
    r = await factory.client.get(API, params={"union_id": a, "as_of": "2021-12-31"}, headers=h)
    assert r.json()["total"] == 2
    # Today: one member left, so one remains in the district.
    assert await names(factory, h, union_id=str(w.district_a.id), status="active") == ["Phạm Thị Ở"]


async def test_each_action_counts_as_one_admission_only(factory: Factory) -> None:
    from unionhub.members.models import MemberEvent

    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    await act(factory, w.officer_a, m["id"], "suspend", "2021-01-01")
    await act(factory, w.officer_a, m["id"], "resume", "2021-02-01")
    admitted = await factory.db.scalar(
        select(func.count()).where(MemberEvent.event_type == "admitted")
    )
    assert admitted == 1
