"""Request and response bodies of account management."""

import uuid
from datetime import datetime

from pydantic import (
    EmailStr,
    Field,
    field_validator,
)

from unionhub.auth.schemas import AssignmentRead, Password, Username
from unionhub.authz.permissions import Role
from unionhub.core.schemas import InputModel, Line, Omittable, OutputModel


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
