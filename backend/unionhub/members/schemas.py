"""Request and response models of the member register."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import EmailStr, Field, StringConstraints, field_validator

from unionhub.auth.models import MemberAccountStatus, MemberAccountStatusReason
from unionhub.auth.schemas import Password, Username
from unionhub.core.pagination import Page
from unionhub.core.schemas import (
    CommuneCode,
    Day,
    DecisionNo,
    Declared,
    InputModel,
    Line,
    Note,
    Omittable,
    OutputModel,
    PersonName,
    Text,
    required_if,
)
from unionhub.members.countries import ISO_3166_ALPHA2
from unionhub.members.models import (
    CadrePost,
    ChangeRequestStatus,
    EducationLevel,
    Gender,
    MemberEventType,
    MemberStatus,
    PoliticalTheory,
    TransferStatus,
)
from unionhub.members.validation import MIN_AGE_AT_ADMISSION

# Identity numbers and phones arrive as typed by people ("0912.345.678"); the member rules
# (members.validation) normalise them and name the exact problem (`phone_invalid`,
# `personal_id_invalid_format`, ...), so here they are only bounded. The patterns declare in
# the OpenAPI what those rules accept.
RawNumber = Annotated[str, StringConstraints(max_length=30, strip_whitespace=True)]
PersonalId = Annotated[
    RawNumber,
    Declared(
        pattern=r"^[ .]*([0-9][ .]*){12}$",
        description="12-digit personal ID (CCCD); spaces and dots are dropped. Digits 1-3 are "
        "a province code, digit 4 the century and gender (even: male, odd: female; 0/1 for "
        "1900-1999, 2/3 for 2000-2099), digits 5-6 the birth year: they must agree with "
        "date_of_birth and gender. Required for Vietnamese citizens (nationality VN).",
    ),
]
MobilePhone = Annotated[
    RawNumber,
    Declared(
        pattern=r"^ *(\+84|84|0)[ .()-]*[35789]([ .()-]*[0-9]){8} *$",
        description="Vietnamese mobile; +84 912 345 678, 84912345678 and 0912.345.678 are "
        "all stored as 0912345678",
    ),
]
Passport = Annotated[
    RawNumber,
    Declared(
        pattern=r"^ *([A-Za-z0-9] *){6,20}$",
        description="6-20 letters or digits (spaces dropped, upper-cased); required for "
        "foreign members (nationality other than VN)",
    ),
]
CardNumber = Annotated[
    RawNumber,
    Declared(
        pattern=r"^ *[A-Za-z0-9]( *[A-Za-z0-9-]){3,19} *$",
        description="4-20 letters, digits or dashes, starting with a letter or digit "
        "(upper-cased); issued from the federation sequence if empty",
    ),
]


_FOREIGN = {"required": ["nationality"], "properties": {"nationality": {"not": {"const": "VN"}}}}


def _one_of_codes(codes: frozenset[str]) -> str:
    """A compact pattern matching exactly `codes` (two-letter codes grouped by first letter)."""
    by_first: dict[str, list[str]] = {}
    for code in sorted(codes):
        by_first.setdefault(code[0], []).append(code[1])
    return "^(" + "|".join(f"{k}[{''.join(v)}]" for k, v in by_first.items()) + ")$"


Nationality = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2}$", to_upper=True, strip_whitespace=True),
    Declared(
        pattern=_one_of_codes(ISO_3166_ALPHA2),
        description="ISO 3166-1 alpha-2 country code (lower case is accepted)",
    ),
]


class Training(InputModel):
    """A completed union training: what, when and who organised it."""

    name: Line
    year: int = Field(ge=1945, le=2100)
    organiser: Line | None = None


class _PersonFields(InputModel):
    ethnicity: Annotated[str, Text(40)] | None = None
    passport_no: Passport | None = None
    phone: MobilePhone | None = None
    email: EmailStr | None = Field(default=None, max_length=254)
    commune_code: CommuneCode | None = Field(
        default=None, description="5-digit administrative code of the commune/ward of residence"
    )
    # The education and political-theory levels are not written here: they are derived from
    # the person's qualification records (POST /members/{id}/qualifications), and the member
    # shows them read only.
    professional_qualification: Line | None = None
    occupation: Line | None = None
    enterprise_id: uuid.UUID | None = Field(default=None, description="The member's employer")

    @field_validator("email", mode="after")
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class MemberCreate(_PersonFields):
    """Admit a member (kết nạp): counted as a new member recruited."""

    full_name: PersonName
    date_of_birth: Day = Field(description="Not in the future")
    gender: Gender
    nationality: Nationality = "VN"
    personal_id: PersonalId | None = None
    party_member: bool = False
    trainings: list[Training] = Field(default_factory=list, max_length=100)
    union_id: uuid.UUID = Field(description="The union the member belongs to")
    admission_date: Day = Field(
        description="Not in the future, not before the union was founded, and at least "
        f"{MIN_AGE_AT_ADMISSION} years after date_of_birth"
    )
    admitted_by_union_id: uuid.UUID | None = Field(
        default=None,
        description="The union that decided the admission: the member's union (default) or "
        "one above it",
    )
    card_number: CardNumber | None = None

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
            ],
            # Vietnamese citizens (nationality VN, the default) need a personal ID, foreigners a
            # passport number (members.validation.check_identity).
            "allOf": [
                required_if({"properties": {"nationality": {"const": "VN"}}}, "personal_id"),
                required_if(_FOREIGN, "passport_no"),
            ],
        }
    }


class MemberUpdate(_PersonFields):
    """Edit personal data. The union and the status change only through the actions."""

    # Changing the nationality to another country needs the passport number (unless the member
    # already has one on record); the schema declares the stricter form.
    model_config = {"json_schema_extra": required_if(_FOREIGN, "passport_no")}

    full_name: Omittable[PersonName] = None
    date_of_birth: Omittable[Day] = None
    gender: Omittable[Gender] = None
    nationality: Omittable[Nationality] = None
    personal_id: PersonalId | None = None
    party_member: Omittable[bool] = None
    trainings: Omittable[list[Training]] = Field(default=None, max_length=100)


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
    education_level: EducationLevel | None = Field(
        description="Derived from the qualification records (the highest counting professional "
        "or general-education level); read only"
    )
    professional_qualification: str | None
    political_theory: PoliticalTheory | None = Field(
        description="Derived from the qualification records; read only"
    )
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
        description="False when `total` is an estimate: a search or filter matching more "
        "rows than are counted on every page (ask again with exact_total=true for the exact "
        "figure). Structural filters (union, status, gender, sector, as_of) are always exact",
    )
    next_cursor: str | None = Field(
        default=None,
        description="Pass as `cursor` for the page after this one (keyset: costs the same "
        "however deep); null on the last page and for the card-number sort",
    )


class MemberAction(InputModel):
    effective_date: Day = Field(
        description="The day the change takes effect: not in the future and not before the "
        "member's last recorded change"
    )
    reason: Note | None = None
    decision_no: DecisionNo | None = None


class MemberActionWithReason(MemberAction):
    reason: Note


class MemberRejoin(MemberAction):
    union_id: uuid.UUID | None = Field(
        default=None, description="The union to rejoin; the member's last union if empty"
    )


class CardReissue(InputModel):
    effective_date: Day | None = Field(default=None, description="Default: today")
    reason: Note | None = None
    card_number: CardNumber | None = None


class MemberTransfer(MemberAction):
    to_union_id: uuid.UUID = Field(
        description="The receiving union (see members-transfer-destinations)"
    )


class TransferDecision(InputModel):
    """Refuse or cancel a transfer request."""

    note: Note | None = None


class TransferAccept(TransferDecision):
    effective_date: Day | None = Field(
        default=None,
        description="Overrides the requested date: not in the future and not before the "
        "member's last recorded change",
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
    overdue: bool = Field(
        description="Pending for more than 30 days (OVERDUE_DAYS) since it was requested"
    )
    escalated: bool = Field(
        description="Pending longer than the receiving union's escalation setting: it now "
        "waits for the receiving union's upper union too"
    )


class TransfersWaiting(OutputModel):
    """Incoming transfer requests waiting for a decision in the caller's unions."""

    incoming: int = Field(description="Pending requests into unions where you may decide")
    overdue: int = Field(description="Of those, pending for more than `overdue_days` days")
    escalated: int = Field(
        description="Of those, escalated to an upper union by the receiving union's setting"
    )
    overdue_days: int


