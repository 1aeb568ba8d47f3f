import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from unionhub.files.models import FileJobStatus


class FileJobRead(BaseModel):
    """A file being built by a worker, or ready to download (GET .../download) until
    `expires_at`."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    status: FileJobStatus
    file_name: str
    media_type: str
    size: int
    rows: int
    error: dict[str, Any] | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime
