"""Exports: the list's rows in the import layout, streamed, masked, scoped, audited; an
unmasked export re-imports as it is. The screen's layout: test_export_view."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    HEADERS,
    World,
    build_world,
    commit,
    member,
    personal_id,
    read_xlsx,
    table,
    upload,
    xlsx_bytes,
)
from unionhub.core.audit import AuditEntry
from unionhub.imports import export
from unionhub.members.models import Member

EXPORT = "/api/v1/members/export"
# Masked by default; a file that re-imports needs the numbers, asked for with a purpose.
UNMASKED = {"unmasked": "true", "purpose": "Cập nhật hàng loạt qua tệp"}


async def seed(factory: Factory, w: World) -> list[dict]:
    a, a2, b = w.grassroots_a.code, w.grassroots_a2.code, w.grassroots_b.code
    rows_a = [
        member(
            "Nguyễn Văn An",
            date(1990, 5, 12),
            personal_id(1990, False, 1),
            a,
            **{
                "Email": "an@example.vn",
                "Mã xã/phường": "28261",
                "Đảng viên": "Có",
                "Số thẻ đoàn viên": "TG-000123",
                "Trình độ chuyên môn": "Kỹ sư cơ khí",
            },
        ),
        member(
            "Lê Thị Cúc",
            date(1995, 7, 7),
            personal_id(1995, True, 3),
            a2,
            gender="Nữ",
            phone=None,
            admitted=date(2016, 2, 29),
        ),
        member(
            "Nguyễn Thị =Hoa",
            date(2001, 1, 31),
            personal_id(2001, True, 4),
            a2,
            gender="Nữ",
            **{"Trình độ học vấn": "Thạc sĩ", "Lý luận chính trị": None},
        ),
    ]
    rows_b = [member("Hoàng Văn Em", date(1987, 4, 4), personal_id(1987, False, 5), b)]
    for headers, rows in ((w.officer_a, rows_a), (w.officer_b, rows_b)):
        job = (await upload(factory.client, headers, xlsx_bytes(table(rows)))).json()
        assert job["error_count"] == 0, job["errors"]
        r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=headers, json={})
        assert r.json()["status"] == "committed"
    return rows_a


async def test_export_reimports_unchanged(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows_a = await seed(factory, w)
    r = await factory.client.get(EXPORT, headers=w.officer_a, params={"format": "xlsx", **UNMASKED})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    sheet = read_xlsx(r.content)
    assert sheet[0] == HEADERS
    got = {row[1]: dict(zip(HEADERS, row, strict=True)) for row in sheet[1:]}
    assert set(got) == {"Nguyễn Văn An", "Lê Thị Cúc", "Nguyễn Thị =Hoa"}
    for original in rows_a:
        out = got[original["Họ và tên"]]
        assert out["Ngày sinh"].date() == original["Ngày sinh"]
        assert out["Ngày vào công đoàn"].date() == original["Ngày vào công đoàn"]
        assert out["Số định danh cá nhân"] == original["Số định danh cá nhân"]
        assert out["Đơn vị (mã công đoàn)"] == original["Đơn vị (mã công đoàn)"]
        assert out["Giới tính"] == original["Giới tính"]
    an = got["Nguyễn Văn An"]
    assert (an["Email"], an["Mã xã/phường"], an["Đảng viên"], an["Số thẻ đoàn viên"]) == (
        "an@example.vn",
        "28261",
        "Có",
        "TG-000123",
    )
    assert (an["Trình độ học vấn"], an["Lý luận chính trị"], an["Quốc tịch"]) == (
        "Đại học",
        "Trung cấp",
        "Việt Nam",
    )
    assert got["Nguyễn Thị =Hoa"]["Trình độ học vấn"] == "Thạc sĩ"

    for fmt, name in (("xlsx", "export.xlsx"), ("csv", "export.csv")):
        r = await factory.client.get(
            EXPORT, headers=w.officer_a, params={"format": fmt, **UNMASKED}
        )
        job = (
            await upload(factory.client, w.officer_a, r.content, name=name, mode="update")
        ).json()
        assert job["error_count"] == 0, job["errors"]
        r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
        result = r.json()["result"]
        assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 3), fmt


async def test_csv_export_is_excel_friendly(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.get(EXPORT, headers=w.officer_a, params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    # A name starting with "=" must not become a formula.
    assert "Nguyễn Thị =Hoa" in text
    assert "12/05/1990" in text and r.headers["x-total-count"] == "3"


async def test_viewer_export_is_masked(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.get(EXPORT, headers=w.viewer_a, params={"format": "xlsx"})
    assert r.status_code == 200
    rows = [dict(zip(HEADERS, row, strict=True)) for row in read_xlsx(r.content)[1:]]
    assert len(rows) == 3
    an = next(row for row in rows if row["Họ và tên"] == "Nguyễn Văn An")
    assert an["Số định danh cá nhân"] == "*********001"
    assert an["Số điện thoại"] == "*******678"
    assert all("*" in row["Số định danh cá nhân"] for row in rows)


async def test_export_is_scoped_filtered_and_audited(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.get(EXPORT, headers=w.officer_b)
    names = [row[1] for row in read_xlsx(r.content)[1:]]
    assert names == ["Hoàng Văn Em"]
    r = await factory.client.get(
        EXPORT,
        headers=w.officer_a,
        params={"union_id": str(w.grassroots_a2.id), "format": "csv", "gender": "female"},
    )
    lines = r.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and "Lê Thị Cúc" in r.text and "Nguyễn Văn An" not in r.text
    # Another district's union reads as empty, not as an error that would confirm it.
    r = await factory.client.get(
        EXPORT, headers=w.officer_a, params={"union_id": str(w.grassroots_b.id)}
    )
    assert r.status_code == 200 and len(read_xlsx(r.content)) == 1
    entries = (
        (
            await db.execute(
                select(AuditEntry)
                .where(AuditEntry.action == "members.export")
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert [e.after["rows"] for e in entries] == [1, 2, 0]
    assert entries[1].after["filters"]["gender"] == "female"
    assert entries[1].after["format"] == "csv"


async def test_a_long_export_streams_every_row_once_in_creation_order(
    factory: Factory, db: AsyncSession, runner: QueueRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    # Two rows a fetch: the rows come in several parts of one ordered read.
    monkeypatch.setattr(export, "PAGE", 2)
    r = await factory.client.get(EXPORT, headers=w.admin, params={"format": "csv"})
    assert r.status_code == 200 and r.headers["x-total-count"] == "4"
    lines = r.content.decode("utf-8-sig").splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == ["1", "2", "3", "4"]
    created = (await db.execute(select(Member.full_name).order_by(Member.id))).scalars().all()
    assert [line.split(",")[1] for line in lines] == [*created]


async def test_export_does_not_shadow_member_routes(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await factory.client.get(
        "/api/v1/members/export", headers=w.officer_a, params={"format": "pdf"}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "format"
    # Not an id at all: no route matches (typed path parameter), so nothing is found.
    r = await factory.client.get("/api/v1/members/not-a-uuid", headers=w.officer_a)
    assert r.status_code == 404
