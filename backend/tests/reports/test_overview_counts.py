"""The overview reads maintained counts (`enterprise_counts`, and the month rollups of the
flows, `member_flow_rollups`): they follow every change to enterprises, their unions and the
register in the same transaction, agree with `unionhub counts check`, and give the figures the
overview once computed from the registers themselves (the queries below), through a union
founded, dissolved and merged, an enterprise handed to another district and re-surveyed, and
admissions this month."""

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.enterprises.helpers import fresh_tax_code
from tests.factories import Factory
from tests.members.helpers import admit
from unionhub.authz.permissions import Permission, Role
from unionhub.authz.principal import Assignment, Principal
from unionhub.authz.scope import covering, subtree_ids
from unionhub.enterprises import counts as enterprise_counts
from unionhub.enterprises.models import Enterprise
from unionhub.members import counts, counts_rebuild
from unionhub.members.models import Member, MemberFlowCount
from unionhub.unions.models import Union

OVERVIEW = "/api/v1/reports/overview"
UNIONS = "/api/v1/unions"


async def _register_figures(db: AsyncSession, ids: Select[uuid.UUID]) -> tuple[int, ...]:
    """The overview's enterprise figures counted from the enterprises (its former query)."""
    unionized = (
        select(Union.enterprise_id)
        .where(Union.status == "active", Union.enterprise_id.is_not(None))
        .distinct()
        .subquery()
    )
    has_union = unionized.c.enterprise_id.is_not(None)
    operating = Enterprise.operating_status == "operating"
    eligible = and_(operating, Enterprise.total_workers >= 20, ~has_union)
    row = (
        await db.execute(
            select(
                func.count(),
                func.count().filter(operating),
                func.count().filter(has_union),
                func.count().filter(eligible),
                func.coalesce(func.sum(case((eligible, Enterprise.total_workers), else_=0)), 0),
            )
            .select_from(Enterprise)
            .outerjoin(unionized, unionized.c.enterprise_id == Enterprise.id)
            .where(Enterprise.responsible_union_id.in_(ids))
        )
    ).one()
    return tuple(int(v) for v in row)


async def _daily_months(
    db: AsyncSession, ids: Select[uuid.UUID], start: date, end: date
) -> dict[date, int]:
    """Admissions per month summed from the daily flow counts (the overview's former read)."""
    f = MemberFlowCount
    month = func.date_trunc("month", f.day)
    rows = await db.execute(
        select(month, func.sum(f.n))
        .where(f.union_id.in_(ids), f.kind == "admitted", f.day >= start, f.day <= end)
        .group_by(month)
    )
    return {r[0].date(): int(r[1]) for r in rows if r[1]}


async def _enterprise(
    db: AsyncSession, name: str, responsible: Union, workers: int | None
) -> Enterprise:
    e = Enterprise(
        tax_code=fresh_tax_code(),
        name=name,
        ownership="fdi",
        responsible_union_id=responsible.id,
        search_text=name.lower(),
        total_workers=workers,
        version=1,
    )
    db.add(e)
    await db.flush()
    return e


