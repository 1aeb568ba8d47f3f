"""Columns of an import layout and tolerant matching of the headers officers actually write.

"NGÀY SINH", "ngay sinh", " Ngày  sinh " and "Ngày sinh:" are the same column; so are the
template's "Số định danh cá nhân" and the "CCCD" / "Số CCCD" found in older files.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from unionhub.core.text import fold
from unionhub.imports.xlsx_reader import Cell

# Officer files often open with a title block (the union's name, "DANH SÁCH ĐOÀN VIÊN"...).
HEADER_SCAN_ROWS = 15
MIN_HEADER_MATCHES = 3

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PAREN = re.compile(r"\([^)]*\)")


def header_key(text: str) -> str:
    """Accent-, case-, punctuation- and spacing-free form of a header."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    width: int = 18
    # Template formatting: "text" cells are stored as text so Excel keeps leading zeros.
    kind: str = "text"
    choices: tuple[str, ...] = ()
    note: str = ""

    def match_keys(self) -> set[str]:
        out = {header_key(self.header), header_key(_PAREN.sub(" ", self.header))}
        out.update(header_key(s) for s in self.synonyms)
        out.discard("")
        return out


@dataclass
class HeaderMap:
    row: int
    positions: dict[int, Column]
    written: dict[str, str]  # column key -> the header as written in the file
    ignored: list[str] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    def label(self, key: str, columns: Sequence[Column]) -> str:
        """The header to show for a field: as written in the file, else the template's."""
        if key in self.written:
            return self.written[key]
        for col in columns:
            if col.key == key:
                return col.header
        return key


class Layout:
    """The columns of one kind of import, with the lookup from header keys to columns."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self.lookup: dict[str, Column] = {}
        for col in self.columns:
            for k in col.match_keys():
                if k in self.lookup and self.lookup[k] is not col:
                    raise ValueError(f"header key {k!r} is ambiguous")
                self.lookup[k] = col

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def match(self, cells: Sequence[Cell]) -> tuple[dict[int, Column], dict[str, str], list[str]]:
        positions: dict[int, Column] = {}
        written: dict[str, str] = {}
        ignored: list[str] = []
        for pos, cell in enumerate(cells):
            if cell is None or not str(cell).strip():
                continue
            text = " ".join(str(cell).split())
            col = self.lookup.get(header_key(text)) or self.lookup.get(
                header_key(_PAREN.sub(" ", text))
            )
            if col is None:
                ignored.append(text)
                continue
            positions[pos] = col
            written.setdefault(col.key, text)
        return positions, written, ignored

    def find_header(self, number: int, cells: Sequence[Cell]) -> HeaderMap | None:
        """The header map if this row is the header row, else None."""
        positions, written, ignored = self.match(cells)
        if len({c.key for c in positions.values()}) < MIN_HEADER_MATCHES:
            return None
        seen: dict[str, int] = {}
        duplicates: list[str] = []
        for pos in sorted(positions):
            key = positions[pos].key
            if key in seen:
                duplicates.append(str(cells[pos]).strip())
            seen[key] = pos
        missing = [c for c in self.columns if c.required and c.key not in seen]
        return HeaderMap(
            row=number,
            positions=positions,
            written=written,
            ignored=ignored,
            missing=missing,
            duplicates=duplicates,
        )


# What officers' sheets carry around the table, below the header: the row numbering the
# columns ("(1) (2) ... (7)", as in official forms), and the footer ("Tổng cộng: 17 đoàn
# viên", "Người lập biểu", "Ngày ... tháng ... năm ...", "(Ký, ghi rõ họ tên)", signers).
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")
_FOOTER = re.compile(
    r"^(tong cong|tong so)\b|^(cong|tong)\s*[:\d]"
    r"|nguoi lap( bieu| bang| danh sach)?\b"
    r"|\bky,? (va )?ghi ro ho ten\b|^\(?ky ten\b"
    r"|\bngay\b.{0,12}\bthang\b.{0,12}\bnam\b"
    r"|^(tm|t/m|tl|kt)[.\s]|^thu truong\b|^chu tich\b|^pho chu tich\b|^ke toan\b|^xac nhan\b"
    r"|^noi nhan\b"
)
# The STT cell of the templates' example row (imports.templates), read as no data.
EXAMPLE_MARK = "Ví dụ"
EXAMPLE_MARKS = frozenset({"vi du", "vd", "dong vi du"})
# A data row has at least the required values (five); footer rows hold a few cells.
FOOTER_MAX_CELLS = 4


class Furniture:
    """Recognises the rows below the header that are not data, in reading order: once a
    footer row is seen, the sparse rows after it (the signers' names) belong to it too."""

    def __init__(self) -> None:
        self.in_footer = False

    def __call__(self, cells: Sequence[Cell]) -> bool:
        # Only text can be blank: a number or a date always counts (no str() of each cell).
        filled = [c for c in cells if c is not None and (not isinstance(c, str) or c.strip())]
        if not filled:
            return False
        if _numbering(filled) or _example(filled):
            return True
        if len(filled) > FOOTER_MAX_CELLS:
            return False
        if self.in_footer:
            return True
        for cell in filled:
            if isinstance(cell, str) and _FOOTER.search(fold(cell)):
                self.in_footer = True
                return True
        return False


def _example(filled: Sequence[Cell]) -> bool:
    """The template's example row: its first cell (STT) says "Ví dụ"."""
    first = filled[0]
    return isinstance(first, str) and fold(first).strip(" .:()") in EXAMPLE_MARKS


def _numbering(filled: Sequence[Cell]) -> bool:
    """(1) (2) (3) ... or 1 2 3 ...: at least three, consecutive from 0 or 1."""
    if len(filled) < 3:
        return False
    numbers: list[int] = []
    for cell in filled:
        if isinstance(cell, bool):
            return False
        if isinstance(cell, int | float):
            if not float(cell).is_integer():
                return False
            numbers.append(int(cell))
            continue
        found = _COLUMN_NUMBER.match(str(cell).strip())
        if found is None:
            return False
        numbers.append(int(found.group(1)))
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
