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
    SPENDING = "spending"


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
    # False: the records it needs are not kept yet: asking answers 409.
    available: bool = True
    # A period indicator whose `from` defaults to the start of the congress term of `to`
    # (not 1 January).
    from_term: bool = False


# The cadre indicators split by child union and by gender.
_CADRE_BREAKDOWNS = (Breakdown.CHILD, Breakdown.GENDER)


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
    Indicator(
        key="fulltime_cadres_degree",
        name_vi="Cán bộ chuyên trách có trình độ đại học",
        name_en="Full-time cadres with a university degree",
        definition_vi=(
            "Trong các cán bộ công đoàn chuyên trách (giữ chức danh chuyên trách vào ngày tính tại "
            "công đoàn thuộc đơn vị theo cây tổ chức của ngày đó), tỷ lệ có trình độ chuyên môn từ "
            "đại học trở lên theo văn bằng (hoặc giấy xác nhận cấp trước 09/07/2021) đến ngày tính."
        ),
        definition_en=(
            "Among full-time union cadres (holding a full-time post on the day in a union under "
            "the union in the tree of that day), the share with a professional qualification of "
            "university level or above (a diploma, or a confirmation issued before 2021-07-09) "
            "by the day."
        ),
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Cán bộ chuyên trách có trình độ đại học trở lên",
        numerator_en="Full-time cadres with a degree",
        denominator_vi="Cán bộ chuyên trách",
        denominator_en="Full-time cadres",
        records=RecordKind.MEMBER,
        permission=Permission.TRAINING_READ,
        breakdowns=_CADRE_BREAKDOWNS,
    ),
    Indicator(
        key="fulltime_cadres_postgrad",
        name_vi="Cán bộ chuyên trách có trình độ sau đại học",
        name_en="Full-time cadres with a postgraduate degree",
        definition_vi=("Như chỉ tiêu trình độ đại học, với trình độ thạc sĩ, tiến sĩ."),
        definition_en="As the degree indicator, with a master's degree or a doctorate.",
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Cán bộ chuyên trách có trình độ sau đại học",
        numerator_en="Full-time cadres with a postgraduate degree",
        denominator_vi="Cán bộ chuyên trách",
        denominator_en="Full-time cadres",
        records=RecordKind.MEMBER,
        permission=Permission.TRAINING_READ,
        breakdowns=_CADRE_BREAKDOWNS,
    ),
    Indicator(
        key="leaders_political_theory",
        name_vi="Lãnh đạo có lý luận chính trị trung cấp trở lên",
        name_en="Leaders with intermediate political theory or higher",
        definition_vi=(
            "Trong các chủ tịch, phó chủ tịch công đoàn cấp trên trực tiếp cơ sở (LĐLĐ cấp huyện, "
            "công đoàn ngành) giữ chức vụ vào ngày tính, tỷ lệ có trình độ lý luận chính trị từ "
            "trung cấp trở lên đến ngày tính."
        ),
        definition_en=(
            "Among the chairs and vice chairs of direct-superior unions (district federations, "
            "sector unions) in post on the day, the share with intermediate (trung cấp) political "
            "theory or higher by the day."
        ),
        unit=Unit.SHARE,
        timing=Timing.AS_OF,
        numerator_vi="Lãnh đạo có trung cấp lý luận chính trị trở lên",
        numerator_en="Leaders with intermediate political theory or higher",
        denominator_vi="Chủ tịch, phó chủ tịch công đoàn cấp trên trực tiếp cơ sở",
        denominator_en="Chairs and vice chairs of direct-superior unions",
        records=RecordKind.MEMBER,
        permission=Permission.TRAINING_READ,
        breakdowns=_CADRE_BREAKDOWNS,
    ),
    Indicator(
        key="cadres_trained",
        name_vi="Cán bộ công đoàn được bồi dưỡng nghiệp vụ",
        name_en="Cadres trained in union work",
        definition_vi=(
            "Trong các cán bộ công đoàn giữ chức danh vào ngày cuối kỳ, tỷ lệ có chứng chỉ bồi "
            "dưỡng nghiệp vụ công tác công đoàn cấp trong kỳ (mặc định: từ đầu nhiệm kỳ đại hội "
            "của ngày đó)."
        ),
        definition_en=(
            "Among the union cadres in post on the last day of the period, the share with a "
            "union-work training certificate issued in the period (by default: since the start "
            "of that day's congress term)."
        ),
        unit=Unit.SHARE,
        timing=Timing.PERIOD,
        numerator_vi="Cán bộ đã được bồi dưỡng trong kỳ",
        numerator_en="Cadres trained in the period",
        denominator_vi="Cán bộ công đoàn giữ chức danh",
        denominator_en="Union cadres in post",
        records=RecordKind.MEMBER,
        permission=Permission.TRAINING_READ,
        breakdowns=_CADRE_BREAKDOWNS,
        from_term=True,
    ),
    Indicator(
        key="training_spend_share",
        name_vi="Tỷ lệ kinh phí dành cho đào tạo",
        name_en="Share of union funds spent on training",
        definition_vi=(
            "Kinh phí chi đào tạo, bồi dưỡng, tập huấn cán bộ chia cho tổng kinh phí chi hoạt động "
            "của năm, theo số liệu đã được duyệt của các công đoàn thuộc đơn vị (theo cây tổ chức "
            "của ngày tính)."
        ),
        definition_en=(
            "Training spend over total operating spend of the year, by the approved figures of "
            "the unions under the union (in the tree of the day)."
        ),
        unit=Unit.SHARE,
        timing=Timing.YEAR,
        numerator_vi="Kinh phí chi đào tạo (VNĐ)",
        numerator_en="Training spend (VND)",
        denominator_vi="Tổng kinh phí chi hoạt động (VNĐ)",
        denominator_en="Total operating spend (VND)",
        records=RecordKind.SPENDING,
        permission=Permission.TRAINING_READ,
    ),
    # The periodic statistical report's figures (reports/): flows across the unit's boundary,
    # unions dissolved, workers covered.
    Indicator(
        key="transfers_in",
        name_vi="Đoàn viên chuyển đến",
        name_en="Members transferred in",
        definition_vi=(
            "Số lượt đoàn viên chuyển sinh hoạt đến một công đoàn thuộc đơn vị trong kỳ, từ một "
            "công đoàn ngoài đơn vị (theo cây tổ chức của ngày chuyển). Chuyển giữa các công đoàn "
            "trong đơn vị không được tính."
        ),
        definition_en=(
            "Transfers in the period into a union under the union from a union outside it (in "
            "the tree of the transfer day). Transfers between its own unions do not count."
        ),
        unit=Unit.COUNT,
        timing=Timing.PERIOD,
        numerator_vi="Lượt chuyển đến",
        numerator_en="Transfers in",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.ADMISSION,
        permission=Permission.MEMBERS_READ,
        breakdowns=(Breakdown.CHILD, Breakdown.SECTOR, Breakdown.GENDER),
    ),
    Indicator(
        key="transfers_out",
        name_vi="Đoàn viên chuyển đi",
        name_en="Members transferred out",
        definition_vi=(
            "Số lượt đoàn viên chuyển sinh hoạt từ một công đoàn thuộc đơn vị đến một công đoàn "
            "ngoài đơn vị trong kỳ (theo cây tổ chức của ngày chuyển)."
        ),
        definition_en=(
            "Transfers in the period from a union under the union to a union outside it (in the "
            "tree of the transfer day)."
        ),
        unit=Unit.COUNT,
        timing=Timing.PERIOD,
        numerator_vi="Lượt chuyển đi",
        numerator_en="Transfers out",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.ADMISSION,
        permission=Permission.MEMBERS_READ,
        breakdowns=(Breakdown.CHILD, Breakdown.SECTOR, Breakdown.GENDER),
    ),
    Indicator(
        key="cdcs_dissolved",
        name_vi="Công đoàn cơ sở giải thể, sáp nhập",
        name_en="Grassroots unions dissolved or merged",
        definition_vi=(
            "Số công đoàn cơ sở và nghiệp đoàn cơ sở giải thể hoặc sáp nhập vào đơn vị khác có "
            "ngày hiệu lực trong kỳ, thuộc đơn vị theo cây tổ chức của ngày đó."
        ),
        definition_en=(
            "Grassroots and occupational unions dissolved or merged into another in the period, "
            "under the union in the tree of that day."
        ),
        unit=Unit.COUNT,
        timing=Timing.PERIOD,
        numerator_vi="Công đoàn cơ sở giải thể, sáp nhập",
        numerator_en="Grassroots unions dissolved or merged",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.UNION,
        permission=Permission.UNIONS_READ,
    ),
    Indicator(
        key="workers_total",
        name_vi="Tổng số CNVCLĐ tại doanh nghiệp có công đoàn",
        name_en="Workers in enterprises with a union",
        definition_vi=(
            "Tổng số lao động (khảo sát gần nhất đến ngày tính) của các doanh nghiệp đang hoạt "
            "động đã có công đoàn cơ sở vào ngày đó, thuộc đơn vị."
        ),
        definition_en=(
            "Workers (latest survey on or before the day) of the operating enterprises that have "
            "a grassroots union on that day, under the union."
        ),
        unit=Unit.COUNT,
        timing=Timing.AS_OF,
        numerator_vi="Số lao động",
        numerator_en="Workers",
        denominator_vi=None,
        denominator_en=None,
        records=RecordKind.ENTERPRISE,
        permission=Permission.ENTERPRISES_READ,
    ),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in CATALOGUE}
KEYS: tuple[str, ...] = tuple(BY_KEY)
