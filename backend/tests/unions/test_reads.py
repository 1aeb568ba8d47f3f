"""Reading unions: one union with its ETag, the filtered, paged and sorted list."""

from typing import Any

from tests.factories import Factory, new_id
from tests.unions.helpers import API, Tree, build_tree, field_error, problem


async def _codes(factory: Factory, t: Tree, **params: Any) -> list[str]:
    r = await factory.client.get(API, params={"size": 200, **params}, headers=t.admin)
    assert r.status_code == 200, r.text
    return [u["code"] for u in r.json()["items"]]


async def test_get_one_with_etag(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(f"{API}/{t.grassroots_a.id}", headers=t.admin)
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"1"'
    u = r.json()
    assert u["code"] == "DT-CB-TS"
    assert u["parent_name"] == "Liên đoàn Lao động huyện Cái Bè"
    assert u["child_count"] == 1
    assert u["depth"] == 3
    assert u["level"] == "grassroots"
    assert "path" not in u and "tree_key" not in u and "search_text" not in u
    problem(await factory.client.get(f"{API}/{new_id()}", headers=t.admin), 404)


async def test_reads_need_sign_in(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(f"{API}/{t.province.id}")
    assert problem(r, 401)["code"] == "not_authenticated"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = await factory.client.get(API, headers={"Authorization": "Bearer not-a-token"})
    assert problem(r, 401)["code"] == "token_invalid"


async def test_filters(factory: Factory) -> None:
    t = await build_tree(factory)
    assert await _codes(factory, t, parent_id=str(t.district_a.id), sort="code") == [
        "DT-CB-THPT",
        "DT-CB-TS",
    ]
    assert await _codes(factory, t, under_id=str(t.district_a.id), sort="code") == [
        "DT-CB",
        "DT-CB-THPT",
        "DT-CB-TS",
        "DT-CB-TS-T1",
    ]
    assert await _codes(factory, t, level="grassroots", sort="code") == [
        "DT-CB-THPT",
        "DT-CB-TS",
        "DT-MT-MAY",
    ]
    # repeated query parameters combine with OR
    assert await _codes(factory, t, level=["direct_superior", "union_group"], sort="code") == [
        "DT-CB",
        "DT-CB-TS-T1",
        "DT-MT",
    ]
    assert await _codes(factory, t, kind="school_union") == ["DT-CB-THPT"]
    assert await _codes(factory, t, sector="state") == ["DT-CB-THPT"]
    assert await _codes(factory, t, status="dissolved") == []
    assert len(await _codes(factory, t, status="active")) == 7
    # filters combine with AND
    assert await _codes(factory, t, under_id=str(t.district_b.id), level="grassroots") == [
        "DT-MT-MAY"
    ]
    # an under_id that does not exist is a 404, not an empty list
    problem(await factory.client.get(API, params={"under_id": new_id()}, headers=t.admin), 404)
    for name, value, field, code in (
        ("level", "village", "level.0", "invalid_choice"),
        ("kind", "x", "kind.0", "invalid_choice"),
        ("status", "gone", "status.0", "invalid_choice"),
        ("sector", "private", "sector", "invalid_choice"),
        ("parent_id", "12", "parent_id", "invalid_uuid"),
        ("under_id", "DT-CB", "under_id", "invalid_uuid"),
    ):
        r = await factory.client.get(API, params={name: value}, headers=t.admin)
        assert field_error(r, field, code)["errors"][0]["in"] == "query"


async def test_search_without_accents(factory: Factory) -> None:
    t = await build_tree(factory)
    assert await _codes(factory, t, q="cai be", level="direct_superior") == ["DT-CB"]
    assert await _codes(factory, t, q="dong thap") == ["DT"]
    assert await _codes(factory, t, q="ĐỒNG THÁP") == ["DT"]
    assert await _codes(factory, t, q="Cái Bè", sort="code") == [
        "DT-CB",
        "DT-CB-THPT",
        "DT-CB-TS",
    ]
    # decomposed (NFD) input, as some keyboards send it, finds the same
    assert await _codes(factory, t, q="Ca\u0301i Be\u0300", level="direct_superior") == ["DT-CB"]
    assert await _codes(factory, t, q="thuy san") == ["DT-CB-TS"]
    assert await _codes(factory, t, q="dt-mt-may") == ["DT-MT-MAY"]  # by code
    assert await _codes(factory, t, q="my  tho", level="direct_superior") == ["DT-MT"]
    # LIKE wildcards are literal characters
    assert await _codes(factory, t, q="%") == []
    assert await _codes(factory, t, q="_") == []
    assert await _codes(factory, t, q="khong co") == []


async def test_paging(factory: Factory) -> None:
    t = await build_tree(factory)
    r = await factory.client.get(API, params={"size": 3, "sort": "code"}, headers=t.admin)
    body = r.json()
    assert (body["total"], body["pages"], body["page"], body["size"]) == (7, 3, 1, 3)
    assert [u["code"] for u in body["items"]] == ["DT", "DT-CB", "DT-CB-THPT"]
    r = await factory.client.get(
        API, params={"size": 3, "page": 3, "sort": "code"}, headers=t.admin
    )
    assert [u["code"] for u in r.json()["items"]] == ["DT-MT-MAY"]
    r = await factory.client.get(API, params={"size": 3, "page": 4}, headers=t.admin)
    assert r.json()["items"] == [] and r.json()["total"] == 7
    r = await factory.client.get(API, params={"q": "nothing-here"}, headers=t.admin)
    assert (r.json()["total"], r.json()["pages"]) == (0, 0)
    field_error(
        await factory.client.get(API, params={"size": 201}, headers=t.admin), "size", "too_large"
    )
    field_error(
        await factory.client.get(API, params={"size": 0}, headers=t.admin), "size", "too_small"
    )
    field_error(
        await factory.client.get(API, params={"page": 0}, headers=t.admin), "page", "too_small"
    )
    assert (await factory.client.get(API, params={"size": 200}, headers=t.admin)).status_code == 200


async def test_sorting(factory: Factory) -> None:
    t = await build_tree(factory)
    codes = await _codes(factory, t, sort="code")
    assert codes == sorted(codes)
    assert await _codes(factory, t, sort="-code") == list(reversed(codes))
    r = await factory.client.get(API, params={"sort": "name", "size": 200}, headers=t.admin)
    names = [u["name"] for u in r.json()["items"]]
    assert names == sorted(names)
    # the default order is the tree's: every parent comes before its children
    default = (await factory.client.get(API, params={"size": 200}, headers=t.admin)).json()["items"]
    seen: set[str] = set()
    for u in default:
        assert u["parent_id"] is None or u["parent_id"] in seen, u["code"]
        seen.add(u["id"])
    r = await factory.client.get(API, params={"sort": "level"}, headers=t.admin)
    assert r.status_code == 200
    field_error(
        await factory.client.get(API, params={"sort": "password_hash"}, headers=t.admin),
        "sort",
        "invalid_choice",
    )


async def test_list_is_scoped(factory: Factory) -> None:
    t = await build_tree(factory)
    officer_a = await factory.headers_for("union_officer", t.district_a)
    r = await factory.client.get(API, params={"size": 200}, headers=officer_a)
    assert sorted(u["code"] for u in r.json()["items"]) == [
        "DT-CB",
        "DT-CB-THPT",
        "DT-CB-TS",
        "DT-CB-TS-T1",
    ]
    assert r.json()["total"] == 4
    r = await factory.client.get(API, params={"parent_id": str(t.district_b.id)}, headers=officer_a)
    assert r.json()["items"] == [] and r.json()["total"] == 0
    problem(
        await factory.client.get(API, params={"under_id": str(t.district_b.id)}, headers=officer_a),
        404,
    )
    r = await factory.client.get(API, params={"q": "my tho"}, headers=officer_a)
    assert r.json()["total"] == 0
    gro = await factory.headers_for("grassroots_officer", t.grassroots_a)
    r = await factory.client.get(API, headers=gro)
    assert sorted(u["code"] for u in r.json()["items"]) == ["DT-CB-TS", "DT-CB-TS-T1"]
