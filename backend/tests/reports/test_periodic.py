"""Periodic reports: a request goes down, units generate, correct, submit; the province
returns, approves and consolidates; figures are checked against the hand count in helpers."""

import io
from datetime import date, datetime, timedelta, timezone
from typing import Any

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.factories import Factory
from tests.imports.conftest import QueueRunner
from tests.members.helpers import field_codes, problem
from tests.reports.helpers import (
    REPORTS,
    REQUESTS,
    TEMPLATES,
    build_province,
    cells,
    figures,
    post,
    report_of,
    section,
    send_request,
)
from unionhub.core.audit import AuditEntry
from unionhub.core.outbox import ChangeEvent

A_FIGURES = {
    "members/workers/total": 40,
    "members/workers/state": 0,
    "members/workers/non_state": 40,
    "members/members_start/total": 1,
    "members/members_start/female": 0,
    "members/admitted/total": 2,
    "members/admitted/female": 2,
    "members/admitted/state": 1,
    "members/admitted/non_state": 1,
    "members/transferred_in/total": 0,
    "members/transferred_out/total": 1,
    "members/members_end/total": 2,
    "members/members_end/female": 2,
    "unions/founded/total": 1,
    "unions/dissolved/total": 0,
}
B_FIGURES = {
    "members/workers/total": 0,
    "members/members_start/total": 1,
    "members/admitted/total": 1,
    "members/admitted/female": 0,
    "members/transferred_in/total": 1,
    "members/transferred_out/total": 0,
    "members/members_end/total": 3,
    "members/members_end/female": 1,
    "unions/founded/total": 0,
    "unions/dissolved/total": 1,
}


def _subset(found: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {k: found.get(k) for k in expected}


async def test_a_template_is_data_checked_against_the_indicator_catalogue(
    factory: Factory,
) -> None:
    w = await build_province(factory)
    body: dict[str, Any] = {
        "code": "org-members-quarter",
        "name": "Báo cáo quý (mẫu mới)",
        "period_kind": "quarter",
        "definition": {
            "title": "BÁO CÁO QUÝ",
            "sections": [
                {
                    "kind": "table",
                    "key": "members",
                    "title": "Đoàn viên",
                    "columns": [{"key": "total", "label": "Tổng số"}],
                    "rows": [
                        {"key": "admitted", "label": "Kết nạp", "indicator": "new_members"},
                        {"key": "ghosts", "label": "Ma", "indicator": "members_ghosts"},
                    ],
                },
                {"kind": "list", "key": "members", "title": "Danh sách", "indicator": "nope"},
            ],
        },
    }
    r = await factory.client.post(TEMPLATES, json=body, headers=w.province)
    assert field_codes(r) == {
        ("definition.sections[0].rows[1].indicator", "indicator_not_found"),
        ("definition.sections[1].key", "duplicate_key"),
        ("definition.sections[1].indicator", "indicator_not_found"),
    }
    assert problem(r, 422)["errors"][0]["params"] == {"value": "members_ghosts"}
    # A district officer does not write the federation's forms.
    body["definition"]["sections"] = body["definition"]["sections"][:1]
    body["definition"]["sections"][0]["rows"].pop()
    r = await factory.client.post(TEMPLATES, json=body, headers=w.officer_a)
    assert problem(r, 403)["code"] == "permission_denied"
    r = await factory.client.post(TEMPLATES, json=body, headers=w.province)
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["code"], created["version"]) == ("org-members-quarter", 2)
    latest = (await factory.client.get(TEMPLATES, headers=w.officer_a)).json()
    assert {t["code"]: t["version"] for t in latest} == {
        "org-members-quarter": 2,
        "org-members-half-year": 1,
        "org-members-year": 1,
        "evaluation-year": 1,
        "training-year": 1,
    }
    every = (
        await factory.client.get(TEMPLATES, params={"all_versions": True}, headers=w.officer_a)
    ).json()
    assert len(every) == 6
    entry = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.action == "report_template.create")
    )
    assert entry is not None and entry.after is not None
    assert entry.after["name"] == "Báo cáo quý (mẫu mới)"


