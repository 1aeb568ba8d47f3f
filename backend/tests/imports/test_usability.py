"""Files as officers really make them: numbers that lost their zeros, footers, invisible
characters, the data on another sheet, CSV saved as UTF-16 without a byte order mark."""

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    HEADERS,
    build_world,
    commit,
    csv_bytes,
    member,
    personal_id,
    report,
    settled,
    table,
    upload,
    xlsx_bytes,
)
from unionhub.members.models import Member


async def test_ids_of_provinces_001_to_009_typed_as_numbers_are_restored(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a = w.grassroots_a.code
    hanoi = personal_id(1990, False, 11, province="001")  # 001090000011
    rows = [
        # Excel kept 1090000011: two zeros lost.
        member("Nguyễn Văn An", date(1990, 5, 12), int(hanoi), a),
        # 082...: one zero lost (repaired before too).
        member("Trần Văn Bình", date(1991, 1, 2), int(personal_id(1991, False, 12)), a),
        # Two zeros short but the result does not fit the person (born 1985): left as typed.
        member("Lê Văn Cường", date(1985, 1, 2), 1090000013, a),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert report(job) == [(4, "Số định danh cá nhân", "personal_id_invalid_format")]
    # A CSV saved by Excel writes the number as it showed it, without the zeros.
    csv_rows = [member("Phạm Thị Dung", date(1990, 5, 12), "4190000014", a, gender="Nữ")]
    job = (
        await upload(factory.client, w.officer_a, csv_bytes(table(csv_rows)), name="ds.csv")
    ).json()
    assert job["status"] == "validated" and job["error_count"] == 0, job["errors"]
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    stored = (await db.execute(select(Member.personal_id))).scalars().all()
    assert stored == ["004190000014"]


async def test_numbering_and_footer_rows_are_skipped_not_bad_rows(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a = w.grassroots_a.code
    rows = table(
        [
            member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 21), a),
            member("Trần Văn Bình", date(1991, 1, 2), personal_id(1991, False, 22), a),
        ]
    )
    numbering = [f"({i})" for i in range(1, len(HEADERS) + 1)]
    footer = [
        [],
        [None, "Tổng cộng: 2 đoàn viên"],
        [None, None, None, None, "Ngày 05 tháng 12 năm 2026"],
        [None, "Người lập biểu", None, None, "TM. BAN CHẤP HÀNH"],
        [None, "(Ký, ghi rõ họ tên)", None, None, "Chủ tịch"],
        [],
        [None, "Lê Thị Lan", None, None, "Võ Văn Hùng"],
    ]
    content = xlsx_bytes([["DANH SÁCH ĐOÀN VIÊN"], rows[0], numbering, *rows[1:], *footer])
    job = (await upload(factory.client, w.officer_a, content)).json()
    assert job["status"] == "validated"
    assert (job["total_rows"], job["error_count"]) == (2, 0), job["errors"]
    assert job["result"]["ignored_rows"] == [3, 7, 8, 9, 10, 12]
    # A sparse row before any footer is still a (bad) data row.
    sparse = xlsx_bytes([*rows, [3, "Đỗ Văn Chiến"]])
    job = (await upload(factory.client, w.officer_a, sparse)).json()
    assert job["result"]["bad_rows"] == 1
    assert "ignored_rows" not in job["result"]


async def test_invisible_characters_are_stripped_from_names(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a = w.grassroots_a.code
    rows = [
        member(
            "Ngu\u200byễn\u00ad Văn\u2060 An\ufeff",
            date(1990, 5, 12),
            personal_id(1990, False, 31),
            a,
        ),
        # The same person typed cleanly: found as a duplicate of row 2.
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 31), a),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    assert report(job) == [(3, "Số định danh cá nhân", "duplicate_in_file")]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows[:1])))).json()
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert (await db.execute(select(Member.full_name))).scalar_one() == "Nguyễn Văn An"


