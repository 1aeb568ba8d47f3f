"""Moving, merging and dissolving unions: whole subtrees, dates, history on both sides."""

from datetime import date

from sqlalchemy import select

from tests.factories import Factory, new_id
from tests.unions.helpers import API, TOMORROW, Tree, build_tree, decision, field_error, problem
from unionhub.core.audit import AuditEntry


async def _get(factory: Factory, t: Tree, union_id: object) -> dict[str, object]:
    r = await factory.client.get(f"{API}/{union_id}", headers=t.admin)
    assert r.status_code == 200, r.text
    body: dict[str, object] = r.json()
    return body


async def _under(factory: Factory, t: Tree, union_id: object) -> set[str]:
    r = await factory.client.get(
        API, params={"under_id": str(union_id), "size": 200}, headers=t.admin
    )
    assert r.status_code == 200, r.text
    return {u["code"] for u in r.json()["items"]}


async def test_move_takes_the_whole_subtree(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(
        f"{API}/{t.grassroots_a.id}/move",
        json=decision(date(2022, 7, 1), new_parent_id=str(t.district_b.id), note="Chuyển địa bàn"),
        headers={**t.admin, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    moved = r.json()
    assert moved["parent_id"] == str(t.district_b.id)
    assert moved["parent_name"] == "Liên đoàn Lao động thành phố Mỹ Tho"
    assert moved["depth"] == 3
    # the grandchild (union group) came along
    assert await _under(factory, t, t.district_b.id) == {
        "DT-MT",
        "DT-MT-MAY",
        "DT-CB-TS",
        "DT-CB-TS-T1",
    }
    assert await _under(factory, t, t.district_a.id) == {"DT-CB", "DT-CB-THPT"}
    group = await _get(factory, t, t.group_a.id)
    assert group["parent_id"] == str(t.grassroots_a.id) and group["depth"] == 4
    assert (await _get(factory, t, t.district_a.id))["child_count"] == 1
    assert (await _get(factory, t, t.district_b.id))["child_count"] == 2
    # B's officer now sees the moved subtree, A's officer no longer does
    officer_a = await factory.headers_for("union_officer", t.district_a)
    officer_b = await factory.headers_for("union_officer", t.district_b)
    assert (await factory.client.get(f"{API}/{t.group_a.id}", headers=officer_b)).status_code == 200
    problem(await factory.client.get(f"{API}/{t.group_a.id}", headers=officer_a), 404)
    h = (await factory.client.get(f"{API}/{t.grassroots_a.id}/history", headers=t.admin)).json()
    assert [(e["event_type"], e["effective_date"]) for e in h] == [
        ("founded", "2015-01-01"),
        ("moved", "2022-07-01"),
    ]
    details = h[1]["details"]
    assert details["from_parent_id"] == str(t.district_a.id)
    assert details["to_parent_id"] == str(t.district_b.id)
    assert details["descendants_moved"] == 1
    assert h[1]["decision_no"] == "99/QĐ-LĐLĐ"
    audit = (
        await factory.db.execute(
            select(AuditEntry).where(
                AuditEntry.entity_id == t.grassroots_a.id, AuditEntry.action == "union.move"
            )
        )
    ).scalar_one()
    assert audit.before is not None and audit.after is not None
    assert audit.before["parent_id"] == str(t.district_a.id)
    assert audit.after["parent_id"] == str(t.district_b.id)


async def test_move_rules(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    url = f"{API}/{t.district_a.id}/move"
    # under its own descendant: a cycle
    r = await c.post(
        url, json=decision(date(2022, 1, 1), new_parent_id=str(t.grassroots_a.id)), headers=t.admin
    )
    field_error(r, "new_parent_id", "cycle")
    r = await c.post(
        url, json=decision(date(2022, 1, 1), new_parent_id=str(t.district_a.id)), headers=t.admin
    )
    field_error(r, "new_parent_id", "cycle")
    # already there
    r = await c.post(
        url, json=decision(date(2022, 1, 1), new_parent_id=str(t.province.id)), headers=t.admin
    )
    field_error(r, "new_parent_id", "same_parent")
    # level rules apply to the new parent
    gurl = f"{API}/{t.grassroots_a.id}/move"
    r = await c.post(
        gurl, json=decision(date(2022, 1, 1), new_parent_id=str(t.grassroots_b.id)), headers=t.admin
    )
    field_error(r, "new_parent_id", "parent_level_not_allowed")
    # dates: not in the future, not before the union's last change
    r = await c.post(
        gurl, json=decision(TOMORROW, new_parent_id=str(t.district_b.id)), headers=t.admin
    )
    field_error(r, "effective_date", "date_in_future")
    r = await c.post(
        gurl, json=decision(date(2014, 12, 31), new_parent_id=str(t.district_b.id)), headers=t.admin
    )
    field_error(r, "effective_date", "date_before_last_change")
    r = await c.patch(
        f"{API}/{t.grassroots_a.id}",
        json={"name": "CĐCS Thủy sản", "decision_no": "3/QĐ", "effective_date": "2021-03-01"},
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        gurl, json=decision(date(2021, 2, 28), new_parent_id=str(t.district_b.id)), headers=t.admin
    )
    field_error(r, "effective_date", "date_before_last_change")
    # a target founded after the date cannot receive it
    late = await factory.union(t.province, name="LĐLĐ thị xã Cai Lậy", founded_on=date(2023, 1, 1))
    r = await c.post(
        gurl, json=decision(date(2022, 1, 1), new_parent_id=str(late.id)), headers=t.admin
    )
    field_error(r, "effective_date", "before_parent_founded")
    # unknown target, missing decision number
    r = await c.post(gurl, json=decision(date(2022, 1, 1), new_parent_id=new_id()), headers=t.admin)
    problem(r, 404)
    r = await c.post(
        gurl,
        json={"effective_date": "2022-01-01", "new_parent_id": str(t.district_b.id)},
        headers=t.admin,
    )
    field_error(r, "decision_no", "required")
    # nothing moved
    assert (await _get(factory, t, t.grassroots_a.id))["parent_id"] == str(t.district_a.id)


async def test_move_on_the_day_of_the_last_change(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.post(
        f"{API}/{t.grassroots_a.id}/move",
        json=decision(date(2015, 1, 1), new_parent_id=str(t.district_b.id)),
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await factory.client.get(
        f"{API}/tree", params={"as_of": "2015-01-01", "depth": 3}, headers=t.admin
    )
    b = r.json()["roots"][0]["children"][1]
    assert b["code"] == "DT-MT"
    assert {c["code"] for c in b["children"]} == {"DT-MT-MAY", "DT-CB-TS"}


async def test_merge(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    r = await c.post(
        f"{API}/{t.district_a.id}/merge",
        json=decision(
            date(2025, 7, 1), target_id=str(t.district_b.id), note="Sắp xếp tổ chức bộ máy"
        ),
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    src = r.json()
    assert (src["status"], src["merged_into_id"], src["ended_on"]) == (
        "merged",
        str(t.district_b.id),
        "2025-07-01",
    )
    assert src["child_count"] == 0
    # the children and their subtrees now sit under the target
    assert await _under(factory, t, t.district_b.id) == {
        "DT-MT",
        "DT-MT-MAY",
        "DT-CB-TS",
        "DT-CB-THPT",
        "DT-CB-TS-T1",
    }
    assert (await _get(factory, t, t.grassroots_a.id))["parent_id"] == str(t.district_b.id)
    assert (await _get(factory, t, t.group_a.id))["depth"] == 4
    assert (await _get(factory, t, t.district_b.id))["child_count"] == 3
    src_h = (await c.get(f"{API}/{t.district_a.id}/history", headers=t.admin)).json()
    assert [e["event_type"] for e in src_h] == ["founded", "merged"]
    assert src_h[1]["details"]["target_id"] == str(t.district_b.id)
    assert src_h[1]["details"]["children_moved"] == 2
    tgt_h = (await c.get(f"{API}/{t.district_b.id}/history", headers=t.admin)).json()
    assert [e["event_type"] for e in tgt_h] == ["founded", "absorbed"]
    assert tgt_h[1]["details"]["source_id"] == str(t.district_a.id)
    assert tgt_h[1]["effective_date"] == "2025-07-01"
    child_h = (await c.get(f"{API}/{t.grassroots_a.id}/history", headers=t.admin)).json()
    assert child_h[-1]["event_type"] == "moved"
    assert child_h[-1]["details"]["reason"] == "parent_merged"
    # the merged union is out of the active list, still listed with status=merged
    active = await c.get(
        API, params={"status": "active", "level": "direct_superior"}, headers=t.admin
    )
    assert [u["code"] for u in active.json()["items"]] == ["DT-MT"]
    merged = await c.get(API, params={"status": "merged"}, headers=t.admin)
    assert [u["code"] for u in merged.json()["items"]] == ["DT-CB"]
    # a merged union cannot be merged, moved, renamed or dissolved again
    again = await c.post(
        f"{API}/{t.district_a.id}/merge",
        json=decision(date(2025, 8, 1), target_id=str(t.district_b.id)),
        headers=t.admin,
    )
    assert problem(again, 409)["code"] == "union_inactive"
    r = await c.post(
        f"{API}/{t.district_a.id}/dissolve", json=decision(date(2025, 8, 1)), headers=t.admin
    )
    assert problem(r, 409)["code"] == "union_inactive"
    r = await c.patch(
        f"{API}/{t.district_a.id}", json={"name": "X", "decision_no": "1"}, headers=t.admin
    )
    assert problem(r, 409)["code"] == "union_inactive"
    # and nothing can be merged into it
    r = await c.post(
        f"{API}/{t.grassroots_b.id}/merge",
        json=decision(date(2025, 8, 1), target_id=str(t.grassroots_a.id)),
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{t.grassroots_a2.id}/merge",
        json=decision(date(2025, 8, 1), target_id=str(t.grassroots_b.id)),
        headers=t.admin,
    )
    field_error(r, "target_id", "target_inactive")


async def test_merge_rules(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    url = f"{API}/{t.grassroots_a.id}/merge"
    r = await c.post(
        url, json=decision(date(2022, 1, 1), target_id=str(t.grassroots_a.id)), headers=t.admin
    )
    field_error(r, "target_id", "cycle")
    r = await c.post(
        url, json=decision(date(2022, 1, 1), target_id=str(t.district_b.id)), headers=t.admin
    )
    field_error(r, "target_id", "level_mismatch")
    r = await c.post(
        f"{API}/{t.district_a.id}/merge",
        json=decision(date(2022, 1, 1), target_id=str(t.grassroots_a.id)),
        headers=t.admin,
    )
    field_error(r, "target_id", "cycle")
    r = await c.post(
        url, json=decision(TOMORROW, target_id=str(t.grassroots_b.id)), headers=t.admin
    )
    field_error(r, "effective_date", "date_in_future")
    r = await c.post(
        url, json=decision(date(2010, 1, 1), target_id=str(t.grassroots_b.id)), headers=t.admin
    )
    field_error(r, "effective_date", "date_before_last_change")
    assert (await _get(factory, t, t.grassroots_a.id))["status"] == "active"
    # grassroots into grassroots: the union group follows
    r = await c.post(
        url, json=decision(date(2022, 1, 1), target_id=str(t.grassroots_b.id)), headers=t.admin
    )
    assert r.status_code == 200, r.text
    assert (await _get(factory, t, t.group_a.id))["parent_id"] == str(t.grassroots_b.id)


async def test_merge_into_a_union_founded_later_is_refused(factory: Factory) -> None:
    t = await build_tree(factory)
    late = await factory.union(t.district_b, name="CĐCS mới", founded_on=date(2024, 1, 1))
    r = await factory.client.post(
        f"{API}/{t.grassroots_a.id}/merge",
        json=decision(date(2023, 1, 1), target_id=str(late.id)),
        headers=t.admin,
    )
    field_error(r, "effective_date", "before_target_founded")


async def test_dissolve(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    r = await c.post(
        f"{API}/{t.district_a.id}/dissolve", json=decision(date(2024, 1, 1)), headers=t.admin
    )
    body = problem(r, 409)
    assert body["code"] == "union_not_empty"
    assert body["active_children"] == 2
    assert "2 active child union" in body["detail"]
    assert (await _get(factory, t, t.district_a.id))["status"] == "active"
    # empty the district first: dissolve its group, its grassroots unions, then it
    for u in (t.group_a, t.grassroots_a, t.grassroots_a2):
        r = await c.post(
            f"{API}/{u.id}/dissolve", json=decision(date(2024, 1, 1), note="Hết"), headers=t.admin
        )
        assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{t.district_a.id}/dissolve",
        json=decision(date(2024, 1, 1)),
        headers={**t.admin, "If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["status"], d["ended_on"], d["version"], d["child_count"]) == (
        "dissolved",
        "2024-01-01",
        2,
        0,
    )
    assert r.headers["ETag"] == '"2"'
    h = (await c.get(f"{API}/{t.district_a.id}/history", headers=t.admin)).json()
    assert [(e["event_type"], e["effective_date"]) for e in h] == [
        ("founded", "2015-01-01"),
        ("dissolved", "2024-01-01"),
    ]
    # a dissolved union cannot be dissolved twice or receive a move
    r = await c.post(
        f"{API}/{t.district_a.id}/dissolve", json=decision(date(2024, 2, 1)), headers=t.admin
    )
    assert problem(r, 409)["code"] == "union_inactive"
    r = await c.post(
        f"{API}/{t.grassroots_b.id}/move",
        json=decision(date(2024, 2, 1), new_parent_id=str(t.district_a.id)),
        headers=t.admin,
    )
    field_error(r, "new_parent_id", "parent_inactive")


async def test_dissolve_dates(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
    r = await c.post(f"{API}/{t.group_a.id}/dissolve", json=decision(TOMORROW), headers=t.admin)
    field_error(r, "effective_date", "date_in_future")
    r = await c.post(
        f"{API}/{t.group_a.id}/dissolve", json=decision(date(2014, 1, 1)), headers=t.admin
    )
    field_error(r, "effective_date", "date_before_last_change")
    # the group left on 2023-06-01: its old parent cannot be dissolved before that day
    r = await c.post(
        f"{API}/{t.group_a.id}/dissolve", json=decision(date(2023, 6, 1)), headers=t.admin
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{t.grassroots_a.id}/dissolve", json=decision(date(2023, 1, 1)), headers=t.admin
    )
    field_error(r, "effective_date", "date_before_last_change")
    r = await c.post(
        f"{API}/{t.grassroots_a.id}/dissolve", json=decision(date(2023, 6, 1)), headers=t.admin
    )
    assert r.status_code == 200, r.text


async def test_viewer_cannot_restructure(factory: Factory) -> None:
    t = await build_tree(factory)
    viewer = await factory.headers_for("viewer", t.district_a)
    for op, body in (
        ("move", decision(date(2022, 1, 1), new_parent_id=str(t.grassroots_a2.id))),
        ("merge", decision(date(2022, 1, 1), target_id=str(t.grassroots_a2.id))),
        ("dissolve", decision(date(2022, 1, 1))),
    ):
        r = await factory.client.post(f"{API}/{t.group_a.id}/{op}", json=body, headers=viewer)
        assert problem(r, 403)["code"] == "permission_denied", op
    assert (await _get(factory, t, t.group_a.id))["status"] == "active"
