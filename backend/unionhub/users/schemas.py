"""Request and response bodies of account management."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from unionhub.auth.schemas import AssignmentRead
from unionhub.authz.permissions import Role
from unionhub.core.error_codes import ErrorCode
from unionhub.core.schemas import Declared, InputModel, Line, Omittable, OutputModel

PASSWORD_MIN = 10


def _strong(value: str) -> str:
    # Length alone lets "aaaaaaaaaa" through; requiring both kinds blocks the commonest guesses.
    if not any(c.isalpha() for c in value) or not any(c.isdigit() for c in value):
        raise PydanticCustomError(
            "weak_password", "The password must contain both letters and digits."
        )
    if "\x00" in value:
        raise PydanticCustomError(
            ErrorCode.NUL_CHARACTER.value, "Text must not contain NUL characters."
        )
    return value


def _lower(value: object) -> object:
    # Lowercased before the pattern check so "Nguyen.A" is accepted as "nguyen.a".
    return value.strip().lower() if isinstance(value, str) else value


Username = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(min_length=3, max_length=64, pattern=r"^[a-z0-9._-]+$"),
    # The check runs after lower-casing and trimming, so capitals and spaces around pass.
    Declared(pattern=r"^ *[A-Za-z0-9._-]{3,64} *$"),
]
Password = Annotated[
    str,
    StringConstraints(min_length=PASSWORD_MIN, max_length=256),
    AfterValidator(_strong),
    # A letter and a digit somewhere, no NUL (_strong answers `weak_password`/`nul_character`).
    Declared(pattern="^[^\\u0000]*([A-Za-z][^\\u0000]*[0-9]|[0-9][^\\u0000]*[A-Za-z])[^\\u0000]*$"),
]


class RoleGrant(InputModel):
    role: Role
    union_id: uuid.UUID = Field(description="The union where the role applies (and below it)")


class _Email(InputModel):
    email: EmailStr | None = Field(default=None, max_length=254)

    @field_validator("email", mode="after")
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class UserCreate(_Email):
    """A new account with at least one role at a union in your scope."""

    username: Username = Field(description="3-64 characters: a-z, 0-9, '.', '_', '-'")
    full_name: Line
    password: Password = Field(description="At least 10 characters with letters and digits")
    is_active: bool = True
    roles: list[RoleGrant] = Field(min_length=1, max_length=50)

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "username": "nguyen.van.a",
                    "full_name": "Nguyễn Văn A",
                    "email": "nguyenvana@ldld.tiengiang.vn",
                    "password": "DoiMatKhau2024",
                    "roles": [
                        {
                            "role": "union_officer",
                            "union_id": "0190f1a2-7b3c-7d4e-8f50-123456789abc",
                        }
                    ],
                }
            ]
        }
    }


class UserUpdate(_Email):
    """Fields to change; omitted fields stay as they are."""

    full_name: Omittable[Line] = None
    is_active: Omittable[bool] = None


class PasswordSet(InputModel):
    password: Password = Field(description="At least 10 characters with letters and digits")


class UserRead(OutputModel):
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    is_active: bool
    roles: list[AssignmentRead]
    version: int
    created_at: datetime
    updated_at: datetime
