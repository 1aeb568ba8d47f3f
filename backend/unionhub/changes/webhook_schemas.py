import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from unionhub.core.schemas import InputModel, OutputModel

EventType = Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)?$", max_length=64)]


class WebhookCreate(InputModel):
    url: str = Field(
        min_length=8,
        max_length=2000,
        pattern=r"^https?://[^\s]+$",
        description="https URL receiving POSTs (private addresses only when allowlisted)",
    )
    event_types: list[EventType] = Field(
        default_factory=list,
        max_length=50,
        description="Entity types (member) or actions (member.admit); empty: all you may see",
    )


class WebhookUpdate(InputModel):
    active: bool | None = Field(default=None, description="true re-enables after failures")
    event_types: list[EventType] | None = Field(default=None, max_length=50)


class WebhookRead(OutputModel):
    id: uuid.UUID
    client_id: uuid.UUID
    url: str
    event_types: list[str]
    active: bool
    disabled_reason: str | None
    consecutive_failures: int
    created_at: datetime
    version: int


class WebhookWithSecret(WebhookRead):
    secret: str = Field(description="whsec_...: verify webhook-signature with it (shown once)")


class DeliveryRead(OutputModel):
    id: uuid.UUID
    event_id: str
    event_type: str
    status: str = Field(pattern="^(pending|succeeded|failed)$")
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
