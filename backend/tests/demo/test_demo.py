"""The demo data set: deterministic, idempotent, real history, and usable by its accounts."""

import uuid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.demo.shared_load import demo_loaded_once
from tests.factories import Factory
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import Union, UnionEvent, UnionPeriod
from unionhub_dev.demo.plan import PASSWORD, build_plan
from unionhub_dev.demo.specs import DemoPlan

SEED, SCALE = 7, 0.02
# The tests reading the load share one (the first load and a second one: test_demo_first_load.py).
loaded, connection = demo_loaded_once(SEED, SCALE)
DISTRICT_FEDERATIONS = {
    "Liên đoàn Lao động thành phố Mỹ Tho",
    "Liên đoàn Lao động thị xã Gò Công",
    "Liên đoàn Lao động thị xã Cai Lậy",
    "Liên đoàn Lao động huyện Cái Bè",
    "Liên đoàn Lao động huyện Cai Lậy",
    "Liên đoàn Lao động huyện Tân Phước",
    "Liên đoàn Lao động huyện Châu Thành",
    "Liên đoàn Lao động huyện Chợ Gạo",
    "Liên đoàn Lao động huyện Gò Công Tây",
    "Liên đoàn Lao động huyện Gò Công Đông",
    "Liên đoàn Lao động huyện Tân Phú Đông",
}


def _fingerprint(plan: DemoPlan) -> list[tuple[Any, ...]]:
    return [
        (u.code, u.name, u.parent, u.founded_on, u.commune_code)
        for u in [*plan.unions, *plan.new_unions]
    ] + [(m.code, m.new_parent) for m in plan.moves]


def _grassroots_of(plan: DemoPlan, district: str) -> list[str]:
    return [u.code for u in plan.children_of(f"TG-{district}")]


async def _ids(db: AsyncSession) -> dict[str, uuid.UUID]:
    return {code: id_ for code, id_ in (await db.execute(select(Union.code, Union.id))).all()}


