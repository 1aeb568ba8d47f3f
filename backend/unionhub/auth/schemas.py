import uuid
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import PrincipalKind
from unionhub.core.error_codes import ErrorCode
from unionhub.core.schemas import Declared, InputModel, OutputModel

# The rules of every account's username and password: officers' (users) and members' own.
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


class TokenPair(OutputModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str
    refresh_expires_in: int


class ClientToken(OutputModel):
    """The answer to the client-credentials grant: an access token and no refresh token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    scope: str = Field(description="The client's permissions, space-separated")


class RefreshRequest(InputModel):
    refresh_token: str | None = Field(
        default=None,
        max_length=2048,
        description="The refresh token; web clients may omit it and rely on the HttpOnly cookie.",
    )


class AssignmentRead(OutputModel):
    id: uuid.UUID
    role: Role
    union_id: uuid.UUID
    union_name: str


class Me(OutputModel):
    id: uuid.UUID
    username: str
    full_name: str
    email: str | None
    roles: list[AssignmentRead]
    permissions: list[Permission]
    kind: PrincipalKind = Field(
        default="person",
        description="person (an officer), member (a member's own account) or client",
    )
    member_id: uuid.UUID | None = Field(
        default=None, description="A member account's own member record (GET /me/member)"
    )
