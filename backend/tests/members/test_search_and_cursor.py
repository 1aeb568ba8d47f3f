"""Name search by scope (union first, whole words, trigram fragments) gives the LIKE's answer;
keyset pages (cursor) walk the same rows as page numbers."""

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.factories import Factory
from tests.members.helpers import API, admit, build_world
from unionhub.authz.scope import scoped_union_id_array_bound
from unionhub.core.db import DriverStatement
from unionhub.core.text import fold
from unionhub.members import search
from unionhub.members.repository import MemberFilters, bound_search_query
from unionhub.unions.models import Union

NAMES = [
    "Nguyễn Thị Thu Hà",
    "Nguyễn Thị Thu Hạnh",
    "Nguyễn Thị Thu",
    "Phạm Nguyễn Thị Thu Hà",
    "Trần Thị Thu Hà",
    "Đặng Văn Đức",
    "Đỗ Thị Hà Thu",
    "Lê Văn An",
    "Nguyên Thị Thủy",
]
QUERIES = [
    "nguyen thi thu ha",
    "Nguyễn Thị Thu Hà",
    "nguyen thi thu h",
    "guyen thi thu",
    "n thi thu ha",
    "thi thu",
    "thu ha",
    "thu",
    "dang van duc",
    "Đặng",
    "van d",
    "ha thu",
    "yen thi t",
    "nguyen thi thu ha x",
    "uyen thi thu ha",
    "pham nguyen thi thu",
    "n thi t",
    "thi thu ha",
    "thi",
]


