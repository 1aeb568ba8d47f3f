import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from unionhub.core.schemas import (
    Address,
    Code,
    Day,
    InputModel,
    Line,
    Note,
    Omittable,
    OutputModel,
    Text,
)
from unionhub.members.models import CadrePost
from unionhub.training.models import (
    LEVELS,
    CourseStatus,
    Evidence,
    ParticipantResult,
    ParticipantStatus,
    QualificationKind,
    QualificationSource,
    SpendingStatus,
    is_level,
)

CertificateNo = Annotated[str, Text(64)]
Level = Annotated[
    str,
    Field(
        min_length=1,
        max_length=24,
        pattern=r"^[a-z0-9_]+$",
        description="One of the kind's levels: "
        + "; ".join(f"{k.value}: {', '.join(v)}" for k, v in LEVELS.items()),
    ),
]
Money = Annotated[int, Field(ge=0, le=10**15, description="Integer VND")]
Ids = Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]


def _check_level(kind: str | None, level: str | None) -> None:
    if kind is not None and level is not None and not is_level(kind, level):
        raise ValueError(f"level {level!r} is not a level of {kind}")


# ------------------------------------------------------------------ qualifications


class QualificationCreate(InputModel):
    kind: QualificationKind
    level: Level
    major: Line | None = None
    issuer: Line | None = None
    certificate_no: CertificateNo | None = None
    issued_on: Day | None = None
    evidence: Evidence = Evidence.DIPLOMA
    note: Note | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _check_level(self.kind, self.level)
        if self.evidence == Evidence.CONFIRMATION and self.issued_on is None:
            raise ValueError("a confirmation certificate needs its issue date (issued_on)")
        return self


class QualificationUpdate(InputModel):
    """Corrections to a record (its kind stays); fields left out are unchanged."""

    level: Omittable[Level] = None
    major: Line | None = None
    issuer: Line | None = None
    certificate_no: CertificateNo | None = None
    issued_on: Day | None = None
    evidence: Omittable[Evidence] = None
    note: Note | None = None


class QualificationRead(OutputModel):
    id: uuid.UUID
    member_id: uuid.UUID
    kind: QualificationKind
    level: str
    major: str | None
    issuer: str | None
    certificate_no: str | None
    issued_on: date | None
    evidence: Evidence
    source: QualificationSource
    course_id: uuid.UUID | None
    counts: bool = Field(
        description="Counts towards the current level today: a diploma, or a confirmation "
        "certificate issued before 2021-07-09, and not dated after today"
    )
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class CurrentLevel(OutputModel):
    kind: QualificationKind
    level: str
    qualification_id: uuid.UUID


class MemberQualifications(OutputModel):
    member_id: uuid.UUID
    current: list[CurrentLevel] = Field(description="The highest counting level of each kind")
    records: list[QualificationRead] = Field(description="Every record, newest first")


# ------------------------------------------------------------------ course kinds


class CourseKindCreate(InputModel):
    code: Code
    name: Line
    qualification_kind: QualificationKind | None = None
    qualification_level: Level | None = None

    @model_validator(mode="after")
    def _rules(self) -> Self:
        if (self.qualification_kind is None) != (self.qualification_level is None):
            raise ValueError("qualification_kind and qualification_level go together")
        _check_level(self.qualification_kind, self.qualification_level)
        return self


