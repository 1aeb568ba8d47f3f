"""What the indicator endpoints answer."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from unionhub.core.schemas import OutputModel
from unionhub.indicators.catalogue import Breakdown, RecordKind, Timing, Unit

GroupBy = Literal["child", "sector", "gender"]


class IndicatorDefinition(OutputModel):
    key: str
    name_vi: str
    name_en: str
    definition_vi: str
    definition_en: str
    unit: Unit
    timing: Timing
    numerator_vi: str
    numerator_en: str
    denominator_vi: str | None
    denominator_en: str | None
    records: RecordKind
    breakdowns: list[Breakdown]
    parameters: dict[str, int]
    available: bool = Field(description="False: the records it needs are not kept yet (409)")


class IndicatorGroup(OutputModel):
    key: str = Field(
        description="A child union's id, 'self' (the union itself), a sector, a gender"
    )
    name: str
    numerator: int
    denominator: int | None
    value: Decimal | None


class IndicatorValue(OutputModel):
    key: str
    union_id: uuid.UUID
    union_name: str
    unit: Unit
    # The day of a level, or the period of events (both ends inclusive).
    as_of: date
    period_from: date | None
    period_to: date | None
    year: int | None
    parameters: dict[str, int]
    numerator: int
    denominator: int | None
    value: Decimal | None = Field(description="Count, or numerator/denominator to 4 decimals")
    group_by: GroupBy | None
    groups: list[IndicatorGroup]
    # Figures counted beside the value: e.g. rejoins beside admissions.
    extra: dict[str, int]


class IndicatorRecord(OutputModel):
    kind: RecordKind
    id: uuid.UUID
    label: str
    code: str | None
    union_id: uuid.UUID
    union_name: str
    child_id: uuid.UUID | None
    day: date | None
    sector: str | None
    gender: str | None
    numerator: int = Field(description="What this record adds to the numerator")
    denominator: int | None = Field(description="What it adds to the denominator")
    detail: str | None
