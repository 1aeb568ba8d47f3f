"""Bulk attendance as the course page enters it: one session, everyone on the roster present
or absent in one request; entered again it replaces that session's marks and leaves the
other sessions alone; audited with who was marked what before and after; refused to a
reader, and an invited union reads only its own people's marks."""

import pytest
from sqlalchemy import select

from tests.factories import Factory
from tests.training.helpers import COURSES, call, course, member
from unionhub.core.audit import AuditEntry
from unionhub.core.config import get_settings


async def test_one_session_entered_in_bulk_then_corrected(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh Đồng Tháp")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    grassroots = await factory.union(district, name="CĐCS Công ty May Cái Bè")
    other = await factory.union(district, name="CĐCS Trường THCS Cái Bè")
    organiser = await factory.headers_for("federation_officer", province)
    reader = await factory.headers_for("viewer", province)
    unit = await factory.headers_for("grassroots_officer", grassroots)
    an = await member(factory, organiser, grassroots, name="Nguyễn Văn An")
    binh = await member(factory, organiser, other, name="Trần Thị Bình")
    c = await course(
        factory,
        organiser,
        province,
        invited_union_ids=[str(district.id)],
        session_dates=["2024-03-04", "2024-03-05"],
    )
    url = f"{COURSES}/{c['id']}"
    added = await call(
        factory, "POST", f"{url}/participants", organiser, {"member_ids": [an["id"], binh["id"]]}
    )
    pid = {p["member_name"]: p["id"] for p in added}
    await call(factory, "PATCH", url, organiser, {"status": "running"})

    everyone = {"session_on": "2024-03-04", "present": [pid["Nguyễn Văn An"], pid["Trần Thị Bình"]]}
    await call(factory, "PUT", f"{url}/attendance", organiser, everyone)
    other_day = {"session_on": "2024-03-05", "present": [pid["Nguyễn Văn An"]]}
    await call(factory, "PUT", f"{url}/attendance", organiser, other_day)
    corrected = {
        "session_on": "2024-03-04",
        "present": [pid["Nguyễn Văn An"]],
        "absent": [pid["Trần Thị Bình"]],
    }
    sheet = await call(factory, "PUT", f"{url}/attendance", organiser, corrected)
    rows = {r["participant_id"]: r for r in sheet["rows"]}
    assert rows[pid["Nguyễn Văn An"]]["present_on"] == ["2024-03-04", "2024-03-05"]
    assert rows[pid["Trần Thị Bình"]] == {
        "participant_id": pid["Trần Thị Bình"],
        "present_on": [],
        "absent_on": ["2024-03-04"],
    }
    roster = {
        p["member_name"]: p for p in await call(factory, "GET", f"{url}/participants", organiser)
    }
    assert roster["Nguyễn Văn An"]["sessions_attended"] == 2
    assert roster["Trần Thị Bình"]["sessions_attended"] == 0

    # The correction is audited with the marks it replaced.
    entries = (
        await factory.db.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "course.attendance")
            .order_by(AuditEntry.id)
        )
    ).all()
    assert len(entries) == 3
    last = entries[-1]
    assert str(last.entity_id) == c["id"] and last.union_id == province.id
    assert last.before == {
        "session_on": "2024-03-04",
        "present": sorted([pid["Nguyễn Văn An"], pid["Trần Thị Bình"]]),
        "absent": [],
    }
    assert last.after == {
        "session_on": "2024-03-04",
        "present": [pid["Nguyễn Văn An"]],
        "absent": [pid["Trần Thị Bình"]],
    }
    assert entries[0].before is None

    # A reader sees the sheet and cannot write it; the invited grassroots union sees its own.
    assert len((await call(factory, "GET", f"{url}/attendance", reader))["rows"]) == 2
    refused = await call(factory, "PUT", f"{url}/attendance", reader, everyone, expect=403)
    assert refused["code"] == "permission_denied"
    own = await call(factory, "GET", f"{url}/attendance", unit)
    assert [r["participant_id"] for r in own["rows"]] == [pid["Nguyễn Văn An"]]
    await call(factory, "PUT", f"{url}/attendance", unit, everyone, expect=403)
    after = await call(factory, "GET", f"{url}/attendance", organiser)
    assert {r["participant_id"]: r["absent_on"] for r in after["rows"]}[pid["Trần Thị Bình"]] == [
        "2024-03-04"
    ]


async def test_a_day_without_a_session_or_someone_off_the_roster_is_refused(
    factory: Factory,
) -> None:
    province = await factory.union()
    grassroots = await factory.union(await factory.union(province))
    organiser = await factory.headers_for("federation_officer", province)
    an = await member(factory, organiser, grassroots)
    c = await course(factory, organiser, province, session_dates=["2024-03-04"])
    url = f"{COURSES}/{c['id']}"
    (p,) = await call(factory, "POST", f"{url}/participants", organiser, {"member_ids": [an["id"]]})
    await call(factory, "PATCH", url, organiser, {"status": "running"})
    no_session = await call(
        factory,
        "PUT",
        f"{url}/attendance",
        organiser,
        {"session_on": "2024-03-05", "present": [p["id"]]},
        expect=422,
    )
    assert no_session["errors"][0]["field"] == "session_on"
    assert no_session["errors"][0]["code"] == "not_a_session"
    both = await call(
        factory,
        "PUT",
        f"{url}/attendance",
        organiser,
        {"session_on": "2024-03-04", "present": [p["id"]], "absent": [p["id"]]},
        expect=422,
    )
    assert both["errors"][0]["code"] == "present_and_absent"
    stranger = "00000000-0000-7000-8000-000000000001"
    unknown = await call(
        factory,
        "PUT",
        f"{url}/attendance",
        organiser,
        {"session_on": "2024-03-04", "present": [p["id"]], "absent": [stranger]},
        expect=422,
    )
    assert unknown["errors"][0]["field"] == "absent.0"
    assert unknown["errors"][0]["code"] == "participant_not_found"
    # Nothing was written by the refused requests.
    sheet = await call(factory, "GET", f"{url}/attendance", organiser)
    assert sheet["rows"] == [{"participant_id": p["id"], "present_on": [], "absent_on": []}]


