import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from unionhub.core.schemas import InputModel, OutputModel


class CardRead(OutputModel):
    member_id: uuid.UUID
    card_number: str
    full_name: str
    photo_url: str | None = Field(
        description="The member's photo (JPEG, for the same caller), or null when the union has "
        "set none"
    )
    photo_sha256: str | None = Field(
        default=None,
        description="SHA-256 (hex) of the photo's JPEG; signed in the token as `ph`",
    )
    union_id: uuid.UUID
    union_name: str
    status: str
    issued_at: datetime
    valid_until: datetime
    token: str = Field(
        description="Compact JWS (ES256) of these facts; verify offline with "
        "/.well-known/jwks.json, or online (revocation) with POST /api/v1/cards/verify"
    )


class CardVerify(InputModel):
    token: str = Field(min_length=10, max_length=4096)


class CardVerdict(OutputModel):
    valid: bool
    reason: Literal["ok", "bad_signature", "expired", "member_left", "card_reissued", "unknown"]
    card_number: str | None = None
    full_name: str | None = None
    union_name: str | None = None
    valid_until: datetime | None = None