class EscalationSetting(InputModel):
    """Escalate transfer requests into the union that wait longer than `days` (null: never)."""

    days: int | None = Field(ge=1, le=365)


class EscalationRead(OutputModel):
    union_id: uuid.UUID
    days: int | None


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
    from_date: Day = Field(
        description="Not in the future and not before the member's admission (422). The same "
        "post at the same union cannot be held twice over overlapping dates, and a single-holder "
        "post (e.g. chair) not by two people at once (409)"
    )
    to_date: Day | None = Field(
        default=None, description="Last day in the post, if known: not before from_date"
    )
    decision_no: DecisionNo | None = None


class CadreUpdate(InputModel):
    full_time: Omittable[bool] = None
    from_date: Omittable[Day] = None
    to_date: Day | None = None
    decision_no: DecisionNo | None = None


class CadreEnd(InputModel):
    to_date: Day = Field(
        description="Last day in the post: not before from_date, not in the future"
    )
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


# --- a member's own account (mobile, self-service) ------------------------------------------


class MemberActivate(InputModel):
    """Activate a member's own account: with the identity data only the member holds (all
    three), or with a one-time code from their union; and the username and password to sign
    in with (the password flow at POST /auth/token, like officers)."""

    personal_id: PersonalId | None = None
    card_number: CardNumber | None = None
    date_of_birth: Day | None = None
    code: str | None = Field(
        default=None,
        max_length=32,
        description="The one-time code from the union (XXXXX-XXXXX; case, spaces and dashes "
        "do not matter). Instead of personal_id + card_number + date_of_birth.",
    )
    username: Username = Field(description="3-64 characters: a-z, 0-9, '.', '_', '-'")
    password: Password = Field(description="At least 10 characters, letters and digits")


