"""Exports in the layout of the screen (issue 14): the visible columns in the screen's order,
under a title block; personal data masked unless asked for with a purpose (audited). The
files are read back with python-calamine, as a user's spreadsheet program would see them."""

import csv
import io
from datetime import date, datetime
from typing import Any

from python_calamine import CalamineWorkbook
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import build_world, tax_code
from tests.imports.test_export import seed
from unionhub.core.audit import AuditEntry
from unionhub.enterprises.models import Enterprise
from unionhub.members.models import Member

EXPORT = "/api/v1/members/export"
JOBS = "/api/v1/members/export-jobs"
FILES = "/api/v1/file-jobs"
COLUMNS = ["full_name", "status", "union_name", "personal_id", "phone", "date_of_birth"]


def sheet_of(content: bytes) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [list(row) for row in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]


def text_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without the empty trailing cells calamine pads them with."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] in ("", None):
            cells.pop()
        out.append(cells)
    return out


async def actor_of(db: AsyncSession) -> str:
    entry = (
        await db.execute(
            select(AuditEntry)
            .where(AuditEntry.action == "members.export")
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(1)
        )
    ).scalar_one()
    return str(entry.actor_username)


async def test_the_file_holds_the_screens_columns_under_a_title_block_masked(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.get(
        EXPORT,
        headers=w.officer_a,
        params={"format": "xlsx", "columns": COLUMNS, "gender": "female", "status": "active"},
    )
    assert r.status_code == 200, r.text
    rows = text_rows(sheet_of(r.content))
    who = await actor_of(db)
    assert rows[0] == ["LĐLĐ huyện Cái Bè"]
    assert rows[1] == ["DANH SÁCH ĐOÀN VIÊN"]
    assert rows[2] == ["Điều kiện lọc: trạng thái: Đang sinh hoạt; giới tính: Nữ"]
    today = date.today().strftime("%d/%m/%Y")  # read now: a run can cross midnight
    assert rows[3] == [
        f"Ngày xuất: {today}; người xuất: Nguyễn Văn Thử ({who}); số dòng: 2 đoàn viên"
    ]
    assert rows[4] == ["Thông tin cá nhân: đã che một phần (số định danh, điện thoại)"]
    assert rows[5] == []
    assert rows[6] == [
        "Họ và tên",
        "Trạng thái",
        "Đơn vị sinh hoạt",
        "Số định danh cá nhân",
        "Số điện thoại",
        "Ngày sinh",
    ]
    data = {row[0]: row for row in rows[7:]}
    assert set(data) == {"Lê Thị Cúc", "Nguyễn Thị =Hoa"}
    hoa = data["Nguyễn Thị =Hoa"]
    assert hoa[1:5] == ["Đang sinh hoạt", "CĐCS Trường THPT Cái Bè", "*********004", "*******678"]
    born = hoa[5]
    assert (born.date() if isinstance(born, datetime) else born) == date(2001, 1, 31)
    # Cúc has no phone: the cell is empty, not "None".
    assert data["Lê Thị Cúc"][4] in ("", None)
    entry = (
        await db.execute(select(AuditEntry).where(AuditEntry.action == "members.export"))
    ).scalar_one()
    assert entry.after["columns"] == COLUMNS
    assert (entry.after["unmasked"], entry.after["purpose"], entry.after["rows"]) == (
        False,
        None,
        2,
    )


async def test_the_rows_come_in_the_lists_order(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    """The file lists the members in the order the screen does (its sort key), not in the
    order they were entered; also when a worker builds it."""
    w = await build_world(factory)
    await seed(factory, w)
    listed: dict[str, list[str]] = {}
    for sort in ("name", "-date_of_birth"):
        page = await factory.client.get(
            "/api/v1/members", headers=w.officer_a, params={"sort": sort, "size": 100}
        )
        listed[sort] = [m["full_name"] for m in page.json()["items"]]
        r = await factory.client.get(
            EXPORT,
            headers=w.officer_a,
            params={"format": "xlsx", "columns": ["full_name"], "sort": sort},
        )
        assert r.status_code == 200, r.text
        names = [row[0] for row in text_rows(sheet_of(r.content))[7:]]
        assert names == listed[sort]
    assert listed["name"] != listed["-date_of_birth"]
    job = (
        await factory.client.post(
            JOBS,
            headers=w.officer_a,
            params={"format": "xlsx", "columns": ["full_name"], "sort": "-date_of_birth"},
        )
    ).json()
    await runner.drain()
    r = await factory.client.get(f"{FILES}/{job['id']}/download", headers=w.officer_a)
    names = [row[0] for row in text_rows(sheet_of(r.content))[7:]]
    assert names == listed["-date_of_birth"]
    # A sort the list does not have is refused like the list refuses it.
    r = await factory.client.get(
        EXPORT,
        headers=w.officer_a,
        params={"format": "xlsx", "columns": ["full_name"], "sort": "x"},
    )
    assert r.status_code == 422


async def test_an_unmasked_file_needs_the_permission_and_a_purpose(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    params: dict[str, Any] = {"columns": ["full_name", "personal_id"], "unmasked": "true"}
    for purpose in (None, "   "):
        asked = {**params, **({"purpose": purpose} if purpose else {})}
        r = await factory.client.get(EXPORT, headers=w.officer_a, params=asked)
        assert r.status_code == 422, r.text
        problem = r.json()["errors"][0]
        assert (problem["field"], problem["code"]) == ("purpose", "export_purpose_required")
        # the job form refuses it as it is asked, not when a worker builds it
        r = await factory.client.post(JOBS, headers=w.officer_a, params=asked)
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == "export_purpose_required"
    # a viewer (no members:pii) cannot have it, purpose or not
    r = await factory.client.get(
        EXPORT, headers=w.viewer_a, params={**params, "purpose": "Đối chiếu BHXH"}
    )
    assert r.status_code == 403
    purpose = "Đối chiếu danh sách đóng BHXH quý IV"
    r = await factory.client.get(
        EXPORT, headers=w.officer_a, params={**params, "purpose": f"  {purpose} "}
    )
    assert r.status_code == 200, r.text
    rows = text_rows(sheet_of(r.content))
    assert rows[4] == [f"Thông tin cá nhân: đầy đủ, không che. Mục đích: {purpose}"]
    assert rows[6] == ["Họ và tên", "Số định danh cá nhân"]
    ids = {row[0]: row[1] for row in rows[7:]}
    assert ids["Nguyễn Văn An"] == "082090000001"
    entries = (
        (await db.execute(select(AuditEntry).where(AuditEntry.action == "members.export")))
        .scalars()
        .all()
    )
    assert [(e.after["unmasked"], e.after["purpose"]) for e in entries] == [(True, purpose)]


async def test_only_the_lists_columns_each_once(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    for columns, code in (
        (["full_name", "password_hash"], "export_column_unknown"),
        (["full_name", "phone", "full_name"], "duplicate_column"),
    ):
        r = await factory.client.get(EXPORT, headers=w.officer_a, params={"columns": columns})
        assert r.status_code == 422, r.text
        problem = r.json()["errors"][0]
        assert (problem["field"], problem["code"]) == ("columns", code)
    r = await factory.client.get(
        "/api/v1/enterprises/export", headers=w.officer_a, params={"columns": ["personal_id"]}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "export_column_unknown"


async def test_csv_has_the_title_block_then_the_header(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.get(
        EXPORT,
        headers=w.officer_a,
        params={
            "format": "csv",
            "columns": ["union_name", "full_name", "is_cadre"],
            "union_id": str(w.grassroots_a.id),
            "include_subtree": "false",
        },
    )
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["CĐCS Công ty May Cái Bè"]
    assert rows[2] == ["Điều kiện lọc: công đoàn: CĐCS Công ty May Cái Bè (chỉ đơn vị này)"]
    assert rows[5] == [] and rows[6] == ["Đơn vị sinh hoạt", "Họ và tên", "Cán bộ công đoàn"]
    assert rows[7:] == [["CĐCS Công ty May Cái Bè", "Nguyễn Văn An", "Không"]]


async def test_a_file_job_keeps_the_columns_and_the_unmasking(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    r = await factory.client.post(
        JOBS,
        headers=w.officer_a,
        params={
            "columns": ["personal_id", "full_name"],
            "unmasked": "true",
            "purpose": "Rà soát trùng lặp",
            "gender": "male",
        },
    )
    assert r.status_code == 202, r.text
    await runner.drain()
    r = await factory.client.get(f"{FILES}/{r.json()['id']}/download", headers=w.officer_a)
    assert r.status_code == 200
    rows = text_rows(sheet_of(r.content))
    assert rows[6] == ["Số định danh cá nhân", "Họ và tên"]
    assert rows[7:] == [["082090000001", "Nguyễn Văn An"]]
    entry = (
        await db.execute(select(AuditEntry).where(AuditEntry.action == "members.export"))
    ).scalar_one()
    assert entry.after["purpose"] == "Rà soát trùng lặp"


async def test_the_import_layout_is_masked_unless_asked(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    # An officer holding members:pii still gets masked numbers by default.
    r = await factory.client.get(EXPORT, headers=w.officer_a, params={"format": "csv"})
    text = r.content.decode("utf-8-sig")
    assert "*********001" in text and "082090000001" not in text


async def test_the_enterprise_list_exports_its_columns(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    await seed(factory, w)
    ent = Enterprise(
        tax_code=tax_code(2000001),
        name="Công ty TNHH May Cái Bè",
        ownership="non_state_domestic",
        responsible_union_id=w.district_a.id,
        total_workers=40,
        female_workers=25,
        surveyed_on=date(2026, 6, 30),
        search_text="cong ty tnhh may cai be",
    )
    db.add(ent)
    await db.flush()
    w.grassroots_a.enterprise_id = ent.id
    await db.execute(
        update(Member)
        .where(Member.full_name.in_(["Nguyễn Văn An", "Lê Thị Cúc"]))
        .values(enterprise_id=ent.id)
    )
    await db.flush()
    columns = [
        "name",
        "tax_code",
        "ownership",
        "responsible_union",
        "total_workers",
        "female_workers",
        "surveyed_on",
        "union",
        "member_count",
        "union_density",
        "operating_status",
    ]
    r = await factory.client.get(
        "/api/v1/enterprises/export",
        headers=w.officer_a,
        params={"columns": columns, "ownership": "non_state_domestic"},
    )
    assert r.status_code == 200, r.text
    rows = text_rows(sheet_of(r.content))
    assert rows[0] == ["LĐLĐ huyện Cái Bè"] and rows[1] == ["DANH SÁCH DOANH NGHIỆP"]
    assert rows[2] == ["Điều kiện lọc: loại hình: Ngoài nhà nước"]
    assert rows[4] == []
    assert rows[5][:4] == ["Tên doanh nghiệp", "Mã số thuế", "Loại hình", "Công đoàn phụ trách"]
    row = rows[6]
    assert row[0] == "Công ty TNHH May Cái Bè"
    assert row[2:4] == ["Ngoài nhà nước", "LĐLĐ huyện Cái Bè"]
    assert [int(row[4]), int(row[5])] == [40, 25]
    assert row[7:] == ["CĐCS Công ty May Cái Bè", 2, "5,0%", "Đang hoạt động"]


async def test_the_enterprise_file_follows_the_lists_sort(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    for n, (name, workers) in enumerate(
        [
            ("Công ty TNHH Ánh Dương", 30),
            ("Công ty CP Bình Minh", 120),
            ("Công ty TNHH Đại Lộc", 60),
        ]
    ):
        db.add(
            Enterprise(
                tax_code=tax_code(2000101 + n),
                name=name,
                ownership="non_state_domestic",
                responsible_union_id=w.district_a.id,
                total_workers=workers,
                female_workers=10,
                search_text=name.lower(),
            )
        )
    await db.flush()
    for sort in ("name", "-total_workers"):
        page = await factory.client.get(
            "/api/v1/enterprises", headers=w.officer_a, params={"sort": sort, "size": 100}
        )
        listed = [e["name"] for e in page.json()["items"]]
        r = await factory.client.get(
            "/api/v1/enterprises/export",
            headers=w.officer_a,
            params={"columns": ["name"], "sort": sort},
        )
        assert r.status_code == 200, r.text
        assert [row[0] for row in text_rows(sheet_of(r.content))[6:]] == listed
    assert listed[:3] == ["Công ty CP Bình Minh", "Công ty TNHH Đại Lộc", "Công ty TNHH Ánh Dương"]
