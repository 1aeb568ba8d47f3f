"""Periodic reports (báo cáo định kỳ): templates as versioned data, the requests an upper union
sends down, and each unit's report with its frozen figures.

A report's `content` is its snapshot: every section of the template with the cells computed
from the records when it was generated (and the corrections, each beside the computed value
with its reason), the lists of records and the free text. An approved report never changes.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    ANY = "any"


class ReportStatus(StrEnum):
    PENDING = "pending"  # asked for, not generated yet
    DRAFT = "draft"  # generated (and maybe corrected), not sent
    SUBMITTED = "submitted"  # sent up, waiting for review
    RETURNED = "returned"  # sent back with comments: correct and submit again
    APPROVED = "approved"  # accepted by the upper union: locked


class ReportTemplate(Base):
    """One version of a report form. A new version is a new row with the same code; a request
    keeps the version it was sent with."""

    __tablename__ = "report_templates"
    __table_args__ = (
        CheckConstraint(check_in("period_kind", PeriodKind), name="period_kind"),
        Index("uq_report_templates_code_version", "code", "version", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(255))
    period_kind: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class ReportRequest(Base, TimestampMixin):
    """A request for reports sent down by a union to (some of) its direct children; a
    forwarded one (`parent_request_id`) is a unit asked by the parent passing it on to its own
    children, so that its report is theirs added up."""

    __tablename__ = "report_requests"
    __table_args__ = (
        CheckConstraint("period_to >= period_from", name="period_range"),
        # A unit forwards a request once.
        Index(
            "uq_report_requests_parent_request_id_union_id",
            "parent_request_id",
            "union_id",
            unique=True,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("report_templates.id"))
    title: Mapped[str] = mapped_column(String(500))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(2000))
    parent_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("report_requests.id", ondelete="CASCADE")
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)


class Report(Base, TimestampMixin):
    """One unit's report for a request (`consolidated`: the requesting union's own report,
    which adds up its approved children's reports and its own records)."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(check_in("status", ReportStatus), name="status"),
        Index("uq_reports_request_id_union_id", "request_id", "union_id", unique=True),
        Index("ix_reports_union_id_status", "union_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("report_requests.id", ondelete="CASCADE")
    )
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    consolidated: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.PENDING.value)
    # The snapshot: sections with their cells, lists and texts (see reports.content).
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    generated_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=1)
