"""Spending figures: the union enters and submits them, its direct superior approves or
returns them; the union's own course budgets are offered as the suggested training spend."""

import unicodedata
import uuid

from sqlalchemy import select

from tests.factories import Factory
from tests.training.helpers import call, course
from unionhub.core.audit import AuditEntry

URL = "/api/v1/finance/spending"


async def test_enter_submit_return_approve(factory: Factory) -> None:
    province = await factory.union()
    district = await factory.union(province)
    grassroots = await factory.union(district)
    unit = await factory.headers_for("grassroots_officer", grassroots)
    superior = await factory.headers_for("union_officer", district)
    await course(
        factory,
        unit,
        grassroots,
        kind="THEMATIC",
        starts_on="2023-04-03",
        ends_on="2023-04-03",
        planned_budget=12_000_000,
        actual_budget=9_500_000,
    )
    await course(
        factory,
        unit,
        grassroots,
        kind="THEMATIC",
        starts_on="2023-09-05",
        ends_on="2023-09-05",
        planned_budget=3_000_000,
    )
    body = {
        "union_id": str(grassroots.id),
        "year": 2023,
        "total_spend": 150_000_000,
        "training_spend": 200_000_000,
        "source": "Báo cáo quyết toán năm 2023",
        "note": "Gồm chi tập huấn quý IV",
    }
    hint = f"{URL}/suggestion/{grassroots.id}/2023"
    assert (await call(factory, "GET", hint, unit))["suggested_training_spend"] == 12_500_000
    nothing = f"{URL}/suggestion/{grassroots.id}/2022"
    assert (await call(factory, "GET", nothing, unit))["suggested_training_spend"] == 0
    elsewhere = await factory.union(province)
    away = f"{URL}/suggestion/{elsewhere.id}/2023"
    refused = await factory.client.get(away, headers=unit)
    assert refused.status_code == 404, refused.text
    await call(factory, "POST", URL, unit, body, expect=422)
    created = await call(factory, "POST", URL, unit, {**body, "training_spend": 12_500_000}, 201)
    assert created["status"] == "draft" and created["suggested_training_spend"] == 12_500_000
    assert created["may_approve"] is False
    dup = await call(factory, "POST", URL, unit, {**body, "training_spend": 1}, expect=409)
    assert dup["code"] == "spending_exists"
    one = f"{URL}/{created['id']}"
    await call(factory, "POST", f"{one}/approve", superior, expect=409)
    await call(factory, "POST", f"{one}/submit", unit)
    await call(factory, "POST", f"{one}/approve", unit, expect=403)
    assert created["may_edit"] is True
    submitted = await call(factory, "GET", one, unit)
    assert submitted["may_edit"] is False
    no_reason = await call(factory, "POST", f"{one}/return", superior, {"comment": " "}, 422)
    assert no_reason["errors"][0]["field"] == "comment"
    await call(factory, "POST", f"{one}/return", superior, expect=422)
    assert submitted["review_comment"] is None
    # The comment comes decomposed (NFD) as some keyboards send it: stored composed (NFC).
    reason = unicodedata.normalize("NFD", "Thiếu số")
    returned = await call(factory, "POST", f"{one}/return", superior, {"comment": reason})
    assert returned["status"] == "returned" and returned["review_comment"] == "Thiếu số"
    assert returned["note"] == "Gồm chi tập huấn quý IV"  # the union's own note is kept
    read = await call(factory, "GET", one, unit)
    assert (read["review_comment"], read["note"]) == ("Thiếu số", "Gồm chi tập huấn quý IV")
    entry = (
        await factory.db.execute(
            select(AuditEntry).where(
                AuditEntry.entity_id == uuid.UUID(created["id"]),
                AuditEntry.action == "spending.return",
            )
        )
    ).scalar_one()
    assert entry.before is not None and entry.after is not None
    assert entry.before["review_comment"] is None
    assert entry.after["review_comment"] == "Thiếu số"
    assert entry.after["note"] == entry.before["note"] == "Gồm chi tập huấn quý IV"
    assert (await call(factory, "GET", one, unit))["may_edit"] is True
    fixed = await call(factory, "PATCH", one, unit, {"training_spend": 13_000_000})
    assert fixed["training_spend"] == 13_000_000
    await call(factory, "PATCH", one, unit, {"training_spend": 160_000_000}, expect=422)
    await call(factory, "POST", f"{one}/submit", unit)
    seen = await call(factory, "GET", one, superior)
    assert seen["may_approve"] is True
    approved = await call(factory, "POST", f"{one}/approve", superior)
    assert approved["status"] == "approved" and approved["approved_at"] is not None
    # The last return's comment stays visible through resubmission and approval.
    assert approved["review_comment"] == "Thiếu số"
    await call(factory, "PATCH", one, unit, {"note": "sửa"}, expect=409)
    listed = await call(factory, "GET", URL, superior, None)
    assert [i["id"] for i in listed["items"]] == [created["id"]]