async def test_request_generate_correct_return_approve_consolidate(factory: Factory) -> None:
    w = await build_province(factory)
    request = await send_request(factory, w)
    assert request["units"] == 2 and request["own_report_id"] is not None
    assert request["union_name"] == "LĐLĐ tỉnh thử"

    # Each district sees its own report, pending; not its sibling's.
    ra = await report_of(factory, w.officer_a, request["id"], w.a)
    rb = await report_of(factory, w.officer_b, request["id"], w.b)
    assert ra["status"] == rb["status"] == "pending"
    r = await factory.client.get(f"{REPORTS}/{rb['id']}", headers=w.officer_a)
    assert problem(r, 404)["code"] == "report_not_found"
    # The province officer cannot write a district's figures; a viewer cannot generate.
    r = await post(factory, w.province, ra, "submit")
    assert problem(r, 409)["code"] == "report_status"
    r = await post(factory, w.viewer_b, rb, "generate")
    assert problem(r, 403)["code"] == "permission_denied"

    # Both districts generate theirs from the records.
    r = await post(factory, w.officer_a, ra, "generate")
    assert r.status_code == 200, r.text
    ra = r.json()
    assert ra["status"] == "draft" and ra["generated_at"] is not None
    assert r.headers["etag"] == f'"{ra["version"]}"'
    assert _subset(figures(ra), A_FIGURES) == A_FIGURES
    admitted = section(ra, "admitted_list")
    assert [i["label"] for i in admitted["items"]] == ["Đoàn viên a3", "Đoàn viên a1"]
    assert admitted["total"] == 2
    assert [i["label"] for i in section(ra, "transferred_out_list")["items"]] == ["Đoàn viên a2"]
    assert [i["label"] for i in section(ra, "founded_list")["items"]] == ["CĐCS Công ty A3"]
    r = await post(factory, w.officer_b, rb, "generate")
    rb = r.json()
    assert _subset(figures(rb), B_FIGURES) == B_FIGURES
    assert [i["label"] for i in section(rb, "dissolved_list")["items"]] == ["CĐCS Công ty B2"]

    # B corrects one figure: a reason is required, and the computed figure stays beside it.
    edit = {"corrections": [{"cell": "members/workers/total", "numerator": 120, "reason": ""}]}
    r = await factory.client.patch(
        f"{REPORTS}/{rb['id']}/values", json=edit, headers={**w.officer_b, "If-Match": '"2"'}
    )
    assert field_codes(r) == {("corrections.0.reason", "too_short")}
    edit["corrections"][0]["reason"] = "Khảo sát tháng 9 của LĐLĐ huyện chưa nhập vào hệ thống"
    bad = {"corrections": [{**edit["corrections"][0], "cell": "members/ghosts/total"}]}
    r = await factory.client.patch(f"{REPORTS}/{rb['id']}/values", json=bad, headers=w.officer_b)
    assert field_codes(r) == {("corrections[0].cell", "unknown_report_cell")}
    r = await factory.client.patch(
        f"{REPORTS}/{rb['id']}/values", json=edit, headers={**w.officer_b, "If-Match": '"1"'}
    )
    assert problem(r, 412)["code"] == "version_mismatch"
    r = await factory.client.patch(
        f"{REPORTS}/{rb['id']}/values",
        json={**edit, "texts": {"assessment": "Quý III tăng 1 đoàn viên."}},
        headers={**w.officer_b, "If-Match": f'"{rb["version"]}"'},
    )
    assert r.status_code == 200, r.text
    rb = r.json()
    workers = cells(rb)["members/workers/total"]
    assert (workers["numerator"], workers["computed_numerator"], workers["corrected"]) == (
        120,
        0,
        True,
    )
    assert workers["reason"].startswith("Khảo sát tháng 9")
    assert section(rb, "assessment")["text"] == "Quý III tăng 1 đoàn viên."
    # Regenerating keeps the correction and the text.
    rb = (await post(factory, w.officer_b, rb, "generate")).json()
    assert cells(rb)["members/workers/total"]["numerator"] == 120
    assert section(rb, "assessment")["text"] == "Quý III tăng 1 đoàn viên."

    # Both submit; a submitted report cannot be edited.
    ra = (await post(factory, w.officer_a, ra, "submit")).json()
    rb = (await post(factory, w.officer_b, rb, "submit")).json()
    assert ra["status"] == rb["status"] == "submitted" and not ra["late"]
    r = await factory.client.patch(f"{REPORTS}/{ra['id']}/values", json=edit, headers=w.officer_a)
    assert problem(r, 409)["code"] == "report_status"
    # A district cannot approve its own report: only the asking union reviews.
    r = await post(factory, w.officer_a, ra, "approve")
    assert problem(r, 403)["code"] == "permission_denied"

    # The province returns A's with a comment; A regenerates and submits again.
    r = await post(factory, w.province, ra, "return", comment="Bổ sung danh sách kết nạp")
    assert r.status_code == 200, r.text
    ra = r.json()
    assert (ra["status"], ra["review_comment"]) == ("returned", "Bổ sung danh sách kết nạp")
    ra = (await post(factory, w.officer_a, ra, "generate")).json()
    assert ra["status"] == "returned"
    ra = (await post(factory, w.officer_a, ra, "submit")).json()
    assert ra["status"] == "submitted"

    # Approve both: approved reports are locked.
    ra = (await post(factory, w.province, ra, "approve")).json()
    rb = (await post(factory, w.province, rb, "approve")).json()
    assert ra["status"] == rb["status"] == "approved"
    r = await factory.client.patch(f"{REPORTS}/{rb['id']}/values", json=edit, headers=w.officer_b)
    assert problem(r, 409)["code"] == "report_locked"
    for action in ("generate", "submit"):
        r = await post(factory, w.officer_b, rb, action)
        assert problem(r, 409)["code"] == "report_locked"

    # The province consolidates: children's approved figures + its own records (GP).
    own = {"id": request["own_report_id"], "version": 1}
    r = await post(factory, w.officer_a, own, "consolidate")
    assert problem(r, 404)["code"] == "report_not_found"
    r = await post(factory, w.province, own, "consolidate")
    assert r.status_code == 200, r.text
    total = r.json()
    assert total["consolidated"] and total["status"] == "draft"
    got = cells(total)
    a, b = cells(ra), cells(rb)
    own_records = {
        "members/members_end/total": 1,
        "members/admitted/total": 1,
        "members/admitted/female": 1,
        "members/members_start/total": 0,
        "members/transferred_in/total": 0,
        "members/workers/total": 0,
    }
    for key, mine in own_records.items():
        assert got[key]["numerator"] == a[key]["numerator"] + b[key]["numerator"] + mine, key
    # B's corrected workers count in; the live figure is the records' and the difference shows.
    assert (
        got["members/workers/total"]["numerator"],
        got["members/workers/total"]["live_numerator"],
    ) == (160, 40)
    assert got["members/workers/total"]["difference"] == "120"
    # A transfer between the two districts is in and out for them, neither for the province.
    assert got["members/transferred_in/total"]["numerator"] == 1
    assert got["members/transferred_in/total"]["live_numerator"] == 0
    assert got["members/members_end/total"]["live_numerator"] == 6
    assert got["members/members_end/total"]["difference"] == "0"
    assert [i["label"] for i in section(total, "admitted_list")["items"]] == [
        "Đoàn viên a3",
        "Đoàn viên a1",
        "Đoàn viên b1",
        "Đoàn viên p1",
    ]
    total = (await post(factory, w.province, total, "approve")).json()
    assert total["status"] == "approved"
    r = await post(factory, w.province, total, "consolidate")
    assert problem(r, 409)["code"] == "report_locked"

    # Every step is audited, with its event on the change feed.
    actions = (
        await factory.db.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity_type.in_(["report", "report_request"])
            )
        )
    ).all()
    for action in (
        "report_request.create",
        "report.generate",
        "report.correct",
        "report.submit",
        "report.return",
        "report.approve",
        "report.consolidate",
    ):
        assert action in actions, action
    events = (
        await factory.db.scalars(
            select(ChangeEvent.action).where(ChangeEvent.entity_type == "report")
        )
    ).all()
    assert "report.approve" in events
    correction = await factory.db.scalar(
        select(AuditEntry).where(AuditEntry.action == "report.correct")
    )
    assert correction is not None and correction.after is not None
    change = correction.after["changes"][0]
    assert (change["before"]["numerator"], change["after"]["numerator"]) == (0, 120)


