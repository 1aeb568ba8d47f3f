"""The demo's programmes: No. 05/Ctr-LĐLĐ of Tiền Giang (2018-2023) with its targets, the
new-members target allocated to the eleven district federations in proportion to their
members when the term began, and the first Đồng Tháp congress resolution (2025-2030).

Written through the programmes service (audited like an officer's work); progress is then
computed from the demo's records by the same code as for anyone.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from unionhub.authz import scope
from unionhub.indicators import service as indicators
from unionhub.programmes import service
from unionhub.programmes.models import AllocationMethod, TargetAllocation
from unionhub.programmes.schemas import ProgrammeCreate, TargetCreate
from unionhub.unions.models import Union
from unionhub_dev.demo.plan import PROVINCE_CODE
from unionhub_dev.demo.run import Run

P05_START = date(2018, 6, 21)
P05_END = date(2023, 12, 31)
RESOLUTION_START = date(2025, 12, 26)
RESOLUTION_END = date(2030, 12, 31)

_05 = [
    (
        "1.1 Kết nạp ít nhất 16.000 đoàn viên trong nhiệm kỳ",
        "new_members",
        "cumulative",
        "16000",
        {},
    ),
    (
        "1.1 Ít nhất 95% CNVCLĐ doanh nghiệp Nhà nước là đoàn viên",
        "member_coverage_state",
        "end_of_term",
        "0.95",
        {},
    ),
    (
        "1.1 Ít nhất 85% CNLĐ doanh nghiệp ngoài Nhà nước là đoàn viên",
        "member_coverage_non_state",
        "end_of_term",
        "0.85",
        {},
    ),
    (
        "1.2 Thành lập CĐCS ở tất cả doanh nghiệp có từ 20 lao động",
        "enterprises_with_union",
        "end_of_term",
        "1",
        {"min_workers": 20},
    ),
    (
        "2. Hàng năm ít nhất 95% công đoàn khu vực nhà nước vững mạnh",
        "cdcs_strong_state",
        "every_year",
        "0.95",
        {},
    ),
    (
        "2. Hàng năm ít nhất 65% CĐCS ngoài nhà nước vững mạnh",
        "cdcs_strong_non_state",
        "every_year",
        "0.65",
        {},
    ),
    (
        "3. 100% cán bộ chuyên trách có trình độ đại học",
        "fulltime_cadres_degree",
        "end_of_term",
        "1",
        {},
    ),
    (
        "3. Ít nhất 15% cán bộ chuyên trách có trình độ sau đại học",
        "fulltime_cadres_postgrad",
        "end_of_term",
        "0.15",
        {},
    ),
    (
        "3. 100% lãnh đạo LĐLĐ cấp huyện, công đoàn ngành có trung cấp LLCT trở lên",
        "leaders_political_theory",
        "end_of_term",
        "1",
        {},
    ),
    (
        "3. 95% cán bộ công đoàn từ tổ phó trở lên được bồi dưỡng nghiệp vụ",
        "cadres_trained",
        "end_of_term",
        "0.95",
        {},
    ),
    (
        "3. Dành ít nhất 15% kinh phí công đoàn cho đào tạo, bồi dưỡng",
        "training_spend_share",
        "every_year",
        "0.15",
        {},
    ),
]
_RESOLUTION = [
    ("Đến năm 2030 có 250.000 đoàn viên", "members_total", "end_of_term", "250000", {}),
    (
        "100% doanh nghiệp đang hoạt động có từ 20 lao động có CĐCS",
        "enterprises_with_union",
        "end_of_term",
        "1",
        {"min_workers": 20},
    ),
    ("100% cán bộ công đoàn được bồi dưỡng nghiệp vụ", "cadres_trained", "end_of_term", "1", {}),
]


def _targets(rows: list[tuple[str, str, str, str, dict[str, int]]]) -> list[TargetCreate]:
    return [
        TargetCreate.model_validate(
            {
                "title": title,
                "indicator_key": key,
                "kind": kind,
                "target_value": value,
                "parameters": params,
                "position": i,
            }
        )
        for i, (title, key, kind, value, params) in enumerate(rows)
    ]


async def write_programmes(run: Run) -> None:
    s, actor = run.session, run.actor
    province = await s.scalar(
        scope.unscoped(
            select(Union).where(Union.code == PROVINCE_CODE),
            reason="the demo loader runs before anyone signs in",
        )
    )
    assert province is not None
    p05 = await service.create_programme(
        s,
        actor,
        ProgrammeCreate(
            union_id=province.id,
            number="05/Ctr-LĐLĐ",
            title=(
                "Phát triển đoàn viên, thành lập CĐCS, xây dựng CĐCS vững mạnh; đổi mới công tác "
                "đào tạo, bồi dưỡng, nâng cao năng lực đội ngũ cán bộ Công đoàn nhiệm kỳ 2018-2023"
            ),
            legal_basis=(
                "Nghị quyết số 20-NQ/TW ngày 28/01/2008; Nghị quyết Đại hội Công đoàn tỉnh Tiền "
                "Giang lần thứ X, nhiệm kỳ 2018-2023"
            ),
            term_start=P05_START,
            planned_end=P05_END,
            targets=_targets(_05),
        ),
    )
    await _allocate_to_districts(run, province, p05.targets[0].id)
    baseline = await _members_on(run, province, RESOLUTION_START)
    resolution_targets = _targets(_RESOLUTION)
    resolution_targets[0].baseline = Decimal(baseline)
    await service.create_programme(
        s,
        actor,
        ProgrammeCreate(
            union_id=province.id,
            number="NQ-ĐH I",
            title="Nghị quyết Đại hội Công đoàn tỉnh Đồng Tháp lần thứ I, nhiệm kỳ 2025-2030",
            legal_basis="Đại hội Công đoàn tỉnh Đồng Tháp lần thứ I ngày 26/12/2025",
            term_start=RESOLUTION_START,
            planned_end=RESOLUTION_END,
            targets=resolution_targets,
        ),
    )
    await s.flush()


async def _members_on(run: Run, union: Union, day: date, group_by: Any = None) -> Any:
    indicator = indicators.indicator_of("members_total")
    ask = indicators.make_ask(indicator, union.id, day, None, None)
    value = await indicators.compute(run.session, run.actor, ask, union, group_by)
    return value if group_by else value.numerator


async def _allocate_to_districts(run: Run, province: Union, target_id: Any) -> None:
    """16,000 admissions split over the eleven district federations by their members on the
    first day of the term (whole members, largest remainders first)."""
    value = await _members_on(run, province, P05_START, "child")
    districts = {
        u.id: u
        for u in (
            await run.session.scalars(
                scope.unscoped(
                    select(Union).where(Union.kind == "district_federation"),
                    reason="the demo loader runs before anyone signs in",
                )
            )
        ).all()
    }
    bases = {g.key: g.numerator for g in value.groups if g.key != "self"}
    bases = {k: n for k, n in bases.items() if any(str(d) == k for d in districts)}
    parts = service.split(Decimal(16000), {d: bases.get(str(d), 0) for d in districts})
    for district_id, part in parts.items():
        run.session.add(
            TargetAllocation(
                target_id=target_id,
                union_id=district_id,
                value=part,
                method=AllocationMethod.PROPORTIONAL.value,
                base_value=Decimal(bases.get(str(district_id), 0)),
                valid_from=P05_START,
                note="Theo số đoàn viên ngày 21/06/2018",
                version=1,
            )
        )
    await run.session.flush()
