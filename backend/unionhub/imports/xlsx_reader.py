"""A lean, streaming reader of one worksheet of an .xlsx file.

openpyxl (even read_only) spends most of its time building a cell object per value: 16 s for
100,000 rows x 20 columns on the 2-core server, most of the 20 s an import may take. Sheet
data is the only part large enough to matter, so it is read here with regular expressions over
the decompressed XML, 1 MiB at a time (about 3 s for the same sheet, memory flat). The small
parts (workbook, relationships, styles) are parsed with ElementTree; openpyxl still supplies
what it knows best: which number formats are dates and the Excel date epochs.

The archive must already have passed `readers.inspect_xlsx` (size and bomb checks, part by
part). What a part holds is bounded here, as it is read: bytes per row, characters per cell,
shared strings; a crafted file is refused after at most a few MiB of work on it.
python-calamine was measured against this reader (docs/adr/0008-import-reader.md): faster on
its own, but it holds the whole sheet in memory and needs a guard pass that costs more than
the difference.
"""

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format  # type: ignore[import-untyped]
from openpyxl.utils.datetime import (  # type: ignore[import-untyped]
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
)

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Params

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 1 << 20
# Small XML parts are parsed whole; anything bigger is not a real workbook's metadata.
MAX_META_BYTES = 20 << 20
# One row's XML: twenty columns of Excel's longest text (32,767 characters) still fit.
MAX_ROW_BYTES = 4 << 20
# Excel's own limit on the text of a cell.
MAX_CELL_CHARS = 32_767
# Rows above this size are checked cell by cell (a real row is a few hundred bytes).
_BIG_ROW_BYTES = MAX_CELL_CHARS
# Distinct texts of a workbook: 200,000 rows of a few unique texts each.
MAX_SHARED_STRINGS = 1_200_000
# Excel's last row.
MAX_SHEET_ROW = 1_048_576

Cell = str | int | float | bool | datetime | None