class CourseKindRead(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    qualification_kind: QualificationKind | None
    qualification_level: str | None
    active: bool


# ------------------------------------------------------------------ courses


class _CourseFields(InputModel):
    provider: Line | None = None
    session_dates: list[Day] = Field(default_factory=list, max_length=200)
    place: Address | None = None
    online: bool = False
    seats: int | None = Field(default=None, ge=1, le=100_000)
    audience_posts: list[CadrePost] = Field(default_factory=list, max_length=10)
    planned_budget: Money | None = None
    actual_budget: Money | None = None
    invited_union_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    note: Annotated[str, Text(2000)] | None = None


class CourseCreate(_CourseFields):
    kind_id: uuid.UUID
    title: Line
    organiser_union_id: uuid.UUID
    starts_on: Day
    ends_on: Day
    status: CourseStatus = CourseStatus.PLANNED

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class CourseUpdate(InputModel):
    """Fields left out are unchanged; `invited_union_ids` replaces the invitation list."""

    title: Omittable[Line] = None
    provider: Line | None = None
    starts_on: Omittable[Day] = None
    ends_on: Omittable[Day] = None
    session_dates: Omittable[list[Day]] = Field(default=None, max_length=200)
    place: Address | None = None
    online: Omittable[bool] = None
    seats: int | None = Field(default=None, ge=1, le=100_000)
    audience_posts: Omittable[list[CadrePost]] = Field(default=None, max_length=10)
    planned_budget: Money | None = None
    actual_budget: Money | None = None
    status: Omittable[CourseStatus] = None
    invited_union_ids: Omittable[list[uuid.UUID]] = Field(default=None, max_length=500)
    note: Annotated[str, Text(2000)] | None = None


class InvitedUnion(OutputModel):
    union_id: uuid.UUID
    union_name: str


class CourseRead(OutputModel):
    id: uuid.UUID
    kind_id: uuid.UUID
    kind_code: str
    kind_name: str
    qualification_kind: QualificationKind | None
    qualification_level: str | None
    title: str
    organiser_union_id: uuid.UUID
    organiser_union_name: str
    provider: str | None
    starts_on: date
    ends_on: date
    session_dates: list[date]
    place: str | None
    online: bool
    seats: int | None
    audience_posts: list[CadrePost]
    planned_budget: int | None
    actual_budget: int | None
    status: CourseStatus
    note: str | None
    invited: list[InvitedUnion]
    counts: dict[str, int] = Field(
        description="Roster rows per status, and `completed` (result completed)"
    )
    may_manage: bool = Field(description="The caller organises the course (roster, results)")
    version: int
    created_at: datetime
    updated_at: datetime


# ------------------------------------------------------------------ roster


class MemberIds(InputModel):
    member_ids: Ids


class NominationDecisions(InputModel):
    """Accept or decline nominations (participant ids); accepting stays within the seats."""

    accept: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    decline: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    note: Note | None = None


class ParticipantRead(OutputModel):
    id: uuid.UUID
    course_id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    member_card_number: str | None
    union_id: uuid.UUID
    union_name: str
    nominated_by_union_id: uuid.UUID | None
    status: ParticipantStatus
    decision_note: str | None
    result: ParticipantResult | None
    score: Decimal | None
    certificate_no: str | None
    certificate_date: date | None
    qualification_id: uuid.UUID | None
    sessions_attended: int
    version: int


class AttendanceEntry(InputModel):
    """One session's attendance: who was there and who was not (participant ids)."""

    session_on: Day
    present: list[uuid.UUID] = Field(default_factory=list, max_length=2000)
    absent: list[uuid.UUID] = Field(default_factory=list, max_length=2000)


class AttendanceRow(OutputModel):
    participant_id: uuid.UUID
    present_on: list[date]
    absent_on: list[date]


class AttendanceRead(OutputModel):
    sessions: list[date]
    rows: list[AttendanceRow]
    version: int = Field(
        description="The sheet's version (also its ETag): send it as If-Match when recording "
        "attendance; a sheet changed since answers 412"
    )


class ResultEntry(InputModel):
    participant_id: uuid.UUID
    result: ParticipantResult | None
    score: Decimal | None = Field(default=None, ge=0, le=100, max_digits=5, decimal_places=2)
    certificate_no: CertificateNo | None = None
    certificate_date: Day | None = None


class ResultsEntry(InputModel):
    results: list[ResultEntry] = Field(min_length=1, max_length=2000)


# ------------------------------------------------------------------ compliance


class IndicatorCode(StrEnum):
    FULL_TIME_DEGREE = "full_time_degree"
    FULL_TIME_POSTGRADUATE = "full_time_postgraduate"
    LEADER_POLITICAL_THEORY = "leader_political_theory"
    CADRES_UNION_WORK = "cadres_union_work"
    TRAINING_SPEND = "training_spend"


class CadreIndicator(OutputModel):
    code: IndicatorCode
    numerator: int
    denominator: int
    share: Decimal | None = Field(description="numerator / denominator, 4 decimals")
    target: Decimal = Field(description="The programme's target share")
    met: bool | None = Field(description="share >= target (null without a denominator)")


class ComplianceRow(OutputModel):
    union_id: uuid.UUID
    union_name: str
    own: bool = Field(description="The root union's own cadres and spending (not a child's)")
    indicators: list[CadreIndicator]


class Compliance(OutputModel):
    union_id: uuid.UUID
    as_of: date
    term_start: date
    year: int
    total: list[CadreIndicator]
    children: list[ComplianceRow]


class CompliancePerson(OutputModel):
    member_id: uuid.UUID
    full_name: str
    card_number: str | None
    union_name: str
    full_time: bool
    professional_rank: int
    political_theory_rank: int
    union_work_in_term: bool
    counted: bool = Field(description="In the indicator's numerator")


# ------------------------------------------------------------------ spending


class SpendingCreate(InputModel):
    union_id: uuid.UUID
    year: int = Field(ge=2000, le=2100)
    total_spend: Money = Field(description="Total operating spend of the year, integer VND")
    training_spend: Money = Field(description="Of which training, integer VND (<= total)")
    source: Line = Field(description="Where the figures come from (report, decision, ...)")
    note: Note | None = None

    @model_validator(mode="after")
    def _within(self) -> Self:
        if self.training_spend > self.total_spend:
            raise ValueError("training_spend must not exceed total_spend")
        return self


class SpendingUpdate(InputModel):
    total_spend: Omittable[Money] = None
    training_spend: Omittable[Money] = None
    source: Omittable[Line] = None
    note: Note | None = None


class SpendingRead(OutputModel):
    id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    year: int
    total_spend: int
    training_spend: int
    source: str
    status: SpendingStatus
    approved_at: datetime | None
    note: str | None
    review_comment: str | None = Field(
        description="The superior's comment of the last return; kept through resubmission and "
        "approval until the next return replaces it"
    )
    suggested_training_spend: int = Field(
        description="Budgets of the union's own courses of the year (actual, else planned)"
    )
    may_approve: bool = Field(
        description="The caller is the direct superior's officer (approves or returns them)"
    )
    may_edit: bool = Field(
        description="The caller may change and submit them now (the union's officer, while "
        "draft or returned)"
    )
    version: int


class SpendingSuggestion(OutputModel):
    union_id: uuid.UUID
    year: int
    suggested_training_spend: int = Field(
        description="Budgets of the union's own courses of the year (actual, else planned)"
    )


class SpendingTransitionBody(InputModel):
    comment: Note | None = Field(
        default=None,
        description="Why the figures go back (required to return them; stored as their "
        "review_comment, the union's note is left as it is)",
    )


# ------------------------------------------------------------------ due for training


class RequirementRead(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    posts: list[CadrePost]
    union_levels: list[str]
    full_time_only: bool
    kind: QualificationKind
    min_level: str
    within_months: int
    active: bool


class DueRow(OutputModel):
    post_id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    member_card_number: str | None
    union_id: uuid.UUID
    union_name: str
    post: CadrePost
    full_time: bool
    from_date: date = Field(description="Took office")
    requirement_code: str
    requirement_name: str
    kind: QualificationKind
    min_level: str
    current_level: str | None = Field(description="The best counting level of that kind held")
    due_on: date = Field(description="from_date + the requirement's months")
    overdue_days: int = Field(description="Days past due_on on as_of (0 while not yet due)")


class TrainingTodo(OutputModel):
    open_for_nomination: int = Field(description="Open courses inviting your unions")
    nominations_to_decide: int = Field(description="Nominations waiting on courses you run")
    due_for_training: int = Field(
        description="Rows of the due-for-training list in your subtree today (one per post and "
        "requirement; the overdue ones included)"
    )
    overdue_for_training: int = Field(
        description="Of those, the ones past their due day (cadres overdue for training)"
    )


class CertificateRead(OutputModel):
    """A certificate a person received from a course."""

    participant_id: uuid.UUID
    course_id: uuid.UUID
    course_title: str
    course_kind_name: str
    certificate_no: str
    certificate_date: date | None
    issuer: str = Field(description="The course's provider, else its organising union")
    result: ParticipantResult | None


class CourseHistoryRow(OutputModel):
    """A course a person was on (nominated, on the roster, declined or withdrawn), with their
    result and certificate: their training history."""

    course_id: uuid.UUID
    title: str
    kind_name: str = Field(description="The course kind's name (e.g. Nghiệp vụ công đoàn cơ bản)")
    starts_on: date
    ends_on: date
    course_status: str
    status: ParticipantStatus
    result: ParticipantResult | None
    certificate_no: str | None
    certificate_date: date | None


class MyCourse(CourseHistoryRow):
    """A course a member was on, as they see it in their own account."""


class MyTraining(OutputModel):
    qualifications: MemberQualifications
    courses: list[MyCourse] = Field(
        description="Courses I was nominated for or attended, newest first"
    )
