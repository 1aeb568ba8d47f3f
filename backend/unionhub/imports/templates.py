"""Downloadable import templates: the headers officers fill in, with drop-down lists for the
columns that take fixed values and a sheet of instructions."""

import io

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from unionhub.imports.headers import Column
from unionhub.imports.sheets import csv_chunk
from unionhub.imports.vocab import ENTERPRISE_COLUMNS, MEMBER_COLUMNS

TEMPLATE_ROWS = 1_000
SHEET_NAMES = {"members": "Đoàn viên", "enterprises": "Doanh nghiệp"}


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
    guide.append(["Cột", "Bắt buộc", "Ghi chú"])
    for c in (guide["A1"], guide["B1"], guide["C1"]):
        c.font = bold
    for col in columns:
        guide.append([col.header, "Có" if col.required else "", _hint(col)])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 70
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_template(kind: str) -> bytes:
    """UTF-8 with BOM, so Excel shows the Vietnamese headers correctly."""
    return csv_chunk([[c.header for c in columns_of(kind)]], bom=True)
