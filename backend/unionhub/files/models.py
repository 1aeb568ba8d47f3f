"""File jobs: a file (a large export, later a report) built by a queue worker and downloaded
when ready."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, check_in
from unionhub.core.ids import uuid7


class FileJobStatus(StrEnum):
    QUEUED = "queued"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


class FileJob(Base):
    """One file to build: what (`kind`, `params`), for whom (`created_by`, who alone may see
    and download it), and, once built, the file itself (kept in the database, so any replica
    can serve it; removed at `expires_at`)."""

    __tablename__ = "file_jobs"
    __table_args__ = (
        CheckConstraint(check_in("status", FileJobStatus), name="status"),
        Index("ix_file_jobs_created_by_status", "created_by", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(40))
    task: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default=FileJobStatus.QUEUED.value)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
