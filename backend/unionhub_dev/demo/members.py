"""Members of the demo register: how many per union, and each member with their history.

Sizes are skewed like the real register: enterprise unions (industrial-zone factories above
all) hold most members, agencies and cooperatives a few dozen. Every member agrees with the
register's own rules (members.validation): the personal ID matches birth year and gender, the
member was at least 15 (here 18) when admitted, and no date lies after the reference day.

History: an `admitted` event on the admission date and one membership period per status. The
July 2025 reorganisation moved unions, not members, so a member keeps one union throughout.
"""

import math
import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from unionhub_dev.demo import names as N
from unionhub_dev.demo.people import PersonMaker
from unionhub_dev.demo.specs import DemoPlan, UnionSpec

MEMBERS_AT_FULL_SCALE = 110_000
FIRST_ADMISSION = date(2000, 1, 1)
# The last day the demo data describes: the day it is loaded, so admissions, transfers and
# surveys run through the current month (the overview's "new members this year" is not 0).
REFERENCE_DAY = date.today()
ADULT_YEARS = 18
FOREIGNERS_FROM = date(2025, 7, 1)  # foreign workers may join from this day
HOLDING_LEVELS = ("grassroots", "occupational", "union_group")

# Statuses and their shares (per ten thousand members).
STATUSES = (
    ("active", 9370),
    ("suspended", 200),
    ("left", 300),
    ("struck_off", 50),
    ("expelled", 20),
    ("deceased", 60),
)
REASONS = {
    "suspended": (
        "Nghỉ không hưởng lương dài hạn",
        "Đi học tập trung dài hạn",
        "Nghỉ thai sản kéo dài",
    ),
    "left": (
        "Nghỉ việc, chuyển nơi làm việc ngoài tỉnh",
        "Xin ra khỏi tổ chức công đoàn",
        "Nghỉ hưu",
        "Chấm dứt hợp đồng lao động",
    ),
    "struck_off": ("Không sinh hoạt, không đóng đoàn phí 6 tháng liên tục",),
    "expelled": ("Vi phạm Điều lệ Công đoàn Việt Nam, bị kỷ luật khai trừ",),
    "deceased": ("Từ trần",),
}


@dataclass(frozen=True)
class Profile:
    """What a union's members look like: gender mix, schooling, jobs, Party share."""

    female: float
    education: tuple[tuple[str, int], ...]
    occupations: tuple[tuple[str, int], ...]
    party: float
    state: bool


