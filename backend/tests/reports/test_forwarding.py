"""A district asked by the province forwards the request to its own grassroots unions; its
report for the province is then their approved reports added up (tests.reports.helpers has
the hand count: GA1 admitted a1 in the quarter, GA2 admitted a3)."""

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from tests.factories import Factory
from tests.members.helpers import field_codes, problem
from tests.reports.helpers import (
    Q3,
    REPORTS,
    REQUESTS,
    build_province,
    figures,
    post,
    report_of,
    send_request,
    template_id,
)
from unionhub.core.audit import AuditEntry


async def test_a_district_forwards_the_request_and_reports_its_childrens_figures(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    parent_deadline = date.today() + timedelta(days=10)
    parent = await send_request(
        factory, w, deadline=parent_deadline, title="Báo cáo quý III/2026 về tổ chức, đoàn viên"
    )
    body: dict[str, Any] = {
        "union_id": str(w.a.id),
        "template_id": parent["template"]["id"],
        "period_from": Q3[0],
        "period_to": Q3[1],
        "deadline": parent_deadline.isoformat(),
        "parent_request_id": parent["id"],
    }

    # The children answer before the district must: the parent's own deadline is too late.
    r = await factory.client.post(REQUESTS, json=body, headers=w.officer_a)
    assert field_codes(r) == {("deadline", "deadline_not_before_parent")}
    assert problem(r, 422)["errors"][0]["params"]["parent_deadline"] == parent_deadline.isoformat()
    body["deadline"] = (parent_deadline - timedelta(days=4)).isoformat()
    # The same form and period as the parent's.
    other = await template_id(factory, w.officer_a, "org-members-year")
    r = await factory.client.post(
        REQUESTS, json={**body, "template_id": other}, headers=w.officer_a
    )
    assert field_codes(r) == {("template_id", "forward_mismatch")}
    r = await factory.client.post(
        REQUESTS, json={**body, "period_from": "2026-08-01"}, headers=w.officer_a
    )
    assert field_codes(r) == {("period_from", "forward_mismatch")}
    # Only a unit the parent asked forwards it (the province asked, it was not asked).
    r = await factory.client.post(
        REQUESTS, json={**body, "union_id": str(w.p.id)}, headers=w.province
    )
    assert field_codes(r) == {("parent_request_id", "forward_not_asked")}
    # B's officer neither sees A nor forwards for it.
    r = await factory.client.post(REQUESTS, json=body, headers=w.officer_b)
    assert r.status_code == 404, r.text

    r = await factory.client.post(REQUESTS, json=body, headers=w.officer_a)
    assert r.status_code == 201, r.text
    child = r.json()
    assert child["parent_request_id"] == parent["id"] and child["union_name"] == "LĐLĐ huyện A"
    assert child["units"] == 3  # GA1, GA2, GA3: A's active children
    # Its children answer the request under the name the province gave it.
    assert child["title"] == parent["title"]
    r = await factory.client.post(REQUESTS, json=body, headers=w.officer_a)
    assert problem(r, 409)["code"] == "already_forwarded"
    entry = await factory.db.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "report_request.create",
            AuditEntry.entity_id == uuid.UUID(child["id"]),
        )
    )
    assert entry is not None and entry.after is not None
    assert entry.after["parent_request_id"] == parent["id"]
    # A's report for the province names the forwarded request.
    ra = await report_of(factory, w.officer_a, parent["id"], w.a)
    ra = (await factory.client.get(f"{REPORTS}/{ra['id']}", headers=w.officer_a)).json()
    assert ra["forwarded_request_id"] == child["id"]

    # GA1 reports 5 admissions instead of the computed 1 (with its reason); A approves it.
    g1 = await report_of(factory, w.grassroots_a, child["id"], w.ga1)
    g1 = (await post(factory, w.grassroots_a, g1, "generate")).json()
    assert figures(g1)["members/admitted/total"] == 1
    r = await factory.client.patch(
        f"{REPORTS}/{g1['id']}/values",
        json={
            "corrections": [
                {"cell": "members/admitted/total", "numerator": 5, "reason": "Bổ sung hồ sơ"}
            ]
        },
        headers=w.grassroots_a,
    )
    assert r.status_code == 200, r.text
    g1 = (await post(factory, w.grassroots_a, r.json(), "submit")).json()
    g1 = (await post(factory, w.officer_a, g1, "approve")).json()
    assert g1["status"] == "approved", g1

    # Before A approves its consolidation, its report for the province comes from the records.
    ra = (await post(factory, w.officer_a, ra, "generate")).json()
    assert figures(ra)["members/admitted/total"] == 2
    own = (await factory.client.get(f"{REQUESTS}/{child['id']}", headers=w.officer_a)).json()[
        "own_report_id"
    ]
    consolidated = (await factory.client.get(f"{REPORTS}/{own}", headers=w.officer_a)).json()
    consolidated = (await post(factory, w.officer_a, consolidated, "consolidate")).json()
    # GA1's 5; GA2 has not reported and nothing of A's is outside the units it asked.
    assert figures(consolidated)["members/admitted/total"] == 5
    consolidated = (await post(factory, w.officer_a, consolidated, "approve")).json()
    assert consolidated["status"] == "approved", consolidated

    # Now A's report for the province is its children's: 5 admissions, taken as computed.
    ra = (await post(factory, w.officer_a, ra, "generate")).json()
    cell = {
        c["cell"]: c
        for s in ra["sections"]
        if s["kind"] == "table"
        for row in s["rows"]
        for c in row["cells"]
    }["members/admitted/total"]
    assert (cell["numerator"], cell["computed_numerator"], cell["corrected"]) == (5, 5, False)
    assert cell["live_value"] is None
    ra = (await post(factory, w.officer_a, ra, "submit")).json()
    assert ra["status"] == "submitted"
