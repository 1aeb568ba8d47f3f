"""Finding a union as people type it: any word order, abbreviations, ranking, a past date's tree,
and where a merged union's units and members went."""

from datetime import date
from typing import Any

from tests.factories import Factory
from tests.members.helpers import admit, build_world
from tests.unions.helpers import API, build_tree, decision, field_error, problem
from unionhub.unions.search import parse


async def _search(factory: Factory, headers: dict[str, str], q: str, **params: Any) -> list[Any]:
    r = await factory.client.get(f"{API}/search", params={"q": q, **params}, headers=headers)
    assert r.status_code == 200, r.text
    items: list[Any] = r.json()["items"]
    return items


def test_a_query_is_cut_into_words_and_abbreviations() -> None:
    assert parse("LĐLĐ Mỹ Tho").terms == [("ldld", "lien doan lao dong"), ("my",), ("tho",)]
    assert parse("liên đoàn lao động Mỹ Tho").terms[0] == ("ldld", "lien doan lao dong")
    assert parse("Cty TNHH").terms == [("cty", "cong ty"), ("tnhh", "trach nhiem huu han")]
    assert parse(" ,. ").terms == []


async def test_any_word_order_and_abbreviations_find_the_federation(factory: Factory) -> None:
    t = await build_tree(factory)
    for q in (
        "lien doan my tho",
        "LĐLĐ Mỹ Tho",
        "ldld tp my tho",
        "my tho lien doan",
        "Liên đoàn Lao động thành phố Mỹ Tho",
    ):
        items = await _search(factory, t.admin, q)
        assert items and items[0]["code"] == "DT-MT", (q, [i["code"] for i in items])
        assert items[0]["parent_name"] == t.province.name
    # A grassroots union by its abbreviations, also written out, in either case.
    for q in ("cdcs cty may my tho", "CĐCS Công ty May", "cong doan co so may"):
        codes = [i["code"] for i in await _search(factory, t.admin, q)]
        assert codes == ["DT-MT-MAY"], (q, codes)
    # A name stored abbreviated is found by the long form too.
    await factory.union(t.district_a, name="CĐCS Cty TNHH Hải Sản Việt", code="DT-CB-HSV")
    q = "cong ty trach nhiem huu han hai san"
    codes = [i["code"] for i in await _search(factory, t.admin, q)]
    assert codes == ["DT-CB-HSV"]
    assert await _search(factory, t.admin, "khong co dau ca") == []


async def test_higher_levels_and_exact_names_come_first(factory: Factory) -> None:
    t = await build_tree(factory)
    # "my tho": the district federation before the grassroots union under it (tree order would
    # put them the other way round by name).
    codes = [i["code"] for i in await _search(factory, t.admin, "my tho")]
    assert codes == ["DT-MT", "DT-MT-MAY"]
    codes = [i["code"] for i in await _search(factory, t.admin, "cai be")]
    assert codes[0] == "DT-CB" and set(codes[1:]) == {"DT-CB-TS", "DT-CB-THPT"}
    # An exact name beats a higher level.
    q = "Công đoàn cơ sở Trường THPT Cái Bè"
    codes = [i["code"] for i in await _search(factory, t.admin, q)]
    assert codes[0] == "DT-CB-THPT"
    # By code.
    assert (await _search(factory, t.admin, "dt-cb-thpt"))[0]["code"] == "DT-CB-THPT"


async def test_search_is_scoped(factory: Factory) -> None:
    t = await build_tree(factory)
    officer_a = await factory.headers_for("union_officer", t.district_a)
    assert await _search(factory, officer_a, "my tho") == []
    assert {i["code"] for i in await _search(factory, officer_a, "cong doan co so")} == {
        "DT-CB-TS",
        "DT-CB-THPT",
    }
    field_error(await factory.client.get(f"{API}/search", headers=t.admin), "q", "required")
    r = await factory.client.get(f"{API}/search", params={"q": "a"})
    problem(r, 401)


async def test_search_on_a_past_date_uses_that_days_names_and_tree(factory: Factory) -> None:
    t = await build_tree(factory)
    c = factory.client
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
        f"{API}/{t.grassroots_a2.id}/dissolve", json=decision(date(2022, 1, 1)), headers=t.admin
    )
    assert r.status_code == 200, r.text
    # Today: the new name; the old one finds nothing.
    now = await _search(factory, t.admin, "thuy san tien giang")
    assert [i["code"] for i in now] == ["DT-CB-TS"]
    assert await _search(factory, t.admin, "thuy san cai be") == []
    # 2019: the old name, under its parent as it was; the dissolved school was still active.
    old = await _search(factory, t.admin, "thuy san cai be", as_of="2019-06-01")
    assert [(i["code"], i["name"]) for i in old] == [
        ("DT-CB-TS", "Công đoàn cơ sở Công ty Thủy sản Cái Bè")
    ]
    assert old[0]["parent_name"] == t.district_a.name
    school = await _search(factory, t.admin, "thpt cai be", as_of="2019-06-01")
    assert [(i["code"], i["status"]) for i in school] == [("DT-CB-THPT", "active")]
    today = await _search(factory, t.admin, "truong thpt cai be")
    assert [(i["code"], i["status"], i["ended_on"]) for i in today] == [
        ("DT-CB-THPT", "dissolved", "2022-01-01")
    ]
    assert await _search(factory, t.admin, "truong thpt cai be", active_only="true") == []
    # Before anything was founded: nothing.
    assert await _search(factory, t.admin, "cai be", as_of="2010-01-01") == []
    # A district officer's past scope is their district as it stood then.
    officer_b = await factory.headers_for("union_officer", t.district_b)
    assert await _search(factory, officer_b, "thuy san", as_of="2019-06-01") == []


async def test_a_merged_union_says_where_its_units_and_members_went(factory: Factory) -> None:
    w = await build_world(factory)
    h = w.admin
    src, dst = w.grassroots_a, w.grassroots_b
    for name in ("Trương Văn Một", "Trần Thị Hai"):
        await admit(factory, h, src, full_name=name, admission_date="2020-02-01")
    r = await factory.client.post(
        f"{API}/{w.district_a.id}/merge",
        json=decision(date(2024, 1, 1), target_id=str(w.district_b.id)),
        headers=h,
    )
    assert r.status_code == 200, r.text
    r = await factory.client.post(
        f"{API}/{src.id}/merge", json=decision(date(2024, 6, 1), target_id=str(dst.id)), headers=h
    )
    assert r.status_code == 200, r.text

    r = await factory.client.get(f"{API}/{w.district_a.id}/whereabouts", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "merged" and body["ended_on"] == "2024-01-01"
    assert body["merged_into"]["id"] == str(w.district_b.id)
    units = {u["union"]["id"]: u for u in body["units"]}
    assert set(units) == {str(src.id), str(w.grassroots_a2.id)}
    assert units[str(w.grassroots_a2.id)]["now_under"]["id"] == str(w.district_b.id)
    assert units[str(w.grassroots_a2.id)]["moved_on"] == "2024-01-01"

    body = (await factory.client.get(f"{API}/{src.id}/whereabouts", headers=h)).json()
    assert body["merged_into"]["name"] == dst.name
    assert [(m["to"]["id"], m["members"], m["moved_on"]) for m in body["members"]] == [
        (str(dst.id), 2, "2024-06-01")
    ]
    # The group under it went with the merge too.
    assert [u["union"]["id"] for u in body["units"]] == [str(w.group_a.id)]
    # Outside the caller's scope (a viewer of the merged district, now empty): not found.
    problem(await factory.client.get(f"{API}/{src.id}/whereabouts", headers=w.viewer_a), 404)
