"""Grassroots unions, occupational unions and union groups of the demo plan."""

import random
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial

from unionhub_dev.demo import names as N
from unionhub_dev.demo.places import (
    DISTRICT_BY_KEY,
    DISTRICTS,
    INDUSTRIAL_ZONES,
    OLD_COMMUNE_CODES,
    District,
    old_address,
)
from unionhub_dev.demo.specs import UnionSpec

MIN_PER_DISTRICT = 4
FIRST_FOUNDING = date(2000, 1, 1)
LAST_FOUNDING = date(2022, 12, 31)

# District unit templates and their weights; the first three of every district are fixed so
# even a tiny scale has a school (moves to a commune union in 2025), a district agency (moves
# to the province) and an enterprise.
_TEMPLATES = (
    ("school", 30),
    ("commune_agency", 10),
    ("district_agency", 7),
    ("service_unit", 3),
    ("enterprise", 38),
    ("cooperative", 7),
    ("occupational", 5),
)
_FIXED = ("school", "district_agency", "enterprise")

_HAMLETS = ("1", "2", "3", "4", "5", "Mỹ Thạnh", "Hòa Bình", "Tân Xuân", "Bình Thới", "Long Hòa")
_STATIONS = ("Khuyến nông", "Trồng trọt và BVTV", "Chăn nuôi và Thú y", "Thủy lợi")

_KIND_BY_PREFIX = (
    ("Trường", "school_union"),
    ("Bệnh viện", "public_service_unit_union"),
    ("Trung tâm", "public_service_unit_union"),
    ("Thư viện", "public_service_unit_union"),
    ("Bảo tàng", "public_service_unit_union"),
    ("Đài", "public_service_unit_union"),
    ("Báo", "public_service_unit_union"),
    ("Đoàn Nghệ thuật", "public_service_unit_union"),
    ("Cơ sở", "public_service_unit_union"),
    ("Nhà Văn hóa", "public_service_unit_union"),
    ("Phòng khám", "public_service_unit_union"),
    ("Trạm", "public_service_unit_union"),
    ("Ban Quản lý dự án", "public_service_unit_union"),
    ("Công ty", "enterprise_union"),
    ("Bưu điện", "enterprise_union"),
    ("Doanh nghiệp", "enterprise_union"),
    ("Hợp tác xã", "cooperative_union"),
)


def kind_of(unit: str) -> str:
    for prefix, kind in _KIND_BY_PREFIX:
        if unit.startswith(prefix):
            return kind
    return "agency_union"


def commune_label(old: str, d: District) -> str:
    """'Xã Hậu Mỹ Bắc A' -> 'xã Hậu Mỹ Bắc A'; numbered wards get their district."""
    word, rest = old.split(" ", 1) if not old.startswith("Thị trấn") else ("thị trấn", old[9:])
    label = f"{word.lower()} {rest}"
    return f"{label}, {d.full_name}" if rest[0].isdigit() else label


def bare(old: str) -> str:
    """'Xã Hậu Mỹ Bắc A' -> 'Hậu Mỹ Bắc A'."""
    return old[9:] if old.startswith("Thị trấn") else old.split(" ", 1)[1]


