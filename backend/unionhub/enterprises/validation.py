"""Format rules of enterprise identifiers: the tax code (mã số thuế) and the VSIC 2018 code.

Plain functions so the spreadsheet importer can check a cell exactly as the API checks a field;
the pydantic types at the bottom wrap them for request bodies.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import Params
from unionhub.core.schemas import Declared

# Weights of digits 1-9 in the check-digit formula.
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

_TAX_CODE = re.compile(r"^(\d{10})(?:-?(\d{3}))?$")
_VSIC = re.compile(r"^(?:[A-U]|\d{1,5})$")


class TaxCodeError(ValueError):
    """A tax code that breaks a rule; `code` is the stable error code the web app translates."""

    def __init__(self, code: ErrorCode, message: str, params: Params | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


def tax_code_check_digit(first_nine: str) -> int | None:
    """The check digit that completes `first_nine`, or None when no digit can (result 10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def normalize_tax_code(value: str) -> str:
    """Check a tax code and return it as stored: 10 digits, or 13 for a branch.

    Accepts the branch form written with a dash ("0312345678-001") and surrounding spaces.
    Raises TaxCodeError with code tax_code_invalid_format, tax_code_serial or
    tax_code_check_digit.
    """
    raw = value.strip().replace(" ", "")
    match = _TAX_CODE.match(raw)
    if match is None:
        raise TaxCodeError(
            ErrorCode.TAX_CODE_INVALID_FORMAT,
            "A tax code has 10 digits, or 13 for a branch (e.g. 0312345678 or 0312345678-001).",
        )
    main, branch = match.group(1), match.group(2)
    if main[2:9] == "0000000":
        raise TaxCodeError(
            ErrorCode.TAX_CODE_SERIAL, "The serial part of the tax code cannot be 0000000."
        )
    if tax_code_check_digit(main[:9]) != int(main[9]):
        raise TaxCodeError(
            ErrorCode.TAX_CODE_CHECK_DIGIT,
            "The tax code's check digit does not match; check it for a mistyped digit.",
        )
    if branch == "000":
        raise TaxCodeError(
            ErrorCode.TAX_CODE_INVALID_FORMAT, "A branch suffix runs from 001 to 999, never 000."
        )
    return main + (branch or "")


def format_tax_code(stored: str) -> str:
    """The usual written form: the branch suffix after a dash."""
    return f"{stored[:10]}-{stored[10:]}" if len(stored) == 13 else stored


def normalize_vsic(value: str) -> str:
    """A VSIC 2018 section letter (A-U) or a code of 1-5 digits, upper-cased."""
    code = value.strip().upper()
    if not _VSIC.match(code):
        raise ValueError("A VSIC 2018 code is a section letter A-U or 1 to 5 digits.")
    return code


def _tax_code(value: str) -> str:
    try:
        return normalize_tax_code(value)
    except TaxCodeError as exc:
        raise PydanticCustomError(exc.code.value, exc.message) from None


def _vsic(value: str) -> str:
    try:
        return normalize_vsic(value)
    except ValueError as exc:
        raise PydanticCustomError(ErrorCode.VSIC_INVALID_FORMAT.value, str(exc)) from None


# Declared for the OpenAPI; the validators above enforce them with their own error codes.
TaxCode = Annotated[
    str,
    StringConstraints(max_length=32),
    AfterValidator(_tax_code),
    Declared(
        pattern=r"^ *[0-9]{10}(-?[0-9]{3})? *$",
        description="10 digits, or 13 for a branch ('0312345678-001' is stored as 13 digits). "
        "Digits 3-9 are not all 0, the 10th is the check digit (10 - sum of digits 1-9 "
        "weighted 31, 29, 23, 19, 17, 13, 7, 5, 3, mod 11) and a branch suffix is not 000.",
    ),
]
VsicCode = Annotated[
    str,
    StringConstraints(max_length=8),
    AfterValidator(_vsic),
    Declared(
        pattern=r"^ *([A-Ua-u]|[0-9]{1,5}) *$",
        description="VSIC 2018: a section letter A-U or a code of 1-5 digits",
    ),
]
