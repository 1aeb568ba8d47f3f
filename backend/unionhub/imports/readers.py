"""Uploaded spreadsheets: what a file really is, whether it is safe to open, and its rows.

Checks run before a job exists, on the bytes alone (no parsing of cell data): size, magic
bytes against the claimed type, macros, zip bombs. A file that passes can then be streamed
row by row (`open_rows`) in a worker thread.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import AppError
from unionhub.core.text import clean_text
from unionhub.imports.xlsx_reader import (
    MAX_META_BYTES,
    MAX_ROW_BYTES,
    Cell,
    XlsxError,
    XlsxReader,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# Rows with a value a file may hold besides its data rows (title block, header, footer).
MAX_EXTRA_ROWS = 1_000
# A value further right than this column (SF) is not in a register file.
MAX_COLUMNS = 500
# Zip bombs: a small upload that inflates to gigabytes. Real workbooks compress text about
# 10-20 times; 200,000 rows written by openpyxl inflate to about 160 MB.
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 1_000
# Each part on its own: worksheets, the shared strings, and the rest (workbook, styles...).
MAX_SHEET_PART_BYTES = 200 * 1024 * 1024
MAX_STRINGS_PART_BYTES = 64 * 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_CONTENT_TYPES = (b"macroenabled", b"vnd.ms-office.vbaproject", b"vnd.ms-excel.addin")

Format = Literal["xlsx", "csv"]


class FileTooLarge(AppError):
    status = 413
    code = ErrorCode.FILE_TOO_LARGE
    title = "File too large"


class FileRejected(AppError):
    """The upload is not a spreadsheet we may open (422, with a specific code)."""

    status = 422
    code = ErrorCode.FILE_REJECTED
    title = "File rejected"


@dataclass(frozen=True)
class Sniffed:
    format: Format
    encoding: str | None = None  # csv only
    sheet: str | None = None  # xlsx: the sheet read
    sheets: tuple[str, ...] = ()  # xlsx: every sheet of the workbook


def sniff(content: bytes, file_name: str, sheet: str | None = None) -> Sniffed:
    """Decide what the upload is from its bytes, and refuse what is unsafe or mislabelled.
    For a workbook, also which sheet will be read: `sheet` by name, else the first visible."""
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into "
            "several files.",
            code=ErrorCode.FILE_TOO_LARGE,
            params={"max_mb": MAX_FILE_BYTES // (1024 * 1024)},
        )
    if not content.strip():
        raise FileRejected("The file is empty.", code=ErrorCode.FILE_EMPTY)
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ext in ("xlsm", "xltm", "xlam"):
        raise FileRejected(
            "Macro-enabled workbooks are not accepted; save the file as .xlsx.",
            code=ErrorCode.FILE_HAS_MACROS,
        )
    if content.startswith(ZIP_MAGIC):
        if ext == "csv":
            raise _mismatch("The file is named .csv but is a zip/Excel file; name it .xlsx.")
        inspect_xlsx(content)
        reader = _xlsx_reader(content, sheet)
        return Sniffed("xlsx", sheet=reader.sheet_name, sheets=tuple(reader.sheet_names))
    if content.startswith(OLE_MAGIC):
        raise _mismatch(
            "The file is an old-format (.xls) or password-protected workbook; open it in Excel "
            "and save it as an unprotected .xlsx."
        )
    if ext in ("xlsx", "xls", "xltx", "ods"):
        raise _mismatch(f"The file is named .{ext} but is not an Excel workbook.")
    if ext not in ("csv", "txt", ""):
        raise FileRejected(
            "Only .xlsx and .csv files can be imported.", code=ErrorCode.FILE_TYPE_UNSUPPORTED
        )
    return Sniffed("csv", _csv_encoding(content))


def _mismatch(message: str) -> FileRejected:
    return FileRejected(message, code=ErrorCode.FILE_TYPE_MISMATCH)


def inspect_xlsx(content: bytes) -> None:
    """A real .xlsx without macros whose declared sizes stay within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _mismatch("The file is a damaged zip archive, not a readable .xlsx.") from None
    names = {i.filename for i in infos}
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRejected("The workbook has too many parts.", code=ErrorCode.FILE_ZIP_BOMB)
    # Declared sizes bound what zipfile will inflate (it stops at file_size and then checks
    # the CRC), so checking them up front is enough.
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if (
        total > MAX_UNCOMPRESSED_BYTES
        or (packed and total / packed > MAX_COMPRESSION_RATIO)
        or worst > MAX_COMPRESSION_RATIO * 10
    ):
        raise FileRejected(
            "The workbook expands to far more data than a spreadsheet holds (zip bomb).",
            code=ErrorCode.FILE_ZIP_BOMB,
        )
    for info in infos:
        if info.file_size > _part_limit(info.filename):
            raise FileRejected(
                f"The workbook part {info.filename} expands to "
                f"{info.file_size >> 20} MB, more than a spreadsheet holds.",
                code=ErrorCode.FILE_ZIP_BOMB,
            )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _mismatch("The file is a zip archive but not an Excel workbook (.xlsx).")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRejected(
            "The workbook contains macros; save it as a plain .xlsx.",
            code=ErrorCode.FILE_HAS_MACROS,
        )
    types = archive.read("[Content_Types].xml").lower()
    if any(marker in types for marker in MACRO_CONTENT_TYPES):
        raise FileRejected(
            "The workbook is macro-enabled; save it as a plain .xlsx.",
            code=ErrorCode.FILE_HAS_MACROS,
        )


