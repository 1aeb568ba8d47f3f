"""The error workbook speaks Vietnamese: every code an importer can report has a text."""

import ast
from pathlib import Path

import pytest

from unionhub.core.error_codes import ErrorCode
from unionhub.imports.messages import VI, vietnamese

PACKAGE = Path(__file__).resolve().parents[2] / "unionhub"
# Where the problems of an import come from: the importers, the file readers, and the member
# and enterprise rules they run on every row.
SOURCES = [
    *sorted((PACKAGE / "imports").glob("*.py")),
    PACKAGE / "members" / "validation.py",
    PACKAGE / "enterprises" / "validation.py",
]


def codes_used_by_imports() -> set[ErrorCode]:
    found: set[ErrorCode] = set()
    for path in SOURCES:
        if path.name == "messages.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "ErrorCode"
            ):
                found.add(ErrorCode[node.attr])
    return found


USED = sorted(codes_used_by_imports())

# Params of the shapes the importers give, so every optional part of a text is exercised.
SAMPLE = {
    "value": "0791234",
    "first_row": 8,
    "max_length": 255,
    "min_length": 2,
    "min": 0,
    "max": 200_000,
    "max_mb": 20,
    "expected": "Nam, Nữ",
    "earliest": "2026-03-01",
    "today": "2026-12-05",
    "total": 1_250,
    "column": "Họ và tên",
    "alternative": "Số hộ chiếu",
    "headers": "STT, Họ và tên",
    "rows": 20,
    "province_code": "999",
    "id_gender": "female",
    "gender": "male",
    "id_year": 1991,
    "birth_year": 1990,
    "min_age": 15,
    "level": "district_federation",
    "mode": "create",
}


def test_the_scan_finds_the_importers_codes() -> None:
    # If the scan found nothing, the sweep below would check nothing.
    assert {
        ErrorCode.PERSONAL_ID_INVALID_FORMAT,
        ErrorCode.DUPLICATE_IN_FILE,
        ErrorCode.INVALID_DATE,
        ErrorCode.HEADER_NOT_FOUND,
        ErrorCode.FILE_ZIP_BOMB,
        ErrorCode.TAX_CODE_CHECK_DIGIT,
    } <= set(USED)


@pytest.mark.parametrize("code", USED)
def test_every_import_code_reads_in_vietnamese(code: ErrorCode) -> None:
    assert code in VI, f"no Vietnamese text for {code} in imports/messages.py"
    for params, column in (({}, None), (SAMPLE, "Số định danh cá nhân")):
        text = vietnamese(code, params, column)
        assert text.strip()
        assert "None" not in text and "{" not in text and '""' not in text
        # Vietnamese has a letter outside ASCII in every sentence; English has none.
        assert any(ord(ch) > 127 for ch in text), text


def test_the_texts_quote_the_cell() -> None:
    assert (
        vietnamese("personal_id_invalid_format", {"value": "0791234"}, "Số định danh cá nhân")
        == 'Số định danh cá nhân "0791234" phải có đúng 12 chữ số'
    )
    assert (
        vietnamese("duplicate_in_file", {"value": "079123456789", "first_row": 8}, "Số ĐDCN")
        == 'Số ĐDCN "079123456789" trùng với dòng 8 của tệp'
    )
    assert vietnamese(
        "date_in_future", {"value": "25/12/2030", "today": "2026-12-05"}, "Ngày sinh"
    ) == ('Ngày sinh "25/12/2030" là ngày trong tương lai (hôm nay là 05/12/2026)')
    # Numbers as Vietnamese write them.
    assert vietnamese("too_many_rows", {"max": 200_000}) == (
        "Tệp có quá nhiều dòng (tối đa 200.000 dòng); hãy chia nhỏ tệp"
    )


def test_an_unknown_code_is_still_vietnamese() -> None:
    assert vietnamese("no_such_code", {"value": "x"}, "Cột A") == 'Cột A "x" không hợp lệ'
