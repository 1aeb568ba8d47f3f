"""A course's roster as a spreadsheet: the export an organiser edits in Excel (attendance,
results, certificates) and imports back - a dry run reports every problem by row and column,
a commit writes only when every row passes - and the certificates listed on a person's page."""

import io
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from sqlalchemy import func, select

from tests.factories import Factory
from tests.imports.conftest import private_spool, runner  # noqa: F401 (the queue's worker)
from tests.imports.helpers import sheet_import, xlsx_bytes
from tests.training.helpers import COURSES, call, course, member, qualifications_url
from unionhub.core.audit import AuditEntry

HEADER = [
    "Số thẻ đoàn viên",
    "Họ và tên",
    "Buổi 04/03/2024",
    "Buổi 05/03/2024",
    "Kết quả",
    "Điểm",
    "Số chứng chỉ",
    "Ngày cấp chứng chỉ",
]


async def upload(
    factory: Factory,
    headers: dict[str, str],
    course_id: str,
    content: bytes,
    *,
    dry_run: bool,
    expect: int = 202,
) -> dict[str, Any]:
    url = f"{COURSES}/{course_id}/roster/import"
    return await sheet_import(
        factory.client, url, headers, content, dry_run=dry_run, name="hoc-vien.xlsx", expect=expect
    )


pytestmark = pytest.mark.usefixtures("runner")


async def export(factory: Factory, headers: dict[str, str], course_id: str) -> list[list[Any]]:
    r = await factory.client.get(f"{COURSES}/{course_id}/roster.xlsx", headers=headers)
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    rows = [list(values) for values in sheet.iter_rows(values_only=True)]
    # Trailing empty cells are not stored: pad the rows to the header's width.
    return [r + [None] * (len(rows[0]) - len(r)) for r in rows]


async def _setup(factory: Factory) -> dict[str, Any]:
    province = await factory.union(name="LĐLĐ tỉnh Đồng Tháp")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    other = await factory.union(province, name="LĐLĐ thành phố Mỹ Tho")
    grassroots = await factory.union(district, name="CĐCS Công ty May Cái Bè")
    elsewhere = await factory.union(other, name="CĐCS Trường THCS Mỹ Tho")
    organiser = await factory.headers_for("federation_officer", province)
    unit = await factory.headers_for("grassroots_officer", grassroots)
    outsider = await factory.headers_for("union_officer", other)
    an = await member(factory, organiser, grassroots, name="Nguyễn Văn An")
    binh = await member(factory, organiser, grassroots, name="Trần Thị Bình")
    cuong = await member(factory, organiser, grassroots, name="Lê Văn Cường")
    stranger = await member(factory, organiser, elsewhere, name="Phạm Văn Dũng")
    c = await course(
        factory,
        organiser,
        province,
        seats=3,
        invited_union_ids=[str(district.id)],
        provider="Trường Đại học Công đoàn",
        session_dates=["2024-03-04", "2024-03-05"],
    )
    await call(
        factory,
        "POST",
        f"{COURSES}/{c['id']}/participants",
        organiser,
        {"member_ids": [an["id"], binh["id"]]},
    )
    return {
        "organiser": organiser,
        "unit": unit,
        "outsider": outsider,
        "course": c,
        "an": an,
        "binh": binh,
        "cuong": cuong,
        "stranger": stranger,
    }


async def test_the_export_lists_the_roster_under_vietnamese_headers(factory: Factory) -> None:
    w = await _setup(factory)
    url = f"{COURSES}/{w['course']['id']}"
    await call(factory, "PATCH", url, w["organiser"], {"status": "running"})
    roster = await call(factory, "GET", f"{url}/participants", w["organiser"])
    ids = {p["member_name"]: p["id"] for p in roster}
    await call(
        factory,
        "PUT",
        f"{url}/attendance",
        w["organiser"],
        {
            "session_on": "2024-03-04",
            "present": [ids["Nguyễn Văn An"]],
            "absent": [ids["Trần Thị Bình"]],
        },
    )
    await call(
        factory,
        "PUT",
        f"{url}/results",
        w["organiser"],
        {
            "results": [
                {
                    "participant_id": ids["Nguyễn Văn An"],
                    "result": "completed",
                    "score": "8.5",
                    "certificate_no": "012/GCN-2024",
                    "certificate_date": "2024-03-12",
                }
            ]
        },
    )
    rows = await export(factory, w["organiser"], w["course"]["id"])
    assert rows[0] == [
        "STT",
        "Số thẻ đoàn viên",
        "Họ và tên",
        "Công đoàn",
        "Chức vụ",
        "Tình trạng",
        "Buổi 04/03/2024",
        "Buổi 05/03/2024",
        "Số buổi có mặt",
        "Kết quả",
        "Điểm",
        "Số chứng chỉ",
        "Ngày cấp chứng chỉ",
    ]
    by_name = {r[2]: r for r in rows[1:]}
    an = by_name["Nguyễn Văn An"]
    assert an[1] == w["an"]["card_number"]
    assert an[3] == "CĐCS Công ty May Cái Bè" and an[5] == "Đã nhận"
    assert an[6:12] == ["x", None, 1, "Hoàn thành", 8.5, "012/GCN-2024"]
    assert an[12].date().isoformat() == "2024-03-12"
    assert by_name["Trần Thị Bình"][6:10] == ["vắng", None, 0, None]
    # The export is audited; an outsider does not learn the course exists.
    n = await factory.db.scalar(
        select(func.count()).where(AuditEntry.action == "course.roster_export")
    )
    assert n == 1
    r = await factory.client.get(f"{url}/roster.xlsx", headers=w["outsider"])
    assert r.status_code == 404

    # The export imports back unchanged.
    content = xlsx_bytes(rows)
    checked = await upload(factory, w["organiser"], w["course"]["id"], content, dry_run=True)
    assert checked["error_count"] == 0 and checked["total_rows"] == 2, checked
    done = await upload(factory, w["organiser"], w["course"]["id"], content, dry_run=False)
    assert done["committed"] is True
    assert done["counts"] == {"added": 0, "updated": 0, "unchanged": 2}


