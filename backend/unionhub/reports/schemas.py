import uuid
from datetime import date

from pydantic import Field

from unionhub.core.schemas import OutputModel


class LevelSectorCount(OutputModel):
    level: str
    sector: str
    count: int


class MemberCounts(OutputModel):
    active: int = Field(description="Members in good standing")
    suspended: int
    new_this_year: int = Field(
        description="Admissions (kết nạp mới) since 1 January; not transfers"
    )
    female: int


class EnterpriseCounts(OutputModel):
    total: int
    operating: int
    with_union: int
    eligible_without_union: int = Field(
        description="Operating, 20+ workers, no active grassroots union: founding targets"
    )
    workers_without_union: int


class ChildMembers(OutputModel):
    union_id: uuid.UUID
    name: str
    short_name: str | None
    members: int


class MonthCount(OutputModel):
    month: str = Field(description="YYYY-MM")
    admissions: int


class Overview(OutputModel):
    as_of: date
    root_union_id: uuid.UUID | None = Field(
        description="The union whose children the member chart breaks down"
    )
    root_union_name: str | None
    unions_by_level: list[LevelSectorCount]
    unions_total: int
    members: MemberCounts
    enterprises: EnterpriseCounts
    members_by_child: list[ChildMembers]
    admissions_by_month: list[MonthCount] = Field(description="The last 12 months, oldest first")
