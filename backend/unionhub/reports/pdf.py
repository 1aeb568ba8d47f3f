"""A report as a PDF in the official layout, the same content as the .xlsx (layout.py): the
title block, the tables, the lists, the text (its line breaks kept) and the signature block.

Drawn with fpdf2 in DejaVu Serif Condensed, shipped in `fonts/` with its licence and embedded
as a subset, so every Vietnamese letter renders on any machine and in the image (ADR 0012).
Stored text is NFC, whose letters are single glyphs of the font: no shaping is needed.
"""

import io
from datetime import date
from pathlib import Path
from typing import IO

from fpdf import FPDF, FontFace, XPos, YPos
from fpdf.enums import TableBordersLayout, TextEmphasis

from unionhub.reports import layout
from unionhub.reports.layout import MOTTO
from unionhub.reports.schemas import ReportRead, ReportSection

FONTS = Path(__file__).with_name("fonts")
FAMILY = "DejaVuSerifCondensed"
STYLES = {"": "", "B": "-Bold", "I": "-Italic", "BI": "-BoldItalic"}
SIZE = 11
TABLE_SIZE = 10
LINE = 5.5  # mm per line of 11 pt text
TABLE_LINE = 5.0
BOLD = FontFace(emphasis=TextEmphasis.B)
ITALIC = FontFace(emphasis=TextEmphasis.I)
PLAIN = FontFace(emphasis=TextEmphasis.NONE)
NO_BORDERS = TableBordersLayout.NONE
# Tables start at the left margin (fpdf2 centres them on the page, which ignores the wider
# binding margin).
TABLE_ALIGN = "LEFT"


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "I", 9)
        self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")


def _document(report: ReportRead, landscape: bool) -> _Document:
    pdf = _Document(orientation="L" if landscape else "P", unit="mm", format="A4")
    for style, suffix in STYLES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"{FAMILY}{suffix}.ttf"))
    # Margins of an official document (left 30 mm for the binding, right 15 mm).
    pdf.set_margins(left=30, top=20, right=15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(report.title)
    pdf.set_author(report.union_name)
    pdf.set_creator("UnionHub")
    pdf.set_lang("vi")
    pdf.add_page()
    pdf.set_font(FAMILY, "", SIZE)
    return pdf


def _line(pdf: FPDF, text: str, style: str = "", size: int = SIZE, align: str = "C") -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", SIZE)


def _heading(pdf: FPDF, report: ReportRead, upper_name: str | None, today: date) -> None:
    head = layout.heading(report, upper_name, today)
    with pdf.table(
        align=TABLE_ALIGN,
        borders_layout=NO_BORDERS,
        first_row_as_headings=False,
        # The motto is the longer line: it gets three fifths.
        col_widths=(2, 3),
        text_align="CENTER",
        line_height=LINE,
    ) as table:
        row = table.row()
        row.cell(head.upper, style=PLAIN)
        row.cell(MOTTO[0], style=BOLD)
        row = table.row()
        row.cell(head.unit, style=BOLD)
        row.cell(MOTTO[1], style=BOLD)
        row = table.row()
        row.cell("")
        row.cell(head.dated, style=ITALIC)
    pdf.ln(LINE)
    _line(pdf, head.title, "B", 13)
    _line(pdf, head.period, "I")
    _line(pdf, head.as_of, "I")
    pdf.ln(LINE)


def _figures_table(pdf: FPDF, section: ReportSection) -> int:
    columns = section.columns or []
    figures = 0
    pdf.set_font(FAMILY, "", TABLE_SIZE)
    with pdf.table(
        align=TABLE_ALIGN,
        col_widths=(11, 62, *([24] * len(columns))),
        text_align=("CENTER", "LEFT", *(["RIGHT"] * len(columns))),
        line_height=TABLE_LINE,
        headings_style=BOLD,
    ) as table:
        heads = table.row()
        for label in (*layout.TABLE_HEADS, *(c.label for c in columns)):
            heads.cell(label, align="C")
        for i, r in enumerate(section.rows or [], start=1):
            row = table.row()
            row.cell(str(i))
            row.cell(r.label)
            for c in r.cells:
                if c.available:
                    row.cell(layout.vi_figure(c.value, r.unit))
                    figures += c.value is not None
                else:
                    row.cell("-", align="C")
    pdf.set_font(FAMILY, "", SIZE)
    for note in layout.correction_notes(section):
        _line(pdf, note, "I", align="L")
    return figures


def _list_table(pdf: FPDF, section: ReportSection) -> int:
    # Widths in mm on a portrait page (165 mm between the margins): a code and a date fit on
    # one line.
    pdf.set_font(FAMILY, "", TABLE_SIZE)
    with pdf.table(
        align=TABLE_ALIGN,
        col_widths=(11, 38, 28, 38, 24, 26),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "CENTER", "LEFT"),
        line_height=TABLE_LINE,
        headings_style=BOLD,
    ) as table:
        heads = table.row()
        for label in layout.LIST_HEADS:
            heads.cell(label, align="C")
        for i, item in enumerate(section.items or [], start=1):
            row = table.row()
            for value in (
                str(i),
                item.label,
                item.code or "",
                item.union_name,
                layout.vi_date(item.day) if item.day else "",
                item.detail or "",
            ):
                row.cell(value)
    pdf.set_font(FAMILY, "", SIZE)
    _line(pdf, layout.list_total(section), "I", align="L")
    return len(section.items or [])


def _signature(pdf: FPDF, upper_name: str | None) -> None:
    # The block stays on one page.
    if pdf.will_page_break(6 * LINE):
        pdf.add_page()
    pdf.ln(LINE)
    sign, chair, hint = layout.SIGNATURE
    to_upper, to_file = layout.recipients(upper_name)
    with pdf.table(
        align=TABLE_ALIGN,
        borders_layout=NO_BORDERS,
        first_row_as_headings=False,
        col_widths=(2, 3),
        text_align=("LEFT", "CENTER"),
        line_height=LINE,
    ) as table:
        row = table.row()
        row.cell(layout.RECIPIENTS, style=FontFace(emphasis=TextEmphasis.B | TextEmphasis.I))
        row.cell(sign, style=BOLD)
        row = table.row()
        row.cell(to_upper)
        row.cell(chair, style=BOLD)
        row = table.row()
        row.cell(to_file)
        row.cell(hint, style=ITALIC)


def build(report: ReportRead, upper_name: str | None, today: date) -> tuple[IO[bytes], int]:
    """The PDF and how many figures and list rows it holds."""
    widest = max((len(s.columns or []) for s in report.sections if s.kind == "table"), default=0)
    pdf = _document(report, landscape=widest > 4)
    _heading(pdf, report, upper_name, today)
    figures = 0
    for section in report.sections:
        # A section's title stays with the start of its content.
        if pdf.will_page_break(4 * LINE):
            pdf.add_page()
        _line(pdf, section.title, "B", align="L")
        if section.kind == "table" and section.columns and section.rows is not None:
            figures += _figures_table(pdf, section)
        elif section.kind == "list":
            figures += _list_table(pdf, section)
        else:
            # The text as written: multi_cell keeps its line breaks.
            _line(pdf, section.text or "", align="L")
        pdf.ln(LINE / 2)
    _signature(pdf, upper_name)
    return io.BytesIO(bytes(pdf.output())), figures