class XlsxError(ValueError):
    """The archive is a zip but not a readable workbook (or holds more than a sheet may)."""

    def __init__(
        self,
        message: str,
        code: ErrorCode = ErrorCode.FILE_UNREADABLE,
        params: Params | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_R_ATTR = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_T_ATTR = re.compile(rb'\bt="(\w+)"')
_S_ATTR = re.compile(rb'\bs="(\d+)"')
_ROW_NUM = re.compile(rb'\br="(\d+)"')
_PREFIX = re.compile(rb"<(\w+:)?worksheet\b")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _text(raw: bytes) -> str:
    value = raw.decode("utf-8")
    if "&" in value:
        value = html.unescape(value)
    if "_x" in value:
        # Excel writes control characters as _xHHHH_ (e.g. _x000D_ for a carriage return).
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def _column_index(letters: bytes, cache: dict[bytes, int]) -> int:
    index = cache.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            index = index * 26 + (ch - 64)
        index -= 1
        cache[letters] = index
    return index


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_META_BYTES:
        raise XlsxError(f"The workbook part {name} is too large.")
    return archive.read(info)


def _parse(data: bytes, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise XlsxError(f"The workbook part {name} is damaged.") from None


class XlsxReader:
    """Rows of one sheet of the workbook (`sheet` by name, else the first visible one) as
    (row number, values by column position)."""

    def __init__(self, archive: zipfile.ZipFile, sheet: str | None = None) -> None:
        self.archive = archive
        self.sheet_names: list[str] = []
        self.sheet_name, self.sheet_path, self.date1904 = self._pick_sheet(sheet)
        self.date_styles = self._date_styles()
        self.shared: list[str] = []

    def _pick_sheet(self, wanted: str | None) -> tuple[str, str, bool]:
        data = _read_part(self.archive, "xl/workbook.xml")
        if data is None:
            raise XlsxError("The workbook has no xl/workbook.xml.")
        root = _parse(data, "xl/workbook.xml")
        pr = root.find(f"{{{MAIN_NS}}}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        sheets = root.findall(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet")
        if not sheets:
            raise XlsxError("The workbook has no worksheet.")
        self.sheet_names = [s.get("name") or f"Sheet{i}" for i, s in enumerate(sheets, 1)]
        if wanted is not None:
            chosen = [s for s, n in zip(sheets, self.sheet_names, strict=True) if n == wanted]
            if not chosen:
                raise XlsxError(
                    f"The workbook has no sheet named '{wanted}'; its sheets are: "
                    + ", ".join(f"'{n}'" for n in self.sheet_names)
                    + ".",
                    code=ErrorCode.SHEET_NOT_FOUND,
                    params={"sheet": wanted, "sheets": ", ".join(self.sheet_names)},
                )
            sheet = chosen[0]
        else:
            visible = [s for s in sheets if s.get("state", "visible") == "visible"]
            sheet = (visible or sheets)[0]
        name = self.sheet_names[sheets.index(sheet)]
        rel_id = sheet.get(f"{{{REL_NS}}}id")
        rels = _read_part(self.archive, "xl/_rels/workbook.xml.rels")
        target = None
        if rels is not None and rel_id:
            for rel in _parse(rels, "xl/_rels/workbook.xml.rels").iter(
                f"{{{PKG_REL_NS}}}Relationship"
            ):
                if rel.get("Id") == rel_id:
                    target = rel.get("Target")
        if not target:
            target = f"worksheets/sheet{sheets.index(sheet) + 1}.xml"
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        path = posixpath.normpath(path)
        if path not in self.archive.namelist():
            raise XlsxError(f"The worksheet '{name}' is missing from the workbook.")
        return name, path, date1904

    def _date_styles(self) -> frozenset[int]:
        data = _read_part(self.archive, "xl/styles.xml")
        if data is None:
            return frozenset()
        root = _parse(data, "xl/styles.xml")
        custom = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "")
            for f in root.iter(f"{{{MAIN_NS}}}numFmt")
        }
        xfs = root.find(f"{{{MAIN_NS}}}cellXfs")
        out: set[int] = set()
        for index, xf in enumerate(xfs if xfs is not None else []):
            fmt_id = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id, "General")
            if is_date_format(code):
                out.add(index)
        return frozenset(out)

    def _shared_strings(self) -> list[str]:
        name = "xl/sharedStrings.xml"
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return []
        # Counted before anything is built: a table of millions of tiny strings would take
        # far more memory as Python strings than as XML.
        with self.archive.open(info) as fh:
            count = 0
            while chunk := fh.read(CHUNK):
                count += chunk.count(b"<si>") + chunk.count(b"<si/>")
                if count > MAX_SHARED_STRINGS:
                    raise _too_many_strings()
        out: list[str] = []
        si, t, rph = f"{{{MAIN_NS}}}si", f"{{{MAIN_NS}}}t", f"{{{MAIN_NS}}}rPh"
        try:
            with self.archive.open(info) as fh:
                for _event, elem in ElementTree.iterparse(fh, events=("end",)):
                    if elem.tag != si:
                        continue
                    # Phonetic runs (rPh) are reading aids, not part of the text.
                    skip = {id(x) for p in elem.iter(rph) for x in p.iter(t)}
                    value = "".join(x.text or "" for x in elem.iter(t) if id(x) not in skip)
                    elem.clear()
                    if len(value) > MAX_CELL_CHARS:
                        raise _cell_too_large(None)
                    out.append(value)
                    if len(out) > MAX_SHARED_STRINGS:
                        raise _too_many_strings()
        except ElementTree.ParseError:
            raise XlsxError("The workbook's shared strings are damaged.") from None
        return out

    def declared_rows(self) -> int | None:
        """The sheet's last row: as declared (<dimension>), else estimated from the size of the
        first rows, without reading the sheet."""
        info = self.archive.getinfo(self.sheet_path)
        with self.archive.open(info) as fh:
            head = fh.read(1 << 16)
        found = _DIMENSION.search(head)
        if found and found.group(1):
            return int(found.group(1))
        rows = head.count(b"row>")
        if not rows:
            return None
        return round(info.file_size / (len(head) / rows))

    def rows(self) -> Iterator[tuple[int, list[Cell]]]:
        """Every row with a value, streamed; blank rows are skipped."""
        self.shared = self._shared_strings()
        with self.archive.open(self.sheet_path) as fh:
            buf = fh.read(CHUNK)
            found = _PREFIX.search(buf)
            prefix = (found.group(1) or b"") if found else b""
            parse = _RowParser(self, prefix)
            end_tag = b"</" + prefix + b"row>"
            start_tag = b"<" + prefix + b"row"
            while True:
                chunk = fh.read(CHUNK)
                buf += chunk
                pieces = buf.split(end_tag)
                # The last piece has no closing tag yet (or is the sheet's tail at the end).
                buf = pieces.pop()
                if len(buf) > MAX_ROW_BYTES:
                    # A row that never ends: without this bound each chunk would be appended
                    # and searched again (quadratic time, the whole part in memory).
                    raise XlsxError(
                        f"Row {parse.last_row + 1} of the sheet is larger than "
                        f"{MAX_ROW_BYTES >> 20} MB; a spreadsheet row is never that large.",
                        code=ErrorCode.FILE_ROW_TOO_LARGE,
                        params={"row": parse.last_row + 1, "max_mb": MAX_ROW_BYTES >> 20},
                    )
                for piece in pieces:
                    k = piece.rfind(start_tag)
                    if k < 0:
                        continue
                    gt = piece.find(b">", k)
                    if gt < 0:
                        continue
                    number = parse.row_number(piece[k + len(start_tag) : gt])
                    if len(piece) - gt > MAX_ROW_BYTES:
                        raise XlsxError(
                            f"Row {number} of the sheet is larger than "
                            f"{MAX_ROW_BYTES >> 20} MB; a spreadsheet row is never that large.",
                            code=ErrorCode.FILE_ROW_TOO_LARGE,
                            params={"row": number, "max_mb": MAX_ROW_BYTES >> 20},
                        )
                    values = parse(piece[gt + 1 :])
                    if values:
                        if len(piece) - gt > _BIG_ROW_BYTES:
                            _check_cells(number, values)
                        yield number, values
                if not chunk:
                    return


