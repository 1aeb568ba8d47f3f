import uuid

from pydantic import Field

from unionhub.authz.permissions import Permission, Role
from unionhub.core.schemas import InputModel, OutputModel


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
