"""A lean, streaming reader of the first worksheet of an .xlsx file.

openpyxl (even read_only) spends most of its time building a cell object per value: 16 s for
100,000 rows x 20 columns on the 2-core server, most of the 20 s an import may take. Sheet
data is the only part large enough to matter, so it is read here with regular expressions over
the decompressed XML, 1 MiB at a time (about 3 s for the same sheet, memory flat). The small
parts (workbook, relationships, styles) are parsed with ElementTree; openpyxl still supplies
what it knows best: which number formats are dates and the Excel date epochs.

The archive must already have passed `readers.inspect_xlsx` (size and bomb checks).
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

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 1 << 20
# Small XML parts are parsed whole; anything bigger is not a real workbook's metadata.
MAX_META_BYTES = 20 << 20

Cell = str | int | float | bool | datetime | None


class XlsxError(ValueError):
    """The archive is a zip but not a readable workbook."""


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
    """Rows of the workbook's first sheet as (row number, values by column position)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.sheet_path, self.date1904 = self._first_sheet()
        self.date_styles = self._date_styles()
        self.shared: list[str] = []

    def _first_sheet(self) -> tuple[str, bool]:
        data = _read_part(self.archive, "xl/workbook.xml")
        if data is None:
            raise XlsxError("The workbook has no xl/workbook.xml.")
        root = _parse(data, "xl/workbook.xml")
        pr = root.find(f"{{{MAIN_NS}}}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        sheet = root.find(f"{{{MAIN_NS}}}sheets/{{{MAIN_NS}}}sheet")
        if sheet is None:
            raise XlsxError("The workbook has no worksheet.")
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
            target = "worksheets/sheet1.xml"
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        path = posixpath.normpath(path)
        if path not in self.archive.namelist():
            raise XlsxError("The workbook's first worksheet is missing.")
        return path, date1904

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
        out: list[str] = []
        si, t, rph = f"{{{MAIN_NS}}}si", f"{{{MAIN_NS}}}t", f"{{{MAIN_NS}}}rPh"
        try:
            with self.archive.open(info) as fh:
                for _event, elem in ElementTree.iterparse(fh, events=("end",)):
                    if elem.tag != si:
                        continue
                    # Phonetic runs (rPh) are reading aids, not part of the text.
                    skip = {id(x) for p in elem.iter(rph) for x in p.iter(t)}
                    out.append("".join(x.text or "" for x in elem.iter(t) if id(x) not in skip))
                    elem.clear()
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
                for piece in pieces:
                    k = piece.rfind(start_tag)
                    if k < 0:
                        continue
                    gt = piece.find(b">", k)
                    if gt < 0:
                        continue
                    number = parse.row_number(piece[k + len(start_tag) : gt])
                    values = parse(piece[gt + 1 :])
                    if values:
                        yield number, values
                if not chunk:
                    return


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
