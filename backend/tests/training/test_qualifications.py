"""A person's qualification records: the current level of each kind is the highest counting
record; confirmation certificates count only when issued before 9 July 2021."""

import uuid

from sqlalchemy import func, select, update

from tests.factories import Factory
from tests.training.helpers import call, member, qualifications_url
from unionhub.core.audit import AuditEntry
from unionhub.imports import member_levels
from unionhub.imports.members_write import raw_connection
from unionhub.members.models import Member


async def test_records_give_the_current_levels_shown_on_the_member(factory: Factory) -> None:
    province = await factory.union(name="LĐLĐ tỉnh")
    district = await factory.union(province, name="LĐLĐ huyện Cái Bè")
    grassroots = await factory.union(district)
    officer = await factory.headers_for("union_officer", district)
    m = await member(factory, officer, grassroots)
    url = qualifications_url(m["id"])

    degree = await call(
        factory,
        "POST",
        url,
        officer,
        {
            "kind": "professional",
            "level": "university",
            "major": "Luật",
            "issuer": "Đại học Cần Thơ",
            "certificate_no": "ĐH-123",
            "issued_on": "2012-06-30",
        },
        expect=201,
    )
    assert degree["counts"] is True and degree["source"] == "manual"
    # A confirmation issued after the cut-off is kept but does not count.
    late = await call(
        factory,
        "POST",
        url,
        officer,
        {
            "kind": "political_theory",
            "level": "trung_cap",
            "evidence": "confirmation",
            "issued_on": "2022-01-10",
        },
        expect=201,
    )
    assert late["counts"] is False
    await call(
        factory,
        "POST",
        url,
        officer,
        {"kind": "political_theory", "level": "so_cap", "issued_on": "2016-05-01"},
        expect=201,
    )
    summary = await call(factory, "GET", url, officer)
    assert {c["kind"]: c["level"] for c in summary["current"]} == {
        "professional": "university",
        "political_theory": "so_cap",
    }
    assert len(summary["records"]) == 3
    shown = await call(factory, "GET", f"/api/v1/members/{m['id']}", officer)
    assert shown["education_level"] == "university"
    assert shown["political_theory"] == "so_cap"

    # Correcting the confirmation's date to before the cut-off makes it count.
    stale = await factory.client.patch(
        f"{url}/{late['id']}",
        json={"issued_on": "2021-07-08"},
        headers={**officer, "If-Match": '"9"'},
    )
    assert stale.status_code == 412
    fixed = await factory.client.patch(
        f"{url}/{late['id']}",
        json={"issued_on": "2021-07-08"},
        headers={**officer, "If-Match": '"1"'},
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["counts"] is True and fixed.headers["etag"] == '"2"'
    summary = await call(factory, "GET", url, officer)
    assert {c["kind"]: c["level"] for c in summary["current"]}["political_theory"] == "trung_cap"
    # The 9 July 2021 itself is too late.
    await call(factory, "PATCH", f"{url}/{late['id']}", officer, {"issued_on": "2021-07-09"})
    summary = await call(factory, "GET", url, officer)
    assert {c["kind"]: c["level"] for c in summary["current"]}["political_theory"] == "so_cap"

    r = await factory.client.delete(f"{url}/{degree['id']}", headers=officer)
    assert r.status_code == 204
    summary = await call(factory, "GET", url, officer)
    assert "professional" not in {c["kind"] for c in summary["current"]}
    actions = await factory.db.scalar(
        select(func.count()).where(
            AuditEntry.entity_type == "qualification", AuditEntry.union_id == grassroots.id
        )
    )
    assert actions == 6


async def test_levels_must_belong_to_the_kind(factory: Factory) -> None:
    province = await factory.union()
    officer = await factory.headers_for("federation_officer", province)
    m = await member(factory, officer, await factory.union(await factory.union(province)))
    url = qualifications_url(m["id"])
    bad = await call(
        factory, "POST", url, officer, {"kind": "union_work", "level": "cao_cap"}, expect=422
    )
    assert bad["errors"][0]["field"] == "body"
    undated = await call(
        factory,
        "POST",
        url,
        officer,
        {"kind": "it", "level": "basic", "evidence": "confirmation"},
        expect=422,
    )
    assert "issued_on" in undated["errors"][0]["message"]


async def test_other_subtrees_and_viewers(factory: Factory) -> None:
    province = await factory.union()
    a = await factory.union(province)
    b = await factory.union(province)
    ga = await factory.union(a)
    officer_a = await factory.headers_for("union_officer", a)
    officer_b = await factory.headers_for("union_officer", b)
    viewer_a = await factory.headers_for("viewer", a)
    m = await member(factory, officer_a, ga)
    url = qualifications_url(m["id"])
    body = {"kind": "it", "level": "basic"}
    await call(factory, "GET", url, officer_b, expect=404)
    await call(factory, "POST", url, officer_b, body, expect=404)
    await call(factory, "GET", url, viewer_a)
    await call(factory, "POST", url, viewer_a, body, expect=403)


async def test_member_levels_are_derived_not_written(factory: Factory) -> None:
    """The member API no longer takes the single education and political-theory fields; they
    follow the records (none once the last record of a kind is gone), and an import that
    carries them makes records first (imports.member_levels)."""
    province = await factory.union(name="LĐLĐ tỉnh")
    district = await factory.union(province, name="LĐLĐ huyện Tân Phước")
    grassroots = await factory.union(district)
    officer = await factory.headers_for("union_officer", district)
    m = await member(factory, officer, grassroots)
    shown = await call(factory, "GET", f"/api/v1/members/{m['id']}", officer)
    version = shown["version"]
    refused = await factory.client.patch(
        f"/api/v1/members/{m['id']}",
        json={"political_theory": "cao_cap"},
        headers={**officer, "If-Match": f'"{version}"'},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["political_theory"]
    body = {
        "full_name": "Lê Văn Bình",
        "date_of_birth": "1990-05-12",
        "gender": "male",
        "personal_id": "082090999001",
        "union_id": str(grassroots.id),
        "admission_date": "2015-01-01",
        "education_level": "university",
    }
    created = await factory.client.post("/api/v1/members", json=body, headers=officer)
    assert created.status_code == 422

    url = qualifications_url(m["id"])
    q = await call(
        factory, "POST", url, officer, {"kind": "political_theory", "level": "trung_cap"}, 201
    )
    shown = await call(factory, "GET", f"/api/v1/members/{m['id']}", officer)
    assert shown["political_theory"] == "trung_cap"
    r = await factory.client.delete(f"{url}/{q['id']}", headers=officer)
    assert r.status_code == 204
    shown = await call(factory, "GET", f"/api/v1/members/{m['id']}", officer)
    assert shown["political_theory"] is None

    # An import wrote the fields (as its COPY/UPDATE does): records, then the derived levels.
    member_id = uuid.UUID(m["id"])
    await call(
        factory,
        "POST",
        url,
        officer,
        {"kind": "professional", "level": "master", "issued_on": "2015-06-30"},
        201,
    )
    await factory.db.execute(
        update(Member)
        .where(Member.id == member_id)
        .values(education_level="university", political_theory="so_cap")
    )
    conn = await raw_connection(factory.db)
    await member_levels.write(conn, [member_id])
    summary = await call(factory, "GET", url, officer)
    assert sorted((r["kind"], r["level"], r["source"]) for r in summary["records"]) == [
        ("political_theory", "so_cap", "migrated"),
        ("professional", "master", "manual"),
        ("professional", "university", "migrated"),
    ]
    factory.db.expire_all()
    shown = await call(factory, "GET", f"/api/v1/members/{m['id']}", officer)
    # The master's degree on record stays the derived level.
    assert (shown["education_level"], shown["political_theory"]) == ("master", "so_cap")
