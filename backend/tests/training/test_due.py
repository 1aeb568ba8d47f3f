"""The due-for-training list: a grassroots chair without basic union-work training is due 12
months after taking office; completing the course takes them off the list."""

import uuid
from datetime import date, timedelta

from tests.factories import Factory
from tests.training.helpers import COURSES, call, course, member, qualifications_url
from unionhub.auth.models import RoleAssignment
from unionhub.training.models import Qualification

DUE = "/api/v1/training/due"


async def test_completion_takes_a_chair_off_the_due_list(factory: Factory) -> None:
    province = await factory.union()
    district = await factory.union(province, name="LĐLĐ huyện Châu Thành")
    grassroots = await factory.union(district, name="CĐCS Công ty Gạo Mekong")
    officer = await factory.headers_for("union_officer", district)
    chair = await member(factory, officer, grassroots, name="Võ Thị Chủ Tịch")
    other = await member(factory, officer, grassroots, name="Lý Văn Ủy Viên")
    for person, post in ((chair, "chair"), (other, "executive_member")):
        await call(
            factory,
            "POST",
            f"/api/v1/members/{person['id']}/cadre-posts",
            officer,
            {"union_id": str(grassroots.id), "post": post, "from_date": "2023-01-01"},
            201,
        )
    params = {"union_id": str(district.id), "as_of": "2024-06-01"}
    listed = await call(factory, "GET", f"{DUE}?union_id={district.id}&as_of=2024-06-01", officer)
    (row,) = listed["items"]
    assert row["member_name"] == "Võ Thị Chủ Tịch" and row["requirement_code"] == "CDCS-CHAIR-UW"
    assert row["due_on"] == "2024-01-01" and row["overdue_days"] == 152
    assert row["current_level"] is None and row["union_name"] == "CĐCS Công ty Gạo Mekong"
    # Before the due day the chair is listed, but not as overdue.
    early = await factory.client.get(DUE, params={**params, "as_of": "2023-12-01"}, headers=officer)
    assert [r["overdue_days"] for r in early.json()["items"]] == [0]
    early = await factory.client.get(
        DUE, params={**params, "as_of": "2023-12-01", "overdue_only": True}, headers=officer
    )
    assert early.json()["total"] == 0
    todo = await call(factory, "GET", "/api/v1/training/todo", officer)
    assert todo["overdue_for_training"] == 1

    sheet = await factory.client.get(f"{DUE}.xlsx", params=params, headers=officer)
    assert sheet.status_code == 200 and sheet.headers["x-total-count"] == "1"
    assert sheet.content[:2] == b"PK"

    c = await course(factory, officer, district, status="running")
    (p,) = await call(
        factory, "POST", f"{COURSES}/{c['id']}/participants", officer, {"member_ids": [chair["id"]]}
    )
    await call(
        factory,
        "PUT",
        f"{COURSES}/{c['id']}/results",
        officer,
        {
            "results": [
                {"participant_id": p["id"], "result": "completed", "certificate_date": "2024-03-08"}
            ]
        },
    )
    after = await factory.client.get(DUE, params=params, headers=officer)
    assert after.json()["total"] == 0
    # On a day before the certificate the chair was still due.
    before = await factory.client.get(
        DUE, params={**params, "as_of": "2024-03-01"}, headers=officer
    )
    assert before.json()["total"] == 1
    todo = await call(factory, "GET", "/api/v1/training/todo", officer)
    assert todo["overdue_for_training"] == 0


