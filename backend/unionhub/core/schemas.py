"""Base schemas and constrained types shared by every domain's input models."""

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from unionhub.core.text import clean_text

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _no_control(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Text must not contain NUL characters.")
    # Category Cc also holds DEL and the C1 controls (U+007F-U+009F), which render as nothing
    # and break exports, not only the ASCII ones below U+0020.
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value):
        raise PydanticCustomError("control_character", "Text must not contain control characters.")
    return value


def _cleaner(max_length: int) -> Callable[[str], str]:
    def clean(value: str) -> str:
        value = clean_text(_no_control(value))
        if not value:
            raise PydanticCustomError("required", "This field must not be blank.")
        # NFC can lengthen a few characters (e.g. U+0958 becomes two code points); the column
        # holds the cleaned text, so its length is what must fit.
        if len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return value

    return clean


def Text(max_length: int, min_length: int = 1) -> Any:
    """A single-line text field: NFC-normalised, trimmed, whitespace collapsed, no NULs."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_cleaner(max_length)),
    ]


def _code(value: str) -> str:
    value = _no_control(value).strip().upper()
    return value


Code = Annotated[
    str,
    StringConstraints(min_length=2, max_length=32, pattern=r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*$"),
    AfterValidator(_code),
]
DecisionNo = Annotated[
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_cleaner(64))
]
# Shared by unions and enterprises (and whatever else has an address or a phone).
CommuneCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 .()-]{8,20}$", max_length=20)]
SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_control)]

# Every date that comes in lies in this range. A register of living people and their unions
# has no use for year 39 or 9999, and date arithmetic on such values (ages, periods) runs off
# the calendar: `as_of=0039-11-29&age_min=53` once answered 500.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)


def in_date_range(value: date) -> bool:
    return FIRST_DAY <= value <= LAST_DAY


def _day_in_range(value: date) -> date:
    if not in_date_range(value):
        raise PydanticCustomError(
            "date_out_of_range",
            "The date must lie between {first} and {last}.",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


def _instant_in_range(value: datetime) -> datetime:
    # Compared as written (the offset is at most a day): one day's slack either side keeps
    # the conversion to UTC, which happens later, inside the calendar.
    _day_in_range(value.date())
    return value


Day = Annotated[date, AfterValidator(_day_in_range)]
"""A date between 1900-01-01 and 2100-12-31 (422 `date_out_of_range` otherwise)."""
Instant = Annotated[datetime, AfterValidator(_instant_in_range)]
"""A date-time whose date lies in the `Day` range."""


class InputModel(BaseModel):
    """Request bodies: unknown fields are rejected so nothing can be mass-assigned."""

    model_config = ConfigDict(extra="forbid")


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
