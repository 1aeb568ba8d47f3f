"""The audit log as the API shows it (the client IP stays in the database)."""

import uuid
from datetime import datetime
from typing import Any

from unionhub.core.schemas import OutputModel


class AuditEntryRead(OutputModel):
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_username: str | None
    action: str
    entity_type: str
    entity_id: uuid.UUID | None
    union_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
