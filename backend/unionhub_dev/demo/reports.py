"""The demo's periodic reports: the province asks its direct children for the statistical
report of the last full quarter, with a deadline already past, so the status page has every
case: two units approved, one returned with a comment, one submitted (with a corrected figure
and its reason), the others missing; the province's own report consolidates the approved ones.

Written through the reports service, like an officer's work (audited, scoped, computed from
the demo's records).
"""

from datetime import date, timedelta

from sqlalchemy import select

from unionhub.authz import scope
from unionhub.reports import periodic
from unionhub.reports.models import Report, ReportTemplate
from unionhub.reports.schemas import Correction, ReportEdit, ReportRequestCreate
from unionhub.unions.models import Union
from unionhub_dev.demo.plan import PROVINCE_CODE
from unionhub_dev.demo.run import Run


def last_quarter(today: date) -> tuple[date, date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    return start, end


async def write_reports(run: Run) -> None:
    s, actor = run.session, run.actor
    province = await s.scalar(
        scope.unscoped(
            select(Union).where(Union.code == PROVINCE_CODE),
            reason="the demo loader runs before anyone signs in",
        )
    )
    assert province is not None
    template = await s.scalar(
        select(ReportTemplate)
        .where(ReportTemplate.code == "org-members-quarter")
        .order_by(ReportTemplate.version.desc())
        .limit(1)
    )
    assert template is not None
    start, end = last_quarter(date.today())
    request = await periodic.create_request(
        s,
        actor,
        ReportRequestCreate(
            union_id=province.id,
            template_id=template.id,
            period_from=start,
            period_to=end,
            deadline=end + timedelta(days=20),
            note="Các đơn vị gửi báo cáo số liệu tổ chức, đoàn viên quý về Ban Tổ chức LĐLĐ tỉnh.",
        ),
    )
    reports = list(
        (
            await s.execute(
                select(Report.id)
                .join(Union, Union.id == Report.union_id)
                .where(
                    Report.request_id == request.id,
                    Report.consolidated.is_(False),
                    scope.subtree(province.path),
                )
                .order_by(Union.name)
                .limit(4)
            )
        ).scalars()
    )
    done = []
    for i, report_id in enumerate(reports):
        report = await periodic.generate(s, actor, report_id, None)
        if i == 2:
            first = next(c for sec in report.sections for row in sec.rows or [] for c in row.cells)
            report = await periodic.edit(
                s,
                actor,
                report_id,
                ReportEdit(
                    corrections=[
                        Correction(
                            cell=first.cell,
                            numerator=(first.numerator or 0) + 12,
                            reason="Khảo sát lao động tháng 9 tại 2 doanh nghiệp chưa cập nhật "
                            "vào hệ thống",
                        )
                    ],
                    texts={"assessment": "Quý này đơn vị phát triển thêm đoàn viên mới."},
                ),
                None,
            )
        report = await periodic.submit(s, actor, report_id, None)
        if i < 2:
            await periodic.approve(s, actor, report_id, None)
            done.append(report_id)
        elif i == 3:
            await periodic.return_report(
                s,
                actor,
                report_id,
                "Đề nghị bổ sung danh sách đoàn viên chuyển đi và rà soát lại số đoàn viên nữ.",
                None,
            )
    if request.own_report_id is not None and run.members is None:
        await periodic.consolidate(s, actor, request.own_report_id, None)
    await s.flush()
