"""Request and response models of spreadsheet imports."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

from unionhub.core.error_codes import ErrorCode
from unionhub.core.errors import ParamsSchema
from unionhub.core.schemas import InputModel, OutputModel
from unionhub.imports.models import ImportKind, ImportStatus

ImportMode = Literal["create", "update"]
ExportFormat = Literal["xlsx", "csv"]


class ImportCommit(InputModel):
    valid_only: bool = Field(
        default=False,
        description="false: all rows or nothing (refused with 409 while any row has errors); "
        "true: import the rows without errors and skip the others",
    )


class ImportRowError(BaseModel):
    row: int | None = Field(description="Row number as in the sheet (the header row is 1)")
    column: str | None = Field(description="The column's header as written in the file")
    field: str | None = Field(description="The API field the column holds")
    code: ErrorCode
    message: str = Field(description="English; translate by code and params")
    params: ParamsSchema | None = Field(
        default=None,
        description="The cell's value as written (value), limits, the row it repeats "
        "(first_row), dates as ISO strings",
    )


class ImportJobSummary(OutputModel):
    id: uuid.UUID
    kind: ImportKind
    mode: ImportMode
    status: ImportStatus
    file_name: str
    file_sha256: str
    total_rows: int = Field(
        description="Data rows in the file (an estimate until validation has read them all)"
    )
    done_rows: int = Field(description="Rows validated (or committed) so far")
    valid_rows: int
    error_count: int
    result: dict[str, Any] = Field(
        description="Counts (created, updated, unchanged, bad_rows), header_row, "
        "ignored_columns, ignored_rows (rows read as the column numbering or the footer, "
        "not as data: their numbers, the first 100), format, encoding, sheet (the sheet "
        "read), sheets (every sheet of the workbook), valid_only"
    )
    target_id: uuid.UUID | None = Field(
        default=None,
        description="The course (training_roster) or round (round_results) the sheet is "
        "imported into; null for the registers",
    )
    union_id: uuid.UUID | None
    created_by: uuid.UUID | None
    created_by_name: str | None = Field(
        default=None, description="Who started the job (in the job list)"
    )
    created_at: datetime
    finished_at: datetime | None

    @computed_field(description="done_rows / total_rows, 0 to 1, for a progress bar")  # type: ignore[prop-decorator]
    @property
    def progress(self) -> float:
        if self.status in (ImportStatus.VALIDATED, ImportStatus.COMMITTED):
            return 1.0
        if not self.total_rows:
            return 0.0
        return round(min(self.done_rows / self.total_rows, 1.0), 4)


class ImportJobRead(ImportJobSummary):
    errors: list[ImportRowError] = Field(
        description="Every problem found (the first 10,000; error_count has them all)"
    )
    errors_truncated: bool = False