async def test_late_and_missing_reports_are_listed(factory: Factory) -> None:
    w = await build_province(factory)
    overdue = await send_request(factory, w, deadline=date.today() - timedelta(days=3))
    ra = await report_of(factory, w.officer_a, overdue["id"], w.a)
    ra = (await post(factory, w.officer_a, ra, "generate")).json()
    ra = (await post(factory, w.officer_a, ra, "submit")).json()
    assert ra["late"]
    r = await factory.client.get(f"{REQUESTS}/{overdue['id']}/status", headers=w.province)
    assert r.status_code == 200, r.text
    status = r.json()
    assert status["counts"]["submitted"] == 1 and status["counts"]["pending"] == 1
    assert {u["union_name"] for u in status["late"]} == {"LĐLĐ huyện A", "LĐLĐ huyện B"}
    assert [u["union_name"] for u in status["missing"]] == ["LĐLĐ huyện B"]
    # Not yet due: nobody is late or missing.
    due = await send_request(factory, w, deadline=date.today() + timedelta(days=3))
    status = (await factory.client.get(f"{REQUESTS}/{due['id']}/status", headers=w.province)).json()
    assert (status["late"], status["missing"], status["counts"]["pending"]) == ([], [], 2)
    # A district sees the request (it was asked) and only its own unit in the status.
    status = (
        await factory.client.get(f"{REQUESTS}/{due['id']}/status", headers=w.officer_a)
    ).json()
    assert [u["union_name"] for u in status["units"]] == ["LĐLĐ huyện A"]
    assert status["request"]["own_report_id"] is None
    listed = (await factory.client.get(REQUESTS, headers=w.officer_b)).json()
    assert {i["id"] for i in listed["items"]} == {overdue["id"], due["id"]}