def _part_limit(name: str) -> int:
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/"):
        return MAX_SHEET_PART_BYTES
    if lowered == "xl/sharedstrings.xml":
        return MAX_STRINGS_PART_BYTES
    return MAX_META_BYTES


def _xlsx_reader(content: bytes, sheet: str | None) -> XlsxReader:
    try:
        return XlsxReader(zipfile.ZipFile(io.BytesIO(content)), sheet)
    except XlsxError as exc:
        raise FileRejected(str(exc), code=exc.code, params=exc.params) from None
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError):
        raise FileRejected("The workbook is damaged.", code=ErrorCode.FILE_UNREADABLE) from None


def _csv_encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with or without BOM (Excel's "Unicode text"),
    else Windows-1258, the Vietnamese code page older Excel versions save CSV in."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bare = _utf16_without_bom(content[:65536])
    if bare is not None:
        return bare
    if b"\x00" in content[:65536]:
        raise _mismatch("The file is binary, not a CSV text file.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        view = memoryview(content)
        for start in range(0, len(content), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1258"
    return "utf-8"


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text saved without its byte order mark: the zero high bytes of the ASCII
    characters (digits, separators, line ends) fall on one side of every byte pair, and the
    text decodes without control characters."""
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros < pairs * 0.2 or others > pairs * 0.02:
            continue
        # The sample may end inside a surrogate pair.
        text = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            decoded = text.decode(sample)
        except UnicodeDecodeError:
            return None
        if _CONTROL.search(decoded):
            return None
        return encoding
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def estimate_rows(content: bytes, sniffed: Sniffed) -> int:
    """Data rows the file seems to hold, for the progress bar before the count is known."""
    if sniffed.format == "csv":
        return max(content.count(b"\n") - 1, 0)
    try:
        declared = _xlsx_reader(content, sniffed.sheet).declared_rows()
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError):
        raise FileRejected("The workbook is damaged.", code=ErrorCode.FILE_UNREADABLE) from None
    return max((declared or 1) - 1, 0)


def open_rows(content: bytes, sniffed: Sniffed) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as in the sheet, cell values) for every non-blank row. Blocking: call it
    from a worker thread. Raises FileRejected for content that turns out unreadable, or that
    holds more than a register file does (rows, columns, bytes per row and per cell)."""
    if sniffed.format == "xlsx":
        return _bounded(_xlsx_rows(content, sniffed.sheet))
    return _bounded(_csv_rows(content, sniffed.encoding or "utf-8"))


def _bounded(rows: Iterator[tuple[int, list[Cell]]]) -> Iterator[tuple[int, list[Cell]]]:
    limit = MAX_ROWS + MAX_EXTRA_ROWS
    for count, (number, values) in enumerate(rows, start=1):
        if count > limit:
            raise FileRejected(
                f"The sheet holds more than {limit:,} rows; a file may hold at most "
                f"{MAX_ROWS:,} rows.",
                code=ErrorCode.TOO_MANY_ROWS,
                params={"max": MAX_ROWS},
            )
        if len(values) > MAX_COLUMNS:
            raise FileRejected(
                f"Row {number} has values in more than {MAX_COLUMNS} columns; remove what is "
                "beyond the table.",
                code=ErrorCode.FILE_TOO_MANY_COLUMNS,
                params={"row": number, "max": MAX_COLUMNS},
            )
        yield number, values


def _xlsx_rows(content: bytes, sheet: str | None) -> Iterator[tuple[int, list[Cell]]]:
    try:
        reader = XlsxReader(zipfile.ZipFile(io.BytesIO(content)), sheet)
        yield from reader.rows()
    except (XlsxError, zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError) as exc:
        if isinstance(exc, XlsxError):
            raise FileRejected(str(exc), code=exc.code, params=exc.params) from None
        raise FileRejected("The workbook is damaged.", code=ErrorCode.FILE_UNREADABLE) from None


def _has_long_line(content: bytes) -> bool:
    """A line longer than MAX_ROW_BYTES; each step jumps to the last line end of the next
    MAX_ROW_BYTES, so a 20 MB file takes a handful of searches."""
    pos = 0
    while len(content) - pos > MAX_ROW_BYTES:
        end = content.rfind(b"\n", pos, pos + MAX_ROW_BYTES + 1)
        if end < 0:
            return True
        pos = end + 1
    return False


def _csv_rows(content: bytes, encoding: str) -> Iterator[tuple[int, list[Cell]]]:
    # The csv module's field limit bounds each cell; this bounds a record (an unquoted one:
    # a quoted field may hold line breaks, but not past the field limit).
    if _has_long_line(content):
        raise FileRejected(
            f"A line of the file is longer than {MAX_ROW_BYTES >> 20} MB; a spreadsheet row is "
            "never that large.",
            code=ErrorCode.FILE_ROW_TOO_LARGE,
            params={"max_mb": MAX_ROW_BYTES >> 20},
        )
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    try:
        first = text.readline()
        text.seek(0)
        delimiter = max(";,\t", key=lambda d: (first.count(d), d == ","))
        reader = csv.reader(text, delimiter=delimiter)
        # cp1258 writes tones as combining marks: NFC makes them the precomposed letters the
        # rest of the system (and the database) holds.
        composing = encoding == "cp1258"
        for number, record in enumerate(reader, start=1):
            values: list[Cell] = [
                (clean_text(v) if composing else v.strip()) or None for v in record
            ]
            if any(v is not None for v in values):
                yield number, values
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileRejected(
                f"A cell holds more than {_CSV_FIELD_LIMIT:,} characters.",
                code=ErrorCode.FILE_CELL_TOO_LARGE,
                params={"max": _CSV_FIELD_LIMIT},
            ) from None
        raise FileRejected(
            f"The CSV file cannot be read: {exc}", code=ErrorCode.FILE_UNREADABLE
        ) from None
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"The CSV file cannot be read: {exc}", code=ErrorCode.FILE_UNREADABLE
        ) from None


# The csv module's own bound on a field (process-wide, left at its default).
_CSV_FIELD_LIMIT = csv.field_size_limit()
