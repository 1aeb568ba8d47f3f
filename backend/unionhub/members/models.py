"""The member register: members, their effective-dated membership, events, transfers, cadres."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"
    STRUCK_OFF = "struck_off"
    EXPELLED = "expelled"
    DECEASED = "deceased"


# Statuses in which a person counts as a member of their union.
IN_MEMBERSHIP = (MemberStatus.ACTIVE.value, MemberStatus.SUSPENDED.value)


class EducationLevel(StrEnum):
    NONE = "none"
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    COLLEGE = "college"
    UNIVERSITY = "university"
    MASTER = "master"
    DOCTORATE = "doctorate"


class PoliticalTheory(StrEnum):
    NONE = "none"
    SO_CAP = "so_cap"
    TRUNG_CAP = "trung_cap"
    CAO_CAP = "cao_cap"
    CU_NHAN = "cu_nhan"


class MemberEventType(StrEnum):
    ADMITTED = "admitted"
    UPDATED = "updated"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    TRANSFERRED = "transferred"
    LEFT = "left"
    STRUCK_OFF = "struck_off"
    EXPELLED = "expelled"
    DECEASED = "deceased"
    REJOINED = "rejoined"
    CARD_REISSUED = "card_reissued"


class TransferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    CANCELLED = "cancelled"


class CadrePost(StrEnum):
    GROUP_DEPUTY = "group_deputy"
    GROUP_LEADER = "group_leader"
    EXECUTIVE_MEMBER = "executive_member"
    STANDING_MEMBER = "standing_member"
    VICE_CHAIR = "vice_chair"
    CHAIR = "chair"
    INSPECTION_MEMBER = "inspection_member"
    INSPECTION_CHAIR = "inspection_chair"


# Federation-wide card number sequence (created in the migration).
CARD_SEQUENCE = "member_card_seq"

# References checked by triggers once per statement, not by foreign keys row by row
# (docs/adr/0016; migration e5a1c7d3b9f2). Kept in the metadata for the ORM's flush order;
# migrations/env.py leaves them out of `alembic check`.
BY_TRIGGER = {"by_trigger": True}


class Member(Base, TimestampMixin):
    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint(check_in("gender", Gender), name="gender"),
        CheckConstraint(check_in("status", MemberStatus), name="status"),
        CheckConstraint(check_in("education_level", EducationLevel), name="education_level"),
        CheckConstraint(check_in("political_theory", PoliticalTheory), name="political_theory"),
        CheckConstraint("personal_id ~ '^[0-9]{12}$'", name="personal_id_digits"),
        CheckConstraint("personal_id IS NOT NULL OR passport_no IS NOT NULL", name="has_identity"),
        # One register entry per person while they are on the books.
        Index(
            "uq_members_personal_id_on_books",
            "personal_id",
            unique=True,
            postgresql_where=text("status <> 'struck_off'"),
        ),
        # Name order, with the list's filter columns: a page's keys come from the index alone
        # (repository.page_query reads the page's rows by id afterwards).
        Index(
            "ix_members_search_name",
            "search_name",
            "id",
            postgresql_include=["union_id", "status", "gender"],
        ),
        # The usual list filters in name order: keyset pages cost the same at any depth.
        Index(
            "ix_members_union_id_status_gender_search_name",
            "union_id",
            "status",
            "gender",
            "search_name",
            "id",
        ),
        Index(
            "ix_members_search_trgm",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        ),
        Index(
            "ix_members_personal_id_prefix",
            "personal_id",
            postgresql_ops={"personal_id": "varchar_pattern_ops"},
        ),
        Index("ix_members_enterprise_id", "enterprise_id"),
        Index("ix_members_admission_date", "admission_date"),
        Index("ix_members_date_of_birth", "date_of_birth"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    full_name: Mapped[str] = mapped_column(String(120))
    search_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(8))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    nationality: Mapped[str] = mapped_column(String(2), default="VN")
    personal_id: Mapped[str | None] = mapped_column(String(12))
    passport_no: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    education_level: Mapped[str | None] = mapped_column(String(20))
    professional_qualification: Mapped[str | None] = mapped_column(String(255))
    political_theory: Mapped[str | None] = mapped_column(String(12))
    occupation: Mapped[str | None] = mapped_column(String(255))
    enterprise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("enterprises.id", info=BY_TRIGGER)
    )
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    admission_date: Mapped[date] = mapped_column(Date)
    admitted_by_union_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("unions.id", info=BY_TRIGGER)
    )
    # Collation "C": the unique index also serves the search's prefix LIKE (one index, not
    # two); card numbers sort as before (migration d4b8e1a7c3f2).
    card_number: Mapped[str | None] = mapped_column(String(20, collation="C"), unique=True)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", info=BY_TRIGGER))
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ACTIVE)
    status_since: Mapped[date] = mapped_column(Date)
    # Completed union trainings: [{"name", "year", "organiser"}]; courses link them later.
    trainings: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)


class MemberName(Base):
    """Every accent-free name of the register once (`Member.search_name`), added by triggers on
    members (migration f3b7d1a9c5e2); a name whose members are gone stays until
    `unionhub counts rebuild`. A large scope's full-name search finds the names here by the
    keys of their adjacent word pairs (see members.search), then their members by name."""

    __tablename__ = "member_names"
    __table_args__ = (
        # Written at once, not through GIN's pending list, which every search would read
        # (migration a7c2e9f4b1d6).
        Index(
            "ix_member_names_keys",
            func.member_name_keys(text("search_name")),
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ),
    )

    search_name: Mapped[str] = mapped_column(Text, primary_key=True)


class MembershipPeriod(Base):
    """A stretch of time a member spent in one union with one status (valid_to exclusive)."""

    __tablename__ = "membership_periods"
    __table_args__ = (
        CheckConstraint(check_in("status", MemberStatus), name="status"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="range"),
        Index("ix_membership_periods_member_id_valid_from", "member_id", "valid_from"),
        Index("ix_membership_periods_union_id_valid_from", "union_id", "valid_from"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE", info=BY_TRIGGER)
    )
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", info=BY_TRIGGER))
    status: Mapped[str] = mapped_column(String(16))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class MemberEvent(Base):
    __tablename__ = "member_events"
    __table_args__ = (
        CheckConstraint(check_in("event_type", MemberEventType), name="event_type"),
        Index("ix_member_events_member_id_effective_date", "member_id", "effective_date"),
        Index("ix_member_events_event_type_effective_date", "event_type", "effective_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE", info=BY_TRIGGER)
    )
    event_type: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[date] = mapped_column(Date)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id", info=BY_TRIGGER))
    reason: Mapped[str | None] = mapped_column(String(1000))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", info=BY_TRIGGER)
    )
    recorded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class TransferRequest(Base):
    """A transfer waiting for the receiving union (when one officer cannot do both sides)."""

    __tablename__ = "transfer_requests"
    __table_args__ = (
        CheckConstraint(check_in("status", TransferStatus), name="status"),
        Index("ix_transfer_requests_to_union_id_status", "to_union_id", "status"),
        Index("ix_transfer_requests_from_union_id_status", "from_union_id", "status"),
        # At most one open request per member.
        Index(
            "uq_transfer_requests_member_pending",
            "member_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    from_union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    to_union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    status: Mapped[str] = mapped_column(String(12), default=TransferStatus.PENDING)
    effective_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(1000))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(server_default=func.now())
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(1000))


class ChangeRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class MemberChangeRequest(Base):
    """A change of identity data (name, date of birth, personal ID ...) a member asked for in
    their own account; it applies only when an officer of their union approves it."""

    __tablename__ = "member_change_requests"
    __table_args__ = (
        CheckConstraint(check_in("status", ChangeRequestStatus), name="status"),
        Index("ix_member_change_requests_union_id_status", "union_id", "status"),
        # At most one open request per member.
        Index(
            "uq_member_change_requests_member_pending",
            "member_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    # The member's union when asked: whose officers decide.
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    # Field -> the value asked for (JSON: dates as ISO strings).
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(12), default=ChangeRequestStatus.PENDING)
    note: Mapped[str | None] = mapped_column(String(1000))
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(server_default=func.now())
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(String(1000))


class MemberActivationCode(Base):
    """A one-time code an officer gives a member to activate their own account: only its keyed
    hash is kept; it expires, and it is spent by its first use (or by a newer code)."""

    __tablename__ = "member_activation_codes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class MemberPhoto(Base):
    """A member's photo for their card, as the service re-encoded it (a JPEG without metadata,
    members.photos). Kept in the database like the other files, so any replica serves it;
    `sha256` (of `content`) is what a signed card names it by."""

    __tablename__ = "member_photos"
    __table_args__ = (CheckConstraint("width > 0 AND height > 0 AND size > 0", name="dimensions"),)

    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(server_default=func.now())


class TransferEscalation(Base):
    """A union's setting: transfer requests into it that wait longer than `days` are escalated
    to its upper union (flagged there as waiting for the upper union's officers). Applied when
    requests are read; no row means no escalation."""

    __tablename__ = "transfer_escalations"
    __table_args__ = (CheckConstraint("days BETWEEN 1 AND 365", name="days"),)

    union_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("unions.id", ondelete="CASCADE"), primary_key=True
    )
    days: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class CadreAssignment(Base, TimestampMixin):
    """A union post held by a member, from/to dates (to NULL while held)."""

    __tablename__ = "cadre_assignments"
    __table_args__ = (
        CheckConstraint(check_in("post", CadrePost), name="post"),
        CheckConstraint("to_date IS NULL OR to_date >= from_date", name="range"),
        Index("ix_cadre_assignments_union_id", "union_id"),
        Index("ix_cadre_assignments_member_id", "member_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    post: Mapped[str] = mapped_column(String(24))
    full_time: Mapped[bool] = mapped_column(Boolean, default=False)
    from_date: Mapped[date] = mapped_column(Date)
    to_date: Mapped[date | None] = mapped_column(Date)
    decision_no: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)


class FlowKind(StrEnum):
    """What a member event adds to the maintained flow counts (docs/adr/0011)."""

    ADMITTED = "admitted"
    REJOINED = "rejoined"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    LEFT = "left"
    STRUCK_OFF = "struck_off"
    EXPELLED = "expelled"
    DECEASED = "deceased"


class Span(StrEnum):
    """The stretches the rollups of the maintained counts sum the days of."""

    MONTH = "month"
    YEAR = "year"


# Exits from membership, as flow kinds.
EXIT_KINDS = (
    FlowKind.LEFT.value,
    FlowKind.STRUCK_OFF.value,
    FlowKind.EXPELLED.value,
    FlowKind.DECEASED.value,
)


class _CountRow:
    """Columns every maintained count has; each table declares its key order (the primary
    key is the index every figure reads)."""

    # No foreign key (a derived table; migration e5a1c7d3b9f2): the keys come from the
    # register's rows, and deleting a union deletes its counts (unions_references_release).
    union_id: Mapped[uuid.UUID] = mapped_column()
    gender: Mapped[str] = mapped_column(String(8))


def _count_args(table: str, key: str, enum: type[StrEnum], *, by_day: bool = True) -> Any:
    return (
        CheckConstraint(check_in(key, enum), name=key),
        CheckConstraint(check_in("gender", Gender), name="gender"),
        PrimaryKeyConstraint(
            "union_id", key, "gender", *(["day"] if by_day else []), name=f"pk_{table}"
        ),
    )


def _rollup_args(table: str, key: str, enum: type[StrEnum]) -> Any:
    return (
        CheckConstraint(check_in(key, enum), name=key),
        CheckConstraint(check_in("gender", Gender), name="gender"),
        CheckConstraint(check_in("span", Span), name="span"),
        PrimaryKeyConstraint("union_id", key, "gender", "span", "start", name=f"pk_{table}"),
    )


class MemberCountDelta(_CountRow, Base):
    """+1 where a membership period starts, -1 where it ends, summed per union, status, gender
    and day. Members of a union with a status on day D = the sum of its deltas up to D.

    Kept by triggers on `membership_periods` (and on `members` for a change of gender) in the
    same transaction as the change; `unionhub counts rebuild` recomputes it. A derived table:
    never written by the application.
    """

    __tablename__ = "member_count_deltas"
    __table_args__ = (
        *_count_args(__tablename__, "status", MemberStatus),
        # Every union's deltas of a few days (the days a rollup leaves) in one range.
        Index("ix_member_count_deltas_day", "day"),
    )

    status: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class MemberCountTotal(_CountRow, Base):
    """The sum of all of a union's deltas per status and gender: the members of its open
    periods, so today's figures read a few rows per union instead of summing its history."""

    __tablename__ = "member_count_totals"
    __table_args__ = _count_args(__tablename__, "status", MemberStatus, by_day=False)

    status: Mapped[str] = mapped_column(String(16))
    n: Mapped[int] = mapped_column(Integer)


class MemberFlowCount(_CountRow, Base):
    """Member events per union, kind, gender and day: admissions (new and rejoined),
    transfers in and out, suspensions, resumptions and exits. Kept by a trigger on
    `member_events`; `unionhub counts rebuild` recomputes it."""

    __tablename__ = "member_flow_counts"
    __table_args__ = (
        *_count_args(__tablename__, "kind", FlowKind),
        Index("ix_member_flow_counts_kind_day", "kind", "day"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    n: Mapped[int] = mapped_column(Integer)


class MemberCountRollup(_CountRow, Base):
    """`member_count_deltas` summed per month and per year (`span`, `start`: the first day of
    the month or year), kept by the same triggers in the same transaction: the members on a
    day are today's totals less the deltas after it, read as the rest of its month by day, the
    rest of its year by month and the later years whole (`count_spans`), a few rows per union
    whatever the day."""

    __tablename__ = "member_count_rollups"
    __table_args__ = (
        *_rollup_args(__tablename__, "status", MemberStatus),
        # Every union's rows of a piece of a period in one range, carrying the rest of the row:
        # an index-only range (the years after a past day: 13,000 rows over 2,800 pages at 1M
        # members read from the table).
        Index(
            "ix_member_count_rollups_span_start",
            "span",
            "start",
            postgresql_include=["union_id", "status", "gender", "delta"],
        ),
    )

    status: Mapped[str] = mapped_column(String(16))
    span: Mapped[str] = mapped_column(String(8))
    start: Mapped[date] = mapped_column(Date)
    delta: Mapped[int] = mapped_column(Integer)


class MemberFlowRollup(_CountRow, Base):
    """`member_flow_counts` summed per month and per year, as `MemberCountRollup`: the flows
    of a period read its whole years, the whole months outside them and the days left."""

    __tablename__ = "member_flow_rollups"
    __table_args__ = (
        *_rollup_args(__tablename__, "kind", FlowKind),
        # Carries the rest of the row: the months of one kind over a whole tree (the overview's
        # admissions), an index-only range.
        Index(
            "ix_member_flow_rollups_kind_span_start",
            "kind",
            "span",
            "start",
            postgresql_include=["union_id", "gender", "n"],
        ),
    )

    kind: Mapped[str] = mapped_column(String(16))
    span: Mapped[str] = mapped_column(String(8))
    start: Mapped[date] = mapped_column(Date)
    n: Mapped[int] = mapped_column(Integer)


def _subtree_table(name: str, key: str, enum: type[StrEnum], *by_month: Column[Any]) -> Table:
    """A union's whole subtree (the union and every union under it, by the tree of now) summed
    per key: the figure of `union_id`'s subtree for a key is the sum of its rows. Appended to
    by the same functions that keep the per-union counts, in the same transaction (a row per
    statement and union above the changed ones: no writer updates a row another waits on), and
    folded into one row per key by a periodic job (`members.subtree`). No primary key: a key
    has several rows until it is folded. docs/adr/0020."""
    columns: list[Column[Any]] = [
        Column("union_id", Uuid, nullable=False),
        Column(key, String(16), nullable=False),
        Column("gender", String(8), nullable=False),
        *by_month,
        Column("n", Integer, nullable=False),
        # False: appended by a writer and not yet folded (the fold reads these keys only).
        Column("folded", Boolean, nullable=False, server_default=false()),
    ]
    key_columns = ["union_id", key, *(["month"] if by_month else ["gender"])]
    return Table(
        name,
        Base.metadata,
        *columns,
        CheckConstraint(check_in(key, enum), name=key),
        CheckConstraint(check_in("gender", Gender), name="gender"),
        Index(
            f"ix_{name}_key",
            *key_columns,
            postgresql_include=["gender", "n"] if by_month else ["n"],
        ),
        Index(
            f"ix_{name}_unfolded",
            "union_id",
            key,
            "gender",
            *(["month"] if by_month else []),
            postgresql_where=text("NOT folded"),
        ),
    )


# Members per status and gender of each union's subtree (`member_count_totals` summed upward).
member_subtree_totals = _subtree_table("member_subtree_totals", "status", MemberStatus)
# Member events per kind, gender and month of each union's subtree (the month rows of
# `member_flow_rollups` summed upward).
member_subtree_flows = _subtree_table(
    "member_subtree_flows", "kind", FlowKind, Column("month", Date, nullable=False)
)
