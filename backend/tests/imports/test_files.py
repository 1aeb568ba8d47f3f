"""Uploads that are not what they claim, or are unsafe to open, are refused before any job."""

import io
import zipfile

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.imports.helpers import build_world, upload, xlsx_bytes, zip_bytes
from unionhub.imports.models import ImportJob
from unionhub.imports.readers import MAX_FILE_BYTES


async def jobs(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(ImportJob)) or 0)


async def test_text_file_named_xlsx_is_a_type_mismatch(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.officer_a, "Họ và tên,Ngày sinh\n".encode(), name="ds.xlsx")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "file_type_mismatch"
    r = await upload(factory.client, w.officer_a, xlsx_bytes([["a"]]), name="ds.csv")
    assert (r.status_code, r.json()["code"]) == (422, "file_type_mismatch")
    # An old binary .xls (OLE) file.
    r = await upload(
        factory.client,
        w.officer_a,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        name="ds.xls",
    )
    assert (r.status_code, r.json()["code"]) == (422, "file_type_mismatch")
    # A zip that is not a workbook.
    r = await upload(factory.client, w.officer_a, zip_bytes({"a.txt": b"hello"}), name="ds.xlsx")
    assert (r.status_code, r.json()["code"]) == (422, "file_type_mismatch")
    assert await jobs(db) == 0


async def test_macros_are_refused(factory: Factory, db: AsyncSession, runner: QueueRunner) -> None:
    w = await build_world(factory)
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Họ và tên"]]))) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    r = await upload(
        factory.client,
        w.officer_a,
        zip_bytes({**parts, "xl/vbaProject.bin": b"\x00VBA"}),
        name="ds.xlsx",
    )
    assert (r.status_code, r.json()["code"]) == (422, "file_has_macros")
    types = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    r = await upload(
        factory.client,
        w.officer_a,
        zip_bytes({**parts, "[Content_Types].xml": types}),
        name="ds.xlsx",
    )
    assert (r.status_code, r.json()["code"]) == (422, "file_has_macros")
    r = await upload(factory.client, w.officer_a, xlsx_bytes([["a"]]), name="ds.xlsm")
    assert (r.status_code, r.json()["code"]) == (422, "file_has_macros")
    assert await jobs(db) == 0


async def test_zip_bomb_is_refused(factory: Factory, db: AsyncSession, runner: QueueRunner) -> None:
    w = await build_world(factory)
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["Họ và tên"]]))) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    # 20 MB of one byte packs into about 20 KB: a ratio no spreadsheet has.
    bomb = zip_bytes({**parts, "xl/worksheets/sheet1.xml": b"<" + b" " * (20 << 20)})
    assert len(bomb) < 100_000
    r = await upload(factory.client, w.officer_a, bomb, name="ds.xlsx")
    assert (r.status_code, r.json()["code"]) == (422, "file_zip_bomb")
    assert await jobs(db) == 0


async def test_oversized_file_is_413(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(
        factory.client, w.officer_a, b"a;b\n" * (MAX_FILE_BYTES // 4 + 1), name="ds.csv"
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "file_too_large"
    assert await jobs(db) == 0


async def test_empty_and_unknown_types(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.officer_a, b"", name="ds.csv")
    assert (r.status_code, r.json()["code"]) == (422, "file_empty")
    r = await upload(factory.client, w.officer_a, b"%PDF-1.4", name="ds.pdf")
    assert (r.status_code, r.json()["code"]) == (422, "file_type_unsupported")
    r = await upload(factory.client, w.officer_a, b"\x00\x01\x02binary", name="ds.csv")
    assert (r.status_code, r.json()["code"]) == (422, "file_type_mismatch")


async def test_viewer_cannot_import(
    factory: Factory, db: AsyncSession, runner: QueueRunner
) -> None:
    w = await build_world(factory)
    r = await upload(factory.client, w.viewer_a, xlsx_bytes([["Họ và tên"]]))
    assert r.status_code == 403
    r = await factory.client.post("/api/v1/imports", headers=w.officer_a, data={"kind": "members"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "file"