async def test_requests_go_only_to_direct_children_and_stay_in_scope(factory: Factory) -> None:
    w = await build_province(factory)
    template = (await factory.client.get(TEMPLATES, headers=w.province)).json()[0]["id"]
    body = {
        "union_id": str(w.p.id),
        "template_id": template,
        "period_from": "2026-07-01",
        "period_to": "2026-09-30",
        "deadline": "2026-10-15",
        "unit_ids": [str(w.ga1.id)],
    }
    r = await factory.client.post(REQUESTS, json=body, headers=w.province)
    assert field_codes(r) == {("unit_ids[0]", "not_a_child")}
    # Default: every active direct child (A, B and GP).
    del body["unit_ids"]
    r = await factory.client.post(REQUESTS, json=body, headers=w.province)
    assert r.status_code == 201 and r.json()["units"] == 3
    request_id = r.json()["id"]
    # A district sends a request only from its own union, never from the province's.
    r = await factory.client.post(REQUESTS, json=body, headers=w.officer_a)
    assert problem(r, 404)["code"] == "union_not_found"
    r = await factory.client.post(
        REQUESTS, json={**body, "union_id": str(w.a.id)}, headers=w.officer_a
    )
    assert r.status_code == 201, r.text
    a_request = r.json()["id"]
    assert r.json()["units"] == 3  # GA1, GA2 and GA3
    # B's officer sees neither A's request nor its reports.
    r = await factory.client.get(f"{REQUESTS}/{a_request}", headers=w.officer_b)
    assert problem(r, 404)["code"] == "report_request_not_found"
    r = await factory.client.get(f"{REQUESTS}/{a_request}/status", headers=w.officer_b)
    assert r.status_code == 404
    reports = (
        await factory.client.get(REPORTS, params={"request_id": request_id}, headers=w.officer_b)
    ).json()
    assert [i["union_name"] for i in reports["items"]] == ["LĐLĐ huyện B"]
    # The grassroots officer of GA1 sees only GA1's report of A's request.
    mine = (await factory.client.get(REPORTS, headers=w.grassroots_a)).json()
    assert [i["union_name"] for i in mine["items"]] == ["CĐCS Công ty A1"]


