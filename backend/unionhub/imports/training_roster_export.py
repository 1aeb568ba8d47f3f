"""A course's roster as a spreadsheet with Vietnamese headers: card number, name, union, post,
nomination state, attendance per session, result, score, certificate number and date - the
layout `training_roster_import` reads back. A roster holds at most the course's seats, so the
workbook is built in memory with the register exports' streaming writer.
"""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.errors import problem_responses
from unionhub.imports.training_export import POSTS, XLSX
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import ColumnFormat, XlsxStreamWriter
from unionhub.training.reads import roster_sheet

PARTICIPANT_STATUS = {
    "nominated": "Chờ duyệt",
    "accepted": "Đã nhận",
    "declined": "Bị từ chối",
    "withdrawn": "Đã rút",
}
RESULT = {"completed": "Hoàn thành", "not_completed": "Không hoàn thành"}
PRESENT, ABSENT = "x", "vắng"

router = APIRouter(prefix="/api/v1/training/courses", tags=["training"])
Reader = Annotated[Principal, Depends(require(Permission.TRAINING_READ))]


def session_header(day: date) -> str:
    return f"Buổi {day.strftime('%d/%m/%Y')}"


async def export_roster(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID
) -> tuple[bytes, int]:
    """The workbook's bytes and its row count; the export is audited."""
    sheet = await roster_sheet(session, principal, course_id)
    titles = [
        "STT",
        "Số thẻ đoàn viên",
        "Họ và tên",
        "Công đoàn",
        "Chức vụ",
        "Tình trạng",
        *[session_header(d) for d in sheet.sessions],
        "Số buổi có mặt",
        "Kết quả",
        "Điểm",
        "Số chứng chỉ",
        "Ngày cấp chứng chỉ",
    ]
    columns = [
        ColumnFormat(6, "general"),
        ColumnFormat(16, "text"),
        ColumnFormat(30, "text"),
        ColumnFormat(40, "text"),
        ColumnFormat(24, "text"),
        ColumnFormat(14),
        *[ColumnFormat(13)] * len(sheet.sessions),
        ColumnFormat(10, "general"),
        ColumnFormat(18),
        ColumnFormat(8, "general"),
        ColumnFormat(18, "text"),
        ColumnFormat(14),
    ]
    cells: list[list[Cell]] = []
    for i, (p, name, card, union_name, attended) in enumerate(sheet.rows, start=1):
        marks = sheet.marks.get(p.id, {})
        cells.append(
            [
                i,
                card,
                name,
                union_name,
                ", ".join(POSTS.get(x, x) for x in sheet.posts.get(p.member_id, [])) or None,
                PARTICIPANT_STATUS.get(p.status, p.status),
                *[
                    None if d not in marks else PRESENT if marks[d] else ABSENT
                    for d in sheet.sessions
                ],
                int(attended or 0),
                RESULT.get(p.result) if p.result else None,
                float(p.score) if p.score is not None else None,
                p.certificate_no,
                p.certificate_date,
            ]
        )
    writer = XlsxStreamWriter(columns, "Danh sách học viên")
    body = writer.start() + writer.header(titles) + writer.add(cells) + writer.finish()
    course = sheet.loaded.course
    await audit.record(
        session,
        principal,
        "course.roster_export",
        "course",
        course.id,
        union_id=course.organiser_union_id,
        after={"rows": len(cells), "format": "xlsx"},
    )
    return body, len(cells)


@router.get(
    "/{course_id:uuid}/roster.xlsx",
    operation_id="training-roster-export",
    responses={
        200: {"content": {XLSX: {}}, "description": "The course's roster"},
        **problem_responses(401, 403, 404, 422),
    },
    response_class=Response,
    summary="The roster as .xlsx: card number, name, union, post, state, attendance per "
    "session, result, score, certificate (the organiser: everyone; an invited union: its own)",
)
async def export(course_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    body, rows = await export_roster(session, principal, course_id)
    return Response(
        body,
        media_type=XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="danh-sach-hoc-vien.xlsx"',
            "X-Total-Count": str(rows),
        },
    )
