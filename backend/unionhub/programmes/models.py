"""Programmes and congress resolutions (chương trình, nghị quyết) with their numeric targets,
and the targets' allocations to child unions.

A target names an indicator of the catalogue (`indicators.catalogue`) by key; its progress is
computed from the records, never typed in.
"""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class TargetKind(StrEnum):
    # Events added up over the term (e.g. 16,000 admissions).
    CUMULATIVE = "cumulative"
    # A level every year (e.g. >= 95% strong each year).
    EVERY_YEAR = "every_year"
    # A level reached by the end of the term (e.g. 250,000 members).
    END_OF_TERM = "end_of_term"


class AllocationMethod(StrEnum):
    MANUAL = "manual"
    PROPORTIONAL = "proportional"
    # Taken over from a dissolved or merged unit's allocation (handed_from_id).
    HANDOVER = "handover"


class Programme(Base, TimestampMixin):
    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("planned_end > term_start", name="term_range"),
        CheckConstraint("actual_end IS NULL OR actual_end >= term_start", name="actual_end_range"),
        Index("uq_programmes_union_id_number", "union_id", "number", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    legal_basis: Mapped[str | None] = mapped_column(String(1000))
    term_start: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    # A term cut short by a reorganisation or an early congress.
    actual_end: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(1000))
    # Which evaluation levels count as "vững mạnh" for this programme, per scheme code
    # ({"HD1294-TLD-2019": ["excellent", "good"]}); a scheme not named keeps its own mapping.
    strong_levels: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)


class ProgrammeTarget(Base, TimestampMixin):
    __tablename__ = "programme_targets"
    __table_args__ = (
        CheckConstraint(check_in("kind", TargetKind), name="kind"),
        CheckConstraint("target_value >= 0", name="target_non_negative"),
        Index("ix_programme_targets_programme_id_position", "programme_id", "position"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    indicator_key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    # A count (16000) or a share (0.95).
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    # The indicator's parameters, e.g. {"min_workers": 20}.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)


class TargetAllocation(Base, TimestampMixin):
    """A child union's share of a target, over a stretch of time (valid_to exclusive)."""

    __tablename__ = "target_allocations"
    __table_args__ = (
        CheckConstraint(check_in("method", AllocationMethod), name="method"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="range"),
        Index("ix_target_allocations_target_id_union_id", "target_id", "union_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    target_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programme_targets.id", ondelete="CASCADE")
    )
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), index=True)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    method: Mapped[str] = mapped_column(String(16))
    # What a proportional allocation was computed from (e.g. the child's members).
    base_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    handed_from_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("target_allocations.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
