"""Strength evaluations (đánh giá, xếp loại CĐCS): schemes as data, yearly rounds, one rating
per union and round, and the rating's history.

A scheme's rules (variants per union type, the criteria tree, hard conditions, bands, quota,
the "strong" levels) are one JSON document validated by `evaluations.definition`: a new scheme
is a new row, never new code.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class PeriodKind(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    # Year Y is the school year from 1 September Y-1 to 31 August Y.
    SCHOOL_YEAR = "school_year"


class RoundStatus(StrEnum):
    OPEN = "open"
    PUBLISHED = "published"


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"
    # Listed with its reason, never rated, outside every denominator.
    INELIGIBLE = "ineligible"


class EvaluationAction(StrEnum):
    CREATED = "created"
    SCORED = "scored"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"
    REOPENED = "reopened"


class EvaluationScheme(Base):
    __tablename__ = "evaluation_schemes"
    __table_args__ = (
        CheckConstraint(check_in("period_kind", PeriodKind), name="period_kind"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="effective_range"
        ),
        UniqueConstraint("code", "version", name="uq_evaluation_schemes_code_version"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    legal_basis: Mapped[str] = mapped_column(String(500))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    period_kind: Mapped[str] = mapped_column(String(16))
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class EvaluationRound(Base, TimestampMixin):
    __tablename__ = "evaluation_rounds"
    __table_args__ = (
        CheckConstraint(check_in("status", RoundStatus), name="status"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("period_end > period_start", name="period_range"),
        UniqueConstraint("owner_union_id", "year", name="uq_evaluation_rounds_owner_year"),
        Index("ix_evaluation_rounds_year", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    year: Mapped[int] = mapped_column(Integer)
    scheme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluation_schemes.id"))
    owner_union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    self_assessment_deadline: Mapped[date | None] = mapped_column(Date)
    appraisal_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RoundStatus.OPEN.value)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)


class EvaluationRoundPart(Base, TimestampMixin):
    """A lower upper-level union's part of a round opened above it (a district federation
    under the province's round): its own deadlines for its units, no later than the round's,
    and the publication of its units' results before the whole round is published."""

    __tablename__ = "evaluation_round_parts"
    __table_args__ = (
        UniqueConstraint("round_id", "union_id", name="uq_evaluation_round_parts_round_union"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation_rounds.id", ondelete="CASCADE")
    )
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    self_assessment_deadline: Mapped[date | None] = mapped_column(Date)
    appraisal_deadline: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)


class Evaluation(Base, TimestampMixin):
    """One union's rating in one round: self-assessment and appraisal kept side by side."""

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint(check_in("status", EvaluationStatus), name="status"),
        UniqueConstraint("round_id", "union_id", name="uq_evaluations_round_union"),
        Index("ix_evaluations_union_id", "union_id"),
        # With the columns the summary counts by: a year's ratings are read from the index
        # alone (the rows themselves are wide: scores, flags and notes as JSON).
        Index(
            "ix_evaluations_year_union_id",
            "year",
            "union_id",
            postgresql_include=["round_id", "status", "level"],
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    round_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation_rounds.id", ondelete="CASCADE")
    )
    # Copied from the round: the summary reads one table.
    year: Mapped[int] = mapped_column(Integer)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    # The union that appraises: the direct superior in the tree as of the end of the period.
    appraiser_union_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("unions.id"), index=True
    )
    variant: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=EvaluationStatus.DRAFT.value)
    ineligible_reason: Mapped[str | None] = mapped_column(String(64))
    self_scores: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    self_flags: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    self_note: Mapped[str | None] = mapped_column(String(2000))
    # A short note per indicator code (what was done, where the evidence is).
    self_notes: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    appraisal_scores: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    appraisal_flags: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    appraisal_note: Mapped[str | None] = mapped_column(String(2000))
    appraisal_notes: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    # Set on approval (from the appraisal) and kept while published.
    total_points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    level: Mapped[str | None] = mapped_column(String(32))
    # Points per criteria group of a result imported from a spreadsheet (which has no points
    # per indicator); None for a rating scored in the app.
    group_points: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer, default=1)


class EvaluationEvent(Base):
    """The rating's history: every step, who took it, and the note or reason given."""

    __tablename__ = "evaluation_events"
    __table_args__ = (
        CheckConstraint(check_in("action", EvaluationAction), name="action"),
        Index("ix_evaluation_events_evaluation_id_at", "evaluation_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE")
    )
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(2000))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(server_default=func.now())


class EvaluationEvidence(Base):
    """A file the unit attaches to one indicator of its self-assessment (a decision, minutes, a
    photo). Kept in the database like an import's file, so any replica serves it; its content
    is loaded only for a download."""

    __tablename__ = "evaluation_evidence"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        Index("ix_evaluation_evidence_evaluation_id_indicator", "evaluation_id", "indicator"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    evaluation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE")
    )
    indicator: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