async def test_the_report_exports_to_xlsx_in_the_official_layout(
    factory: Factory, runner: QueueRunner
) -> None:
    w = await build_province(factory)
    request = await send_request(factory, w)
    rb = await report_of(factory, w.officer_b, request["id"], w.b)
    rb = (await post(factory, w.officer_b, rb, "generate")).json()
    r = await factory.client.patch(
        f"{REPORTS}/{rb['id']}/values",
        json={
            "corrections": [
                {"cell": "members/members_end/total", "numerator": 1234, "reason": "Rà soát lại"}
            ]
        },
        headers=w.officer_b,
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(f"{REPORTS}/{rb['id']}/export-jobs", headers=w.officer_b)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["kind"] == "report_export" and job["file_name"].endswith(".xlsx")
    # Someone outside the report's scope cannot ask for it.
    r = await factory.client.post(f"{REPORTS}/{rb['id']}/export-jobs", headers=w.officer_a)
    assert problem(r, 404)["code"] == "report_not_found"
    await runner.drain()
    state = (await factory.client.get(f"/api/v1/file-jobs/{job['id']}", headers=w.officer_b)).json()
    assert state["status"] == "ready", state
    r = await factory.client.get(f"/api/v1/file-jobs/{job['id']}/download", headers=w.officer_b)
    assert r.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    rows = book.get_sheet_by_index(0).to_python()
    text = [[str(v) for v in row if v != ""] for row in rows]
    flat = [v for row in text for v in row]
    # The title block: the unions at the left, the motto at the right, title and period.
    assert rows[0][0] == "LĐLĐ TỈNH THỬ"
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in rows[0]
    assert rows[1][0] == "LĐLĐ HUYỆN B"
    assert "Độc lập - Tự do - Hạnh phúc" in rows[1]
    assert any(v.startswith("BÁO CÁO THỐNG KÊ QUÝ") for v in flat)
    assert "Kỳ báo cáo: từ ngày 01/07/2026 đến ngày 30/09/2026" in flat
    # When the figures were computed, on Vietnam's clock (UTC+7).
    generated = datetime.fromisoformat(rb["generated_at"]).astimezone(timezone(timedelta(hours=7)))
    assert f"Số liệu tính đến {generated:%H:%M ngày %d/%m/%Y}" in flat
    # The figures: members at the end corrected (with its note), admissions as computed.
    by_label = {row[1]: row[2:] for row in rows if len(row) > 2 and isinstance(row[1], str)}
    assert by_label["Đoàn viên cuối kỳ"][0] == 1234
    assert by_label["Kết nạp mới trong kỳ"][:2] == [1, 0]
    assert by_label["Chuyển đến trong kỳ"][0] == 1
    assert any("số tính từ dữ liệu 3, điều chỉnh 1.234. Lý do: Rà soát lại" in v for v in flat)
    # The lists and the signature block.
    assert "CĐCS Công ty B2" in flat and "Đoàn viên b1" in flat
    assert "TM. BAN CHẤP HÀNH" in flat and "CHỦ TỊCH" in flat
    entry = await factory.db.scalar(select(AuditEntry).where(AuditEntry.action == "report.export"))
    assert entry is not None