def _two_sheets(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    guide.append(["Điền danh sách ở trang Đoàn viên."])
    data = wb.create_sheet("Đoàn viên")
    for r in rows:
        data.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_the_report_names_the_sheet_read_and_another_can_be_chosen(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = table(
        [member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 41), "IM-CB-MAY")]
    )
    content = _two_sheets(rows)
    job = (await upload(factory.client, w.officer_a, content)).json()
    assert job["status"] == "failed"
    assert job["result"]["sheet"] == "Hướng dẫn"
    assert job["result"]["sheets"] == ["Hướng dẫn", "Đoàn viên"]
    [error] = job["errors"]
    assert error["code"] == "header_not_found"
    assert "'Hướng dẫn'" in error["message"] and "'Đoàn viên'" in error["message"]
    r = await factory.client.post(
        API,
        headers=w.officer_a,
        files={"file": ("ds.xlsx", content, "application/octet-stream")},
        data={"kind": "members", "mode": "create", "sheet": "Đoàn viên"},
    )
    job = (await settled(factory.client, w.officer_a, r)).json()
    assert (job["status"], job["error_count"]) == ("validated", 0), job
    assert job["result"]["sheet"] == "Đoàn viên"
    r = await factory.client.post(
        API,
        headers=w.officer_a,
        files={"file": ("ds.xlsx", content, "application/octet-stream")},
        data={"kind": "members", "mode": "create", "sheet": "Trang 3"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "sheet_not_found"


async def test_utf16_csv_without_bom_is_read(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = table(
        [
            member(
                "Nguyễn Thị Ánh",
                date(1990, 5, 12),
                personal_id(1990, True, 51),
                "IM-CB-MAY",
                gender="Nữ",
            )
        ]
    )
    for encoding in ("utf-16-le", "utf-16-be"):
        content = csv_bytes(rows, delimiter="\t", bom=False, encoding=encoding)
        job = (await upload(factory.client, w.officer_a, content, name="ds.csv")).json()
        assert job["result"]["encoding"] == encoding
        assert (job["status"], job["error_count"]) == ("validated", 0), job["errors"]


async def test_the_audit_log_finds_an_imported_member_by_its_id(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a = w.grassroots_a.code
    rows = [
        member("Nguyễn Văn An", date(1990, 5, 12), personal_id(1990, False, 61), a),
        member("Trần Văn Bình", date(1991, 1, 2), personal_id(1991, False, 62), a),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)))).json()
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    an = (await db.execute(select(Member).where(Member.full_name == "Nguyễn Văn An"))).scalar_one()
    # The import's entries (the upload and the commit with its counts), found by the
    # member's id too.
    r = await factory.client.get(
        "/api/v1/audit", headers=w.officer_a, params={"entity_id": str(an.id)}
    )
    assert r.status_code == 200
    entries = r.json()["items"]
    assert [(e["action"], e["entity_id"]) for e in entries] == [
        ("import.commit", job["id"]),
        ("import.create", job["id"]),
    ]
    r = await factory.client.get(
        "/api/v1/audit",
        headers=w.officer_a,
        params={"entity_id": str(an.id), "entity_type": "member"},
    )
    assert [e["action"] for e in r.json()["items"]] == ["import.commit", "import.create"]
    # An update by a second import links it as well; what no import wrote finds only its own.
    rows[0]["Số điện thoại"] = "0987654321"
    job2 = (
        await upload(factory.client, w.officer_a, xlsx_bytes(table(rows[:1])), mode="update")
    ).json()
    await commit(factory.client, f"{API}/{job2['id']}/commit", headers=w.officer_a, json={})
    r = await factory.client.get(
        "/api/v1/audit", headers=w.officer_a, params={"entity_id": str(an.id)}
    )
    assert {e["entity_id"] for e in r.json()["items"]} == {job["id"], job2["id"]}
    r = await factory.client.get(
        "/api/v1/audit", headers=w.officer_a, params={"entity_id": str(w.grassroots_a2.id)}
    )
    assert [e["action"] for e in r.json()["items"]] == ["union.found"]
