"""The spreadsheet reader, writer and cell conversions, without the database."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from unionhub.imports import values
from unionhub.imports.headers import header_key
from unionhub.imports.readers import FileRejected, Sniffed, estimate_rows, open_rows, sniff
from unionhub.imports.values import CellError
from unionhub.imports.vocab import EDUCATION, EDUCATION_MAP, GENDER, GENDER_MAP, MEMBER_LAYOUT
from unionhub.imports.xlsx_reader import Cell, XlsxReader
from unionhub.imports.xlsx_writer import ColumnFormat, XlsxStreamWriter


def workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Số", "Có?"])
    ws.append(["  leading", date(1990, 1, 2), 82090000001, True])
    ws.append(['a & b <c> "d"', 3.5, -7, False])
    ws["E3"] = "=1+1"  # a formula without a cached value reads as empty
    ws.append([])
    ws["D5"].number_format = "dd/mm/yyyy"  # styled but empty
    ws["B6"] = "line\nbreak"
    ws["A7"] = CellRichText([TextBlock(InlineFont(b=True), "Nguyễn"), " Văn An"])
    ws["B8"] = datetime(2020, 5, 6, 7, 8)
    ws["B8"].number_format = "dd/mm/yyyy hh:mm"
    ws["AB8"] = "far right"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_reader_agrees_with_openpyxl() -> None:
    content = workbook()
    ours = dict(XlsxReader(zipfile.ZipFile(io.BytesIO(content))).rows())
    theirs = {
        i: [v for v in row]
        for i, row in enumerate(
            load_workbook(io.BytesIO(content), data_only=True).active.iter_rows(values_only=True),
            start=1,
        )
    }
    assert set(ours) == {1, 2, 3, 6, 7, 8}
    for number, cells in ours.items():
        expected = theirs[number]
        while expected and expected[-1] is None:
            expected.pop()
        assert cells == expected, number
    assert ours[7] == ["Nguyễn Văn An"]
    assert ours[8][27] == "far right"


def test_stream_writer_output_reads_back_everywhere() -> None:
    w = XlsxStreamWriter([ColumnFormat(6, "int"), ColumnFormat(20), ColumnFormat(12, "date")])
    rows = [[1, "Nguyễn <Văn> & An", date(1990, 5, 12)], [2, "=SUM(A1)", None, True, "bell\x07"]]
    content = w.start() + w.header(["STT", "Tên", "Ngày"]) + w.add(rows) + w.finish()
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert z.testzip() is None
    theirs = [
        list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    ]
    assert theirs[1][:3] == [1, "Nguyễn <Văn> & An", datetime(1990, 5, 12)]
    # A string that looks like a formula stays a string.
    assert theirs[2][1] == "=SUM(A1)" and theirs[2][3] is True
    ours = dict(XlsxReader(zipfile.ZipFile(io.BytesIO(content))).rows())
    assert ours[2] == [1, "Nguyễn <Văn> & An", datetime(1990, 5, 12)]
    # Control characters travel as Excel's _xHHHH_ escapes.
    assert ours[3][4] == "bell\x07"


def test_sniff_and_estimate() -> None:
    content = workbook()
    read = Sniffed("xlsx", sheet="Sheet", sheets=("Sheet",))
    assert sniff(content, "a.xlsx") == read
    assert sniff(content, "no-extension") == read
    assert estimate_rows(content, Sniffed("xlsx")) == 7
    assert sniff("Họ và tên\n".encode(), "a.csv") == Sniffed("csv", "utf-8")
    assert sniff("Họ và tên\n".encode("utf-16"), "a.csv") == Sniffed("csv", "utf-16")
    assert sniff(b"H\xf4 t\xean\n", "a.csv") == Sniffed("csv", "cp1258")
    with pytest.raises(FileRejected) as exc:
        sniff(content, "a.csv")
    assert exc.value.code == "file_type_mismatch"


def test_csv_rows_tab_delimited_utf16() -> None:
    text = 'Họ và tên\tNgày sinh\r\n"Lê, Văn"\t01/02/1990\r\n\t\r\nTrần\t\r\n'
    rows = list(open_rows(text.encode("utf-16"), Sniffed("csv", "utf-16")))
    assert rows == [
        (1, ["Họ và tên", "Ngày sinh"]),
        (2, ["Lê, Văn", "01/02/1990"]),
        (4, ["Trần", None]),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25/12/1990", date(1990, 12, 25)),
        ("5/1/1990", date(1990, 1, 5)),
        ("25-12-1990", date(1990, 12, 25)),
        ("25.12.1990", date(1990, 12, 25)),
        ("1990-12-25", date(1990, 12, 25)),
        (datetime(1990, 12, 25, 0, 0), date(1990, 12, 25)),
        (33232, date(1990, 12, 25)),
        (None, None),
    ],
)
def test_dates(raw: object, expected: date | None) -> None:
    assert values.day(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["31/02/1990", "12/25/90", "hôm qua", True, 3.5])
def test_bad_dates(raw: object) -> None:
    with pytest.raises(CellError) as exc:
        values.day(raw)  # type: ignore[arg-type]
    assert exc.value.code == "invalid_date"


def test_vietnamese_values() -> None:
    assert values.choice("NỮ", GENDER_MAP, GENDER) == "female"
    assert values.choice("nu", GENDER_MAP, GENDER) == "female"
    assert values.choice(" Đại Học ", EDUCATION_MAP, EDUCATION) == "university"
    assert values.choice("dai hoc", EDUCATION_MAP, EDUCATION) == "university"
    assert values.choice("12/12", EDUCATION_MAP, EDUCATION) == "upper_secondary"
    assert values.choice("university", EDUCATION_MAP, EDUCATION) == "university"
    with pytest.raises(CellError):
        values.choice("Tiến sĩ khoa học xã hội", EDUCATION_MAP, EDUCATION)
    assert [values.boolean(v) for v in ("Có", "co", "x", "KHÔNG", None, 1)] == [
        True,
        True,
        True,
        False,
        None,
        True,
    ]
    assert values.digits(82090000001, 30, pad_to=12) == "082090000001"
    assert values.digits("'082090000001", 30) == "082090000001"
    assert values.text("  Nguyễn\u00a0 Văn   An ", 120) == "Nguyễn Văn An"
    assert values.text("Nguye\u0302\u0303n", 120) == "Nguyễn"
    with pytest.raises(CellError):
        values.text("a\x00b", 10)
    with pytest.raises(CellError):
        values.text("a\x85b", 10)
    assert values.text("An\tBình", 20) == "An Bình"
    assert values.text("Kinh", 40) == "Kinh"


def test_repeated_columns_convert_each_distinct_value_once() -> None:
    calls: list[Cell] = []

    def convert(v: Cell) -> str | None:
        calls.append(v)
        return values.text(v, 10)

    cached = values.repeated(convert)
    assert [cached(v) for v in ("Kinh", "Kinh", 1, 1.0, True, "Kinh")] == [
        "Kinh",
        "Kinh",
        "1",
        "1",
        "True",
        "Kinh",
    ]
    # 1, 1.0 and True are equal keys to a plain cache: typed, each is converted on its own.
    assert calls == ["Kinh", 1, 1.0, True]
    # A value that fails raises every time (errors are not remembered as values).
    with pytest.raises(CellError):
        cached("x" * 11)
    with pytest.raises(CellError):
        cached("x" * 11)


def test_header_keys() -> None:
    assert header_key(" NGÀY  SINH: ") == "ngay sinh"
    positions, written, ignored = MEMBER_LAYOUT.match(
        ["stt", "ho va ten", "Số CCCD", "Ngày kết nạp", "Đơn vị", "Ghi chú", None]
    )
    assert [c.key for c in positions.values()] == [
        "row_no",
        "full_name",
        "personal_id",
        "admission_date",
        "union_code",
    ]
    assert written["personal_id"] == "Số CCCD" and ignored == ["Ghi chú"]
