"""Request and response models of the member register."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints, field_validator

from unionhub.core.pagination import Page
from unionhub.core.schemas import Day, DecisionNo, InputModel, OutputModel, Text
from unionhub.members.models import (
    CadrePost,
    EducationLevel,
    Gender,
    MemberEventType,
    MemberStatus,
    PoliticalTheory,
    TransferStatus,
)

CommuneCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
# Identity numbers and phones arrive as typed by people ("0912.345.678"); the member rules
# (members.validation) normalise them and name the exact problem, so here they are only bounded.
RawNumber = Annotated[str, StringConstraints(max_length=30, strip_whitespace=True)]
Nationality = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True, strip_whitespace=True)
]


class Training(InputModel):
    """A completed union training: what, when and who organised it."""

    name: Text(255)  # type: ignore[valid-type]
    year: int = Field(ge=1945, le=2100)
    organiser: Text(255) | None = None  # type: ignore[valid-type]


class _PersonFields(InputModel):
    ethnicity: Text(40) | None = None  # type: ignore[valid-type]
    passport_no: RawNumber | None = Field(
        default=None, description="Required for foreign members (nationality other than VN)"
    )
    phone: RawNumber | None = Field(
        default=None,
        description="Vietnamese mobile; +84 912 345 678, 84912345678 and 0912.345.678 are "
        "all stored as 0912345678",
    )
    email: EmailStr | None = Field(default=None, max_length=254)
    commune_code: CommuneCode | None = Field(
        default=None, description="5-digit administrative code of the commune/ward of residence"
    )
    education_level: EducationLevel | None = None
    professional_qualification: Text(255) | None = None  # type: ignore[valid-type]
    political_theory: PoliticalTheory | None = None
    occupation: Text(255) | None = None  # type: ignore[valid-type]
    enterprise_id: uuid.UUID | None = Field(default=None, description="The member's employer")

    @field_validator("email", mode="after")
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class MemberCreate(_PersonFields):
    """Admit a member (kết nạp): counted as a new member recruited."""

    full_name: Text(120)  # type: ignore[valid-type]
    date_of_birth: Day
    gender: Gender
    nationality: Nationality = Field(default="VN", description="ISO 3166 alpha-2")
    personal_id: RawNumber | None = Field(
        default=None, description="12-digit personal ID (CCCD); required for Vietnamese citizens"
    )
    party_member: bool = False
    trainings: list[Training] = Field(default_factory=list, max_length=100)
    union_id: uuid.UUID = Field(description="The union the member belongs to")
    admission_date: Day
    admitted_by_union_id: uuid.UUID | None = Field(
        default=None,
        description="The union that decided the admission: the member's union (default) or "
        "one above it",
    )
    card_number: RawNumber | None = Field(
        default=None, description="Member card number; issued from the federation sequence if empty"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "full_name": "Nguyễn Văn An",
                    "date_of_birth": "1990-05-12",
                    "gender": "male",
                    "personal_id": "082090001234",
                    "phone": "0912 345 678",
                    "union_id": "0190f1a2-7b3c-7d4e-8f50-123456789abc",
                    "admission_date": "2024-03-15",
                }
            ]
        }
    }


class MemberUpdate(_PersonFields):
    """Edit personal data. The union and the status change only through the actions."""

    full_name: Text(120) | None = None  # type: ignore[valid-type]
    date_of_birth: Day | None = None
    gender: Gender | None = None
    nationality: Nationality | None = None
    personal_id: RawNumber | None = None
    party_member: bool | None = None
    trainings: list[Training] | None = Field(default=None, max_length=100)


class MemberRead(OutputModel):
    id: uuid.UUID
    full_name: str
    date_of_birth: date
    gender: Gender
    ethnicity: str | None
    nationality: str
    personal_id: str | None = Field(description="Masked (*********123) without members:pii")
    passport_no: str | None = Field(description="Masked (******67) without members:pii")
    phone: str | None = Field(description="Masked (*******678) without members:pii")
    email: str | None = Field(description="Masked (n***@example.vn) without members:pii")
    commune_code: str | None
    education_level: EducationLevel | None
    professional_qualification: str | None
    political_theory: PoliticalTheory | None
    occupation: str | None
    enterprise_id: uuid.UUID | None
    enterprise_name: str | None = None
    party_member: bool
    admission_date: date
    admitted_by_union_id: uuid.UUID | None
    card_number: str | None
    union_id: uuid.UUID
    union_code: str | None = None
    union_name: str | None = None
    status: MemberStatus
    status_since: date
    trainings: list[dict[str, Any]]
    is_cadre: bool = Field(default=False, description="Holds a union post today")
    pii_masked: bool = Field(
        description="True when personal_id, passport_no, phone and email are masked"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class MemberPage(Page[MemberRead]):
    total_exact: bool = Field(
        default=True,
        description="False when the count stopped at its cap on a very large scope; `total` is "
        "then a lower bound",
    )


class MemberAction(InputModel):
    effective_date: Day = Field(description="The day the change takes effect")
    reason: Text(1000) | None = None  # type: ignore[valid-type]
    decision_no: DecisionNo | None = None


class MemberActionWithReason(MemberAction):
    reason: Text(1000)  # type: ignore[valid-type]


class MemberRejoin(MemberAction):
    union_id: uuid.UUID | None = Field(
        default=None, description="The union to rejoin; the member's last union if empty"
    )


class CardReissue(InputModel):
    effective_date: Day | None = Field(default=None, description="Default: today")
    reason: Text(1000) | None = None  # type: ignore[valid-type]
    card_number: RawNumber | None = Field(
        default=None, description="The new card's number; issued from the sequence if empty"
    )


class MemberTransfer(MemberAction):
    to_union_id: uuid.UUID = Field(
        description="The receiving union (see members-transfer-destinations)"
    )


class TransferDecision(InputModel):
    note: Text(1000) | None = None  # type: ignore[valid-type]
    effective_date: Day | None = Field(
        default=None, description="Accept only: overrides the requested date"
    )


class TransferRead(OutputModel):
    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    member_card_number: str | None
    member_date_of_birth: date
    from_union_id: uuid.UUID
    from_union_name: str
    to_union_id: uuid.UUID
    to_union_name: str
    status: TransferStatus
    effective_date: date
    reason: str | None
    requested_by: uuid.UUID | None
    requested_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    decision_note: str | None


class TransferResult(OutputModel):
    completed: bool = Field(
        description="True: moved at once (you manage both unions); false: a request now waits "
        "for the receiving union"
    )
    member: MemberRead
    request: TransferRead | None = None


class DestinationRead(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    parent_name: str | None


class MemberEventRead(OutputModel):
    id: uuid.UUID
    event_type: MemberEventType
    effective_date: date
    union_id: uuid.UUID
    union_name: str | None = None
    reason: str | None
    details: dict[str, Any]
    actor_id: uuid.UUID | None
    recorded_at: datetime


class MembershipPeriodRead(OutputModel):
    union_id: uuid.UUID
    union_name: str | None = None
    status: MemberStatus
    valid_from: date
    valid_to: date | None = Field(description="Exclusive; null for the current period")


class MemberHistory(OutputModel):
    member_id: uuid.UUID
    events: list[MemberEventRead]
    periods: list[MembershipPeriodRead]


class CadreCreate(InputModel):
    union_id: uuid.UUID = Field(
        description="The union of the post: the member's own union or one above it"
    )
    post: CadrePost
    full_time: bool = False
    from_date: Day
    to_date: Day | None = Field(default=None, description="Last day in the post, if known")
    decision_no: DecisionNo | None = None


class CadreUpdate(InputModel):
    full_time: bool | None = None
    from_date: Day | None = None
    to_date: Day | None = None
    decision_no: DecisionNo | None = None


class CadreEnd(InputModel):
    to_date: Day = Field(description="Last day in the post")
    decision_no: DecisionNo | None = None


class CadreRead(OutputModel):
    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    member_card_number: str | None
    union_id: uuid.UUID
    union_name: str
    post: CadrePost
    full_time: bool
    from_date: date
    to_date: date | None
    decision_no: str | None
    current: bool
    education_level: EducationLevel | None
    political_theory: PoliticalTheory | None
    version: int
