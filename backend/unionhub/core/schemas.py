"""Base schemas and constrained types shared by every domain's input models."""

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from annotated_types import GroupedMetadata, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, ConfigDict, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from unionhub.core.error_codes import ErrorCode
from unionhub.core.text import clean_paragraphs, clean_text

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def _no_control(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError(
            ErrorCode.NUL_CHARACTER.value, "Text must not contain NUL characters."
        )
    # Category Cc also holds DEL and the C1 controls (U+007F-U+009F), which render as nothing
    # and break exports, not only the ASCII ones below U+0020. Printable text (the usual value:
    # a name searched for) holds none of them: no walk, character by character, through the
    # Unicode database (issue 9: a tenth of a name search's parameter reading).
    if value.isprintable():
        return value
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in value):
        raise PydanticCustomError(
            ErrorCode.CONTROL_CHARACTER.value, "Text must not contain control characters."
        )
    return value


def _cleaner(max_length: int, cleaning: Callable[[str], str] = clean_text) -> Callable[[str], str]:
    def clean(value: str) -> str:
        value = cleaning(_no_control(value))
        if not value:
            raise PydanticCustomError(ErrorCode.REQUIRED.value, "This field must not be blank.")
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


# The characters _no_control refuses (Cc without tab, LF and CR), as a regular expression
# class for the OpenAPI: JSON Schema patterns are ECMA-262, where \uXXXX escapes mean the same.
_CONTROL_CLASS = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F"
NO_CONTROL_PATTERN = f"^[^{_CONTROL_CLASS}]*$"
NOT_BLANK_PATTERN = f"^[^{_CONTROL_CLASS}]*[^\\s{_CONTROL_CLASS}][^{_CONTROL_CLASS}]*$"


@dataclass(frozen=True)
class Declared:
    """Declares in the OpenAPI a rule that a validator of the same field already enforces.

    For rules whose failure must keep its own error code (`control_character`,
    `tax_code_invalid_format`): a pydantic `pattern` would answer `invalid_format` instead.
    Keywords are JSON Schema ones: `Declared(pattern=..., description=...)`.
    """

    keywords: tuple[tuple[str, Any], ...]

    def __init__(self, **keywords: Any) -> None:
        object.__setattr__(self, "keywords", tuple(keywords.items()))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        declared.update(dict(self.keywords))
        return declared


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """A single-line text field: NFC-normalised, trimmed, whitespace collapsed, no control
    characters, not blank. Use as `Annotated[str, Text(255)]` (or an alias below)."""

    max_length: int
    min_length: int = 1

    def __iter__(self) -> Iterator[object]:
        yield MinLen(self.min_length)
        yield MaxLen(self.max_length)
        yield AfterValidator(_cleaner(self.max_length))
        yield Declared(pattern=NOT_BLANK_PATTERN)


@dataclass(frozen=True)
class Paragraphs(GroupedMetadata):
    """Text written in lines (a report's assessment): like `Text`, but the line breaks stay
    (each line trimmed, at most one blank line in a row). `Annotated[str, Paragraphs(10_000)]`."""

    max_length: int
    min_length: int = 1

    def __iter__(self) -> Iterator[object]:
        yield MinLen(self.min_length)
        yield MaxLen(self.max_length)
        yield AfterValidator(_cleaner(self.max_length, clean_paragraphs))
        yield Declared(pattern=NOT_BLANK_PATTERN)


class _NotNull:
    """JSON schema of an optional field without its `null` branch (validation unchanged)."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        declared = handler(schema)
        branches = [b for b in declared.pop("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            declared.update(branches[0])
        elif branches:
            declared["anyOf"] = branches
        declared.pop("default", None)
        return declared


T = TypeVar("T")
# In a PATCH body, `field: Omittable[X] = None`: the field may be left out, but an explicit
# null is refused (422 `required`: it would empty a required column). The OpenAPI then shows
# the field as optional and not nullable, which is what the server accepts.
Omittable = Annotated[T | None, _NotNull()]

Line = Annotated[str, Text(255)]
ShortLine = Annotated[str, Text(100)]
PersonName = Annotated[str, Text(120)]
Address = Annotated[str, Text(500)]
Note = Annotated[str, Text(1000)]


def _code(value: str) -> str:
    value = _no_control(value).strip().upper()
    return value


Code = Annotated[
    str,
    StringConstraints(min_length=2, max_length=32, pattern=r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*$"),
    AfterValidator(_code),
    # `\s` above also matches control characters, which _code refuses (`control_character`).
    Declared(pattern=r"^ *[A-Za-z0-9][A-Za-z0-9._-]* *$"),
]
DecisionNo = Annotated[str, Text(64)]
SearchText = Annotated[
    str,
    StringConstraints(max_length=200),
    AfterValidator(_no_control),
    Declared(pattern=NO_CONTROL_PATTERN),
]
# Shared by unions and enterprises (and whatever else has an address or a phone).
CommuneCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 .()-]{8,20}$", max_length=20)]


def required_if(condition: dict[str, Any], *fields: str) -> dict[str, Any]:
    """JSON Schema `if`/`then`: when the body matches `condition`, `fields` must be present and
    not null (a cross-field rule the service enforces, declared for the OpenAPI)."""
    return {
        "if": condition,
        "then": {
            "required": list(fields),
            "properties": {f: {"not": {"type": "null"}} for f in fields},
        },
    }


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
            ErrorCode.DATE_OUT_OF_RANGE.value,
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