_WORKERS_EDU = (
    ("upper_secondary", 45), ("lower_secondary", 25), ("vocational", 15), ("college", 7),
    ("university", 7), ("primary", 1),
)  # fmt: skip
_FARM_EDU = (("lower_secondary", 40), ("primary", 25), ("upper_secondary", 30), ("none", 5))
_OFFICE_JOBS = (("Kế toán", 3), ("Nhân viên văn phòng", 3), ("Bảo vệ", 1), ("Tài xế", 1))
PROFILES = {
    "factory": Profile(
        0.62, _WORKERS_EDU,
        (("Công nhân", 60), ("Công nhân vận hành máy", 12), ("Kỹ thuật viên", 5),
         ("Tổ trưởng sản xuất", 3), ("Nhân viên kho", 4), *_OFFICE_JOBS),
        0.02, False,
    ),
    "garment": Profile(
        0.78, _WORKERS_EDU,
        (("Công nhân may", 70), ("Công nhân cắt", 6), ("Công nhân KCS", 6),
         ("Tổ trưởng chuyền", 3), *_OFFICE_JOBS),
        0.01, False,
    ),
    "seafood": Profile(
        0.7, _WORKERS_EDU,
        (("Công nhân chế biến thủy sản", 70), ("Công nhân cấp đông", 8), ("Công nhân KCS", 5),
         *_OFFICE_JOBS),
        0.01, False,
    ),
    "state_enterprise": Profile(
        0.4, (("university", 35), ("college", 20), ("vocational", 25), ("upper_secondary", 20)),
        (("Nhân viên kỹ thuật", 30), ("Công nhân", 30), ("Chuyên viên", 20), *_OFFICE_JOBS),
        0.15, True,
    ),
    "cooperative": Profile(
        0.35, _FARM_EDU,
        (("Xã viên", 60), ("Lao động hợp tác xã", 25), ("Kế toán", 5), ("Tài xế", 5)),
        0.03, False,
    ),
    "occupational": Profile(0.25, _FARM_EDU, (), 0.01, False),
    "school": Profile(
        0.75, (("university", 70), ("college", 15), ("master", 10), ("vocational", 5)),
        (("Giáo viên", 82), ("Nhân viên văn thư", 4), ("Kế toán", 4),
         ("Nhân viên y tế học đường", 3), ("Bảo vệ", 3), ("Nhân viên thư viện", 4)),
        0.3, True,
    ),
    "health": Profile(
        0.7, (("university", 45), ("college", 25), ("vocational", 20), ("master", 8),
              ("doctorate", 2)),
        (("Điều dưỡng", 40), ("Bác sĩ", 25), ("Hộ sinh", 8), ("Kỹ thuật viên xét nghiệm", 8),
         ("Dược sĩ", 7), ("Nhân viên hành chính", 8), ("Kế toán", 4)),
        0.2, True,
    ),
    "agency": Profile(
        0.45, (("university", 75), ("master", 15), ("college", 7), ("upper_secondary", 3)),
        (("Chuyên viên", 60), ("Cán sự", 12), ("Văn thư", 8), ("Kế toán", 8),
         ("Lãnh đạo phòng", 8), ("Nhân viên hợp đồng", 4)),
        0.45, True,
    ),
}  # fmt: skip
QUALIFICATIONS = {
    "university": ("Cử nhân Kinh tế", "Cử nhân Luật", "Kỹ sư", "Cử nhân Sư phạm", "Bác sĩ"),
    "master": ("Thạc sĩ Quản lý công", "Thạc sĩ Kinh tế", "Thạc sĩ Giáo dục học"),
    "doctorate": ("Tiến sĩ Y học", "Tiến sĩ Kinh tế"),
    "college": ("Cao đẳng Sư phạm", "Cao đẳng Điều dưỡng", "Cao đẳng Kế toán"),
    "vocational": ("Trung cấp May", "Trung cấp Điện", "Trung cấp Cơ khí", "Trung cấp Y"),
}
THEORY_STATE = (("none", 55), ("so_cap", 30), ("trung_cap", 12), ("cao_cap", 2), ("cu_nhan", 1))
ETHNICITIES = (("Kinh", 975), ("Hoa", 18), ("Khmer", 7))
FOREIGNERS = (
    ("KR", ("Kim Min Jun", "Park Seo Yeon", "Lee Ji Hoon", "Choi Eun Ji")),
    ("CN", ("Chen Wei", "Li Na", "Zhang Hao", "Wang Fang")),
    ("TW", ("Lin Chih Hao", "Huang Mei Ling", "Wu Chia Hung")),
    ("JP", ("Tanaka Yuki", "Sato Kenta", "Suzuki Aiko")),
)


def profile_of(u: UnionSpec) -> str:
    name = u.name
    if u.kind == "school_union":
        return "school"
    if u.kind == "public_service_unit_union":
        return "health" if any(w in name for w in ("Bệnh viện", "Y tế", "Phòng khám")) else "agency"
    if u.kind == "agency_union":
        return "agency"
    if u.kind == "cooperative_union":
        return "cooperative"
    if u.kind == "occupational_union":
        return "occupational"
    if u.sector == "state":
        return "state_enterprise"
    if any(w in name for w in ("May", "Giày", "Túi xách", "Sợi")):
        return "garment"
    if "Thủy sản" in name or "Trái cây" in name:
        return "seafood"
    return "factory"


def _median_size(u: UnionSpec) -> tuple[float, float]:
    """(median, sigma) of the log-normal size of a union's membership, before scaling."""
    name = u.name
    if u.kind == "enterprise_union":
        if u.parent == "TG-KCN":
            return 200.0, 0.9
        return (90.0, 0.7) if u.sector == "state" else (60.0, 1.0)
    if u.kind == "school_union":
        big = any(w in name for w in ("THPT", "Cao đẳng", "Đại học"))
        return (70.0, 0.3) if big else (30.0, 0.35)
    if u.kind == "public_service_unit_union":
        return (350.0, 0.5) if "Bệnh viện" in name else (40.0, 0.6)
    if u.kind == "cooperative_union":
        return 12.0, 0.4
    if u.kind == "occupational_union":
        return 45.0, 0.5
    return 22.0, 0.5


def member_sizes(plan: DemoPlan, rng: random.Random, total: int) -> dict[str, int]:
    """Member rows per member-holding union, adding up to about `total`.

    A grassroots union with union groups keeps 40% of its members itself and shares the rest
    among its groups. A grassroots union never has fewer than 5 members (the founding minimum).
    """
    groups: dict[str, list[UnionSpec]] = {}
    for u in plan.unions:
        if u.level == "union_group" and u.parent:
            groups.setdefault(u.parent, []).append(u)
    raw: dict[str, float] = {}
    for u in plan.unions:
        if u.level in ("grassroots", "occupational"):
            median, sigma = _median_size(u)
            raw[u.code] = min(median * 20, rng.lognormvariate(math.log(median), sigma))
    factor = total / sum(raw.values()) if raw else 0.0
    sizes: dict[str, int] = {}
    for code, value in raw.items():
        n = max(5, round(value * factor))
        inner = groups.get(code, [])
        if inner:
            share = round(n * 0.6 / len(inner))
            for g in inner:
                sizes[g.code] = max(3, share)
            n = max(5, n - share * len(inner))
        sizes[code] = n
    return sizes


