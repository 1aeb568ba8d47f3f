"""Cell values as officers type them, turned into API values.

Each converter returns the value, or raises CellError with a stable code and an English
message (the web app translates by code). Converters are pure and cheap: they run 20 times
per row on 100,000 rows.
"""

import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TypeVar

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Params, ParamValue, quoted
from unionhub.core.schemas import FIRST_DAY, LAST_DAY, in_date_range
from unionhub.core.text import clean_text, fold
from unionhub.enterprises.validation import TaxCodeError, normalize_tax_code
from unionhub.imports.xlsx_reader import Cell

_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
# Serial numbers of plausible dates (1900-01-01 .. 2100-12-31) when a date arrives as a
# plain number (a date cell formatted as "General", or pasted from another program).
_SERIAL_MIN, _SERIAL_MAX = 2, 73415
# Spreadsheet formula injection: a CSV cell starting with these runs as a formula in Excel.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be converted; the row adds the cell's value to `params`."""

    def __init__(self, code: ErrorCode, message: str, params: Params | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def params_with(self, cell: Cell) -> dict[str, ParamValue]:
        """The params of the row's problem: the cell as the officer wrote it, and ours."""
        return {"value": quoted(cell), **(self.params or {})}


T = TypeVar("T")

# Category Cc without tab, line feed and carriage return (as core.schemas refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Text that clean_text would change: runs of whitespace, whitespace other than a plain space,
# or whitespace at either end.
_UNTIDY = re.compile(r"\s\s|[^\S ]|^\s|\s$")
# Either of the two above: one search per cell finds the (rare) cells that need a closer look.
_UNUSUAL = re.compile(r"[\x00-\x1f\x7f-\x9f]|\s\s|[^\S ]|^\s|\s$")


def _tidy(raw: str) -> str:
    """clean_text, skipped for the (usual) text that is already tidy NFC."""
    if _UNTIDY.search(raw) is None and unicodedata.is_normalized("NFC", raw):
        return raw
    return clean_text(raw)


@lru_cache(maxsize=8192)
def fold_key(value: str) -> str:
    """fold(), cached: choice columns repeat a handful of values down 100,000 rows."""
    return fold(value).strip(" .")


def text(value: Cell, max_length: int) -> str | None:
    """One line of text, NFC, trimmed, inner whitespace collapsed; None when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.strftime("%d/%m/%Y")
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value)
    if _UNUSUAL.search(raw) is None and (raw.isascii() or unicodedata.is_normalized("NFC", raw)):
        # The usual cell: already tidy NFC text (checked once instead of three times).
        out = raw
    else:
        if _CONTROL.search(raw):
            raise CellError(ErrorCode.CONTROL_CHARACTER, "The text contains control characters.")
        out = _tidy(raw)
    # A leading apostrophe is how exports (and Excel users) keep a value from being a formula.
    if out.startswith("'") and out[1:2] in FORMULA_START:
        out = out[1:]
    if not out:
        return None
    if len(out) > max_length:
        raise CellError(
            ErrorCode.TOO_LONG, f"At most {max_length} characters.", {"max_length": max_length}
        )
    return out


# Characters that show as nothing: zero-width spaces and joiners, the word joiner, soft
# hyphens, the byte order mark, bidirectional marks; pasted from web pages and chat apps.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def name(value: Cell, max_length: int) -> str | None:
    """A person's or a unit's name: text() without the invisible characters a copy from a
    web page or a chat app brings along (they would make "Nguyễn" and "Ngu\u200byễn" two
    different people to the duplicate checks and to search)."""
    if isinstance(value, str) and _INVISIBLE.search(value):
        value = _INVISIBLE.sub("", value)
    return text(value, max_length)


_DIGITS = {"expected": "digits"}


def digits(value: Cell, max_length: int, pad_to: int | None = None, max_pad: int = 1) -> str | None:
    """An identifier typed as text or stored by Excel as a number, which drops leading
    zeros: a personal ID 082... arrives as 82... `pad_to` restores up to `max_pad` zeros."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(ErrorCode.INVALID_FORMAT, "Expected digits.", _DIGITS)
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(
                ErrorCode.INVALID_FORMAT, "Expected digits, not a decimal number.", _DIGITS
            )
        value = int(value)
    if isinstance(value, int):
        out = str(value)
        if pad_to and 0 < pad_to - len(out) <= max_pad:
            out = out.zfill(pad_to)
        return out
    typed = text(value, max_length)
    if typed and typed.startswith("'"):
        return typed[1:] or None
    return typed


def day(value: Cell) -> date | None:
    """A real Excel date, dd/mm/yyyy (also with - or .), ISO yyyy-mm-dd, or a date serial,
    between 1900 and 2100."""
    found = _day(value)
    if found is not None and not in_date_range(found):
        raise CellError(
            ErrorCode.DATE_OUT_OF_RANGE,
            f"{found.day:02d}/{found.month:02d}/{found.year:04d} is not a plausible date "
            f"({FIRST_DAY.year}-{LAST_DAY.year}).",
            {"first": FIRST_DAY, "last": LAST_DAY},
        )
    return found


def _day(value: Cell) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _bad_date()
    if isinstance(value, int | float):
        if _SERIAL_MIN <= value <= _SERIAL_MAX and float(value).is_integer():
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _bad_date()
    raw = str(value).strip()
    if not raw:
        return None
    try:
        m = _DMY.match(raw)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _YMD.match(raw)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(
            ErrorCode.INVALID_DATE, f"{raw} is not a real date.", {"reason": "no_such_day"}
        ) from None
    raise _bad_date()


def _bad_date() -> CellError:
    return CellError(ErrorCode.INVALID_DATE, "Write the date as dd/mm/yyyy, e.g. 25/12/1990.")


def integer(value: Cell, minimum: int = 0, maximum: int = 10_000_000) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(ErrorCode.NOT_INTEGER, "Expected a whole number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(ErrorCode.NOT_INTEGER, "Expected a whole number.")
        value = int(value)
    if not isinstance(value, int):
        raw = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
        if not raw.lstrip("-").isdigit():
            raise CellError(ErrorCode.NOT_INTEGER, "Expected a whole number.")
        value = int(raw)
    if value < minimum:
        raise CellError(ErrorCode.TOO_SMALL, f"Must be at least {minimum}.", {"min": minimum})
    if value > maximum:
        raise CellError(ErrorCode.TOO_LARGE, f"Must be at most {maximum}.", {"max": maximum})
    return value


def decimal(value: Cell, maximum: int) -> Decimal | None:
    """A number from 0 to `maximum` (points, a score): a number cell, or text with a decimal
    comma or point; None when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(ErrorCode.NOT_NUMBER, "Not a number.")
    raw = str(value).strip().replace(" ", "")
    if isinstance(value, str) and "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(ErrorCode.NOT_NUMBER, f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise CellError(ErrorCode.NOT_NUMBER, f"{value!r} is not a number.")
    if number < 0:
        raise CellError(ErrorCode.TOO_SMALL, "Cannot be negative.", {"min": 0})
    if number > maximum:
        raise CellError(ErrorCode.TOO_LARGE, f"At most {maximum}.", {"max": maximum})
    return number


def choice(value: Cell, mapping: Mapping[str, str], labels: Mapping[str, str]) -> str | None:
    """A Vietnamese label (or the API value) to the API value, ignoring accents and case.

    `mapping` is keyed by folded text; `labels` (API value -> Vietnamese label) lists the
    accepted labels in the message."""
    if value is None:
        return None
    key = fold_key(str(value))
    if not key:
        return None
    found = mapping.get(key)
    if found is None:
        options = ", ".join(labels.values())
        raise CellError(ErrorCode.INVALID_CHOICE, f"Not one of: {options}.", {"expected": options})
    return found


def folded_map(labels: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Lookup by folded label, by the API value itself, and by extra spellings."""
    out: dict[str, str] = {}
    for api_value, label in labels.items():
        out[fold(label)] = api_value
        out[fold(api_value)] = api_value
        out[fold(api_value.replace("_", " "))] = api_value
    for spelling, api_value in (extra or {}).items():
        out[fold(spelling)] = api_value
    return out


YES = ("có", "x", "yes", "y", "true", "1", "đúng", "phải", "là đảng viên", "đảng viên", "dv")
NO = ("không", "no", "n", "false", "0", "sai", "chưa", "-")
_BOOL = {**{fold(k): True for k in YES}, **{fold(k): False for k in NO}}


def boolean(value: Cell) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold_key(str(value))
    if not key:
        return None
    if key not in _BOOL:
        raise CellError(ErrorCode.INVALID_CHOICE, "Write Có or Không.", {"expected": "Có, Không"})
    return _BOOL[key]


def format_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def commune_code(value: Cell) -> str | None:
    raw = digits(value, 10, pad_to=5, max_pad=4)
    if raw is not None and not (len(raw) == 5 and raw.isdigit()):
        raise CellError(ErrorCode.COMMUNE_CODE_INVALID, "A commune/ward code has 5 digits.")
    return raw


def tax_code(value: Cell) -> str | None:
    """10 digits, or 13 for a branch ("0312345678-001" accepted); the check digit must match."""
    raw = digits(value, 32, pad_to=10)
    if raw is None:
        return None
    try:
        return _normalized_tax_code(raw)
    except TaxCodeError as exc:
        raise CellError(exc.code, exc.message, exc.params) from None


def repeated(convert: Callable[[Cell], T]) -> Callable[[Cell], T]:
    """`convert` remembered per cell value, for columns that repeat a handful of values down
    the file (ethnicity, occupation, union code, employer): converted once, not 100,000 times.
    Typed, so 1, 1.0 and True stay apart; a value that fails raises every time (not cached)."""
    return lru_cache(maxsize=4096, typed=True)(convert)


# A members file names a few employers thousands of times (errors are not cached: they raise).
_normalized_tax_code = lru_cache(maxsize=4096)(normalize_tax_code)