async def test_maintained_counts_give_the_register_figures_through_every_change(
    factory: Factory, db: AsyncSession
) -> None:
    province = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(province, name="LĐLĐ huyện A")
    b = await factory.union(province, name="LĐLĐ huyện B")
    admin = await factory.headers_for("admin", province)
    officer_a = await factory.headers_for("union_officer", a)
    scopes = {"province": subtree_ids(province.id), "a": subtree_ids(a.id), "b": subtree_ids(b.id)}

    async def agree() -> None:
        assert await counts_rebuild.check(db) == []
        for name, ids in scopes.items():
            kept = await enterprise_counts.figures(db, ids)
            counted = await _register_figures(db, ids)
            assert (
                kept.total,
                kept.operating,
                kept.with_union,
                kept.eligible_without_union,
                kept.workers_without_union,
            ) == counted, name

    big = await _enterprise(db, "Công ty Lớn", a, 120)
    edge = await _enterprise(db, "Công ty Hai Mươi", a, 19)
    await _enterprise(db, "Công ty Chưa Khảo Sát", a, None)
    other = await _enterprise(db, "Công ty B", b, 500)
    await agree()

    # A union founded in an enterprise; another enterprise reaches 20 workers; one suspends.
    big_union = await factory.union(a, name="CĐCS Công ty Lớn", enterprise_id=big.id)
    await db.execute(update(Enterprise).where(Enterprise.id == edge.id).values(total_workers=20))
    await db.execute(
        update(Enterprise).where(Enterprise.id == other.id).values(operating_status="suspended")
    )
    await agree()
    assert (await enterprise_counts.figures(db, scopes["a"])).eligible_without_union == 1

    # The union is dissolved, then a new one founded; an enterprise changes district.
    r = await factory.client.post(
        f"{UNIONS}/{big_union.id}/dissolve",
        json={"effective_date": "2025-01-01", "decision_no": "1/QĐ"},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    await agree()
    assert (await enterprise_counts.figures(db, scopes["a"])).eligible_without_union == 2
    await factory.union(b, name="CĐCS Công ty Hai Mươi", enterprise_id=edge.id)
    await db.execute(
        update(Enterprise).where(Enterprise.id == edge.id).values(responsible_union_id=b.id)
    )
    await agree()
    # A union re-pointed to another enterprise (two enterprises change at once).
    await db.execute(
        text("UPDATE unions SET enterprise_id = :e WHERE enterprise_id = :old"),
        {"e": other.id, "old": edge.id},
    )
    await agree()

    # Admissions this month and earlier in the year, then district A merged into B.
    today = date.today()
    grassroots = await factory.union(a, name="CĐCS Trường A")
    for day in (today, today.replace(day=1), today - timedelta(days=40), date(today.year, 1, 1)):
        await admit(factory, officer_a, grassroots, admission_date=day.isoformat())
    r = await factory.client.post(
        f"{UNIONS}/{a.id}/merge",
        json={"effective_date": today.isoformat(), "decision_no": "2/QĐ", "target_id": str(b.id)},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    await agree()

    # The months from the month rollups (and this month's days) equal the days summed, over
    # any range: whole months, parts of months at either end, a single day.
    # The overview's first month: eleven months before this one.
    first = date(today.year - (today.month < 12), (today.month - 12) % 12 + 1, 1)
    for ids in scopes.values():
        for start, end in (
            (first, today),
            (date(today.year, 1, 1), today),
            (date(today.year, 1, 15), today - timedelta(days=1)),
            (today, today),
            (today.replace(day=1), today.replace(day=1)),
        ):
            assert await counts.flows_by_month(db, ids, start, end, "admitted") == (
                await _daily_months(db, ids, start, end)
            ), (start, end)

    # And the overview shows them.
    body = (await factory.client.get(OVERVIEW, headers=admin)).json()
    months = {m["month"]: m["admissions"] for m in body["admissions_by_month"]}
    assert months[today.strftime("%Y-%m")] >= 2
    assert body["members"]["new_this_year"] == 4
    e = body["enterprises"]
    assert (
        e["total"],
        e["operating"],
        e["with_union"],
        e["eligible_without_union"],
        e["workers_without_union"],
    ) == await _register_figures(db, scopes["province"])


async def test_check_finds_drift_in_the_overview_counts_and_rebuild_mends_it(
    factory: Factory, db: AsyncSession
) -> None:
    province = await factory.union(name="Liên đoàn Lao động tỉnh")
    officer = await factory.headers_for("union_officer", province)
    district = await factory.union(province, name="LĐLĐ huyện Một")
    grassroots = await factory.union(district, name="CĐCS Công ty Một")
    await _enterprise(db, "Công ty Một", province, 80)
    await admit(factory, officer, grassroots, admission_date=date.today().isoformat())
    # Something wrote around the triggers.
    await db.execute(text("UPDATE enterprise_counts SET workers = workers + 1"))
    await db.execute(text("DELETE FROM enterprise_counts WHERE NOT founding_size"))
    drift = await counts_rebuild.check(db)
    assert {d.table for d in drift} == {"enterprise_counts"}
    written = await counts_rebuild.rebuild(db)
    assert written["enterprise_counts"] > 0
    assert await counts_rebuild.check(db) == []


async def _figures_from_records(db: AsyncSession, root: Union) -> dict[str, object]:
    """The overview's figures for `root`'s subtree counted from the records themselves."""
    ids = subtree_ids(root.id)
    rows = (
        await db.execute(
            select(Member.status, Member.gender, func.count())
            .where(Member.union_id.in_(ids))
            .group_by(Member.status, Member.gender)
        )
    ).all()
    today = date.today()
    first = date(today.year - (today.month < 12), (today.month - 12) % 12 + 1, 1)
    months = await _daily_months(db, ids, first, today)
    unions = await db.scalar(
        select(func.count()).where(Union.id.in_(ids), Union.status == "active")
    )
    return {
        "active": sum(n for s, _, n in rows if s == "active"),
        "suspended": sum(n for s, _, n in rows if s == "suspended"),
        "female": sum(n for s, g, n in rows if s == "active" and g == "female"),
        "new_this_year": sum(n for m, n in months.items() if m.year == today.year),
        "months": {m.strftime("%Y-%m"): n for m, n in months.items()},
        "unions": unions,
        "enterprises": await _register_figures(db, ids),
    }


def _overview_figures(body: dict[str, Any]) -> dict[str, object]:
    e = body["enterprises"]
    return {
        **{k: body["members"][k] for k in ("active", "suspended", "female", "new_this_year")},
        "months": {
            m["month"]: m["admissions"] for m in body["admissions_by_month"] if m["admissions"]
        },
        "unions": body["unions_total"],
        "enterprises": (
            e["total"],
            e["operating"],
            e["with_union"],
            e["eligible_without_union"],
            e["workers_without_union"],
        ),
    }


def _officer_at(*unions: Union) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="officer",
        full_name="officer",
        session_id=None,
        assignments=tuple(
            Assignment(uuid.uuid4(), Role.UNION_OFFICER, u.id, u.path, u.name) for u in unions
        ),
    )


async def test_a_province_officer_overview_is_the_records_sum_and_leaves_out_another_province(
    factory: Factory, db: AsyncSession
) -> None:
    # The province's officer (not an admin) covers the only tree: the overview's statements
    # take no union condition. A second province appears: the officer no longer covers every
    # union, and its members, admissions, unions and enterprises stay out of the overview.
    province = await factory.union(name="Liên đoàn Lao động tỉnh Đồng Tháp")
    district_a = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    district_b = await factory.union(province, name="LĐLĐ thành phố Mỹ Tho")
    grassroots_a = await factory.union(district_a, name="CĐCS Công ty Thủy sản")
    grassroots_b = await factory.union(district_b, name="CĐCS Công ty May")
    officer = await factory.headers_for("union_officer", province)
    today = date.today()
    for union, gender, day in (
        (grassroots_a, "female", today),
        (grassroots_a, "male", today.replace(day=1)),
        (grassroots_b, "female", today - timedelta(days=40)),
        (grassroots_b, "female", date(today.year - 1, 6, 1)),
    ):
        await admit(factory, officer, union, gender=gender, admission_date=day.isoformat())
    await _enterprise(db, "Công ty Thủy sản", district_a, 120)
    await _enterprise(db, "Công ty May", district_b, 30)

    roots = await db.scalar(select(func.count()).where(Union.parent_id.is_(None)))
    p = _officer_at(province)
    wanted = [Permission.UNIONS_READ, Permission.MEMBERS_READ, Permission.ENTERPRISES_READ]
    assert await covering(db, p, wanted) == (frozenset(wanted) if roots == 1 else frozenset())

    async def overview(**params: str) -> dict[str, Any]:
        r = await factory.client.get(OVERVIEW, params=params, headers=officer)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    expected = await _figures_from_records(db, province)
    assert expected["active"] == 4 and expected["female"] == 3
    body = await overview()
    assert _overview_figures(body) == expected
    bars = {c["name"]: c["members"] for c in body["members_by_child"]}
    assert bars == {"LĐLĐ huyện Cái Bè": 2, "LĐLĐ thành phố Mỹ Tho": 2}
    district = await overview(union_id=str(district_a.id))
    assert _overview_figures(district) == await _figures_from_records(db, district_a)

    other = await factory.union(name="Liên đoàn Lao động tỉnh Vĩnh Long")
    other_grassroots = await factory.union(await factory.union(other))
    other_officer = await factory.headers_for("union_officer", other)
    await admit(factory, other_officer, other_grassroots, gender="female",
                admission_date=today.isoformat())  # fmt: skip
    await _enterprise(db, "Công ty Vĩnh Long", other_grassroots, 200)
    assert await covering(db, p, wanted) == frozenset()
    both = _officer_at(province, other)
    assert await covering(db, both, wanted) == (frozenset(wanted) if roots == 1 else frozenset())
    assert _overview_figures(await overview()) == expected
    assert _overview_figures(await overview(union_id=str(district_a.id))) == (
        await _figures_from_records(db, district_a)
    )
    theirs = await _figures_from_records(db, other)
    assert theirs["active"] == 1
    r = await factory.client.get(OVERVIEW, headers=other_officer)
    assert _overview_figures(r.json()) == theirs
