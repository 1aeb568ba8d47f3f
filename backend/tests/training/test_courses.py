"""A course as the federation runs it: the province plans it and invites a district, the
district's grassroots unions nominate, the province accepts within the seats, takes
attendance and records results; completion gives the qualification record."""

from sqlalchemy import func, select

from tests.factories import Factory
from tests.training.helpers import COURSES, call, course, member, qualifications_url
from unionhub.core.audit import AuditEntry


async def test_course_from_nomination_to_qualification(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh Đồng Tháp")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    other = await factory.union(province, name="LĐLĐ thành phố Mỹ Tho")
    grassroots = await factory.union(district, name="CĐCS Công ty May Cái Bè")
    organiser = await factory.headers_for("federation_officer", province)
    unit = await factory.headers_for("grassroots_officer", grassroots)
    outsider = await factory.headers_for("union_officer", other)
    people = [
        await member(factory, organiser, grassroots, name=n)
        for n in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
    ]
    c = await course(
        factory,
        organiser,
        province,
        seats=2,
        invited_union_ids=[str(district.id)],
        provider="Trường Đại học Công đoàn",
        session_dates=["2024-03-04", "2024-03-05"],
    )
    url = f"{COURSES}/{c['id']}"
    assert c["status"] == "planned" and c["may_manage"] is True
    assert [i["union_name"] for i in c["invited"]] == ["LĐLĐ huyện Cái Bè"]
    assert c["qualification_kind"] == "union_work" and c["qualification_level"] == "basic"

    # The invitation reaches the grassroots union under the district; another district sees
    # nothing.
    seen = await call(factory, "GET", url, unit)
    assert seen["may_manage"] is False
    listed = await call(factory, "GET", COURSES, unit)
    assert [x["id"] for x in listed["items"]] == [c["id"]]
    await call(factory, "GET", url, outsider, expect=404)
    assert (await call(factory, "GET", COURSES, outsider))["total"] == 0

    ids = [p["id"] for p in people]
    closed = await call(
        factory, "POST", f"{url}/nominations", unit, {"member_ids": ids}, expect=409
    )
    assert closed["code"] == "nominations_closed"
    await call(factory, "PATCH", url, unit, {"status": "open_for_nominations"}, expect=403)
    opened = await call(factory, "PATCH", url, organiser, {"status": "open_for_nominations"})
    assert opened["status"] == "open_for_nominations" and opened["version"] == 2

    nominated = await call(factory, "POST", f"{url}/nominations", unit, {"member_ids": ids})
    assert {n["status"] for n in nominated} == {"nominated"}
    assert {n["nominated_by_union_id"] for n in nominated} == {str(district.id)}
    waiting = await call(factory, "GET", f"{url}/nominations", organiser)
    by_name = {n["member_name"]: n["id"] for n in waiting}
    assert len(by_name) == 3

    # Two seats: accepting all three is refused, then two are accepted and one declined.
    full = await call(
        factory,
        "POST",
        f"{url}/nominations/decisions",
        organiser,
        {"accept": list(by_name.values())},
        expect=409,
    )
    assert full["code"] == "seats_full"
    decided = await call(
        factory,
        "POST",
        f"{url}/nominations/decisions",
        organiser,
        {
            "accept": [by_name["Nguyễn Văn An"], by_name["Trần Thị Bình"]],
            "decline": [by_name["Lê Văn Cường"]],
            "note": "Hết chỗ",
        },
    )
    assert sorted(d["status"] for d in decided) == ["accepted", "accepted", "declined"]
    counted = await call(factory, "GET", url, organiser)
    assert counted["counts"] == {"accepted": 2, "declined": 1}

    # Attendance and results once the course runs.
    an, binh = by_name["Nguyễn Văn An"], by_name["Trần Thị Bình"]
    early = await call(
        factory,
        "PUT",
        f"{url}/attendance",
        organiser,
        {"session_on": "2024-03-04", "present": [an]},
        expect=409,
    )
    assert early["code"] == "course_not_running"
    await call(factory, "PATCH", url, organiser, {"status": "running"})
    await call(
        factory,
        "PUT",
        f"{url}/attendance",
        organiser,
        {"session_on": "2024-03-06", "present": [an]},
        expect=422,
    )
    for day in ("2024-03-04", "2024-03-05"):
        sheet = await call(
            factory,
            "PUT",
            f"{url}/attendance",
            organiser,
            {"session_on": day, "present": [an], "absent": [binh]},
        )
    assert sheet["sessions"] == ["2024-03-04", "2024-03-05"]
    rows = {r["participant_id"]: r for r in sheet["rows"]}
    assert rows[an]["present_on"] == ["2024-03-04", "2024-03-05"]
    assert rows[binh]["absent_on"] == ["2024-03-04", "2024-03-05"]

    results = await call(
        factory,
        "PUT",
        f"{url}/results",
        organiser,
        {
            "results": [
                {
                    "participant_id": an,
                    "result": "completed",
                    "score": "8.5",
                    "certificate_no": "CĐ-2024-001",
                    "certificate_date": "2024-03-10",
                },
                {"participant_id": binh, "result": "not_completed"},
            ]
        },
    )
    by_id = {r["id"]: r for r in results}
    assert by_id[an]["sessions_attended"] == 2 and by_id[an]["qualification_id"] is not None
    assert by_id[binh]["qualification_id"] is None

    an_member = people[0]["id"]
    quals = await call(factory, "GET", qualifications_url(an_member), unit)
    (record,) = quals["records"]
    assert record["kind"] == "union_work" and record["level"] == "basic"
    assert record["source"] == "course" and record["course_id"] == c["id"]
    assert record["certificate_no"] == "CĐ-2024-001" and record["issued_on"] == "2024-03-10"
    assert record["issuer"] == "Trường Đại học Công đoàn"
    assert quals["current"] == [
        {"kind": "union_work", "level": "basic", "qualification_id": record["id"]}
    ]
    assert (await call(factory, "GET", qualifications_url(people[1]["id"]), unit))["records"] == []

    # A corrected result takes the record away again.
    await call(
        factory,
        "PUT",
        f"{url}/results",
        organiser,
        {"results": [{"participant_id": an, "result": "not_completed"}]},
    )
    assert (await call(factory, "GET", qualifications_url(an_member), unit))["records"] == []

    # The grassroots union sees its own people on the roster; every step is audited.
    roster = await call(factory, "GET", f"{url}/participants", unit)
    assert len(roster) == 3
    audited = await factory.db.scalar(select(func.count()).where(AuditEntry.action.like("course%")))
    assert audited is not None and audited >= 10


async def test_direct_enrolment_needs_the_organiser_and_open_roster(factory: Factory) -> None:
    province = await factory.union()
    district = await factory.union(province)
    grassroots = await factory.union(district)
    organiser = await factory.headers_for("union_officer", district)
    unit = await factory.headers_for("grassroots_officer", grassroots)
    m = await member(factory, organiser, grassroots)
    c = await course(factory, organiser, district, kind="THEMATIC", title="Tập huấn luật 2024")
    url = f"{COURSES}/{c['id']}"
    # Not invited: the grassroots union does not see the district's course at all.
    await call(factory, "POST", f"{url}/participants", unit, {"member_ids": [m["id"]]}, 404)
    await call(factory, "PATCH", url, organiser, {"invited_union_ids": [str(grassroots.id)]})
    await call(factory, "POST", f"{url}/participants", unit, {"member_ids": [m["id"]]}, 403)
    added = await call(factory, "POST", f"{url}/participants", organiser, {"member_ids": [m["id"]]})
    assert added[0]["status"] == "accepted"
    # Adding again changes nothing.
    assert (
        await call(factory, "POST", f"{url}/participants", organiser, {"member_ids": [m["id"]]})
        == []
    )
    await call(factory, "PATCH", url, organiser, {"status": "running"})
    await call(factory, "PATCH", url, organiser, {"status": "finished"})
    closed = await call(
        factory, "POST", f"{url}/participants", organiser, {"member_ids": [m["id"]]}, 409
    )
    assert closed["code"] == "course_closed"
    bad = await call(factory, "PATCH", url, organiser, {"status": "planned"}, expect=409)
    assert bad["code"] == "course_status"
    # A thematic course gives no qualification.
    done = await call(
        factory,
        "PUT",
        f"{url}/results",
        organiser,
        {"results": [{"participant_id": added[0]["id"], "result": "completed"}]},
    )
    assert done[0]["result"] == "completed" and done[0]["qualification_id"] is None


async def test_course_kinds_are_data(factory: Factory) -> None:
    province = await factory.union()
    admin = await factory.headers_for("admin", province)
    district_officer = await factory.headers_for("union_officer", await factory.union(province))
    body = {
        "code": "it-basic",
        "name": "Bồi dưỡng tin học cơ bản",
        "qualification_kind": "it",
        "qualification_level": "basic",
    }
    await call(factory, "POST", "/api/v1/training/course-kinds", district_officer, body, 403)
    created = await call(factory, "POST", "/api/v1/training/course-kinds", admin, body, 201)
    assert created["code"] == "IT-BASIC"
    kinds = await call(factory, "GET", "/api/v1/training/course-kinds", district_officer)
    assert "IT-BASIC" in {k["code"] for k in kinds} and "UW-BASIC" in {k["code"] for k in kinds}
    dup = await call(factory, "POST", "/api/v1/training/course-kinds", admin, body, 422)
    assert dup["errors"][0]["code"] == "code_taken"
