import uuid
from datetime import date, datetime
from typing import Any

from pydantic import EmailStr, Field, field_validator

from unionhub.core.schemas import (
    Address,
    Code,
    CommuneCode,
    Day,
    DecisionNo,
    InputModel,
    Line,
    Note,
    Omittable,
    OutputModel,
    Phone,
    ShortLine,
)
from unionhub.enterprises.models import OperatingStatus, Ownership
from unionhub.enterprises.validation import TaxCode, VsicCode

MAX_FOUNDING_MEMBERS = 500


class _EnterpriseFields(InputModel):
    @field_validator("email", mode="after", check_fields=False)
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class EnterpriseCreate(_EnterpriseFields):
    """Register an enterprise under the union responsible for organising it."""

    name: Line
    short_name: ShortLine | None = None
    tax_code: TaxCode
    ownership: Ownership
    vsic_code: VsicCode | None = None
    commune_code: CommuneCode | None = Field(
        default=None, description="5-digit administrative code of the commune/ward"
    )
    address: Address | None = None
    industrial_zone: Line | None = None
    responsible_union_id: uuid.UUID = Field(
        description="The province or direct-superior union responsible for it (decides who sees it)"
    )
    operating_status: OperatingStatus = OperatingStatus.OPERATING
    phone: Phone | None = None
    email: EmailStr | None = Field(default=None, max_length=254)
    representative: Line | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Công ty TNHH May Mỹ Tho",
                    "short_name": "May Mỹ Tho",
                    "tax_code": "1200100141",
                    "ownership": "non_state_domestic",
                    "vsic_code": "14100",
                    "commune_code": "28261",
                    "industrial_zone": "KCN Mỹ Tho",
                    "responsible_union_id": "0190f1a2-7b3c-7d4e-8f50-123456789abc",
                }
            ]
        }
    }


class EnterpriseUpdate(_EnterpriseFields):
    """Edit an enterprise; only the fields sent change (send null to clear an optional one)."""

    name: Omittable[Line] = None
    short_name: ShortLine | None = None
    tax_code: Omittable[TaxCode] = None
    ownership: Omittable[Ownership] = None
    vsic_code: VsicCode | None = None
    commune_code: CommuneCode | None = None
    address: Address | None = None
    industrial_zone: Line | None = None
    responsible_union_id: Omittable[uuid.UUID] = None
    operating_status: Omittable[OperatingStatus] = None
    phone: Phone | None = None
    email: EmailStr | None = Field(default=None, max_length=254)
    representative: Line | None = None


class UnionRef(OutputModel):
    id: uuid.UUID
    code: str
    name: str


class EnterpriseRead(OutputModel):
    id: uuid.UUID
    name: str
    short_name: str | None
    tax_code: str = Field(description="Stored form: 10 or 13 digits")
    ownership: Ownership
    vsic_code: str | None
    commune_code: str | None
    address: str | None
    industrial_zone: str | None
    responsible_union_id: uuid.UUID
    responsible_union_name: str | None = None
    operating_status: OperatingStatus
    phone: str | None
    email: str | None
    representative: str | None
    total_workers: int | None = Field(description="From the latest worker survey")
    female_workers: int | None
    surveyed_on: date | None = Field(description="Date of the latest worker survey")
    has_union: bool = Field(description="An active grassroots union exists in the enterprise")
    union: UnionRef | None = Field(default=None, description="That active union")
    member_count: int = Field(
        description="Members (active or suspended) whose employer is this enterprise"
    )
    union_density: float | None = Field(
        description="member_count / total_workers; null without a survey"
    )
    eligible_to_found: bool = Field(
        description="Operating, 20 or more workers and no union: a founding target"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class SurveyCreate(InputModel):
    """A dated count of the enterprise's workers (khảo sát)."""

    surveyed_on: Day = Field(description="Not in the future")
    total_workers: int = Field(ge=0, le=1_000_000)
    female_workers: int = Field(ge=0, le=1_000_000, description="Not more than total_workers")
    note: Note | None = None


class SurveyRead(OutputModel):
    id: uuid.UUID
    enterprise_id: uuid.UUID
    surveyed_on: date
    total_workers: int
    female_workers: int
    note: str | None
    recorded_by: uuid.UUID | None
    recorded_at: datetime
    is_current: bool = Field(description="This survey gives the enterprise's current size")


class FoundUnion(InputModel):
    """Found the enterprise's grassroots union, optionally admitting its founding members."""

    code: Code
    name: Line | None = Field(
        default=None, description='Default: "Công đoàn cơ sở " + the enterprise name'
    )
    short_name: ShortLine | None = None
    parent_id: uuid.UUID | None = Field(
        default=None, description="Default: the enterprise's responsible union"
    )
    founded_on: Day
    founding_decision_no: DecisionNo
    decision_date: Day | None = None
    founding_members: list[dict[str, Any]] = Field(
        default_factory=list,
        max_length=MAX_FOUNDING_MEMBERS,
        description="Member admission payloads (as for admitting a member) without union_id: "
        "they join the new union. enterprise_id defaults to this enterprise and "
        "admission_date to founded_on.",
    )


class FoundUnionResult(OutputModel):
    enterprise: EnterpriseRead
    union: UnionRef
    admitted_member_ids: list[uuid.UUID]


class GapEnterprise(OutputModel):
    id: uuid.UUID
    name: str
    tax_code: str
    total_workers: int
    female_workers: int | None
    surveyed_on: date | None
    ownership: Ownership
    commune_code: str | None


class GapGroup(OutputModel):
    union: UnionRef
    enterprises: list[GapEnterprise]
    enterprise_count: int
    workers_total: int


class GapReport(OutputModel):
    min_workers: int
    groups: list[GapGroup] = Field(description="By responsible union, most workers first")
    union_count: int
    enterprise_count: int
    workers_total: int
    female_workers_total: int
