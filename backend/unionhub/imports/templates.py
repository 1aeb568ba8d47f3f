"""Downloadable import templates: the headers officers fill in, an example row (its STT cell
says "Ví dụ", so the importer passes over it: headers.Furniture), drop-down lists for the
columns that take fixed values, and a sheet of instructions."""

import io
from datetime import date

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from unionhub.imports.headers import EXAMPLE_MARK, Column
from unionhub.imports.sheets import csv_chunk
from unionhub.imports.vocab import ENTERPRISE_COLUMNS, MEMBER_COLUMNS
from unionhub.imports.xlsx_reader import Cell

TEMPLATE_ROWS = 1_000
SHEET_NAMES = {"members": "Đoàn viên", "enterprises": "Doanh nghiệp"}
# The download's name, as officers say it (sent with filename* for the accents).
FILE_STEMS = {"members": "Mẫu_nhập_đoàn_viên", "enterprises": "Mẫu_nhập_doanh_nghiệp"}
EXAMPLE_NOTE = (
    f'Dòng 2 (ô STT ghi "{EXAMPLE_MARK}") là dòng mẫu để tham khảo, không được nhập; '
    "hãy điền dữ liệu từ dòng 3, hoặc ghi đè cả dòng mẫu (kể cả ô STT)."
)

# One made-up record per template, by column key: how each column is filled in.
EXAMPLES: dict[str, dict[str, object]] = {
    "members": {
        "row_no": EXAMPLE_MARK,
        "full_name": "Nguyễn Thị Mai",
        "date_of_birth": date(1992, 8, 20),
        "gender": "Nữ",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "personal_id": "082192001234",
        "phone": "0912345678",
        "email": "mai.nguyen@example.vn",
        "commune_code": "28261",
        "education_level": "Trung học phổ thông",
        "professional_qualification": "Công nhân kỹ thuật may",
        "political_theory": "Không",
        "occupation": "Công nhân may",
        "enterprise_tax_code": "1201234567",
        "party_member": "Không",
        "admission_date": date(2021, 6, 1),
        "union_code": "MA-CONG-DOAN",
    },
    "enterprises": {
        "row_no": EXAMPLE_MARK,
        "name": "Công ty TNHH May Mỹ Tho",
        "short_name": "May Mỹ Tho",
        "tax_code": "1201234567",
        "ownership": "Ngoài nhà nước",
        "vsic_code": "1410",
        "commune_code": "28261",
        "address": "Số 1 đường Lê Lợi",
        "industrial_zone": "KCN Mỹ Tho",
        "union_code": "MA-CONG-DOAN",
        "operating_status": "Đang hoạt động",
        "total_workers": 350,
        "female_workers": 280,
        "surveyed_on": date(2026, 6, 30),
    },
}


def file_name(kind: str, fmt: str) -> str:
    return f"{FILE_STEMS[kind]}.{fmt}"


def example_row(kind: str) -> list[object]:
    example = EXAMPLES[kind]
    return [example.get(c.key) for c in columns_of(kind)]


def columns_of(kind: str) -> tuple[Column, ...]:
    return MEMBER_COLUMNS if kind == "members" else ENTERPRISE_COLUMNS


def _hint(col: Column) -> str:
    if col.kind == "date":
        return "Ngày dạng dd/mm/yyyy"
    if col.choices:
        return "Một trong: " + ", ".join(col.choices)
    return col.note


def xlsx_template(kind: str) -> bytes:
    """The template workbook (blocking: build it in a worker thread)."""
    columns = columns_of(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAMES[kind]
    ws.append([c.header for c in columns])
    ws.append(example_row(kind))
    sample = Font(italic=True, color="595959")
    for cell in ws[2]:
        cell.font = sample
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        fmt = {"date": "dd/mm/yyyy", "text": "@"}.get(col.kind)
        if fmt:
            # Text format keeps the leading zero of 082... personal IDs and tax codes.
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=i).number_format = fmt
        if col.choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(col.choices) + '"',
                allow_blank=True,
                showErrorMessage=False,
            )
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    guide = wb.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Ghi chú", "Ví dụ"])
    for c in (guide["A1"], guide["B1"], guide["C1"], guide["D1"]):
        c.font = bold
    for col, value in zip(columns, example_row(kind), strict=True):
        shown = value.strftime("%d/%m/%Y") if isinstance(value, date) else value
        guide.append([col.header, "Có" if col.required else "", _hint(col), shown])
    guide.append([])
    guide.append([EXAMPLE_NOTE])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 70
    guide.column_dimensions["D"].width = 30
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text_cell(value: object) -> Cell:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value if isinstance(value, str | int) else None


def csv_template(kind: str) -> bytes:
    """UTF-8 with BOM, so Excel shows the Vietnamese headers correctly; the example row
    under the header (passed over by the importer)."""
    example = [_text_cell(v) for v in example_row(kind)]
    return csv_chunk([[c.header for c in columns_of(kind)], example], bom=True)
