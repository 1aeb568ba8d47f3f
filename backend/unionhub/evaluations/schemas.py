import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from unionhub.core.schemas import Code, Day, InputModel, OutputModel, Text
from unionhub.evaluations.definition import SchemeDefinition
from unionhub.evaluations.models import EvaluationStatus, PeriodKind, RoundStatus

Note = Annotated[str, Text(2000)]
IndicatorNote = Annotated[str, Text(500)]
Score = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]
IndicatorCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]


# ------------------------------------------------------------------ schemes


class SchemeCreate(InputModel):
    """A scheme, or a new version of one (same code: the next version number is given)."""

    code: Code
    name: Annotated[str, Text(255)]
    legal_basis: Annotated[str, Text(500)]
    effective_from: Day
    effective_to: Day | None = None
    period_kind: PeriodKind = PeriodKind.CALENDAR_YEAR
    definition: SchemeDefinition = Field(
        description="Variants per union type, each a tree of groups and indicators whose points "
        "sum to max_points; bands covering 0..max_points without gap or overlap; hard "
        "conditions that cap the level; an optional quota; the levels that count as strong."
    )

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to must not be before effective_from")
        return self


class SchemeRead(OutputModel):
    id: uuid.UUID
    code: str
    version: int
    name: str
    legal_basis: str
    effective_from: date
    effective_to: date | None
    period_kind: PeriodKind
    definition: dict[str, Any]
    created_at: datetime


# ------------------------------------------------------------------ rounds


class RoundCreate(InputModel):
    year: int = Field(ge=2000, le=2100)
    scheme_id: uuid.UUID
    owner_union_id: uuid.UUID
    name: Annotated[str, Text(255)] | None = None
    self_assessment_deadline: Day | None = None
    appraisal_deadline: Day | None = None

    @model_validator(mode="after")
    def _deadlines(self) -> Self:
        s, a = self.self_assessment_deadline, self.appraisal_deadline
        if s is not None and a is not None and a < s:
            raise ValueError("appraisal_deadline must not be before self_assessment_deadline")
        return self


class Reason(InputModel):
    reason: Note


class OptionalNote(InputModel):
    note: Note | None = None


class RoundRead(OutputModel):
    id: uuid.UUID
    year: int
    scheme_id: uuid.UUID
    owner_union_id: uuid.UUID
    owner_union_name: str
    name: str
    period_start: date
    period_end: date
    self_assessment_deadline: date | None
    appraisal_deadline: date | None
    status: RoundStatus
    published_at: datetime | None
    version: int
    counts: dict[str, int] = Field(description="Evaluations per status")


class PartSet(InputModel):
    """A lower union's own deadlines for its units (none later than the round's)."""

    self_assessment_deadline: Day | None = None
    appraisal_deadline: Day | None = None

    @model_validator(mode="after")
    def _deadlines(self) -> Self:
        s, a = self.self_assessment_deadline, self.appraisal_deadline
        if s is not None and a is not None and a < s:
            raise ValueError("appraisal_deadline must not be before self_assessment_deadline")
        return self


class PartRead(OutputModel):
    """A lower union's part of a round: its deadlines (else the round's), whether it has
    published its units' results, and its units counted per status."""

    round_id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    self_assessment_deadline: date | None
    appraisal_deadline: date | None
    published_at: datetime | None
    version: int
    counts: dict[str, int] = Field(description="Its units' evaluations per status")
    may_run: bool = Field(description="You may set its deadlines and publish it")


# ------------------------------------------------------------------ evaluations


class EvaluationUpdate(InputModel):
    """Self-assessment fields (the unit, while draft or returned) or appraisal fields (the
    direct superior, while submitted); scores are points per indicator code."""

    self_scores: dict[IndicatorCode, Score] | None = Field(default=None, max_length=200)
    self_flags: dict[IndicatorCode, bool] | None = Field(default=None, max_length=20)
    self_note: Note | None = None
    self_notes: dict[IndicatorCode, IndicatorNote | None] | None = Field(
        default=None, max_length=200, description="A short note per indicator code (null: none)"
    )
    appraisal_scores: dict[IndicatorCode, Score] | None = Field(default=None, max_length=200)
    appraisal_flags: dict[IndicatorCode, bool] | None = Field(default=None, max_length=20)
    appraisal_note: Note | None = None
    appraisal_notes: dict[IndicatorCode, IndicatorNote | None] | None = Field(
        default=None, max_length=200
    )


class RatingRead(OutputModel):
    total: Decimal
    level: str
    band_level: str
    complete: bool
    caps: dict[str, str]
    groups: dict[str, Decimal]


