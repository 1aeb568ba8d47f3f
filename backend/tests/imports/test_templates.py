"""Templates carry the Vietnamese headers; a filled-in template imports."""

import io
from datetime import date
from urllib.parse import quote

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    HEADERS,
    build_world,
    commit,
    member,
    personal_id,
    table,
    upload,
    xlsx_bytes,
)
from unionhub.imports.templates import columns_of
from unionhub.imports.vocab import ENTERPRISE_COLUMNS
from unionhub.members.models import Member

MEMBER_HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Quốc tịch",
    "Số định danh cá nhân",
    "Số hộ chiếu",
    "Số điện thoại",
    "Email",
    "Mã xã/phường",
    "Trình độ học vấn",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Nghề nghiệp",
    "Mã số thuế doanh nghiệp",
    "Đảng viên",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
    "Đơn vị (mã công đoàn)",
]
ENTERPRISE_HEADERS = [
    "STT",
    "Tên doanh nghiệp",
    "Tên viết tắt",
    "Mã số thuế",
    "Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)",
    "Mã ngành VSIC",
    "Mã xã/phường",
    "Địa chỉ",
    "Khu công nghiệp",
    "Công đoàn phụ trách (mã)",
    "Tình trạng hoạt động",
    "Số lao động",
    "Số lao động nữ",
    "Ngày khảo sát",
]


async def test_templates_have_the_officers_headers(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    assert HEADERS == MEMBER_HEADERS
    assert [c.header for c in ENTERPRISE_COLUMNS] == ENTERPRISE_HEADERS
    for kind, headers in (("members", MEMBER_HEADERS), ("enterprises", ENTERPRISE_HEADERS)):
        r = await factory.client.get(f"{API}/templates/{kind}.csv", headers=w.viewer_a)
        assert r.status_code == 200
        assert r.content.startswith(b"\xef\xbb\xbf")
        lines = r.content.decode("utf-8-sig").strip().splitlines()
        assert lines[0] == ",".join(headers) and lines[1].startswith("Ví dụ,")
        assert len(lines) == 2
        r = await factory.client.get(f"{API}/templates/{kind}.xlsx", headers=w.viewer_a)
        assert r.status_code == 200
        wb = load_workbook(io.BytesIO(r.content))
        assert [c.value for c in wb.worksheets[0][1]] == headers
        # An example row under the header, every required column filled in.
        example = dict(zip(headers, [c.value for c in wb.worksheets[0][2]], strict=True))
        assert example["STT"] == "Ví dụ"
        required = [c.header for c in columns_of(kind) if c.required]
        assert all(example[h] not in (None, "") for h in required), example
        assert wb.sheetnames[1] == "Hướng dẫn"
        # The name as officers say it: plain ASCII for old clients, UTF-8 in filename*.
        stem = "Mẫu_nhập_đoàn_viên" if kind == "members" else "Mẫu_nhập_doanh_nghiệp"
        ascii_stem = "Mau_nhap_doan_vien" if kind == "members" else "Mau_nhap_doanh_nghiep"
        assert r.headers["content-disposition"] == (
            f'attachment; filename="{ascii_stem}.xlsx"; '
            f"filename*=UTF-8''{quote(stem + '.xlsx', safe='')}"
        )
    r = await factory.client.get(f"{API}/templates/cadres.xlsx", headers=w.viewer_a)
    assert r.status_code == 422
    r = await factory.client.get(f"{API}/templates/members.xlsx")
    assert r.status_code == 401


async def test_filled_template_imports(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await factory.client.get(f"{API}/templates/members.xlsx", headers=w.officer_a)
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    # Filled in under the example row, which stays as it is and is passed over.
    ws["B3"], ws["C3"], ws["D3"] = "Phan Thị Lan", date(1998, 2, 3), "Nữ"
    ws["G3"], ws["R3"], ws["T3"] = personal_id(1998, True, 42), "15/06/2022", w.grassroots_a.code
    ws["L3"], ws["Q3"] = "Cao đẳng", "x"
    out = io.BytesIO()
    wb.save(out)
    job = (await upload(factory.client, w.officer_a, out.getvalue())).json()
    assert (job["status"], job["total_rows"], job["error_count"]) == ("validated", 1, 0), job
    assert job["result"]["ignored_rows"] == [2]
    await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    lan = (await db.execute(select(Member))).scalar_one()
    assert (lan.education_level, lan.party_member, lan.admission_date) == (
        "college",
        True,
        date(2022, 6, 15),
    )


async def test_the_import_list_names_who_started_each_job(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    rows = [member("Phan Thị Lan", date(1998, 2, 3), personal_id(1998, True, 42), "IM-CB-MAY")]
    job = (
        await upload(factory.client, w.officer_a, xlsx_bytes(table(rows)), name="Mẫu.xlsx")
    ).json()
    r = await factory.client.get(API, headers=w.officer_a, params={"size": 10})
    assert r.status_code == 200
    [item] = r.json()["items"]
    assert (item["id"], item["file_name"], item["created_by_name"]) == (
        job["id"],
        "Mẫu.xlsx",
        "Nguyễn Văn Thử",
    )
