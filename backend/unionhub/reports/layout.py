"""What a report's file says, whatever its format (xlsx.py, pdf.py): the official layout's
texts (thể thức văn bản) and the Vietnamese ways of writing numbers and dates.

Both files show the same title block, tables, lists, text and signature block; only how they
are drawn differs. Numbers read the Vietnamese way: 1.234 (dot between thousands) and 12,50%.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from unionhub.reports.schemas import ReportRead, ReportSection

# The time a report's figures were computed, as the reader's clock shows it.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MOTTO = ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
TABLE_HEADS = ("STT", "Chỉ tiêu")
LIST_HEADS = ("STT", "Họ tên / Tên đơn vị", "Mã", "Đơn vị", "Ngày", "Ghi chú")
SIGNATURE = ("TM. BAN CHẤP HÀNH", "CHỦ TỊCH", "(Ký, ghi rõ họ tên, đóng dấu)")
RECIPIENTS = "Nơi nhận:"


def vi_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def vi_count(value: int) -> str:
    """1234567 -> '1.234.567'."""
    return f"{value:,}".replace(",", ".")


def vi_share(value: Decimal | float) -> str:
    """0.125 -> '12,50%'."""
    return f"{float(value) * 100:.2f}%".replace(".", ",")


def vi_figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "share":
        return vi_share(value)
    return vi_count(int(value))


@dataclass(frozen=True)
class Heading:
    """The title block: the asking union over the unit at the left, the motto and the place
    and date at the right, then the title, the period and when the figures were computed."""

    upper: str
    unit: str
    dated: str
    title: str
    period: str
    as_of: str


def heading(report: ReportRead, upper_name: str | None, today: date) -> Heading:
    as_of: datetime | None = (
        report.generated_at.astimezone(VIETNAM) if report.generated_at else None
    )
    return Heading(
        upper=(upper_name or "").upper(),
        unit=report.union_name.upper(),
        dated=f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        title=report.title.upper(),
        period=(
            f"Kỳ báo cáo: từ ngày {vi_date(report.period_from)} "
            f"đến ngày {vi_date(report.period_to)}"
        ),
        as_of=f"Số liệu tính đến {as_of:%H:%M ngày %d/%m/%Y}" if as_of else "Chưa lập số liệu",
    )


def correction_notes(section: ReportSection) -> list[str]:
    """One note per corrected figure of a table: the computed figure, the corrected one and
    the reason."""
    if not section.columns or not section.rows:
        return []
    return [
        f"Ghi chú: {r.label} - {head.label}: số tính từ dữ liệu "
        f"{vi_figure(c.computed_value, r.unit)}, điều chỉnh {vi_figure(c.value, r.unit)}. "
        f"Lý do: {c.reason}"
        for r in section.rows
        for head, c in zip(section.columns, r.cells, strict=True)
        if c.corrected
    ]


def list_total(section: ReportSection) -> str:
    return f"Tổng số: {section.total or 0}" + (
        " (danh sách chỉ in phần đầu)" if section.truncated else ""
    )


def paragraphs(text: str | None) -> list[str]:
    """A free-text section's lines as written (blank lines kept: they part paragraphs)."""
    return (text or "").split("\n")


def text_lines(text: str | None, chars_per_line: int) -> int:
    """How many lines a free text takes in a box `chars_per_line` characters wide (at least
    one): a spreadsheet does not grow a merged cell to fit its text, so its row height is set
    from this."""
    return max(1, sum(max(1, math.ceil(len(line) / chars_per_line)) for line in paragraphs(text)))


def recipients(upper_name: str | None) -> tuple[str, ...]:
    return (f"- {upper_name or ''};", "- Lưu: VT.")