class Suggestion(OutputModel):
    indicator: str
    source: str
    value: Decimal | None
    suggested_points: Decimal | None
    facts: dict[str, int | str] = Field(
        description="What the value is made of: members, workers, surveyed_on; or count, from, to"
    )
    detail: str


class ConditionAnswer(OutputModel):
    """A hard condition the records answer (`data_below`): `holds` null where they cannot say,
    and then the answers entered decide."""

    condition: str
    source: str
    threshold: Decimal | None
    value: Decimal | None
    holds: bool | None
    facts: dict[str, int | str]
    detail: str


class EvaluationRead(OutputModel):
    id: uuid.UUID
    round_id: uuid.UUID
    year: int
    union_id: uuid.UUID
    union_code: str
    union_name: str
    sector: str
    appraiser_union_id: uuid.UUID | None
    variant: str | None
    status: EvaluationStatus
    ineligible_reason: str | None
    self_scores: dict[str, Decimal]
    self_flags: dict[str, bool]
    self_note: str | None
    self_notes: dict[str, str]
    appraisal_scores: dict[str, Decimal]
    appraisal_flags: dict[str, bool]
    appraisal_note: str | None
    appraisal_notes: dict[str, str]
    total_points: Decimal | None
    level: str | None
    strong: bool | None
    self_assessment_deadline: date | None = Field(
        description="The self-assessment deadline in force for the unit: the earliest of the "
        "round's and those of the parts run by the unions above it"
    )
    appraisal_deadline: date | None = Field(
        description="The appraisal deadline in force for the unit (as self_assessment_deadline)"
    )
    overdue: bool = Field(
        description="In an open round: not submitted by the self-assessment deadline, or not "
        "appraised by the appraisal deadline (both as in force for the unit)"
    )
    version: int
    updated_at: datetime


class EvaluationDetail(EvaluationRead):
    self_rating: RatingRead | None
    appraisal_rating: RatingRead | None
    suggestions: list[Suggestion]
    condition_answers: list[ConditionAnswer]
    may_self_assess: bool = Field(description="You may fill in and submit the unit's side")
    may_appraise: bool = Field(description="You appraise the unit (its direct superior's side)")


class EventRead(OutputModel):
    id: uuid.UUID
    action: str
    from_status: str | None
    to_status: str
    note: str | None
    details: dict[str, Any]
    actor_id: uuid.UUID | None
    at: datetime


class Todo(OutputModel):
    """Counts for the overview and the menu badge (open rounds only)."""

    to_submit: int = Field(description="Units you fill in that have not submitted")
    returned: int = Field(description="Of those, returned for revision")
    overdue_self_assessments: int
    to_appraise: int = Field(description="Submissions waiting for your appraisal")
    overdue_appraisals: int


# ------------------------------------------------------------------ summary

GroupBy = Literal["child", "sector", "kind"]


class SummaryRow(OutputModel):
    key: str
    name: str
    eligible: int
    ineligible: int
    rated: int
    levels: dict[str, int]
    strong: int
    strong_share: Decimal | None = Field(description="strong / eligible, 4 decimals; null if none")


class SummaryProgramme(OutputModel):
    """The programme whose decision of which levels count as strong, and whose targets, the
    figures follow."""

    id: uuid.UUID
    number: str
    title: str


class Summary(OutputModel):
    year: int
    union_id: uuid.UUID
    as_of: date
    group_by: GroupBy | None
    total: SummaryRow
    state: SummaryRow
    non_state: SummaryRow
    targets: dict[str, Decimal]
    programme: SummaryProgramme | None
    groups: list[SummaryRow]


class YearFigures(OutputModel):
    year: int
    total: SummaryRow
    state: SummaryRow
    non_state: SummaryRow
    targets: dict[str, Decimal]
    programme: SummaryProgramme | None


class SummaryYears(OutputModel):
    """One row per year, each by the tree of that year (for the chart of the years)."""

    union_id: uuid.UUID
    targets: dict[str, Decimal] = Field(description="The last year's targets")
    years: list[YearFigures]


# ------------------------------------------------------------------ evidence files


class EvidenceRead(OutputModel):
    """An evidence file attached to one indicator of the self-assessment (download it at
    .../evidence/{id})."""

    id: uuid.UUID
    evaluation_id: uuid.UUID
    indicator: str
    file_name: str
    media_type: str
    size: int = Field(description="Bytes")
    sha256: str
    uploaded_by: uuid.UUID | None
    created_at: datetime
