"""The tree endpoint (today and on past dates) and the history of events."""

from datetime import date
from typing import Any

from tests.factories import Factory, new_id
from tests.unions.helpers import API, Tree, build_tree, decision, field_error, problem


async def _tree(factory: Factory, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = await factory.client.get(f"{API}/tree", params=params, headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _index(
    nodes: list[dict[str, Any]],
    parent: str | None = None,
    out: dict[str, tuple[str | None, dict[str, Any]]] | None = None,
) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """code -> (code of the parent in the returned tree, node)."""
    out = {} if out is None else out
    for n in nodes:
        out[n["code"]] = (parent, n)
        _index(n["children"], n["code"], out)
    return out


async def test_tree_depth_counts_and_root(factory: Factory) -> None:
    t = await build_tree(factory)
    body = await _tree(factory, t.admin)
    assert body["depth"] == 2
    assert body["as_of"] == date.today().isoformat()
    [root] = body["roots"]
    assert root["code"] == "DT" and root["child_count"] == 2
    # children sorted by name; depth 2 stops below the districts, child_count still says more
    assert [c["code"] for c in root["children"]] == ["DT-CB", "DT-MT"]
    cb = root["children"][0]
    assert cb["child_count"] == 2 and cb["children"] == []
    deep = await _tree(factory, t.admin, depth=4)
    idx = _index(deep["roots"])
    assert idx["DT-CB-TS-T1"][0] == "DT-CB-TS"
    assert idx["DT-CB-TS"][1]["child_count"] == 1
    assert idx["DT-CB-TS-T1"][1]["child_count"] == 0
    sub = await _tree(factory, t.admin, root_id=str(t.district_a.id), depth=1)
    assert [r["code"] for r in sub["roots"]] == ["DT-CB"]
    assert sub["roots"][0]["children"] == [] and sub["roots"][0]["child_count"] == 2
    problem(
        await factory.client.get(f"{API}/tree", params={"root_id": new_id()}, headers=t.admin), 404
    )
    for bad in (0, 11, "x"):
        r = await factory.client.get(f"{API}/tree", params={"depth": bad}, headers=t.admin)
        assert problem(r, 422)["errors"][0]["field"] == "depth"


async def test_tree_is_scoped(factory: Factory) -> None:
    t = await build_tree(factory)
    officer_a = await factory.headers_for("union_officer", t.district_a)
    body = await _tree(factory, officer_a, depth=5)
    assert set(_index(body["roots"])) == {"DT-CB", "DT-CB-TS", "DT-CB-THPT", "DT-CB-TS-T1"}
    assert [r["code"] for r in body["roots"]] == ["DT-CB"]
    r = await factory.client.get(
        f"{API}/tree", params={"root_id": str(t.district_b.id)}, headers=officer_a
    )
    problem(r, 404)
    past = await _tree(factory, officer_a, depth=5, as_of="2020-01-01")
    assert set(_index(past["roots"])) == {"DT-CB", "DT-CB-TS", "DT-CB-THPT", "DT-CB-TS-T1"}
    r = await factory.client.get(
        f"{API}/tree",
        params={"root_id": str(t.district_b.id), "as_of": "2020-01-01"},
        headers=officer_a,
    )
    problem(r, 404)


async def _history_fixture(factory: Factory) -> Tree:
    """2015 tree; 2019 a union founded; 2020 TS renamed; 2021 TS moved to B; 2022 THPT gone."""
    t = await build_tree(factory)
    c = factory.client
    r = await c.post(
        API,
        json={
            "code": "DT-MT-NEW",
            "name": "CĐCS Công ty Mới",
            "level": "grassroots",
            "kind": "enterprise_union",
            "sector": "non_state",
            "parent_id": str(t.district_b.id),
            "founded_on": "2019-05-01",
            "founding_decision_no": "5/QĐ",
        },
        headers=t.admin,
    )
    assert r.status_code == 201, r.text
    r = await c.patch(
        f"{API}/{t.grassroots_a.id}",
        json={
            "name": "CĐCS Công ty CP Thủy sản Tiền Giang",
            "decision_no": "20/QĐ",
            "effective_date": "2020-01-01",
        },
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{t.grassroots_a.id}/move",
        json=decision(date(2021, 1, 1), new_parent_id=str(t.district_b.id)),
        headers=t.admin,
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"{API}/{t.grassroots_a2.id}/dissolve", json=decision(date(2022, 1, 1)), headers=t.admin
    )
    assert r.status_code == 200, r.text
    return t


async def test_tree_as_of(factory: Factory) -> None:
    t = await _history_fixture(factory)
    old_name = "Công đoàn cơ sở Công ty Thủy sản Cái Bè"
    new_name = "CĐCS Công ty CP Thủy sản Tiền Giang"

    idx = _index((await _tree(factory, t.admin, depth=5, as_of="2018-12-31"))["roots"])
    assert idx["DT-CB-TS"][0] == "DT-CB" and idx["DT-CB-TS"][1]["name"] == old_name
    assert "DT-MT-NEW" not in idx  # founded later
    assert idx["DT-CB-THPT"][1]["status"] == "active"
    assert idx["DT-CB"][1]["child_count"] == 2 and idx["DT-MT"][1]["child_count"] == 1
    assert idx["DT-CB-TS-T1"][0] == "DT-CB-TS"

    idx = _index((await _tree(factory, t.admin, depth=5, as_of="2019-05-01"))["roots"])
    assert idx["DT-MT-NEW"][0] == "DT-MT"  # founding day counts

    idx = _index((await _tree(factory, t.admin, depth=5, as_of="2020-06-30"))["roots"])
    assert idx["DT-CB-TS"][0] == "DT-CB" and idx["DT-CB-TS"][1]["name"] == new_name

    idx = _index((await _tree(factory, t.admin, depth=5, as_of="2021-01-01"))["roots"])
    assert idx["DT-CB-TS"][0] == "DT-MT" and idx["DT-CB-TS"][1]["name"] == new_name
    assert idx["DT-CB-TS-T1"][0] == "DT-CB-TS"  # the subtree moved along
    assert idx["DT-CB"][1]["child_count"] == 1 and idx["DT-MT"][1]["child_count"] == 3

    idx = _index((await _tree(factory, t.admin, depth=5, as_of="2022-01-01"))["roots"])
    assert "DT-CB-THPT" not in idx and idx["DT-CB"][1]["child_count"] == 0
    idx = _index(
        (await _tree(factory, t.admin, depth=5, as_of="2022-01-01", include_inactive=True))["roots"]
    )
    assert idx["DT-CB-THPT"][1]["status"] == "dissolved"

    # before the province existed there is nothing
    assert (await _tree(factory, t.admin, as_of="2014-12-31"))["roots"] == []
    # today's tree agrees with the latest date
    idx = _index((await _tree(factory, t.admin, depth=5))["roots"])
    assert idx["DT-CB-TS"][0] == "DT-MT" and "DT-CB-THPT" not in idx
    idx = _index((await _tree(factory, t.admin, depth=5, include_inactive=True))["roots"])
    assert idx["DT-CB-THPT"][0] == "DT-CB"
    r = await factory.client.get(f"{API}/tree", params={"as_of": "2021-02-30"}, headers=t.admin)
    field_error(r, "as_of", "invalid_date")


async def test_past_tree_follows_the_officers_union_as_it_was(factory: Factory) -> None:
    t = await _history_fixture(factory)
    officer_b = await factory.headers_for("union_officer", t.district_b)
    idx = _index((await _tree(factory, officer_b, depth=5, as_of="2020-06-30"))["roots"])
    assert set(idx) == {"DT-MT", "DT-MT-MAY", "DT-MT-NEW"}
    idx = _index((await _tree(factory, officer_b, depth=5, as_of="2021-06-30"))["roots"])
    assert set(idx) == {"DT-MT", "DT-MT-MAY", "DT-MT-NEW", "DT-CB-TS", "DT-CB-TS-T1"}


async def test_history_lists_events_in_order(factory: Factory) -> None:
    t = await _history_fixture(factory)
    r = await factory.client.get(f"{API}/{t.grassroots_a.id}/history", headers=t.admin)
    assert r.status_code == 200, r.text
    events = r.json()
    assert [(e["event_type"], e["effective_date"]) for e in events] == [
        ("founded", "2015-01-01"),
        ("renamed", "2020-01-01"),
        ("moved", "2021-01-01"),
    ]
    assert all(e["union_id"] == str(t.grassroots_a.id) for e in events)
    assert events[1]["decision_no"] == "20/QĐ"
    assert events[1]["actor_id"] is not None  # the admin who did it
    r = await factory.client.get(f"{API}/{t.grassroots_a2.id}/history", headers=t.admin)
    assert [e["event_type"] for e in r.json()] == ["founded", "dissolved"]
    problem(await factory.client.get(f"{API}/{new_id()}/history", headers=t.admin), 404)
    officer_a = await factory.headers_for("union_officer", t.district_a)
    # since the move, the union is B's: A's officer cannot read its history any more
    problem(await factory.client.get(f"{API}/{t.grassroots_a.id}/history", headers=officer_a), 404)
    r = await factory.client.get(f"{API}/{t.grassroots_a2.id}/history", headers=officer_a)
    assert r.status_code == 200