async def _names(factory: Factory, headers: dict[str, str], **params: Any) -> list[str]:
    r = await factory.client.get(API, params={"size": 200, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return sorted(m["full_name"] for m in r.json()["items"])


@pytest.mark.parametrize("small_scope_unions", [0, 64])
async def test_every_search_path_finds_what_the_name_contains(
    factory: Factory, monkeypatch: pytest.MonkeyPatch, small_scope_unions: int
) -> None:
    # 0: every scope is large (whole words, trigrams); 64: a district searches union first.
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", small_scope_unions)
    w = await build_world(factory)
    for name in NAMES:
        await admit(factory, w.officer_a, w.grassroots_a, full_name=name)
    await admit(factory, w.officer_b, w.grassroots_b, full_name="Nguyễn Thị Thu Hà")
    for q in QUERIES:
        expected = sorted(n for n in NAMES if fold(q) in fold(n))
        assert await _names(factory, w.officer_a, q=q) == expected, q
        assert await _names(factory, w.grassroots_officer_a, q=q) == expected, q
    # The province (an admin: no union limit) also finds the one in the other district.
    everyone = [*NAMES, "Nguyễn Thị Thu Hà"]
    for q in ("nguyen thi thu ha", "thu ha", "ha"):
        expected = sorted(n for n in everyone if fold(q) in fold(n))
        assert await _names(factory, w.admin, q=q) == expected, q


async def test_a_full_name_answers_the_same_page_rows_by_keys_as_by_union(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # By name keys (a large scope) the matches come from member_names and the name index;
    # union first (a small scope) from the unions' members. Each row, its context (union,
    # employer, post) and masking, the total and the order are the same.
    w = await build_world(factory)
    unions = [w.grassroots_a, w.grassroots_a2, w.group_a]
    for i, name in enumerate(NAMES):
        await admit(
            factory,
            w.officer_a,
            unions[i % 3],
            full_name=name,
            admission_date=f"2020-0{1 + i % 9}-1{i % 10}",
            email=f"hoi.vien{i}@example.vn",
        )
    answers: dict[int, list[Any]] = {}
    for small_scope_unions in (0, 64):
        monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", small_scope_unions)
        seen = []
        for sort in ("name", "-name", "admission_date"):
            for page in (1, 2, 3):
                r = await factory.client.get(
                    API,
                    params={"q": "nguyen thi thu", "size": 2, "page": page, "sort": sort},
                    headers=w.officer_a,
                )
                assert r.status_code == 200, r.text
                seen.append(r.json())
        answers[small_scope_unions] = seen
    assert answers[0] == answers[64]
    first = answers[0][0]
    # Thu, Thu Hà, Thu Hạnh, Thủy and Phạm Nguyễn Thị Thu Hà.
    assert (first["total"], first["total_exact"], first["pages"]) == (5, True, 3)
    assert [m["full_name"] for m in first["items"]] == ["Nguyễn Thị Thu", "Nguyễn Thị Thu Hà"]
    assert all(m["union_name"] and m["pii_masked"] for m in first["items"])
    assert first["items"][0]["personal_id"].startswith("*********")
    assert [m["full_name"] for m in answers[0][2]["items"]] == ["Phạm Nguyễn Thị Thu Hà"]


def test_the_key_condition_quotes_what_it_is_given() -> None:
    assert search.keys_query("thu") is None
    assert search.keys_query("nguyen ha") is None
    assert search.keys_query("nguyen thi thu ha") == "'<thi neyu' & '<thu iht' & '>thu ha'"
    assert search.keys_query("guyen thi thu h") == "'<thi neyu' & '<thu iht' & '>thu h'"
    assert search.keys_query("o'neil a\\b c") == "'<a\\\\b lien' & '>a\\\\b c'"
    assert search.keys_query("o' a b'c") == "'<a ''o' & '>a b''c'"


def _literal(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        value = "{" + ",".join(str(v) for v in value) + "}"
    text_ = str(value).replace("'", "''")
    return f"'{text_}'"


def test_a_full_name_in_a_large_scope_keeps_a_generic_plan() -> None:
    # Its best plan is the same for any name (names by key, members by name, rows by id): it
    # runs on the pool that plans once, whether the scope covers every union or many (their
    # list checked by a hash). A small scope's union-first match or a trigram match depends
    # on the values, and is planned for each request.
    few, many = [uuid.uuid4()], [uuid.uuid4() for _ in range(search.SMALL_SCOPE_UNIONS + 1)]
    full, two = MemberFilters(q="Nguyễn Thị Thu Hà"), MemberFilters(q="thu ha")
    for filters, union_ids, generic in [
        (full, None, True),
        (MemberFilters(q="Nguyễn Thị Thu Hà", gender="female"), None, True),
        (full, many, True),
        (full, few, False),
        (two, None, False),
        (two, many, False),
    ]:
        *_, keeps = bound_search_query(filters, union_ids, "name", 0, 21)
        assert keeps is generic, (filters.q, union_ids and len(union_ids))


async def test_a_large_scope_under_a_generic_plan_hashes_its_union_list(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The district's full-name search as the generic-plan pool runs it: the same rows as
    # with a custom plan, and its union list checked by a hash built once, not walked for
    # each member of a matching name (what `union_id = ANY($1)` does under a generic plan).
    monkeypatch.setattr(search, "SMALL_SCOPE_UNIONS", 0)
    w = await build_world(factory)
    for union, name in [
        (w.grassroots_a, "Nguyễn Thị Thu Hà"),
        (w.group_a, "Nguyễn Thị Thu Hà"),
        (w.grassroots_a2, "Nguyễn Thị Thu Hạnh"),
        (w.grassroots_b, "Nguyễn Thị Thu Hà"),
    ]:
        await admit(factory, w.officer_a if union != w.grassroots_b else w.officer_b, union,
                    full_name=name)  # fmt: skip
    district = list(
        (
            await factory.db.execute(select(Union.id).where(Union.path.op("<@")(w.district_a.path)))
        ).scalars()
    )
    query, params, _, generic = bound_search_query(
        MemberFilters(q="nguyen thi thu h"), district, "name", 0, 21
    )
    assert generic
    conn = await factory.db.connection()
    found = {}
    for mode in ("force_custom_plan", "force_generic_plan"):
        await factory.db.execute(text(f"SET LOCAL plan_cache_mode = {mode}"))
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        prepared = DriverStatement(query, conn.dialect)
        args = prepared.args(params)
        await raw.execute(f"PREPARE district_search AS {prepared.sql}")
        try:
            # EXECUTE takes no parameters: its values as literals (the statement's types).
            given = ", ".join(_literal(a) for a in args)
            rows = await raw.fetch(f"EXECUTE district_search({given})")
            found[mode] = [(r["full_name"], r["union_id"], r["matched"]) for r in rows]
            if mode == "force_generic_plan":
                explained = await raw.fetch(f"EXPLAIN EXECUTE district_search({given})")
                plan = "\n".join(r[0] for r in explained)
        finally:
            # A prepared statement outlives the test's rolled-back transaction.
            await raw.execute("DEALLOCATE district_search")
    assert found["force_custom_plan"] == found["force_generic_plan"]
    assert sorted((n, u) for n, u, _ in found["force_generic_plan"]) == sorted(
        [
            ("Nguyễn Thị Thu Hà", w.grassroots_a.id),
            ("Nguyễn Thị Thu Hà", w.group_a.id),
            ("Nguyễn Thị Thu Hạnh", w.grassroots_a2.id),
        ]
    )
    assert {m for *_, m in found["force_generic_plan"]} == {3}
    assert "(hashed SubPlan" in plan and ") IS TRUE)" in plan, plan


@pytest.mark.parametrize(
    "sort", ["name", "-name", "admission_date", "-date_of_birth", "created_at"]
)
async def test_cursor_pages_walk_the_same_rows_as_page_numbers(factory: Factory, sort: str) -> None:
    w = await build_world(factory)
    for i, name in enumerate(["An", "Bình", "Bình", "Cường", "Dũng", "Giang", "Hải"]):
        await admit(
            factory,
            w.officer_a,
            w.grassroots_a if i % 2 else w.grassroots_a2,
            full_name=f"Lê Văn {name}",
            admission_date=f"201{i % 3}-01-0{i + 1}",
            date_of_birth=f"198{i % 2}-02-0{i + 1}",
        )
    by_number: list[str] = []
    for page in (1, 2, 3):
        r = await factory.client.get(
            API, params={"size": 3, "page": page, "sort": sort}, headers=w.officer_a
        )
        by_number += [m["id"] for m in r.json()["items"]]
    by_cursor: list[str] = []
    params: dict[str, Any] = {"size": 3, "sort": sort}
    while True:
        r = await factory.client.get(API, params=params, headers=w.officer_a)
        assert r.status_code == 200, r.text
        body = r.json()
        by_cursor += [m["id"] for m in body["items"]]
        assert body["total"] == 7
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert len(by_number) == 7
    assert by_cursor == by_number


async def test_a_foreign_cursor_is_refused(factory: Factory) -> None:
    w = await build_world(factory)
    await admit(factory, w.officer_a, w.grassroots_a)
    await admit(factory, w.officer_a, w.grassroots_a)
    r = await factory.client.get(API, params={"size": 1}, headers=w.officer_a)
    cursor = r.json()["next_cursor"]
    # A name cursor does not fit the admission-date order.
    r = await factory.client.get(
        API, params={"size": 1, "sort": "admission_date", "cursor": cursor}, headers=w.officer_a
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["code"] == "cursor_invalid"
    r = await factory.client.get(API, params={"cursor": "bm9wZQ"}, headers=w.officer_a)
    assert r.status_code == 422


async def test_a_scope_covering_every_union_lists_without_a_union_condition(
    factory: Factory,
) -> None:
    # The province's officer (not an admin) covers the only tree: the list and the search need
    # no union condition. A second province appears: the officer no longer covers every union,
    # and its members stay out of the first officer's list and search.
    w = await build_world(factory)
    province = await factory.headers_for("union_officer", w.province)
    await admit(factory, w.officer_a, w.grassroots_a, full_name="Nguyễn Thị Thu Hà")
    await admit(factory, w.officer_b, w.grassroots_b, full_name="Trần Văn Bình")
    paths = {"scope_paths": [w.province.path], "with_every_id": False}
    roots = await factory.db.scalar(select(func.count()).where(Union.parent_id.is_(None)))
    every, ids = (await factory.db.execute(scoped_union_id_array_bound(), paths)).one()
    assert every is (roots == 1)
    assert ids is None if every else len(ids) == 7
    both = ["Nguyễn Thị Thu Hà", "Trần Văn Bình"]
    assert await _names(factory, province) == both
    assert await _names(factory, province, q="nguyen thi thu ha") == both[:1]
    assert await _names(factory, province, q="binh", status="active") == both[1:]
    assert await _names(factory, province, q="tran", age_min=18) == both[1:]
    assert await _names(factory, province, q="thu ha") == both[:1]
    assert await _names(factory, province, age_min=18) == both

    other = await factory.union(name="Liên đoàn Lao động tỉnh Vĩnh Long")
    other_grassroots = await factory.union(await factory.union(other))
    other_officer = await factory.headers_for("union_officer", other)
    await admit(factory, other_officer, other_grassroots, full_name="Nguyễn Thị Thu Hà")
    every, ids = (await factory.db.execute(scoped_union_id_array_bound(), paths)).one()
    assert every is False
    assert set(ids) == {w.province.id, w.district_a.id, w.district_b.id, w.grassroots_a.id,
                        w.grassroots_a2.id, w.group_a.id, w.grassroots_b.id}  # fmt: skip
    assert await _names(factory, province) == both
    assert await _names(factory, province, q="nguyen thi thu ha") == both[:1]
    assert await _names(factory, province, age_min=18) == both
    assert await _names(factory, province, q="thu ha") == both[:1]
    assert await _names(factory, other_officer, q="nguyen thi thu ha") == both[:1]
    # Both provinces' paths cover every root again.
    paths["scope_paths"] = [w.province.path, other.path]
    if roots == 1:
        assert (await factory.db.execute(scoped_union_id_array_bound(), paths)).one() == (
            True,
            None,
        )


async def test_the_list_pages_by_its_own_page_and_size(factory: Factory) -> None:
    # The member list declares page and size itself (not through `page_params`): the same
    # defaults, bounds and refusals as every other list.
    w = await build_world(factory)
    for name in ["An", "Bình", "Cường"]:
        await admit(factory, w.officer_a, w.grassroots_a, full_name=f"Lê Văn {name}")
    r = await factory.client.get(API, headers=w.officer_a)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["page"], body["size"], body["total"], len(body["items"])) == (1, 20, 3, 3)
    r = await factory.client.get(API, params={"page": 2, "size": 2}, headers=w.officer_a)
    body = r.json()
    assert (body["page"], body["size"], body["pages"]) == (2, 2, 2)
    assert [m["full_name"] for m in body["items"]] == ["Lê Văn Cường"]
    r = await factory.client.get(
        API, params={"size": 201, "page": 0, "q": "le"}, headers=w.officer_a
    )
    assert r.status_code == 422
    assert [(e["field"], e["in"]) for e in r.json()["errors"]] == [
        ("page", "query"),
        ("size", "query"),
    ]