async def _running_course_with_two(factory: Factory) -> tuple[str, dict[str, str], list[str]]:
    province = await factory.union(name="LĐLĐ tỉnh Đồng Tháp")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    grassroots = await factory.union(district, name="CĐCS Công ty May Cái Bè")
    organiser = await factory.headers_for("federation_officer", province)
    an = await member(factory, organiser, grassroots, name="Nguyễn Văn An")
    binh = await member(factory, organiser, grassroots, name="Trần Thị Bình")
    c = await course(factory, organiser, province, session_dates=["2024-03-04", "2024-03-05"])
    url = f"{COURSES}/{c['id']}"
    added = await call(
        factory, "POST", f"{url}/participants", organiser, {"member_ids": [an["id"], binh["id"]]}
    )
    await call(factory, "PATCH", url, organiser, {"status": "running"})
    return url, organiser, [p["id"] for p in added]


async def test_two_officers_saving_one_sheet_the_second_is_told_to_reload(
    factory: Factory,
) -> None:
    """Both load the sheet; the first saves; the second, still holding the first read's ETag,
    gets 412 version_mismatch and overwrites nothing; after reloading, the save goes through."""
    url, organiser, (an, binh) = await _running_course_with_two(factory)
    read = await factory.client.get(f"{url}/attendance", headers=organiser)
    assert read.status_code == 200, read.text
    etag = read.headers["etag"]
    assert etag == f'"{read.json()["version"]}"'

    first = {"session_on": "2024-03-04", "present": [an, binh]}
    r = await factory.client.put(
        f"{url}/attendance", json=first, headers={**organiser, "If-Match": etag}
    )
    assert r.status_code == 200, r.text
    assert r.headers["etag"] != etag and r.headers["etag"] == f'"{r.json()["version"]}"'

    second = {"session_on": "2024-03-04", "present": [an], "absent": [binh]}
    r = await factory.client.put(
        f"{url}/attendance", json=second, headers={**organiser, "If-Match": etag}
    )
    assert r.status_code == 412, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "version_mismatch"
    sheet = (await factory.client.get(f"{url}/attendance", headers=organiser)).json()
    rows = {row["participant_id"]: row for row in sheet["rows"]}
    assert rows[binh]["present_on"] == ["2024-03-04"] and rows[binh]["absent_on"] == []
    saves = (
        await factory.db.scalars(
            select(AuditEntry.id).where(AuditEntry.action == "course.attendance")
        )
    ).all()
    assert len(saves) == 1

    fresh = (await factory.client.get(f"{url}/attendance", headers=organiser)).headers["etag"]
    r = await factory.client.put(
        f"{url}/attendance", json=second, headers={**organiser, "If-Match": fresh}
    )
    assert r.status_code == 200, r.text
    rows = {row["participant_id"]: row for row in r.json()["rows"]}
    assert rows[binh]["absent_on"] == ["2024-03-04"]


async def test_the_sheet_and_the_course_keep_separate_versions(factory: Factory) -> None:
    """Saving attendance does not make the course's ETag stale, nor the other way round."""
    url, organiser, (an, _) = await _running_course_with_two(factory)
    course_etag = (await factory.client.get(url, headers=organiser)).headers["etag"]
    sheet_etag = (await factory.client.get(f"{url}/attendance", headers=organiser)).headers["etag"]
    r = await factory.client.put(
        f"{url}/attendance",
        json={"session_on": "2024-03-05", "present": [an]},
        headers={**organiser, "If-Match": sheet_etag},
    )
    assert r.status_code == 200, r.text
    sheet_etag = r.headers["etag"]
    r = await factory.client.patch(
        url, json={"place": "Hội trường B"}, headers={**organiser, "If-Match": course_etag}
    )
    assert r.status_code == 200, r.text
    r = await factory.client.put(
        f"{url}/attendance",
        json={"session_on": "2024-03-04", "present": [an]},
        headers={**organiser, "If-Match": sheet_etag},
    )
    assert r.status_code == 200, r.text


async def test_when_if_match_is_required_a_save_without_it_answers_428(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, organiser, (an, _) = await _running_course_with_two(factory)
    monkeypatch.setattr(get_settings(), "require_if_match", "everyone")
    body = {"session_on": "2024-03-04", "present": [an]}
    r = await factory.client.put(f"{url}/attendance", json=body, headers=organiser)
    assert r.status_code == 428, r.text
    assert r.json()["code"] == "if_match_required"
    sheet = (await factory.client.get(f"{url}/attendance", headers=organiser)).json()
    assert all(not row["present_on"] for row in sheet["rows"])