class UnitMaker:
    """Draws unit names, dates, addresses from one random stream; keeps names unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.serial: Counter[str] = Counter()

    # -- small draws ---------------------------------------------------------------------
    def phone(self) -> str:
        return f"0273 3{self.rng.randint(800000, 899999)}"

    def founded(self, not_before: date) -> date:
        start = max(FIRST_FOUNDING, not_before + timedelta(days=30))
        return start + timedelta(days=self.rng.randint(0, (LAST_FOUNDING - start).days))

    def unique(self, draw: Callable[[], str]) -> str:
        for _ in range(12):
            name = draw()
            if name not in self.used:
                break
        n = 2
        base = name
        while name in self.used:
            name = f"{base} số {n}"
            n += 1
        self.used.add(name)
        return name

    def street(self, d: District, old: str) -> str:
        if old.startswith(("Phường", "Thị trấn")):
            return f"Số {self.rng.randint(1, 350)} {self.rng.choice(d.streets)}"
        return f"Ấp {self.rng.choice(_HAMLETS)}"

    def _pick(self, head: str, choices: Sequence[str], tail: str) -> str:
        return f"{head} {self.rng.choice(choices)} {tail}"

    def _school_name(self, old: str) -> str:
        grade = self.rng.choice(("Trường Mầm non", "Trường Tiểu học", "Trường THCS"))
        if old.startswith(("Phường", "Thị trấn")) or self.rng.random() < 0.3:
            return f"{grade} {self.rng.choice(N.SCHOOL_PATRONS)}"
        return f"{grade} {bare(old)}"

    def enterprise_name(self, place: str | None) -> str:
        form = self.rng.choices(
            [f for f, _ in N.ENTERPRISE_FORMS], [w for _, w in N.ENTERPRISE_FORMS]
        )[0]
        name = (
            f"{form} {self.rng.choice(N.ENTERPRISE_TRADES)} {self.rng.choice(N.ENTERPRISE_BRANDS)}"
        )
        return f"{name} {place}" if place and self.rng.random() < 0.35 else name

    def spec(
        self,
        unit: str,
        *,
        code: str,
        parent: str,
        parent_founded: date,
        sector: str,
        d: District,
        old: str,
        kind: str | None = None,
        level: str = "grassroots",
        to_province: bool = False,
        issuer: str = "LĐLĐ",
        street: str | None = None,
    ) -> UnionSpec:
        founded = self.founded(parent_founded)
        name = unit if level == "occupational" else f"Công đoàn cơ sở {unit}"
        return UnionSpec(
            code=code,
            name=name,
            level=level,
            kind=kind or ("occupational_union" if level == "occupational" else kind_of(unit)),
            sector=sector,
            parent=parent,
            founded_on=founded,
            decision_no=f"{self.rng.randint(1, 480)}/QĐ-{issuer}",
            decision_date=founded - timedelta(days=self.rng.randint(0, 21)),
            address=old_address(d, old, street or self.street(d, old)),
            commune_code=OLD_COMMUNE_CODES[(d.key, old)],
            phone=self.phone(),
            district=d.key,
            locality=old,
            to_province=to_province,
        )

    def next_code(self, prefix: str) -> str:
        self.serial[prefix] += 1
        return f"{prefix}-{self.serial[prefix]:04d}"

    # -- district federations -----------------------------------------------------------
    def district_grassroots(self, d: District, parent: str, scale: float) -> list[UnionSpec]:
        rng = self.rng
        count = max(MIN_PER_DISTRICT, round(d.grassroots * scale))
        agencies = [a.format(d=d.full_name, party=d.party_office) for a in N.DISTRICT_AGENCIES]
        services = [s.format(d=d.full_name) for s in N.DISTRICT_SERVICE_UNITS]
        communes = list(d.old_communes)
        rng.shuffle(agencies)
        rng.shuffle(services)
        untouched = list(communes)
        rng.shuffle(untouched)
        out: list[UnionSpec] = []
        for i in range(count):
            template = (
                _FIXED[i]
                if i < len(_FIXED)
                else rng.choices([t for t, _ in _TEMPLATES], [w for _, w in _TEMPLATES])[0]
            )
            if template == "commune_agency" and not untouched:
                template = "enterprise"
            if template == "district_agency" and not agencies:
                template = "enterprise"
            if template == "service_unit" and not services:
                template = "enterprise"
            old = rng.choice(communes)
            sector, level, to_province = "non_state", "grassroots", False
            if template == "school":
                sector = "state"
                unit = self.unique(partial(self._school_name, old))
            elif template == "commune_agency":
                sector, old = "state", untouched.pop()
                unit = self.unique(partial(str, f"Ủy ban nhân dân {commune_label(old, d)}"))
            elif template == "district_agency":
                sector, to_province, old = "state", True, communes[0]
                unit = self.unique(agencies.pop)
            elif template == "service_unit":
                sector, to_province, old = "state", True, communes[0]
                unit = self.unique(services.pop)
            elif template == "cooperative":
                trades = N.COOPERATIVE_TRADES
                unit = self.unique(partial(self._pick, "Hợp tác xã", trades, bare(old)))
            elif template == "occupational":
                level = "occupational"
                place = commune_label(old, d)
                unit = self.unique(partial(self._pick, "Nghiệp đoàn", N.OCCUPATIONS, place))
            else:
                to_province = i >= len(_FIXED) and rng.random() < 0.2
                unit = self.unique(partial(self.enterprise_name, d.name))
            out.append(
                self.spec(
                    unit,
                    code=self.next_code(parent),
                    parent=parent,
                    parent_founded=d.founded_on,
                    sector=sector,
                    d=d,
                    old=old,
                    level=level,
                    to_province=to_province,
                )
            )
        return out

    # -- sector unions ------------------------------------------------------------------
    def sector_grassroots(
        self, key: str, parent: str, parent_founded: date, sector: str, base: int, scale: float
    ) -> list[UnionSpec]:
        rng = self.rng
        count = max(1, round(base * scale))
        pool: list[str] = {
            "GD": list(N.HIGH_SCHOOLS),
            "YT": list(N.HEALTH_UNITS),
            "CTN": list(N.TRADE_UNITS),
            "NN": list(N.AGRICULTURE_UNITS),
            "VC": list(N.PROVINCE_AGENCIES),
            "KCN": [],
        }[key]
        out: list[UnionSpec] = []
        for _ in range(count):
            # Provincial bodies sit in Mỹ Tho's wards unless their name says otherwise.
            d = DISTRICTS[0] if pool else rng.choice(DISTRICTS)
            old = rng.choice(d.old_communes[:5] if pool else d.old_communes)
            unit_sector, street = "state", None
            if key == "KCN":
                zone, dkey, old = rng.choice(INDUSTRIAL_ZONES)
                d = DISTRICT_BY_KEY[dkey]
                street = f"Lô {rng.choice('ABCDEFGH')}{rng.randint(1, 40)}, {zone}"
                unit_sector = "non_state"
                unit = self.unique(self._kcn_enterprise)
            elif pool:
                unit = self.unique(partial(str, pool.pop(0)))
                for other in DISTRICTS[1:3]:
                    if f"khu vực {other.name}" in unit:
                        d, old = other, other.old_communes[0]
            else:
                unit, unit_sector = self._sector_extra(key, d, old)
            out.append(
                self.spec(
                    unit,
                    code=self.next_code(parent),
                    parent=parent,
                    parent_founded=parent_founded,
                    sector=unit_sector,
                    d=d,
                    old=old,
                    issuer="LĐLĐ",
                    street=street,
                )
            )
        return out

    def _kcn_enterprise(self) -> str:
        if self.rng.random() < 0.55:
            suffix = self.rng.choice(("Việt Nam", "Tiền Giang", "Vina"))
            return (
                f"Công ty TNHH {self.rng.choice(N.FOREIGN_TRADES)} "
                f"{self.rng.choice(N.FOREIGN_BRANDS)} {suffix}"
            )
        return self.enterprise_name(None)

    def _sector_extra(self, key: str, d: District, old: str) -> tuple[str, str]:
        rng = self.rng
        if key == "GD":
            return self.unique(lambda: f"Trường THPT {bare(old)}"), "state"
        if key == "YT":
            return self.unique(lambda: f"Phòng khám Đa khoa khu vực {bare(old)}"), "state"
        if key == "NN":
            return self.unique(lambda: f"Trạm {rng.choice(_STATIONS)} {d.full_name}"), "state"
        if key == "VC":
            return self.unique(
                lambda: f"Chi nhánh Văn phòng Đăng ký đất đai {d.full_name}"
            ), "state"
        sector = "state" if rng.random() < 0.4 else "non_state"
        return self.unique(lambda: self.enterprise_name(d.name)), sector

    # -- union groups -------------------------------------------------------------------
    def union_groups(self, unions: Sequence[UnionSpec], showcase: str) -> list[UnionSpec]:
        """A few union groups (tổ công đoàn) inside some grassroots unions."""
        rng = self.rng
        out: list[UnionSpec] = []
        for u in unions:
            if u.level != "grassroots" or u.kind not in N.UNION_GROUPS:
                continue
            if u.code != showcase and rng.random() >= 0.03:
                continue
            names = list(N.UNION_GROUPS[u.kind])
            rng.shuffle(names)
            for i, group in enumerate(names[: rng.randint(2, 4)], start=1):
                founded = min(
                    u.founded_on + timedelta(days=rng.randint(20, 700)), date(2024, 12, 31)
                )
                out.append(
                    UnionSpec(
                        code=f"{u.code}-T{i:02d}",
                        name=f"Tổ công đoàn {group.removeprefix('Tổ ')}",
                        level="union_group",
                        kind="internal_unit",
                        sector=u.sector,
                        parent=u.code,
                        founded_on=founded,
                        decision_no=f"{rng.randint(1, 60)}/QĐ-CĐCS",
                        decision_date=founded - timedelta(days=rng.randint(0, 10)),
                        district=u.district,
                        locality=u.locality,
                    )
                )
        return out
