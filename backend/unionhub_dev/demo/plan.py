"""The demo data as plain data: what to found, rename, move, dissolve and which accounts to make.

`build_plan(seed, scale)` is pure and deterministic (one `random.Random(seed)`, no clock, no
database), so tests compare two plans instead of writing twice, and later steps (members,
enterprises, cadres) can extend the plan from the unions it already holds.
"""

import random
from datetime import date, timedelta

from unionhub_dev.demo import grassroots
from unionhub_dev.demo.places import (
    DISTRICTS,
    PROVINCE_NEW,
    PROVINCE_OLD,
    District,
    new_commune_code,
    old_address,
)
from unionhub_dev.demo.places import OLD_COMMUNE_CODES as CODES
from unionhub_dev.demo.specs import DemoPlan, Dissolve, Move, Rename, UnionSpec, UserSpec

PROVINCE_CODE = "TG"
REORG_DAY = date(2025, 7, 1)
REORG_DECIDED = date(2025, 6, 30)
PASSWORD = "UnionHub@2026"


# key, name, short name, kind, sector, founded, dissolved in July 2025, grassroots at scale 1.0
SECTOR_UNIONS = (
    (
        "GD",
        f"Công đoàn Giáo dục tỉnh {PROVINCE_OLD}",
        "CĐ Giáo dục tỉnh",
        "sector_union",
        "state",
        date(1980, 10, 20),
        True,
        60,
    ),
    (
        "YT",
        f"Công đoàn Y tế tỉnh {PROVINCE_OLD}",
        "CĐ Y tế tỉnh",
        "sector_union",
        "state",
        date(1985, 3, 1),
        True,
        35,
    ),
    (
        "CTN",
        f"Công đoàn Công Thương {PROVINCE_OLD}",
        "CĐ Công Thương",
        "sector_union",
        "state",
        date(2008, 6, 16),
        True,
        45,
    ),
    (
        "NN",
        f"Công đoàn Nông nghiệp và Phát triển nông thôn {PROVINCE_OLD}",
        "CĐ Nông nghiệp & PTNT",
        "sector_union",
        "state",
        date(1992, 4, 10),
        True,
        30,
    ),
    (
        "VC",
        f"Công đoàn Viên chức tỉnh {PROVINCE_OLD}",
        "CĐ Viên chức tỉnh",
        "public_servants_union",
        "state",
        date(2004, 5, 20),
        False,
        60,
    ),
    (
        "KCN",
        f"Công đoàn các Khu công nghiệp {PROVINCE_OLD}",
        "CĐ các KCN",
        "industrial_zone_union",
        "non_state",
        date(2007, 8, 15),
        False,
        260,
    ),
)

DEMO_USERS = (
    ("admin", "Lê Minh Tuấn"),
    ("tinh", "Nguyễn Thị Thu Hà"),
    ("mytho", "Trần Văn Phước"),
    ("caibe", "Phạm Thị Ngọc Hân"),
    ("cdcs", "Võ Thanh Tùng"),
    ("viewer", "Huỳnh Thị Mai"),
)


