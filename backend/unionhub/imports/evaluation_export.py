"""A round's results as a spreadsheet: union code, points per criteria group, total, level.

A round holds at most a few thousand units, so the workbook is built in memory with the
streaming writer the register exports use.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncSession

from unionhub.auth.dependencies import SessionDep, require
from unionhub.authz.permissions import Permission
from unionhub.authz.principal import Principal
from unionhub.core import audit
from unionhub.core.errors import problem_responses
from unionhub.evaluations.reads import round_results
from unionhub.imports.xlsx_reader import Cell
from unionhub.imports.xlsx_writer import ColumnFormat, XlsxStreamWriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS = {
    "draft": "Đang tự đánh giá",
    "submitted": "Chờ thẩm định",
    "returned": "Trả lại để hoàn thiện",
    "approved": "Đã duyệt",
    "published": "Đã công bố",
    "ineligible": "Không đủ điều kiện xếp loại",
}
SECTOR = {"state": "Khu vực nhà nước", "non_state": "Ngoài nhà nước"}
REASON = {
    "operating_less_than_12_months": "Hoạt động chưa đủ 12 tháng kể từ khi thành lập",
    "restructured_less_than_6_months": "Chưa đủ 6 tháng kể từ khi hợp nhất, sáp nhập",
    "no_variant_for_union_type": "Bộ tiêu chí không có phiếu cho loại hình này",
}

router = APIRouter(prefix="/api/v1/evaluation-rounds", tags=["evaluations"])
Reader = Annotated[Principal, Depends(require(Permission.EVALUATIONS_READ))]


async def export_round(
    session: AsyncSession, principal: Principal, round_id: uuid.UUID
) -> tuple[bytes, int, int]:
    """The workbook's bytes, its year and row count; the export is audited."""
    round_, scheme, rows = await round_results(session, principal, round_id)
    groups: list[str] = []
    for variant in scheme.variants:
        groups += [g.code for g in variant.groups if g.code not in groups]
    level_names = {lv.code: lv.name for lv in scheme.levels}
    titles = [
        "Mã công đoàn",
        "Tên công đoàn",
        "Khu vực",
        "Trạng thái",
        *[f"Nhóm {g}" for g in groups],
        "Tổng điểm",
        "Xếp loại",
        "Vững mạnh",
        "Lý do không xếp loại",
    ]
    columns = [
        ColumnFormat(16, "text"),
        ColumnFormat(50, "text"),
        ColumnFormat(18),
        ColumnFormat(24),
    ]
    columns += [ColumnFormat(10, "general")] * (len(groups) + 1)
    columns += [ColumnFormat(28), ColumnFormat(10), ColumnFormat(40)]
    cells: list[list[Cell]] = [
        [
            r.code,
            r.name,
            SECTOR.get(r.sector, r.sector),
            STATUS.get(r.status, r.status),
            *[float(r.groups[g]) if g in r.groups else None for g in groups],
            float(r.total) if r.total is not None else None,
            level_names.get(r.level, r.level) if r.level else None,
            None if r.strong is None else ("Có" if r.strong else "Không"),
            REASON.get(r.ineligible_reason or "", r.ineligible_reason),
        ]
        for r in rows
    ]
    writer = XlsxStreamWriter(columns, f"Xếp loại {round_.year}")
    body = writer.start() + writer.header(titles) + writer.add(cells) + writer.finish()
    await audit.record(
        session,
        principal,
        "evaluation_round.export",
        "evaluation_round",
        round_.id,
        union_id=round_.owner_union_id,
        after={"rows": len(rows), "format": "xlsx"},
    )
    return body, round_.year, len(rows)


@router.get(
    "/{round_id:uuid}/export.xlsx",
    operation_id="evaluation-rounds-export",
    responses={
        200: {"content": {XLSX: {}}, "description": "The round's results"},
        **problem_responses(401, 403, 404, 422),
    },
    response_class=Response,
    summary="The round's results as .xlsx: union code, points per group, total, level",
)
async def export(round_id: uuid.UUID, principal: Reader, session: SessionDep) -> Response:
    body, year, rows = await export_round(session, principal, round_id)
    return Response(
        body,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="xep-loai-{year}.xlsx"',
            "X-Total-Count": str(rows),
        },
    )
