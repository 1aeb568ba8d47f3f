"""The indicator catalogue: fixed keys that programme targets, report templates and
integrations refer to, each with its definition in Vietnamese and English.

A definition here is a contract: `indicators.queries` computes exactly what the text says, and
tests/indicators/test_hand_count.py checks each against a hand count.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from unionhub.authz.permissions import Permission


class Unit(StrEnum):
    COUNT = "count"  # the value is the numerator; no denominator
    SHARE = "share"  # numerator / denominator, 0..1 to 4 decimals


class Timing(StrEnum):
    AS_OF = "as_of"  # a level on one day (as_of)
    PERIOD = "period"  # events between from and to (inclusive)
    YEAR = "year"  # the rounds of one calendar year (the year of `to`, or of as_of)


class Breakdown(StrEnum):
    CHILD = "child"
    SECTOR = "sector"
    GENDER = "gender"


class RecordKind(StrEnum):
    MEMBER = "member"
    ADMISSION = "admission"
    ENTERPRISE = "enterprise"
    UNION = "union"
    EVALUATION = "evaluation"


@dataclass(frozen=True)
class Indicator:
    key: str
    name_vi: str
    name_en: str
    definition_vi: str
    definition_en: str
    unit: Unit
    timing: Timing
    numerator_vi: str
    numerator_en: str
    denominator_vi: str | None
    denominator_en: str | None
    records: RecordKind
    # The permission whose scope the records are read through.
    permission: Permission
    breakdowns: tuple[Breakdown, ...] = (Breakdown.CHILD, Breakdown.SECTOR)
    # Parameters a target or a caller may set, with their defaults.
    parameters: dict[str, int] = field(default_factory=dict)
    # False: the records it needs are not kept yet (training): asking answers 409.
    available: bool = True


_TRAINING = (
    "Cần dữ liệu đào tạo, bồi dưỡng cán bộ (chưa có trong hệ thống).",
    "Needs the training records (not kept yet).",
)

CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        key="new_members",
        name_vi="Đoàn viên kết nạp mới",
        name_en="New members admitted",
        definition_vi=(
            "Số đoàn viên được kết nạp trong kỳ (từ ngày đến ngày), tại các công đoàn thuộc đơn vị "
            "theo cây tổ chức của ngày kết nạp. Chuyển sinh hoạt đến không phải kết nạp; kết nạp "
            "lại được đếm riêng."
        ),
        definition_en=(
            "Members admitted in the period (from-to, inclusive) in unions under the union in the "
            "tree of the admission day. A transfer in is not an admission; rejoins are counted "
            "separately."
        ),
        unit=Unit.COUNT,
        timing=Timing.PERIOD,
        numerator_vi="Số lượt kết nạp trong kỳ",
        numerator_en="Admissions in the period",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.ADMISSION,
        permission=Permission.MEMBERS_READ,
        breakdowns=(Breakdown.CHILD, Breakdown.SECTOR, Breakdown.GENDER),
    ),
    Indicator(
        key="members_total",
        name_vi="Tổng số đoàn viên",
        name_en="Members",
        definition_vi=(
            "Số đoàn viên đang sinh hoạt hoặc tạm dừng sinh hoạt vào ngày tính, tại các công đoàn "
            "thuộc đơn vị theo cây tổ chức của ngày đó."
        ),
        definition_en=(
            "Members in membership (active or suspended) on the day, in unions under the union in "
            "the tree of that day."
        ),
        unit=Unit.COUNT,
        timing=Timing.AS_OF,
        numerator_vi="Số đoàn viên",
        numerator_en="Members",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.MEMBER,
        permission=Permission.MEMBERS_READ,
        breakdowns=(Breakdown.CHILD, Breakdown.SECTOR, Breakdown.GENDER),
    ),
    Indicator(
        key="member_coverage_state",
        name_vi="Tỷ lệ CNVCLĐ khu vực nhà nước là đoàn viên",
        name_en="Member coverage, state enterprises",
        definition_vi=(
            "Đoàn viên của công đoàn các doanh nghiệp nhà nước đang hoạt động (công đoàn cơ sở "
            "của doanh nghiệp và các đơn vị trực thuộc) chia cho số lao động theo kết quả khảo "
            "sát gần nhất đến ngày tính; chỉ doanh nghiệp đã có số lao động."
        ),
        definition_en=(
            "Members of the unions of operating state-owned enterprises (the enterprise's "
            "grassroots union and the units under it) over their workers by the latest survey "
            "on or before the day; enterprises with a known worker count only."
        ),
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Đoàn viên tại các doanh nghiệp nhà nước",
        numerator_en="Members in state-owned enterprises",
        denominator_vi="Lao động của các doanh nghiệp nhà nước",
        denominator_en="Workers of state-owned enterprises",
        records=RecordKind.ENTERPRISE,
        permission=Permission.ENTERPRISES_READ,
        breakdowns=(Breakdown.CHILD,),
    ),
    Indicator(
        key="member_coverage_non_state",
        name_vi="Tỷ lệ CNLĐ doanh nghiệp ngoài nhà nước là đoàn viên",
        name_en="Member coverage, non-state enterprises with a union",
        definition_vi=(
            "Đoàn viên của công đoàn các doanh nghiệp ngoài nhà nước (tư nhân, FDI, hợp tác xã) "
            "đang hoạt động và đã có công đoàn cơ sở vào ngày tính, chia cho số lao động theo "
            "khảo sát gần nhất của các doanh nghiệp đó."
        ),
        definition_en=(
            "Members of the unions of operating non-state enterprises (domestic private, FDI, "
            "cooperatives) that have a grassroots union on the day, over those enterprises' "
            "workers by the latest survey on or before the day."
        ),
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Đoàn viên tại doanh nghiệp ngoài nhà nước có công đoàn",
        numerator_en="Members in non-state enterprises with a union",
        denominator_vi="Lao động của các doanh nghiệp đó",
        denominator_en="Workers of those enterprises",
        records=RecordKind.ENTERPRISE,
        permission=Permission.ENTERPRISES_READ,
        breakdowns=(Breakdown.CHILD,),
    ),
    Indicator(
        key="enterprises_with_union",
        name_vi="Tỷ lệ doanh nghiệp có công đoàn cơ sở",
        name_en="Enterprises with a grassroots union",
        definition_vi=(
            "Trong các doanh nghiệp đang hoạt động có từ N lao động trở lên (khảo sát gần nhất "
            "đến ngày tính; N = 20 hoặc 25), tỷ lệ doanh nghiệp đã có công đoàn cơ sở vào ngày đó."
        ),
        definition_en=(
            "Among operating enterprises with at least N workers (latest survey on or before the "
            "day; N is 20 or 25), the share that have a grassroots union on that day."
        ),
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Doanh nghiệp đã có công đoàn cơ sở",
        numerator_en="Enterprises with a grassroots union",
        denominator_vi="Doanh nghiệp đang hoạt động có từ N lao động",
        denominator_en="Operating enterprises with N or more workers",
        records=RecordKind.ENTERPRISE,
        permission=Permission.ENTERPRISES_READ,
        parameters={"min_workers": 20},
    ),
    Indicator(
        key="cdcs_founded",
        name_vi="Công đoàn cơ sở thành lập mới",
        name_en="Grassroots unions founded",
        definition_vi=(
            "Số công đoàn cơ sở và nghiệp đoàn cơ sở có ngày thành lập trong kỳ, thuộc đơn vị "
            "theo cây tổ chức của ngày thành lập."
        ),
        definition_en=(
            "Grassroots and occupational unions founded in the period, under the union in the "
            "tree of the founding day."
        ),
        unit=Unit.COUNT,
        timing=Timing.PERIOD,
        numerator_vi="Công đoàn cơ sở thành lập",
        numerator_en="Grassroots unions founded",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.UNION,
        permission=Permission.UNIONS_READ,
    ),
    Indicator(
        key="cdcs_strong_state",
        name_vi="Tỷ lệ công đoàn khu vực nhà nước đạt vững mạnh",
        name_en="Strong unions, state sector",
        definition_vi=(
            "Trong các công đoàn khu vực nhà nước (công đoàn cơ sở và công đoàn cấp trên cơ sở) "
            "thuộc đơn vị theo cây tổ chức ngày 31/12 của năm, được đánh giá trong năm và không "
            "thuộc diện chưa đánh giá, tỷ lệ được xếp loại ở mức mà phương án đánh giá coi là "
            "vững mạnh (chưa có kết quả: chưa vững mạnh)."
        ),
        definition_en=(
            "Among the state-sector units (grassroots and upper level) under the union in the "
            "tree of 31 December of the year, evaluated that year and not ineligible, the share "
            "rated at a level the scheme counts as strong (not yet rated: not strong)."
        ),
        unit=Unit.SHARE,
        timing=Timing.YEAR,
        numerator_vi="Đơn vị đạt vững mạnh",
        numerator_en="Units rated strong",
        denominator_vi="Đơn vị thuộc diện đánh giá",
        denominator_en="Units eligible for rating",
        records=RecordKind.EVALUATION,
        permission=Permission.EVALUATIONS_READ,
        breakdowns=(Breakdown.CHILD,),
    ),
    Indicator(
        key="cdcs_strong_non_state",
        name_vi="Tỷ lệ CĐCS khu vực ngoài nhà nước đạt vững mạnh",
        name_en="Strong unions, non-state sector",
        definition_vi=("Như chỉ tiêu khu vực nhà nước, cho các công đoàn khu vực ngoài nhà nước."),
        definition_en="As for the state sector, for the non-state units.",
        unit=Unit.SHARE,
        timing=Timing.YEAR,
        numerator_vi="Đơn vị đạt vững mạnh",
        numerator_en="Units rated strong",
        denominator_vi="Đơn vị thuộc diện đánh giá",
        denominator_en="Units eligible for rating",
        records=RecordKind.EVALUATION,
        permission=Permission.EVALUATIONS_READ,
        breakdowns=(Breakdown.CHILD,),
    ),
    *(
        Indicator(
            key=key,
            name_vi=vi,
            name_en=en,
            definition_vi=f"{dvi} {_TRAINING[0]}",
            definition_en=f"{den} {_TRAINING[1]}",
            unit=Unit.SHARE,
            timing=Timing.AS_OF if key != "cadres_trained" else Timing.PERIOD,
            numerator_vi=nvi,
            numerator_en=nen,
            denominator_vi=dnvi,
            denominator_en=dnen,
            records=RecordKind.MEMBER,
            permission=Permission.MEMBERS_READ,
            breakdowns=(Breakdown.CHILD, Breakdown.GENDER),
            available=False,
        )
        for key, vi, en, dvi, den, nvi, nen, dnvi, dnen in (
            (
                "fulltime_cadres_degree",
                "Cán bộ chuyên trách có trình độ đại học",
                "Full-time cadres with a university degree",
                "Tỷ lệ cán bộ công đoàn chuyên trách có trình độ đại học trở lên.",
                "Share of full-time union cadres holding a university degree or higher.",
                "Cán bộ chuyên trách có trình độ đại học trở lên",
                "Full-time cadres with a degree",
                "Cán bộ chuyên trách",
                "Full-time cadres",
            ),
            (
                "fulltime_cadres_postgrad",
                "Cán bộ chuyên trách có trình độ sau đại học",
                "Full-time cadres with a postgraduate degree",
                "Tỷ lệ cán bộ công đoàn chuyên trách có trình độ thạc sĩ, tiến sĩ.",
                "Share of full-time union cadres holding a master's degree or a doctorate.",
                "Cán bộ chuyên trách có trình độ sau đại học",
                "Full-time cadres with a postgraduate degree",
                "Cán bộ chuyên trách",
                "Full-time cadres",
            ),
            (
                "leaders_political_theory",
                "Lãnh đạo có lý luận chính trị trung cấp trở lên",
                "Leaders with intermediate political theory or higher",
                "Tỷ lệ công chức lãnh đạo, quản lý LĐLĐ cấp huyện, công đoàn ngành và ban chuyên "
                "đề có trình độ lý luận chính trị từ trung cấp trở lên.",
                "Share of the leaders of district federations, sector unions and specialised "
                "departments with intermediate (trung cấp) political theory or higher.",
                "Lãnh đạo có trung cấp lý luận chính trị trở lên",
                "Leaders with intermediate political theory or higher",
                "Lãnh đạo, quản lý",
                "Leaders",
            ),
            (
                "cadres_trained",
                "Cán bộ công đoàn được bồi dưỡng nghiệp vụ",
                "Cadres trained in union work",
                "Tỷ lệ cán bộ công đoàn từ tổ phó trở lên được bồi dưỡng nghiệp vụ công tác "
                "công đoàn.",
                "Share of union cadres from deputy group leader up trained in union work.",
                "Cán bộ đã được bồi dưỡng",
                "Cadres trained",
                "Cán bộ từ tổ phó trở lên",
                "Cadres from deputy group leader up",
            ),
            (
                "training_spend_share",
                "Tỷ lệ kinh phí dành cho đào tạo",
                "Share of union funds spent on training",
                "Tỷ lệ kinh phí công đoàn chi cho đào tạo, bồi dưỡng, tập huấn cán bộ.",
                "Share of union funds spent on training cadres.",
                "Kinh phí chi đào tạo (VNĐ)",
                "Training spend (VND)",
                "Tổng kinh phí công đoàn (VNĐ)",
                "Union funds (VND)",
            ),
        )
    ),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in CATALOGUE}
KEYS: tuple[str, ...] = tuple(BY_KEY)
