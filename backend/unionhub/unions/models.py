"""The union tree: current state in `unions` (with an ltree path), history in `union_periods`."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, Ltree, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class UnionLevel(StrEnum):
    PROVINCE_FEDERATION = "province_federation"
    DIRECT_SUPERIOR = "direct_superior"
    GRASSROOTS = "grassroots"
    OCCUPATIONAL = "occupational"
    MEMBER_UNION = "member_union"
    DEPARTMENTAL = "departmental"
    UNION_GROUP = "union_group"


class UnionKind(StrEnum):
    PROVINCE_FEDERATION = "province_federation"
    DISTRICT_FEDERATION = "district_federation"
    SECTOR_UNION = "sector_union"
    PUBLIC_SERVANTS_UNION = "public_servants_union"
    INDUSTRIAL_ZONE_UNION = "industrial_zone_union"
    COMMUNE_UNION = "commune_union"
    ENTERPRISE_UNION = "enterprise_union"
    AGENCY_UNION = "agency_union"
    SCHOOL_UNION = "school_union"
    PUBLIC_SERVICE_UNIT_UNION = "public_service_unit_union"
    COOPERATIVE_UNION = "cooperative_union"
    OCCUPATIONAL_UNION = "occupational_union"
    INTERNAL_UNIT = "internal_unit"
    OTHER = "other"


class Sector(StrEnum):
    STATE = "state"
    NON_STATE = "non_state"


class UnionStatus(StrEnum):
    ACTIVE = "active"
    DISSOLVED = "dissolved"
    MERGED = "merged"


class UnionEventType(StrEnum):
    FOUNDED = "founded"
    RENAMED = "renamed"
    UPDATED = "updated"
    MOVED = "moved"
    MERGED = "merged"
    ABSORBED = "absorbed"
    DISSOLVED = "dissolved"


class Union(Base, TimestampMixin):
    __tablename__ = "unions"
    __table_args__ = (
        CheckConstraint(check_in("level", UnionLevel), name="level"),
        CheckConstraint(check_in("kind", UnionKind), name="kind"),
        CheckConstraint(check_in("sector", Sector), name="sector"),
        CheckConstraint(check_in("status", UnionStatus), name="status"),
        Index("ix_unions_path_gist", "path", postgresql_using="gist"),
        # An enterprise has at most one active grassroots union.
        Index(
            "uq_unions_enterprise_active",
            "enterprise_id",
            unique=True,
            postgresql_where=text("status = 'active' AND enterprise_id IS NOT NULL"),
        ),
        Index(
            "ix_unions_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    # Internal, never exposed: the label of this union in every ltree path.
    tree_key: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=UnionStatus.ACTIVE.value)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"), index=True)
    path: Mapped[str] = mapped_column(Ltree())
    founding_decision_no: Mapped[str | None] = mapped_column(String(64))
    founded_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"))
    address: Mapped[str | None] = mapped_column(String(500))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    # The enterprise an enterprise union lives in.
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprises.id", use_alter=True), index=True
    )
    # Accent- and case-free "code name short_name" for search (see core.text.fold).
    search_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)


class UnionPeriod(Base):
    """One stretch of time over which a union had the same parent, name and status.

    `valid_to` is exclusive and NULL for the current period; periods of one union never overlap
    (exclusion constraint in the migration).
    """

    __tablename__ = "union_periods"
    __table_args__ = (
        CheckConstraint(check_in("status", UnionStatus), name="status"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="range"),
        Index("ix_union_periods_union_id_valid_from", "union_id", "valid_from"),
        Index("ix_union_periods_parent_id", "parent_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"))
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class UnionEvent(Base):
    """A dated, decided change to a union: what the history endpoint lists."""

    __tablename__ = "union_events"
    __table_args__ = (
        CheckConstraint(check_in("event_type", UnionEventType), name="event_type"),
        Index("ix_union_events_union_id_effective_date", "union_id", "effective_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[date] = mapped_column(Date)
    decision_no: Mapped[str | None] = mapped_column(String(64))
    decision_date: Mapped[date | None] = mapped_column(Date)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(server_default=func.now())
