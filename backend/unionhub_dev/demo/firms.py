"""Enterprises of the demo: one per enterprise or cooperative grassroots union, plus those
without a union (the unionization gap), each with one to three worker surveys.

Pure: `plan_enterprises` reads the union plan and the planned member counts and draws from its
own random stream, so it is deterministic for a seed and writes nothing.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date

from unionhub.enterprises.validation import tax_code_check_digit
from unionhub_dev.demo import names as N
from unionhub_dev.demo.grassroots import UnitMaker
from unionhub_dev.demo.people import PersonMaker
from unionhub_dev.demo.places import (
    DISTRICT_BY_KEY,
    DISTRICTS,
    INDUSTRIAL_ZONES,
    OLD_COMMUNE_CODES,
    District,
    new_commune_of,
    old_address,
)
from unionhub_dev.demo.plan import commune_union_code
from unionhub_dev.demo.specs import DemoPlan, UnionSpec

TAX_PROVINCE = "12"  # Tiền Giang's enterprise tax codes
KCN = "TG-KCN"
# Share of enterprises without a union, next to those with one, at the default size.
UNIONLESS_SHARE = 0.3
# Of the enterprises without a union, the share with 20 or more workers (founding targets).
GAP_SHARE = 0.25

# Trade words in unit names -> VSIC 2018 code (5 digits).
VSIC_BY_TRADE = (
    ("Cơ khí Chính xác", "25920"),
    ("Chế biến Thủy sản", "10200"),
    ("Chế biến Trái cây", "10300"),
    ("Chế biến Gỗ", "16210"),
    ("Thức ăn Chăn nuôi", "10800"),
    ("Vật liệu Xây dựng", "23950"),
    ("Thương mại Dịch vụ", "46900"),
    ("Xuất nhập khẩu", "46900"),
    ("Kỹ thuật Điện", "43210"),
    ("Cấp thoát nước", "36000"),
    ("Dịch vụ Nông nghiệp", "01610"),
    ("May mặc", "14100"),
    ("Giày da", "15200"),
    ("Túi xách", "15120"),
    ("Linh kiện", "26100"),
    ("Thủy sản", "10200"),
    ("Thực phẩm", "10790"),
    ("Xây dựng", "41000"),
    ("Vận tải", "49330"),
    ("Nông sản", "46201"),
    ("Bao bì", "17020"),
    ("Dược phẩm", "21001"),
    ("Điện tử", "26100"),
    ("In ấn", "18110"),
    ("Đóng tàu", "30110"),
    ("Lương thực", "10610"),
    ("Bưu điện", "53100"),
    ("Điện lực", "35101"),
    ("Xổ số", "92001"),
    ("Nghêu", "03210"),
    ("Chăn nuôi", "01450"),
    ("Cơ khí", "25920"),
    ("Nhựa", "22200"),
    ("Giày", "15200"),
    ("Sợi", "13110"),
    ("Gỗ", "16210"),
    ("May", "14100"),
)
# Trades where most workers are women (garment, footwear, seafood processing).
FEMALE_TRADES = ("14100", "15200", "15120", "10200", "10300", "13110", "26100")
BRAND_SYLLABLES = (
    "Phú", "Thịnh", "Hưng", "Phát", "Tân", "Thành", "Minh", "Long", "An", "Khang", "Đại",
    "Việt", "Hoàng", "Kim", "Ngọc", "Thiên", "Trường", "Vạn", "Hồng", "Đức", "Tiến", "Quang",
    "Nhật", "Bảo", "Gia", "Hòa", "Lộc", "Tài", "Mỹ", "Sơn", "Nam", "Phước",
)  # fmt: skip
FOREIGN_PEOPLE = (
    "Kim Min Jun", "Park Ji Hoon", "Lee Sang Woo", "Choi Young Ho", "Chen Wei", "Lin Chih Ming",
    "Wang Jian", "Tanaka Hiroshi", "Suzuki Kenji", "Huang Kuo Liang",
)  # fmt: skip
# The latest survey is of the current month (the demo describes the register up to today).
SURVEY_DAYS = (
    date(2023, 12, 15),
    date(2024, 12, 15),
    date(2025, 6, 30),
    max(date(2025, 11, 30), date.today().replace(day=1)),
)


@dataclass
class EnterpriseSpec:
    tax_code: str
    name: str
    ownership: str
    vsic_code: str
    commune_code: str
    address: str
    responsible: str  # code of the responsible direct-superior union (today's tree)
    union: str | None  # code of its grassroots union, if it has one
    surveys: list[tuple[date, int, int]] = field(default_factory=list)  # (day, total, female)
    industrial_zone: str | None = None
    short_name: str | None = None
    phone: str | None = None
    email: str | None = None
    representative: str | None = None
    operating_status: str = "operating"


def vsic_of(name: str, default: str = "46900") -> str:
    return next((code for word, code in VSIC_BY_TRADE if word in name), default)


class TaxCodes:
    """Unique valid tax codes "12" + serial + check digit; serials never 0000000 nor one whose
    check digit would be 10, drawn as a bijection of a counter so they look random."""

    def __init__(self, rng: random.Random) -> None:
        self.n = rng.randrange(10**7)

    def next(self) -> str:
        while True:
            self.n += 1
            serial = (self.n * 7_654_321) % 10**7
            if serial == 0:
                continue
            first_nine = f"{TAX_PROVINCE}{serial:07d}"
            digit = tax_code_check_digit(first_nine)
            if digit is not None:
                return f"{first_nine}{digit}"


def responsible_union(spec: UnionSpec, commune_unions: dict[tuple[str, str], str]) -> str:
    """The direct-superior union of today's tree covering the unit: the industrial-zone
    union for its enterprises, else the commune/ward union of the unit's location."""
    if spec.parent == KCN:
        return KCN
    assert spec.district and spec.locality
    return commune_unions[(spec.district, spec.locality)]