def _cum(pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], list[int]]:
    names, cum, acc = [], [], 0
    for name, weight in pairs:
        acc += weight
        names.append(name)
        cum.append(acc)
    return tuple(names), cum


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Drawn:
    """One member as drawn, before it becomes rows."""

    full_name: str
    gender: str
    born: date
    admitted: date
    status: str
    changed: date | None  # the day the status was reached (None while active since admission)
    nationality: str = "VN"
    personal_id: str | None = None
    passport_no: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class MemberMaker:
    """Draws members of one union at a time from one random stream."""

    def __init__(self, rng: random.Random, reference_day: date | None = None) -> None:
        self.rng = rng
        self.people = PersonMaker(rng)
        self.end = min(reference_day or REFERENCE_DAY, date.today())
        self._status = _cum(STATUSES)
        self._ethnic = _cum(ETHNICITIES)
        self._theory = _cum(THEORY_STATE)
        self._tables = {
            k: (_cum(p.education), _cum(p.occupations) if p.occupations else None)
            for k, p in PROFILES.items()
        }

    def _pick(self, table: tuple[tuple[str, ...], list[int]]) -> str:
        names, cum = table
        return names[bisect(cum, self.rng.random() * cum[-1])]

    def _day_between(self, start: date, end: date) -> date:
        span = (end - start).days
        return start + timedelta(days=self.rng.randint(0, span)) if span > 0 else start

    def draw(self, union_founded: date, profile: str, foreign_ok: bool) -> Drawn:
        rng, end = self.rng, self.end
        p = PROFILES[profile]
        gender = "female" if rng.random() < p.female else "male"
        age = rng.triangular(ADULT_YEARS + 1, 60 if gender == "female" else 62, 33)
        born = end - timedelta(days=int(age * 365.25))
        start = max(FIRST_ADMISSION, union_founded, add_years(born, ADULT_YEARS))
        if start == union_founded and rng.random() < 0.35:
            # The founding cohort: admitted in the weeks around the union's founding.
            admitted = min(end, start + timedelta(days=rng.randint(0, 90)))
        else:
            admitted = self._day_between(start, end)
        if foreign_ok and admitted >= FOREIGNERS_FROM and rng.random() < 0.01:
            country, names = rng.choice(FOREIGNERS)
            prefix = {"KR": "M", "CN": "E", "TW": "3", "JP": "TK"}[country]
            return Drawn(
                full_name=rng.choice(names),
                gender=gender,
                born=born,
                admitted=admitted,
                status="active",
                changed=None,
                nationality=country,
                passport_no=f"{prefix}{rng.randrange(10**7, 10**8)}",
            )
        status = self._pick(self._status)
        changed = None
        if status != "active":
            first = admitted + timedelta(days=60)
            if first >= end:
                status = "active"
            else:
                changed = self._day_between(first, end)
        return Drawn(
            full_name=self.people.full_name(gender),
            gender=gender,
            born=born,
            admitted=admitted,
            status=status,
            changed=changed,
            personal_id=self.people.personal_id(born, gender),
        )

    def details(self, d: Drawn, profile: str, occupation: str | None) -> dict[str, Any]:
        """The optional personal data of a member (schooling, job, contact)."""
        rng = self.rng
        p = PROFILES[profile]
        edu_table, job_table = self._tables[profile]
        education = self._pick(edu_table)
        quals = QUALIFICATIONS.get(education)
        theory: str | None = self._pick(self._theory) if p.state else None
        if not p.state and rng.random() < 0.5:
            theory = "none"
        return {
            "ethnicity": self._pick(self._ethnic) if d.nationality == "VN" else None,
            "phone": self.people.phone() if rng.random() < 0.85 else None,
            "email": self.people.email(d.full_name, d.born) if rng.random() < 0.25 else None,
            "education_level": education,
            "professional_qualification": rng.choice(quals) if quals else None,
            "political_theory": theory,
            "occupation": occupation or (self._pick(job_table) if job_table else None),
            "party_member": rng.random() < p.party,
        }


def occupation_of(u: UnionSpec) -> str | None:
    """Occupational unions name the trade of their members: 'Nghiệp đoàn Nghề cá xã ...'."""
    if u.kind != "occupational_union":
        return None
    return next((o for o in N.OCCUPATIONS if o in u.name), "Lao động tự do")