async def test_import_reports_every_problem_and_writes_all_or_nothing(factory: Factory) -> None:
    w = await _setup(factory)
    cid = w["course"]["id"]
    url = f"{COURSES}/{cid}"
    await call(factory, "PATCH", url, w["organiser"], {"status": "running"})
    an, binh, cuong = w["an"]["card_number"], w["binh"]["card_number"], w["cuong"]["card_number"]
    bad = xlsx_bytes(
        [
            HEADER,
            [an, "Nguyễn Văn An", "x", "x", "Hoàn thành", "9", "001/GCN-2024", "12/03/2024"],
            [binh, "Trần Thị Bình", "x", "vắng", "Xuất sắc", "7,5", None, None],
            [cuong, "Lê Văn Cường", "x", "có", "Không hoàn thành", "120", None, None],
            ["CD9999999999", "Không có thật", None, None, None, None, None, None],
            [w["stranger"]["card_number"], "Phạm Văn Dũng", None, None, None, None, None, None],
            [an, "Nguyễn Văn An", None, None, None, None, None, None],
        ]
    )
    report = await upload(factory, w["organiser"], cid, bad, dry_run=True)
    assert report["status"] == "validated" and report["committed"] is False
    assert report["total_rows"] == 6 and report["valid_rows"] == 2
    found = {(e["row"], e["column"], e["code"], e["params"].get("value")) for e in report["errors"]}
    # Row 6 is valid: the organiser may enrol anyone they see, invited union or not.
    assert found == {
        (3, "Kết quả", "invalid_choice", "Xuất sắc"),
        (4, "Điểm", "too_large", "120"),
        (5, "Số thẻ đoàn viên", "member_card_not_found", "CD9999999999"),
        (7, "Số thẻ đoàn viên", "duplicate_in_file", an),
    }, found

    # A file with problems is not committed (all or nothing): nothing is written.
    r = await factory.client.post(
        f"/api/v1/imports/{report['id']}/commit", json={"valid_only": True}, headers=w["organiser"]
    )
    assert r.status_code == 409 and r.json()["code"] == "import_has_errors"
    refused = await upload(factory, w["organiser"], cid, bad, dry_run=False)
    assert refused["commit_refused"] == "import_has_errors"
    assert refused["committed"] is False and refused["error_count"] == report["error_count"]
    roster = await call(factory, "GET", f"{url}/participants", w["organiser"])
    assert [p["result"] for p in roster] == [None, None]
    assert len(roster) == 2

    # The fixed file: Cường joins (the third seat), everyone's attendance and results land.
    good = xlsx_bytes(
        [
            HEADER,
            [an, "Nguyễn Văn An", "x", "x", "Hoàn thành", "9", "001/GCN-2024", "12/03/2024"],
            [binh, "Trần Thị Bình", "x", "vắng", "Không hoàn thành", "4,5", None, None],
            [cuong, "Lê Văn Cường", "x", "có", "Hoàn thành", "8", "002/GCN-2024", "12/03/2024"],
        ]
    )
    checked = await upload(factory, w["organiser"], cid, good, dry_run=True)
    assert checked["error_count"] == 0, checked["errors"]
    done = await upload(factory, w["organiser"], cid, good, dry_run=False)
    assert done["committed"] is True
    assert done["counts"] == {"added": 1, "updated": 2, "unchanged": 0}
    roster = {
        p["member_name"]: p
        for p in await call(factory, "GET", f"{url}/participants", w["organiser"])
    }
    assert roster["Lê Văn Cường"]["status"] == "accepted"
    assert roster["Nguyễn Văn An"]["result"] == "completed"
    assert roster["Nguyễn Văn An"]["score"] == "9.00"
    assert roster["Nguyễn Văn An"]["certificate_date"] == "2024-03-12"
    assert roster["Trần Thị Bình"]["result"] == "not_completed"
    assert roster["Trần Thị Bình"]["score"] == "4.50"
    assert roster["Trần Thị Bình"]["sessions_attended"] == 1
    assert roster["Lê Văn Cường"]["sessions_attended"] == 2
    # Completion gave the qualification, as entering it on the course page does.
    quals = await call(factory, "GET", qualifications_url(w["cuong"]["id"]), w["organiser"])
    assert [(c["kind"], c["level"]) for c in quals["current"]] == [("union_work", "basic")]
    n = await factory.db.scalar(
        select(func.count()).where(AuditEntry.action == "course.roster_import")
    )
    assert n == 1

    # Certificates on each person's page: course, number, date, issuer.
    certs = await call(factory, "GET", f"/api/v1/members/{w['an']['id']}/certificates", w["unit"])
    assert [
        (c["course_title"], c["certificate_no"], c["certificate_date"], c["issuer"]) for c in certs
    ] == [
        (
            "Bồi dưỡng nghiệp vụ công đoàn cơ bản khóa 1/2024",
            "001/GCN-2024",
            "2024-03-12",
            "Trường Đại học Công đoàn",
        )
    ]
    assert (
        await call(factory, "GET", f"/api/v1/members/{w['binh']['id']}/certificates", w["unit"])
        == []
    )
    await call(
        factory, "GET", f"/api/v1/members/{w['an']['id']}/certificates", w["outsider"], expect=404
    )
    # The training history on the person's page has every course they were on, a result
    # without a certificate too (Bình has no certificate, so the list above is empty for her).
    history = await call(factory, "GET", f"/api/v1/members/{w['binh']['id']}/courses", w["unit"])
    assert [
        (h["title"], h["kind_name"], h["status"], h["result"], h["certificate_no"]) for h in history
    ] == [
        (
            "Bồi dưỡng nghiệp vụ công đoàn cơ bản khóa 1/2024",
            "Bồi dưỡng nghiệp vụ công đoàn cơ bản",
            "accepted",
            roster["Trần Thị Bình"]["result"],
            None,
        )
    ]
    await call(
        factory, "GET", f"/api/v1/members/{w['binh']['id']}/courses", w["outsider"], expect=404
    )