def build_plan(seed: int, scale: float) -> DemoPlan:
    """The whole demo data set for this seed and scale (1.0: about 1,400 grassroots unions)."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    rng = random.Random(seed)
    plan = DemoPlan(seed=seed, scale=scale)
    units = grassroots.UnitMaker(rng)
    plan.unions.append(_province())
    for d in DISTRICTS:
        plan.unions.append(_district_federation(d, rng))
        plan.unions.extend(units.district_grassroots(d, f"{PROVINCE_CODE}-{d.key}", scale))
    for key, name, short, kind, sector, founded, _, count in SECTOR_UNIONS:
        code = f"{PROVINCE_CODE}-{key}"
        plan.unions.append(
            UnionSpec(
                code=code,
                name=name,
                short_name=short,
                level="direct_superior",
                kind=kind,
                sector=sector,
                parent=PROVINCE_CODE,
                founded_on=founded,
                decision_no=f"{rng.randint(10, 90)}/QĐ-LĐLĐ",
                decision_date=founded - timedelta(days=rng.randint(3, 20)),
                address=old_address(DISTRICTS[0], "Phường 1", f"Số {rng.randint(2, 120)} Lê Lợi"),
                commune_code=CODES[("MT", "Phường 1")],
                phone=units.phone(),
                district="MT",
                locality="Phường 1",
            )
        )
        plan.unions.extend(units.sector_grassroots(key, code, founded, sector, count, scale))
    plan.showcase_grassroots = next(
        u.code
        for u in plan.unions
        if u.parent == f"{PROVINCE_CODE}-MT" and u.kind == "school_union" and not u.to_province
    )
    plan.unions.extend(units.union_groups(plan.unions, plan.showcase_grassroots))
    _reorganisation(plan, rng)
    _users(plan)
    return plan


def _province() -> UnionSpec:
    return UnionSpec(
        code=PROVINCE_CODE,
        name=f"Liên đoàn Lao động tỉnh {PROVINCE_OLD}",
        short_name=f"LĐLĐ tỉnh {PROVINCE_OLD}",
        level="province_federation",
        kind="province_federation",
        sector="state",
        parent=None,
        founded_on=date(1976, 3, 1),
        decision_no="27/QĐ-TCĐ",
        decision_date=date(1976, 2, 20),
        address=old_address(DISTRICTS[0], "Phường 1", "Số 2 đường 30 Tháng 4"),
        commune_code=CODES[("MT", "Phường 1")],
        phone="0273 3872 529",
        district="MT",
        locality="Phường 1",
    )


def _district_federation(d: District, rng: random.Random) -> UnionSpec:
    seat = d.old_communes[0]
    return UnionSpec(
        code=f"{PROVINCE_CODE}-{d.key}",
        name=f"Liên đoàn Lao động {d.full_name}",
        short_name=f"LĐLĐ {d.short_name}",
        level="direct_superior",
        kind="district_federation",
        sector="state",
        parent=PROVINCE_CODE,
        founded_on=d.founded_on,
        decision_no=f"{rng.randint(10, 300)}/QĐ-LĐLĐ",
        decision_date=d.founded_on - timedelta(days=rng.randint(3, 20)),
        address=old_address(d, seat, f"Số {rng.randint(1, 200)} {rng.choice(d.streets)}"),
        commune_code=CODES[(d.key, seat)],
        phone=f"0273 38{rng.randint(10000, 99999)}",
        district=d.key,
        locality=seat,
    )


def commune_union_code(d: District, index: int) -> str:
    return f"{PROVINCE_CODE}-{d.key}-X{index + 1:02d}"


def _reorganisation(plan: DemoPlan, rng: random.Random) -> None:
    """1 July 2025: rename to Đồng Tháp, found commune/ward unions, move, dissolve."""
    decision = iter(range(rng.randint(1100, 1200), 10_000))

    def no(issuer: str = "LĐLĐ") -> str:
        return f"{next(decision)}/QĐ-{issuer}"

    plan.renames.append(
        Rename(
            PROVINCE_CODE,
            f"Liên đoàn Lao động tỉnh {PROVINCE_NEW}",
            f"LĐLĐ tỉnh {PROVINCE_NEW}",
            REORG_DAY,
            no("TLĐ"),
            date(2025, 6, 27),
        )
    )
    for key, name, short, *_ in SECTOR_UNIONS:
        if key in ("VC", "KCN"):
            plan.renames.append(
                Rename(
                    f"{PROVINCE_CODE}-{key}",
                    name.replace(PROVINCE_OLD, PROVINCE_NEW),
                    short,
                    REORG_DAY,
                    no(),
                    REORG_DECIDED,
                )
            )
    new_parent_of: dict[tuple[str, str], str] = {}
    for d in DISTRICTS:
        for i, c in enumerate(d.communes):
            code = commune_union_code(d, i)
            word, rest = c.name.split(" ", 1)
            plan.new_unions.append(
                UnionSpec(
                    code=code,
                    name=f"Công đoàn {word.lower()} {rest}",
                    level="direct_superior",
                    kind="commune_union",
                    sector="state",
                    parent=PROVINCE_CODE,
                    founded_on=REORG_DAY,
                    decision_no=no(),
                    decision_date=REORG_DECIDED,
                    address=f"Trụ sở UBND {word.lower()} {rest}, tỉnh {PROVINCE_NEW}",
                    commune_code=new_commune_code(d, c),
                    district=d.key,
                )
            )
            for old in c.old:
                new_parent_of[(d.key, old)] = code
    note = "Sắp xếp tổ chức công đoàn theo đơn vị hành chính mới từ ngày 01/07/2025"
    ending = "Kết thúc hoạt động theo chủ trương sắp xếp, tinh gọn tổ chức bộ máy"
    for d in DISTRICTS:
        fed = f"{PROVINCE_CODE}-{d.key}"
        move_no = no()
        for u in plan.children_of(fed):
            target = PROVINCE_CODE
            if not u.to_province and u.locality is not None:
                target = new_parent_of[(d.key, u.locality)]
            plan.moves.append(Move(u.code, target, REORG_DAY, move_no, REORG_DECIDED, note))
        plan.dissolutions.append(Dissolve(fed, REORG_DAY, no(), REORG_DECIDED, ending))
    for key, *_, dissolved, _count in SECTOR_UNIONS:
        if not dissolved:
            continue
        sector = f"{PROVINCE_CODE}-{key}"
        move_no = no()
        for u in plan.children_of(sector):
            plan.moves.append(Move(u.code, PROVINCE_CODE, REORG_DAY, move_no, REORG_DECIDED, note))
        plan.dissolutions.append(Dissolve(sector, REORG_DAY, no(), REORG_DECIDED, ending))


def _users(plan: DemoPlan) -> None:
    def taken_over(district_key: str) -> list[str]:
        fed = f"{PROVINCE_CODE}-{district_key}"
        children = {u.code for u in plan.children_of(fed)}
        targets = {m.new_parent for m in plan.moves if m.code in children}
        return [u.code for u in plan.new_unions if u.code in targets]

    roles: dict[str, tuple[tuple[str, str], ...]] = {
        "admin": (("admin", PROVINCE_CODE),),
        "tinh": (("federation_officer", PROVINCE_CODE),),
        "mytho": (
            ("union_officer", f"{PROVINCE_CODE}-MT"),
            *(("union_officer", c) for c in taken_over("MT")),
        ),
        "caibe": (
            ("union_officer", f"{PROVINCE_CODE}-CB"),
            *(("union_officer", c) for c in taken_over("CB")),
        ),
        "cdcs": (("grassroots_officer", plan.showcase_grassroots),),
        "viewer": (("viewer", PROVINCE_CODE),),
    }
    plan.users = [UserSpec(name, full, roles[name]) for name, full in DEMO_USERS]