def _too_many_strings() -> XlsxError:
    return XlsxError(
        f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts; "
        "a register file never holds that many.",
        code=ErrorCode.FILE_TOO_MANY_STRINGS,
        params={"max": MAX_SHARED_STRINGS},
    )


def _cell_too_large(row: int | None) -> XlsxError:
    where = f"A cell of row {row}" if row is not None else "A cell"
    return XlsxError(
        f"{where} holds more than {MAX_CELL_CHARS:,} characters, Excel's limit for a cell.",
        code=ErrorCode.FILE_CELL_TOO_LARGE,
        params={"row": row, "max": MAX_CELL_CHARS},
    )


def _check_cells(number: int, values: list[Cell]) -> None:
    for value in values:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _cell_too_large(number)


class _RowParser:
    """Cells of one row. A fast path takes the layout Excel, LibreOffice and openpyxl write
    (`<c r="B2" s="1" t="s"><v>5</v></c>`); any other row goes through a general parser."""

    def __init__(self, reader: XlsxReader, prefix: bytes) -> None:
        self.reader = reader
        self.prefix = prefix
        self.last_row = 0
        self.columns: dict[bytes, int] = {}
        # Birth and admission dates repeat a lot; converting a serial costs more than a lookup.
        self.dates: dict[bytes, datetime] = {}
        p = re.escape(prefix)
        self.fast = None if prefix else _FAST_CELL
        self.cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.v_re = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
        self.t_re = re.compile(rb"<" + p + rb"t(?:\s[^>]*)?>([^<]*)</" + p + rb"t>")
        self.rph_re = re.compile(rb"<" + p + rb"rPh\b.*?</" + p + rb"rPh>", re.S)
        self.open_cell = b"<" + prefix + b"c "
        self.bare_cell = b"<" + prefix + b"c>"

    def row_number(self, attrs: bytes) -> int:
        found = _ROW_NUM.search(attrs)
        self.last_row = int(found.group(1)) if found else self.last_row + 1
        if self.last_row > MAX_SHEET_ROW:
            raise XlsxError(
                f"The sheet has a row numbered {self.last_row}, past Excel's last row.",
                code=ErrorCode.TOO_MANY_ROWS,
                params={"row": self.last_row},
            )
        return self.last_row

    def column(self, letters: bytes) -> int:
        index = self.columns.get(letters)
        if index is None:
            index = 0
            for ch in letters:
                index = index * 26 + (ch - 64)
            index -= 1
            self.columns[letters] = index
        return index

    def __call__(self, body: bytes) -> list[Cell]:
        if self.fast is not None:
            cells = self.fast.findall(body)
            if len(cells) == body.count(self.open_cell) + body.count(self.bare_cell):
                return self._fast(cells)
        return self._general(body)

    def _fast(self, cells: list[tuple[bytes, bytes, bytes, bytes, bytes]]) -> list[Cell]:
        # The hot loop of an import (2 million cells): common cases inline, no helper calls.
        values: list[Cell] = []
        columns = self.columns
        shared = self.reader.shared
        value: Cell
        for letters, style, kind, raw, inline in cells:
            if kind == b"inlineStr":
                if not inline:
                    continue
                value = inline.decode("utf-8")
                if "&" in value or "_x" in value:
                    value = _text(inline)
            elif not raw:
                continue
            elif kind == b"s":
                index = int(raw)
                value = shared[index] if 0 <= index < len(shared) else None
            elif not kind or kind == b"n":
                value = self._number(raw, style)
            else:
                value = self._value(kind, raw, style, None)
            if value is None or value == "":
                continue
            pos = columns.get(letters)
            if pos is None:
                pos = self.column(letters)
            filled = len(values)
            if pos == filled:
                values.append(value)
            elif pos > filled:
                values.extend([None] * (pos - filled))
                values.append(value)
            else:
                values[pos] = value
        return values

    def _value(self, kind: bytes, raw: bytes, style: bytes, inline: bytes | None) -> Cell:
        if kind == b"inlineStr":
            return _text(inline) if inline else None
        if not raw:
            return None
        if kind == b"s":
            index = int(raw)
            shared = self.reader.shared
            return shared[index] if 0 <= index < len(shared) else None
        if kind in (b"", b"n"):
            return self._number(raw, style)
        if kind in (b"str", b"e"):
            return _text(raw)
        if kind == b"b":
            return raw.strip() in (b"1", b"true")
        if kind == b"d":
            return _iso(raw)
        return _text(raw)

    def _number(self, raw: bytes, style: bytes) -> Cell:
        try:
            number = float(raw)
        except ValueError:
            return _text(raw)
        if style and int(style) in self.reader.date_styles:
            cached = self.dates.get(raw)
            if cached is not None:
                return cached
            epoch = CALENDAR_MAC_1904 if self.reader.date1904 else CALENDAR_WINDOWS_1900
            try:
                value: datetime = from_excel(number, epoch)
            except (ValueError, OverflowError):
                return number
            if len(self.dates) < 100_000:
                self.dates[raw] = value
            return value
        if number.is_integer() and abs(number) < 1e15:
            return int(number)
        return number

    def _general(self, body: bytes) -> list[Cell]:
        values: list[Cell] = []
        position = -1
        for attrs, inner in self.cell_re.findall(body):
            ref = _R_ATTR.search(attrs)
            position = self.column(ref.group(1)) if ref else position + 1
            if not inner:
                continue
            kind_m = _T_ATTR.search(attrs)
            kind = kind_m.group(1) if kind_m else b"n"
            style_m = _S_ATTR.search(attrs)
            style = style_m.group(1) if style_m else b""
            if kind == b"inlineStr":
                if b"rPh" in inner:
                    inner = self.rph_re.sub(b"", inner)
                value: Cell = "".join(_text(t) for t in self.t_re.findall(inner))
            else:
                v = self.v_re.search(inner)
                if v is None:
                    continue
                value = self._value(kind, v.group(1), style, None)
            if value is None or value == "":
                continue
            if position >= len(values):
                values.extend([None] * (position + 1 - len(values)))
            values[position] = value
        return values


_FAST_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?'
    rb"(?:/>|>(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>)</c>)"
)


def _iso(raw: bytes) -> Cell:
    text = raw.decode("ascii", "replace")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return text
