"""Founding a union: level rules, unique codes, dates, scope, and what gets recorded."""

from datetime import date

from sqlalchemy import select

from tests.factories import Factory
from tests.unions.helpers import API, TOMORROW, build_tree, field_error, found_body, problem
from unionhub.core.audit import AuditEntry
from unionhub.unions.models import UnionPeriod


async def test_found_grassroots_under_district(factory: Factory) -> None:
    t = await build_tree(factory)
    body = found_body(
        t.district_a,
        code="cb-abc",
        name="  Công đoàn cơ sở   Công ty ABC ",
        commune_code="28435",
        email="CDCS@Example.VN",
    )
    r = await factory.client.post(API, json=body, headers=t.admin)
    assert r.status_code == 201, r.text
    u = r.json()
    assert u["code"] == "CB-ABC"  # codes are upper-cased
    assert u["name"] == "Công đoàn cơ sở Công ty ABC"  # trimmed, inner spaces collapsed
    assert u["email"] == "cdcs@example.vn"
    assert u["status"] == "active"
    assert u["parent_id"] == str(t.district_a.id)
    assert u["parent_name"] == "Liên đoàn Lao động huyện Cái Bè"
    assert u["depth"] == 3
    assert u["version"] == 1
    assert r.headers["ETag"] == '"1"'
    assert r.headers["Location"] == f"{API}/{u['id']}"
    got = await factory.client.get(r.headers["Location"], headers=t.admin)
    assert got.status_code == 200 and got.json()["code"] == "CB-ABC"
    # the district now counts one more active child
    d = await factory.client.get(f"{API}/{t.district_a.id}", headers=t.admin)
    assert d.json()["child_count"] == 3


