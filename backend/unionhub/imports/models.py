"""Spreadsheet import jobs: upload, validation report, commit, progress."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, check_in
from unionhub.core.ids import uuid7


class ImportKind(StrEnum):
    MEMBERS = "members"
    ENTERPRISES = "enterprises"
    # One record's sheet: a course's roster and results, a round's results (`target_id`).
    TRAINING_ROSTER = "training_roster"
    ROUND_RESULTS = "round_results"


class ImportStatus(StrEnum):
    VALIDATING = "validating"
    VALIDATED = "validated"
    COMMITTING = "committing"
    COMMITTED = "committed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ImportJob(Base):
    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint(check_in("kind", ImportKind), name="kind"),
        CheckConstraint(check_in("status", ImportStatus), name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    mode: Mapped[str] = mapped_column(String(16), default="create")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    done_rows: Mapped[int] = mapped_column(Integer, default=0)
    valid_rows: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # The course or round a sheet import writes into (NULL for the registers).
    target_id: Mapped[uuid.UUID | None]
    # The union the uploader acted for (a sheet import: the course's organiser, the round's
    # owner): scopes who may see the job.
    union_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"))
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]
    # Last sign of life of the job's background work (queued, progress): a validating or
    # committing job silent for long, with nothing queued or running for it, was lost.
    heartbeat_at: Mapped[datetime | None]


class ExportSlot(Base):
    """One export being built or downloaded: a user holds at most a few at once (kept in the
    database so the cap holds across replicas). Released when the download ends; a slot whose
    download never ends (the server died, the client stalls) lapses at `expires_at`."""

    __tablename__ = "export_slots"
    __table_args__ = (Index("ix_export_slots_user_id_expires_at", "user_id", "expires_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
