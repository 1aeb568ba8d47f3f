"""Spreadsheets and a small union tree for the import tests."""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from httpx import AsyncClient, Response
from openpyxl import Workbook, load_workbook

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from unionhub.enterprises.validation import tax_code_check_digit
from unionhub.imports.vocab import MEMBER_COLUMNS
from unionhub.unions.models import Union

API = "/api/v1/imports"
HEADERS = [c.header for c in MEMBER_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class World:
    """Province; districts A and B; grassroots unions under each; officers and a viewer."""

    province: Union
    district_a: Union
    district_b: Union
    grassroots_a: Union
    grassroots_a2: Union
    grassroots_b: Union
    officer_a: dict[str, str]
    officer_b: dict[str, str]
    viewer_a: dict[str, str]
    admin: dict[str, str]


async def build_world(factory: Factory) -> World:
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp", code="IM")
    district_a = await factory.union(province, name="LĐLĐ huyện Cái Bè", code="IM-CB")
    district_b = await factory.union(province, name="LĐLĐ thành phố Mỹ Tho", code="IM-MT")
    grassroots_a = await factory.union(district_a, name="CĐCS Công ty May Cái Bè", code="IM-CB-MAY")
    grassroots_a2 = await factory.union(
        district_a, name="CĐCS Trường THPT Cái Bè", code="IM-CB-THPT"
    )
    grassroots_b = await factory.union(district_b, name="CĐCS Công ty Dệt Mỹ Tho", code="IM-MT-DET")
    return World(
        province=province,
        district_a=district_a,
        district_b=district_b,
        grassroots_a=grassroots_a,
        grassroots_a2=grassroots_a2,
        grassroots_b=grassroots_b,
        officer_a=await factory.headers_for("union_officer", district_a),
        officer_b=await factory.headers_for("union_officer", district_b),
        viewer_a=await factory.headers_for("viewer", district_a),
        admin=await factory.headers_for("admin", province),
    )


def personal_id(born: int, female: bool, serial: int, province: str = "082") -> str:
    century = (born // 100 - 19) * 2 + (1 if female else 0)
    return f"{province}{century}{born % 100:02d}{serial:06d}"


def tax_code(serial: int, province: str = "12") -> str:
    for n in range(serial, serial + 50):
        first = f"{province}{n:07d}"
        digit = tax_code_check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise AssertionError("no tax code")


def member(
    name: str,
    born: date,
    pid: str | None,
    union: str,
    *,
    gender: str = "Nam",
    phone: Any = "0912345678",
    admitted: Any = date(2020, 3, 1),
    **extra: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Họ và tên": name,
        "Ngày sinh": born,
        "Giới tính": gender,
        "Dân tộc": "Kinh",
        "Quốc tịch": "Việt Nam",
        "Số định danh cá nhân": pid,
        "Số điện thoại": phone,
        "Trình độ học vấn": "Đại học",
        "Lý luận chính trị": "Trung cấp",
        "Nghề nghiệp": "Công nhân may",
        "Đảng viên": "Không",
        "Ngày vào công đoàn": admitted,
        "Đơn vị (mã công đoàn)": union,
    }
    row.update(extra)
    return row


def table(rows: list[dict[str, Any]], headers: list[str] | None = None) -> list[list[Any]]:
    headers = headers or HEADERS
    out: list[list[Any]] = [list(headers)]
    for i, r in enumerate(rows, start=1):
        out.append([i if h == "STT" else r.get(h) for h in headers])
    return out


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook as Excel writes it (shared strings, styles), via openpyxl's normal mode."""
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list[Any]], delimiter: str = ";", bom: bool = True, encoding: str = "utf-8"
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    for r in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, date) else ("" if v is None else v) for v in r]
        )
    text = buf.getvalue()
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones as
    combining marks (the codec cannot encode a precomposed toned letter)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += base.encode("cp1258") + "".join(c for c in parts if c in _TONES).encode("cp1258")
    return bytes(out)


async def upload(
    client: AsyncClient,
    headers: dict[str, str],
    content: bytes,
    name: str = "doan-vien.xlsx",
    kind: str = "members",
    mode: str = "create",
    *,
    wait: bool = True,
) -> Response:
    """Upload a file; with `wait`, the job as the web app shows it once a worker validated it."""
    r = await client.post(
        API,
        headers=headers,
        files={"file": (name, content, XLSX if name.endswith(".xlsx") else "text/csv")},
        data={"kind": kind, "mode": mode},
    )
    return await settled(client, headers, r) if wait else r


async def commit(
    client: AsyncClient, url: str, *, headers: dict[str, str], json: dict[str, Any]
) -> Response:
    """Commit a job; the job as the web app shows it once a worker wrote it (or the refusal)."""
    return await settled(client, headers, await client.post(url, headers=headers, json=json))


async def settled(client: AsyncClient, headers: dict[str, str], accepted: Response) -> Response:
    """After a 202: let the queue's worker run (tests.imports.conftest), then poll the job
    once, as the web app does. Any other answer is returned as it is."""
    if accepted.status_code != 202:
        return accepted
    await QueueRunner.active().drain()
    return await client.get(f"{API}/{accepted.json()['id']}", headers=headers)


async def sheet_import(
    client: AsyncClient,
    url: str,
    headers: dict[str, str],
    content: bytes,
    *,
    dry_run: bool,
    name: str = "upload.xlsx",
    expect: int = 202,
) -> dict[str, Any]:
    """One record's sheet (a course's roster, a round's results) as the web app imports it:
    upload, the queued dry run's report, then - unless `dry_run` - the commit of a file that
    passed and its outcome. Returns the job with `committed` (the rows were written) and
    `commit_refused` (the commit's problem code, when it answered 409); an upload answered
    otherwise than `expect` fails the test, and any other answer is returned as it is."""
    r = await client.post(url, headers=headers, files={"file": (name, content)})
    assert r.status_code == expect, r.text
    if r.status_code != 202:
        out: dict[str, Any] = r.json()
        return out
    job: dict[str, Any] = (await settled(client, headers, r)).json()
    refused = None
    if not dry_run and job["status"] == "validated":
        at = f"{API}/{job['id']}/commit"
        r = await commit(client, at, headers=headers, json={"valid_only": False})
        if r.status_code == 409:
            refused = r.json()["code"]
        else:
            assert r.status_code == 200, r.text
            job = r.json()
    counts = (job.get("result") or {}).get("counts") or {}
    return {
        **job,
        "committed": job["status"] == "committed",
        "commit_refused": refused,
        "counts": counts,
    }


def report(job: dict[str, Any]) -> list[tuple[int | None, str | None, str]]:
    return sorted(
        ((e["row"], e["column"], e["code"]) for e in job["errors"]),
        key=lambda e: (e[0] or 0, e[1] or "", e[2]),
    )


def read_xlsx(content: bytes) -> list[list[Any]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()
