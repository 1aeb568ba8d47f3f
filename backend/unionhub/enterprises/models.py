"""Enterprises (doanh nghiệp) and their dated worker surveys."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class Ownership(StrEnum):
    STATE = "state"
    NON_STATE_DOMESTIC = "non_state_domestic"
    FDI = "fdi"
    COOPERATIVE = "cooperative"


class OperatingStatus(StrEnum):
    OPERATING = "operating"
    SUSPENDED = "suspended"
    DISSOLVED = "dissolved"


class Enterprise(Base, TimestampMixin):
    __tablename__ = "enterprises"
    __table_args__ = (
        CheckConstraint(check_in("ownership", Ownership), name="ownership"),
        CheckConstraint(check_in("operating_status", OperatingStatus), name="operating_status"),
        CheckConstraint("tax_code ~ '^[0-9]{10}([0-9]{3})?$'", name="tax_code_digits"),
        Index(
            "ix_enterprises_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_enterprises_responsible_union_id", "responsible_union_id"),
        # The earliest current figure (`indicators.queries.first_figure_day`): an index end.
        Index("ix_enterprises_surveyed_on", "surveyed_on"),
        # The list's name order with the id: cursor pages (keyset). The migration builds it on
        # `name COLLATE "vi-x-icu"`, the order the list sorts by; alembic's reflection does
        # not see an index column's collation, so the model names the plain columns.
        Index("ix_enterprises_name_vi_id", "name", "id"),
        Index(
            "ix_enterprises_tax_code_prefix",
            "tax_code",
            postgresql_ops={"tax_code": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    tax_code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(100))
    ownership: Mapped[str] = mapped_column(String(24))
    vsic_code: Mapped[str | None] = mapped_column(String(6))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    address: Mapped[str | None] = mapped_column(String(500))
    industrial_zone: Mapped[str | None] = mapped_column(String(255))
    # The direct-superior union responsible for organising it: scopes who sees it.
    responsible_union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    operating_status: Mapped[str] = mapped_column(String(16), default=OperatingStatus.OPERATING)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    representative: Mapped[str | None] = mapped_column(String(255))
    # The latest survey, kept here so lists and the gap report need no per-row lookups.
    total_workers: Mapped[int | None] = mapped_column(Integer)
    female_workers: Mapped[int | None] = mapped_column(Integer)
    surveyed_on: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


class WorkerSurvey(Base):
    __tablename__ = "worker_surveys"
    __table_args__ = (
        CheckConstraint("total_workers >= 0 AND female_workers >= 0", name="non_negative"),
        CheckConstraint("female_workers <= total_workers", name="female_le_total"),
        # The latest survey of each enterprise on a day (`indicators.queries._workers_on`):
        # the order of `DISTINCT ON` read backwards, with the workers - no sort, no heap.
        Index(
            "ix_worker_surveys_latest",
            "enterprise_id",
            "surveyed_on",
            "recorded_at",
            "id",
            postgresql_include=["total_workers"],
        ),
        # The earliest survey (`indicators.queries.first_figure_day`): an index end.
        Index("ix_worker_surveys_surveyed_on", "surveyed_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    enterprise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE")
    )
    surveyed_on: Mapped[date] = mapped_column(Date)
    total_workers: Mapped[int] = mapped_column(Integer)
    female_workers: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(1000))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class EnterpriseCount(Base):
    """Enterprises per responsible union, by operating status, whether they have an active
    union (`unions.enterprise_id`) and whether they reach the founding size (20 workers,
    `enterprises.repository.FOUNDING_MIN_WORKERS`, in the SQL function
    `enterprise_founding_size`); `workers`: their total workers. The overview's enterprise
    figures read a few rows per union, whatever the number of enterprises.

    Kept by triggers on `enterprises` and `unions` in the same transaction as each change;
    `unionhub counts rebuild|check` recompute and compare it. Never written by the application.
    """

    __tablename__ = "enterprise_counts"
    __table_args__ = (
        CheckConstraint(check_in("operating_status", OperatingStatus), name="operating_status"),
        PrimaryKeyConstraint(
            "union_id",
            "operating_status",
            "with_union",
            "founding_size",
            name=f"pk_{__tablename__}",
        ),
    )

    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"))
    operating_status: Mapped[str] = mapped_column(String(16))
    with_union: Mapped[bool] = mapped_column(Boolean)
    founding_size: Mapped[bool] = mapped_column(Boolean)
    n: Mapped[int] = mapped_column(Integer)
    workers: Mapped[int] = mapped_column(BigInteger)