class MemberAccountActivated(OutputModel):
    member_id: uuid.UUID
    username: str
    full_name: str


class MemberAccountRead(OutputModel):
    """Whether a member has activated their own account, for their union's officers."""

    member_id: uuid.UUID
    has_account: bool
    username: str | None = None
    activated_at: datetime | None = None
    activated_via: str | None = Field(default=None, description="identity or code")
    status: MemberAccountStatus | None = Field(
        default=None,
        description="active; closed (no sign-in until reopened); reset (the member activates "
        "it again)",
    )
    status_reason: MemberAccountStatusReason | None = Field(
        default=None, description="Who closed or reset it: an officer, or the member's exit"
    )
    status_changed_at: datetime | None = None
    last_sign_in_at: datetime | None = Field(
        default=None, description="When the member last signed in with it"
    )
    code_expires_at: datetime | None = Field(
        default=None, description="When the latest unused activation code expires"
    )


class MemberPhotoRead(OutputModel):
    """A member's card photo: whether there is one, and what it is (the JPEG's SHA-256, which
    a signed card names as `ph`)."""

    member_id: uuid.UUID
    has_photo: bool
    sha256: str | None = None
    width: int | None = None
    height: int | None = None
    size: int | None = Field(default=None, description="Bytes of the stored JPEG")
    uploaded_at: datetime | None = None
    url: str | None = Field(default=None, description="The JPEG (changes with the photo)")


class ActivationCodeRead(OutputModel):
    member_id: uuid.UUID
    code: str = Field(description="Shown this once; give it to the member (single use)")
    expires_at: datetime


# Contact data a member changes themselves; identity data they ask their union to change.
CONTACT_FIELDS = ("phone", "email", "commune_code")
IDENTITY_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "nationality",
    "personal_id",
    "passport_no",
)


class MyProfileUpdate(InputModel):
    """A member's change to their own record: contact data (phone, email, commune) applies at
    once; identity data (name, date of birth, gender, ethnicity, nationality, personal ID,
    passport) becomes a request their union approves or rejects."""

    phone: MobilePhone | None = None
    email: EmailStr | None = Field(default=None, max_length=254)
    commune_code: CommuneCode | None = None
    full_name: Omittable[PersonName] = None
    date_of_birth: Omittable[Day] = None
    gender: Omittable[Gender] = None
    ethnicity: Annotated[str, Text(40)] | None = None
    nationality: Omittable[Nationality] = None
    personal_id: PersonalId | None = None
    passport_no: Passport | None = None
    note: Note | None = Field(default=None, description="For the union: why (identity changes)")


class ChangeRequestRead(OutputModel):
    id: uuid.UUID
    member_id: uuid.UUID
    member_name: str
    member_card_number: str | None
    union_id: uuid.UUID
    union_name: str
    changes: dict[str, Any] = Field(description="Field -> the value asked for")
    current: dict[str, Any] = Field(description="Field -> the value on the record now")
    status: ChangeRequestStatus
    note: str | None
    requested_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    decision_note: str | None


class MyProfileResult(OutputModel):
    member: MemberRead
    change_request: ChangeRequestRead | None = Field(
        default=None, description="The request for the identity changes, when there were any"
    )


class ChangeRequestDecision(InputModel):
    note: Note | None = None


class MyTransferRequest(InputModel):
    """A member asks to move to another union (a new employer's): a request that their
    union's and the receiving union's officers see in the transfer inbox."""

    to_union_id: uuid.UUID = Field(
        description="The receiving union (GET /me/transfer-destinations)"
    )
    effective_date: Day | None = Field(default=None, description="Default: today")
    reason: Note | None = None
