"""Importing and exporting enterprises."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import (
    API,
    build_world,
    commit,
    read_xlsx,
    report,
    tax_code,
    upload,
    xlsx_bytes,
)
from unionhub.enterprises.models import Enterprise, WorkerSurvey
from unionhub.imports.vocab import ENTERPRISE_COLUMNS

HEADERS = [c.header for c in ENTERPRISE_COLUMNS]


def row(n: int, name: str, tax: str, union: str, **extra: object) -> list[object]:
    values: dict[str, object] = {
        "STT": n,
        "Tên doanh nghiệp": name,
        "Mã số thuế": tax,
        "Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)": "Ngoài nhà nước",
        "Mã ngành VSIC": "14100",
        "Mã xã/phường": "28261",
        "Địa chỉ": "Ấp 1, xã Hòa Khánh",
        "Công đoàn phụ trách (mã)": union,
        "Tình trạng hoạt động": "Đang hoạt động",
        "Số lao động": 120,
        "Số lao động nữ": 80,
        "Ngày khảo sát": date(2025, 6, 30),
    }
    values.update(extra)  # type: ignore[arg-type]
    return [values.get(h) for h in HEADERS]


async def test_enterprise_import_report_commit_and_update(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    a, b = w.district_a.code, w.district_b.code
    good, other = tax_code(1000001), tax_code(1000100)
    rows = [
        HEADERS,
        row(1, "Công ty TNHH May Cái Bè", good, a),
        row(2, "Công ty Sai Mã", good[:9] + str((int(good[9]) + 1) % 10), a),
        row(3, "Công ty Trùng", good, a),
        row(4, "Công ty Mỹ Tho", other, b),
        row(
            5,
            "Công ty Lạ",
            tax_code(1000200),
            a,
            **{
                "Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)": "Tư bản",
                "Số lao động nữ": 200,
                "Ngày khảo sát": date.today() + timedelta(days=3),
            },
        ),
        row(
            6,
            "HTX Nông nghiệp",
            tax_code(1000300),
            w.grassroots_a.code,
            **{"Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)": "HTX"},
        ),
    ]
    job = (await upload(factory.client, w.officer_a, xlsx_bytes(rows), kind="enterprises")).json()
    assert report(job) == [
        (3, "Mã số thuế", "tax_code_check_digit"),
        (4, "Mã số thuế", "duplicate_in_file"),
        (5, "Công đoàn phụ trách (mã)", "union_not_found"),
        (6, "Loại hình (Nhà nước/Ngoài nhà nước/FDI/Hợp tác xã)", "invalid_choice"),
        (6, "Ngày khảo sát", "date_in_future"),
        (6, "Số lao động nữ", "female_exceeds_total"),
        (7, "Công đoàn phụ trách (mã)", "responsible_union_level"),
    ]
    r = await commit(
        factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={"valid_only": True}
    )
    assert r.json()["result"]["created"] == 1
    ent = (await db.execute(select(Enterprise))).scalar_one()
    assert (
        ent.name,
        ent.ownership,
        ent.total_workers,
        ent.surveyed_on,
        ent.responsible_union_id,
    ) == ("Công ty TNHH May Cái Bè", "non_state_domestic", 120, date(2025, 6, 30), w.district_a.id)
    assert "cong ty tnhh may cai be" in ent.search_text

    newer = [
        HEADERS,
        row(
            1,
            "Công ty TNHH May Cái Bè",
            good,
            a,
            **{
                "Số lao động": 150,
                "Số lao động nữ": 90,
                "Ngày khảo sát": date(2026, 1, 15),
                "Tình trạng hoạt động": "Tạm ngừng",
            },
        ),
    ]
    job = (
        await upload(
            factory.client, w.officer_a, xlsx_bytes(newer), kind="enterprises", mode="create"
        )
    ).json()
    assert report(job) == [(2, "Mã số thuế", "tax_code_taken")]
    job = (
        await upload(
            factory.client, w.officer_a, xlsx_bytes(newer), kind="enterprises", mode="update"
        )
    ).json()
    assert job["error_count"] == 0, job["errors"]
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["result"]["updated"] == 1
    await db.refresh(ent)
    assert (ent.total_workers, ent.female_workers, ent.operating_status, ent.version) == (
        150,
        90,
        "suspended",
        2,
    )
    surveys = (
        (await db.execute(select(WorkerSurvey.surveyed_on).order_by(WorkerSurvey.surveyed_on)))
        .scalars()
        .all()
    )
    assert surveys == [date(2025, 6, 30), date(2026, 1, 15)]

    # The export re-imports unchanged.
    r = await factory.client.get("/api/v1/enterprises/export", headers=w.officer_a)
    assert r.status_code == 200
    sheet = read_xlsx(r.content)
    assert sheet[0] == HEADERS and sheet[1][1] == "Công ty TNHH May Cái Bè"
    assert sheet[1][3] == good and sheet[1][10] == "Tạm ngừng"
    job = (
        await upload(factory.client, w.officer_a, r.content, kind="enterprises", mode="update")
    ).json()
    assert job["error_count"] == 0, job["errors"]
    r = await commit(factory.client, f"{API}/{job['id']}/commit", headers=w.officer_a, json={})
    assert r.json()["result"]["unchanged"] == 1
    # Another district sees nothing of it.
    r = await factory.client.get(
        "/api/v1/enterprises/export", headers=w.officer_b, params={"format": "csv"}
    )
    assert r.content.decode("utf-8-sig").strip().splitlines() == [",".join(HEADERS)]


async def test_grassroots_officer_cannot_import_enterprises(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    headers = await factory.headers_for("grassroots_officer", w.grassroots_a)
    r = await upload(factory.client, headers, xlsx_bytes([HEADERS]), kind="enterprises")
    assert r.status_code == 403
