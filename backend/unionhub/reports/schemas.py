import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field

from unionhub.core.schemas import Day, InputModel, OutputModel, Paragraphs, Text
from unionhub.reports.definition import Definition
from unionhub.reports.models import PeriodKind, ReportStatus


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


class HeldUnit(OutputModel):
    id: uuid.UUID
    code: str
    name: str
    short_name: str | None
    level: str
    status: str


class MonthCount(OutputModel):
    month: str = Field(description="YYYY-MM")
    admissions: int


class Overview(OutputModel):
    as_of: date
    root_union_id: uuid.UUID | None = Field(
        description="The union whose children the member chart breaks down"
    )
    root_union_name: str | None
    held_units: list[HeldUnit] = Field(
        description="The units the caller holds a role at, highest first: what the overview can "
        "be narrowed to (union_id). Without union_id, a caller holding several units apart sees "
        "them all, and the member chart has one bar per unit"
    )
    unions_by_level: list[LevelSectorCount]
    unions_total: int
    members: MemberCounts
    enterprises: EnterpriseCounts
    members_by_child: list[ChildMembers]
    admissions_by_month: list[MonthCount] = Field(description="The last 12 months, oldest first")


# --- periodic reports ----------------------------------------------------------------------


class ReportTemplateCreate(InputModel):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,63}$")] = Field(
        description="The form's code: the same code again adds a new version"
    )
    name: Annotated[str, Text(255)]
    period_kind: PeriodKind
    definition: Definition


class ReportTemplateRead(OutputModel):
    id: uuid.UUID
    code: str
    version: int
    name: str
    period_kind: PeriodKind
    definition: dict[str, Any]
    created_at: datetime


class TemplateRef(OutputModel):
    id: uuid.UUID
    code: str
    version: int
    name: str


class ReportRequestCreate(InputModel):
    union_id: uuid.UUID = Field(description="The union that asks (its children report to it)")
    template_id: uuid.UUID
    title: Annotated[str, Text(500)] | None = Field(
        default=None,
        description="Default: the template's name and the period; for a forwarded request, "
        "the title of the request it forwards",
    )
    period_from: Day
    period_to: Day
    deadline: Day
    note: Annotated[str, Text(2000)] | None = None
    unit_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=500,
        description="Direct children asked to report (default: every active direct child)",
    )
    parent_request_id: uuid.UUID | None = Field(
        default=None,
        description="Forward this request (asked of `union_id`) to the union's own children: "
        "the same template and period, a deadline before the parent's",
    )


class ReportRequestRead(OutputModel):
    id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    template: TemplateRef
    title: str
    period_from: date
    period_to: date
    deadline: date
    note: str | None
    created_at: datetime
    units: int = Field(description="How many units were asked")
    own_report_id: uuid.UUID | None = Field(
        description="The asking union's own (consolidated) report, if the caller may see it"
    )
    parent_request_id: uuid.UUID | None = Field(
        description="The request this one forwards (its asking union was asked by it)"
    )


class UnitStatus(OutputModel):
    report_id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    status: ReportStatus
    submitted_at: datetime | None
    approved_at: datetime | None
    late: bool = Field(description="Submitted after the deadline, or not yet and it has passed")
    missing: bool = Field(description="Not submitted (nor approved) and the deadline has passed")


class RequestStatus(OutputModel):
    request: ReportRequestRead
    counts: dict[str, int]
    units: list[UnitStatus]
    late: list[UnitStatus]
    missing: list[UnitStatus]


class Cell(OutputModel):
    cell: str = Field(description="<section>/<row>/<column>: what a correction names")
    column: str
    available: bool = Field(description="False: the indicator cannot fill this cell")
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    computed_numerator: int | None
    computed_denominator: int | None
    computed_value: Decimal | None
    corrected: bool
    reason: str | None
    live_numerator: int | None = None
    live_denominator: int | None = None
    live_value: Decimal | None = Field(
        default=None, description="Consolidated reports: the live figure for the whole subtree"
    )
    difference: Decimal | None = Field(
        default=None, description="Consolidated reports: value - live_value"
    )


class ReportRow(OutputModel):
    key: str
    label: str
    indicator: str
    unit: str
    cells: list[Cell]


class ReportColumn(OutputModel):
    key: str
    label: str


class ListItem(OutputModel):
    label: str
    code: str | None
    union_name: str
    day: date | None
    detail: str | None


class ReportSection(OutputModel):
    key: str
    kind: Literal["table", "list", "text"]
    title: str
    columns: list[ReportColumn] | None = None
    rows: list[ReportRow] | None = None
    items: list[ListItem] | None = None
    total: int | None = None
    truncated: bool | None = None
    text: str | None = None


class ReportSummary(OutputModel):
    id: uuid.UUID
    request_id: uuid.UUID
    union_id: uuid.UUID
    union_name: str
    requester_union_id: uuid.UUID
    requester_union_name: str
    template: TemplateRef
    title: str
    period_from: date
    period_to: date
    deadline: date
    status: ReportStatus
    consolidated: bool
    generated_at: datetime | None
    submitted_at: datetime | None
    returned_at: datetime | None
    approved_at: datetime | None
    review_comment: str | None
    late: bool
    version: int


class ReportRead(ReportSummary):
    sections: list[ReportSection]
    forwarded_request_id: uuid.UUID | None = Field(
        default=None,
        description="The request the unit forwarded to its own children from this report's "
        "request: once its consolidation there is approved, generating takes those figures",
    )


class Correction(InputModel):
    cell: Annotated[str, Field(max_length=130, pattern=r"^[a-z0-9_]+/[a-z0-9_]+/[a-z0-9_]+$")]
    numerator: int = Field(ge=0, le=1_000_000_000)
    denominator: int | None = Field(default=None, ge=0, le=1_000_000_000)
    reason: Annotated[str, Text(1000)] = Field(
        description="Why the computed figure is wrong (required; kept beside it)"
    )


class ReportEdit(InputModel):
    corrections: list[Correction] = Field(default_factory=list, max_length=500)
    texts: dict[str, Annotated[str, Paragraphs(10_000)]] = Field(
        default_factory=dict,
        description="Free text of the text sections, by section key (line breaks kept)",
    )


class ReturnBody(InputModel):
    comment: Annotated[str, Paragraphs(2000)]


ExportFormat = Literal["xlsx", "pdf"]
