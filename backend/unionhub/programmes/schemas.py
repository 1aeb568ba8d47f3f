"""Programme, target and allocation bodies and answers; the progress answer."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from unionhub.core.schemas import (
    Day,
    DecisionNo,
    InputModel,
    Note,
    Omittable,
    OutputModel,
    Text,
)
from unionhub.indicators.catalogue import KEYS
from unionhub.programmes.models import AllocationMethod, TargetKind

IndicatorKey = StrEnum("IndicatorKey", {k: k for k in KEYS})  # type: ignore[misc]
Title = Annotated[str, Text(500)]
Position = Annotated[int, Field(ge=0, le=1000)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("9999999999"), max_digits=14, decimal_places=4)]


class TargetParameters(InputModel):
    min_workers: int | None = Field(default=None, ge=1, le=10_000)


class TargetCreate(InputModel):
    title: Title
    indicator_key: IndicatorKey
    kind: TargetKind
    target_value: Amount = Field(description="A count (16000) or a share (0.95)")
    baseline: Amount | None = None
    parameters: TargetParameters = Field(default_factory=TargetParameters)
    position: Position = 0


class TargetUpdate(InputModel):
    title: Omittable[Title] = None
    kind: Omittable[TargetKind] = None
    target_value: Omittable[Amount] = None
    baseline: Amount | None = None
    parameters: Omittable[TargetParameters] = None
    position: Omittable[Position] = None


SchemeCode = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9._-]+$")]
StrongLevels = Annotated[
    dict[SchemeCode, Annotated[list[SchemeCode], Field(min_length=1, max_length=10)]],
    Field(
        max_length=20,
        description="Which evaluation levels count as 'vững mạnh' for this programme, per "
        'scheme code ({"HD1294-TLD-2019": ["excellent", "good"]}); a scheme not named keeps '
        "its own mapping",
    ),
]


class ProgrammeCreate(InputModel):
    union_id: uuid.UUID = Field(description="The union whose programme or resolution it is")
    number: DecisionNo
    title: Title
    legal_basis: Note | None = None
    term_start: Day
    planned_end: Day
    actual_end: Day | None = None
    end_reason: Note | None = None
    strong_levels: StrongLevels = Field(default_factory=dict)
    targets: list[TargetCreate] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _term(self) -> "ProgrammeCreate":
        if self.planned_end <= self.term_start:
            raise ValueError("planned_end must be after term_start")
        if self.actual_end is not None and self.actual_end < self.term_start:
            raise ValueError("actual_end must not be before term_start")
        return self


class ProgrammeUpdate(InputModel):
    number: Omittable[DecisionNo] = None
    title: Omittable[Title] = None
    legal_basis: Note | None = None
    term_start: Omittable[Day] = None
    planned_end: Omittable[Day] = None
    actual_end: Day | None = None
    end_reason: Note | None = None
    strong_levels: Omittable[StrongLevels] = None


class AllocationCreate(InputModel):
    union_id: uuid.UUID = Field(description="A child union of the programme's owner")
    value: Amount
    valid_from: Day | None = Field(default=None, description="Default: the term's start")
    note: Note | None = None


class ProportionalAllocation(InputModel):
    base: Literal["members", "enterprises"] = Field(
        description="members: members of each child on `as_of`; enterprises: operating "
        "enterprises with N+ workers under each child"
    )
    as_of: Day | None = Field(default=None, description="Default: the term's start")


class AllocationUpdate(InputModel):
    value: Omittable[Amount] = None
    note: Note | None = None


class Successor(InputModel):
    union_id: uuid.UUID
    value: Amount


class AllocationHandover(InputModel):
    effective_date: Day
    successors: list[Successor] = Field(
        default_factory=list, max_length=50, description="Empty: the allocation is only closed"
    )
    note: Note


class TargetRead(OutputModel):
    id: uuid.UUID
    position: int
    title: str
    indicator_key: str
    kind: TargetKind
    target_value: Decimal
    baseline: Decimal | None
    parameters: dict[str, int]
    version: int


class AllocationRead(OutputModel):
    id: uuid.UUID
    target_id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    value: Decimal
    method: AllocationMethod
    base_value: Decimal | None
    valid_from: date
    valid_to: date | None
    handed_from_id: uuid.UUID | None
    note: str | None
    version: int


class ProgrammeRead(OutputModel):
    id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    number: str
    title: str
    legal_basis: str | None
    term_start: date
    planned_end: date
    actual_end: date | None
    end_reason: str | None
    strong_levels: dict[str, list[str]]
    version: int


class ProgrammeDetail(ProgrammeRead):
    targets: list[TargetRead]
    allocations: list[AllocationRead]


Status = Literal["met", "on_track", "at_risk", "behind", "no_target", "unavailable"]


class YearPoint(OutputModel):
    year: int
    actual: Decimal | None


class ChildProgress(OutputModel):
    union_id: uuid.UUID | None = Field(description="None: records of the union itself")
    name: str
    allocation_id: uuid.UUID | None
    target: Decimal | None
    actual: Decimal | None
    numerator: int
    denominator: int | None
    share_achieved: Decimal | None
    status: Status
    rank: int | None


class TargetProgress(OutputModel):
    target_id: uuid.UUID
    title: str
    indicator_key: str
    kind: TargetKind
    unit: str
    parameters: dict[str, int]
    target: Decimal | None
    baseline: Decimal | None
    actual: Decimal | None
    numerator: int | None
    denominator: int | None
    period_from: date | None
    period_to: date | None
    share_achieved: Decimal | None
    expected_share: Decimal
    status: Status
    trend: list[YearPoint]
    children: list[ChildProgress]


class ProgrammeProgress(OutputModel):
    programme_id: uuid.UUID
    number: str
    title: str
    union_id: uuid.UUID
    union_name: str
    as_of: date
    term_start: date
    term_end: date
    elapsed_share: Decimal
    targets: list[TargetProgress]
