"""Uploaded spreadsheets: what a file really is, whether it is safe to open, and its rows.

Checks run before a job exists, on the bytes alone (no parsing of cell data): size, magic
bytes against the claimed type, macros, zip bombs. A file that passes can then be streamed
row by row (`open_rows`) in a worker thread.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from unionhub.core.errors import AppError
from unionhub.core.text import clean_text
from unionhub.imports.xlsx_reader import Cell, XlsxError, XlsxReader

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# Zip bombs: a small upload that inflates to gigabytes. Real workbooks compress text about
# 10-20 times; 200,000 rows written by openpyxl inflate to about 180 MB.
MAX_UNCOMPRESSED_BYTES = 250 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 1_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_CONTENT_TYPES = (b"macroenabled", b"vnd.ms-office.vbaproject", b"vnd.ms-excel.addin")

Format = Literal["xlsx", "csv"]


class FileTooLarge(AppError):
    status = 413
    code = "file_too_large"
    title = "File too large"


class FileRejected(AppError):
    """The upload is not a spreadsheet we may open (422, with a specific code)."""

    status = 422
    code = "file_rejected"
    title = "File rejected"


@dataclass(frozen=True)
class Sniffed:
    format: Format
    encoding: str | None = None  # csv only


def sniff(content: bytes, file_name: str) -> Sniffed:
    """Decide what the upload is from its bytes, and refuse what is unsafe or mislabelled."""
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into "
            "several files.",
            code="file_too_large",
        )
    if not content.strip():
        raise FileRejected("The file is empty.", code="file_empty")
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ext in ("xlsm", "xltm", "xlam"):
        raise FileRejected(
            "Macro-enabled workbooks are not accepted; save the file as .xlsx.",
            code="file_has_macros",
        )
    if content.startswith(ZIP_MAGIC):
        if ext == "csv":
            raise _mismatch("The file is named .csv but is a zip/Excel file; name it .xlsx.")
        inspect_xlsx(content)
        return Sniffed("xlsx")
    if content.startswith(OLE_MAGIC):
        raise _mismatch(
            "The file is an old-format (.xls) or password-protected workbook; open it in Excel "
            "and save it as an unprotected .xlsx."
        )
    if ext in ("xlsx", "xls", "xltx", "ods"):
        raise _mismatch(f"The file is named .{ext} but is not an Excel workbook.")
    if ext not in ("csv", "txt", ""):
        raise FileRejected(
            "Only .xlsx and .csv files can be imported.", code="file_type_unsupported"
        )
    return Sniffed("csv", _csv_encoding(content))


def _mismatch(message: str) -> FileRejected:
    return FileRejected(message, code="file_type_mismatch")


def inspect_xlsx(content: bytes) -> None:
    """A real .xlsx without macros whose declared sizes stay within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _mismatch("The file is a damaged zip archive, not a readable .xlsx.") from None
    names = {i.filename for i in infos}
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileRejected("The workbook has too many parts.", code="file_zip_bomb")
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
            code="file_zip_bomb",
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _mismatch("The file is a zip archive but not an Excel workbook (.xlsx).")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRejected(
            "The workbook contains macros; save it as a plain .xlsx.", code="file_has_macros"
        )
    types = archive.read("[Content_Types].xml").lower()
    if any(marker in types for marker in MACRO_CONTENT_TYPES):
        raise FileRejected(
            "The workbook is macro-enabled; save it as a plain .xlsx.", code="file_has_macros"
        )


def _csv_encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else
    Windows-1258, the Vietnamese code page older Excel versions save CSV in."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
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


def estimate_rows(content: bytes, sniffed: Sniffed) -> int:
    """Data rows the file seems to hold, for the progress bar before the count is known."""
    if sniffed.format == "csv":
        return max(content.count(b"\n") - 1, 0)
    try:
        declared = XlsxReader(zipfile.ZipFile(io.BytesIO(content))).declared_rows()
    except XlsxError as exc:
        raise FileRejected(str(exc), code="file_unreadable") from None
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError):
        raise FileRejected("The workbook is damaged.", code="file_unreadable") from None
    return max((declared or 1) - 1, 0)


def open_rows(content: bytes, sniffed: Sniffed) -> Iterator[tuple[int, list[Cell]]]:
    """(row number as in the sheet, cell values) for every non-blank row. Blocking: call it
    from a worker thread. Raises FileRejected for content that turns out unreadable."""
    if sniffed.format == "xlsx":
        return _xlsx_rows(content)
    return _csv_rows(content, sniffed.encoding or "utf-8")


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Cell]]]:
    try:
        reader = XlsxReader(zipfile.ZipFile(io.BytesIO(content)))
        yield from reader.rows()
    except (XlsxError, zipfile.BadZipFile, UnicodeDecodeError, ValueError, EOFError) as exc:
        detail = str(exc) if isinstance(exc, XlsxError) else "The workbook is damaged."
        raise FileRejected(detail, code="file_unreadable") from None


def _csv_rows(content: bytes, encoding: str) -> Iterator[tuple[int, list[Cell]]]:
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
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileRejected(f"The CSV file cannot be read: {exc}", code="file_unreadable") from None
