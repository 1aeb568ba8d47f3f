"""The audit log as the API shows it (the client IP stays in the database)."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from unionhub.core.schemas import OutputModel


class AuditEntryRead(OutputModel):
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_username: str | None
    actor_name: str | None = Field(
        default=None,
        description="The actor's full name and username, e.g. 'Trần Văn Phước (mytho)'",
    )
    action: str
    entity_type: str
    entity_id: uuid.UUID | None
    entity_label: str | None = Field(
        default=None,
        description="What the entry is about, by name: 'Nguyễn Thị An (CD0000000463)', a union's "
        "name and code, an enterprise's or an account's name; null when the record has none",
    )
    union_id: uuid.UUID | None
    union_name: str | None = None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


class AuditActor(OutputModel):
    id: uuid.UUID
    username: str
    full_name: str
