"""Training (đào tạo, bồi dưỡng): qualification records per person, courses with their
rosters, post requirements as data, and the spending figures the training-share target needs.

The levels of each qualification kind are `LEVELS` below (a CHECK keeps the table to them);
course kinds and post requirements are rows an administrator adds.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, DATEMULTIRANGE
from sqlalchemy.orm import Mapped, mapped_column

from unionhub.core.db import Base, TimestampMixin, check_in
from unionhub.core.ids import uuid7

# ------------------------------------------------------------------ qualification levels
# Qualification kinds and their levels, ranked: the one table every rule reads.
#
# A record *counts* towards a person's current level when its evidence is a diploma, or a
# confirmation certificate (giấy xác nhận trình độ) issued before 9 July 2021 - those were made
# equivalent to the diploma; later confirmations are kept on file but do not count.
# The current level of a kind is the highest-ranked counting record (cử nhân chính trị ranks
# with cao cấp).


class QualificationKind(StrEnum):
    GENERAL_EDUCATION = "general_education"
    PROFESSIONAL = "professional"
    POLITICAL_THEORY = "political_theory"
    UNION_WORK = "union_work"
    STATE_MANAGEMENT = "state_management"
    FOREIGN_LANGUAGE = "foreign_language"
    IT = "it"


class Evidence(StrEnum):
    DIPLOMA = "diploma"
    CONFIRMATION = "confirmation"


class QualificationSource(StrEnum):
    MANUAL = "manual"
    COURSE = "course"
    # Carried over from the member's former single fields and free-text trainings.
    MIGRATED = "migrated"


K = QualificationKind
# Levels per kind, lowest first; the rank is the position (1-based) unless RANK_OVERRIDE says.
LEVELS: dict[QualificationKind, tuple[str, ...]] = {
    K.GENERAL_EDUCATION: ("primary", "lower_secondary", "upper_secondary"),
    K.PROFESSIONAL: ("intermediate", "college", "university", "master", "doctorate"),
    K.POLITICAL_THEORY: ("so_cap", "trung_cap", "cao_cap", "cu_nhan"),
    K.UNION_WORK: ("basic", "advanced", "university"),
    K.STATE_MANAGEMENT: ("officer", "principal_officer", "senior_officer"),
    K.FOREIGN_LANGUAGE: ("a1", "a2", "b1", "b2", "c1", "c2"),
    K.IT: ("basic", "advanced"),
}
RANK_OVERRIDE: dict[tuple[QualificationKind, str], int] = {(K.POLITICAL_THEORY, "cu_nhan"): 3}

# Confirmation certificates issued before this day count as the diploma.
CONFIRMATION_CUTOFF = date(2021, 7, 9)


def rank(kind: str, level: str) -> int:
    """1 for the lowest level of `kind`; 0 for a level the kind does not have."""
    k = QualificationKind(kind)
    if (k, level) in RANK_OVERRIDE:
        return RANK_OVERRIDE[(k, level)]
    levels = LEVELS[k]
    return levels.index(level) + 1 if level in levels else 0


def is_level(kind: str, level: str) -> bool:
    return rank(kind, level) > 0


def counts(evidence: str, issued_on: date | None) -> bool:
    """Whether a record counts towards the current level (see the module docstring)."""
    if evidence == Evidence.DIPLOMA.value:
        return True
    return issued_on is not None and issued_on < CONFIRMATION_CUTOFF


def levels_check() -> str:
    """CHECK constraint text: the level is one of its kind's levels."""
    parts = [
        f"(kind = '{k.value}' AND level IN ({', '.join(repr(v) for v in levels)}))"
        for k, levels in LEVELS.items()
    ]
    return " OR ".join(parts)


class CourseStatus(StrEnum):
    PLANNED = "planned"
    OPEN = "open_for_nominations"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class ParticipantStatus(StrEnum):
    NOMINATED = "nominated"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ParticipantResult(StrEnum):
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


class SpendingStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class Qualification(Base, TimestampMixin):
    """One qualification a person holds, with its evidence; the history is all of them."""

    __tablename__ = "qualifications"
    __table_args__ = (
        CheckConstraint(check_in("kind", QualificationKind), name="kind"),
        CheckConstraint(levels_check(), name="level"),
        CheckConstraint(check_in("evidence", Evidence), name="evidence"),
        CheckConstraint(check_in("source", QualificationSource), name="source"),
        CheckConstraint("evidence = 'diploma' OR issued_on IS NOT NULL", name="confirmation_dated"),
        Index("ix_qualifications_member_id_kind", "member_id", "kind"),
        Index("ix_qualifications_course_id", "course_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    level: Mapped[str] = mapped_column(String(24))
    major: Mapped[str | None] = mapped_column(String(255))
    issuer: Mapped[str | None] = mapped_column(String(255))
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    issued_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(String(16), default=Evidence.DIPLOMA.value)
    source: Mapped[str] = mapped_column(String(16), default=QualificationSource.MANUAL.value)
    # The course whose completion created the record (source "course").
    course_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_courses.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)


# The kinds the programme's cadre indicators read, and the ranks they keep per person.
INDICATOR_KINDS = (K.PROFESSIONAL, K.POLITICAL_THEORY, K.UNION_WORK)


def top_rank(kind: QualificationKind) -> int:
    return max(rank(kind, level) for level in LEVELS[kind])


class QualificationFacts(Base):
    """What a person's counting records of the indicator kinds say on any day, kept by
    triggers on `qualifications` in the same transaction as every change (migration
    b3f5a9c1d2e4; `facts.check` compares with a recomputation, the view
    `qualification_facts_expected`). A derived table: written by the application only for
    the new members of an import, with their records and in their batch, while the trigger
    skips that insert (imports.member_levels, migration c7e4a2f9b1d6).

    `professional_on[r]` / `political_theory_on[r]`: the first day a counting record of rank
    r or above is held ('-infinity' for an undated diploma; NULL: never), so the rank held
    on day D is the highest r with `[r] <= D`. `union_work_on`: the days counting union-work
    records were issued, so "trained between T and D" is an overlap with `[T, D]`. A person
    without a counting record of these kinds has no row.
    """

    __tablename__ = "qualification_facts"

    member_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    professional_on: Mapped[list[date | None]] = mapped_column(ARRAY(Date))
    political_theory_on: Mapped[list[date | None]] = mapped_column(ARRAY(Date))
    union_work_on: Mapped[object] = mapped_column(DATEMULTIRANGE)


class CourseKind(Base):
    """A kind of course (union-work basics, political theory, thematic training, ...); a kind
    that qualifies gives its participants who complete it a qualification of that level."""

    __tablename__ = "training_course_kinds"
    __table_args__ = (
        CheckConstraint(
            "qualification_kind IS NULL OR " + check_in("qualification_kind", QualificationKind),
            name="qualification_kind",
        ),
        CheckConstraint(
            "(qualification_kind IS NULL) = (qualification_level IS NULL)", name="qualifies_both"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    qualification_kind: Mapped[str | None] = mapped_column(String(24))
    qualification_level: Mapped[str | None] = mapped_column(String(24))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Course(Base, TimestampMixin):
    __tablename__ = "training_courses"
    __table_args__ = (
        CheckConstraint(check_in("status", CourseStatus), name="status"),
        CheckConstraint("ends_on >= starts_on", name="date_range"),
        CheckConstraint("seats IS NULL OR seats > 0", name="seats_positive"),
        CheckConstraint("planned_budget IS NULL OR planned_budget >= 0", name="planned_budget"),
        CheckConstraint("actual_budget IS NULL OR actual_budget >= 0", name="actual_budget"),
        Index("ix_training_courses_organiser_union_id", "organiser_union_id"),
        Index("ix_training_courses_starts_on", "starts_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    kind_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_course_kinds.id"))
    title: Mapped[str] = mapped_column(String(255))
    organiser_union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    provider: Mapped[str | None] = mapped_column(String(255))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The days attendance is taken (empty: every day from start to end).
    session_dates: Mapped[list[date]] = mapped_column(ARRAY(Date), default=list)
    place: Mapped[str | None] = mapped_column(String(500))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    seats: Mapped[int | None] = mapped_column(Integer)
    # Cadre posts the course is meant for (empty: anyone).
    audience_posts: Mapped[list[str]] = mapped_column(ARRAY(String(24)), default=list)
    planned_budget: Mapped[int | None] = mapped_column(BigInteger)
    actual_budget: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(24), default=CourseStatus.PLANNED.value)
    note: Mapped[str | None] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The attendance sheet's own version (its ETag): entering attendance does not make a course
    # edit stale, nor the other way round.
    attendance_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class CourseInvitation(Base):
    """A union invited to nominate to a course: it, and the unions under it, see the course."""

    __tablename__ = "training_course_invitations"
    __table_args__ = (Index("ix_training_course_invitations_union_id", "union_id"),)

    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE"), primary_key=True
    )
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"), primary_key=True)
    seats: Mapped[int | None] = mapped_column(Integer)


class Participant(Base, TimestampMixin):
    """A person on a course's roster (nominated, accepted, declined or withdrawn) with the
    result. `union_id` is the person's union when enrolled: who sees the row."""

    __tablename__ = "training_participants"
    __table_args__ = (
        CheckConstraint(check_in("status", ParticipantStatus), name="status"),
        CheckConstraint(
            "result IS NULL OR " + check_in("result", ParticipantResult), name="result"
        ),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        UniqueConstraint("course_id", "member_id", name="uq_training_participants_course_member"),
        Index("ix_training_participants_member_id", "member_id"),
        Index("ix_training_participants_union_id", "union_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    course_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_courses.id", ondelete="CASCADE")
    )
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    nominated_by_union_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unions.id"))
    status: Mapped[str] = mapped_column(String(16), default=ParticipantStatus.ACCEPTED.value)
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    result: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    certificate_date: Mapped[date | None] = mapped_column(Date)
    qualification_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("qualifications.id", ondelete="SET NULL")
    )
    version: Mapped[int] = mapped_column(Integer, default=1)


