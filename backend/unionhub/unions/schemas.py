import uuid
from datetime import date, datetime
from typing import Any

from pydantic import EmailStr, Field, field_validator
from pydantic_core import PydanticCustomError

from unionhub.core.error_codes import ErrorCode
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
    required_if,
)
from unionhub.unions.models import Sector, UnionEventType, UnionKind, UnionLevel, UnionStatus


class _Contact(InputModel):
    address: Address | None = None
    commune_code: CommuneCode | None = Field(
        default=None, description="5-digit administrative code of the commune/ward"
    )
    phone: Phone | None = None
    email: EmailStr | None = Field(default=None, max_length=254)

    @field_validator("email", mode="after")
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class UnionCreate(_Contact):
    """Found a union under a parent, by a decision, with an effective (founding) date."""

    code: Code = Field(description="Unique human-readable code, e.g. TG-CB-001")
    name: Line
    short_name: ShortLine | None = None
    level: UnionLevel
    kind: UnionKind
    sector: Sector
    parent_id: uuid.UUID | None = Field(
        description="The parent union; only an administrator may found a top-level union"
    )
    founded_on: Day = Field(
        description="Effective date of the founding decision; not in the future"
    )
    founding_decision_no: DecisionNo
    decision_date: Day | None = None
    enterprise_id: uuid.UUID | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "code": "TG-CB-CTYABC",
                    "name": "Công đoàn cơ sở Công ty TNHH ABC",
                    "short_name": "CĐCS Cty ABC",
                    "level": "grassroots",
                    "kind": "enterprise_union",
                    "sector": "non_state",
                    "parent_id": "0190f1a2-7b3c-7d4e-8f50-123456789abc",
                    "founded_on": "2024-03-15",
                    "founding_decision_no": "125/QĐ-LĐLĐ",
                    "commune_code": "28435",
                }
            ]
        }
    }


class UnionUpdate(_Contact):
    """Edit a union. A change of name or short name is a rename: it needs a decision number
    and is dated by `effective_date` (default today) in the union's history."""

    # Declared in the stricter form: sending name or short_name needs decision_no, even when
    # the value is the current one (the server then records no rename and does not ask).
    model_config = {
        "json_schema_extra": required_if(
            {"anyOf": [{"required": ["name"]}, {"required": ["short_name"]}]}, "decision_no"
        )
    }

    name: Omittable[Line] = None
    short_name: ShortLine | None = None
    kind: Omittable[UnionKind] = None
    sector: Omittable[Sector] = None
    enterprise_id: uuid.UUID | None = None
    effective_date: Day | None = Field(
        default=None,
        description="Date of a rename (default today): not in the future and not before the "
        "union's last recorded change",
    )
    decision_no: DecisionNo | None = Field(
        default=None, description="Required when name or short_name changes (a rename)"
    )
    decision_date: Day | None = None

    @field_validator("name", "kind", "sector", mode="after")
    @classmethod
    def _not_null(cls, v: Any) -> Any:
        # Optional so a PATCH may leave them out; an explicit null would empty a required column.
        if v is None:
            raise PydanticCustomError(ErrorCode.REQUIRED.value, "This field cannot be removed.")
        return v


class _Decision(InputModel):
    effective_date: Day = Field(
        description="Not in the future and not before the union's last recorded change"
    )
    decision_no: DecisionNo
    decision_date: Day | None = None
    note: Note | None = None


class UnionMove(_Decision):
    new_parent_id: uuid.UUID


class UnionMerge(_Decision):
    target_id: uuid.UUID = Field(description="The union this one is merged into")


class UnionDissolve(_Decision):
    pass


class UnionRead(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    short_name: str | None
    level: UnionLevel
    kind: UnionKind
    sector: Sector
    status: UnionStatus
    parent_id: uuid.UUID | None
    parent_name: str | None = None
    depth: int = Field(description="1 for a top-level union")
    founding_decision_no: str | None
    founded_on: date | None
    ended_on: date | None
    merged_into_id: uuid.UUID | None
    address: str | None
    commune_code: str | None
    phone: str | None
    email: str | None
    enterprise_id: uuid.UUID | None
    child_count: int | None = None
    member_count: int | None = Field(
        default=None, description="Active members; filled once the member register exists"
    )
    version: int
    created_at: datetime
    updated_at: datetime


class TreeNode(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    short_name: str | None
    level: UnionLevel
    kind: UnionKind
    sector: Sector
    status: UnionStatus
    parent_id: uuid.UUID | None
    child_count: int = Field(description="Children on the date asked for (for lazy loading)")
    member_count: int | None = None
    children: list["TreeNode"] = Field(default_factory=list)


class UnionTree(OutputModel):
    as_of: date
    depth: int
    roots: list[TreeNode]


class UnionEventRead(OutputModel):
    id: uuid.UUID
    union_id: uuid.UUID
    event_type: UnionEventType
    effective_date: date
    decision_no: str | None
    decision_date: date | None
    details: dict[str, Any]
    actor_id: uuid.UUID | None
    recorded_at: datetime


class UnionSearchHit(OutputModel):
    id: uuid.UUID
    code: str
    name: str = Field(description="The name on the date searched")
    short_name: str | None
    level: UnionLevel
    kind: UnionKind
    status: UnionStatus = Field(description="The status on the date searched")
    parent_id: uuid.UUID | None
    parent_name: str | None
    merged_into_id: uuid.UUID | None
    ended_on: date | None


class UnionSearch(OutputModel):
    as_of: date | None = Field(description="The date whose tree was searched; null: today")
    items: list[UnionSearchHit] = Field(description="Best first: exact names, higher levels")


class UnionRef(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    status: UnionStatus


class MovedUnit(OutputModel):
    union: UnionRef = Field(description="A unit that was under this union")
    moved_on: date
    now_under: UnionRef | None = Field(description="Its parent today (null: outside your scope)")


class MembersMoved(OutputModel):
    to: UnionRef | None = Field(description="Where they went (null: outside your scope)")
    members: int
    moved_on: date = Field(description="The first day any of them was there")


class UnionWhereabouts(OutputModel):
    """Where a dissolved or merged union's units and members went."""

    status: UnionStatus
    ended_on: date | None
    merged_into: UnionRef | None
    units: list[MovedUnit]
    members: list[MembersMoved]
