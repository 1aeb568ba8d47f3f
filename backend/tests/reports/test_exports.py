"""A report's files, read back with libraries that did not write them: the .xlsx with
python-calamine (and its XML for the number formats), the PDF with pypdf. What they show must
be the report's snapshot as the API returns it."""

import io
import unicodedata
import zipfile
from datetime import date
from typing import Any
from xml.etree import ElementTree

from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.members.helpers import field_codes
from tests.reports.helpers import REPORTS, Province, build_province, post, report_of, send_request

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ASSESSMENT = (
    "Kết quả quý III:\r\n-  kết nạp   2 đoàn viên;\n\n\n\n- thành lập 1 CĐCS.  \nKiến nghị: không."
)
# As stored: CRLF read as LF, each line trimmed, at most one blank line in a row.
ASSESSMENT_STORED = (
    "Kết quả quý III:\n- kết nạp 2 đoàn viên;\n\n- thành lập 1 CĐCS.\nKiến nghị: không."
)


async def _export(
    factory: Factory, runner: QueueRunner, headers: dict[str, str], report_id: str, fmt: str
) -> tuple[bytes, dict[str, Any], str]:
    r = await factory.client.post(
        f"{REPORTS}/{report_id}/export-jobs", params={"format": fmt}, headers=headers
    )
    assert r.status_code == 202, r.text
    job = r.json()
    await runner.drain()
    state = (await factory.client.get(f"/api/v1/file-jobs/{job['id']}", headers=headers)).json()
    assert state["status"] == "ready", state
    r = await factory.client.get(f"/api/v1/file-jobs/{job['id']}/download", headers=headers)
    assert r.status_code == 200, r.text
    return r.content, state, r.headers["content-type"]


