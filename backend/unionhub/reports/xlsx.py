"""A report as an .xlsx file in the official layout (thể thức văn bản): the union's name at the
top left, the national motto at the right, the title and the period (dd/mm/yyyy), the tables,
the lists and the text, and the signature block.

Numbers are real numbers with a Vietnamese locale tag (`[$-42A]`: LibreOffice and Excel in
Vietnamese show 1.234 and 12,5%); dates are real dates shown dd/mm/yyyy. A report is small
(its lists are capped), so openpyxl writes it in memory.
"""

import io
from datetime import date
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from unionhub.reports import layout
from unionhub.reports.layout import MOTTO
from unionhub.reports.schemas import ReportRead

COUNT_FORMAT = "[$-42A]#,##0"
SHARE_FORMAT = "[$-42A]0.00%"
DATE_FORMAT = "dd/mm/yyyy"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
ITALIC = Font(name="Times New Roman", italic=True, size=12)
TITLE = Font(name="Times New Roman", bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
# Free text: its line breaks shown, from the top of its (tall) row.
TEXT = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Points per line of 12 pt text; characters of Times 12 pt per unit of column width (a unit
# is one character of the default font, a little narrower); the tallest row a sheet allows.
LINE_HEIGHT = 16
CHARS_PER_WIDTH = 0.9
MAX_ROW_HEIGHT = 409


def _width(report: ReportRead) -> int:
    """Columns the sheet uses: the widest table (label + cells), at least 6."""
    widest = 6
    for s in report.sections:
        if s.kind == "table" and s.columns:
            widest = max(widest, 2 + len(s.columns))
    return widest


def build(report: ReportRead, upper_name: str | None, today: date) -> tuple[IO[bytes], int]:
    """The workbook and how many figures and list rows it holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    width = _width(report)
    half = width // 2
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 48
    for col in range(3, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    sum_width = 8 + 48 + 18 * (width - 2)

    def put(row: int, col: int, value: Any, font: Font = PLAIN, align: Any = None) -> Any:
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = font
        if align is not None:
            cell.alignment = align
        return cell

    def merged(row: int, first: int, last: int, value: Any, font: Font, align: Any) -> None:
        put(row, first, value, font, align)
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    # Title block: the union at the left, the motto at the right.
    head = layout.heading(report, upper_name, today)
    merged(1, 1, half, head.upper, PLAIN, CENTER)
    merged(1, half + 1, width, MOTTO[0], BOLD, CENTER)
    merged(2, 1, half, head.unit, BOLD, CENTER)
    merged(2, half + 1, width, MOTTO[1], BOLD, CENTER)
    merged(3, half + 1, width, head.dated, ITALIC, CENTER)
    merged(5, 1, width, head.title, TITLE, CENTER)
    ws.row_dimensions[5].height = 36
    merged(6, 1, width, head.period, ITALIC, CENTER)
    merged(7, 1, width, head.as_of, ITALIC, CENTER)
    row = 9
    figures = 0
    for section in report.sections:
        merged(row, 1, width, section.title, BOLD, WRAP)
        row += 1
        if section.kind == "table" and section.columns and section.rows is not None:
            for j, head_label in enumerate(layout.TABLE_HEADS):
                put(row, 1 + j, head_label, BOLD, CENTER).border = BOX
            for j, column in enumerate(section.columns):
                put(row, 3 + j, column.label, BOLD, CENTER).border = BOX
            row += 1
            for i, r in enumerate(section.rows, start=1):
                put(row, 1, i, PLAIN, CENTER).border = BOX
                put(row, 2, r.label, PLAIN, WRAP).border = BOX
                for j, c in enumerate(r.cells):
                    value: Any = None
                    if c.available and c.value is not None:
                        value = float(c.value) if r.unit == "share" else int(Decimal(c.value))
                        figures += 1
                    cell = put(row, 3 + j, value if c.available else "-", PLAIN)
                    cell.border = BOX
                    cell.number_format = SHARE_FORMAT if r.unit == "share" else COUNT_FORMAT
                    if not c.available:
                        cell.alignment = CENTER
                row += 1
            notes = layout.correction_notes(section)
            for note in notes:
                merged(row, 1, width, note, ITALIC, WRAP)
                row += 1
        elif section.kind == "list":
            for j, list_head in enumerate(layout.LIST_HEADS):
                put(row, 1 + j, list_head, BOLD, CENTER).border = BOX
            row += 1
            for i, item in enumerate(section.items or [], start=1):
                values: tuple[Any, ...] = (
                    i,
                    item.label,
                    item.code,
                    item.union_name,
                    item.day,
                    item.detail,
                )
                for j, v in enumerate(values):
                    cell = put(row, 1 + j, v, PLAIN, WRAP)
                    cell.border = BOX
                    if isinstance(v, date):
                        cell.number_format = DATE_FORMAT
                figures += 1
                row += 1
            merged(row, 1, width, layout.list_total(section), ITALIC, WRAP)
            row += 1
        else:
            # The text as written, line breaks kept (wrap on); the row tall enough for it.
            merged(row, 1, width, section.text or "", PLAIN, TEXT)
            chars = int(sum_width * CHARS_PER_WIDTH)
            lines = layout.text_lines(section.text, chars)
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
            row += 1
        row += 1
    # Signature block.
    row += 1
    sign, chair, hint = layout.SIGNATURE
    to_upper, to_file = layout.recipients(upper_name)
    put(row, 1, layout.RECIPIENTS, Font(name="Times New Roman", bold=True, italic=True, size=11))
    merged(row, half + 1, width, sign, BOLD, CENTER)
    row += 1
    put(row, 1, to_upper, PLAIN)
    merged(row, half + 1, width, chair, BOLD, CENTER)
    row += 1
    put(row, 1, to_file, PLAIN)
    merged(row, half + 1, width, hint, ITALIC, CENTER)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.page_setup.orientation = "landscape" if width > 6 else "portrait"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out, figures