async def test_a_record_dated_ahead_is_not_held_yet_until_the_course_completes(
    factory: Factory,
) -> None:
    """The defect seen in the browser: a training the register recorded by year only was
    migrated as dated the 31 December of that year, ahead of today. The due list rightly did
    not count it, but the member's page showed it as the current level, so the person was both
    "due" and "trained", and a completion looked like it changed nothing. Now neither counts a
    record before its date; completing a course today gives the level on both at once."""
    province = await factory.union()
    district = await factory.union(province, name="LĐLĐ huyện Chợ Gạo")
    grassroots = await factory.union(district, name="CĐCS Xã Bình Phan")
    officer = await factory.headers_for("union_officer", district)
    chair = await member(factory, officer, grassroots, name="Trần Thị An")
    today = date.today()
    took_office = (today - timedelta(days=800)).isoformat()
    await call(
        factory,
        "POST",
        f"/api/v1/members/{chair['id']}/cadre-posts",
        officer,
        {"union_id": str(grassroots.id), "post": "chair", "from_date": took_office},
        201,
    )
    factory.db.add(
        Qualification(
            member_id=uuid.UUID(chair["id"]),
            kind="union_work",
            level="basic",
            issued_on=date(today.year + 1, 12, 31),
            evidence="diploma",
            source="migrated",
            version=1,
        )
    )
    await factory.db.flush()
    url = qualifications_url(chair["id"])
    shown = await call(factory, "GET", url, officer)
    assert "union_work" not in {c["kind"] for c in shown["current"]}
    assert [r["counts"] for r in shown["records"]] == [False]
    due = await call(factory, "GET", f"{DUE}?union_id={district.id}", officer)
    assert [(r["member_name"], r["current_level"]) for r in due["items"]] == [("Trần Thị An", None)]

    # The course as the web app sends it: no certificate date (the course's last day counts).
    c = await course(
        factory,
        officer,
        district,
        status="running",
        starts_on=today.isoformat(),
        ends_on=today.isoformat(),
    )
    (p,) = await call(
        factory, "POST", f"{COURSES}/{c['id']}/participants", officer, {"member_ids": [chair["id"]]}
    )
    body = {
        "results": [
            {
                "participant_id": p["id"],
                "result": "completed",
                "certificate_no": "E2E-001",
                "certificate_date": None,
            }
        ]
    }
    await call(factory, "PUT", f"{COURSES}/{c['id']}/results", officer, body)
    shown = await call(factory, "GET", url, officer)
    assert {c["kind"]: c["level"] for c in shown["current"]}["union_work"] == "basic"
    (record,) = [r for r in shown["records"] if r["certificate_no"] == "E2E-001"]
    assert record["issued_on"] == today.isoformat() and record["source"] == "course"
    due = await call(factory, "GET", f"{DUE}?union_id={district.id}", officer)
    assert due["total"] == 0


async def test_the_todo_counts_cadres_due_and_overdue_once_each(factory: Factory) -> None:
    """The officers' reminder: how many cadres are on the due list today and how many of them
    are overdue. An officer of a district who also holds a role in one of its grassroots unions
    sees each cadre once, not once per role."""
    province = await factory.union()
    district = await factory.union(province, name="LĐLĐ huyện Tân Phước")
    g1 = await factory.union(district, name="CĐCS Công ty Dứa Tân Lập")
    g2 = await factory.union(district, name="CĐCS Trường THCS Mỹ Phước")
    officer = await factory.headers_for("union_officer", district)
    today = date.today()
    # g1's chair took office two years ago (overdue), g2's a month ago (due within the year).
    for union, name, took_office in (
        (g1, "Đặng Văn Quá Hạn", today - timedelta(days=730)),
        (g2, "Lê Thị Mới Nhận", today - timedelta(days=30)),
    ):
        person = await member(factory, officer, union, name=name)
        await call(
            factory,
            "POST",
            f"/api/v1/members/{person['id']}/cadre-posts",
            officer,
            {"union_id": str(union.id), "post": "chair", "from_date": took_office.isoformat()},
            201,
        )
    todo = await call(factory, "GET", "/api/v1/training/todo", officer)
    assert (todo["due_for_training"], todo["overdue_for_training"]) == (2, 1)

    user = await factory.user("union_officer", district)
    factory.db.add(RoleAssignment(user_id=user.id, role="union_officer", union_id=g1.id))
    await factory.db.flush()
    both = await factory.login(user.username)
    todo = await call(factory, "GET", "/api/v1/training/todo", both)
    assert (todo["due_for_training"], todo["overdue_for_training"]) == (2, 1)
    g1_only = await factory.headers_for("union_officer", g1)
    todo = await call(factory, "GET", "/api/v1/training/todo", g1_only)
    assert (todo["due_for_training"], todo["overdue_for_training"]) == (1, 1)