def _codes(nodes: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for n in nodes:
        out.add(n["code"])
        out |= _codes(n["children"])
    return out


def test_same_seed_gives_the_same_plan() -> None:
    first, second = build_plan(SEED, SCALE), build_plan(SEED, SCALE)
    assert _fingerprint(first) == _fingerprint(second)
    assert first.users == second.users
    other = build_plan(SEED + 1, SCALE)
    assert [u.name for u in other.unions] != [u.name for u in first.unions]


def test_plan_size_follows_the_scale() -> None:
    full = build_plan(2018, 1.0)
    grassroots = [u for u in full.unions if u.level in ("grassroots", "occupational")]
    assert 1300 <= len(grassroots) <= 1500
    codes = [u.code for u in [*full.unions, *full.new_unions]]
    assert len(codes) == len(set(codes))
    assert all(u.commune_code and u.commune_code.startswith("28") for u in grassroots)
    tiny = build_plan(2018, 0.02)
    for key in ("MT", "GC", "CLX", "CB", "CL", "TPC", "CTH", "CG", "GCT", "GCD", "TPD"):
        children = tiny.children_of(f"TG-{key}")
        assert len(children) >= 4
        # Every district hands some unions to its commune unions and some to the province.
        targets = {m.new_parent for m in tiny.moves if m.code in {c.code for c in children}}
        assert "TG" in targets and len(targets) >= 2


async def test_history_and_audit_are_real(db: AsyncSession) -> None:
    plan = build_plan(SEED, SCALE)
    ids = await _ids(db)
    moved = plan.moves[0]

    async def events(code: str) -> list[str]:
        rows = await db.scalars(
            select(UnionEvent.event_type)
            .where(UnionEvent.union_id == ids[code])
            .order_by(UnionEvent.effective_date)
        )
        return list(rows)

    assert await events(moved.code) == ["founded", "moved"]
    assert await events("TG-MT") == ["founded", "dissolved"]
    assert await events("TG") == ["founded", "renamed"]
    periods = (
        await db.execute(
            select(UnionPeriod.parent_id, UnionPeriod.valid_from, UnionPeriod.valid_to)
            .where(UnionPeriod.union_id == ids[moved.code])
            .order_by(UnionPeriod.valid_from)
        )
    ).all()
    assert [p.parent_id for p in periods] == [ids["TG-MT"], ids[moved.new_parent]]
    assert periods[0].valid_to == periods[1].valid_from == moved.effective
    actions = set(
        await db.scalars(select(AuditEntry.action).where(AuditEntry.actor_username == "demo"))
    )
    assert {"union.found", "union.update", "union.move", "union.dissolve", "user.create"} <= actions


async def test_admin_sees_tien_giang_in_2023_and_dong_thap_today(factory: Factory) -> None:
    h = await factory.login("admin", PASSWORD)

    r = await factory.client.get(
        "/api/v1/unions/tree", params={"as_of": "2023-12-31", "depth": 2}, headers=h
    )
    assert r.status_code == 200, r.text
    (root,) = r.json()["roots"]
    assert "Tiền Giang" in root["name"]
    kinds = [c["kind"] for c in root["children"]]
    names = {c["name"] for c in root["children"] if c["kind"] == "district_federation"}
    assert names == DISTRICT_FEDERATIONS
    assert kinds.count("sector_union") == 4 and "commune_union" not in kinds

    r = await factory.client.get("/api/v1/unions/tree", params={"depth": 2}, headers=h)
    assert r.status_code == 200, r.text
    (root,) = r.json()["roots"]
    assert "Đồng Tháp" in root["name"] and "Tiền Giang" not in root["name"]
    kinds = [c["kind"] for c in root["children"]]
    assert "district_federation" not in kinds and "sector_union" not in kinds
    assert kinds.count("commune_union") == len(build_plan(SEED, SCALE).new_unions)
    names = {c["name"] for c in root["children"]}
    assert {"Công đoàn phường Mỹ Tho", "Công đoàn phường Đạo Thạnh", "Công đoàn xã Cái Bè"} <= names
    assert "Công đoàn Viên chức tỉnh Đồng Tháp" in names


@pytest.mark.parametrize(
    ("username", "own", "other"), [("mytho", "MT", "CB"), ("caibe", "CB", "MT")]
)
async def test_district_officer_keeps_their_unions_across_the_reorganisation(
    factory: Factory, username: str, own: str, other: str
) -> None:
    plan = build_plan(SEED, SCALE)
    ids = await _ids(factory.db)
    mine = _grassroots_of(plan, own)
    to_communes = [u.code for u in plan.children_of(f"TG-{own}") if not u.to_province]
    assert to_communes
    h = await factory.login(username, PASSWORD)

    r = await factory.client.get("/api/v1/unions/tree", params={"depth": 10}, headers=h)
    assert r.status_code == 200, r.text
    today = _codes(r.json()["roots"])
    assert set(to_communes) <= today
    assert not [c for c in today if c.startswith(f"TG-{other}-") or c == f"TG-{other}"]
    # The account works today through the commune/ward unions that took its unions over.
    taken_over = {m.new_parent for m in plan.moves if m.code in set(mine)} - {"TG"}
    assert {n["code"] for n in r.json()["roots"]} == taken_over

    r = await factory.client.get(
        "/api/v1/unions/tree", params={"as_of": "2023-12-31", "depth": 10}, headers=h
    )
    assert r.status_code == 200, r.text
    (root,) = r.json()["roots"]
    assert root["code"] == f"TG-{own}"
    past = _codes([root])
    assert set(mine) <= past
    assert not [c for c in past if c.startswith(f"TG-{other}")]

    foreign = _grassroots_of(plan, other)[0]
    r = await factory.client.get(f"/api/v1/unions/{ids[foreign]}", headers=h)
    assert r.status_code == 404
    r = await factory.client.get(f"/api/v1/unions/{ids[to_communes[0]]}", headers=h)
    assert r.status_code == 200


async def test_grassroots_officer_sees_only_their_union(factory: Factory) -> None:
    plan = build_plan(SEED, SCALE)
    ids = await _ids(factory.db)
    h = await factory.login("cdcs", PASSWORD)
    r = await factory.client.get("/api/v1/unions/tree", params={"depth": 5}, headers=h)
    assert r.status_code == 200, r.text
    (root,) = r.json()["roots"]
    assert root["code"] == plan.showcase_grassroots
    assert root["children"] and all(c["level"] == "union_group" for c in root["children"])
    sibling = next(c for c in _grassroots_of(plan, "MT") if c != plan.showcase_grassroots)
    r = await factory.client.get(f"/api/v1/unions/{ids[sibling]}", headers=h)
    assert r.status_code == 404