async def test_who_may_import_and_when(factory: Factory) -> None:
    w = await _setup(factory)
    cid = w["course"]["id"]
    an = w["an"]["card_number"]
    results = xlsx_bytes([HEADER, [an, "Nguyễn Văn An", "x", None, "Hoàn thành", None, None, None]])
    # The invited union sees the course but does not organise it; outsiders do not see it.
    refused = await upload(factory, w["unit"], cid, results, dry_run=True, expect=403)
    assert refused["code"] == "permission_denied"
    await upload(factory, w["outsider"], cid, results, dry_run=True, expect=404)
    # Before the course runs, the roster may grow but no result is taken.
    report = await upload(factory, w["organiser"], cid, results, dry_run=True)
    assert [(e["column"], e["code"]) for e in report["errors"]] == [
        ("Buổi 04/03/2024", "course_not_running")
    ]
    roster_only = xlsx_bytes([HEADER, [w["cuong"]["card_number"], "Lê Văn Cường"] + [None] * 6])
    done = await upload(factory, w["organiser"], cid, roster_only, dry_run=False)
    assert done["counts"] == {"added": 1, "updated": 0, "unchanged": 0}
    # A cancelled course's roster is closed.
    url = f"{COURSES}/{cid}"
    await call(factory, "PATCH", url, w["organiser"], {"status": "cancelled"})
    closed = await upload(factory, w["organiser"], cid, roster_only, dry_run=True, expect=409)
    assert closed["code"] == "course_closed"


async def test_a_course_cancelled_after_the_check_refuses_the_commit(factory: Factory) -> None:
    w = await _setup(factory)
    cid = w["course"]["id"]
    roster_only = xlsx_bytes([HEADER, [w["cuong"]["card_number"], "Lê Văn Cường"] + [None] * 6])
    checked = await upload(factory, w["organiser"], cid, roster_only, dry_run=True)
    assert checked["status"] == "validated" and checked["error_count"] == 0
    assert checked["kind"] == "training_roster" and checked["target_id"] == cid
    # The invited unit's officer sees the course, not its organiser's import.
    for who in ("unit", "outsider"):
        r = await factory.client.get(f"/api/v1/imports/{checked['id']}", headers=w[who])
        assert r.status_code == 404, who
    await call(factory, "PATCH", f"{COURSES}/{cid}", w["organiser"], {"status": "cancelled"})
    r = await factory.client.post(
        f"/api/v1/imports/{checked['id']}/commit",
        json={"valid_only": False},
        headers=w["organiser"],
    )
    assert r.status_code == 409 and r.json()["code"] == "course_closed"
    roster = await call(factory, "GET", f"{COURSES}/{cid}/participants", w["organiser"])
    assert len(roster) == 2
