"""Reading and editing members: details with ETag, If-Match, masking and PII audit, search."""

from datetime import date
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world, field_codes, names, problem
from unionhub.core.audit import AuditEntry
from unionhub.members.validation import years_between


async def _pii_reads(factory: Factory) -> list[AuditEntry]:
    rows = await factory.db.execute(
        select(AuditEntry).where(AuditEntry.action == "member.pii_read").order_by(AuditEntry.at)
    )
    return list(rows.scalars())


async def test_viewer_sees_masked_data_and_officer_unmasked_with_audit(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(
        factory,
        w.officer_a,
        w.grassroots_a,
        personal_id="082090000123",
        phone="0912345678",
        passport_no="B1234567",
        email="nguyen.van.an@example.vn",
    )
    r = await factory.client.get(f"{API}/{m['id']}", headers=w.viewer_a)
    assert r.status_code == 200
    # only the last digits: province, gender/century and year of birth would give the rest
    assert r.json()["personal_id"] == "*********123"
    assert r.json()["phone"] == "*******678"
    assert r.json()["passport_no"] == "******67"
    assert r.json()["email"] == "n***@example.vn"
    assert r.json()["pii_masked"] is True
    listed = (await factory.client.get(API, headers=w.viewer_a)).json()["items"]
    assert listed[0]["personal_id"] == "*********123" and listed[0]["phone"] == "*******678"
    assert await _pii_reads(factory) == []

    # Opening the member's page is not a personal-data read: masked, nothing logged, even for
    # an officer who may unmask.
    r = await factory.client.get(f"{API}/{m['id']}", headers=w.officer_a)
    assert r.json()["personal_id"] == "*********123" and r.json()["pii_masked"] is True
    assert await _pii_reads(factory) == []
    # The reveal button asks for it; that read is logged.
    url = f"{API}/{m['id']}"
    r = await factory.client.get(url, params={"reveal_pii": True}, headers=w.officer_a)
    assert r.json()["personal_id"] == "082090000123" and r.json()["phone"] == "0912345678"
    assert r.json()["email"] == "nguyen.van.an@example.vn"
    assert r.json()["pii_masked"] is False
    audits = await _pii_reads(factory)
    assert len(audits) == 1 and str(audits[0].entity_id) == m["id"]
    # A viewer asking to unmask is refused, not silently masked.
    r = await factory.client.get(url, params={"reveal_pii": True}, headers=w.viewer_a)
    assert problem(r, 403)["code"] == "permission_denied"


async def test_lists_are_masked_unless_reveal_pii_which_is_audited_once(factory: Factory) -> None:
    w = await build_world(factory)
    for _ in range(3):
        await admit(factory, w.officer_a, w.grassroots_a)
    items = (await factory.client.get(API, headers=w.officer_a)).json()["items"]
    assert all(i["pii_masked"] and "*" in i["personal_id"] for i in items)
    assert await _pii_reads(factory) == []
    r = await factory.client.get(API, params={"reveal_pii": True}, headers=w.officer_a)
    items = r.json()["items"]
    assert all(not i["pii_masked"] and i["personal_id"].isdigit() for i in items)
    audits = await _pii_reads(factory)
    assert len(audits) == 1 and audits[0].after and audits[0].after["count"] == 3
    r = await factory.client.get(API, params={"reveal_pii": True}, headers=w.viewer_a)
    assert problem(r, 403)["code"] == "permission_denied"


async def test_get_has_etag_and_patch_needs_a_fresh_one(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    r = await factory.client.get(f"{API}/{m['id']}", headers=w.officer_a)
    assert r.headers["ETag"] == '"1"'
    r = await factory.client.patch(
        f"{API}/{m['id']}",
        json={"occupation": "Công nhân", "phone": "+84 987 654 321"},
        headers={**w.officer_a, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    assert r.json()["occupation"] == "Công nhân" and r.json()["phone"] == "0987654321"
    r = await factory.client.patch(
        f"{API}/{m['id']}", json={"occupation": "Kỹ sư"}, headers={**w.officer_a, "If-Match": '"1"'}
    )
    assert problem(r, 412)["code"] == "version_mismatch"
    after = (await factory.client.get(f"{API}/{m['id']}", headers=w.officer_a)).json()
    assert after["occupation"] == "Công nhân"


async def test_patch_cannot_touch_union_or_status_and_rechecks_rules(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    url = f"{API}/{m['id']}"
    for body in ({"union_id": str(w.grassroots_a2.id)}, {"status": "left"}):
        assert ("".join(body), "unknown_field") in field_codes(
            await factory.client.patch(url, json=body, headers=w.officer_a)
        )
    # A new birth year that the personal ID contradicts is refused on the personal ID.
    r = await factory.client.patch(url, json={"date_of_birth": "1985-01-01"}, headers=w.officer_a)
    assert ("personal_id", "personal_id_year_mismatch") in field_codes(r)
    r = await factory.client.patch(url, json={"full_name": None}, headers=w.officer_a)
    assert ("full_name", "required") in field_codes(r)
    r = await factory.client.patch(url, json={"full_name": "Lê Thị Hoa"}, headers=w.viewer_a)
    assert r.status_code == 403


async def test_edit_is_in_history_without_personal_values(factory: Factory) -> None:
    w = await build_world(factory)
    m = await admit(factory, w.officer_a, w.grassroots_a)
    await factory.client.patch(
        f"{API}/{m['id']}",
        json={"phone": "0987654321", "occupation": "Thợ may"},
        headers=w.officer_a,
    )
    h = (await factory.client.get(f"{API}/{m['id']}/history", headers=w.officer_a)).json()
    updated = next(e for e in h["events"] if e["event_type"] == "updated")
    assert updated["details"]["fields"] == ["occupation", "phone"]
    assert "phone" not in updated["details"]["changes"]
    assert updated["details"]["changes"]["occupation"]["to"] == "Thợ may"


async def test_search_by_name_without_accents_and_by_numbers(factory: Factory) -> None:
    w = await build_world(factory)
    an = await admit(
        factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Văn An", personal_id="082090777123"
    )
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Đặng Thị Hồng", gender="female")
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Trần Văn Bình")
    h = w.officer_a
    assert await names(factory, h, q="nguyen van an") == ["Nguyễn Văn An"]
    assert await names(factory, h, q="NGUYỄN VĂN") == ["Nguyễn Văn An"]
    assert await names(factory, h, q="dang") == ["Đặng Thị Hồng"]
    assert await names(factory, h, q="đặng") == ["Đặng Thị Hồng"]
    assert await names(factory, h, q="van") == ["Nguyễn Văn An", "Trần Văn Bình"]
    assert await names(factory, h, q="100%_") == []
    pid = "082090777123"
    assert await names(factory, h, q=pid[:8]) == ["Nguyễn Văn An"]
    assert await names(factory, h, q=an["card_number"]) == ["Nguyễn Văn An"]
    assert await names(factory, h, q=pid) == ["Nguyễn Văn An"]
    # A viewer sees masked IDs: neither a prefix nor the whole number finds anyone, or the
    # hidden digits could be guessed one search at a time.
    assert await names(factory, w.viewer_a, q=pid[:8]) == []
    assert await names(factory, w.viewer_a, q=pid) == []


async def test_filters_and_sorting(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.officer_a
    await admit(
        factory,
        h,
        w.grassroots_a,
        full_name="Bùi Văn Cường",
        date_of_birth="1970-01-01",
        admission_date="2010-01-01",
    )
    await admit(
        factory,
        h,
        w.grassroots_a2,
        full_name="Âu Thị Lan",
        gender="female",
        date_of_birth="2000-06-01",
        admission_date="2019-01-01",
    )
    await admit(factory, h, w.group_a, full_name="Cao Văn Dũng", date_of_birth="1995-01-01")
    assert await names(factory, h) == ["Âu Thị Lan", "Bùi Văn Cường", "Cao Văn Dũng"]
    assert await names(factory, h, sort="-date_of_birth") == [
        "Âu Thị Lan",
        "Cao Văn Dũng",
        "Bùi Văn Cường",
    ]
    assert await names(factory, h, gender="female") == ["Âu Thị Lan"]
    assert await names(factory, h, sector="state") == ["Âu Thị Lan"]
    assert await names(factory, h, age_min=50) == ["Bùi Văn Cường"]
    lan_age = years_between(date(2000, 6, 1), date.today())
    assert await names(factory, h, age_min=lan_age, age_max=lan_age) == ["Âu Thị Lan"]
    assert await names(factory, h, admitted_to="2015-12-31") == ["Bùi Văn Cường"]
    assert await names(factory, h, admitted_from="2019-01-01", admitted_to="2019-01-01") == [
        "Âu Thị Lan"
    ]
    assert await names(factory, h, union_id=str(w.grassroots_a.id)) == [
        "Bùi Văn Cường",
        "Cao Văn Dũng",
    ]
    assert await names(factory, h, union_id=str(w.grassroots_a.id), include_subtree=False) == [
        "Bùi Văn Cường"
    ]
    page: dict[str, Any] = (await factory.client.get(API, params={"size": 2}, headers=h)).json()
    assert (page["total"], page["pages"], len(page["items"]), page["total_exact"]) == (
        3,
        2,
        2,
        True,
    )
    r = await factory.client.get(API, params={"sort": "salary"}, headers=h)
    assert r.status_code == 422
