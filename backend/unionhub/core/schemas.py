"""Base schemas and constrained types shared by every domain's input models."""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from unionhub.core.text import clean_text


def _no_control(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Text must not contain NUL characters.")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise PydanticCustomError("control_character", "Text must not contain control characters.")
    return value


def _clean(value: str) -> str:
    value = clean_text(_no_control(value))
    if not value:
        raise PydanticCustomError("required", "This field must not be blank.")
    return value


def Text(max_length: int, min_length: int = 1) -> Any:  # noqa: N802 - reads as a type
    """A single-line text field: NFC-normalised, trimmed, whitespace collapsed, no NULs."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(_clean),
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
    str, StringConstraints(min_length=1, max_length=64), AfterValidator(_clean)
]
SearchText = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_control)]


class InputModel(BaseModel):
    """Request bodies: unknown fields are rejected so nothing can be mass-assigned."""

    model_config = ConfigDict(extra="forbid")


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)
