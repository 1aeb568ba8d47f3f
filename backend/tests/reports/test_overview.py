from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import Factory
from tests.indicators.helpers import _enterprise
from tests.members.helpers import act, admit
from unionhub.auth.models import RoleAssignment
from unionhub.authz.scope import subtree
from unionhub.members.models import Member
from unionhub.unions.models import Union

MEMBER = {
    "full_name": "Nguyễn Thị Lan",
    "date_of_birth": "1990-05-04",
    "gender": "female",
    "personal_id": "082190123456",
    "admission_date": f"{date.today().year}-01-01",
}


async def test_overview_counts_only_own_scope(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(root, name="LĐLĐ huyện A")
    b = await factory.union(root, name="LĐLĐ huyện B")
    ga = await factory.union(a, name="CĐCS Công ty A")
    gb = await factory.union(b, name="CĐCS Công ty B")
    hb = await factory.headers_for("union_officer", b)
    r = await factory.client.post(
        "/api/v1/members", headers=hb, json={**MEMBER, "union_id": str(gb.id)}
    )
    assert r.status_code == 201, r.text

    ha = await factory.headers_for("union_officer", a)
    r = await factory.client.get("/api/v1/reports/overview", headers=ha)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["root_union_name"] == "LĐLĐ huyện A"
    assert body["members"]["active"] == 0
    assert body["unions_total"] == 2  # the district and its grassroots union
    assert [c["name"] for c in body["members_by_child"]] == []
    assert len(body["admissions_by_month"]) == 12

    r = await factory.client.get("/api/v1/reports/overview", headers=hb)
    body = r.json()
    assert body["members"] == {"active": 1, "suspended": 0, "new_this_year": 1, "female": 1}
    assert body["members_by_child"] == [
        {"union_id": str(gb.id), "name": "CĐCS Công ty B", "short_name": None, "members": 1}
    ]
    this_month = date.today().strftime("%Y-%m")
    assert body["admissions_by_month"][-1]["month"] == this_month

    # Another district's union as the root answers 404, like every foreign id.
    r = await factory.client.get(
        "/api/v1/reports/overview", headers=ha, params={"union_id": str(gb.id)}
    )
    assert r.status_code == 404
    r = await factory.client.get(
        "/api/v1/reports/overview", headers=ha, params={"union_id": str(ga.id)}
    )
    assert r.status_code == 200
    assert r.json()["unions_total"] == 1


async def test_an_officer_of_several_units_sees_them_all_and_can_narrow(factory: Factory) -> None:
    root = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(root, name="Công đoàn phường Một")
    b = await factory.union(root, name="Công đoàn phường Hai")
    ga = await factory.union(a, name="Công đoàn cơ sở Công ty TNHH A")
    gb = await factory.union(b, name="Công đoàn cơ sở Công ty TNHH B")
    user = await factory.user("union_officer", a)
    factory.db.add(RoleAssignment(user_id=user.id, role="union_officer", union_id=b.id))
    factory.db.add(RoleAssignment(user_id=user.id, role="viewer", union_id=ga.id))
    await factory.db.flush()
    h = await factory.login(user.username)
    for union, name, pid in ((ga, "An", "1"), (gb, "Bình", "2"), (gb, "Chi", "3")):
        r = await factory.client.post(
            "/api/v1/members",
            headers=h,
            json={
                **MEMBER,
                "full_name": f"Nguyễn Thị {name}",
                "personal_id": f"08219012345{pid}",
                "union_id": str(union.id),
            },
        )
        assert r.status_code == 201, r.text

    body = (await factory.client.get("/api/v1/reports/overview", headers=h)).json()
    # Every unit held is named (the grassroots one under a held ward too), highest first.
    assert [u["name"] for u in body["held_units"]] == [
        "Công đoàn phường Hai",
        "Công đoàn phường Một",
        "Công đoàn cơ sở Công ty TNHH A",
    ]
    # "All": no single root; one bar per unit apart, the figures over both.
    assert body["root_union_id"] is None
    assert [(c["name"], c["members"]) for c in body["members_by_child"]] == [
        ("Công đoàn phường Hai", 2),
        ("Công đoàn phường Một", 1),
    ]
    assert body["members"]["active"] == 3
    assert body["unions_total"] == 4

    one = (
        await factory.client.get(
            "/api/v1/reports/overview", headers=h, params={"union_id": str(b.id)}
        )
    ).json()
    assert one["root_union_name"] == "Công đoàn phường Hai"
    assert one["members"]["active"] == 2 and one["unions_total"] == 2
    assert len(one["held_units"]) == 3


async def test_overview_enterprise_counts(factory: Factory) -> None:
    """The enterprise figures of the overview: every enterprise the scope is responsible for,
    those operating, those with an active union, and those operating with 20+ workers and no
    active union (with their workers)."""
    root = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(root, name="LĐLĐ huyện A")
    b = await factory.union(root, name="LĐLĐ huyện B")
    big = await _enterprise(factory, "Công ty Lớn", "fdi", a, [(date(2026, 1, 1), 120)])
    await _enterprise(factory, "Công ty Vừa", "fdi", a, [(date(2026, 1, 1), 45)])
    await _enterprise(factory, "Công ty Nhỏ", "fdi", a, [(date(2026, 1, 1), 12)])
    closed = await _enterprise(factory, "Công ty Nghỉ", "fdi", a, [(date(2026, 1, 1), 300)])
    closed.operating_status = "suspended"
    dissolved_union = await _enterprise(factory, "Công ty Cũ", "fdi", a, [(date(2026, 1, 1), 30)])
    await _enterprise(factory, "Công ty B", "fdi", b, [(date(2026, 1, 1), 500)])
    await factory.union(a, name="CĐCS Công ty Lớn", enterprise_id=big.id)
    old = await factory.union(a, name="CĐCS Công ty Cũ", enterprise_id=dissolved_union.id)
    old.status = "dissolved"  # a dissolved union no longer counts as the enterprise's union
    await factory.db.flush()

    ha = await factory.headers_for("union_officer", a)
    r = await factory.client.get("/api/v1/reports/overview", headers=ha)
    assert r.status_code == 200, r.text
    assert r.json()["enterprises"] == {
        "total": 5,
        "operating": 4,
        "with_union": 1,
        "eligible_without_union": 2,
        "workers_without_union": 75,
    }


async def test_the_bars_sum_each_child_subtree_as_the_register_does(
    factory: Factory, db: AsyncSession
) -> None:
    """Each bar is a child of the root with the active members of its whole subtree (the
    grassroots unions under a district included), summed from the maintained counts; a child
    without members and a dissolved child have no bar; ties go by name. The same figures
    counted from the register itself, at the province and at a district."""
    province = await factory.union(name="Liên đoàn Lao động tỉnh")
    a = await factory.union(province, name="LĐLĐ huyện A")
    a1 = await factory.union(a, name="CĐCS Trường A1")
    a2 = await factory.union(a, name="CĐCS Công ty A2")
    b = await factory.union(province, name="LĐLĐ huyện B")
    b1 = await factory.union(b, name="CĐCS Công ty B1")
    direct = await factory.union(province, name="CĐCS Công ty Trực thuộc", level="grassroots")
    await factory.union(province, name="LĐLĐ huyện Không Có Ai")
    gone = await factory.union(province, name="LĐLĐ huyện Cũ")
    gone1 = await factory.union(gone, name="CĐCS Cũ")
    h = await factory.headers_for("union_officer", province)
    for union, n in ((a1, 2), (a2, 1), (b1, 1), (direct, 3), (gone1, 1)):
        for _ in range(n):
            await admit(factory, h, union)
    leaver = await admit(factory, h, a2)
    r = await act(factory, h, leaver["id"], "leave", "2024-06-01", reason="Nghỉ việc")
    assert r.status_code == 200, r.text
    gone.status = "dissolved"
    await db.flush()

    async def register(root: Union) -> list[tuple[str, int]]:
        kids = (
            await db.execute(
                select(Union).where(Union.parent_id == root.id, Union.status == "active")
            )
        ).scalars()
        out = []
        for kid in kids:
            n = await db.scalar(
                select(func.count())
                .select_from(Member)
                .join(Union, Union.id == Member.union_id)
                .where(subtree(kid.path), Member.status == "active")
            )
            if n:
                out.append((kid.name, int(n or 0)))
        return sorted(out, key=lambda kv: (-kv[1], kv[0]))

    body = (await factory.client.get("/api/v1/reports/overview", headers=h)).json()
    bars = [(c["name"], c["members"]) for c in body["members_by_child"]]
    assert bars == [
        ("CĐCS Công ty Trực thuộc", 3),
        ("LĐLĐ huyện A", 3),
        ("LĐLĐ huyện B", 1),
    ]
    assert bars == await register(province)

    body = (
        await factory.client.get(
            "/api/v1/reports/overview", headers=h, params={"union_id": str(a.id)}
        )
    ).json()
    bars = [(c["name"], c["members"]) for c in body["members_by_child"]]
    assert bars == [("CĐCS Trường A1", 2), ("CĐCS Công ty A2", 1)]
    assert bars == await register(a)


async def test_the_thirty_largest_children_are_the_bars_ties_in_code_point_order(
    factory: Factory, db: AsyncSession
) -> None:
    """More children than bars: the 30 with the most members, ranked in SQL, ties by name in
    code point order (as Python sorts it; a locale's order would put "Đ" beside "D")."""
    province = await factory.union(name="Liên đoàn Lao động tỉnh")
    h = await factory.headers_for("union_officer", province)
    names = [f"CĐCS {c}{i:02d}" for i, c in enumerate("ĐDAĂÂBCEÊGHIKLMNOÔƠPQRSTUƯVXYZ" * 2)]
    expected = []
    for i, name in enumerate(names[:34]):
        child = await factory.union(province, name=name, level="grassroots")
        n = 2 if i % 5 == 0 else 1
        for _ in range(n):
            await admit(factory, h, child)
        expected.append((name, n))
    body = (await factory.client.get("/api/v1/reports/overview", headers=h)).json()
    bars = [(c["name"], c["members"]) for c in body["members_by_child"]]
    assert len(bars) == 30
    assert bars == sorted(expected, key=lambda kv: (-kv[1], kv[0]))[:30]
