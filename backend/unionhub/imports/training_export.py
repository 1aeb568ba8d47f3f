"""The due-for-training list as a spreadsheet, built in memory with the register exports'
streaming writer (a province's list holds at most tens of thousands of rows)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.errors import problem_responses
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import ColumnFormat, XlsxStreamWriter
from unionhub.training.due import all_due

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
POSTS = {
    "chair": "Chủ tịch",
    "vice_chair": "Phó Chủ tịch",
    "standing_member": "Ủy viên Ban Thường vụ",
    "executive_member": "Ủy viên Ban Chấp hành",
    "inspection_chair": "Chủ nhiệm UBKT",
    "inspection_member": "Ủy viên UBKT",
    "group_leader": "Tổ trưởng",
    "group_deputy": "Tổ phó",
}

router = APIRouter(prefix="/api/v1/training", tags=["training"])
Reader = Annotated[Principal, Depends(require(Permission.TRAINING_READ))]


@router.get(
    "/due.xlsx",
    operation_id="training-due-export",
    responses={
        200: {"content": {XLSX: {}}, "description": "The due-for-training list"},
        **problem_responses(401, 403, 404, 422),
    },
    response_class=Response,
    summary="The due-for-training list as .xlsx",
)
async def export_due(
    principal: Reader,
    session: SessionDep,
    union_id: Annotated[uuid.UUID | None, Query()] = None,
    as_of: Annotated[date | None, Query()] = None,
    overdue_only: bool = False,
) -> Response:
    day = as_of or date.today()
    rows = await all_due(session, principal, union_id, day, overdue_only=overdue_only)
    titles = [
        "Họ và tên",
        "Số thẻ đoàn viên",
        "Công đoàn",
        "Chức vụ",
        "Chuyên trách",
        "Ngày nhận nhiệm vụ",
        "Yêu cầu",
        "Trình độ hiện có",
        "Hạn",
        "Quá hạn (ngày)",
    ]
    columns = [
        ColumnFormat(30, "text"),
        ColumnFormat(16, "text"),
        ColumnFormat(40, "text"),
        ColumnFormat(22),
        ColumnFormat(12),
        ColumnFormat(14, "text"),
        ColumnFormat(50, "text"),
        ColumnFormat(16, "text"),
        ColumnFormat(14, "text"),
        ColumnFormat(12, "general"),
    ]
    cells: list[list[Cell]] = [
        [
            r.member_name,
            r.member_card_number,
            r.union_name,
            POSTS.get(r.post.value, r.post.value),
            "Có" if r.full_time else "Không",
            r.from_date.strftime("%d/%m/%Y"),
            r.requirement_name,
            r.current_level,
            r.due_on.strftime("%d/%m/%Y"),
            r.overdue_days,
        ]
        for r in rows
    ]
    writer = XlsxStreamWriter(columns, "Cần đào tạo")
    body = writer.start() + writer.header(titles) + writer.add(cells) + writer.finish()
    await audit.record(
        session,
        principal,
        "training_due.export",
        "training_due",
        None,
        union_id=union_id,
        after={"rows": len(rows), "as_of": day.isoformat(), "format": "xlsx"},
    )
    return Response(
        body,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="can-dao-tao-{day.isoformat()}.xlsx"',
            "X-Total-Count": str(len(rows)),
        },
    )