async def _generated_a(factory: Factory, w: Province) -> dict[str, Any]:
    """A's report, generated, one figure corrected and its assessment written in lines."""
    request = await send_request(factory, w)
    ra = await report_of(factory, w.officer_a, request["id"], w.a)
    ra = (await post(factory, w.officer_a, ra, "generate")).json()
    r = await factory.client.patch(
        f"{REPORTS}/{ra['id']}/values",
        json={
            "corrections": [
                {"cell": "members/admitted/total", "numerator": 1250, "reason": "Rà soát lại"}
            ],
            "texts": {"assessment": ASSESSMENT},
        },
        headers=w.officer_a,
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def _formats(content: bytes) -> dict[str, tuple[str, bool]]:
    """Each cell's number format code and whether it wraps, read from the file's XML."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    codes = {
        f.get("numFmtId"): f.get("formatCode") for f in styles.iterfind("x:numFmts/x:numFmt", NS)
    }
    xfs = []
    for xf in styles.iterfind("x:cellXfs/x:xf", NS):
        alignment = xf.find("x:alignment", NS)
        wraps = alignment is not None and alignment.get("wrapText") in ("1", "true")
        xfs.append((codes.get(xf.get("numFmtId"), f"builtin {xf.get('numFmtId')}"), wraps))
    return {
        str(c.get("r")): xfs[int(c.get("s") or 0)]
        for c in sheet.iterfind("x:sheetData/x:row/x:c", NS)
    }


def _cell_value(cell: dict[str, Any], unit: str) -> Any:
    if not cell["available"]:
        return "-"
    return float(cell["value"]) if unit == "share" else int(cell["value"])


async def test_the_xlsx_holds_the_snapshot_figures_dates_and_title_block(
    factory: Factory, runner: QueueRunner
) -> None:
    w = await build_province(factory)
    report = await _generated_a(factory, w)
    content, job, media = await _export(factory, runner, w.officer_a, report["id"], "xlsx")
    assert job["file_name"].endswith(".xlsx") and media.startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    formats = _formats(content)

    # The title block, from the report as the API shows it.
    today = date.today()
    assert rows[0][0] == report["requester_union_name"].upper() == "LĐLĐ TỈNH THỬ"
    assert rows[1][0] == report["union_name"].upper() == "LĐLĐ HUYỆN A"
    assert f"ngày {today:%d} tháng {today:%m} năm {today:%Y}" in rows[2]
    assert rows[4][0] == report["title"].upper()
    assert rows[5][0] == "Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/09/2026"

    # Every section in order: each figure, each list row (its date a real date shown
    # dd/mm/yyyy), the text. The sheet is walked from the first section's title.
    at = [r[0] for r in rows].index(report["sections"][0]["title"])
    figures = dates = 0
    for s in report["sections"]:
        assert rows[at][0] == s["title"], (at, rows[at])
        at += 1
        if s["kind"] == "table":
            assert rows[at][:2] == ["STT", "Chỉ tiêu"]
            assert rows[at][2 : 2 + len(s["columns"])] == [c["label"] for c in s["columns"]]
            at += 1
            for i, row in enumerate(s["rows"], start=1):
                expected = [_cell_value(c, row["unit"]) for c in row["cells"]]
                assert rows[at][: 2 + len(expected)] == [i, row["label"], *expected], rows[at]
                for j, c in enumerate(row["cells"]):
                    if c["available"]:
                        ref = f"{chr(ord('C') + j)}{at + 1}"
                        assert formats[ref][0] == "[$-42A]#,##0", (ref, formats[ref])
                        figures += 1
                at += 1
            at += sum(1 for r in s["rows"] for c in r["cells"] if c["corrected"])
        elif s["kind"] == "list":
            assert rows[at][1] == "Họ tên / Tên đơn vị"
            at += 1
            for i, item in enumerate(s["items"], start=1):
                day = date.fromisoformat(item["day"])
                assert rows[at][:5] == [
                    i,
                    item["label"],
                    item["code"] or "",
                    item["union_name"],
                    day,
                ]
                assert formats[f"E{at + 1}"][0] == "dd/mm/yyyy"
                dates += 1
                at += 1
            assert rows[at][0] == f"Tổng số: {s['total']}"
            at += 1
        else:
            assert rows[at][0] == (s["text"] or "")
            at += 1
        at += 1
    # What A's hand count gives (tests.reports.helpers): the corrected admissions, the four
    # dated rows of its lists (a1, a3 admitted; a2 transferred out; GA3 founded).
    assert figures >= 15 and dates == 4
    (admitted,) = [r for r in rows if r[1] == "Kết nạp mới trong kỳ"]
    assert admitted[2] == 1250
    # The assessment keeps its lines, in a cell that wraps.
    (text_row,) = [i for i, r in enumerate(rows) if r[0] == ASSESSMENT_STORED]
    assert formats[f"A{text_row + 1}"][1] is True


def _pdf_lines(content: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines()]
    return reader, [line for line in lines if line]


async def test_the_pdf_holds_the_same_report_with_its_vietnamese_letters(
    factory: Factory, runner: QueueRunner
) -> None:
    w = await build_province(factory)
    report = await _generated_a(factory, w)
    content, job, media = await _export(factory, runner, w.officer_a, report["id"], "pdf")
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert job["file_name"].endswith(".pdf") and media.startswith("application/pdf")
    reader, lines = _pdf_lines(content)
    assert reader.metadata is not None and reader.metadata.title == report["title"]
    # The font is embedded (a subset of the one shipped with the package).
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVuSerifCondensed" in f for f in fonts), fonts
    # Cells and long lines wrap: joined, the text reads as written (fpdf2 draws cell by cell).
    text = " ".join(lines)
    # The title block, with its diacritics.
    for expected in (
        "LĐLĐ TỈNH THỬ",
        "LĐLĐ HUYỆN A",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        report["title"].upper(),
        "Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/09/2026",
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
    ):
        assert expected in text, (expected, text)
    # Each table row: its number, label and figures written the Vietnamese way.
    for s in report["sections"]:
        if s["kind"] != "table":
            continue
        for i, row in enumerate(s["rows"], start=1):
            shown = [
                (f"{int(c['value']):,}".replace(",", ".") if c["available"] else "-")
                for c in row["cells"]
            ]
            assert " ".join([str(i), row["label"], *shown]) in text, (row["label"], lines)
    assert "3 Kết nạp mới trong kỳ 1.250 " in text
    assert "Ghi chú: Kết nạp mới trong kỳ - Tổng số: số tính từ dữ liệu 2, điều chỉnh" in text
    # Every list row, its date dd/mm/yyyy (A's: a3 and a1 admitted, a2 out, GA3 founded).
    listed = 0
    for s in report["sections"]:
        for i, item in enumerate(s.get("items") or [], start=1):
            day = date.fromisoformat(item["day"])
            written = [str(i), item["label"], item["code"] or "", item["union_name"]]
            assert " ".join([*written, f"{day:%d/%m/%Y}"]) in text, (item, lines)
            listed += 1
    assert listed == 4
    assert "1 Đoàn viên a3" in text and "15/07/2026" in text
    # The assessment, line by line.
    i = lines.index("Kết quả quý III:")
    assert lines[i : i + 4] == [
        "Kết quả quý III:",
        "- kết nạp 2 đoàn viên;",
        "- thành lập 1 CĐCS.",
        "Kiến nghị: không.",
    ]


async def test_free_text_keeps_its_line_breaks_and_refuses_blank_or_control_characters(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    report = await _generated_a(factory, w)
    (assessment,) = [s for s in report["sections"] if s["key"] == "assessment"]
    assert assessment["text"] == ASSESSMENT_STORED
    for bad, code in (("\n \r\n\t", "required"), ("Dòng\x0bhai", "control_character")):
        r = await factory.client.patch(
            f"{REPORTS}/{report['id']}/values",
            json={"texts": {"assessment": bad}},
            headers={**w.officer_a, "If-Match": f'"{report["version"]}"'},
        )
        assert field_codes(r) == {("texts.assessment", code)}, r.text