class Attendance(Base):
    __tablename__ = "training_attendance"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("training_participants.id", ondelete="CASCADE"), primary_key=True
    )
    session_on: Mapped[date] = mapped_column(Date, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)


class PostRequirement(Base):
    """ "A holder of `post` in a union of `union_level` needs `kind` at `min_level` or higher
    within `within_months` of taking office": the rules behind the due-for-training list."""

    __tablename__ = "training_post_requirements"
    __table_args__ = (
        CheckConstraint(check_in("kind", QualificationKind), name="kind"),
        CheckConstraint("within_months >= 0 AND within_months <= 120", name="within_months"),
        CheckConstraint(levels_check().replace("level IN", "min_level IN"), name="min_level"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    posts: Mapped[list[str]] = mapped_column(ARRAY(String(24)))
    # Union levels the rule applies to (empty: every level).
    union_levels: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    full_time_only: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(24))
    min_level: Mapped[str] = mapped_column(String(24))
    within_months: Mapped[int] = mapped_column(Integer, default=12)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Spending(Base, TimestampMixin):
    """A union's spending of one year: total operating spend and training spend (integer VND),
    entered by the union and approved by its direct superior, with the source of the figures."""

    __tablename__ = "union_spending"
    __table_args__ = (
        CheckConstraint(check_in("status", SpendingStatus), name="status"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint("total_spend >= 0 AND training_spend >= 0", name="non_negative"),
        CheckConstraint("training_spend <= total_spend", name="training_within_total"),
        UniqueConstraint("union_id", "year", name="uq_union_spending_union_year"),
        Index("ix_union_spending_year", "year"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    union_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unions.id"))
    year: Mapped[int] = mapped_column(Integer)
    total_spend: Mapped[int] = mapped_column(BigInteger)
    training_spend: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=SpendingStatus.DRAFT.value)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(1000))
    # The superior's comment of the last return (the union's note stays its own).
    review_comment: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