async def test_found_records_history_period_and_audit(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(API, json=found_body(t.district_a), headers=t.admin)
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    h = await factory.client.get(f"{API}/{uid}/history", headers=t.admin)
    assert [(e["event_type"], e["effective_date"], e["decision_no"]) for e in h.json()] == [
        ("founded", "2020-03-15", "15/QĐ-LĐLĐ")
    ]
    periods = (
        (await factory.db.execute(select(UnionPeriod).where(UnionPeriod.union_id == uid)))
        .scalars()
        .all()
    )
    assert [(p.valid_from, p.valid_to, p.status) for p in periods] == [
        (date(2020, 3, 15), None, "active")
    ]
    audit = (
        (await factory.db.execute(select(AuditEntry).where(AuditEntry.entity_id == uid)))
        .scalars()
        .all()
    )
    assert [a.action for a in audit] == ["union.found"]
    assert audit[0].after is not None and audit[0].after["code"] == "NEW-001"


async def test_level_rules(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    # a grassroots union cannot sit under a union group
    r = await c.post(API, json=found_body(t.group_a, code="X1"), headers=t.admin)
    field_error(r, "parent_id", "parent_level_not_allowed")
    # nor a union group directly under a district federation
    r = await c.post(
        API,
        json=found_body(t.district_a, code="X2", level="union_group", kind="internal_unit"),
        headers=t.admin,
    )
    field_error(r, "parent_id", "parent_level_not_allowed")
    # a direct-superior union sits only under the province
    r = await c.post(
        API,
        json=found_body(
            t.district_a, code="X3", level="direct_superior", kind="district_federation"
        ),
        headers=t.admin,
    )
    field_error(r, "parent_id", "parent_level_not_allowed")
    # a province federation has no parent; a grassroots union must have one
    r = await c.post(
        API,
        json=found_body(
            t.province, code="X4", level="province_federation", kind="province_federation"
        ),
        headers=t.admin,
    )
    field_error(r, "parent_id", "parent_level_not_allowed")
    r = await c.post(API, json=found_body(None, code="X5"), headers=t.admin)
    field_error(r, "parent_id", "parent_level_not_allowed")
    # allowed: grassroots under the province, departmental and group inside a grassroots union
    r = await c.post(API, json=found_body(t.province, code="X6"), headers=t.admin)
    assert r.status_code == 201, r.text
    r = await c.post(
        API,
        json=found_body(t.grassroots_a, code="X7", level="departmental", kind="internal_unit"),
        headers=t.admin,
    )
    assert r.status_code == 201, r.text
    dept = r.json()["id"]
    r = await c.post(
        API,
        json={
            **found_body(t.grassroots_a, code="X8", level="union_group", kind="internal_unit"),
            "parent_id": dept,
        },
        headers=t.admin,
    )
    assert r.status_code == 201, r.text
    listed = await c.get(API, params={"q": "x", "size": 200}, headers=t.admin)
    assert {u["code"] for u in listed.json()["items"]} >= {"X6", "X7", "X8"}
    assert not {"X1", "X2", "X3", "X4", "X5"} & {u["code"] for u in listed.json()["items"]}


async def test_duplicate_code_is_refused_case_insensitively(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(
        API, json=found_body(t.district_a, code="dt-cb-ts"), headers=t.admin
    )
    body = field_error(r, "code", "code_taken")
    assert "DT-CB-TS" in body["errors"][0]["message"]


async def test_founding_dates(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    r = await c.post(
        API, json=found_body(t.district_a, founded_on=TOMORROW.isoformat()), headers=t.admin
    )
    field_error(r, "founded_on", "date_in_future")
    # the district exists from 2015-01-01: nothing can be founded under it before that
    r = await c.post(API, json=found_body(t.district_a, founded_on="2014-12-31"), headers=t.admin)
    field_error(r, "founded_on", "before_parent_founded")
    r = await c.post(API, json=found_body(t.district_a, founded_on="2015-01-01"), headers=t.admin)
    assert r.status_code == 201, r.text


async def test_found_under_inactive_parent(factory: Factory) -> None:
    t = await build_tree(factory)
    empty = await factory.union(t.district_a, name="Công đoàn cơ sở sắp giải thể")
    r = await factory.client.post(
        f"{API}/{empty.id}/dissolve",
        json={"effective_date": "2020-01-01", "decision_no": "1/QĐ"},
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(
        API, json=found_body(empty, level="union_group", kind="internal_unit"), headers=t.admin
    )
    field_error(r, "parent_id", "parent_inactive")


async def test_found_scope(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    officer_a = await factory.headers_for("union_officer", t.district_a)
    # B's district is not visible to A's officer: 404, nothing created
    r = await c.post(API, json=found_body(t.district_b, code="B-NEW"), headers=officer_a)
    problem(r, 404)
    # an unknown parent id is the same 404
    r = await c.post(
        API,
        json=found_body(t.district_b, parent_id="0190f1a2-7b3c-7d4e-8f50-123456789abc"),
        headers=officer_a,
    )
    problem(r, 404)
    # only an administrator founds a top-level union
    r = await c.post(
        API,
        json=found_body(None, code="TOP", level="province_federation", kind="province_federation"),
        headers=officer_a,
    )
    assert problem(r, 403)["code"] == "permission_denied"
    r = await c.post(API, json=found_body(t.district_a, code="A-NEW"), headers=officer_a)
    assert r.status_code == 201, r.text
    codes = {
        u["code"] for u in (await c.get(API, params={"size": 200}, headers=t.admin)).json()["items"]
    }
    assert "A-NEW" in codes and "B-NEW" not in codes and "TOP" not in codes
    # an administrator may found a new province federation at the top
    r = await c.post(
        API,
        json=found_body(
            None,
            code="TOP",
            level="province_federation",
            kind="province_federation",
            name="Liên đoàn Lao động tỉnh Vĩnh Long",
        ),
        headers=t.admin,
    )
    assert r.status_code == 201, r.text
    assert r.json()["depth"] == 1 and r.json()["parent_id"] is None


async def test_viewer_and_grassroots_officer_writes(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    viewer = await factory.headers_for("viewer", t.district_a)
    r = await c.post(API, json=found_body(t.district_a), headers=viewer)
    assert problem(r, 403)["code"] == "permission_denied"
    gro = await factory.headers_for("grassroots_officer", t.grassroots_a)
    group = found_body(
        t.grassroots_a,
        code="TS-T2",
        name="Tổ công đoàn Phân xưởng 2",
        level="union_group",
        kind="internal_unit",
    )
    r = await c.post(API, json=group, headers=gro)
    assert r.status_code == 201, r.text
    # the district above is not in a grassroots officer's subtree: invisible, 404
    r = await c.post(API, json=found_body(t.district_a, code="GR-X"), headers=gro)
    problem(r, 404)
