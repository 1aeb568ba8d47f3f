"""Founding an enterprise's grassroots union, with its founding members, in one transaction."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tests.enterprises.helpers import API, build_world, create, field_error, problem, survey
from tests.factories import Factory
from unionhub.core.audit import AuditEntry
from unionhub.members.models import Member
from unionhub.unions.models import Union


def found_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "CB-TS",
        "founded_on": "2024-05-01",
        "founding_decision_no": "45/QĐ-LĐLĐ",
        "decision_date": "2024-04-28",
    }
    data.update(overrides)
    return data


def member(full_name: str, personal_id: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": full_name,
        "date_of_birth": "1990-05-12",
        "gender": "male",
        "personal_id": personal_id,
        "admission_date": "2024-05-01",
    }
    data.update(overrides)
    return data


async def _union_count(factory: Factory, enterprise_id: str) -> int:
    return int(
        await factory.db.scalar(
            select(func.count()).select_from(Union).where(Union.enterprise_id == enterprise_id)
        )
        or 0
    )


async def test_found_union_under_responsible_union_and_link(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    e = await create(c, w.officer_a, w.district_a, name="Công ty TNHH Thủy sản Cái Bè")
    await survey(c, w.officer_a, e["id"], 240, 150)
    before = (await c.get(f"{API}/{e['id']}", headers=w.officer_a)).json()
    assert (before["eligible_to_found"], before["has_union"]) == (True, False)

    r = await c.post(f"{API}/{e['id']}/found-union", json=found_body(), headers=w.officer_a)
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["union"]["name"] == "Công đoàn cơ sở Công ty TNHH Thủy sản Cái Bè"
    assert result["union"]["code"] == "CB-TS"
    assert result["admitted_member_ids"] == []
    after = result["enterprise"]
    assert (after["has_union"], after["eligible_to_found"]) == (True, False)
    assert after["union"]["id"] == result["union"]["id"]

    union = (await c.get(r.headers["Location"], headers=w.officer_a)).json()
    assert union["parent_id"] == str(w.district_a.id)
    assert (union["level"], union["kind"], union["sector"]) == (
        "grassroots",
        "enterprise_union",
        "non_state",
    )
    assert union["enterprise_id"] == e["id"]
    assert (union["founded_on"], union["founding_decision_no"]) == ("2024-05-01", "45/QĐ-LĐLĐ")
    assert union["commune_code"] == "28435"  # where the enterprise is
    history = (await c.get(f"/api/v1/unions/{union['id']}/history", headers=w.officer_a)).json()
    assert [(h["event_type"], h["decision_date"]) for h in history] == [("founded", "2024-04-28")]

    listed = await c.get(API, params={"has_union": True}, headers=w.officer_a)
    assert [i["id"] for i in listed.json()["items"]] == [e["id"]]
    # a second union is refused while the first is active
    r = await c.post(
        f"{API}/{e['id']}/found-union", json=found_body(code="CB-TS2"), headers=w.officer_a
    )
    assert problem(r, 409)["code"] == "enterprise_has_union"
    actions = (
        (await factory.db.execute(select(AuditEntry.action).where(AuditEntry.entity_id == e["id"])))
        .scalars()
        .all()
    )
    assert "enterprise.found_union" in actions


async def test_kind_sector_and_explicit_parent(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    coop = await create(c, w.admin, w.district_a, name="HTX Rau an toàn", ownership="cooperative")
    r = await c.post(
        f"{API}/{coop['id']}/found-union",
        json=found_body(code="CB-HTX", name="Nghiệp đoàn HTX Rau", short_name="HTX"),
        headers=w.admin,
    )
    assert r.status_code == 201, r.text
    u = (await c.get(r.headers["Location"], headers=w.admin)).json()
    assert (u["kind"], u["sector"], u["name"], u["short_name"]) == (
        "cooperative_union",
        "non_state",
        "Nghiệp đoàn HTX Rau",
        "HTX",
    )
    state = await create(c, w.admin, w.district_a, name="Công ty Điện lực", ownership="state")
    r = await c.post(
        f"{API}/{state['id']}/found-union",
        json=found_body(code="DT-DL", parent_id=str(w.province.id)),
        headers=w.admin,
    )
    assert r.status_code == 201, r.text
    u = (await c.get(r.headers["Location"], headers=w.admin)).json()
    assert (u["kind"], u["sector"], u["parent_id"]) == (
        "enterprise_union",
        "state",
        str(w.province.id),
    )


async def test_refusals_write_nothing(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    closed = await create(c, w.officer_a, w.district_a, operating_status="suspended")
    r = await c.post(f"{API}/{closed['id']}/found-union", json=found_body(), headers=w.officer_a)
    assert problem(r, 409)["code"] == "enterprise_not_operating"
    e = await create(c, w.officer_a, w.district_a)
    # the union code is checked by the union tree's own rules
    r = await c.post(
        f"{API}/{e['id']}/found-union", json=found_body(code="CB"), headers=w.officer_a
    )
    field_error(r, "code", "code_taken")
    # a parent outside the caller's scope does not exist for them
    r = await c.post(
        f"{API}/{e['id']}/found-union",
        json=found_body(parent_id=str(w.district_b.id)),
        headers=w.officer_a,
    )
    problem(r, 404)
    r = await c.post(
        f"{API}/{e['id']}/found-union",
        json=found_body(founded_on=(date.today() + timedelta(days=1)).isoformat()),
        headers=w.officer_a,
    )
    field_error(r, "founded_on", "date_in_future")
    r = await c.post(
        f"{API}/{e['id']}/found-union",
        json=found_body(founded_on="2999-01-01"),
        headers=w.officer_a,
    )
    field_error(r, "founded_on", "date_out_of_range")
    problem(
        await c.post(f"{API}/{e['id']}/found-union", json=found_body(), headers=w.viewer_a), 403
    )
    assert await _union_count(factory, e["id"]) == 0
    assert await _union_count(factory, closed["id"]) == 0


async def test_founding_members_are_admitted_into_the_new_union(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    e = await create(c, w.officer_a, w.district_a, name="Công ty May Cái Bè")
    await survey(c, w.officer_a, e["id"], 40, 30)
    body = found_body(
        founding_members=[
            member("Nguyễn Văn An", "082090001234", admission_date="2024-06-10"),
            {
                "full_name": "Trần Thị Bình",
                "date_of_birth": "1995-02-03",
                "gender": "female",
                "personal_id": "082195001235",
            },
        ]
    )
    r = await c.post(f"{API}/{e['id']}/found-union", json=body, headers=w.officer_a)
    assert r.status_code == 201, r.text
    result = r.json()
    assert len(result["admitted_member_ids"]) == 2
    members = (
        (
            await factory.db.execute(
                select(Member).where(Member.id.in_(result["admitted_member_ids"]))
            )
        )
        .scalars()
        .all()
    )
    # they join the new union, employed by the enterprise; admitted on the founding date
    # unless their payload says otherwise
    assert {
        (m.full_name, str(m.union_id), str(m.enterprise_id), m.status, m.admission_date)
        for m in members
    } == {
        ("Nguyễn Văn An", result["union"]["id"], e["id"], "active", date(2024, 6, 10)),
        ("Trần Thị Bình", result["union"]["id"], e["id"], "active", date(2024, 5, 1)),
    }
    got = result["enterprise"]
    assert (got["member_count"], got["union_density"]) == (2, 0.05)


async def test_invalid_founding_member_writes_nothing(factory: Factory) -> None:
    w = await build_world(factory)
    c = factory.client
    e = await create(c, w.officer_a, w.district_a)
    await survey(c, w.officer_a, e["id"], 40, 30)
    url = f"{API}/{e['id']}/found-union"

    # a payload error: reported for every bad member at once, before anything is written
    bad_shape = found_body(
        founding_members=[
            member("Nguyễn Văn An", "082090001234"),
            member("Lê Văn Cường", "082090001236", gender="robot"),
            {"full_name": "Phạm Thị Dung", "union_id": str(w.grassroots_a.id)},
        ]
    )
    body = field_error(
        await c.post(url, json=bad_shape, headers=w.officer_a),
        "founding_members.1.gender",
        "invalid_choice",
    )
    fields = {(e["field"], e["code"]) for e in body["errors"]}
    assert ("founding_members.2.union_id", "unknown_field") in fields
    assert not any(f.startswith("founding_members.0") for f, _ in fields)

    # a rule broken only at admission (the personal ID contradicts the birth year), after the
    # union and the first member were already written inside the transaction
    bad_rule = found_body(
        founding_members=[
            member("Nguyễn Văn An", "082090001234"),
            member("Lê Văn Cường", "082085001236"),
        ]
    )
    r = await c.post(url, json=bad_rule, headers=w.officer_a)
    errors = problem(r, 422)["errors"]
    assert errors and all(err["field"].startswith("founding_members.1.") for err in errors)
    assert any(err["field"] == "founding_members.1.personal_id" for err in errors)

    # the same personal ID twice in one founding list
    twice = found_body(
        founding_members=[
            member("Nguyễn Văn An", "082090001234"),
            member("Nguyễn Văn An", "082090001234"),
        ]
    )
    field_error(
        await c.post(url, json=twice, headers=w.officer_a),
        "founding_members.1.personal_id",
        "personal_id_taken",
    )

    # nothing of any attempt remains: no union, no member, enterprise still a target
    assert await _union_count(factory, e["id"]) == 0
    assert await factory.db.scalar(select(func.count()).select_from(Member)) == 0
    assert (
        await factory.db.scalar(
            select(func.count()).select_from(Union).where(Union.code == "CB-TS")
        )
        == 0
    )
    got = (await c.get(f"{API}/{e['id']}", headers=w.officer_a)).json()
    assert (got["has_union"], got["eligible_to_found"], got["member_count"]) == (False, True, 0)
    # and the founding still works once the list is right
    r = await c.post(
        url,
        json=found_body(founding_members=[member("Nguyễn Văn An", "082090001234")]),
        headers=w.officer_a,
    )
    assert r.status_code == 201, r.text
    assert r.json()["enterprise"]["member_count"] == 1
