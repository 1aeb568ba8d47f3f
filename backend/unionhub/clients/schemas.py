import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from unionhub.core.schemas import InputModel, Line, Note, Omittable, OutputModel


class ClientPermission(StrEnum):
    """What a client may be granted: reads, and writes only when granted one by one.
    Managing users, audit and clients, and the evaluation workflow stay with people."""

    UNIONS_READ = "unions:read"
    UNIONS_WRITE = "unions:write"
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    MEMBERS_PII = "members:pii"
    ENTERPRISES_READ = "enterprises:read"
    ENTERPRISES_WRITE = "enterprises:write"
    EVALUATIONS_READ = "evaluations:read"


Permissions = Annotated[
    list[ClientPermission],
    Field(
        min_length=1,
        max_length=len(ClientPermission),
        description="Granted at union_id and under it; reports need unions:read. "
        "members:pii (unmasked personal data) only with a pii_basis.",
    ),
]
RateLimit = Annotated[int, Field(ge=1, le=100_000, description="Requests per minute")]
PII_BASIS_REQUIRED = "members:pii needs the recorded basis for personal data (pii_basis)."


class ClientCreate(InputModel):
    name: Line
    organisation: Line
    contact: Line = Field(description="Who to call about this client (name, phone, email)")
    purpose: Note = Field(description="Purpose and legal basis of the data sharing")
    union_id: uuid.UUID = Field(description="The client sees this union and everything under it")
    permissions: Permissions
    pii_basis: Note | None = Field(
        default=None,
        description="Recorded basis for unmasked personal data (Law 91/2025); required with "
        "members:pii",
    )
    rate_limit_per_minute: RateLimit | None = None

    @model_validator(mode="after")
    def _pii_needs_basis(self) -> "ClientCreate":
        if ClientPermission.MEMBERS_PII in self.permissions and not self.pii_basis:
            raise ValueError(PII_BASIS_REQUIRED)
        return self


class ClientUpdate(InputModel):
    name: Omittable[Line] = None
    organisation: Omittable[Line] = None
    contact: Omittable[Line] = None
    purpose: Omittable[Note] = None
    permissions: Omittable[Permissions] = None
    pii_basis: Note | None = None
    rate_limit_per_minute: RateLimit | None = None


class ClientRotate(InputModel):
    overlap_hours: int | None = Field(
        default=None,
        ge=0,
        le=24 * 30,
        description="How long the previous secret keeps working (default: the deployment's)",
    )


class ClientUsageRead(OutputModel):
    requests: int
    errors: int
    last_seen_at: datetime | None


class ClientRead(OutputModel):
    id: uuid.UUID
    client_id: str = Field(description="The id to send with the secret (client credentials)")
    name: str
    organisation: str
    contact: str
    purpose: str
    pii_basis: str | None
    union_id: uuid.UUID
    union_name: str
    permissions: list[ClientPermission]
    rate_limit_per_minute: int
    status: str = Field(pattern="^(active|revoked)$")
    created_at: datetime
    secret_rotated_at: datetime | None
    previous_secret_valid_until: datetime | None
    revoked_at: datetime | None
    usage: ClientUsageRead
    version: int


class ClientWithSecret(ClientRead):
    client_secret: str = Field(description="Shown once: only its hash is kept")