def commune_union_codes() -> dict[tuple[str, str], str]:
    """(district key, old commune) -> code of the commune/ward union founded for it in 2025."""
    return {
        (d.key, old): commune_union_code(d, i)
        for d in DISTRICTS
        for i, c in enumerate(d.communes)
        for old in c.old
    }


class FirmMaker:
    def __init__(self, plan: DemoPlan, rng: random.Random) -> None:
        self.rng = rng
        self.people = PersonMaker(rng)
        self.tax = TaxCodes(rng)
        self.units = UnitMaker(rng)
        self.units.used.update(u.name.removeprefix("Công đoàn cơ sở ") for u in plan.unions)
        self.communes = commune_union_codes()

    def surveys(self, workers: int, vsic: str, linked: bool) -> list[tuple[date, int, int]]:
        rng = self.rng
        count = rng.choice((1, 2, 2, 3)) if linked else rng.choice((1, 1, 2))
        days = [*sorted(rng.sample(SURVEY_DAYS[:3], count - 1)), SURVEY_DAYS[-1]]
        female_share = rng.uniform(0.65, 0.85) if vsic in FEMALE_TRADES else rng.uniform(0.2, 0.6)
        out: list[tuple[date, int, int]] = []
        for i, day in enumerate(days):
            # Earlier surveys differ by some percent from the latest, which is `workers`.
            total = (
                workers if i == len(days) - 1 else max(1, round(workers * rng.uniform(0.8, 1.1)))
            )
            out.append((day, total, min(total, round(total * female_share))))
        return out

    def contact(self, spec: EnterpriseSpec, foreign: bool) -> None:
        rng = self.rng
        spec.phone = f"0273 3{rng.randint(800000, 899999)}"
        if rng.random() < 0.4:
            spec.email = f"info{spec.tax_code[-4:]}@{rng.choice(('gmail.com', 'vnn.vn'))}"
        spec.representative = (
            rng.choice(FOREIGN_PEOPLE)
            if foreign
            else self.people.full_name(rng.choice(("male", "male", "female")))
        )

    def linked(self, u: UnionSpec, in_membership: int) -> EnterpriseSpec:
        """The enterprise a grassroots union lives in; it employs more than its members."""
        rng = self.rng
        name = u.name.removeprefix("Công đoàn cơ sở ")
        foreign = any(b in name for b in N.FOREIGN_BRANDS)
        if u.kind == "cooperative_union":
            ownership, rate = "cooperative", rng.uniform(0.5, 0.9)
        elif u.sector == "state":
            ownership, rate = "state", rng.uniform(0.92, 0.99)
        else:
            ownership, rate = ("fdi" if foreign else "non_state_domestic"), rng.uniform(0.6, 0.95)
        vsic = vsic_of(name, "01190" if ownership == "cooperative" else "46900")
        workers = max(in_membership, math.ceil(in_membership / rate))
        zone = None
        if u.parent == KCN and u.address:
            zone = next((z for z, _, _ in INDUSTRIAL_ZONES if z in u.address), None)
        assert u.commune_code and u.address
        spec = EnterpriseSpec(
            tax_code=self.tax.next(),
            name=name,
            ownership=ownership,
            vsic_code=vsic,
            commune_code=u.commune_code,
            address=u.address,
            responsible=responsible_union(u, self.communes),
            union=u.code,
            surveys=self.surveys(workers, vsic, True),
            industrial_zone=zone,
        )
        self.contact(spec, foreign)
        return spec

    def _brand(self) -> str:
        first, second = self.rng.sample(BRAND_SYLLABLES, 2)
        return f"{first} {second}"

    def _unionless_name(self, d: District) -> tuple[str, bool]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            trade = rng.choice(N.FOREIGN_TRADES)
            brand = rng.choice(N.FOREIGN_BRANDS)
            return f"Công ty TNHH {trade} {brand} {rng.choice(('Việt Nam', 'Vina'))}", True
        if roll < 0.25:
            owner = self.people.full_name(rng.choice(("male", "female")))
            return f"Doanh nghiệp tư nhân {owner}", False
        form = rng.choice(("Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"))
        place = f" {d.name}" if rng.random() < 0.2 else ""
        return f"{form} {rng.choice(N.ENTERPRISE_TRADES)} {self._brand()}{place}", False

    def unionless(self) -> EnterpriseSpec:
        """An enterprise without a grassroots union; about a quarter employ 20 or more."""
        rng = self.rng
        zone: str | None = None
        if rng.random() < 0.12:
            zone, dkey, old = rng.choice(INDUSTRIAL_ZONES)
            d = DISTRICT_BY_KEY[dkey]
            street = f"Lô {rng.choice('ABCDEFGH')}{rng.randint(1, 60)}, {zone}"
        else:
            d = rng.choices(DISTRICTS, [x.grassroots for x in DISTRICTS])[0]
            old = rng.choice(d.old_communes)
            street = self.units.street(d, old)
        name, foreign = self._unionless_name(d)
        name = self.units.unique(lambda: name)
        if rng.random() < GAP_SHARE:
            workers = min(3000, max(20, round(rng.lognormvariate(math.log(45), 0.8))))
        else:
            workers = rng.randint(2, 19)
        vsic = vsic_of(name)
        spec = EnterpriseSpec(
            tax_code=self.tax.next(),
            name=name,
            ownership="fdi"
            if foreign
            else rng.choices(("non_state_domestic", "state"), (98, 2))[0],
            vsic_code=vsic,
            commune_code=OLD_COMMUNE_CODES[(d.key, old)],
            address=old_address(d, old, street),
            responsible=KCN if zone and zone.startswith("KCN") else self.communes[(d.key, old)],
            union=None,
            surveys=self.surveys(workers, vsic, False),
            industrial_zone=zone,
            operating_status=rng.choices(("operating", "suspended", "dissolved"), (92, 5, 3))[0],
        )
        assert new_commune_of(d, old)  # the location exists on the 2025 map
        self.contact(spec, foreign)
        return spec


def plan_enterprises(
    plan: DemoPlan, in_membership: dict[str, int], rng: random.Random, total: int | None = None
) -> list[EnterpriseSpec]:
    """Enterprises of every enterprise/cooperative union, then those without a union: 30% more
    by default, or as many as make `total`."""
    maker = FirmMaker(plan, rng)
    out = [
        maker.linked(u, in_membership.get(u.code, 0))
        for u in plan.unions
        if u.kind in ("enterprise_union", "cooperative_union") and u.level == "grassroots"
    ]
    extra = round(len(out) * UNIONLESS_SHARE) if total is None else max(0, total - len(out))
    out.extend(maker.unionless() for _ in range(extra))
    return out
